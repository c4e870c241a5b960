// Conv2D by im2col: every output pixel's receptive field becomes one row of a
// (N*H_out*W_out, C_in*K*K) matrix, so forward is one GEMM against W^T and backward two GEMMs
// plus a scatter-add (col2im). The gather/scatter is driven by an index table built once, so
// the per-batch work is table lookups and Eigen products, with no allocation after warm-up.
#include "engine/layers/conv2d.h"

#include <algorithm>

#include "engine/gemm.h"

#include "engine/layers/layer_checks.h"

namespace nn {

using RowMajorBlock = Eigen::Map<const Matrix>;

Conv2D::Conv2D(int filters, int kernel, int stride, int padding, Init init)
    : filters_(filters), kernel_(kernel), stride_(stride), padding_(padding), init_(init) {
  detail::check_setting("conv2d", "filters", filters, 1);
  detail::check_setting("conv2d", "kernel", kernel, 1);
  detail::check_setting("conv2d", "stride", stride, 1);
  detail::check_setting("conv2d", "padding", padding, 0);
}

std::string Conv2D::label() const {
  return "conv2d(filters=" + std::to_string(filters_) + ", kernel=" + std::to_string(kernel_) +
         ", stride=" + std::to_string(stride_) + ", padding=" + std::to_string(padding_) + ")";
}

nlohmann::json Conv2D::to_json() const {
  return {{"type", "conv2d"}, {"filters", filters_}, {"kernel", kernel_}, {"stride", stride_},
          {"padding", padding_}, {"init", init_name(init_)}};
}

Shape Conv2D::output_shape(const Shape& input) const {
  const Shape in = detail::image_shape(label(), input);
  const long long padded_h = static_cast<long long>(in.h) + 2LL * padding_;
  const long long padded_w = static_cast<long long>(in.w) + 2LL * padding_;
  if (kernel_ > padded_h || kernel_ > padded_w) {
    throw Error(label() + ": kernel " + std::to_string(kernel_) + "x" + std::to_string(kernel_) +
                " is larger than the padded input " + std::to_string(padded_h) + "x" +
                std::to_string(padded_w) + " (input shape " + in.str() + ")");
  }
  const long long out_h = (padded_h - kernel_) / stride_ + 1;
  const long long out_w = (padded_w - kernel_) / stride_ + 1;
  const long long ckk = static_cast<long long>(in.c) * kernel_ * kernel_;
  const long long out_size = out_h * out_w * filters_;
  const long long table = out_h * out_w * ckk;
  const long long weights = ckk * filters_;
  if (out_size > detail::kMaxElements || table > detail::kMaxElements || weights > detail::kMaxElements) {
    throw Error(label() + ": input shape " + in.str() + " gives an output of " + std::to_string(out_size) +
                " values, " + std::to_string(weights) + " weights and an im2col row set of " +
                std::to_string(table) + " values per sample; the limit for each is " +
                std::to_string(detail::kMaxElements));
  }
  return Shape{filters_, static_cast<int>(out_h), static_cast<int>(out_w)};
}

void Conv2D::build(const Shape& input, Rng& rng) {
  out_shape_ = output_shape(input);
  in_shape_ = detail::image_shape(label(), input);
  const int k = kernel_;
  const int ckk = in_shape_.c * k * k;
  weight_.resize(filters_, ckk);
  weight_grad_ = Matrix::Zero(filters_, ckk);
  bias_ = RowVector::Zero(filters_);
  bias_grad_ = RowVector::Zero(filters_);
  init_weights(init_, MatrixView(weight_.data(), filters_, ckk), ckk, filters_ * k * k, rng);

  const int out_h = out_shape_.h, out_w = out_shape_.w;
  col_index_.assign(static_cast<size_t>(out_h) * out_w * ckk, -1);
  int32_t* idx = col_index_.data();
  for (int oy = 0; oy < out_h; ++oy) {
    for (int ox = 0; ox < out_w; ++ox) {
      for (int c = 0; c < in_shape_.c; ++c) {
        for (int ky = 0; ky < k; ++ky) {
          const int iy = oy * stride_ - padding_ + ky;
          for (int kx = 0; kx < k; ++kx, ++idx) {
            const int ix = ox * stride_ - padding_ + kx;
            if (iy >= 0 && iy < in_shape_.h && ix >= 0 && ix < in_shape_.w) {
              *idx = (c * in_shape_.h + iy) * in_shape_.w + ix;
            }
          }
        }
      }
    }
  }
  batch_ = 0;
  built_ = true;
}

ConstMatrixView Conv2D::forward(ConstMatrixView input, Mode, Rng&) {
  detail::check_built([this] { return label(); }, built_);
  detail::check_forward_input([this] { return label(); }, input.cols(), in_shape_, input.rows());
  const Index n = input.rows();
  const Index hw_out = Index(out_shape_.h) * out_shape_.w;
  const Index ckk = weight_.cols();
  const Index in_size = in_shape_.size();
  const Index table_size = hw_out * ckk;
  const int32_t* table = col_index_.data();
  // n * hw_out below is an Index product, 32 bits in wasm: check it in 64 bits first.
  check_buffer_size(int64_t(n) * hw_out, std::max<int64_t>(ckk, filters_));

  // im2col: (N*H_out*W_out, C*K*K), one receptive field per row.
  MatrixView cols = columns_.resize(n * hw_out, ckk);
  for (Index s = 0; s < n; ++s) {
    const float* x = input.data() + s * in_size;
    float* dst = cols.data() + s * table_size;
    for (Index i = 0; i < table_size; ++i) dst[i] = table[i] >= 0 ? x[table[i]] : 0.0f;
  }

  MatrixView y = scratch_.resize(n * hw_out, filters_);  // (N*H_out*W_out, F)
  gemm_nt(detail::const_view(columns_), view(weight_), y, 0.0f);

  // Scatter to channel-major rows: out[s] viewed as (F, H_out*W_out) = y_s^T + b.
  MatrixView out = output_.resize(n, filters_ * hw_out);  // (N, F*H_out*W_out)
  for (Index s = 0; s < n; ++s) {
    MatrixView out_s(out.data() + s * out.cols(), filters_, hw_out);
    out_s.noalias() = y.middleRows(s * hw_out, hw_out).transpose();
    out_s.colwise() += bias_.transpose();
  }
  batch_ = n;
  return detail::const_view(output_);
}

ConstMatrixView Conv2D::backward(ConstMatrixView d_output) {
  const Index hw_out = Index(out_shape_.h) * out_shape_.w;
  detail::check_backward_input([this] { return label(); }, batch_, d_output.rows(), d_output.cols(), filters_ * hw_out);
  const Index n = batch_;
  const Index ckk = weight_.cols();
  const Index in_size = in_shape_.size();
  const Index table_size = hw_out * ckk;
  const int32_t* table = col_index_.data();
  check_buffer_size(int64_t(n) * hw_out, std::max<int64_t>(ckk, filters_));  // as in forward

  // Gather d_output back into im2col row order: (N*H_out*W_out, F).
  MatrixView d_y = scratch2_.resize(n * hw_out, filters_);
  for (Index s = 0; s < n; ++s) {
    RowMajorBlock d_out_s(d_output.data() + s * d_output.cols(), filters_, hw_out);
    d_y.middleRows(s * hw_out, hw_out).noalias() = d_out_s.transpose();
  }
  ConstMatrixView cols = detail::const_view(columns_);
  const ConstMatrixView d_y_c(d_y.data(), d_y.rows(), d_y.cols());
  const float beta = take_gradient_beta();
  column_sums(d_y_c, bias_grad_.data(), beta);                                  // (1, F)
  gemm_tn(d_y_c, cols, MatrixView(weight_grad_.data(), filters_, ckk), beta);  // (F, C*K*K)
  // The model's first layer: nobody reads dLoss/dInput (Sequential::backward).
  if (!input_gradient_needed()) return ConstMatrixView(nullptr, 0, 0);

  MatrixView d_cols = scratch_.resize(n * hw_out, ckk);  // (N*H_out*W_out, C*K*K)
  gemm_nn(d_y_c, view(weight_), d_cols, 0.0f);

  // col2im: each column entry adds back into the input pixel it was read from.
  MatrixView d_in = d_input_.resize(n, in_size);  // (N, C*H*W)
  d_in.setZero();
  for (Index s = 0; s < n; ++s) {
    float* dst = d_in.data() + s * in_size;
    const float* src = d_cols.data() + s * table_size;
    for (Index i = 0; i < table_size; ++i) {
      if (table[i] >= 0) dst[table[i]] += src[i];
    }
  }
  return detail::const_view(d_input_);
}

std::vector<Param> Conv2D::params() {
  return {{"weight", weight_.data(), weight_grad_.data(), weight_.rows(), weight_.cols(), true},
          {"bias", bias_.data(), bias_grad_.data(), 1, bias_.cols(), false}};
}

}  // namespace nn
