// Sequential model: shape inference as layers are added, a forward/backward chain, batched
// inference (predict/evaluate never hold more than one batch of activations) and a
// Keras-like summary. Training loops live in trainer.cpp, not here.
#include "engine/sequential.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <new>
#include <sstream>

#include "engine/error.h"
#include "engine/memory_budget.h"

namespace nn {

namespace {

std::string layer_label(size_t position, const std::string& type) {
  return "layer " + std::to_string(position) + " (" + type + ")";
}

// Parameters a layer will have once built, from its settings: lets summary() report the
// size of an unbuilt model (architecture checks) without allocating anything.
Index planned_params(const Layer& layer, const Shape& input) {
  const nlohmann::json j = layer.to_json();
  const std::string type = layer.type_name();
  if (type == "dense" && j.contains("units")) {
    return j["units"].get<Index>() * (Index(input.size()) + 1);
  }
  if (type == "conv2d" && j.contains("filters") && j.contains("kernel")) {
    const Index k = j["kernel"].get<Index>();
    const Index channels = input.is_flat() ? 1 : input.c;  // a flat input is read as one image
    return j["filters"].get<Index>() * (channels * k * k + 1);
  }
  return 0;
}

std::string with_thousands(Index n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

Sequential::Sequential(Shape input, const std::string& loss) : input_(input), loss_(make_loss(loss)) {
  if (input.c < 1 || input.h < 1 || input.w < 1) {
    throw Error("model input shape " + input.str() + " is invalid: every dimension must be >= 1");
  }
}

Shape Sequential::output_shape() const { return shapes_.empty() ? input_ : shapes_.back(); }

void Sequential::add(LayerPtr layer) {
  if (!layer) throw Error("Sequential::add: the layer is null");
  if (built_) throw Error("Sequential::add: the model is already built; add every layer before build()");
  const Shape in = output_shape();
  Shape out;
  try {
    out = layer->output_shape(in);
  } catch (const Error& e) {
    throw Error(layer_label(layers_.size() + 1, layer->type_name()) + ": " + e.what());
  }
  layers_.push_back(std::move(layer));
  shapes_.push_back(out);
}

void Sequential::build(Rng& rng) {
  if (built_) throw Error("Sequential::build: the model is already built");
  if (layers_.empty()) throw Error("Sequential::build: the model has no layers");
  Shape in = input_;
  for (size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->build(in, rng);
    in = shapes_[i];
  }
  built_ = true;
}

ConstMatrixView Sequential::forward(ConstMatrixView x, Mode mode, Rng& rng, PassObserver* observer) {
  if (!built_) throw Error("Sequential::forward: build the model first");
  if (x.cols() != input_.size()) {
    throw Error("model input has " + std::to_string(x.cols()) + " features per sample, but the model expects " +
                std::to_string(input_.size()) + " (input shape " + input_.str() + ")");
  }
  // Eigen maps cannot be reassigned; rebinding through placement new is Eigen's own idiom.
  ConstMatrixView h = x;
  for (size_t i = 0; i < layers_.size(); ++i) {
    ConstMatrixView next = layers_[i]->forward(h, mode, rng);
    new (&h) ConstMatrixView(next.data(), next.rows(), next.cols());
    if (observer) observer->forward_output(i, h);
  }
  return h;
}

size_t Sequential::first_trained_layer() {
  const std::vector<LayerSummary> rows = summary_rows();
  size_t first = 0;
  while (first + 1 < rows.size() && rows[first].params == 0) ++first;
  return first;
}

void Sequential::backward(ConstMatrixView d_output, PassObserver* observer) {
  // Nobody reads dLoss/dInput of the model, so the chain stops at the first layer with
  // parameters, and that layer (if it can) skips its input gradient: for the mlp's first
  // Dense that product is as large as its weight gradient.
  // Found once (layers are fixed after build), so backward allocates nothing.
  if (!backward_stop_known_) {
    if (!built_) throw Error("Sequential::backward: build the model first");
    const size_t first = first_trained_layer();
    layers_[first]->set_input_gradient(false);
    backward_stop_ = first;
    backward_stop_known_ = true;
  }
  ConstMatrixView d = d_output;
  for (size_t i = layers_.size(); i-- > backward_stop_;) {
    if (observer) observer->backward_d_output(i, d);
    ConstMatrixView next = layers_[i]->backward(d);
    new (&d) ConstMatrixView(next.data(), next.rows(), next.cols());
  }
}

void Sequential::zero_grad() {
  for (auto& layer : layers_) layer->zero_grad();
}

void Sequential::overwrite_gradients_next() {
  for (auto& layer : layers_) layer->overwrite_gradients_next();
}

std::vector<Param> Sequential::params() {
  std::vector<Param> all;
  for (auto& layer : layers_) {
    for (auto& p : layer->params()) all.push_back(p);
  }
  return all;
}

Index Sequential::param_count() {
  Index n = 0;
  for (auto& p : params()) n += p.size();
  return n;
}

Matrix Sequential::predict(ConstMatrixView x) {
  const Index k = output_shape().size();
  const Index batch = inference_batch_rows(*this, "predict", saturating_mul(uint64_t(x.rows()), uint64_t(k) * sizeof(float)));
  Matrix probs(x.rows(), k);  // (N, K)
  for (Index start = 0; start < x.rows(); start += batch) {
    const Index rows = std::min(batch, x.rows() - start);
    ConstMatrixView xb(x.data() + start * x.cols(), rows, x.cols());
    ConstMatrixView out = forward(xb, Mode::kInfer, infer_rng_);
    MatrixView p(probs.data() + start * k, rows, k);
    loss_->probabilities(out, p);
    // Finite weights can still overflow float on the way: never hand out NaN as a probability.
    for (Index r = 0; r < rows; ++r) {
      if (!p.row(r).allFinite()) {
        throw Error("predict: the model's output for row " + std::to_string(start + r + 1) +
                    " is not a finite number (its activations overflow float)");
      }
    }
  }
  return probs;
}

Evaluation Sequential::evaluate(const Dataset& data) {
  const Index k = output_shape().size();
  const Index n = data.size();
  if (static_cast<Index>(data.y.size()) != n) {
    throw Error("evaluate: the dataset has " + std::to_string(n) + " samples but " +
                std::to_string(data.y.size()) + " labels");
  }
  // The K x K confusion matrix and the predictions count against the budget too: a model
  // with 20,000 outputs would need 1.6 GB for the matrix alone.
  const uint64_t results = saturating_add(saturating_mul(saturating_mul(uint64_t(k), uint64_t(k)), sizeof(int)),
                                          saturating_mul(uint64_t(n), sizeof(int)));
  const Index batch = inference_batch_rows(*this, "evaluate", results);
  Evaluation ev;
  ev.confusion.assign(k, std::vector<int>(k, 0));
  ev.predicted.resize(n);
  if (n == 0) return ev;
  for (Index i = 0; i < n; ++i) {
    if (data.y[i] < 0 || data.y[i] >= k) {
      throw Error("evaluate: label " + std::to_string(data.y[i]) + " of sample " + std::to_string(i) +
                  " is outside the model's " + std::to_string(k) + " classes");
    }
  }
  Matrix target(std::min(batch, n), k);  // (B, K) one-hot
  double loss_sum = 0;
  Index correct = 0;
  for (Index start = 0; start < n; start += batch) {
    const Index rows = std::min(batch, n - start);
    ConstMatrixView xb(data.x.data() + start * data.x.cols(), rows, data.x.cols());
    ConstMatrixView out = forward(xb, Mode::kInfer, infer_rng_);
    target.setZero();
    for (Index r = 0; r < rows; ++r) target(r, data.y[start + r]) = 1.0f;
    loss_sum += double(loss_->value(out, ConstMatrixView(target.data(), rows, k))) * double(rows);
    for (Index r = 0; r < rows; ++r) {
      Index best = 0;
      out.row(r).maxCoeff(&best);
      const int truth = data.y[start + r];
      ev.predicted[start + r] = static_cast<int>(best);
      ev.confusion[truth][best] += 1;
      if (best == truth) ++correct;
    }
  }
  ev.loss = static_cast<float>(loss_sum / double(n));
  ev.accuracy = static_cast<float>(double(correct) / double(n));
  return ev;
}

std::vector<LayerSummary> Sequential::summary_rows() {
  std::vector<LayerSummary> rows;
  std::map<std::string, int> seen;  // type -> how many so far, for "dense_2"
  Shape in = input_;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const std::string type = layers_[i]->type_name();
    LayerSummary row;
    row.name = type + "_" + std::to_string(++seen[type]);
    row.type = type;
    row.output = shapes_[i];
    row.params = built_ ? layers_[i]->param_count() : planned_params(*layers_[i], in);
    rows.push_back(row);
    in = shapes_[i];
  }
  return rows;
}

std::string Sequential::summary() {
  const auto rows = summary_rows();
  std::ostringstream s;
  auto line = [&](const std::string& a, const std::string& b, const std::string& c) {
    s << a << std::string(a.size() < 28 ? 28 - a.size() : 1, ' ') << b
      << std::string(b.size() < 20 ? 20 - b.size() : 1, ' ') << c << "\n";
  };
  const std::string rule(60, '=');
  s << "Input shape: " << input_.str() << "\n";
  line("Layer (type)", "Output shape", "Params");
  s << rule << "\n";
  Index total = 0;
  for (const auto& r : rows) {
    line(r.name + " (" + r.type + ")", r.output.str(), with_thousands(r.params));
    total += r.params;
  }
  s << rule << "\n";
  s << "Total params: " << with_thousands(total) << "\n";
  s << "Loss: " << loss_->type_name() << "\n";
  return s.str();
}

nlohmann::json Sequential::to_json() const {
  nlohmann::json j;
  if (input_.is_flat()) {
    j["input"] = input_.c;
  } else {
    j["input"] = {input_.c, input_.h, input_.w};
  }
  j["loss"] = loss_->type_name();
  j["layers"] = nlohmann::json::array();
  for (const auto& layer : layers_) j["layers"].push_back(layer->to_json());
  return j;
}

}  // namespace nn
