// engine/gemm.h: the three product forms against hand-computed values, overwrite and
// accumulate, and against a double-precision reference on shapes that reach every path of
// the kernel natively (wide tiles, narrower vectors, scalar edges, the transposed copy for
// many rows, the Eigen fallback for narrow outputs). In wasm, bench/gemm_probe.cpp runs the
// same kind of check on the layers' shapes (max_abs_err).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "engine/gemm.h"
#include "engine/rng.h"

namespace {

nn::Matrix make(nn::Index rows, nn::Index cols, std::initializer_list<float> values) {
  nn::Matrix m(rows, cols);
  auto it = values.begin();
  for (nn::Index i = 0; i < m.size(); ++i) m.data()[i] = *it++;
  return m;
}

nn::MatrixView mut(nn::Matrix& m) { return nn::MatrixView(m.data(), m.rows(), m.cols()); }

}  // namespace

TEST_CASE("gemm: nn, nt and tn match hand-computed values", "[gemm]") {
  const nn::Matrix a = make(2, 3, {1, 2, 3, 4, 5, 6});         // (2, 3)
  const nn::Matrix b = make(3, 2, {7, 8, 9, 10, 11, 12});      // (3, 2)
  // a * b = [[1*7+2*9+3*11, 1*8+2*10+3*12], [4*7+5*9+6*11, 4*8+5*10+6*12]]
  const nn::Matrix expected = make(2, 2, {58, 64, 139, 154});
  nn::Matrix c(2, 2);

  nn::gemm_nn(nn::view(a), nn::view(b), mut(c), 0.0f);
  CHECK(c == expected);

  const nn::Matrix b_t = b.transpose();  // stored (2, 3)
  c.setConstant(-99.0f);                  // beta 0 must ignore what was there
  nn::gemm_nt(nn::view(a), nn::view(b_t), mut(c), 0.0f);
  CHECK(c == expected);

  const nn::Matrix a_t = a.transpose();  // stored (3, 2)
  nn::gemm_tn(nn::view(a_t), nn::view(b), mut(c), 0.0f);
  CHECK(c == expected);
}

TEST_CASE("gemm: beta 1 accumulates into the output", "[gemm]") {
  const nn::Matrix a = make(1, 2, {1, 2});
  const nn::Matrix b = make(2, 3, {1, 0, 2, 0, 1, 3});
  nn::Matrix c = make(1, 3, {10, 20, 30});
  nn::gemm_nn(nn::view(a), nn::view(b), mut(c), 1.0f);  // + [1, 2, 8]
  CHECK(c == make(1, 3, {11, 22, 38}));
  nn::gemm_tn(nn::view(make(2, 1, {1, 2})), nn::view(b), mut(c), 1.0f);  // + [1, 2, 8] again
  CHECK(c == make(1, 3, {12, 24, 46}));
}

TEST_CASE("gemm: every form matches a double reference on shapes that reach each kernel path", "[gemm]") {
  // (M, N, K): the mlp's and cnn's own products, many rows (transposed copy), widths just
  // below / at / above one and several vectors, odd sizes everywhere, and empty K.
  const int shapes[][3] = {{32, 128, 64}, {128, 64, 32}, {32, 10, 128}, {10, 128, 32}, {32, 128, 10},
                           {512, 32, 144}, {2048, 16, 9},  {16, 9, 2048}, {7, 13, 5},    {5, 18, 7},
                           {6, 9, 3},      {1, 1, 1},      {3, 65, 17},   {130, 47, 33}, {129, 16, 8},
                           {4, 96, 1},     {9, 200, 31},   {5, 7, 0}};
  nn::Rng rng(3);
  auto random = [&](nn::Index r, nn::Index c) {
    nn::Matrix m(r, c);
    for (nn::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(-1, 1);
    return m;
  };
  for (const auto& s : shapes) {
    const nn::Index m = s[0], n = s[1], k = s[2];
    const nn::Matrix a = random(m, k), b = random(k, n), start = random(m, n);
    const nn::Matrix a_t = a.transpose(), b_t = b.transpose();
    for (int form = 0; form < 3; ++form) {
      for (const float beta : {0.0f, 1.0f}) {
        nn::Matrix c = start;
        if (form == 0) nn::gemm_nn(nn::view(a), nn::view(b), mut(c), beta);
        if (form == 1) nn::gemm_nt(nn::view(a), nn::view(b_t), mut(c), beta);
        if (form == 2) nn::gemm_tn(nn::view(a_t), nn::view(b), mut(c), beta);
        double worst = 0;
        for (nn::Index i = 0; i < m; ++i) {
          for (nn::Index j = 0; j < n; ++j) {
            double expected = beta == 1.0f ? double(start(i, j)) : 0.0;
            for (nn::Index p = 0; p < k; ++p) expected += double(a(i, p)) * double(b(p, j));
            worst = std::fmax(worst, std::fabs(expected - double(c(i, j))));
          }
        }
        INFO("form " << form << " beta " << beta << " shape " << m << "x" << n << "x" << k);
        // float accumulation over K terms of size <= 1: a few ulps of sqrt(K) at most.
        CHECK(worst <= 1e-6 * (1.0 + std::sqrt(double(k)) * 4.0));
      }
    }
  }
}
