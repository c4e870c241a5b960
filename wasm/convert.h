// JS <-> engine copies for the wasm bindings: typed arrays in (one bulk set, never a call
// per element), typed arrays out (a memory view sliced into a JS-owned copy, so it cannot
// go stale when the heap grows), and engine structs as plain JS objects.
// No training logic here: everything computed comes from the engine.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/nn.h"

namespace digitlab_wasm {

using emscripten::val;

// Any JS typed array or array of numbers -> a vector, converted element type by the JS
// engine in one TypedArray.set. `what` names the argument in error messages. A length
// over max_length (by default what the memory budget holds) is refused before allocating.
std::vector<float> floats_from_js(const val& array, const char* what,
                                  size_t max_length = nn::kMemoryBudgetBytes / sizeof(float));
std::vector<uint8_t> bytes_from_js(const val& array, const char* what, size_t max_length = nn::kMemoryBudgetBytes);

// Copies out: a new Float32Array / Int32Array / Uint8Array owned by JS.
val float32_array(const float* data, size_t size);
val int32_array(const int32_t* data, size_t size);
val uint8_array(const uint8_t* data, size_t size);

// [c] for a flat shape, [c, h, w] for an image.
val shape_to_js(const nn::Shape& shape);

// {layers: [{name, type, outputShape, params}], totalParams, inputShape, text}
val summary_to_js(nn::Sequential& model);
val progress_to_js(const nn::Progress& progress, const std::vector<nn::EpochMetrics>& history);
// {loss, accuracy, confusion, misclassified: [{index, label, predicted}]} on `data`.
val evaluation_to_js(const nn::Evaluation& evaluation, const nn::Dataset& data);
// {layer, type, rows, cols, weight[, kernel, channels]}; throws for a layer without weights.
val layer_weights_to_js(nn::Sequential& model, int layer);

// Reads createTrainer's options object into the engine's config; fields left undefined
// keep the engine's defaults. Throws nn::Error naming a field of the wrong type.
struct TrainOptions {
  std::string architecture;
  nn::TrainConfig config;
  float validation_share = 0.1f;
  float test_share = 0.2f;
  bool font_digits = false;  // append the digits of loadFontDigits() to the training split
};
TrainOptions train_options_from_js(const val& options);

// A seed from JS: an integer in [0, 2^53]. Throws nn::Error naming `field` otherwise.
uint64_t seed_from_js(const val& value, const char* field);

}  // namespace digitlab_wasm
