// Losses over a batch of network outputs (N, K) and targets (N, K). The loss of a batch is
// its mean over samples. Where maths is better fused it is: SoftmaxCrossEntropy takes
// logits (stable for |logit| ~ 1000, gradient (p - y) / N), SigmoidCrossEntropy takes
// logits too. probabilities() turns outputs into what predict() reports.
#pragma once

#include <memory>
#include <string>

#include "engine/tensor.h"

namespace nn {

class Loss {
 public:
  virtual ~Loss() = default;
  virtual std::string type_name() const = 0;  // "softmax_cross_entropy", "mse", "sigmoid_cross_entropy"
  // Mean loss of the batch.
  virtual float value(ConstMatrixView output, ConstMatrixView target) const = 0;
  // dLoss/dOutput of the mean loss, written into d_output (N, K).
  virtual void gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const = 0;
  // value() and gradient() in one call: the training step's path, which a loss may fuse
  // (softmax cross-entropy computes its exponentials once). Same results as the two calls.
  virtual float value_and_gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const {
    const float v = value(output, target);
    gradient(output, target, d_output);
    return v;
  }
  // What the model reports as class scores: softmax, sigmoid, or the outputs themselves.
  virtual void probabilities(ConstMatrixView output, MatrixView probs) const = 0;
};

// -log softmax(z)_y averaged over rows; targets are one-hot (or any distribution).
class SoftmaxCrossEntropy : public Loss {
 public:
  std::string type_name() const override { return "softmax_cross_entropy"; }
  float value(ConstMatrixView output, ConstMatrixView target) const override;
  void gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const override;
  float value_and_gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const override;
  void probabilities(ConstMatrixView output, MatrixView probs) const override;

 private:
  // shifted = output - row max, row by row (the exp's input, which then never overflows).
  static void shift_rows(ConstMatrixView output, MatrixView shifted);
};

// Mean squared error: sum over K of (out - target)^2, averaged over rows.
class MeanSquaredError : public Loss {
 public:
  std::string type_name() const override { return "mse"; }
  float value(ConstMatrixView output, ConstMatrixView target) const override;
  void gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const override;
  void probabilities(ConstMatrixView output, MatrixView probs) const override;
};

// Binary cross-entropy of sigmoid(z) per output, summed over K, averaged over rows;
// computed from logits as max(z,0) - z*y + log(1 + exp(-|z|)).
class SigmoidCrossEntropy : public Loss {
 public:
  std::string type_name() const override { return "sigmoid_cross_entropy"; }
  float value(ConstMatrixView output, ConstMatrixView target) const override;
  void gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const override;
  void probabilities(ConstMatrixView output, MatrixView probs) const override;
};

// For Loss implementations (these and the lesson's, engine/loss_comparison.h): throws
// nn::Error naming the loss when output and target differ in shape; 1 / rows (0 for none),
// the scale of a mean over rows.
void check_loss_shapes(const char* loss, ConstMatrixView output, ConstMatrixView target);
float inverse_rows(ConstMatrixView m);

// "softmax_cross_entropy" | "mse" | "sigmoid_cross_entropy"; throws nn::Error otherwise.
std::unique_ptr<Loss> make_loss(const std::string& name);

}  // namespace nn
