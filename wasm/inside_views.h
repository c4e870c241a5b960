// Bindings for the page's views of what happens inside the network: the preprocessing steps
// of a drawing as images with the naive downscale beside them, the occlusion map and the
// confidence curves (ModelApi and EnsembleHandle methods, defined in inside_views.cpp), and
// the trainer's per-epoch test evaluation. Glue only: the engine computes every number.
#pragma once

#include <emscripten/val.h>

namespace digitlab_wasm {

using emscripten::val;

// pixels (RGBA or gray, as preprocess) -> {blank, features, stages: [{name, width, height,
// pixels: Float32Array}], inkBox: {x0, y0, x1, y1} | null, shear, growth, naive: Float32Array(64)}.
val preprocess_stages_js(const val& pixels, int width, int height);

}  // namespace digitlab_wasm
