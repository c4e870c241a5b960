// Test-time input variants of a digit: the same 8x8 features seen a little differently
// (shifted a pixel sideways in the 32x32 box, strokes a pixel wider or narrower), so an
// ensemble can average its reading over them. Every variant is made from the 8x8 features
// alone (their exact-count 32x32 bitmap, image/bitmap32.h), so drawings, dataset digits and
// font digits all get the same treatment. Deterministic: no randomness.
#pragma once

#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/tensor.h"

namespace nn {

enum class InputVariant {
  kIdentity,    // the features as they are
  kShiftLeft,   // the 32x32 bitmap moved one pixel left (the column leaving the box is lost)
  kShiftRight,  // ... one pixel right
  kThicker,     // every horizontal run of ink one pixel longer (on its right)
  kThinner,     // every run longer than one pixel one pixel shorter (on its right)
  kBolder,      // the bitmap, enlarged 3x, re-preprocessed (no deskew) aiming at coverage 0.36
  kLighter,     // ... aiming at coverage 0.24
  kClockwise,   // the bitmap, enlarged 3x, turned kTurnRadians clockwise and re-preprocessed (no deskew)
  kAnticlockwise,  // ... turned anticlockwise
};
// How far kClockwise and kAnticlockwise turn a digit: about 11 degrees. Deskewing takes a
// slant away, not a turn (a digit written rotated keeps its tilt). Measured at 0.12, 0.20
// and 0.28 (tools/handwriting/README.md): 0.20 and 0.28 alike, 0.12 less.
constexpr float kTurnRadians = 0.20f;
// The coverages kBolder and kLighter ask preprocess_drawing for. From such blocky input its
// thickness rounds stop short of the target, so the result is a re-normalised digit (more
// ink for kBolder than for kLighter), not one with exactly that coverage.
constexpr float kBolderCoverage = 0.36f;
constexpr float kLighterCoverage = 0.24f;

// "identity", "left", "right", "thick", "thin", "bolder", "lighter", "cw", "ccw"; parse throws nn::Error naming the word.
std::string variant_name(InputVariant v);
InputVariant parse_variant(const std::string& name);
// A comma-separated list ("identity,left,right"); "" or "none" is just the identity.
std::vector<InputVariant> parse_variants(const std::string& list);
// The list parse_variants reads back.
std::string variant_list(const std::vector<InputVariant>& variants);

// The variants the default reads a drawing in (identity, left, right, bolder, lighter, cw,
// ccw): measured best over held-out writers and the hard pen-stroke set (tools/handwriting/README.md).
std::vector<InputVariant> default_variants();

// x: (N, 64) features in [0, 1] -> (N * V, 64): row i * V + v is variant v of digit i.
// Throws nn::Error if x does not have 64 columns or the list is empty.
Matrix input_variants(ConstMatrixView x, const std::vector<InputVariant>& variants);

}  // namespace nn
