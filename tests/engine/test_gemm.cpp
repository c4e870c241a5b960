// engine/gemm.h: the three product forms against hand-computed values, overwrite and
// accumulate. Natively these run the Eigen path; the wasm SIMD kernel is checked against a
// double reference on every layer shape by bench/gemm_probe.cpp (max_abs_err).
#include <catch2/catch.hpp>

#include "engine/gemm.h"

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
