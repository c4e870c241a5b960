// Dense layer: out = x W^T + b with W in PyTorch's (F_out, F_in) layout. All three products
// go through engine/gemm.h into grow-only buffers; the input is borrowed, not copied.
#include "engine/layers/dense.h"

#include <algorithm>

#include "engine/gemm.h"
#include "engine/layers/layer_checks.h"

namespace nn {

Dense::Dense(int units, Init init) : units_(units), init_(init) {
  detail::check_setting("dense", "units", units, 1);
}

std::string Dense::label() const { return "dense(units=" + std::to_string(units_) + ")"; }

nlohmann::json Dense::to_json() const {
  return {{"type", "dense"}, {"units", units_}, {"init", init_name(init_)}};
}

Shape Dense::output_shape(const Shape& input) const {
  if (input.size() <= 0) throw Error(label() + ": input shape " + input.str() + " is empty");
  const long long weights = static_cast<long long>(input.size()) * units_;
  if (weights > detail::kMaxElements) {
    throw Error(label() + ": input " + input.str() + " x " + std::to_string(units_) + " units needs " +
                std::to_string(weights) + " weights, more than the limit of " +
                std::to_string(detail::kMaxElements));
  }
  return Shape{units_, 1, 1};
}

void Dense::build(const Shape& input, Rng& rng) {
  output_shape(input);  // validates
  in_shape_ = input;
  const int f_in = input.size();
  weight_.resize(units_, f_in);
  weight_grad_ = Matrix::Zero(units_, f_in);
  bias_ = RowVector::Zero(units_);
  bias_grad_ = RowVector::Zero(units_);
  init_weights(init_, MatrixView(weight_.data(), units_, f_in), f_in, units_, rng);
  input_ = nullptr;
  input_rows_ = 0;
  built_ = true;
}

ConstMatrixView Dense::forward(ConstMatrixView input, Mode, Rng&) {
  detail::check_built([this] { return label(); }, built_);
  detail::check_forward_input([this] { return label(); }, input.cols(), in_shape_, input.rows());
  MatrixView out = output_.resize(input.rows(), units_);  // (N, F_out)
  gemm_nt(input, view(weight_), out, 0.0f, bias_.data());
  input_ = input.data();
  input_rows_ = input.rows();
  return detail::const_view(output_);
}

ConstMatrixView Dense::backward(ConstMatrixView d_output) {
  detail::check_backward_input([this] { return label(); }, input_rows_, d_output.rows(), d_output.cols(), units_);
  ConstMatrixView x(input_, input_rows_, weight_.cols());  // (N, F_in)
  const float beta = take_gradient_beta();
  gemm_tn(d_output, x, MatrixView(weight_grad_.data(), units_, weight_.cols()), beta);  // (F_out, F_in)
  column_sums(d_output, bias_grad_.data(), beta);                                        // (1, F_out)
  // The model's first layer: nobody reads dLoss/dInput, and it would cost as much as the
  // weight gradient.
  if (!input_gradient_needed()) return ConstMatrixView(nullptr, 0, 0);
  MatrixView d_in = d_input_.resize(input_rows_, weight_.cols());
  gemm_nn(d_output, view(weight_), d_in, 0.0f);  // (N, F_in)
  return detail::const_view(d_input_);
}

std::vector<Param> Dense::params() {
  return {{"weight", weight_.data(), weight_grad_.data(), weight_.rows(), weight_.cols(), true},
          {"bias", bias_.data(), bias_grad_.data(), 1, bias_.cols(), false}};
}

}  // namespace nn
