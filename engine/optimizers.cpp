// SGD, momentum/Nesterov (PyTorch convention) and Adam. State vectors are created lazily per
// parameter slot on the first step and reused afterwards, so steps allocate nothing.
// Regularization gradients are added to the params' gradients before every update.
#include "engine/optimizers.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/error.h"
#include "engine/regularizers.h"
#include "engine/settings.h"

namespace nn {

namespace {

std::string show(float v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void require(bool ok, const std::string& field, float value, const std::string& rule) {
  if (!ok) throw Error("optimizer " + field + " " + show(value) + " is invalid: " + rule);
}

// Grows the per-slot state list to cover `slot`, sizing a new slot's vector to the param.
void ensure_slot(std::vector<Eigen::VectorXf>& state, size_t slot, Index size) {
  if (state.size() <= slot) state.resize(slot + 1);
  if (state[slot].size() != size) state[slot] = Eigen::VectorXf::Zero(size);
}

}  // namespace

void OptimizerConfig::validate() const {
  setting_field("optimizer").check(double(type));
  setting_field("learning_rate").check(learning_rate);
  setting_field("momentum").check(momentum);
  require(std::isfinite(beta1) && beta1 >= 0.0f && beta1 < 1.0f, "beta1", beta1, "it must be in [0, 1)");
  require(std::isfinite(beta2) && beta2 >= 0.0f && beta2 < 1.0f, "beta2", beta2, "it must be in [0, 1)");
  require(std::isfinite(epsilon) && epsilon > 0.0f, "epsilon", epsilon, "it must be a finite number > 0");
  setting_field("l1").check(l1);
  setting_field("l2").check(l2);
}

Optimizer::Optimizer(const OptimizerConfig& config) : config_(config) {}

void Optimizer::step(const std::vector<Param>& params) {
  ++step_count_;
  apply_regularization(params, config_.l1, config_.l2);
  for (size_t slot = 0; slot < params.size(); ++slot) update(slot, params[slot]);
}

void Sgd::update(size_t, const Param& p) { p.value_vector() -= config_.learning_rate * p.grad_vector(); }

Momentum::Momentum(const OptimizerConfig& config, bool nesterov) : Optimizer(config), nesterov_(nesterov) {}

// v = mu v + g (v starts at g on the first step, as in PyTorch, since v starts at 0).
void Momentum::update(size_t slot, const Param& p) {
  ensure_slot(velocity_, slot, p.size());
  auto& v = velocity_[slot];
  const auto g = p.grad_vector();
  v = config_.momentum * v + g;
  if (nesterov_) {
    p.value_vector() -= config_.learning_rate * (g + config_.momentum * v);
  } else {
    p.value_vector() -= config_.learning_rate * v;
  }
}

// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
// The bias corrections are computed once per step, not per parameter. One fused pass loads
// each of m, v, g and w once; the compiler vectorises it (sqrt sets no errno: -fno-math-errno
// natively, never in wasm) with an exact sqrt and divide.
void Adam::update(size_t slot, const Param& p) {
  ensure_slot(adam_m_, slot, p.size());
  ensure_slot(adam_v_, slot, p.size());
  if (corrections_step_ != step_count_) {
    const double t = static_cast<double>(step_count_);
    const float correction1 = static_cast<float>(1.0 - std::pow(double(config_.beta1), t));
    const float correction2 = static_cast<float>(1.0 - std::pow(double(config_.beta2), t));
    step_size_ = config_.learning_rate / correction1;
    inv_c2_ = 1.0f / correction2;
    corrections_step_ = step_count_;
  }
  float* m = adam_m_[slot].data();
  float* v = adam_v_[slot].data();
  float* w = p.value;
  const float* g = p.grad;
  const float b1 = config_.beta1, b2 = config_.beta2, eps = config_.epsilon;
  const float step = step_size_, inv_c2 = inv_c2_;
  const Index n = p.size();
  for (Index i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = b1 * m[i] + (1.0f - b1) * gi;
    const float vi = b2 * v[i] + (1.0f - b2) * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    w[i] -= step * mi / (std::sqrt(vi * inv_c2) + eps);
  }
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config) {
  config.validate();
  switch (config.type) {
    case OptimizerType::kSgd: return std::make_unique<Sgd>(config);
    case OptimizerType::kMomentum: return std::make_unique<Momentum>(config, false);
    case OptimizerType::kNesterov: return std::make_unique<Momentum>(config, true);
    case OptimizerType::kAdam: break;
  }
  return std::make_unique<Adam>(config);
}

}  // namespace nn
