// Flatten: rows are already flat (C x H x W, channel-major), so the data passes through
// untouched in both directions; only the reported shape changes. No copies are made.
#include "engine/layers/flatten.h"

#include "engine/layers/layer_checks.h"

namespace nn {

nlohmann::json Flatten::to_json() const { return {{"type", "flatten"}}; }

Shape Flatten::output_shape(const Shape& input) const {
  if (input.size() <= 0) throw Error("flatten: input shape " + input.str() + " is empty");
  return Shape{input.size(), 1, 1};
}

void Flatten::build(const Shape& input, Rng&) {
  output_shape(input);
  in_shape_ = input;
  batch_ = 0;
  built_ = true;
}

ConstMatrixView Flatten::forward(ConstMatrixView input, Mode, Rng&) {
  detail::check_built([] { return "flatten"; }, built_);
  detail::check_forward_input([] { return "flatten"; }, input.cols(), in_shape_, input.rows());
  batch_ = input.rows();
  return input;
}

ConstMatrixView Flatten::backward(ConstMatrixView d_output) {
  detail::check_backward_input([] { return "flatten"; }, batch_, d_output.rows(), d_output.cols(), in_shape_.size());
  return d_output;
}

}  // namespace nn
