// JS <-> engine copies for the wasm bindings: typed arrays in (one bulk set, never a call
// per element), typed arrays out (a memory view sliced into a JS-owned copy, so it cannot
// go stale when the heap grows), and engine structs as plain JS objects.
// No training logic here: everything computed comes from the engine.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/experiment.h"
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
// {loss, accuracy, confusion, misclassified: [{index, label, predicted}], predicted, labels
// (Int32Arrays, one per sample)[, probabilities (Float32Array N * K)]} on `data`.
val evaluation_to_js(const nn::Evaluation& evaluation, const nn::Dataset& data);
// {layer, type, rows, cols, weight[, kernel, channels]}; throws for a layer without weights.
val layer_weights_to_js(nn::Sequential& model, int layer);

// Reads a JS options object into the engine's settings, field by field through the schema
// (engine/settings.h): each field is optional (the "defaults" profile fills it), of the
// schema's type, within its limits. `allowed` lists the other keys the caller takes (e.g.
// "architecture"); any other key is an error, so a misspelt option cannot be ignored.
// Errors name the JS field: "createTrainer: testShare 1.5 is invalid: it must be below 1 ...".
nn::Settings settings_from_js(const val& options, const char* who, const std::vector<std::string>& allowed);

// Progress, with the per-epoch test accuracies and when they reached the target.
val experiment_progress_to_js(nn::Experiment& experiment, size_t known_epochs);
// {index, label, predicted} per misclassified sample.
val misclassified_to_js(const std::vector<nn::Misclassified>& wrong);

// [{name, type, shape, values: Float32Array}] (engine/inspect.h), in the trace's order.
val trace_to_js(const std::vector<nn::LayerActivation>& trace);

// The step-through and the gradient check (engine/step_trace.h, engine/gradient_check.h).
val step_record_to_js(const nn::StepRecord& record);  // the batch: samples, labels, losses, ...
val sample_step_to_js(const nn::SampleStep& step);
val weight_step_to_js(const nn::WeightStep& step);
val gradient_check_to_js(const nn::GradientCheck& check);

// A seed from JS, within the schema's limits. Throws nn::Error naming `field` otherwise.
uint64_t seed_from_js(const val& value, const char* field);

}  // namespace digitlab_wasm
