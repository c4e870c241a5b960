// Timing helpers for the benchmarks: the GEMM ceiling, FLOP counting and a timed training
// run. Uses steady_clock, which Emscripten maps to performance.now().
#include "engine/benchmark.h"

#include <algorithm>
#include <chrono>

#include "engine/architecture.h"
#include "engine/augment.h"
#include "engine/crc32.h"
#include "engine/error.h"
#include "engine/experiment.h"
#include "engine/settings.h"
#include "engine/gemm.h"
#include "engine/trainer.h"

namespace nn {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace

double gemm_gflops(int n, int repeats) {
  if (n < 1 || n > 4096 || repeats < 1) {
    throw Error("gemm_gflops: n must be in 1..4096 and repeats >= 1, got n=" + std::to_string(n) +
                ", repeats=" + std::to_string(repeats));
  }
  // Deterministic, non-trivial inputs; the product Dense::forward computes (x * W^T, both
  // row-major) through engine/gemm.h, the layers' path.
  Rng rng(7);
  Matrix a(n, n), b(n, n), c(n, n);
  for (Index i = 0; i < a.size(); ++i) a.data()[i] = rng.uniform(-1.0f, 1.0f);
  for (Index i = 0; i < b.size(); ++i) b.data()[i] = rng.uniform(-1.0f, 1.0f);
  const auto product = [&] { gemm_nt(view(a), view(b), MatrixView(c.data(), n, n), 0.0f); };
  for (int r = 0; r < 3; ++r) product();  // warm-up (and, in wasm, a chance to tier up)
  std::vector<double> times;
  float sink = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    product();
    times.push_back(seconds_since(t0));
    sink += c(r % n, 0);
  }
  if (!(sink == sink)) throw Error("gemm_gflops: product produced NaN");  // keeps c alive
  return 2.0 * n * n * static_cast<double>(n) / median_of(times) / 1e9;
}

double training_flops_per_sample(Sequential& model) {
  const auto rows = model.summary_rows();
  const size_t first = model.first_trained_layer();
  double macs = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].type != "dense" && rows[i].type != "conv2d") continue;
    const double products = i > first ? 3.0 : 2.0;
    // One multiply-accumulate per weight per output position (1 for dense); the weights are
    // the parameters but one bias per unit or filter.
    const double weights = static_cast<double>(rows[i].params - rows[i].output.c);
    macs += products * weights * rows[i].output.h * rows[i].output.w;
  }
  return 2.0 * macs;
}

TrainingBench bench_training(const Dataset& digits, const std::string& preset, int epochs, uint64_t seed) {
  if (epochs < 2) throw Error("bench_training: epochs must be >= 2 (one warm-up), got " + std::to_string(epochs));
  // The settings' defaults (batch 32, Adam 1e-3, test share 0.2), without a validation part,
  // run as every front end runs one: through the Experiment.
  Settings settings = default_settings();
  settings.validation_share = 0;
  settings.train.epochs = epochs;
  settings.train.seed = seed;
  Experiment experiment(digits, Dataset{}, parse_architecture(preset_architecture(preset)), settings);
  const Index batches_per_epoch = experiment.progress().batches_per_epoch;

  TrainingBench result;
  while (!experiment.progress().done) {
    const auto t0 = Clock::now();
    experiment.run(batches_per_epoch);  // exactly one epoch: every epoch starts at batch 0
    result.epoch_seconds.push_back(seconds_since(t0));
  }
  const Progress end = experiment.progress();
  if (end.diverged) throw Error("bench_training: " + preset + " diverged: " + end.message);
  result.train_samples = end.samples_seen / epochs;
  std::vector<double> rates;
  for (size_t e = 1; e < result.epoch_seconds.size(); ++e) rates.push_back(result.train_samples / result.epoch_seconds[e]);
  result.samples_per_sec = median_of(rates);
  result.spread = (*std::max_element(rates.begin(), rates.end()) - *std::min_element(rates.begin(), rates.end())) /
                  result.samples_per_sec;
  result.flops_per_sample = training_flops_per_sample(experiment.model());
  result.gflops = result.samples_per_sec * result.flops_per_sample / 1e9;
  result.test_accuracy = experiment.model().evaluate(experiment.test()).accuracy;
  result.epochs = epochs;
  return result;
}

AugmentBench bench_augment(const Dataset& digits, int copies, int repeats, uint64_t seed) {
  if (repeats < 1) throw Error("bench_augment: repeats must be >= 1, got " + std::to_string(repeats));
  if (copies < 1) throw Error("bench_augment: copies must be >= 1, got " + std::to_string(copies));
  const Dataset train = stratified_split(digits, 0.2f, 0.0f, 42).train;
  AugmentBench result;
  result.distortions = train.size() * copies;
  result.repeats = repeats;
  const auto run = [&] {
    Rng rng(seed);
    return augment_dataset(train, copies, rng);
  };
  const Dataset warm = run();
  const Index n = train.size();
  result.checksum = crc32(reinterpret_cast<const uint8_t*>(warm.x.data() + n * kDigitFeatures),
                          size_t(result.distortions) * kDigitFeatures * sizeof(float));
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    const Dataset out = run();
    rates.push_back(double(result.distortions) / seconds_since(t0));
    if (out.size() != warm.size()) throw Error("bench_augment: repeats differ in size");
  }
  result.distortions_per_sec = median_of(rates);
  result.spread = (*std::max_element(rates.begin(), rates.end()) - *std::min_element(rates.begin(), rates.end())) /
                  result.distortions_per_sec;
  return result;
}

void split_indices(const Dataset& digits, float test_share, uint64_t seed, std::vector<int>& train,
                   std::vector<int>& test) {
  // The split depends only on the labels: tag each row with its index and read it back.
  Dataset tagged;
  tagged.x = Matrix::Zero(digits.size(), 1);
  for (Index i = 0; i < digits.size(); ++i) tagged.x(i, 0) = static_cast<float>(i);
  tagged.y = digits.y;
  const Split split = stratified_split(tagged, test_share, 0.0f, seed);
  train.clear();
  test.clear();
  for (Index i = 0; i < split.train.size(); ++i) train.push_back(static_cast<int>(split.train.x(i, 0)));
  for (Index i = 0; i < split.test.size(); ++i) test.push_back(static_cast<int>(split.test.x(i, 0)));
}

}  // namespace nn
