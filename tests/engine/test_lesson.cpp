// The lesson widgets' engine computations: one neuron's gradients equal central finite
// differences of its own forward (through the loss L = upstream * a), activation curves
// match the functions and their derivatives, loss curves match the Loss classes, and the
// layers applied to a digit give hand-computed outputs. Bad arguments are clear errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/error.h"
#include "engine/lesson.h"

using namespace nn;

namespace {

// L(w, b, x) = upstream * a(w . x + b), computed by the engine (double differences in float).
double neuron_loss(const std::vector<float>& x, const std::vector<float>& w, float b, const std::string& act, float upstream) {
  return static_cast<double>(upstream) * neuron_step(x, w, b, act, upstream).activation;
}

}  // namespace

TEST_CASE("lesson: a neuron's forward is w.x + b through its activation", "[lesson]") {
  const NeuronStep s = neuron_step({1.0f, 2.0f, -1.0f}, {0.5f, -0.25f, 2.0f}, 0.5f, "linear", 1.0f);
  CHECK(s.weighted_sum == Approx(0.5 - 0.5 - 2.0 + 0.5));
  CHECK(s.activation == Approx(-1.5));
  const NeuronStep r = neuron_step({1.0f, 2.0f, -1.0f}, {0.5f, -0.25f, 2.0f}, 0.5f, "relu", 1.0f);
  CHECK(r.activation == 0.0f);
  CHECK(r.bias_grad == 0.0f);  // a dead ReLU passes no gradient
  const NeuronStep g = neuron_step({1.0f}, {1.0f}, 0.0f, "sigmoid", 2.0f);
  CHECK(g.activation == Approx(1.0 / (1.0 + std::exp(-1.0))));
  CHECK(g.bias_grad == Approx(2.0 * g.activation * (1.0 - g.activation)));
}

TEST_CASE("lesson: a neuron's gradients equal finite differences", "[lesson]") {
  const std::vector<float> x = {0.3f, -1.2f, 0.8f, 2.0f, -0.4f};
  const std::vector<float> w = {0.7f, 0.1f, -0.5f, 0.25f, 0.9f};
  const float b = 0.15f, upstream = -1.7f, h = 1e-2f;
  for (const std::string act : {"linear", "relu", "leaky_relu", "sigmoid", "tanh"}) {
    const NeuronStep s = neuron_step(x, w, b, act, upstream);
    REQUIRE(s.weight_grad.size() == x.size());
    REQUIRE(s.input_grad.size() == x.size());
    for (size_t i = 0; i < x.size(); ++i) {
      auto wp = w, wm = w, xp = x, xm = x;
      wp[i] += h; wm[i] -= h; xp[i] += h; xm[i] -= h;
      const double dw = (neuron_loss(x, wp, b, act, upstream) - neuron_loss(x, wm, b, act, upstream)) / (2 * h);
      const double dx = (neuron_loss(xp, w, b, act, upstream) - neuron_loss(xm, w, b, act, upstream)) / (2 * h);
      CHECK(s.weight_grad[i] == Approx(dw).epsilon(2e-3).margin(1e-4));
      CHECK(s.input_grad[i] == Approx(dx).epsilon(2e-3).margin(1e-4));
    }
    const double db = (neuron_loss(x, w, b + h, act, upstream) - neuron_loss(x, w, b - h, act, upstream)) / (2 * h);
    CHECK(s.bias_grad == Approx(db).epsilon(2e-3).margin(1e-4));
  }
}

TEST_CASE("lesson: activation curves are the functions and their derivatives", "[lesson]") {
  const ActivationCurve relu = activation_curve("relu", -2.0f, 2.0f, 5);
  CHECK(relu.x == std::vector<float>{-2, -1, 0, 1, 2});
  CHECK(relu.value == std::vector<float>{0, 0, 0, 1, 2});
  CHECK(relu.derivative[0] == 0.0f);
  CHECK(relu.derivative[4] == 1.0f);
  const ActivationCurve tanh = activation_curve("tanh", -3.0f, 3.0f, 7);
  for (size_t i = 0; i < tanh.x.size(); ++i) {
    CHECK(tanh.value[i] == Approx(std::tanh(tanh.x[i])));
    CHECK(tanh.derivative[i] == Approx(1.0 - std::pow(std::tanh(tanh.x[i]), 2)).margin(1e-6));
  }
  const ActivationCurve sig = activation_curve("sigmoid", -10.0f, 10.0f, 3);
  CHECK(sig.value[1] == Approx(0.5));
  CHECK(sig.derivative[1] == Approx(0.25));
  CHECK(sig.derivative[0] < 1e-4f);  // saturated
  CHECK_THROWS_WITH(activation_curve("swish", 0, 1, 3), Catch::Contains("unknown activation"));
  CHECK_THROWS_WITH(activation_curve("relu", 1, 0, 3), Catch::Contains("from < to"));
  CHECK_THROWS_WITH(activation_curve("relu", 0, 1, 1), Catch::Contains("2..2001"));
}

TEST_CASE("lesson: loss curves match cross-entropy and MSE by hand", "[lesson]") {
  const std::vector<float> p = {0.1f, 0.5f, 0.9f};
  const LossCurve ce = loss_curve("softmax_cross_entropy", 10, 3, p);
  for (size_t i = 0; i < p.size(); ++i) {
    CHECK(ce.value[i] == Approx(-std::log(p[i])).epsilon(1e-5));
    CHECK(ce.gradient[i] == Approx(p[i] - 1.0f).epsilon(1e-4));  // p - y
  }
  const LossCurve mse = loss_curve("mse", 10, 3, p);
  for (size_t i = 0; i < p.size(); ++i) {
    const double other = (1.0 - p[i]) / 9.0;
    CHECK(mse.value[i] == Approx((1.0 - p[i]) * (1.0 - p[i]) + 9.0 * other * other).epsilon(1e-5));
    CHECK(mse.gradient[i] == Approx(2.0 * (p[i] - 1.0)).epsilon(1e-4));
  }
  CHECK_THROWS_WITH(loss_curve("softmax_cross_entropy", 10, 10, p), Catch::Contains("true class"));
  CHECK_THROWS_WITH(loss_curve("mse", 10, 0, {1.0f}), Catch::Contains("strictly between"));
  CHECK_THROWS(loss_curve("hinge", 10, 0, p));
}

TEST_CASE("lesson: dense, conv2d and max-pool applied to a digit", "[lesson]") {
  std::vector<float> digit(64);
  for (int i = 0; i < 64; ++i) digit[i] = static_cast<float>(i);
  const LayerOnDigit pool = layer_on_digit(R"({"type": "maxpool2d", "size": 2})", digit, {}, {}, 1);
  CHECK(pool.output_shape == Shape{1, 4, 4});
  CHECK(pool.output[0] == 9.0f);    // max of 0, 1, 8, 9
  CHECK(pool.output[15] == 63.0f);
  // A 3x3 kernel with a single 1 in the middle copies the image.
  std::vector<float> identity(9, 0.0f);
  identity[4] = 1.0f;
  const LayerOnDigit conv = layer_on_digit(R"({"type": "conv2d", "filters": 1, "kernel": 3, "padding": 1})", digit, identity, {0.5f}, 1);
  CHECK(conv.output_shape == Shape{1, 8, 8});
  for (int i = 0; i < 64; ++i) CHECK(conv.output[i] == Approx(digit[i] + 0.5f));
  std::vector<float> w(2 * 64, 0.0f);
  w[0] = 1.0f;      // unit 0 reads pixel 0
  w[64 + 63] = 2.0f;  // unit 1 reads pixel 63
  const LayerOnDigit dense = layer_on_digit(R"({"type": "dense", "units": 2})", digit, w, {0.0f, 1.0f}, 1);
  CHECK(dense.output == std::vector<float>{0.0f, 127.0f});
  CHECK_THROWS_WITH(layer_on_digit(R"({"type": "relu"})", digit, {}, {}, 1), Catch::Contains("dense, conv2d or maxpool2d"));
  CHECK_THROWS_WITH(layer_on_digit("{", digit, {}, {}, 1), Catch::Contains("not valid JSON"));
  CHECK_THROWS_WITH(layer_on_digit(R"({"type": "dense", "units": 2})", digit, {1.0f}, {}, 1), Catch::Contains("needs 128 values"));
  CHECK_THROWS_WITH(layer_on_digit(R"({"type": "dense", "units": 2})", std::vector<float>(3), {}, {}, 1), Catch::Contains("64 values"));
}

TEST_CASE("lesson: a neuron refuses mismatched or non-finite arguments", "[lesson]") {
  CHECK_THROWS_WITH(neuron_step({1.0f, 2.0f}, {1.0f}, 0.0f, "relu", 1.0f), Catch::Contains("as many weights"));
  CHECK_THROWS_WITH(neuron_step({}, {}, 0.0f, "relu", 1.0f), Catch::Contains("inputs"));
  CHECK_THROWS_WITH(neuron_step({NAN}, {1.0f}, 0.0f, "relu", 1.0f), Catch::Contains("finite"));
  CHECK_THROWS_WITH(neuron_step({1.0f}, {1.0f}, 0.0f, "softmax", 1.0f), Catch::Contains("unknown activation"));
}

TEST_CASE("lesson: pre-activations counted: histogram, dead units, saturated values", "[lesson]") {
  // 2 digits x 3 units. Unit 0 is never above 0 and unit 2 only reaches 0 exactly: both dead.
  const std::vector<float> values = {-1.0f, 5.0f, 0.0f, -2.0f, 0.5f, -4.5f};
  const PreactivationSummary s = summarize_preactivations(values, 3);
  CHECK(s.dead == 2);
  CHECK(s.saturated == 2);  // 5 and -4.5
  CHECK(s.saturated_share == Approx(2.0 / 6.0));
  REQUIRE(s.counts.size() == 48);
  std::vector<int> expected(48, 0);
  for (int bin : {20, 44, 24, 16, 26, 6}) expected[bin] += 1;  // floor((z + 6) * 4)
  CHECK(s.counts == expected);
  // Values beyond the range land in the end bins; exactly 4 is not saturated.
  const PreactivationSummary wide = summarize_preactivations({1e30f, -100.0f, 4.0f, -4.0f}, 2);
  CHECK(wide.counts[0] == 1);
  CHECK(wide.counts[47] == 1);
  CHECK(wide.counts[40] == 1);
  CHECK(wide.counts[8] == 1);
  CHECK(wide.saturated == 2);
  CHECK(wide.dead == 1);  // unit 1: -100, then -4
  CHECK_THROWS_WITH(summarize_preactivations({1.0f, 2.0f, 3.0f}, 2), Catch::Contains("whole number of rows"));
  CHECK_THROWS_WITH(summarize_preactivations({1.0f, NAN}, 2), Catch::Contains("value 1 is not a finite number"));
  CHECK_THROWS_WITH(summarize_preactivations({}, 2), Catch::Contains("whole number of rows"));
  CHECK_THROWS_WITH(summarize_preactivations({1.0f}, 0), Catch::Contains("units"));
}
