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
  // Output pixels per side of a 4 px elastic cell (2, 4, 8, 12 or 16): 4 is one per bitmap pixel, 2 half
  // resolution (augmentation: its raster is only read back through preprocess_drawing's
  // distance field, which interpolates anyway), 8 double.
  int cell_pixels = 4;
};

constexpr int kWarpCanvas = 48;  // output side in bitmap pixels: room for rotation and shear

struct WarpScratch {
  std::vector<float> field_x, field_y;  // (G, G) coarse elastic displacements
  std::vector<float> smooth;
};

// A bitmap made ready for warping: for every pixel the 2x2 block it starts (one read per
// bilinear sample instead of four), over a one-pixel empty border so reads need no bounds
// checks, and the ink's bounding box. Copies of one image share it.
struct WarpSource {
  static constexpr int kPadded = kBitmapSide + 2;
  // (34, 34): entry (x + 1, y + 1) holds pixels (x, y), (x + 1, y), (x, y + 1), (x + 1, y + 1)
  // as bits 0..3 (pixels off the bitmap are empty).
  std::array<uint8_t, kPadded * kPadded> blocks{};
  int ink_x0 = kBitmapSide, ink_x1 = -1, ink_y0 = kBitmapSide, ink_y1 = -1;  // ink_x1 < 0: no ink
};
WarpSource prepare_warp(const Bitmap32& bitmap);

constexpr int warp_side(const WarpConfig& config) { return kWarpCanvas / 4 * config.cell_pixels; }

// bitmap -> out, a (side, side) ink raster, side = warp_side(config), 0 or 255.
// Throws nn::Error for a cell_pixels other than 2, 4, 8, 12 or 16.
void warp_bitmap(const WarpSource& source, const WarpConfig& config, Rng& rng, WarpScratch& scratch,
                 std::vector<uint8_t>& out);
void warp_bitmap(const Bitmap32& bitmap, const WarpConfig& config, Rng& rng, WarpScratch& scratch,
                 std::vector<uint8_t>& out);

}  // namespace nn::image
