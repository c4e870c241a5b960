// Flatten: (C, H, W) -> (C*H*W). The data is already flat in each row, so forward and
// backward pass it through untouched; only the shape changes.
#pragma once

#include "engine/layer.h"

namespace nn {

class Flatten : public Layer {
 public:
  std::string type_name() const override { return "flatten"; }
  nlohmann::json to_json() const override;
  Shape output_shape(const Shape& input) const override;
  void build(const Shape& input, Rng& rng) override;
  ConstMatrixView forward(ConstMatrixView input, Mode mode, Rng& rng) override;
  ConstMatrixView backward(ConstMatrixView d_output) override;

 private:
  Shape in_shape_;
  Index batch_ = 0;  // rows of the last forward; 0 before any
  bool built_ = false;
};

}  // namespace nn
