// Activation layers. ActivationLayer does the bookkeeping (shape checks, buffers, keeping
// the input); each subclass is only its (value, derivative) pair written as Eigen array
// expressions, so there is no per-element virtual call. Softmax is row-coupled and stands alone.
#include "engine/layers/activations.h"

#include <cmath>
#include <sstream>

#include "engine/layers/layer_checks.h"
#include "engine/simd.h"

namespace nn {

// ---- shared element-wise bookkeeping ---------------------------------------------------

nlohmann::json ActivationLayer::to_json() const { return {{"type", type_name()}}; }

void ActivationLayer::build(const Shape& input, Rng&) {
  if (input.size() <= 0) throw Error(type_name() + ": input shape " + input.str() + " is empty");
  in_shape_ = input;
  input_ = nullptr;
  batch_ = 0;
  built_ = true;
}

ConstMatrixView ActivationLayer::forward(ConstMatrixView input, Mode, Rng&) {
  detail::check_built([this] { return type_name(); }, built_);
  detail::check_forward_input([this] { return type_name(); }, input.cols(), in_shape_, input.rows());
  MatrixView out = output_.resize(input.rows(), input.cols());
  apply(input, out);
  input_ = input.data();
  batch_ = input.rows();
  return detail::const_view(output_);
}

ConstMatrixView ActivationLayer::backward(ConstMatrixView d_output) {
  detail::check_backward_input([this] { return type_name(); }, batch_, d_output.rows(), d_output.cols(), in_shape_.size());
  ConstMatrixView in(input_, batch_, in_shape_.size());
  MatrixView d_in = d_input_.resize(batch_, in_shape_.size());
  derive(in, detail::const_view(output_), d_output, d_in);
  return detail::const_view(d_input_);
}

// ---- ReLU: max(0, x) -------------------------------------------------------------------

// Plain loops over explicit vectors (engine/simd.h) rather than Eigen expressions, which
// have no wasm SIMD path and which clang vectorised slowly there. `x < 0 ? 0 : x` keeps NaN
// (so divergence is still seen), like max(x, 0) did.
void ReLU::apply(ConstMatrixView in, MatrixView out) const {
  constexpr int L = simd::kLanes;
  const float* x = in.data();
  float* y = out.data();
  const Index n = in.size();
  Index i = 0;
  for (; i + L <= n; i += L) {
    const simd::Vec<L> v = simd::load<L>(x + i);
    simd::store<L>(y + i, v < 0.0f ? simd::Vec<L>{} : v);
  }
  for (; i < n; ++i) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

void ReLU::derive(ConstMatrixView in, ConstMatrixView, ConstMatrixView d_out, MatrixView d_in) const {
  // The kink at 0 takes derivative 0 (PyTorch's choice).
  constexpr int L = simd::kLanes;
  const float* x = in.data();
  const float* d = d_out.data();
  float* dx = d_in.data();
  const Index n = in.size();
  Index i = 0;
  for (; i + L <= n; i += L) {
    simd::store<L>(dx + i, simd::load<L>(x + i) > 0.0f ? simd::load<L>(d + i) : simd::Vec<L>{});
  }
  for (; i < n; ++i) dx[i] = x[i] > 0.0f ? d[i] : 0.0f;
}

// ---- LeakyReLU: x for x > 0, alpha * x otherwise ----------------------------------------

LeakyReLU::LeakyReLU(float alpha) : alpha_(alpha) {
  if (!std::isfinite(alpha) || alpha < 0.0f) {
    std::ostringstream msg;
    msg << "leaky_relu: alpha must be a finite number >= 0, got " << alpha;
    throw Error(msg.str());
  }
}

nlohmann::json LeakyReLU::to_json() const {
  return {{"type", "leaky_relu"}, {"alpha", detail::json_float(alpha_)}};
}

void LeakyReLU::apply(ConstMatrixView in, MatrixView out) const {
  out.array() = (in.array() > 0.0f).select(in.array(), alpha_ * in.array());
}

void LeakyReLU::derive(ConstMatrixView in, ConstMatrixView, ConstMatrixView d_out, MatrixView d_in) const {
  d_in.array() = (in.array() > 0.0f).select(d_out.array(), alpha_ * d_out.array());
}

// ---- Sigmoid: 1 / (1 + e^-x), derivative y (1 - y) --------------------------------------

void Sigmoid::apply(ConstMatrixView in, MatrixView out) const {
  // For very negative x, e^-x overflows to inf and the result is exactly 0: no NaN.
  out.array() = (1.0f + (-in.array()).exp()).inverse();
}

void Sigmoid::derive(ConstMatrixView, ConstMatrixView out, ConstMatrixView d_out, MatrixView d_in) const {
  d_in.array() = d_out.array() * out.array() * (1.0f - out.array());
}

// ---- Tanh: derivative 1 - y^2 -----------------------------------------------------------

void Tanh::apply(ConstMatrixView in, MatrixView out) const { out.array() = in.array().tanh(); }

void Tanh::derive(ConstMatrixView, ConstMatrixView out, ConstMatrixView d_out, MatrixView d_in) const {
  d_in.array() = d_out.array() * (1.0f - out.array().square());
}

// ---- Softmax (row-wise) -----------------------------------------------------------------

nlohmann::json Softmax::to_json() const { return {{"type", "softmax"}}; }

Shape Softmax::output_shape(const Shape& input) const {
  if (input.size() <= 0) throw Error("softmax: input shape " + input.str() + " is empty");
  return input;
}

void Softmax::build(const Shape& input, Rng&) {
  output_shape(input);
  in_shape_ = input;
  batch_ = 0;
  built_ = true;
}

ConstMatrixView Softmax::forward(ConstMatrixView input, Mode, Rng&) {
  detail::check_built([] { return "softmax"; }, built_);
  detail::check_forward_input([] { return "softmax"; }, input.cols(), in_shape_, input.rows());
  MatrixView out = output_.resize(input.rows(), input.cols());  // (N, F)
  for (Index r = 0; r < input.rows(); ++r) {
    // Subtracting the row maximum keeps exp() <= 1, so large logits cannot overflow.
    const float row_max = input.row(r).maxCoeff();
    out.row(r).array() = (input.row(r).array() - row_max).exp();
    out.row(r) /= out.row(r).sum();
  }
  batch_ = input.rows();
  return detail::const_view(output_);
}

ConstMatrixView Softmax::backward(ConstMatrixView d_output) {
  detail::check_backward_input([] { return "softmax"; }, batch_, d_output.rows(), d_output.cols(), in_shape_.size());
  // Jacobian-vector product of softmax: d_in = y * (d_out - sum(d_out * y)), per row.
  ConstMatrixView y = detail::const_view(output_);
  MatrixView d_in = d_input_.resize(batch_, in_shape_.size());
  for (Index r = 0; r < batch_; ++r) {
    const float dot = d_output.row(r).dot(y.row(r));
    d_in.row(r).array() = y.row(r).array() * (d_output.row(r).array() - dot);
  }
  return detail::const_view(d_input_);
}

}  // namespace nn
