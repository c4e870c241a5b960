// Conv2D: cross-correlation of a (C_in, H, W) image with F filters of (C_in, K, K), with
// stride and zero padding, plus a bias per filter; output (F, H_out, W_out) with
// H_out = (H + 2P - K) / S + 1. Computed as im2col + one matrix product per batch.
#pragma once

#include "engine/initializers.h"
#include "engine/layer.h"

namespace nn {

class Conv2D : public Layer {
 public:
  // filters: output channels; kernel: K (square); stride: S >= 1; padding: P >= 0 zeros.
  Conv2D(int filters, int kernel, int stride = 1, int padding = 0, Init init = Init::kHe);

  std::string type_name() const override { return "conv2d"; }
  nlohmann::json to_json() const override;
  Shape output_shape(const Shape& input) const override;
  void build(const Shape& input, Rng& rng) override;
  ConstMatrixView forward(ConstMatrixView input, Mode mode, Rng& rng) override;
  ConstMatrixView backward(ConstMatrixView d_output) override;
  std::vector<Param> params() override;
  void overwrite_gradients_next() override { request_gradient_overwrite(); }

  int filters() const { return filters_; }
  int kernel() const { return kernel_; }
  Matrix& weight() { return weight_; }  // (F, C_in*K*K), each row one filter, C-major
  RowVector& bias() { return bias_; }   // (1, F)

 private:
  int filters_, kernel_, stride_, padding_;
  Init init_;
  Shape in_shape_, out_shape_;
  Matrix weight_, weight_grad_;
  RowVector bias_, bias_grad_;
  // Implementation buffers (im2col columns, outputs, gradients) are the implementer's;
  // all grow-only so a warmed-up batch allocates nothing.
  Buffer columns_;   // im2col of the last input
  Buffer output_;    // (N, F*H_out*W_out)
  Buffer d_input_;   // (N, C_in*H*W)
  Buffer scratch_;   // free for the implementation
  Buffer scratch2_;  // free for the implementation
  Index batch_ = 0;
  // Built at build(): for each (output pixel p, column j = c*K*K + ky*K + kx) the offset of
  // the input value in one sample's row, or -1 where the window reads zero padding.
  std::vector<int32_t> col_index_;  // (H_out*W_out, C_in*K*K)
  bool built_ = false;

  std::string label() const;  // "conv2d(filters=16, kernel=3, stride=1, padding=1)"
};

}  // namespace nn
