// Finite-difference gradient checks shared by the tests (compare tiny-dnn
// util/gradient_check.h). A layer is checked through the scalar "fake loss"
// L = sum(forward(x) * R) with a fixed random R, so backward is exercised with an arbitrary
// upstream gradient (llm.c doc/layernorm). Central differences are taken in float on the
// engine but with a step chosen for float, and compared by relative error
// |a - n| / max(|a|, |n|, floor).
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "engine/layer.h"
#include "engine/losses.h"
#include "engine/rng.h"
#include "engine/tensor.h"

namespace nn::test {

struct GradCheckResult {
  double max_rel_error = 0;  // over every checked coordinate
  std::string worst;         // "input[3,7]" or "weight[12]": where it was worst
};

inline double rel_error(double a, double n, double floor = 1e-3) {
  return std::abs(a - n) / std::max({std::abs(a), std::abs(n), floor});
}

// Random matrix with entries uniform in [lo, hi].
inline Matrix random_matrix(Index rows, Index cols, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(lo, hi);
  return m;
}

// Fake loss of a built layer in inference mode (pass kTrain for layers whose training mode
// is deterministic given a reseeded rng).
inline double fake_loss(Layer& layer, const Matrix& x, const Matrix& r, Mode mode, uint64_t seed) {
  Rng rng(seed);
  ConstMatrixView out = layer.forward(view(x), mode, rng);
  double s = 0;
  for (Index i = 0; i < out.size(); ++i) s += double(out.data()[i]) * double(r.data()[i]);
  return s;
}

// Checks d(fake loss)/d(input) and d(fake loss)/d(every param) of `layer` at input x.
// `eps` is the central-difference step (float maths: ~1e-2 .. 1e-3 works for O(1) values).
inline GradCheckResult check_layer_gradients(Layer& layer, Matrix x, Rng& rng, float eps = 1e-2f,
                                             Mode mode = Mode::kInfer, uint64_t seed = 7) {
  GradCheckResult result;
  Rng fwd_rng(seed);
  ConstMatrixView out0 = layer.forward(view(x), mode, fwd_rng);
  Matrix r = random_matrix(out0.rows(), out0.cols(), rng);
  layer.zero_grad();
  Matrix d_input = layer.backward(view(r));
  // Snapshot analytic parameter gradients before the perturbing forwards.
  std::vector<std::vector<float>> param_grads;
  for (auto& p : layer.params()) param_grads.emplace_back(p.grad, p.grad + p.size());

  auto note = [&](double analytic, double numeric, const std::string& where) {
    double e = rel_error(analytic, numeric);
    if (e > result.max_rel_error) {
      result.max_rel_error = e;
      result.worst = where + " analytic=" + std::to_string(analytic) + " numeric=" + std::to_string(numeric);
    }
  };

  for (Index i = 0; i < x.size(); ++i) {
    const float keep = x.data()[i];
    x.data()[i] = keep + eps;
    double up = fake_loss(layer, x, r, mode, seed);
    x.data()[i] = keep - eps;
    double down = fake_loss(layer, x, r, mode, seed);
    x.data()[i] = keep;
    note(d_input.data()[i], (up - down) / (2.0 * eps), "input[" + std::to_string(i) + "]");
  }
  auto params = layer.params();
  for (size_t k = 0; k < params.size(); ++k) {
    for (Index i = 0; i < params[k].size(); ++i) {
      const float keep = params[k].value[i];
      params[k].value[i] = keep + eps;
      double up = fake_loss(layer, x, r, mode, seed);
      params[k].value[i] = keep - eps;
      double down = fake_loss(layer, x, r, mode, seed);
      params[k].value[i] = keep;
      note(param_grads[k][i], (up - down) / (2.0 * eps), params[k].name + "[" + std::to_string(i) + "]");
    }
  }
  return result;
}

// Checks a scalar function's gradient: f(x) and its analytic gradient g(x), at x.
inline GradCheckResult check_function_gradient(const std::function<double(const Matrix&)>& f,
                                               const Matrix& analytic, Matrix x, float eps = 1e-2f) {
  GradCheckResult result;
  for (Index i = 0; i < x.size(); ++i) {
    const float keep = x.data()[i];
    x.data()[i] = keep + eps;
    double up = f(x);
    x.data()[i] = keep - eps;
    double down = f(x);
    x.data()[i] = keep;
    double numeric = (up - down) / (2.0 * eps);
    double e = rel_error(analytic.data()[i], numeric);
    if (e > result.max_rel_error) {
      result.max_rel_error = e;
      result.worst = "x[" + std::to_string(i) + "] analytic=" + std::to_string(analytic.data()[i]) +
                     " numeric=" + std::to_string(numeric);
    }
  }
  return result;
}

// Relative error of a loss's gradient at outputs x against central differences of its value.
// eps 3e-2: the loss is a float, so a smaller step would drown in its rounding.
inline double loss_gradient_error(const Loss& loss, const Matrix& x, const Matrix& target) {
  Matrix analytic(x.rows(), x.cols());
  loss.gradient(view(x), view(target), MatrixView(analytic.data(), analytic.rows(), analytic.cols()));
  auto f = [&](const Matrix& z) { return double(loss.value(view(z), view(target))); };
  return check_function_gradient(f, analytic, x, 3e-2f).max_rel_error;
}

}  // namespace nn::test
