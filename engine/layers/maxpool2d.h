// MaxPool2D: the maximum of each size x size window (stride defaults to size), per channel.
// Remembers the argmax of every window; on ties the first maximum (row-major within the
// window) takes the whole gradient.
#pragma once

#include "engine/layer.h"

namespace nn {

class MaxPool2D : public Layer {
 public:
  explicit MaxPool2D(int size = 2, int stride = 0);  // stride 0 means stride = size

  std::string type_name() const override { return "maxpool2d"; }
  nlohmann::json to_json() const override;
  Shape output_shape(const Shape& input) const override;
  void build(const Shape& input, Rng& rng) override;
  ConstMatrixView forward(ConstMatrixView input, Mode mode, Rng& rng) override;
  ConstMatrixView backward(ConstMatrixView d_output) override;

 private:
  int size_, stride_;
  Shape in_shape_, out_shape_;
  std::vector<int32_t> argmax_;  // (N, F_out) index into the input row
  Buffer output_;
  Buffer d_input_;
  Index batch_ = 0;  // rows of the last forward; 0 before any
  bool built_ = false;

  std::string label() const;  // "maxpool2d(size=2, stride=2)"
};

}  // namespace nn
