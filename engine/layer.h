// The interface every layer implements. A layer is built for one input shape, then maps a
// (N, F_in) batch to a (N, F_out) batch. forward keeps what backward needs; backward takes
// dLoss/dOutput, ADDS into the parameter gradients (zero_grad clears them, or
// overwrite_gradients_next makes the next backward write them) and returns
// dLoss/dInput. Optimizers, regularizers, the model file and the gradient checker all see
// parameters only through params().
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/rng.h"
#include "engine/tensor.h"

namespace nn {

// One trainable tensor and its gradient, both contiguous, row-major, same size.
struct Param {
  std::string name;   // "weight", "bias"
  float* value;       // rows * cols floats
  float* grad;        // rows * cols floats
  Index rows;
  Index cols;
  bool regularized;   // L1/L2 apply to weights, not to biases

  Index size() const { return rows * cols; }
  Eigen::Map<Eigen::VectorXf> value_vector() const { return {value, size()}; }
  Eigen::Map<Eigen::VectorXf> grad_vector() const { return {grad, size()}; }
};

enum class Mode { kTrain, kInfer };

class Layer {
 public:
  virtual ~Layer() = default;

  // The key in architecture descriptions and model files: "dense", "conv2d", "relu", ...
  virtual std::string type_name() const = 0;

  // The layer's own settings as a JSON object ({"type": ..., ...}); parse_layer() reads it
  // back, so to_json and parsing round-trip exactly.
  virtual nlohmann::json to_json() const = 0;

  // The output shape for a given input shape; throws nn::Error naming the layer and the
  // shape when the input does not fit (e.g. a kernel larger than the padded image).
  virtual Shape output_shape(const Shape& input) const = 0;

  // Fixes the input shape, allocates parameters and initialises them from rng.
  // Called once by the model before any forward.
  virtual void build(const Shape& input, Rng& rng) = 0;

  // input: (N, F_in) -> returns (N, F_out). The returned view stays valid until the next
  // forward. `rng` is used only by layers that are random in training mode (dropout).
  virtual ConstMatrixView forward(ConstMatrixView input, Mode mode, Rng& rng) = 0;

  // d_output: (N, F_out) for the last forward -> returns d_input (N, F_in).
  virtual ConstMatrixView backward(ConstMatrixView d_output) = 0;

  virtual std::vector<Param> params() { return {}; }

  void zero_grad() {
    for (auto& p : params()) p.grad_vector().setZero();
  }

  // The next backward writes the parameter gradients instead of adding to them: the same
  // result as zero_grad() then backward, without a pass over every gradient per batch.
  // Layers whose backward honours it override this; by default it simply clears them.
  virtual void overwrite_gradients_next() { zero_grad(); }

  // false: the caller will not read dLoss/dInput (Sequential says so to its first layer), so
  // a layer that checks input_gradient_needed() may skip that product and return an empty
  // view; the others still return it, which is only wasted work.
  void set_input_gradient(bool needed) { input_gradient_ = needed; }

  Index param_count() {
    Index n = 0;
    for (auto& p : params()) n += p.size();
    return n;
  }
 protected:
  // For layers that override overwrite_gradients_next: it calls request_gradient_overwrite(),
  // and backward multiplies the old gradients by take_gradient_beta() (0 once, then 1).
  void request_gradient_overwrite() { gradient_beta_ = 0.0f; }
  float take_gradient_beta() {
    const float beta = gradient_beta_;
    gradient_beta_ = 1.0f;
    return beta;
  }
  bool input_gradient_needed() const { return input_gradient_; }

 private:
  float gradient_beta_ = 1.0f;
  bool input_gradient_ = true;
};

using LayerPtr = std::unique_ptr<Layer>;

}  // namespace nn
