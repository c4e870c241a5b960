// Activation layers. The element-wise ones are a (value, derivative) pair on top of one
// shared ActivationLayer; Softmax couples a row and has its own backward.
#pragma once

#include "engine/layer.h"

namespace nn {

class ActivationLayer : public Layer {
 public:
  nlohmann::json to_json() const override;
  Shape output_shape(const Shape& input) const override { return input; }
  void build(const Shape& input, Rng& rng) override;
  ConstMatrixView forward(ConstMatrixView input, Mode mode, Rng& rng) override;
  ConstMatrixView backward(ConstMatrixView d_output) override;

 protected:
  // out = f(in), element-wise.
  virtual void apply(ConstMatrixView in, MatrixView out) const = 0;
  // d_in = d_out * f'(in), given both the input and the output of forward.
  virtual void derive(ConstMatrixView in, ConstMatrixView out, ConstMatrixView d_out,
                      MatrixView d_in) const = 0;

  const float* input_ = nullptr;  // last forward's input (N, F), owned by the caller
  Buffer output_;                 // (N, F)
  Buffer d_input_;                // (N, F)
  Shape in_shape_;
  Index batch_ = 0;  // rows of the last forward; 0 before any
  bool built_ = false;
};

class ReLU : public ActivationLayer {
 public:
  std::string type_name() const override { return "relu"; }
 protected:
  void apply(ConstMatrixView in, MatrixView out) const override;
  void derive(ConstMatrixView in, ConstMatrixView out, ConstMatrixView d_out, MatrixView d_in) const override;
};

class LeakyReLU : public ActivationLayer {
 public:
  explicit LeakyReLU(float alpha = 0.01f);
  std::string type_name() const override { return "leaky_relu"; }
  nlohmann::json to_json() const override;
  float alpha() const { return alpha_; }
 protected:
  void apply(ConstMatrixView in, MatrixView out) const override;
  void derive(ConstMatrixView in, ConstMatrixView out, ConstMatrixView d_out, MatrixView d_in) const override;
 private:
  float alpha_;
};

class Sigmoid : public ActivationLayer {
 public:
  std::string type_name() const override { return "sigmoid"; }
 protected:
  void apply(ConstMatrixView in, MatrixView out) const override;
  void derive(ConstMatrixView in, ConstMatrixView out, ConstMatrixView d_out, MatrixView d_in) const override;
};

class Tanh : public ActivationLayer {
 public:
  std::string type_name() const override { return "tanh"; }
 protected:
  void apply(ConstMatrixView in, MatrixView out) const override;
  void derive(ConstMatrixView in, ConstMatrixView out, ConstMatrixView d_out, MatrixView d_in) const override;
};

// Softmax over each row (numerically stable: the row maximum is subtracted first).
class Softmax : public Layer {
 public:
  std::string type_name() const override { return "softmax"; }
  nlohmann::json to_json() const override;
  Shape output_shape(const Shape& input) const override;
  void build(const Shape& input, Rng& rng) override;
  ConstMatrixView forward(ConstMatrixView input, Mode mode, Rng& rng) override;
  ConstMatrixView backward(ConstMatrixView d_output) override;
 private:
  Buffer output_;   // (N, F)
  Buffer d_input_;  // (N, F)
  Shape in_shape_;
  Index batch_ = 0;
  bool built_ = false;
};

}  // namespace nn
