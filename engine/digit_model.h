// A model used on digits (the CLI, the page) must read 64 features and give 10 outputs,
// one per digit: an 11-output model would show "10" as a digit and a probability of NaN.
#pragma once

#include <string>

#include "engine/sequential.h"

namespace nn {

// Throws nn::Error("<what>: the model gives 11 outputs; a digits model needs 10 ...").
void check_digit_model(const Sequential& model, const std::string& what);

}  // namespace nn
