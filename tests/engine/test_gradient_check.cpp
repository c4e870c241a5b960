// The engine's gradient check (the page's): the finite difference agrees with backward for
// every parameter of every layer type, dropout included; it can fail (a wrong analytic
// gradient is caught); it leaves the weights as they were; bad choices are refused; and a
// diverging run names the layer whose gradients blew up and suggests a smaller rate.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/gradient_check.h"
#include "engine/trainer.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

const char* kEveryLayer = R"({"input": [1, 8, 8], "loss": "softmax_cross_entropy", "layers": [
  {"type": "conv2d", "filters": 3, "kernel": 3, "padding": 1}, {"type": "relu"},
  {"type": "conv2d", "filters": 2, "kernel": 3, "stride": 2}, {"type": "leaky_relu"},
  {"type": "maxpool2d", "size": 2}, {"type": "flatten"}, {"type": "dropout", "rate": 0.3},
  {"type": "dense", "units": 6}, {"type": "sigmoid"}, {"type": "dense", "units": 5}, {"type": "softmax"},
  {"type": "dense", "units": 5}, {"type": "tanh"}, {"type": "dense", "units": 10}]})";

struct Batch {
  Matrix x, targets;
};

Batch batch(Rng& rng, Index n = 16) {
  Batch b{test::random_matrix(n, 64, rng, 0.0f, 1.0f), Matrix::Zero(n, 10)};
  for (Index i = 0; i < n; ++i) b.targets(i, i % 10) = 1.0f;
  return b;
}

}  // namespace

TEST_CASE("gradient check: finite differences agree with backward on every layer type", "[gradient_check]") {
  Sequential model = parse_architecture(kEveryLayer);
  Rng rng(21);
  model.build(rng);
  const Batch b = batch(rng);
  int checked = 0;
  for (size_t layer = 0; layer < model.layer_count(); ++layer) {
    for (const Param& p : model.layer(layer).params()) {
      // The largest-gradient element, and a few others whose gradient is not ~0.
      for (Index element : {Index(-1), Index(0), p.size() / 2, p.size() - 1}) {
        const GradientCheck c = gradient_check(model, view(b.x), view(b.targets), layer, p.name, element);
        // Below ~1e-3 the float rounding of two nearby losses (~1e-8) is a percent of their
        // difference (2 eps g): such elements say nothing about backward.
        if (element >= 0 && std::abs(c.analytic) < 1e-3) continue;
        INFO(c.layer_name << " " << c.param << "[" << c.element << "] analytic " << c.analytic << " numeric "
                          << c.numeric);
        CHECK(c.relative_error < 1e-2);
        CHECK_THAT(c.reading, Catch::StartsWith("agree to"));
        ++checked;
      }
    }
  }
  CHECK(checked >= 12);
}

TEST_CASE("gradient check: reports the numbers it used and leaves the weights unchanged", "[gradient_check]") {
  Sequential model = parse_architecture(kEveryLayer);
  Rng rng(22);
  model.build(rng);
  const Batch b = batch(rng);
  Param w = model.layer(0).params()[0];
  const Eigen::VectorXf before = w.value_vector();
  const GradientCheck c = gradient_check(model, view(b.x), view(b.targets), 0, "weight", 4);
  CHECK(Eigen::VectorXf(w.value_vector()) == before);
  CHECK(c.layer_name == "conv2d_1");
  CHECK(c.rows == 3);
  CHECK(c.cols == 9);
  CHECK(c.value == before[4]);
  CHECK(c.eps == 1e-3f);
  CHECK(c.analytic == double(w.grad[4]));
  const double step = double(before[4] + 1e-3f) - double(before[4] - 1e-3f);
  CHECK(c.numeric == Approx((c.loss_plus - c.loss_minus) / step).epsilon(1e-12));
  CHECK(c.relative_error == Approx(std::abs(c.analytic - c.numeric) / std::max(std::abs(c.analytic), std::abs(c.numeric))));
}

TEST_CASE("gradient check: a wrong analytic gradient is caught", "[gradient_check]") {
  CHECK_THAT(read_gradient_check(0.5, 0.25, 0.5), Catch::StartsWith("disagree: relative error 0.5"));
  CHECK(read_gradient_check(1e-2, 1.0003e-2, 3e-4) == "agree to 3e-04");
  CHECK_THAT(read_gradient_check(0, 0, 0), Catch::StartsWith("both are 0"));
}

TEST_CASE("gradient check: refuses a layer without parameters, a missing param, an element out of range",
          "[gradient_check]") {
  Sequential model = parse_architecture(kEveryLayer);
  Rng rng(23);
  model.build(rng);
  const Batch b = batch(rng, 2);
  CHECK_THROWS_WITH(gradient_check(model, view(b.x), view(b.targets), 1, "weight"), Catch::Contains("relu_1 has no parameter"));
  CHECK_THROWS_WITH(gradient_check(model, view(b.x), view(b.targets), 0, "kernel"), Catch::Contains("no parameter \"kernel\""));
  CHECK_THROWS_WITH(gradient_check(model, view(b.x), view(b.targets), 0, "bias", 3), Catch::Contains("has 3 elements (0..2), not 3"));
  CHECK_THROWS_WITH(gradient_check(model, view(b.x), view(b.targets), 99, "weight"), Catch::Contains("out of range"));
}

TEST_CASE("divergence: names the layer whose gradients blew up first or grew the most, by how much, and a smaller rate",
          "[gradient_check][trainer]") {
  Rng rng(1);
  Dataset data;
  data.x = test::random_matrix(64, 64, rng, 0.0f, 1.0f);
  for (Index i = 0; i < 64; ++i) data.y.push_back(int(i % 10));
  const auto run = [&](float rate) {
    TrainConfig c;
    c.epochs = 50;
    c.batch_size = 16;
    c.optimizer.type = OptimizerType::kSgd;
    c.optimizer.learning_rate = rate;
    Trainer t(parse_architecture(R"({"input": 64, "loss": "mse", "layers": [
        {"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 10}]})"), data, Dataset{}, c);
    const Progress p = t.run(100000);
    for (auto& param : t.model().params()) CHECK(param.value_vector().allFinite());
    CHECK_THROWS_WITH(t.step(), Catch::Contains("this run diverged"));
    return p;
  };
  // At rate 2 the loss explodes on the third batch, after the gradients grew.
  const Progress p = run(2.0f);
  REQUIRE(p.diverged);
  CHECK((p.diverged_layer == "dense_1" || p.diverged_layer == "dense_2"));
  CHECK(p.diverged_norm > 0);
  CHECK_THAT(p.message, Catch::Contains("The gradients of " + p.diverged_layer + " blew up first") ||
                           Catch::Contains("the largest growth was " + p.diverged_layer + "'s"));
  CHECK_THAT(p.message, Catch::Contains("times its running average"));
  CHECK(p.suggested_learning_rate == Approx(0.2f));
  CHECK_THAT(p.message, Catch::Contains("lower learning rate (it is 2), e.g. 0.2."));
  // The same as data: a page builds the sentence in its own language from these.
  CHECK(p.diverged_cause == "loss_exploded");
  CHECK(p.diverged_loss > 1000 * std::max(1.0, p.diverged_reference_loss));
  CHECK_THAT(p.message, Catch::Contains("the loss exploded to "));
  CHECK(p.diverged_ratio >= 1.5);
  if (p.message.find("blew up first") != std::string::npos) {
    CHECK(p.diverged_blew_up_epoch >= 1);
    CHECK(p.diverged_blew_up_batch >= 1);
  } else {
    CHECK(p.diverged_blew_up_epoch == 0);
  }
  // At rate 10 it explodes on the second batch: one batch of gradients grew from nothing, so
  // no growth is claimed (it used to say "1 times its running average").
  const Progress fast = run(10.0f);
  REQUIRE(fast.diverged);
  CHECK_THAT(fast.message, Catch::Contains("No layer's gradients had blown up or grown before; the largest were " +
                                           fast.diverged_layer + "'s: norm "));
  CHECK_THAT(fast.message, !Catch::Contains("times its running average"));
  CHECK(fast.diverged_ratio == 0);
  CHECK(fast.diverged_blew_up_epoch == 0);
}
