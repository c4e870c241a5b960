// Finite differences against backward for one parameter element (see gradient_check.h).
#include "engine/gradient_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/error.h"

namespace nn {

namespace {

constexpr uint64_t kDropoutSeed = 1;  // every pass of one check draws this mask

double softmax_cross_entropy_double(ConstMatrixView out, ConstMatrixView targets) {
  double total = 0;
  for (Index i = 0; i < out.rows(); ++i) {
    const double m = out.row(i).maxCoeff();
    double sum = 0;
    for (Index k = 0; k < out.cols(); ++k) sum += std::exp(double(out(i, k)) - m);
    const double lse = m + std::log(sum);
    for (Index k = 0; k < out.cols(); ++k) {
      if (targets(i, k) != 0.0f) total += double(targets(i, k)) * (lse - double(out(i, k)));
    }
  }
  return out.rows() > 0 ? total / double(out.rows()) : 0.0;
}

Param find_param(Sequential& model, size_t layer, const std::string& name, std::string& layer_name) {
  if (layer >= model.layer_count()) {
    throw Error("gradient check: layer " + std::to_string(layer) + " is out of range (the model has " +
                std::to_string(model.layer_count()) + " layers, 0.." + std::to_string(model.layer_count() - 1) + ")");
  }
  layer_name = model.summary_rows()[layer].name;
  for (const Param& p : model.layer(layer).params()) {
    if (p.name == name) return p;
  }
  throw Error("gradient check: " + layer_name + " has no parameter \"" + name + "\"" +
              (model.layer(layer).params().empty() ? " (it has no parameters: choose a dense or conv2d layer)"
                                                   : " (it has weight and bias)"));
}

}  // namespace

double batch_loss(Sequential& model, ConstMatrixView x, ConstMatrixView targets, Mode mode, uint64_t dropout_seed) {
  Rng rng(dropout_seed);
  ConstMatrixView out = model.forward(x, mode, rng);
  if (model.loss().type_name() == "softmax_cross_entropy") return softmax_cross_entropy_double(out, targets);
  return double(model.loss().value(out, targets));
}

std::string read_gradient_check(double analytic, double numeric, double relative_error) {
  char text[160];
  if (analytic == 0 && numeric == 0) {
    return "both are 0: this element does not change the loss of this batch (a unit that never fires?)";
  }
  if (!std::isfinite(relative_error)) return "cannot compare: a gradient is not a finite number";
  if (relative_error < 1e-2) {
    std::snprintf(text, sizeof text, "agree to %.0e", std::max(relative_error, 1e-9));
  } else {
    std::snprintf(text, sizeof text, "disagree: relative error %.2g (a kink of relu/max-pool within eps, or a bug)",
                  relative_error);
  }
  return text;
}

GradientCheck gradient_check(Sequential& model, ConstMatrixView x, ConstMatrixView targets, size_t layer,
                             const std::string& param, Index element, float eps) {
  if (!model.built()) throw Error("gradient check: build the model first");
  if (!(eps > 0) || !std::isfinite(eps)) throw Error("gradient check: eps must be a finite number > 0");
  if (x.rows() < 1 || targets.rows() != x.rows()) throw Error("gradient check: needs a batch of at least 1 sample with its targets");
  GradientCheck c;
  c.layer = layer;
  c.param = param;
  c.eps = eps;
  Param p = find_param(model, layer, param, c.layer_name);
  c.rows = p.rows;
  c.cols = p.cols;

  // Analytic: one training-mode pass (dropout's mask from kDropoutSeed) and backward.
  Rng rng(kDropoutSeed);
  ConstMatrixView out = model.forward(x, Mode::kTrain, rng);
  Matrix d_out(out.rows(), out.cols());
  model.loss().gradient(out, targets, MatrixView(d_out.data(), d_out.rows(), d_out.cols()));
  model.overwrite_gradients_next();
  model.backward(view(d_out));
  if (element < 0) {
    Index best = 0;
    p.grad_vector().cwiseAbs().maxCoeff(&best);
    element = best;
  }
  if (element >= p.size()) {
    throw Error("gradient check: " + c.layer_name + " " + param + " has " + std::to_string(p.size()) +
                " elements (0.." + std::to_string(p.size() - 1) + "), not " + std::to_string(element));
  }
  c.element = element;
  c.analytic = p.grad[element];

  // Numeric: the same passes with the element moved by +-eps, then put back exactly.
  const float keep = p.value[element];
  c.value = keep;
  p.value[element] = keep + eps;
  c.loss_plus = batch_loss(model, x, targets, Mode::kTrain, kDropoutSeed);
  p.value[element] = keep - eps;
  c.loss_minus = batch_loss(model, x, targets, Mode::kTrain, kDropoutSeed);
  p.value[element] = keep;
  // The step actually taken in float: (keep + eps) - (keep - eps) may differ from 2 eps.
  const double step = double(keep + eps) - double(keep - eps);
  c.numeric = (c.loss_plus - c.loss_minus) / step;
  const double scale = std::max(std::abs(c.analytic), std::abs(c.numeric));
  c.relative_error = scale > 0 ? std::abs(c.analytic - c.numeric) / scale : 0.0;
  c.reading = read_gradient_check(c.analytic, c.numeric, c.relative_error);
  return c;
}

}  // namespace nn
