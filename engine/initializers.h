// Weight initialisers. He (normal, std sqrt(2/fan_in)) suits layers followed by ReLU;
// Xavier/Glorot (uniform, limit sqrt(6/(fan_in+fan_out))) suits sigmoid, tanh and output
// layers. Biases always start at zero.
// He et al. 2015, https://arxiv.org/abs/1502.01852; Glorot & Bengio 2010.
#pragma once

#include <string>

#include "engine/rng.h"
#include "engine/tensor.h"

namespace nn {

enum class Init { kHe, kXavier };

std::string init_name(Init init);             // "he", "xavier"
Init parse_init(const std::string& name);     // throws nn::Error on an unknown name

// Fills w (fan_out rows, fan_in columns) in place.
void init_weights(Init init, MatrixView w, int fan_in, int fan_out, Rng& rng);

}  // namespace nn
