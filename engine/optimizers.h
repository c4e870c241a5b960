// Optimizers update parameters from their gradients. Each keeps its state per parameter
// slot (the position in the params() list), created lazily on the first step.
// L2 (as weight decay: grad += l2 * w) and L1 (grad += l1 * sign(w)) are options of every
// optimizer and touch only regularized params (weights, not biases).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/layer.h"

namespace nn {

// Parsed from its name once, at the boundary (settings.h: parse_optimizer, name_of).
enum class OptimizerType { kSgd, kMomentum, kNesterov, kAdam };
// "adam" -> kAdam; throws nn::Error 'optimizer "x" is unknown: expected sgd, ...' (settings.cpp).
OptimizerType parse_optimizer(const std::string& text);
const std::string& name_of(OptimizerType type);

struct OptimizerConfig {
  OptimizerType type = OptimizerType::kAdam;
  float learning_rate = 1e-3f;
  float momentum = 0.9f;      // momentum, nesterov
  float beta1 = 0.9f;         // adam
  float beta2 = 0.999f;       // adam
  float epsilon = 1e-8f;      // adam
  float l1 = 0.0f;
  float l2 = 0.0f;

  // Throws nn::Error naming the field for NaN, negative or absurd values (the limits of
  // learning_rate, momentum, l1 and l2 are the settings schema's, engine/settings.h).
  void validate() const;
};

// A copy of one kind of optimizer state, one vector per parameter slot: "velocity"
// (momentum, nesterov) or "m" and "v" (adam). Slots not stepped yet are empty.
struct OptimizerState {
  std::string name;
  std::vector<Eigen::VectorXf> slots;
};

class Optimizer {
 public:
  explicit Optimizer(const OptimizerConfig& config);
  virtual ~Optimizer() = default;
  // Adds the regularization gradients, then updates every param in place.
  void step(const std::vector<Param>& params);
  const OptimizerConfig& config() const { return config_; }
  // For a schedule: the rate of the following steps (already validated by the caller).
  void set_learning_rate(float lr) { config_.learning_rate = lr; }
  // Steps taken so far (the next step is number steps() + 1: Adam's t).
  long steps() const { return step_count_; }
  // Read-only copies of the state (for the step-through of one update); none for SGD.
  virtual std::vector<OptimizerState> state() const { return {}; }

 protected:
  virtual void update(size_t slot, const Param& p) = 0;
  OptimizerConfig config_;
  long step_count_ = 0;  // steps taken, counting the current one (1 on the first)
};

// Plain SGD: w -= lr * g.
class Sgd : public Optimizer {
 public:
  using Optimizer::Optimizer;
 protected:
  void update(size_t slot, const Param& p) override;
};

// Momentum (PyTorch convention): v = mu v + g; w -= lr v. Nesterov: w -= lr (g + mu v).
// https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
class Momentum : public Optimizer {
 public:
  Momentum(const OptimizerConfig& config, bool nesterov);
  std::vector<OptimizerState> state() const override { return {{"velocity", velocity_}}; }
 protected:
  void update(size_t slot, const Param& p) override;
 private:
  bool nesterov_;
  std::vector<Eigen::VectorXf> velocity_;
};

// Adam with bias correction, Kingma & Ba 2014, https://arxiv.org/abs/1412.6980
class Adam : public Optimizer {
 public:
  using Optimizer::Optimizer;
  std::vector<OptimizerState> state() const override { return {{"m", adam_m_}, {"v", adam_v_}}; }
 protected:
  void update(size_t slot, const Param& p) override;
 private:
  std::vector<Eigen::VectorXf> adam_m_, adam_v_;
  long corrections_step_ = 0;  // the step step_size_ and inv_c2_ were computed for
  float step_size_ = 0.0f;     // lr / (1 - b1^t)
  float inv_c2_ = 0.0f;        // 1 / (1 - b2^t)
};

// Validates the config and makes the optimizer it names.
std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config);

}  // namespace nn
