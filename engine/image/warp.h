// Random geometric distortion of a 32x32 digit bitmap, Simard-style ("Best Practices for
// Convolutional Neural Networks Applied to Visual Document Analysis", 2003): an affine map
// (rotation, shear, aspect) plus a smooth elastic displacement field, and sometimes a
// thinner or thicker stroke. Renders into an ink raster that preprocess_drawing reads.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/image/bitmap32.h"
#include "engine/rng.h"

namespace nn::image {

struct WarpConfig {
  float max_rotation = 0.21f;   // radians (about 12 degrees)
  float max_shear = 0.25f;
  float max_aspect = 0.15f;     // x and y scales in 1 +- this
  float elastic_std = 1.4f;     // px of the 32x32 bitmap: alpha 34, sigma 4 in Simard's terms
  float thickness_share = 0.25f;  // share of copies drawn thinner or thicker
  int upsample = 1;             // output pixels per bitmap pixel
};

constexpr int kWarpCanvas = 48;  // output side in bitmap pixels: room for rotation and shear

struct WarpScratch {
  std::vector<float> field_x, field_y;  // (G, G) coarse elastic displacements
  std::vector<float> smooth;
};

// A bitmap made ready for warping: a copy with a one-pixel empty border (so bilinear reads
// need no bounds checks) and its ink's bounding box. Copies of one image share it.
struct WarpSource {
  static constexpr int kPadded = kBitmapSide + 2;
  std::array<uint8_t, kPadded * kPadded> padded{};  // (34, 34): pixel (x, y) at (x + 1, y + 1), 0 or 1
  int ink_x0 = kBitmapSide, ink_x1 = -1, ink_y0 = kBitmapSide, ink_y1 = -1;  // ink_x1 < 0: no ink
};
WarpSource prepare_warp(const Bitmap32& bitmap);

// bitmap -> out, a (side, side) ink raster, side = kWarpCanvas * upsample, 0 or 255.
void warp_bitmap(const WarpSource& source, const WarpConfig& config, Rng& rng, WarpScratch& scratch,
                 std::vector<uint8_t>& out);
void warp_bitmap(const Bitmap32& bitmap, const WarpConfig& config, Rng& rng, WarpScratch& scratch,
                 std::vector<uint8_t>& out);

}  // namespace nn::image
