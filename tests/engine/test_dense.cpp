// Dense layer tests: hand-computed forward/backward, finite-difference gradients, batch-size
// changes over grow-only buffers, settings in JSON and the errors a user can hit.
#include <catch2/catch.hpp>

#include "engine/error.h"
#include "engine/layers/dense.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

Dense built_dense(int units, Shape in, uint64_t seed = 1) {
  Dense d(units);
  Rng rng(seed);
  d.build(in, rng);
  return d;
}

}  // namespace

TEST_CASE("dense: forward matches hand-computed values", "[dense]") {
  Rng rng(1);
  SECTION("tiny-dnn fixture: weights 1, bias 0.5, inputs 0..3 give 6.5") {
    Dense d = built_dense(2, Shape{4, 1, 1});
    d.weight().setOnes();
    d.bias().setConstant(0.5f);
    Matrix x(1, 4);
    x << 0, 1, 2, 3;
    Matrix out = d.forward(view(x), Mode::kInfer, rng);
    REQUIRE(out.rows() == 1);
    REQUIRE(out.cols() == 2);
    CHECK(out(0, 0) == 6.5f);
    CHECK(out(0, 1) == 6.5f);
  }
  SECTION("distinct weights catch a transposed W") {
    Dense d = built_dense(2, Shape{3, 1, 1});
    d.weight() << 1, 2, 3, 4, 5, 6;  // (F_out=2, F_in=3)
    d.bias() << 0.5f, -1.0f;
    Matrix x(2, 3);
    x << 1, 0, -1, 2, 1, 0;
    Matrix out = d.forward(view(x), Mode::kInfer, rng);
    CHECK(out(0, 0) == -1.5f);
    CHECK(out(0, 1) == -3.0f);
    CHECK(out(1, 0) == 4.5f);
    CHECK(out(1, 1) == 12.0f);
  }
}

TEST_CASE("dense: backward matches hand-computed values and accumulates", "[dense]") {
  Rng rng(1);
  Dense d = built_dense(2, Shape{3, 1, 1});
  d.weight() << 1, 2, 3, 4, 5, 6;
  d.bias() << 0.5f, -1.0f;
  Matrix x(2, 3);
  x << 1, 0, -1, 2, 1, 0;
  Matrix d_out(2, 2);
  d_out << 1, 0, 0, 2;
  d.zero_grad();
  d.forward(view(x), Mode::kTrain, rng);
  Matrix d_in = d.backward(view(d_out));
  Matrix expected_d_in(2, 3);
  expected_d_in << 1, 2, 3, 8, 10, 12;  // d_out W
  CHECK(d_in == expected_d_in);
  auto params = d.params();
  REQUIRE(params.size() == 2);
  CHECK(params[0].name == "weight");
  CHECK(params[0].rows == 2);
  CHECK(params[0].cols == 3);
  CHECK(params[0].regularized);
  CHECK(params[1].name == "bias");
  CHECK(params[1].size() == 2);
  CHECK_FALSE(params[1].regularized);
  // dW = d_out^T x = [[1, 0, -1], [4, 2, 0]]; db = colwise sum = [1, 2].
  const float expected_dw[] = {1, 0, -1, 4, 2, 0};
  for (int i = 0; i < 6; ++i) CHECK(params[0].grad[i] == expected_dw[i]);
  CHECK(params[1].grad[0] == 1.0f);
  CHECK(params[1].grad[1] == 2.0f);

  // A second backward adds; zero_grad clears.
  d.backward(view(d_out));
  for (int i = 0; i < 6; ++i) CHECK(params[0].grad[i] == 2 * expected_dw[i]);
  CHECK(params[1].grad[1] == 4.0f);
  d.zero_grad();
  for (int i = 0; i < 6; ++i) CHECK(params[0].grad[i] == 0.0f);
  CHECK(params[1].grad[1] == 0.0f);
}

TEST_CASE("dense: gradients match finite differences", "[dense][gradcheck]") {
  Rng rng(11);
  SECTION("N=3, 5 -> 4") {
    Dense d = built_dense(4, Shape{5, 1, 1}, 3);
    for (Index i = 0; i < d.bias().size(); ++i) d.bias()(i) = rng.uniform(-1, 1);
    auto r = test::check_layer_gradients(d, test::random_matrix(3, 5, rng), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
  SECTION("image input (2, 2, 3) read flat, N=2 -> 3") {
    Dense d = built_dense(3, Shape{2, 2, 3}, 4);
    auto r = test::check_layer_gradients(d, test::random_matrix(2, 12, rng), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
}

TEST_CASE("dense: a smaller then a bigger batch reuse buffers correctly", "[dense]") {
  Rng rng(5);
  Dense d = built_dense(4, Shape{6, 1, 1}, 5);
  for (Index i = 0; i < d.bias().size(); ++i) d.bias()(i) = rng.uniform(-1, 1);
  for (Index n : {5, 2, 7, 1}) {
    Matrix x = test::random_matrix(n, 6, rng);
    Matrix out = d.forward(view(x), Mode::kTrain, rng);
    Matrix expected = (x * d.weight().transpose()).rowwise() + d.bias();
    REQUIRE(out.rows() == n);
    CHECK((out - expected).cwiseAbs().maxCoeff() < 1e-5f);
    Matrix d_out = test::random_matrix(n, 4, rng);
    d.zero_grad();
    Matrix d_in = d.backward(view(d_out));
    REQUIRE(d_in.rows() == n);
    CHECK((d_in - d_out * d.weight()).cwiseAbs().maxCoeff() < 1e-5f);
    Eigen::Map<Matrix> dw(d.params()[0].grad, 4, 6);
    CHECK((dw - d_out.transpose() * x).cwiseAbs().maxCoeff() < 1e-5f);
  }
}

TEST_CASE("dense: shapes and JSON settings", "[dense]") {
  Dense d(128, Init::kXavier);
  CHECK(d.type_name() == "dense");
  CHECK(d.units() == 128);
  CHECK(d.output_shape(Shape{64, 1, 1}) == Shape{128, 1, 1});
  CHECK(d.output_shape(Shape{16, 2, 2}) == Shape{128, 1, 1});
  CHECK(d.to_json() == nlohmann::json{{"type", "dense"}, {"units", 128}, {"init", "xavier"}});
  CHECK(Dense(10).to_json() == nlohmann::json::parse(R"({"type":"dense","units":10,"init":"he"})"));
}

TEST_CASE("dense: bad settings and shapes raise nn::Error naming the layer", "[dense][errors]") {
  CHECK_THROWS_AS(Dense(0), Error);
  CHECK_THROWS_AS(Dense(-3), Error);
  CHECK_THROWS_WITH(Dense(70000), Catch::Contains("units") && Catch::Contains("70000"));
  Rng rng(1);
  Dense unbuilt(3);
  Matrix x1 = Matrix::Ones(2, 4);
  CHECK_THROWS_WITH(unbuilt.forward(view(x1), Mode::kInfer, rng), Catch::Contains("before build"));

  Dense d = built_dense(3, Shape{4, 1, 1});
  CHECK_THROWS_WITH(d.backward(view(Matrix::Ones(2, 3).eval())), Catch::Contains("before forward"));
  Matrix bad = Matrix::Ones(2, 5);
  CHECK_THROWS_WITH(d.forward(view(bad), Mode::kInfer, rng),
                    Catch::Contains("dense(units=3)") && Catch::Contains("(2, 5)") && Catch::Contains("(4)"));
  d.forward(view(x1), Mode::kInfer, rng);
  Matrix wrong = Matrix::Ones(3, 3);
  CHECK_THROWS_WITH(d.backward(view(wrong)), Catch::Contains("(3, 3)") && Catch::Contains("(2, 3)"));
  CHECK_THROWS_AS(Dense(65536).output_shape(Shape{65536, 1, 1}), Error);
}

TEST_CASE("dense: without an input gradient, backward returns nothing but the same parameter gradients",
          "[dense]") {
  Rng rng(4);
  Dense a = built_dense(5, Shape{7, 1, 1}, 9), b = built_dense(5, Shape{7, 1, 1}, 9);
  b.set_input_gradient(false);
  Matrix x(3, 7), d_out(3, 5);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform(-1, 1);
  for (Index i = 0; i < d_out.size(); ++i) d_out.data()[i] = rng.uniform(-1, 1);
  a.zero_grad();
  b.zero_grad();
  a.forward(view(x), Mode::kTrain, rng);
  b.forward(view(x), Mode::kTrain, rng);
  CHECK(a.backward(view(d_out)).size() == 3 * 7);
  CHECK(b.backward(view(d_out)).size() == 0);
  const auto pa = a.params(), pb = b.params();
  for (size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].grad_vector() == pb[i].grad_vector());
}
