// Model links (engine/model_share.h) for JS: a model file in, its link text and the model
// file of the dequantised model out; link text in, that model file and what the link says
// about itself out. Both sides of a share predict with the same dequantised model file.
#pragma once

#include <emscripten/val.h>

namespace digitlab_wasm {

// bytes: a model file -> {text, bytes (the dequantised model's file), checksum, payloadBytes}
emscripten::val share_model_js(const emscripten::val& bytes);
// text: what follows "#model=" -> {bytes, architecture, checksum, payloadBytes}
emscripten::val open_model_link_js(const emscripten::val& text);

}  // namespace digitlab_wasm
