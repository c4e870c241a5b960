// Seeing inside a model: every layer's output for one sample, for the page's "inside" view
// (activations, feature maps, logits, probabilities) and the step-through of a batch.
#pragma once

#include <string>
#include <vector>

#include "engine/rng.h"
#include "engine/sequential.h"
#include "engine/tensor.h"

namespace nn {

struct LayerActivation {
  std::string name;  // "input", "conv2d_1", ..., "softmax": summary_rows() names for layers
  std::string type;  // "input", the layer's type_name(), or "softmax" / "sigmoid"
  Shape shape;       // of one sample; values are channel-major (C x H x W), like the engine's rows
  std::vector<float> values;
};

// The input and every layer's output for ONE sample (x: 1 x F_in), in the given mode.
// Layout: element 0 is the input itself {name "input", type "input", the model's input shape};
// elements 1..L are the outputs of layers 0..L-1 (element i+1 is layer i, named as in
// summary_rows(), so the last one holds the logits); then, when the loss turns outputs into
// probabilities, one more element: {name "softmax", type "softmax"} for
// softmax_cross_entropy or {name "sigmoid", type "sigmoid"} for sigmoid_cross_entropy, shape
// (K). An mse model has no extra element (its outputs are its scores).
// Runs a forward pass, so it replaces what the layers kept for backward: call it between
// training steps, not between a step's forward and backward. Throws nn::Error when x is
// not one row of the model's input size or the model is not built.
std::vector<LayerActivation> trace_forward(Sequential& model, ConstMatrixView x, Mode mode = Mode::kInfer);
// The same, with the rng kTrain-mode dropout draws its mask from (trace_forward above uses a
// fixed seed 0 for it).
std::vector<LayerActivation> trace_forward(Sequential& model, ConstMatrixView x, Mode mode, Rng& rng);

}  // namespace nn
