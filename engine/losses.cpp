// Loss functions over a batch (N, K): value (mean over rows) and gradient of that mean.
// Softmax and sigmoid cross-entropy work from logits in a form that never overflows;
// no allocation happens here (probabilities are written into caller-owned storage).
#include "engine/losses.h"

#include <cmath>

#include "engine/error.h"
#include "engine/simd.h"

namespace nn {

void check_loss_shapes(const char* loss, ConstMatrixView output, ConstMatrixView target) {
  if (output.rows() != target.rows() || output.cols() != target.cols()) {
    throw Error(std::string(loss) + ": output shape (" + std::to_string(output.rows()) + ", " +
                std::to_string(output.cols()) + ") does not match target shape (" +
                std::to_string(target.rows()) + ", " + std::to_string(target.cols()) + ")");
  }
}

float inverse_rows(ConstMatrixView m) { return m.rows() > 0 ? 1.0f / static_cast<float>(m.rows()) : 0.0f; }

// ---- softmax cross-entropy ------------------------------------------------------------

// -sum_k y_k log softmax(z)_k = sum_k y_k (logsumexp(z) - z_k); logsumexp is taken after
// subtracting the row maximum so logits of any magnitude stay finite.
float SoftmaxCrossEntropy::value(ConstMatrixView output, ConstMatrixView target) const {
  check_loss_shapes("softmax_cross_entropy", output, target);
  double total = 0;
  for (Index i = 0; i < output.rows(); ++i) {
    const float m = output.row(i).maxCoeff();
    const double lse = m + std::log(static_cast<double>((output.row(i).array() - m).exp().sum()));
    for (Index k = 0; k < output.cols(); ++k) {
      const float y = target(i, k);
      if (y != 0.0f) total += y * (lse - output(i, k));
    }
  }
  return static_cast<float>(total * inverse_rows(output));
}

// d/dz of the mean loss: (softmax(z) * sum(y) - y) / N, which is (p - y) / N for one-hot y.
void SoftmaxCrossEntropy::gradient(ConstMatrixView output, ConstMatrixView target,
                                   MatrixView d_output) const {
  check_loss_shapes("softmax_cross_entropy", output, target);
  probabilities(output, d_output);
  const float scale = inverse_rows(output);
  for (Index i = 0; i < output.rows(); ++i) {
    const float mass = target.row(i).sum();
    d_output.row(i) = (d_output.row(i) * mass - target.row(i)) * scale;
  }
}

// The shifted logits z - max(row) are written first, so that one exp then runs over the whole
// contiguous block (vectorised, engine/simd.h; rows of 10 classes are too short to vectorise
// one by one, and Eigen's exp has no wasm SIMD path).
void SoftmaxCrossEntropy::shift_rows(ConstMatrixView output, MatrixView shifted) {
  for (Index i = 0; i < output.rows(); ++i) shifted.row(i) = output.row(i).array() - output.row(i).maxCoeff();
}

// With u = z - max(row), e = exp(u) and s = sum(e) per row: the loss term is
// sum_k y_k (log s - u_k) = sum(y) log s - sum_k y_k u_k, and the gradient (e / s * sum(y) - y) / N.
// The y . u part is taken while u is still in d_output, before the exp overwrites it.
float SoftmaxCrossEntropy::value_and_gradient(ConstMatrixView output, ConstMatrixView target,
                                              MatrixView d_output) const {
  check_loss_shapes("softmax_cross_entropy", output, target);
  const float scale = inverse_rows(output);
  shift_rows(output, d_output);
  double total = 0;
  for (Index i = 0; i < d_output.size(); ++i) {
    const float y = target.data()[i];
    if (y != 0.0f) total -= double(y) * d_output.data()[i];  // skipped zeros: 0 * -inf would be NaN
  }
  simd::exp_in_place(d_output.data(), d_output.size());
  for (Index i = 0; i < output.rows(); ++i) {
    const float s = d_output.row(i).sum();
    const float mass = target.row(i).sum();
    if (mass != 0.0f) total += double(mass) * std::log(s);  // float log: s is a float sum
    d_output.row(i) = (d_output.row(i) * (mass / s) - target.row(i)) * scale;
  }
  return static_cast<float>(total * scale);
}

void SoftmaxCrossEntropy::probabilities(ConstMatrixView output, MatrixView probs) const {
  shift_rows(output, probs);
  simd::exp_in_place(probs.data(), probs.size());
  for (Index i = 0; i < output.rows(); ++i) probs.row(i) /= probs.row(i).sum();
}

// ---- mean squared error ---------------------------------------------------------------

float MeanSquaredError::value(ConstMatrixView output, ConstMatrixView target) const {
  check_loss_shapes("mse", output, target);
  double total = 0;
  for (Index i = 0; i < output.size(); ++i) {
    const double d = double(output.data()[i]) - double(target.data()[i]);
    total += d * d;
  }
  return static_cast<float>(total * inverse_rows(output));
}

void MeanSquaredError::gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const {
  check_loss_shapes("mse", output, target);
  d_output = (output - target) * (2.0f * inverse_rows(output));
}

void MeanSquaredError::probabilities(ConstMatrixView output, MatrixView probs) const { probs = output; }

// ---- sigmoid cross-entropy ------------------------------------------------------------

// Per element max(z,0) - z*y + log(1 + exp(-|z|)): equal to -y log s - (1-y) log(1-s)
// with s = sigmoid(z), but exp never sees a positive argument.
float SigmoidCrossEntropy::value(ConstMatrixView output, ConstMatrixView target) const {
  check_loss_shapes("sigmoid_cross_entropy", output, target);
  double total = 0;
  for (Index i = 0; i < output.size(); ++i) {
    const double z = output.data()[i];
    const double y = target.data()[i];
    total += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
  }
  return static_cast<float>(total * inverse_rows(output));
}

void SigmoidCrossEntropy::gradient(ConstMatrixView output, ConstMatrixView target,
                                   MatrixView d_output) const {
  check_loss_shapes("sigmoid_cross_entropy", output, target);
  probabilities(output, d_output);
  d_output = (d_output - target) * inverse_rows(output);
}

// sigmoid(z) evaluated on the side where exp cannot overflow.
void SigmoidCrossEntropy::probabilities(ConstMatrixView output, MatrixView probs) const {
  for (Index i = 0; i < output.size(); ++i) {
    const float z = output.data()[i];
    if (z >= 0) {
      probs.data()[i] = 1.0f / (1.0f + std::exp(-z));
    } else {
      const float e = std::exp(z);
      probs.data()[i] = e / (1.0f + e);
    }
  }
}

std::unique_ptr<Loss> make_loss(const std::string& name) {
  if (name == "softmax_cross_entropy") return std::make_unique<SoftmaxCrossEntropy>();
  if (name == "mse") return std::make_unique<MeanSquaredError>();
  if (name == "sigmoid_cross_entropy") return std::make_unique<SigmoidCrossEntropy>();
  throw Error("unknown loss \"" + name +
              "\": expected softmax_cross_entropy, mse or sigmoid_cross_entropy");
}

}  // namespace nn
