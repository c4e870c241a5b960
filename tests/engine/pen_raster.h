// Test helpers for the drawing pipeline: paint round-capped pen strokes onto an ink raster
// (anti-aliased like a canvas), draw a dataset digit as a canvas raster, and load the
// shipped digits dataset.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/digits_file.h"
#include "engine/error.h"
#include "engine/image/bitmap32.h"

namespace nn::test {

struct PenPoint {
  float x, y;
};

// Paints the polyline `points` with a round pen of diameter `width` onto ink (w x h).
inline void paint_stroke(std::vector<uint8_t>& ink, int w, int h, const std::vector<PenPoint>& points,
                         float width) {
  const float r = 0.5f * width;
  for (size_t i = 0; i < points.size(); ++i) {
    const PenPoint a = points[i], b = points[std::min(i + 1, points.size() - 1)];
    const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    const int x0 = std::max(0, int(std::min(a.x, b.x) - r - 1)), x1 = std::min(w - 1, int(std::max(a.x, b.x) + r + 1));
    const int y0 = std::max(0, int(std::min(a.y, b.y) - r - 1)), y1 = std::min(h - 1, int(std::max(a.y, b.y) + r + 1));
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) {
        const float px = x + 0.5f - a.x, py = y + 0.5f - a.y;
        const float t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0f, 1.0f) : 0.0f;
        const float ex = px - t * dx, ey = py - t * dy;
        const float cover = std::clamp(r + 0.5f - std::sqrt(ex * ex + ey * ey), 0.0f, 1.0f);
        uint8_t& p = ink[size_t(y) * w + x];
        p = std::max(p, uint8_t(255 * cover + 0.5f));
      }
  }
}

// Clears `canvas` (side x side) and draws a dataset digit (64 features in [0, 1]) on it as a
// person's drawing would arrive: its exact 32x32 bitmap, enlarged `scale` times (nearest
// neighbour), with its top-left corner at (left, top).
inline void draw_dataset_digit(const float* features, std::vector<uint8_t>& canvas, int side, int scale,
                               int left, int top) {
  image::BlockCounts counts;
  for (int f = 0; f < 64; ++f) counts[f] = int(std::lround(features[f] * 16));
  const auto bitmap = image::rebuild_bitmap(counts);
  canvas.assign(size_t(side) * side, 0);
  for (int y = 0; y < 32 * scale; ++y)
    for (int x = 0; x < 32 * scale; ++x)
      canvas[size_t(y + top) * side + x + left] = bitmap[(y / scale) * 32 + x / scale] ? 255 : 0;
}

// A digits file (data/digits.bin, data/font-digits.bin) read from disk; throws nn::Error
// naming the path when it cannot be opened, or the loader's reason when it is malformed.
inline Dataset load_digits_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + path);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return load_digits(bytes.data(), bytes.size());
}

inline Dataset load_shipped_digits() {
  return load_digits_file(std::string(DIGITLAB_SOURCE_DIR) + "/data/digits.bin");
}

}  // namespace nn::test
