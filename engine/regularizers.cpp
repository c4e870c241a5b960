// L1/L2 penalties (value and gradient) over the regularized params of a model. Biases are
// never regularized: their Param says so, and these functions only read that flag.
#include "engine/regularizers.h"

#include <cmath>

namespace nn {

float regularization_penalty(const std::vector<Param>& params, float l1, float l2) {
  double total = 0;
  for (const auto& p : params) {
    if (!p.regularized) continue;
    const auto w = p.value_vector();
    if (l1 != 0.0f) total += double(l1) * double(w.cwiseAbs().sum());
    if (l2 != 0.0f) total += 0.5 * double(l2) * double(w.squaredNorm());
  }
  return static_cast<float>(total);
}

void apply_regularization(const std::vector<Param>& params, float l1, float l2) {
  if (l1 == 0.0f && l2 == 0.0f) return;
  for (const auto& p : params) {
    if (!p.regularized) continue;
    auto w = p.value_vector();
    auto g = p.grad_vector();
    // sign(0) = 0: the subgradient that leaves exact zeros where they are.
    if (l1 != 0.0f) g.array() += l1 * w.array().sign();
    if (l2 != 0.0f) g += l2 * w;
  }
}

}  // namespace nn
