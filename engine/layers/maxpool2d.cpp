// MaxPool2D: per channel, the maximum of each window, with the winning input offset kept for
// backward. Windows that run past the edge are dropped (Keras 'valid'); there is no padding.
// Ties go to the first maximum in row-major window order (a strict '>' scan).
#include "engine/layers/maxpool2d.h"

#include "engine/layers/layer_checks.h"

namespace nn {

MaxPool2D::MaxPool2D(int size, int stride) : size_(size), stride_(stride == 0 ? size : stride) {
  detail::check_setting("maxpool2d", "size", size, 1);
  detail::check_setting("maxpool2d", "stride", stride, 0);
}

std::string MaxPool2D::label() const {
  return "maxpool2d(size=" + std::to_string(size_) + ", stride=" + std::to_string(stride_) + ")";
}

nlohmann::json MaxPool2D::to_json() const {
  return {{"type", "maxpool2d"}, {"size", size_}, {"stride", stride_}};
}

Shape MaxPool2D::output_shape(const Shape& input) const {
  const Shape in = detail::image_shape(label(), input);
  if (size_ > in.h || size_ > in.w) {
    throw Error(label() + ": pool window " + std::to_string(size_) + "x" + std::to_string(size_) +
                " is larger than the input " + std::to_string(in.h) + "x" + std::to_string(in.w) +
                " (input shape " + in.str() + ")");
  }
  return Shape{in.c, (in.h - size_) / stride_ + 1, (in.w - size_) / stride_ + 1};
}

void MaxPool2D::build(const Shape& input, Rng&) {
  out_shape_ = output_shape(input);
  in_shape_ = detail::image_shape(label(), input);
  batch_ = 0;
  built_ = true;
}

ConstMatrixView MaxPool2D::forward(ConstMatrixView input, Mode, Rng&) {
  detail::check_built([this] { return label(); }, built_);
  detail::check_forward_input([this] { return label(); }, input.cols(), in_shape_, input.rows());
  const Index n = input.rows();
  const int c_count = in_shape_.c, h = in_shape_.h, w = in_shape_.w;
  const int out_h = out_shape_.h, out_w = out_shape_.w;
  const Index in_size = in_shape_.size(), out_size = out_shape_.size();
  MatrixView out = output_.resize(n, out_size);  // (N, C*H_out*W_out)
  // resize within capacity does not allocate, so this is grow-only like Buffer.
  argmax_.resize(static_cast<size_t>(n * out_size));

  for (Index s = 0; s < n; ++s) {
    const float* x = input.data() + s * in_size;
    float* y = out.data() + s * out_size;
    int32_t* arg = argmax_.data() + s * out_size;
    for (int c = 0; c < c_count; ++c) {
      const int plane = c * h * w;
      for (int oy = 0; oy < out_h; ++oy) {
        for (int ox = 0; ox < out_w; ++ox) {
          int best_at = plane + (oy * stride_) * w + ox * stride_;
          float best = x[best_at];
          for (int ky = 0; ky < size_; ++ky) {
            const int row = plane + (oy * stride_ + ky) * w + ox * stride_;
            for (int kx = 0; kx < size_; ++kx) {
              // Selects, not branches: which input wins is a coin toss the predictor misses.
              const float v = x[row + kx];
              const bool better = v > best;
              best = better ? v : best;
              best_at = better ? row + kx : best_at;
            }
          }
          *y++ = best;
          *arg++ = best_at;
        }
      }
    }
  }
  batch_ = n;
  return detail::const_view(output_);
}

ConstMatrixView MaxPool2D::backward(ConstMatrixView d_output) {
  const Index out_size = out_shape_.size();
  detail::check_backward_input([this] { return label(); }, batch_, d_output.rows(), d_output.cols(), out_size);
  const Index in_size = in_shape_.size();
  MatrixView d_in = d_input_.resize(batch_, in_size);  // (N, C*H*W)
  d_in.setZero();
  // '+=' because overlapping windows (stride < size) can pick the same input.
  for (Index s = 0; s < batch_; ++s) {
    float* dst = d_in.data() + s * in_size;
    const float* src = d_output.data() + s * out_size;
    const int32_t* arg = argmax_.data() + s * out_size;
    for (Index j = 0; j < out_size; ++j) dst[arg[j]] += src[j];
  }
  return detail::const_view(d_input_);
}

}  // namespace nn
