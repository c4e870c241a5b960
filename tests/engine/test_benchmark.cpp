// engine/benchmark.h: the FLOP count of the benchmark models (hand-computed from
// ARCHITECTURE.md), the split export and the argument checks. Timings are not asserted.
#include <catch2/catch.hpp>

#include <algorithm>

#include "engine/architecture.h"
#include "engine/benchmark.h"
#include "engine/error.h"

TEST_CASE("benchmark: training FLOPs per sample match hand counts", "[benchmark]") {
  // mlp: (64*128 + 128*10) MACs forward; x2 FLOPs per MAC; x3 for forward + 2 backward.
  nn::Sequential mlp = nn::parse_architecture(nn::preset_architecture("mlp"));
  nn::Rng rng(1);
  mlp.build(rng);
  CHECK(nn::training_flops_per_sample(mlp) == Approx(2.0 * 3.0 * (64 * 128 + 128 * 10)));
  // cnn: conv1 9*16 weights at 8*8 positions, conv2 144*32 at 4*4, dense 128*10.
  nn::Sequential cnn = nn::parse_architecture(nn::preset_architecture("cnn"));
  cnn.build(rng);
  CHECK(nn::training_flops_per_sample(cnn) == Approx(2.0 * 3.0 * (9 * 16 * 64 + 144 * 32 * 16 + 128 * 10)));
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
