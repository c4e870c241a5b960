// Affine + elastic warp of a 32x32 bitmap. The elastic field is drawn on a coarse grid (one
// node every 4 px, about Simard's sigma), smoothed once and interpolated bilinearly: the same
// smooth, correlated displacements as blurring per-pixel noise with a Gaussian, at a
// fraction of the cost (this runs ~40k times per epoch in the browser). The map from output
// to bitmap is bilinear inside each grid cell, so the images of a cell's corners bound where
// its pixels land: cells that land wholly off the bitmap's ink are skipped.
#include "engine/image/warp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "engine/error.h"
#include "engine/simd.h"

namespace nn::image {
namespace {

constexpr int kNodeSpacing = 4;  // bitmap px between elastic nodes
constexpr int kNodes = kWarpCanvas / kNodeSpacing + 2;
// [1 2 1]/4 in both directions shrinks unit noise to std 0.375; undo that.
constexpr float kSmoothedStd = 0.375f;
// The nodes' noise: uniform with unit variance (Simard's own rand(-1, 1) before smoothing,
// rescaled), not normal: the smoothing mixes 9 nodes into each, and Box-Muller's log, sin
// and cos cost more than the rest of the field together.
constexpr float kUnitUniform = 1.7320508075688772f;  // sqrt(3)

void draw_field(Rng& rng, float std_px, std::vector<float>& field, std::vector<float>& tmp) {
  field.resize(kNodes * kNodes);
  tmp.resize(kNodes * kNodes);
  for (float& v : field) v = rng.uniform(-kUnitUniform, kUnitUniform);
  auto at = [](int i) { return std::clamp(i, 0, kNodes - 1); };
  for (int y = 0; y < kNodes; ++y)
    for (int x = 0; x < kNodes; ++x)
      tmp[y * kNodes + x] = 0.25f * (field[y * kNodes + at(x - 1)] + 2 * field[y * kNodes + x] +
                                      field[y * kNodes + at(x + 1)]);
  const float gain = std_px / kSmoothedStd;
  for (int y = 0; y < kNodes; ++y)
    for (int x = 0; x < kNodes; ++x)
      field[y * kNodes + x] = gain * 0.25f * (tmp[at(y - 1) * kNodes + x] + 2 * tmp[y * kNodes + x] +
                                              tmp[at(y + 1) * kNodes + x]);
}

constexpr int kCells = kWarpCanvas / kNodeSpacing;  // cells per side of the output
constexpr int kPadded = WarpSource::kPadded;

}  // namespace

WarpSource prepare_warp(const Bitmap32& bitmap) {
  WarpSource source;
  for (int y = 0; y < kBitmapSide; ++y)
    for (int x = 0; x < kBitmapSide; ++x)
      if (bitmap[y * kBitmapSide + x]) {
        // Pixel (x, y) is in the blocks starting at (x - 1 .. x, y - 1 .. y).
        uint8_t* at = source.blocks.data() + (y + 1) * kPadded + x + 1;
        at[0] |= 1;
        at[-1] |= 2;
        at[-kPadded] |= 4;
        at[-kPadded - 1] |= 8;
        source.ink_x0 = std::min(source.ink_x0, x);
        source.ink_x1 = std::max(source.ink_x1, x);
        source.ink_y0 = std::min(source.ink_y0, y);
        source.ink_y1 = std::max(source.ink_y1, y);
      }
  return source;
}

void warp_bitmap(const Bitmap32& bitmap, const WarpConfig& config, Rng& rng, WarpScratch& scratch,
                 std::vector<uint8_t>& out) {
  warp_bitmap(prepare_warp(bitmap), config, rng, scratch, out);
}

void warp_bitmap(const WarpSource& source, const WarpConfig& config, Rng& rng, WarpScratch& scratch,
                 std::vector<uint8_t>& out) {
  // Refused before any draw, so a bad config leaves the generator where it was.
  const int cell_px = config.cell_pixels;  // output pixels per cell side
  if (cell_px != 2 && (cell_px < 4 || cell_px > 16 || cell_px % 4 != 0))
    throw Error("warp_bitmap: cell_pixels " + std::to_string(cell_px) + " must be 2, 4, 8, 12 or 16");
  // Inverse map: output point (centred, bitmap units) -> bitmap point.
  const float angle = rng.uniform(-config.max_rotation, config.max_rotation);
  const float shear = rng.uniform(-config.max_shear, config.max_shear);
  const float scale_x = 1.0f + rng.uniform(-config.max_aspect, config.max_aspect);
  const float scale_y = 1.0f + rng.uniform(-config.max_aspect, config.max_aspect);
  const float c = std::cos(angle), s = std::sin(angle);
  // M = R * Shear * Scale
  const float m00 = c * scale_x, m01 = (c * shear - s) * scale_y;
  const float m10 = s * scale_x, m11 = (s * shear + c) * scale_y;
  float level = 0.5f;  // bilinear coverage above which a pixel is ink
  if (rng.uniform() < config.thickness_share) level = rng.uniform() < 0.5f ? 0.2f : 0.8f;
  draw_field(rng, config.elastic_std, scratch.field_x, scratch.smooth);
  draw_field(rng, config.elastic_std, scratch.field_y, scratch.smooth);

  const int side = warp_side(config);
  out.assign(size_t(side) * side, 0);

  if (source.ink_x1 < 0) return;
  // The ink's bounding box: a point maps to ink only if it lands within a pixel of it.
  const int ink_x0 = source.ink_x0, ink_x1 = source.ink_x1, ink_y0 = source.ink_y0, ink_y1 = source.ink_y1;
  const float lo_x = ink_x0 - 1.0f, hi_x = ink_x1 + 1.0f, lo_y = ink_y0 - 1.0f, hi_y = ink_y1 + 1.0f;

  // Bitmap coordinates of the grid nodes (output point (4i, 4j), centred, plus displacement).
  const float half = 0.5f * kWarpCanvas, centre = 0.5f * kBitmapSide;
  float node_x[kCells + 1][kCells + 1], node_y[kCells + 1][kCells + 1];  // (13, 13)
  for (int j = 0; j <= kCells; ++j)
    for (int i = 0; i <= kCells; ++i) {
      const float ox = float(kNodeSpacing * i) - half + scratch.field_x[j * kNodes + i];
      const float oy = float(kNodeSpacing * j) - half + scratch.field_y[j * kNodes + i];
      // Bitmap pixel i covers [i, i+1); its centre is at i + 0.5.
      node_x[j][i] = m00 * ox + m01 * oy + centre - 0.5f;
      node_y[j][i] = m10 * ox + m11 * oy + centre - 0.5f;
    }

  using V = simd::Vec<4>;
  using VI = simd::IntVec<4>;
  typedef uint8_t Bytes __attribute__((vector_size(4)));
  // Four pixels at a time: the float-to-int conversions and the bilinear weights as vectors,
  // only the block reads one by one. Returns 255 for ink, 0 otherwise, per lane.
  const auto render4 = [&](V bx, V by, Bytes& ink) {
    // Beyond a pixel off the ink's box every bilinear weight falls on empty pixels.
    const VI inside = (bx > lo_x) & (bx < hi_x) & (by > lo_y) & (by < hi_y);
    if (!(inside[0] | inside[1] | inside[2] | inside[3])) return false;
    // Inside the box bx, by > -1, so truncating bx + 1 floors them (the others are
    // clamped first, only to keep their reads in the blocks).
    const V cx = inside ? bx : V{} + 0.0f, cy = inside ? by : V{} + 0.0f;
    const VI x0 = __builtin_convertvector(cx + 1.0f, VI) - 1, y0 = __builtin_convertvector(cy + 1.0f, VI) - 1;
    const V tx = cx - __builtin_convertvector(x0, V), ty_px = cy - __builtin_convertvector(y0, V);
    const VI at = (y0 + 1) * kPadded + x0 + 1;
    const uint8_t* q = source.blocks.data();
    const VI block = {q[at[0]], q[at[1]], q[at[2]], q[at[3]]};
    const auto corner = [&](int bit) { return __builtin_convertvector((block >> bit) & 1, V); };
    const V p00 = corner(0), p01 = corner(1), p10 = corner(2), p11 = corner(3);
    const V value = (1 - ty_px) * ((1 - tx) * p00 + tx * p01) + ty_px * ((1 - tx) * p10 + tx * p11);
    ink = __builtin_convertvector(inside & (value > level) & 255, Bytes);
    return true;
  };
  const V lane = {0.5f, 1.5f, 2.5f, 3.5f};  // pixel centres of four neighbours in a row
  const V lane_u = {0.25f, 0.75f, 0.25f, 0.75f}, lane_v = {0.25f, 0.25f, 0.75f, 0.75f};  // a 2x2 cell
  for (int j = 0; j < kCells; ++j) {
    for (int i = 0; i < kCells; ++i) {
      const float x00 = node_x[j][i], x01 = node_x[j][i + 1], x10 = node_x[j + 1][i], x11 = node_x[j + 1][i + 1];
      const float y00 = node_y[j][i], y01 = node_y[j][i + 1], y10 = node_y[j + 1][i], y11 = node_y[j + 1][i + 1];
      // Inside the cell every point is a convex mix of the corners: cull on their extent.
      if (std::max({x00, x01, x10, x11}) <= lo_x || std::min({x00, x01, x10, x11}) >= hi_x ||
          std::max({y00, y01, y10, y11}) <= lo_y || std::min({y00, y01, y10, y11}) >= hi_y)
        continue;
      // The displacement is bilinear in the cell and the affine map linear, so a pixel's
      // bitmap point is the bilinear mix of the corners' points: two lerps per row and one
      // per pixel, instead of interpolating both fields and mapping every pixel.
      uint8_t* corner_px = out.data() + size_t(j * cell_px) * side + i * cell_px;
      Bytes ink;
      if (cell_px == 2) {  // the cell's four pixels as one vector, the same formula per lane
        const V left_x = x00 + lane_v * (x10 - x00), right_x = x01 + lane_v * (x11 - x01);
        const V left_y = y00 + lane_v * (y10 - y00), right_y = y01 + lane_v * (y11 - y01);
        if (!render4(left_x + lane_u * (right_x - left_x), left_y + lane_u * (right_y - left_y), ink)) continue;
        corner_px[0] = ink[0];
        corner_px[1] = ink[1];
        corner_px[side] = ink[2];
        corner_px[side + 1] = ink[3];
        continue;
      }
      for (int dv = 0; dv < cell_px; ++dv) {
        const float ty = (dv + 0.5f) / float(cell_px);
        const float left_x = x00 + ty * (x10 - x00), right_x = x01 + ty * (x11 - x01);
        const float left_y = y00 + ty * (y10 - y00), right_y = y01 + ty * (y11 - y01);
        const float step_x = (right_x - left_x) / float(cell_px), step_y = (right_y - left_y) / float(cell_px);
        uint8_t* row = corner_px + size_t(dv) * side;
        for (int du = 0; du < cell_px; du += 4) {
          if (render4(left_x + (lane + float(du)) * step_x, left_y + (lane + float(du)) * step_y, ink))
            __builtin_memcpy(row + du, &ink, sizeof ink);
        }
      }
    }
  }
}

}  // namespace nn::image
