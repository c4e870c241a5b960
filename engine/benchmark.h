// Benchmark helpers shared by the native bench (bench/native_bench.cpp) and the wasm module
// (bound as gemmGflops): the GEMM ceiling of this build, timed training of a preset and
// the augmentation's distortion rate.
// Timing only; no output formatting and no file access here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/sequential.h"

namespace nn {

// GFLOP/s (2*n^3 FLOPs per product) of a float (n, n) x (n, n) product through the same
// matrix-product path the layers use; median of `repeats` timed products after a warm-up.
// n: 1..4096; repeats: >= 1. Throws nn::Error otherwise.
double gemm_gflops(int n, int repeats);

// FLOPs of forward + backward for one sample: 2*M*N*K per product the engine runs. Each
// dense or conv2d layer runs its forward product and its weight-gradient product; its
// input-gradient product only when a layer with parameters comes before it (the first
// trained layer's input gradient is needed by nobody and skipped, see Sequential). The
// model need not be built: the count comes from its shapes and planned parameters.
double training_flops_per_sample(Sequential& model);

struct TrainingBench {
  std::vector<double> epoch_seconds;  // wall time of each epoch, warm-up included
  double samples_per_sec = 0;         // median over the epochs after the first
  double spread = 0;                  // (max - min) / median of those epochs
  double gflops = 0;                  // samples_per_sec * flops_per_sample / 1e9
  double flops_per_sample = 0;
  float test_accuracy = 0;
  Index train_samples = 0;
  int epochs = 0;
};

// Trains the preset ("mlp", "cnn", ...) on the test_share 0.2 / validation 0 stratified
// split of `digits` (seed 42), batch 32, Adam lr 1e-3, for `epochs` (>= 2) epochs, timing
// each epoch, then measures the test accuracy.
TrainingBench bench_training(const Dataset& digits, const std::string& preset, int epochs, uint64_t seed = 42);

struct AugmentBench {
  double distortions_per_sec = 0;  // median over the timed repeats
  double spread = 0;               // (max - min) / median of those repeats
  Index distortions = 0;           // per repeat: copies x training digits
  int repeats = 0;
  uint32_t checksum = 0;           // CRC-32 of the copies' feature bytes: equal across builds
};

// Distorts the training digits of the test_share 0.2 split of `digits` (seed 42) `copies`
// times (augment_dataset, Rng(seed) every repeat, so every repeat makes the same bytes),
// once untimed as a warm-up, then `repeats` (>= 1) timed times.
AugmentBench bench_augment(const Dataset& digits, int copies, int repeats, uint64_t seed = 42);

// The row indices of `digits` that stratified_split(digits, test_share, 0, seed) puts in the
// training and test sets, so peers outside the engine can train on exactly the same rows.
void split_indices(const Dataset& digits, float test_share, uint64_t seed, std::vector<int>& train,
                   std::vector<int>& test);

}  // namespace nn
