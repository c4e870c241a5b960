// engine/benchmark.h: the FLOP count of the benchmark models (hand-computed from
// the models of README.md "Benchmarks"), the split export and the argument checks. Timings are not asserted.
#include <catch2/catch.hpp>

#include <algorithm>

#include "engine/architecture.h"
#include "engine/benchmark.h"
#include "engine/error.h"

TEST_CASE("benchmark: training FLOPs per sample match hand counts", "[benchmark]") {
  // x2 FLOPs per MAC. The first trained layer runs forward + weight gradient (its input
  // gradient is skipped); every later one forward + weight gradient + input gradient.
  // mlp: dense 64*128 (x2), dense 128*10 (x3): 40,448 FLOPs.
  nn::Sequential mlp = nn::parse_architecture(nn::preset_architecture("mlp"));
  // Unbuilt (what the page's batch-cost check sees before allocating) and built agree.
  CHECK(nn::training_flops_per_sample(mlp) == 40448.0);
  CHECK(mlp.first_trained_layer() == 0);
  nn::Rng rng(1);
  mlp.build(rng);
  CHECK(nn::training_flops_per_sample(mlp) == 2.0 * (2 * 64 * 128 + 3 * 128 * 10));
  CHECK(nn::training_flops_per_sample(mlp) == 40448.0);
  // cnn: conv1 9*16 weights at 8*8 positions (x2), conv2 144*32 at 4*4 (x3), dense 128*10 (x3).
  nn::Sequential cnn = nn::parse_architecture(nn::preset_architecture("cnn"));
  cnn.build(rng);
  CHECK(nn::training_flops_per_sample(cnn) == 2.0 * (2 * 9 * 16 * 64 + 3 * 144 * 32 * 16 + 3 * 128 * 10));
  // A model that starts with a parameter-free layer: the skip moves to the first dense.
  nn::Sequential flat = nn::parse_architecture(
      R"({"input":[1,8,8],"layers":[{"type":"flatten"},{"type":"dense","units":10}]})");
  CHECK(flat.first_trained_layer() == 1);
  flat.build(rng);
  CHECK(flat.first_trained_layer() == 1);
  CHECK(nn::training_flops_per_sample(flat) == 2.0 * 2 * 64 * 10);
}

TEST_CASE("benchmark: split indices partition the rows like stratified_split", "[benchmark]") {
  nn::Dataset d;
  d.x = nn::Matrix::Zero(50, 1);
  for (int i = 0; i < 50; ++i) {
    d.x(i, 0) = static_cast<float>(1000 + i);
    d.y.push_back(i % 5);
  }
  std::vector<int> train, test;
  nn::split_indices(d, 0.2f, 42, train, test);
  CHECK(train.size() == 40);
  CHECK(test.size() == 10);
  const nn::Split split = nn::stratified_split(d, 0.2f, 0.0f, 42);
  for (size_t i = 0; i < test.size(); ++i) CHECK(split.test.x(static_cast<nn::Index>(i), 0) == 1000 + test[i]);
  for (size_t i = 0; i < train.size(); ++i) CHECK(split.train.x(static_cast<nn::Index>(i), 0) == 1000 + train[i]);
}

TEST_CASE("benchmark: gemm_gflops rejects bad sizes and measures a positive rate", "[benchmark]") {
  CHECK_THROWS_AS(nn::gemm_gflops(0, 1), nn::Error);
  CHECK_THROWS_AS(nn::gemm_gflops(8, 0), nn::Error);
  CHECK(nn::gemm_gflops(16, 2) > 0.0);
}
