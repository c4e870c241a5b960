// The JS side of "learn my handwriting" (engine/fine_tune.h): glue only. Models cross as
// model files (an array of Uint8Array: one model, or every member of an ensemble), the
// personal set as {features: N * 64 floats, labels: N digits}, the rest as options
// {seed, testShare, validationShare, fontDigits, variants}: the split the models are scored
// on, whether the font digits join the training data, and the variants the ensemble reads in.
#pragma once

#include <emscripten/val.h>

namespace digitlab_wasm {

// -> {models: [Uint8Array], before, after, copies, trainSamples}; before/after:
// {test, personal, heldOut, testSize, personalSize, heldOutSize}. Nothing is kept here.
emscripten::val fine_tune_js(const emscripten::val& model_files, const emscripten::val& personal,
                             const emscripten::val& options);
// -> {test, personal, heldOut, testSize, personalSize, heldOutSize, heldOutMask} of the models
// as they are; heldOutMask: a Uint8Array, 1 for each drawing of the held-out part.
emscripten::val personal_scores_js(const emscripten::val& model_files, const emscripten::val& personal,
                                   const emscripten::val& options);

}  // namespace digitlab_wasm
