// Dense (fully connected): y = x W^T + b. Accepts any input shape and reads it as a flat
// vector (rows are already flattened C x H x W), so a Flatten before it is optional.
#pragma once

#include "engine/initializers.h"
#include "engine/layer.h"

namespace nn {

class Dense : public Layer {
 public:
  // units: output features (> 0). init: how build() draws the weights; biases start at 0.
  explicit Dense(int units, Init init = Init::kHe);

  std::string type_name() const override { return "dense"; }
  nlohmann::json to_json() const override;
  Shape output_shape(const Shape& input) const override;
  void build(const Shape& input, Rng& rng) override;
  ConstMatrixView forward(ConstMatrixView input, Mode mode, Rng& rng) override;
  ConstMatrixView backward(ConstMatrixView d_output) override;
  std::vector<Param> params() override;
  void overwrite_gradients_next() override { request_gradient_overwrite(); }

  int units() const { return units_; }
  Matrix& weight() { return weight_; }  // (F_out, F_in)
  RowVector& bias() { return bias_; }   // (1, F_out)

 private:
  std::string label() const;  // "dense(units=128)", for error messages

  int units_;
  Init init_;
  Shape in_shape_;                // built input shape, F_in = in_shape_.size()
  bool built_ = false;
  Matrix weight_, weight_grad_;  // (F_out, F_in)
  RowVector bias_, bias_grad_;   // (1, F_out)
  const float* input_ = nullptr;  // last forward's input (N, F_in), owned by the caller
  Index input_rows_ = 0;
  Buffer output_;   // (N, F_out)
  Buffer d_input_;  // (N, F_in)
};

}  // namespace nn
