// Architecture descriptions: the JSON text that the CLI, the page and model files use to
// describe a model, e.g.
//   {"input": [1, 8, 8], "loss": "softmax_cross_entropy", "layers": [
//     {"type": "conv2d", "filters": 16, "kernel": 3, "padding": 1}, {"type": "relu"},
//     {"type": "maxpool2d", "size": 2}, {"type": "flatten"}, {"type": "dense", "units": 10}]}
// "input" is a feature count (64) or [C, H, W]. Dense/conv2d "init" defaults to "he" when a
// relu/leaky_relu follows and to "xavier" otherwise.
#pragma once

#include <string>
#include <vector>

#include "engine/sequential.h"

namespace nn {

// Parses and shape-checks a description into an unbuilt model; throws nn::Error with a
// message naming the layer (by position and type) and the field that is wrong.
// Text longer than kMaxArchitectureBytes is refused unread (256 layers need a few KiB).
constexpr size_t kMaxArchitectureBytes = 1024 * 1024;
Sequential parse_architecture(const std::string& text);
// One layer from its JSON object (the inverse of Layer::to_json).
LayerPtr parse_layer(const nlohmann::json& layer);

// Built-in models: "linear" (one dense layer), "mlp" (64-128-10), "deep_mlp"
// (64-256-128-64-10), "cnn" (the benchmark's, README.md "Benchmarks"). dropout > 0 inserts Dropout(dropout)
// after each hidden activation. Throws nn::Error for an unknown name.
std::string preset_architecture(const std::string& name, float dropout = 0.0f);
std::vector<std::string> preset_names();

}  // namespace nn
