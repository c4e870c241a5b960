// Reading one sample and one weight out of a recorded training step (see step_trace.h).
// Every number shown comes from the record the trainer made while it took the step; the
// formulas are re-summed here from the recorded inputs and dLoss/dOutputs, and the tests
// check that those sums give the gradient backward computed.
#include "engine/step_trace.h"

#include <cmath>
#include <sstream>

#include "engine/error.h"
#include "engine/layers/layer_checks.h"

namespace nn {

namespace {

std::string num(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

LayerActivation row_of(const std::string& name, const std::string& type, const Shape& shape, const Matrix& m, Index row) {
  LayerActivation a{name, type, shape, {}};
  a.values.assign(m.data() + row * m.cols(), m.data() + (row + 1) * m.cols());
  return a;
}

void require_row(const StepRecord& record, Index row) {
  const Index rows = record.input.rows();
  if (rows == 0) throw Error("step-through: no step recorded yet (press Step first)");
  if (row < 0 || row >= rows) {
    throw Error("step-through: sample " + std::to_string(row) + " is not in the batch (rows 0.." +
                std::to_string(rows - 1) + ")");
  }
}

// The input of layer `layer` in the step: the batch, or the previous layer's output.
const Matrix& layer_input(const StepRecord& record, size_t layer) {
  return layer == 0 ? record.input : record.outputs.at(layer - 1);
}

Shape input_shape_of(Sequential& model, size_t layer) {
  return layer == 0 ? model.input_shape() : model.summary_rows()[layer - 1].output;
}

}  // namespace

SampleStep sample_step(Sequential& model, const StepRecord& record, Index row) {
  require_row(record, row);
  SampleStep s;
  s.row = row;
  s.sample = record.samples.at(row);
  const std::vector<LayerSummary> layers = model.summary_rows();
  s.forward.push_back(row_of("input", "input", model.input_shape(), record.input, row));
  for (size_t i = 0; i < layers.size(); ++i) {
    s.forward.push_back(row_of(layers[i].name, layers[i].type, layers[i].output, record.outputs.at(i), row));
  }
  const std::string loss = model.loss().type_name();
  const Index k = record.probabilities.cols();
  if (loss != "mse") {
    const std::string kind = loss == "softmax_cross_entropy" ? "softmax" : "sigmoid";
    s.forward.push_back(row_of(kind, kind, Shape{int(k), 1, 1}, record.probabilities, row));
  }

  const Matrix& logits = record.outputs.back();
  SampleLoss& l = s.loss;
  l.label = record.labels.at(row);
  Index predicted = 0;
  logits.row(row).maxCoeff(&predicted);
  l.predicted = int(predicted);
  Matrix target = Matrix::Zero(1, logits.cols());
  target(0, l.label) = 1.0f;
  const ConstMatrixView out(logits.data() + row * logits.cols(), 1, logits.cols());
  l.loss = double(model.loss().value(out, view(target)));
  if (loss == "softmax_cross_entropy") {
    l.probability = record.probabilities(row, l.label);
    l.formula = "-log p_" + std::to_string(l.label) + " = -log(" + num(l.probability) + ") = " + num(l.loss);
  } else if (loss == "sigmoid_cross_entropy") {
    l.probability = record.probabilities(row, l.label);
    l.formula = "sum over the " + std::to_string(k) + " outputs of -[y log p + (1-y) log(1-p)] = " + num(l.loss) +
                " (p_" + std::to_string(l.label) + " = " + num(l.probability) + ")";
  } else {
    l.formula = "sum over the " + std::to_string(k) + " outputs of (out - y)^2 = " + num(l.loss);
  }

  for (size_t i = layers.size(); i-- > 0;) {
    if (record.d_outputs.at(i).size() == 0) continue;  // before the first layer with parameters
    s.backward.push_back(row_of("d " + layers[i].name, layers[i].type, layers[i].output, record.d_outputs[i], row));
  }
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].params > 0) s.gradient_norms.push_back({layers[i].name, record.gradient_norms.at(i)});
  }
  return s;
}

WeightStep weight_step(Sequential& model, const StepRecord& record, size_t layer, const std::string& param,
                       Index element, Index row) {
  require_row(record, row);
  if (layer >= model.layer_count()) {
    throw Error("step-through: layer " + std::to_string(layer) + " is out of range (0.." +
                std::to_string(model.layer_count() - 1) + ")");
  }
  const std::vector<LayerSummary> layers = model.summary_rows();
  const std::vector<Param> params = model.params();
  size_t slot = params.size();
  for (size_t k = 0; k < params.size(); ++k) {
    if (record.param_layer.at(k) == layer && params[k].name == param) slot = k;
  }
  if (slot == params.size()) {
    throw Error("step-through: " + layers[layer].name + " has no parameter \"" + param + "\"" +
                (layers[layer].params == 0 ? " (it has no parameters: choose a dense or conv2d layer)" : ""));
  }
  const Param& p = params[slot];
  const Eigen::VectorXf& grads = record.grads.at(slot);
  if (element < 0) grads.cwiseAbs().maxCoeff(&element);
  if (element >= p.size()) {
    throw Error("step-through: " + layers[layer].name + " " + param + " has " + std::to_string(p.size()) +
                " elements (0.." + std::to_string(p.size() - 1) + "), not " + std::to_string(element));
  }
  WeightStep w;
  w.layer_name = layers[layer].name;
  w.param = param;
  w.element = element;
  w.row = element / p.cols;
  w.col = element % p.cols;
  w.value_before = record.values_before.at(slot)[element];
  w.gradient = grads[element];
  w.gradient_total = record.grads_total.at(slot)[element];
  w.regularization = w.gradient_total - w.gradient;
  w.value_after = record.values_after.at(slot)[element];

  const Matrix& x = layer_input(record, layer);
  const Matrix& dy = record.d_outputs.at(layer);
  const Index n = x.rows();
  const std::string batch = std::to_string(n) + " samples";
  const std::string type = layers[layer].type;
  const bool is_bias = param == "bias";
  if (type == "dense") {
    const Index o = is_bias ? w.col : w.row;
    const double d = dy(row, o);
    if (is_bias) {
      w.gradient_formula = "dL/db[" + std::to_string(o) + "] = sum over the " + batch + " of dL/dy[n," +
                           std::to_string(o) + "]; this sample: " + num(d) + "; the batch: " + num(w.gradient);
      w.gradient_terms = {{"dL/dy[s,o]", d}, {"gradient", w.gradient}};
    } else {
      const Index i = w.col;
      const double xi = x(row, i);
      w.gradient_formula = "dL/dW[" + std::to_string(o) + "," + std::to_string(i) + "] = sum over the " + batch +
                           " of dL/dy[n," + std::to_string(o) + "] * x[n," + std::to_string(i) + "]; this sample: " +
                           num(d) + " * " + num(xi) + " = " + num(d * xi) + "; the batch: " + num(w.gradient);
      w.gradient_terms = {{"dL/dy[s,o]", d}, {"x[s,i]", xi}, {"sample term", d * xi}, {"gradient", w.gradient}};
    }
  } else if (type == "conv2d") {
    const nlohmann::json j = model.layer(layer).to_json();
    const int k = j["kernel"], stride = j["stride"], pad = j["padding"];
    const Shape in = detail::image_shape(w.layer_name, input_shape_of(model, layer));
    const Shape out = layers[layer].output;
    const Index f = is_bias ? w.col : w.row;
    const int c = is_bias ? 0 : int(w.col / (k * k)), ky = is_bias ? 0 : int(w.col / k % k), kx = is_bias ? 0 : int(w.col % k);
    // This sample's part of the sum over positions (the batch's part is every sample's).
    double term = 0;
    for (int oy = 0; oy < out.h; ++oy) {
      for (int ox = 0; ox < out.w; ++ox) {
        const double d = dy(row, (f * out.h + oy) * out.w + ox);
        if (is_bias) {
          term += d;
          continue;
        }
        const int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
        if (iy < 0 || ix < 0 || iy >= in.h || ix >= in.w) continue;  // zero padding
        term += d * double(x(row, (c * in.h + iy) * in.w + ix));
      }
    }
    const std::string positions = std::to_string(out.h) + "x" + std::to_string(out.w) + " positions p";
    if (is_bias) {
      w.gradient_formula = "dL/db[" + std::to_string(f) + "] = sum over the " + batch + " and the " + positions +
                           " of dL/dy[n," + std::to_string(f) + ",p]; this sample: " + num(term) + "; the batch: " +
                           num(w.gradient);
    } else {
      w.gradient_formula = "dL/dW[" + std::to_string(f) + "," + std::to_string(c) + "," + std::to_string(ky) + "," +
                           std::to_string(kx) + "] = sum over the " + batch + " and the " + positions +
                           " of dL/dy[n," + std::to_string(f) + ",p] * x[n," + std::to_string(c) + ",p+(" +
                           std::to_string(ky) + "," + std::to_string(kx) + ")]; this sample: " + num(term) +
                           "; the batch: " + num(w.gradient);
    }
    w.gradient_terms = {{"sample term", term}, {"gradient", w.gradient}};
  }
  if (w.regularization != 0) w.gradient_terms.push_back({"L1/L2 term", w.regularization});
  explain_update(record, slot, element, w);
  return w;
}

void explain_update(const StepRecord& record, size_t slot, Index i, WeightStep& out) {
  const OptimizerConfig& o = record.optimizer;
  const float lr = o.learning_rate;
  const float g = record.grads_total.at(slot)[i];
  const float w = record.values_before.at(slot)[i];
  auto state = [&](const std::vector<OptimizerState>& states, const std::string& name) -> float {
    for (const OptimizerState& s : states) {
      if (s.name == name && slot < s.slots.size() && s.slots[slot].size() > i) return s.slots[slot][i];
    }
    return 0.0f;  // not stepped yet: the state starts at zero
  };
  const std::string reg = out.regularization != 0 ? " (g includes the L1/L2 term)" : "";
  // The same float operations, in the same order, as engine/optimizers.cpp.
  float after = w;
  switch (o.type) {
    case OptimizerType::kSgd:
      after = w - lr * g;
      out.update_formula = "w - lr * g = " + num(w) + " - " + num(lr) + " * " + num(g) + " = " + num(after) + reg;
      out.update_terms = {{"lr", lr}, {"g", g}, {"w", w}, {"w'", after}};
      break;
    case OptimizerType::kMomentum:
    case OptimizerType::kNesterov: {
      const float v0 = state(record.state_before, "velocity");
      const float v = o.momentum * v0 + g;
      const bool nesterov = o.type == OptimizerType::kNesterov;
      after = nesterov ? w - lr * (g + o.momentum * v) : w - lr * v;
      out.update_formula = "v = mu * v + g = " + num(o.momentum) + " * " + num(v0) + " + " + num(g) + " = " + num(v) +
                           "; w - lr * " + (nesterov ? "(g + mu * v)" : "v") + " = " + num(w) + " - " + num(lr) +
                           " * " + num(nesterov ? g + o.momentum * v : v) + " = " + num(after) + reg;
      out.update_terms = {{"lr", lr}, {"mu", o.momentum}, {"g", g}, {"v before", v0}, {"v", v}, {"w", w}, {"w'", after}};
      break;
    }
    case OptimizerType::kAdam: {
      const float m0 = state(record.state_before, "m"), v0 = state(record.state_before, "v");
      const float m = o.beta1 * m0 + (1.0f - o.beta1) * g;
      const float v = o.beta2 * v0 + (1.0f - o.beta2) * (g * g);
      const double t = double(record.step_number);
      const float c1 = static_cast<float>(1.0 - std::pow(double(o.beta1), t));
      const float c2 = static_cast<float>(1.0 - std::pow(double(o.beta2), t));
      const float step_size = lr / c1, inv_c2 = 1.0f / c2;
      const float step = step_size * m / (std::sqrt(v * inv_c2) + o.epsilon);
      after = w - step;
      const double m_hat = double(m) / c1, v_hat = double(v) / c2;
      out.update_formula = "m = b1 m + (1-b1) g = " + num(m) + "; v = b2 v + (1-b2) g^2 = " + num(v) + "; m^ = m / (1-b1^" +
                           std::to_string(record.step_number) + ") = " + num(m_hat) + "; v^ = v / (1-b2^" +
                           std::to_string(record.step_number) + ") = " + num(v_hat) +
                           "; step = lr m^ / (sqrt(v^) + eps) = " + num(lr) + " * " + num(m_hat) + " / (" +
                           num(std::sqrt(v_hat)) + " + " + num(o.epsilon) + ") = " + num(step) + "; w - step = " +
                           num(w) + " - " + num(step) + " = " + num(after) + reg;
      out.update_terms = {{"lr", lr},         {"g", g},        {"t", t},           {"m before", m0}, {"v before", v0},
                          {"m", m},           {"v", v},        {"1-b1^t", c1},     {"1-b2^t", c2},   {"m^", m_hat},
                          {"v^", v_hat},      {"step", step},  {"w", w},           {"w'", after}};
      break;
    }
  }
}

}  // namespace nn
