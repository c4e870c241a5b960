// Dropout (inverted): in training mode each value is zeroed with probability `rate` and the
// survivors are scaled by 1/(1-rate), so inference mode is the identity.
#pragma once

#include "engine/layer.h"

namespace nn {

class Dropout : public Layer {
 public:
  explicit Dropout(float rate);  // 0 <= rate < 1

  std::string type_name() const override { return "dropout"; }
  nlohmann::json to_json() const override;
  Shape output_shape(const Shape& input) const override;
  void build(const Shape& input, Rng& rng) override;
  ConstMatrixView forward(ConstMatrixView input, Mode mode, Rng& rng) override;
  ConstMatrixView backward(ConstMatrixView d_output) override;

  float rate() const { return rate_; }

 private:
  float rate_;
  bool last_was_training_ = false;
  Buffer mask_;  // (N, F): 0 or 1/(1-rate)
  Buffer output_;
  Buffer d_input_;
  Shape in_shape_;
  Index batch_ = 0;  // rows of the last forward; 0 before any
  bool built_ = false;

  std::string label() const;  // "dropout(rate=0.2)"
};

}  // namespace nn
