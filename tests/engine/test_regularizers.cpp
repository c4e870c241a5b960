// Regularizer tests: L1/L2 penalty and gradient by hand, biases untouched.
#include <catch2/catch.hpp>

#include "engine/regularizers.h"

using namespace nn;

TEST_CASE("regularizers: penalty and gradient match hand-computed values, biases excluded", "[regularizers]") {
  float w[2] = {1.0f, -2.0f}, wg[2] = {0.0f, 0.0f};
  float b[1] = {3.0f}, bg[1] = {0.0f};
  std::vector<Param> params = {{"weight", w, wg, 1, 2, true}, {"bias", b, bg, 1, 1, false}};
  // l1 * (|1| + |-2|) + l2/2 * (1 + 4) = 0.5 * 3 + 0.25 * 5 = 2.75; the bias adds nothing.
  CHECK(regularization_penalty(params, 0.5f, 0.5f) == Approx(2.75f));
  CHECK(regularization_penalty(params, 0.0f, 0.0f) == 0.0f);
  apply_regularization(params, 0.5f, 0.5f);
  // grad += l1 sign(w) + l2 w: (0.5 + 0.5, -0.5 - 1.0).
  CHECK(wg[0] == 1.0f);
  CHECK(wg[1] == -1.5f);
  CHECK(bg[0] == 0.0f);
  // L1 leaves exact zeros alone (sign(0) = 0).
  float z[1] = {0.0f}, zg[1] = {0.0f};
  apply_regularization({{"weight", z, zg, 1, 1, true}}, 0.5f, 0.0f);
  CHECK(zg[0] == 0.0f);
}
