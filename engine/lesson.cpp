#include "engine/lesson.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/layers/dense.h"
#include "engine/losses.h"
#include "engine/rng.h"

namespace nn {

namespace {

constexpr int kMaxNeuronInputs = 4096;

bool finite(float v) { return std::isfinite(v); }

// An element-wise activation layer by name, built for `features`; nullptr for "linear".
LayerPtr activation_layer(const std::string& name, int features, Rng& rng) {
  if (name == "linear") return nullptr;
  if (name != "relu" && name != "leaky_relu" && name != "sigmoid" && name != "tanh") {
    throw Error("lesson: unknown activation \"" + name + "\" (relu, leaky_relu, sigmoid, tanh, linear)");
  }
  LayerPtr layer = parse_layer(nlohmann::json{{"type", name}});
  layer->build(Shape{features, 1, 1}, rng);
  return layer;
}

Param param_named(Layer& layer, const std::string& name) {
  for (const Param& p : layer.params()) {
    if (p.name == name) return p;
  }
  throw Error("lesson: layer " + layer.type_name() + " has no " + name + " parameter");
}

void copy_into(const Param& p, const std::vector<float>& values, const std::string& what) {
  if (static_cast<Index>(values.size()) != p.size()) {
    throw Error("lesson: " + what + " needs " + std::to_string(p.size()) + " values, got " + std::to_string(values.size()));
  }
  for (float v : values) {
    if (!finite(v)) throw Error("lesson: " + what + " must be finite numbers");
  }
  std::copy(values.begin(), values.end(), p.value);
}

}  // namespace

NeuronStep neuron_step(const std::vector<float>& inputs, const std::vector<float>& weights, float bias,
                       const std::string& activation, float upstream) {
  const int n = static_cast<int>(inputs.size());
  if (n < 1 || n > kMaxNeuronInputs) throw Error("neuron: 1.." + std::to_string(kMaxNeuronInputs) + " inputs, got " + std::to_string(n));
  if (weights.size() != inputs.size()) {
    throw Error("neuron: " + std::to_string(n) + " inputs need as many weights, got " + std::to_string(weights.size()));
  }
  for (float v : inputs) {
    if (!finite(v)) throw Error("neuron: the inputs must be finite numbers");
  }
  if (!finite(bias) || !finite(upstream)) throw Error("neuron: the bias and the upstream gradient must be finite numbers");
  Rng rng(1);
  Dense dense(1);
  dense.build(Shape{n, 1, 1}, rng);
  copy_into(param_named(dense, "weight"), weights, "neuron: the weights");
  copy_into(param_named(dense, "bias"), {bias}, "neuron: the bias");
  LayerPtr act = activation_layer(activation, 1, rng);

  const Matrix x = Eigen::Map<const Matrix>(inputs.data(), 1, n);
  const ConstMatrixView z = dense.forward(view(x), Mode::kInfer, rng);
  NeuronStep step;
  step.weighted_sum = z(0, 0);
  const Matrix z_copy = z;  // the activation's forward keeps a pointer to its input
  const ConstMatrixView a = act ? act->forward(view(z_copy), Mode::kInfer, rng) : view(z_copy);
  step.activation = a(0, 0);

  Matrix d_a(1, 1);
  d_a(0, 0) = upstream;
  const Matrix d_z = act ? Matrix(act->backward(view(d_a))) : d_a;
  dense.zero_grad();
  const ConstMatrixView d_x = dense.backward(view(d_z));
  const Param w = param_named(dense, "weight");
  step.weight_grad.assign(w.grad, w.grad + w.size());
  step.bias_grad = param_named(dense, "bias").grad[0];
  step.input_grad.assign(d_x.data(), d_x.data() + n);
  return step;
}

ActivationCurve activation_curve(const std::string& activation, float from, float to, int points) {
  if (points < 2 || points > 2001) throw Error("activation curve: 2..2001 points, got " + std::to_string(points));
  if (!finite(from) || !finite(to) || !(from < to)) throw Error("activation curve: the range must be finite with from < to");
  Rng rng(1);
  LayerPtr act = activation_layer(activation, points, rng);
  ActivationCurve curve;
  Matrix x(1, points);
  for (int i = 0; i < points; ++i) x(0, i) = from + (to - from) * static_cast<float>(i) / static_cast<float>(points - 1);
  curve.x.assign(x.data(), x.data() + points);
  if (!act) {
    curve.value = curve.x;
    curve.derivative.assign(points, 1.0f);
    return curve;
  }
  const ConstMatrixView y = act->forward(view(x), Mode::kInfer, rng);
  curve.value.assign(y.data(), y.data() + points);
  // Element-wise: the backward of an upstream gradient of ones is f'(x) at each point.
  const Matrix ones = Matrix::Ones(1, points);
  const ConstMatrixView d = act->backward(view(ones));
  curve.derivative.assign(d.data(), d.data() + points);
  return curve;
}

LossCurve loss_curve(const std::string& loss_name, int classes, int true_class, const std::vector<float>& p) {
  if (classes < 2 || classes > 100) throw Error("loss curve: 2..100 classes, got " + std::to_string(classes));
  if (true_class < 0 || true_class >= classes) throw Error("loss curve: the true class must be in 0.." + std::to_string(classes - 1));
  if (p.empty() || p.size() > 2001) throw Error("loss curve: 1..2001 probabilities, got " + std::to_string(p.size()));
  const std::unique_ptr<Loss> loss = make_loss(loss_name);
  LossCurve curve;
  Matrix output(1, classes), target = Matrix::Zero(1, classes), grad(1, classes);
  target(0, true_class) = 1.0f;
  for (float pt : p) {
    if (!(pt > 0.0f && pt < 1.0f)) throw Error("loss curve: each probability must be strictly between 0 and 1");
    const float other = (1.0f - pt) / static_cast<float>(classes - 1);
    for (int k = 0; k < classes; ++k) {
      const float pk = k == true_class ? pt : other;
      if (loss_name == "softmax_cross_entropy") output(0, k) = std::log(pk);
      else if (loss_name == "sigmoid_cross_entropy") output(0, k) = std::log(pk / (1.0f - pk));
      else output(0, k) = pk;
    }
    const float value = loss->value_and_gradient(view(output), view(target), MatrixView(grad.data(), 1, classes));
    curve.p.push_back(pt);
    curve.value.push_back(value);
    curve.gradient.push_back(grad(0, true_class));
  }
  return curve;
}

LayerOnDigit layer_on_digit(const std::string& layer_json, const std::vector<float>& digit,
                            const std::vector<float>& weights, const std::vector<float>& bias, uint64_t seed) {
  if (digit.size() != 64) throw Error("layer on digit: a digit is 64 values, got " + std::to_string(digit.size()));
  for (float v : digit) {
    if (!finite(v)) throw Error("layer on digit: the digit must be finite numbers");
  }
  nlohmann::json spec;
  try {
    spec = nlohmann::json::parse(layer_json);
  } catch (const nlohmann::json::exception& err) {
    throw Error(std::string("layer on digit: the layer is not valid JSON: ") + err.what());
  }
  const std::string type = spec.is_object() && spec.contains("type") && spec["type"].is_string() ? spec["type"].get<std::string>() : "";
  if (type != "dense" && type != "conv2d" && type != "maxpool2d") {
    throw Error("layer on digit: the layer must be a dense, conv2d or maxpool2d object");
  }
  LayerPtr layer = parse_layer(spec);
  const Shape input = type == "dense" ? Shape{64, 1, 1} : Shape{1, 8, 8};
  const Shape out_shape = layer->output_shape(input);
  if (out_shape.size() > 4096) throw Error("layer on digit: the output would have " + std::to_string(out_shape.size()) + " values (4096 at most)");
  Rng rng(seed);
  layer->build(input, rng);
  if (!weights.empty()) copy_into(param_named(*layer, "weight"), weights, "layer on digit: the weights");
  if (!bias.empty()) copy_into(param_named(*layer, "bias"), bias, "layer on digit: the bias");
  const Matrix x = Eigen::Map<const Matrix>(digit.data(), 1, 64);
  const ConstMatrixView y = layer->forward(view(x), Mode::kInfer, rng);
  LayerOnDigit result;
  result.output_shape = out_shape;
  result.output.assign(y.data(), y.data() + y.size());
  return result;
}

PreactivationSummary summarize_preactivations(const std::vector<float>& values, int units) {
  if (units < 1 || units > 1000000) throw Error("pre-activations: 1..1000000 units, got " + std::to_string(units));
  if (values.empty() || values.size() % static_cast<size_t>(units) != 0) {
    throw Error("pre-activations: " + std::to_string(values.size()) + " values are not a whole number of rows of " + std::to_string(units) + " units");
  }
  using S = PreactivationSummary;
  S summary;
  summary.counts.assign(S::kBins, 0);
  std::vector<bool> fired(units, false);
  const float per_unit = S::kBins / (S::kTo - S::kFrom);  // bins per unit of z: 4, exact
  for (size_t i = 0; i < values.size(); ++i) {
    const float z = values[i];
    if (!finite(z)) throw Error("pre-activations: value " + std::to_string(i) + " is not a finite number");
    // Clamped as a float: a huge z would overflow the int.
    const float bin = std::clamp(std::floor((z - S::kFrom) * per_unit), 0.0f, static_cast<float>(S::kBins - 1));
    summary.counts[static_cast<int>(bin)] += 1;
    if (std::abs(z) > S::kSaturated) summary.saturated += 1;
    if (z > 0.0f) fired[i % units] = true;
  }
  summary.dead = static_cast<int>(std::count(fired.begin(), fired.end(), false));
  summary.saturated_share = static_cast<float>(summary.saturated) / static_cast<float>(values.size());
  return summary;
}

}  // namespace nn
