// Weight initialisers: He normal and Xavier/Glorot uniform, drawn from the caller's nn::Rng
// so a seed fixes the whole model. Biases are not touched here: layers zero them.
#include "engine/initializers.h"

#include <cmath>

#include "engine/error.h"

namespace nn {

std::string init_name(Init init) {
  switch (init) {
    case Init::kHe: return "he";
    case Init::kXavier: return "xavier";
  }
  return "he";
}

Init parse_init(const std::string& name) {
  if (name == "he") return Init::kHe;
  if (name == "xavier" || name == "glorot") return Init::kXavier;
  throw Error("unknown init \"" + name + "\": expected \"he\" or \"xavier\"");
}

void init_weights(Init init, MatrixView w, int fan_in, int fan_out, Rng& rng) {
  if (fan_in <= 0 || fan_out <= 0) {
    throw Error("init_weights: fan_in and fan_out must be > 0, got fan_in=" + std::to_string(fan_in) +
                ", fan_out=" + std::to_string(fan_out));
  }
  float* data = w.data();
  const Index n = w.size();
  if (init == Init::kHe) {
    // Var = 2/fan_in keeps the activation variance constant through ReLU layers.
    const float stddev = std::sqrt(2.0f / static_cast<float>(fan_in));
    for (Index i = 0; i < n; ++i) data[i] = rng.normal(0.0f, stddev);
  } else {
    // Uniform(-l, l) has variance l^2/3 = 2/(fan_in + fan_out).
    const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
    for (Index i = 0; i < n; ++i) data[i] = rng.uniform(-limit, limit);
  }
}

}  // namespace nn
