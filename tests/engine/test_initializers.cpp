// Initialiser tests: He normal and Xavier/Glorot uniform statistics at the documented scale,
// the conv fan-in/fan-out (C*K*K, F*K*K), zero biases, seed reproducibility and names.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/error.h"
#include "engine/initializers.h"
#include "engine/layers/conv2d.h"
#include "engine/layers/dense.h"

using namespace nn;

namespace {

struct Stats {
  double mean = 0, stddev = 0, min = 1e30, max = -1e30;
};

Stats stats_of(const float* v, Index n) {
  Stats s;
  double sum = 0, sum2 = 0;
  for (Index i = 0; i < n; ++i) {
    sum += v[i];
    sum2 += double(v[i]) * v[i];
    s.min = std::min(s.min, double(v[i]));
    s.max = std::max(s.max, double(v[i]));
  }
  s.mean = sum / n;
  s.stddev = std::sqrt(sum2 / n - s.mean * s.mean);
  return s;
}

}  // namespace

TEST_CASE("initializers: He normal has mean 0 and std sqrt(2/fan_in)", "[initializers]") {
  Matrix w(200, 300);  // 60000 draws: the sample std is within ~0.3% of the true one
  Rng rng(1);
  init_weights(Init::kHe, MatrixView(w.data(), 200, 300), 300, 200, rng);
  Stats s = stats_of(w.data(), w.size());
  const double expected = std::sqrt(2.0 / 300);
  CHECK(std::abs(s.mean) < 4 * expected / std::sqrt(60000.0));
  CHECK(s.stddev == Approx(expected).epsilon(0.02));
  CHECK(s.max > 3 * expected);  // normal, not uniform: tails reach past 3 sigma
}

TEST_CASE("initializers: Xavier uniform fills [-l, l] with l = sqrt(6/(fan_in+fan_out))", "[initializers]") {
  Matrix w(100, 400);
  Rng rng(2);
  init_weights(Init::kXavier, MatrixView(w.data(), 100, 400), 400, 100, rng);
  Stats s = stats_of(w.data(), w.size());
  const double limit = std::sqrt(6.0 / 500);
  CHECK(s.min >= -limit);
  CHECK(s.max <= limit);
  CHECK(s.min < -0.99 * limit);
  CHECK(s.max > 0.99 * limit);
  CHECK(s.stddev == Approx(limit / std::sqrt(3.0)).epsilon(0.02));
  CHECK(std::abs(s.mean) < 4 * limit / std::sqrt(3.0) / std::sqrt(40000.0));
}

TEST_CASE("initializers: the same seed gives the same weights", "[initializers]") {
  Matrix a(8, 9), b(8, 9), c(8, 9);
  Rng r1(5), r2(5), r3(6);
  init_weights(Init::kHe, MatrixView(a.data(), 8, 9), 9, 8, r1);
  init_weights(Init::kHe, MatrixView(b.data(), 8, 9), 9, 8, r2);
  init_weights(Init::kHe, MatrixView(c.data(), 8, 9), 9, 8, r3);
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("initializers: dense and conv2d use their fan-in and fan-out, biases start at 0",
          "[initializers]") {
  Rng rng(3);
  SECTION("dense 64 -> 512, He: std sqrt(2/64)") {
    Dense d(512, Init::kHe);
    d.build(Shape{64, 1, 1}, rng);
    Stats s = stats_of(d.weight().data(), d.weight().size());
    CHECK(s.stddev == Approx(std::sqrt(2.0 / 64)).epsilon(0.03));
    CHECK(d.bias().isZero(0));
  }
  SECTION("conv2d 64 filters 3x3 on 32 channels, He: fan_in = 32*9") {
    Conv2D conv(64, 3, 1, 1, Init::kHe);
    conv.build(Shape{32, 4, 4}, rng);
    Stats s = stats_of(conv.weight().data(), conv.weight().size());
    CHECK(s.stddev == Approx(std::sqrt(2.0 / (32 * 9))).epsilon(0.03));
    CHECK(conv.bias().isZero(0));
  }
  SECTION("conv2d 64 filters 3x3 on 32 channels, Xavier: limit sqrt(6/(32*9 + 64*9))") {
    Conv2D conv(64, 3, 1, 1, Init::kXavier);
    conv.build(Shape{32, 4, 4}, rng);
    Stats s = stats_of(conv.weight().data(), conv.weight().size());
    const double limit = std::sqrt(6.0 / (32 * 9 + 64 * 9));
    CHECK(s.max <= limit);
    CHECK(s.min >= -limit);
    CHECK(s.max > 0.98 * limit);
    CHECK(s.stddev == Approx(limit / std::sqrt(3.0)).epsilon(0.03));
  }
}

TEST_CASE("initializers: names round-trip and unknown names are rejected", "[initializers][errors]") {
  CHECK(init_name(Init::kHe) == "he");
  CHECK(init_name(Init::kXavier) == "xavier");
  CHECK(parse_init("he") == Init::kHe);
  CHECK(parse_init("xavier") == Init::kXavier);
  CHECK(parse_init("glorot") == Init::kXavier);
  CHECK_THROWS_WITH(parse_init("lecun"), Catch::Contains("lecun") && Catch::Contains("xavier"));
  Matrix w(2, 2);
  Rng rng(1);
  CHECK_THROWS_AS(init_weights(Init::kHe, MatrixView(w.data(), 2, 2), 0, 2, rng), Error);
}
