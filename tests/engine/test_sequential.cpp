// Sequential tests: a whole-model gradient check, shape inference errors, batched predict,
// evaluate's confusion matrix by hand, and the summary table.
#include <catch2/catch.hpp>

#include "engine/error.h"
#include "engine/layers/activations.h"
#include "engine/layers/conv2d.h"
#include "engine/layers/dense.h"
#include "engine/layers/flatten.h"
#include "engine/layers/maxpool2d.h"
#include "engine/sequential.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

// Flattened copy of every parameter (values or gradients) of the model.
Matrix gather(Sequential& model, bool grads) {
  Matrix all(1, model.param_count());
  Index at = 0;
  for (auto& p : model.params()) {
    for (Index i = 0; i < p.size(); ++i) all(0, at++) = grads ? p.grad[i] : p.value[i];
  }
  return all;
}

void scatter(Sequential& model, const Matrix& all) {
  Index at = 0;
  for (auto& p : model.params()) {
    for (Index i = 0; i < p.size(); ++i) p.value[i] = all(0, at++);
  }
}

}  // namespace

TEST_CASE("sequential: whole-model gradient (dense-tanh-dense + softmax CE) matches finite differences",
          "[sequential][gradcheck]") {
  Rng rng(11);
  Sequential model(Shape{4, 1, 1});
  model.add(std::make_unique<Dense>(5, Init::kXavier));
  model.add(std::make_unique<Tanh>());
  model.add(std::make_unique<Dense>(3, Init::kXavier));
  model.build(rng);
  Matrix x = test::random_matrix(6, 4, rng);
  Matrix t = Matrix::Zero(6, 3);
  for (int i = 0; i < 6; ++i) t(i, i % 3) = 1.0f;

  ConstMatrixView out = model.forward(view(x), Mode::kTrain, rng);
  Matrix d_out(6, 3);
  model.loss().gradient(out, view(t), MatrixView(d_out.data(), 6, 3));
  model.zero_grad();
  model.backward(view(d_out));
  Matrix analytic = gather(model, true);
  CHECK(analytic.cwiseAbs().maxCoeff() > 1e-3f);  // a real signal to compare against

  auto loss_at = [&](const Matrix& w) {
    scatter(model, w);
    Rng r(1);
    return double(model.loss().value(model.forward(view(x), Mode::kInfer, r), view(t)));
  };
  auto result = test::check_function_gradient(loss_at, analytic, gather(model, false), 3e-2f);
  INFO(result.worst);
  CHECK(result.max_rel_error < 1e-2);
}

TEST_CASE("sequential: layers that do not fit throw, naming the layer and shapes", "[sequential]") {
  Sequential model(Shape{1, 4, 4});
  model.add(std::make_unique<Conv2D>(2, 3, 1, 0));  // -> (2, 2, 2)
  CHECK(model.output_shape() == Shape{2, 2, 2});
  CHECK_THROWS_WITH(model.add(std::make_unique<MaxPool2D>(3)), Catch::Contains("layer 2 (maxpool2d)"));
  CHECK_THROWS_WITH(model.add(std::make_unique<Conv2D>(4, 5, 1, 0)), Catch::Contains("(2, 2, 2)"));
  CHECK(model.layer_count() == 1);  // failed adds leave the model unchanged
  CHECK_THROWS_WITH(Sequential(Shape{0, 1, 1}), Catch::Contains("(0)"));
  CHECK_THROWS_WITH(Sequential(Shape{64, 1, 1}, "hinge"), Catch::Contains("unknown loss"));

  Rng rng(1);
  CHECK_THROWS_WITH(model.forward(view(Matrix::Zero(2, 16)), Mode::kInfer, rng), Catch::Contains("build"));
  model.add(std::make_unique<Flatten>());
  model.build(rng);
  Matrix wrong = Matrix::Zero(2, 15);
  CHECK_THROWS_WITH(model.forward(view(wrong), Mode::kInfer, rng),
                    Catch::Contains("15 features") && Catch::Contains("expects 16"));
  CHECK_THROWS_AS(model.add(std::make_unique<ReLU>()), Error);  // after build
}

TEST_CASE("sequential: predict in batches equals one forward pass of softmax", "[sequential]") {
  Rng rng(5);
  Sequential model(Shape{8, 1, 1});
  model.add(std::make_unique<Dense>(6, Init::kHe));
  model.add(std::make_unique<ReLU>());
  model.add(std::make_unique<Dense>(4, Init::kXavier));
  model.build(rng);
  Matrix x = test::random_matrix(600, 8, rng);  // > 2 inference batches
  Matrix probs = model.predict(view(x));
  REQUIRE(probs.rows() == 600);
  REQUIRE(probs.cols() == 4);
  Matrix logits = model.forward(view(x), Mode::kInfer, rng);
  Matrix expect(600, 4);
  model.loss().probabilities(view(logits), MatrixView(expect.data(), 600, 4));
  CHECK((probs - expect).cwiseAbs().maxCoeff() == 0.0f);
  for (Index i = 0; i < 600; ++i) CHECK(probs.row(i).sum() == Approx(1.0f));
}

TEST_CASE("sequential: evaluate gives hand-computed accuracy, loss and confusion", "[sequential]") {
  Rng rng(1);
  Sequential model(Shape{2, 1, 1});
  model.add(std::make_unique<Dense>(2, Init::kXavier));
  model.build(rng);
  auto& dense = dynamic_cast<Dense&>(model.layer(0));
  dense.weight() = Matrix::Identity(2, 2);  // logits = x
  dense.bias().setZero();
  Dataset data;
  data.x.resize(4, 2);
  data.x << 1, 0,  // predicted 0, true 0
      0, 1,        // predicted 1, true 1
      1, 0,        // predicted 0, true 1
      0, 1;        // predicted 1, true 1
  data.y = {0, 1, 1, 1};
  Evaluation ev = model.evaluate(data);
  CHECK(ev.accuracy == Approx(0.75f));
  CHECK(ev.predicted == std::vector<int>{0, 1, 0, 1});
  CHECK(ev.confusion == std::vector<std::vector<int>>{{1, 0}, {1, 2}});
  // Right rows: -log(e/(e+1)) = log(1 + e^-1); the wrong row: log(1 + e).
  const double right = std::log(1.0 + std::exp(-1.0)), wrong = std::log(1.0 + std::exp(1.0));
  CHECK(ev.loss == Approx((3 * right + wrong) / 4));
  data.y[2] = 7;
  CHECK_THROWS_WITH(model.evaluate(data), Catch::Contains("label 7"));
}

TEST_CASE("sequential: summary names layers Keras-style and counts parameters", "[sequential]") {
  Sequential model(Shape{64, 1, 1});
  model.add(std::make_unique<Dense>(128, Init::kHe));
  model.add(std::make_unique<ReLU>());
  model.add(std::make_unique<Dense>(10, Init::kXavier));
  auto rows = model.summary_rows();  // before build: planned counts
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].name == "dense_1");
  CHECK(rows[1].name == "relu_1");
  CHECK(rows[2].name == "dense_2");
  CHECK(rows[0].params == 64 * 128 + 128);
  CHECK(rows[2].params == 128 * 10 + 10);
  CHECK(rows[0].output == Shape{128, 1, 1});
  Rng rng(1);
  model.build(rng);
  CHECK(model.param_count() == 9610);
  const std::string text = model.summary();
  CHECK_THAT(text, Catch::Contains("dense_1 (dense)") && Catch::Contains("8,320") &&
                       Catch::Contains("Total params: 9,610"));
}

TEST_CASE("sequential: overwrite_gradients_next gives exactly zero_grad then backward", "[sequential]") {
  // Every layer kind with parameters (conv, dense) and without, so a layer that ignored the
  // request would leave its stale gradients in and fail the exact comparison.
  auto make = [] {
    Sequential m(Shape{1, 6, 6}, "softmax_cross_entropy");
    m.add(std::make_unique<Conv2D>(3, 3, 1, 1));
    m.add(std::make_unique<ReLU>());
    m.add(std::make_unique<MaxPool2D>(2, 2));
    m.add(std::make_unique<Flatten>());
    m.add(std::make_unique<Dense>(5));
    m.add(std::make_unique<Tanh>());
    m.add(std::make_unique<Dense>(3));
    Rng rng(5);
    m.build(rng);
    return m;
  };
  Sequential a = make(), b = make();
  Rng data_rng(9);
  Matrix x(4, 36), d_out(4, 3), other(4, 3);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = data_rng.uniform(-1, 1);
  for (Index i = 0; i < d_out.size(); ++i) d_out.data()[i] = data_rng.uniform(-1, 1);
  for (Index i = 0; i < other.size(); ++i) other.data()[i] = data_rng.uniform(-1, 1);
  Rng ra(1), rb(1);
  // Leave stale, non-zero gradients in b from an unrelated backward.
  b.forward(view(x), Mode::kTrain, rb);
  b.backward(view(other));

  a.zero_grad();
  a.forward(view(x), Mode::kTrain, ra);
  a.backward(view(d_out));
  b.overwrite_gradients_next();
  b.forward(view(x), Mode::kTrain, rb);
  b.backward(view(d_out));
  const Matrix ga = gather(a, true), gb = gather(b, true);
  CHECK(ga.cwiseAbs().maxCoeff() > 0.0f);
  CHECK(ga == gb);

  // The request lasts one backward: the next one adds again (Eigen may sum in another
  // order when it accumulates, hence a tolerance here).
  b.backward(view(d_out));
  CHECK((gather(b, true) - 2.0f * ga).cwiseAbs().maxCoeff() <= 1e-5f);
}
