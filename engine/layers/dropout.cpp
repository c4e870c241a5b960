// Inverted dropout: in training, keep each value with probability 1-rate and scale survivors
// by 1/(1-rate) so the expected activation is unchanged; inference is then the identity.
// The mask comes from the rng passed to forward (the trainer's), so a seed fixes it.
#include "engine/layers/dropout.h"

#include <cmath>
#include <sstream>

#include "engine/layers/layer_checks.h"

namespace nn {

Dropout::Dropout(float rate) : rate_(rate) {
  if (!(rate >= 0.0f && rate < 1.0f)) {  // also rejects NaN
    std::ostringstream msg;
    msg << "dropout: rate must be in [0, 1), got " << rate;
    throw Error(msg.str());
  }
}

std::string Dropout::label() const {
  std::ostringstream s;
  s << "dropout(rate=" << rate_ << ")";
  return s.str();
}

nlohmann::json Dropout::to_json() const { return {{"type", "dropout"}, {"rate", detail::json_float(rate_)}}; }

Shape Dropout::output_shape(const Shape& input) const {
  if (input.size() <= 0) throw Error(label() + ": input shape " + input.str() + " is empty");
  return input;
}

void Dropout::build(const Shape& input, Rng&) {
  output_shape(input);
  in_shape_ = input;
  batch_ = 0;
  built_ = true;
}

ConstMatrixView Dropout::forward(ConstMatrixView input, Mode mode, Rng& rng) {
  detail::check_built([this] { return label(); }, built_);
  detail::check_forward_input([this] { return label(); }, input.cols(), in_shape_, input.rows());
  batch_ = input.rows();
  last_was_training_ = (mode == Mode::kTrain && rate_ > 0.0f);
  if (!last_was_training_) return input;

  const float scale = 1.0f / (1.0f - rate_);
  MatrixView mask = mask_.resize(input.rows(), input.cols());  // (N, F)
  float* m = mask.data();
  for (Index i = 0; i < mask.size(); ++i) m[i] = rng.uniform() < rate_ ? 0.0f : scale;
  MatrixView out = output_.resize(input.rows(), input.cols());
  out.array() = input.array() * mask.array();
  return detail::const_view(output_);
}

ConstMatrixView Dropout::backward(ConstMatrixView d_output) {
  detail::check_backward_input([this] { return label(); }, batch_, d_output.rows(), d_output.cols(), in_shape_.size());
  if (!last_was_training_) return d_output;
  MatrixView d_in = d_input_.resize(d_output.rows(), d_output.cols());
  d_in.array() = d_output.array() * mask_.view().array();
  return detail::const_view(d_input_);
}

}  // namespace nn
