// Optimizer tests: one (or two) hand-computed steps of SGD, momentum, Nesterov and Adam,
// L1/L2 through the optimizer on weights only, and config validation messages.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>

#include "engine/error.h"
#include "engine/optimizers.h"

using namespace nn;

namespace {

// A weight (1, 2) = (1, -2), regularized, and a bias (1) = 0.5, not regularized.
struct Fixture {
  float w[2] = {1.0f, -2.0f}, wg[2] = {0.5f, -1.0f};
  float b[1] = {0.5f}, bg[1] = {0.2f};
  std::vector<Param> params() { return {{"weight", w, wg, 1, 2, true}, {"bias", b, bg, 1, 1, false}}; }
  void set_grads(float g0, float g1, float gb) {
    wg[0] = g0;
    wg[1] = g1;
    bg[0] = gb;
  }
};

OptimizerConfig config(const std::string& type, float lr) {
  OptimizerConfig c;
  c.type = parse_optimizer(type);
  c.learning_rate = lr;
  return c;
}

}  // namespace

TEST_CASE("sgd: one step matches hand-computed values", "[optimizers]") {
  Fixture f;
  auto opt = make_optimizer(config("sgd", 0.1f));
  opt->step(f.params());
  // w - 0.1 g: 1 - 0.05 = 0.95, -2 + 0.1 = -1.9; bias 0.5 - 0.02 = 0.48.
  CHECK(f.w[0] == Approx(0.95f));
  CHECK(f.w[1] == Approx(-1.9f));
  CHECK(f.b[0] == Approx(0.48f));
}

TEST_CASE("momentum: two steps match hand-computed values (PyTorch convention)", "[optimizers]") {
  Fixture f;
  auto opt = make_optimizer(config("momentum", 0.1f));  // mu = 0.9
  opt->step(f.params());
  // v = g: w = 1 - 0.1 * 0.5 = 0.95, -2 + 0.1 = -1.9.
  CHECK(f.w[0] == Approx(0.95f));
  CHECK(f.w[1] == Approx(-1.9f));
  f.set_grads(0.5f, -1.0f, 0.2f);
  opt->step(f.params());
  // v = 0.9 * 0.5 + 0.5 = 0.95 -> 0.95 - 0.095 = 0.855; v = -1.9 -> -1.9 + 0.19 = -1.71.
  CHECK(f.w[0] == Approx(0.855f));
  CHECK(f.w[1] == Approx(-1.71f));
  // bias: v = 0.2 then 0.38: 0.5 - 0.02 - 0.038 = 0.442.
  CHECK(f.b[0] == Approx(0.442f));
}

TEST_CASE("nesterov: two steps match hand-computed values", "[optimizers]") {
  Fixture f;
  auto opt = make_optimizer(config("nesterov", 0.1f));
  opt->step(f.params());
  // v = g; w -= lr (g + mu v) = 0.1 * (0.5 + 0.45) = 0.095 -> 0.905; -2 + 0.19 = -1.81.
  CHECK(f.w[0] == Approx(0.905f));
  CHECK(f.w[1] == Approx(-1.81f));
  f.set_grads(0.5f, -1.0f, 0.2f);
  opt->step(f.params());
  // v = 0.95; g + mu v = 0.5 + 0.855 = 1.355 -> 0.905 - 0.1355 = 0.7695.
  CHECK(f.w[0] == Approx(0.7695f));
}

TEST_CASE("adam: two steps with bias correction match hand-computed values", "[optimizers]") {
  Fixture f;
  auto opt = make_optimizer(config("adam", 0.1f));  // b1 0.9, b2 0.999, eps 1e-8
  opt->step(f.params());
  // Step 1: m_hat = g, v_hat = g^2, so w -= lr * sign(g): 0.9, -1.9; bias 0.4.
  CHECK(f.w[0] == Approx(0.9f).epsilon(1e-6));
  CHECK(f.w[1] == Approx(-1.9f).epsilon(1e-6));
  CHECK(f.b[0] == Approx(0.4f).epsilon(1e-6));
  f.set_grads(0.25f, -1.0f, 0.2f);
  opt->step(f.params());
  // w[0], g = 0.25: m = 0.9 * 0.05 + 0.1 * 0.25 = 0.07, m_hat = 0.07 / 0.19 = 0.368421;
  // v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225, v_hat = v / 0.001999 = 0.156203;
  // w = 0.9 - 0.1 * 0.368421 / sqrt(0.156203) = 0.9 - 0.093218 = 0.806782.
  CHECK(f.w[0] == Approx(0.806782f).epsilon(1e-5));
  // w[1], g = -1 both times: m_hat = -1, v_hat = 1 -> -1.9 + 0.1 = -1.8.
  CHECK(f.w[1] == Approx(-1.8f).epsilon(1e-5));
}

TEST_CASE("optimizers: L2 and L1 act on weights only", "[optimizers][regularizers]") {
  SECTION("l2") {
    Fixture f;
    OptimizerConfig c = config("sgd", 0.1f);
    c.l2 = 0.5f;
    make_optimizer(c)->step(f.params());
    // g + 0.5 w = (1, -2) -> w = (0.9, -1.8); bias uses its plain gradient: 0.48.
    CHECK(f.w[0] == Approx(0.9f));
    CHECK(f.w[1] == Approx(-1.8f));
    CHECK(f.b[0] == Approx(0.48f));
  }
  SECTION("l1") {
    Fixture f;
    OptimizerConfig c = config("sgd", 0.1f);
    c.l1 = 0.5f;
    make_optimizer(c)->step(f.params());
    // g + 0.5 sign(w) = (1, -1.5) -> w = (0.9, -1.85); bias 0.48.
    CHECK(f.w[0] == Approx(0.9f));
    CHECK(f.w[1] == Approx(-1.85f));
    CHECK(f.b[0] == Approx(0.48f));
  }
  SECTION("l2 with adam changes the weight step but not the bias step") {
    Fixture f;
    OptimizerConfig c = config("adam", 0.1f);
    c.l2 = 4.0f;
    f.set_grads(0.5f, 1.0f, 0.2f);
    make_optimizer(c)->step(f.params());
    // First Adam step moves by lr * sign(g + l2 w): g + 4w = (4.5, -7) -> (0.9, -1.9).
    CHECK(f.w[0] == Approx(0.9f).epsilon(1e-6));
    CHECK(f.w[1] == Approx(-1.9f).epsilon(1e-6));
    CHECK(f.b[0] == Approx(0.4f).epsilon(1e-6));
  }
}

TEST_CASE("optimizers: validate rejects bad values naming the field", "[optimizers]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  struct Case {
    std::function<void(OptimizerConfig&)> edit;
    std::string fragment;
  };
  std::vector<Case> cases = {
      {[](OptimizerConfig& c) { c.type = static_cast<OptimizerType>(7); },
       "optimizer 7 is invalid: it must be one of sgd, momentum, nesterov or adam"},
      {[&](OptimizerConfig& c) { c.learning_rate = nan; }, "learning_rate nan"},
      {[&](OptimizerConfig& c) { c.learning_rate = inf; }, "learning_rate inf"},
      {[](OptimizerConfig& c) { c.learning_rate = -0.1f; }, "learning_rate -0.1"},
      {[](OptimizerConfig& c) { c.learning_rate = 0.0f; }, "learning_rate 0 "},
      {[](OptimizerConfig& c) { c.learning_rate = 11.0f; }, "learning_rate 11 is invalid: it must be at most 10"},
      {[](OptimizerConfig& c) { c.momentum = 1.0f; }, "momentum 1 "},
      {[](OptimizerConfig& c) { c.momentum = -0.5f; }, "momentum -0.5"},
      {[](OptimizerConfig& c) { c.beta1 = 1.0f; }, "beta1 1 "},
      {[](OptimizerConfig& c) { c.beta2 = 1.5f; }, "beta2 1.5"},
      {[](OptimizerConfig& c) { c.epsilon = 0.0f; }, "epsilon 0 "},
      {[](OptimizerConfig& c) { c.l1 = -1.0f; }, "l1 -1"},
      {[&](OptimizerConfig& c) { c.l2 = nan; }, "l2 nan"},
  };
  for (const auto& k : cases) {
    OptimizerConfig c;
    k.edit(c);
    INFO(k.fragment);
    CHECK_THROWS_WITH(c.validate(), Catch::Contains(k.fragment));
    CHECK_THROWS_AS(make_optimizer(c), Error);
  }
  // A name is parsed once, at the boundary.
  CHECK_THROWS_WITH(parse_optimizer("rmsprop"),
                    Catch::Contains("optimizer \"rmsprop\" is unknown: expected sgd, momentum, nesterov or adam"));
  CHECK(parse_optimizer("nesterov") == OptimizerType::kNesterov);
  OptimizerConfig good;
  CHECK_NOTHROW(good.validate());
  good.learning_rate = 10.0f;
  good.momentum = 0.0f;
  CHECK_NOTHROW(good.validate());
}
