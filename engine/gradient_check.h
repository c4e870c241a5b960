// The gradient check the page shows (issue "see inside"): for one parameter element of a
// model, the analytic gradient of the batch's mean loss from backward() next to the central
// finite difference (L(w + eps) - L(w - eps)) / 2 eps from two forward passes, and their
// relative error. Dropout draws the same mask in every pass (a fixed seed), so it is checked
// like every other layer. The losses of the finite difference are summed in double from the
// float outputs, which keeps float rounding out of the difference of two nearby losses.
#pragma once

#include <string>

#include "engine/sequential.h"

namespace nn {

struct GradientCheck {
  size_t layer = 0;          // index into the model's layers
  std::string layer_name;    // "conv2d_1"
  std::string param;         // "weight" | "bias"
  Index element = 0;         // row-major index into the param
  Index rows = 0, cols = 0;  // the param's shape
  float value = 0;           // the element's value (unchanged by the check)
  float eps = 0;             // the finite-difference step
  double analytic = 0;       // dLoss/dw from backward
  double numeric = 0;        // the central difference
  double loss_plus = 0, loss_minus = 0;  // L(w + eps), L(w - eps)
  double relative_error = 0; // |a - n| / max(|a|, |n|), 0 when both are 0
  std::string reading;       // one line: "agree to 3e-4", ...
};

// The batch's mean loss in double: softmax cross-entropy summed in double from the logits,
// other losses as their value().
double batch_loss(Sequential& model, ConstMatrixView x, ConstMatrixView targets, Mode mode, uint64_t dropout_seed);

// Checks element `element` of param `param` ("weight" or "bias") of layer `layer` on the
// batch (x, one-hot targets). element -1 picks the element with the largest analytic
// |gradient| (the one a check says most about). Leaves the parameters as they were; the
// parameter gradients hold the batch's gradient afterwards. Throws nn::Error naming the
// layer or the range for a layer without that param or an element out of range.
GradientCheck gradient_check(Sequential& model, ConstMatrixView x, ConstMatrixView targets, size_t layer,
                             const std::string& param, Index element = -1, float eps = 1e-3f);

// "agree to 3e-04" (relative error < 1e-2), "disagree: relative error 0.25", or, when both
// are 0, that the element does not move the loss on this batch.
std::string read_gradient_check(double analytic, double numeric, double relative_error);

}  // namespace nn
