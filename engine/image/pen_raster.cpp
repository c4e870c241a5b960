#include "engine/image/pen_raster.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/error.h"
#include "engine/image/bitmap32.h"

namespace nn::image {

void paint_stroke(std::vector<uint8_t>& ink, int w, int h, const std::vector<PenPoint>& points, float width) {
  if (ink.size() != size_t(w) * size_t(h))
    throw Error("paint_stroke: raster has " + std::to_string(ink.size()) + " pixels, expected " +
                std::to_string(w) + "x" + std::to_string(h));
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

void draw_dataset_digit(const float* features, std::vector<uint8_t>& canvas, int side, int scale, int left,
                        int top) {
  const int extent = kBitmapSide * scale;
  if (scale < 1 || left < 0 || top < 0 || left + extent > side || top + extent > side)
    throw Error("draw_dataset_digit: a digit " + std::to_string(extent) + " px wide at (" + std::to_string(left) +
                ", " + std::to_string(top) + ") does not fit a " + std::to_string(side) + " px canvas");
  BlockCounts counts;
  for (int f = 0; f < 64; ++f) counts[f] = int(std::lround(features[f] * 16));
  const auto bitmap = rebuild_bitmap(counts);
  canvas.assign(size_t(side) * side, 0);
  for (int y = 0; y < extent; ++y)
    for (int x = 0; x < extent; ++x)
      canvas[size_t(y + top) * side + x + left] = bitmap[(y / scale) * kBitmapSide + x / scale] ? 255 : 0;
}

}  // namespace nn::image
