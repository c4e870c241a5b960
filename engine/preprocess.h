// Drawing preprocessing: a grayscale raster of any size becomes the 64 features of the
// digits dataset's own style (see ../shared/HANDWRITING.md): crop to the ink, deskew,
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

// ink: width*height values, row-major, 0 = background .. 255 = ink.
// Throws nn::Error for a size of 0 or a null raster.
Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height);

// Canvas RGBA (width*height*4) -> ink raster: dark, opaque strokes on a transparent or
// light background become ink.
std::vector<uint8_t> ink_from_rgba(const uint8_t* rgba, int width, int height);

}  // namespace nn
