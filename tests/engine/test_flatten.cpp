// Flatten tests: the shape becomes flat, values and gradients pass through unchanged,
// and mismatched batches are reported.
#include <catch2/catch.hpp>

#include "engine/error.h"
#include "engine/layers/flatten.h"
#include "tests/gradcheck.h"

using namespace nn;

TEST_CASE("flatten: output shape is C*H*W and values pass through", "[flatten]") {
  Flatten flat;
  CHECK(flat.type_name() == "flatten");
  CHECK(flat.output_shape(Shape{32, 2, 2}) == Shape{128, 1, 1});
  CHECK(flat.output_shape(Shape{64, 1, 1}) == Shape{64, 1, 1});
  CHECK(flat.to_json() == nlohmann::json{{"type", "flatten"}});
  CHECK(flat.param_count() == 0);

  Rng rng(3);
  flat.build(Shape{2, 2, 3}, rng);
  for (Index n : {3, 1, 5}) {
    Matrix x = test::random_matrix(n, 12, rng);
    Matrix out = flat.forward(view(x), Mode::kTrain, rng);
    CHECK(out == x);
    Matrix d_out = test::random_matrix(n, 12, rng);
    Matrix d_in = flat.backward(view(d_out));
    CHECK(d_in == d_out);
  }
}

TEST_CASE("flatten: mismatched batches raise nn::Error", "[flatten][errors]") {
  Flatten flat;
  Rng rng(3);
  flat.build(Shape{2, 2, 3}, rng);
  CHECK_THROWS_WITH(flat.backward(view(Matrix::Ones(1, 12).eval())), Catch::Contains("before forward"));
  Matrix bad = Matrix::Ones(2, 11);
  CHECK_THROWS_WITH(flat.forward(view(bad), Mode::kInfer, rng),
                    Catch::Contains("flatten") && Catch::Contains("(2, 2, 3)"));
  Matrix x = Matrix::Ones(2, 12);
  flat.forward(view(x), Mode::kInfer, rng);
  CHECK_THROWS_AS(flat.backward(view(Matrix::Ones(3, 12).eval())), Error);
}
