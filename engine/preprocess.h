// Drawing preprocessing: a grayscale raster of any size becomes the 64 features of the
// digits dataset's own style (tools/handwriting/README.md measures each step): crop to the ink, deskew,
// normalise the stroke thickness, fit the full height of a 32x32 box with a capped width,
// centre, count the ink of each 4x4 block (0..16) and scale to [0, 1].
// Ink is LIGHT: 0 = background, 255 = full ink (ink_from_rgba converts canvas pixels).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/dataset.h"

namespace nn {

struct Preprocessed {
  bool blank = true;                           // no (or too little) ink: do not classify
  std::array<float, kDigitFeatures> features;  // 8x8 row-major in [0, 1]
};

// The pipeline's tunable steps; the defaults are the product's (measured in
// tools/handwriting). Variants exist to measure what each step is worth.
struct PreprocessOptions {
  bool deskew = true;              // shear the slant away (second moments of the ink)
  float target_coverage = 0.30f;   // grow/shrink strokes to this share of the 32x32 box; <= 0: off
  bool fill_height = true;         // full height of the box; false: keep the aspect ratio
  float width_cap = 22.0f;         // widest a digit may be, in pixels of the 32x32 box
};

// The largest raster side preprocessing takes (a canvas is a few hundred pixels).
constexpr int kMaxDrawingSide = 4096;

// ink: width*height values, row-major, 0 = background .. 255 = ink.
// Throws nn::Error for a size outside 1..kMaxDrawingSide or a null raster.
Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height);
Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height,
                                const PreprocessOptions& options);

// Canvas RGBA (width*height*4) -> ink raster: dark, opaque strokes on a transparent or
// light background become ink.
std::vector<uint8_t> ink_from_rgba(const uint8_t* rgba, int width, int height);

}  // namespace nn
