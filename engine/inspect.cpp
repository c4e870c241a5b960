// trace_forward: the model's layers run one by one on one sample, each output copied out.
#include "engine/inspect.h"

#include <new>

#include "engine/error.h"

namespace nn {

namespace {

LayerActivation copy_activation(std::string name, std::string type, Shape shape, ConstMatrixView row) {
  LayerActivation a{std::move(name), std::move(type), shape, {}};
  a.values.assign(row.data(), row.data() + row.size());
  return a;
}

}  // namespace

std::vector<LayerActivation> trace_forward(Sequential& model, ConstMatrixView x, Mode mode) {
  Rng rng(0);
  return trace_forward(model, x, mode, rng);
}

std::vector<LayerActivation> trace_forward(Sequential& model, ConstMatrixView x, Mode mode, Rng& rng) {
  if (!model.built()) throw Error("trace_forward: build the model first");
  if (x.rows() != 1 || x.cols() != model.input_shape().size()) {
    throw Error("trace_forward: expected one sample of " + std::to_string(model.input_shape().size()) +
                " features (input shape " + model.input_shape().str() + "), got " + std::to_string(x.rows()) +
                " x " + std::to_string(x.cols()));
  }
  const std::vector<LayerSummary> rows = model.summary_rows();
  std::vector<LayerActivation> trace;
  trace.reserve(rows.size() + 2);
  trace.push_back(copy_activation("input", "input", model.input_shape(), x));
  ConstMatrixView h = x;
  for (size_t i = 0; i < model.layer_count(); ++i) {
    ConstMatrixView next = model.layer(i).forward(h, mode, rng);
    // Eigen maps cannot be reassigned; rebinding through placement new is Eigen's own idiom.
    new (&h) ConstMatrixView(next.data(), next.rows(), next.cols());
    trace.push_back(copy_activation(rows[i].name, rows[i].type, rows[i].output, h));
  }
  const std::string loss = model.loss().type_name();
  if (loss == "softmax_cross_entropy" || loss == "sigmoid_cross_entropy") {
    Matrix probs(1, h.cols());
    model.loss().probabilities(h, MatrixView(probs.data(), 1, probs.cols()));
    const std::string kind = loss == "softmax_cross_entropy" ? "softmax" : "sigmoid";
    trace.push_back(copy_activation(kind, kind, Shape{int(h.cols()), 1, 1}, view(probs)));
  }
  return trace;
}

}  // namespace nn
