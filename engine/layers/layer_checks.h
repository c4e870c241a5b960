// Argument and shape checks shared by the layer implementations, so every layer reports a
// bad setting or a mismatched batch with the same wording (layer, field, value, shapes).
// Internal to the engine (the layers and the architecture parser): not part of its public surface.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/error.h"
#include "engine/tensor.h"

namespace nn::detail {

// Largest units/filters/kernel/stride/padding/pool size we accept: far beyond anything that
// fits in a browser tab, small enough that sizes multiplied together stay within int32.
constexpr int kMaxLayerSetting = 65536;
// Largest per-sample tensor (features, im2col row, parameter count) a layer may create.
constexpr long long kMaxElements = 1LL << 28;

// Buffer::view() on a non-const Buffer is mutable; layers hand out read-only views.
inline ConstMatrixView const_view(const Buffer& b) { return b.view(); }

// A float setting (dropout rate, alpha) as the double with the shortest decimal that reads
// back to the same float, so JSON shows 0.2 rather than 0.20000000298023224.
inline double json_float(float v) {
  char text[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, static_cast<double>(v));
    if (std::strtof(text, nullptr) == v) break;
  }
  return std::strtod(text, nullptr);
}

inline std::string shape_str(Index rows, Index cols) {
  return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

// Throws unless lo <= value <= kMaxLayerSetting.
inline void check_setting(const std::string& layer, const std::string& field, int value, int lo) {
  if (value < lo || value > kMaxLayerSetting) {
    throw Error(layer + ": " + field + " must be " + (lo == 0 ? "0" : std::to_string(lo)) + ".." +
                std::to_string(kMaxLayerSetting) + ", got " + std::to_string(value));
  }
}

// The three per-batch checks below run on every forward and backward, so they take the
// layer's name as a callable (e.g. [this] { return label(); }) and build that string only
// when a check fails.

template <class Name>
inline void check_built(const Name& layer, bool built) {
  if (!built) throw Error(std::string(layer()) + ": forward called before build() fixed the input shape");
}

// forward: the batch must have exactly the built number of columns.
template <class Name>
inline void check_forward_input(const Name& layer, Index cols, const Shape& built_for, Index rows) {
  if (cols != built_for.size()) {
    throw Error(std::string(layer()) + ": input batch " + shape_str(rows, cols) + " has " + std::to_string(cols) +
                " columns but the layer was built for input shape " + built_for.str() + " = " +
                std::to_string(built_for.size()) + " features per sample");
  }
}

// backward: needs a forward first, and d_output must have the last output's shape.
template <class Name>
inline void check_backward_input(const Name& layer, Index forward_rows, Index rows, Index cols,
                                 Index out_cols) {
  if (forward_rows <= 0) throw Error(std::string(layer()) + ": backward called before forward");
  if (rows != forward_rows || cols != out_cols) {
    throw Error(std::string(layer()) + ": d_output is " + shape_str(rows, cols) + " but the last forward produced " +
                shape_str(forward_rows, out_cols));
  }
}

// Conv and pooling need an image. A flat input of a square size F is read as (1, s, s) with
// s*s = F (so "input": 64 works for 8x8 digits); any other flat size is an error.
inline Shape image_shape(const std::string& layer, const Shape& input) {
  if (input.c <= 0 || input.h <= 0 || input.w <= 0) {
    throw Error(layer + ": input shape " + input.str() + " has a non-positive dimension");
  }
  if (!input.is_flat()) return input;
  const int side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(input.c))));
  if (side * side != input.c) {
    throw Error(layer + ": needs an image input (C, H, W), got flat input " + input.str() +
                ", which is not a square image; give the input as [C, H, W]");
  }
  return Shape{1, side, side};
}

}  // namespace nn::detail
