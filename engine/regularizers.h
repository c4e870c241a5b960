// L1 and L2 penalties on regularized params (weights, not biases), as a value to add to
// the loss and a gradient to add to the params' gradients.
#pragma once

#include <vector>

#include "engine/layer.h"

namespace nn {

// l1 * sum|w| + (l2 / 2) * sum w^2 over regularized params.
float regularization_penalty(const std::vector<Param>& params, float l1, float l2);
// grad += l1 * sign(w) + l2 * w for regularized params.
void apply_regularization(const std::vector<Param>& params, float l1, float l2);

}  // namespace nn
