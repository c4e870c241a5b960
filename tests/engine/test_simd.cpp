// engine/simd.h: the vector exp against std::exp over its whole range, at the edges, and for
// every length and offset (the padded tail must give the same values as full vectors).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "engine/simd.h"

TEST_CASE("simd: exp is within 2 ulp of std::exp from -87 to 88", "[simd]") {
  std::vector<float> x;
  for (double v = -87.0; v <= 88.0; v += 0.0031) x.push_back(static_cast<float>(v));
  for (float v : {0.0f, -0.0f, 1e-30f, -1e-30f, 1.0f, -1.0f, 0.5f, 88.0f, -87.3f}) x.push_back(v);
  std::vector<float> y = x;
  nn::simd::exp_in_place(y.data(), static_cast<nn::Index>(y.size()));
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double exact = std::exp(double(x[i]));
    worst = std::fmax(worst, std::fabs(double(y[i]) - exact) / exact);
  }
  CHECK(worst < 2 * std::numeric_limits<float>::epsilon());  // 2 ulp of a value in [1, 2)
  CHECK(y[y.size() - 9] == 1.0f);                            // e^0 exactly
}

TEST_CASE("simd: exp flushes below FLT_MIN to 0, caps above 88 and keeps NaN", "[simd]") {
  float v[] = {-1000.0f, -88.0f, 1000.0f, std::numeric_limits<float>::quiet_NaN(),
               -std::numeric_limits<float>::infinity()};
  nn::simd::exp_in_place(v, 5);
  CHECK(v[0] == 0.0f);
  CHECK(v[1] == 0.0f);
  CHECK(v[2] == Approx(std::exp(88.0f)).epsilon(1e-6));
  CHECK(std::isnan(v[3]));
  CHECK(v[4] == 0.0f);
}

TEST_CASE("simd: exp gives the same bits for an element wherever it sits", "[simd]") {
  // Lengths 1..40 at offsets 0..3: full vectors, the padded tail and unaligned starts.
  std::vector<float> base(64);
  for (size_t i = 0; i < base.size(); ++i) base[i] = -3.0f + 0.37f * float(i);
  std::vector<float> whole = base;
  nn::simd::exp_in_place(whole.data(), 64);
  for (int offset = 0; offset < 4; ++offset) {
    for (int n = 1; n <= 40; ++n) {
      std::vector<float> part = base;
      nn::simd::exp_in_place(part.data() + offset, n);
      for (int i = 0; i < 64; ++i) {
        const bool inside = i >= offset && i < offset + n;
        INFO("offset " << offset << " length " << n << " element " << i);
        REQUIRE(part[i] == (inside ? whole[i] : base[i]));
      }
    }
  }
}
