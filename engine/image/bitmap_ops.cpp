// Shifts, rotations and stroke growth of a 32x32 bitmap (see bitmap_ops.h).
#include "engine/image/bitmap_ops.h"

#include <cmath>

namespace nn::image {
namespace {

constexpr int kSide = kBitmapSide;

uint8_t at(const Bitmap32& b, int x, int y) {
  return x >= 0 && x < kSide && y >= 0 && y < kSide ? b[y * kSide + x] : 0;
}

// One step of a 3x3 cross: grow sets a pixel with any inked neighbour, else a pixel stays
// only if all four neighbours are inked (off the box counts as background).
Bitmap32 cross_step(const Bitmap32& b, bool grow) {
  Bitmap32 out{};
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const int n = at(b, x - 1, y) + at(b, x + 1, y) + at(b, x, y - 1) + at(b, x, y + 1);
      const uint8_t self = b[y * kSide + x];
      out[y * kSide + x] = grow ? uint8_t(self || n > 0) : uint8_t(self && n == 4);
    }
  return out;
}

}  // namespace

Bitmap32 shift_bitmap(const Bitmap32& bitmap, int dx, int dy) {
  Bitmap32 out{};
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) out[y * kSide + x] = at(bitmap, x - dx, y - dy) ? 1 : 0;
  return out;
}

Bitmap32 rotate_bitmap(const Bitmap32& bitmap, float degrees) {
  const double a = double(degrees) * 3.14159265358979323846 / 180.0;
  const double c = std::cos(a), s = std::sin(a), centre = kSide / 2.0;
  Bitmap32 out{};
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const double u = x + 0.5 - centre, v = y + 0.5 - centre;
      // The inverse rotation of the pixel's centre, back to the source pixel holding it.
      const double sx = c * u + s * v + centre, sy = -s * u + c * v + centre;
      out[y * kSide + x] = at(bitmap, int(std::floor(sx)), int(std::floor(sy))) ? 1 : 0;
    }
  return out;
}

Bitmap32 grow_bitmap(const Bitmap32& bitmap, int steps) {
  Bitmap32 out = bitmap;
  for (int i = 0; i < std::abs(steps); ++i) out = cross_step(out, steps > 0);
  return out;
}

}  // namespace nn::image
