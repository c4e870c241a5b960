// Exact squared Euclidean distance transform of a binary raster, separable: the column pass
// is two linear scans (distance to the nearest target pixel in the column, in whole pixels),
// the row pass takes the lower envelope of parabolas (Felzenszwalb & Huttenlocher 2012,
// algorithm DT(f)) for the background and a short outward search for the ink, whose distances
// are small (strokes are thin), so both passes stay linear in the raster size.
#include "engine/image/distance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nn::image {
namespace {

constexpr float kFar = 1e20f;
constexpr int kNone = 1 << 28;  // column has no target pixel (yet): stays far above any real distance

// 1D squared distance transform of f (n values) into d, using the scratch v, z.
void transform_1d(const float* f, float* d, int n, int* v, float* z) noexcept {
  const float inf = std::numeric_limits<float>::infinity();
  int k = 0;
  v[0] = 0;
  z[0] = -inf;
  z[1] = inf;
  for (int q = 1; q < n; ++q) {
    float s;
    for (;;) {
      const int p = v[k];
      s = ((f[q] + float(q) * q) - (f[p] + float(p) * p)) / (2.0f * float(q - p));
      if (s > z[k]) break;
      --k;  // z[0] = -inf stops this at k = 0
    }
    ++k;
    v[k] = q;
    z[k] = s;
    z[k + 1] = inf;
  }
  k = 0;
  for (int q = 0; q < n; ++q) {
    while (z[k + 1] < float(q)) ++k;
    const float diff = float(q - v[k]);
    d[q] = diff * diff + f[v[k]];
  }
}

float squared(int g) { return g >= kNone ? kFar : float(g) * float(g); }

// Column pass for both targets at once: out_col = vertical distance to the nearest ink pixel,
// in_col = to the nearest background pixel (kNone when the column has none).
void column_pass(const uint8_t* ink, int w, int h, int* out_col, int* in_col) noexcept {
  for (int x = 0; x < w; ++x) {
    const bool on = ink[x] != 0;
    out_col[x] = on ? 0 : kNone;
    in_col[x] = on ? kNone : 0;
  }
  for (int y = 1; y < h; ++y) {
    const uint8_t* row = ink + size_t(y) * w;
    const int* out_up = out_col + size_t(y - 1) * w;
    const int* in_up = in_col + size_t(y - 1) * w;
    int* out_here = out_col + size_t(y) * w;
    int* in_here = in_col + size_t(y) * w;
    for (int x = 0; x < w; ++x) {
      const bool on = row[x] != 0;
      out_here[x] = on ? 0 : std::min(out_up[x] + 1, kNone);
      in_here[x] = on ? std::min(in_up[x] + 1, kNone) : 0;
    }
  }
  for (int y = h - 2; y >= 0; --y) {
    const int* out_down = out_col + size_t(y + 1) * w;
    const int* in_down = in_col + size_t(y + 1) * w;
    int* out_here = out_col + size_t(y) * w;
    int* in_here = in_col + size_t(y) * w;
    for (int x = 0; x < w; ++x) {
      out_here[x] = std::min(out_here[x], out_down[x] + 1);
      in_here[x] = std::min(in_here[x], in_down[x] + 1);
    }
  }
}

}  // namespace

void signed_distance(const uint8_t* ink, int width, int height, DistanceScratch& s,
                     std::vector<float>& sdf) {
  const int w = width, h = height;
  const size_t n = size_t(w) * h;
  s.out_col.resize(n);
  s.in_col.resize(n);
  s.f.resize(w);
  s.d.resize(w);
  s.v.resize(w);
  s.z.resize(w + 1);
  s.in_sq.resize(w);
  sdf.resize(n);
  column_pass(ink, w, h, s.out_col.data(), s.in_col.data());
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = ink + size_t(y) * w;
    const int* out_col = s.out_col.data() + size_t(y) * w;
    const int* in_col = s.in_col.data() + size_t(y) * w;
    float* out = sdf.data() + size_t(y) * w;
    // Background: squared distance to the ink, exact lower envelope over the row.
    for (int x = 0; x < w; ++x) s.f[x] = squared(out_col[x]);
    transform_1d(s.f.data(), s.d.data(), w, s.v.data(), s.z.data());
    for (int x = 0; x < w; ++x) s.in_sq[x] = squared(in_col[x]);
    for (int x = 0; x < w; ++x) {
      // Pixel centres are 1 apart; the edge lies half way between an ink and a background pixel.
      if (!row[x]) {
        out[x] = std::sqrt(std::min(s.d[x], 1e8f)) - 0.5f;
        continue;
      }
      // Ink: the nearest background pixel is at most sqrt(best) columns away, so search
      // outward only that far; every candidate further out is at least dx^2.
      float best = s.in_sq[x];
      for (int dx = 1; dx < w && float(dx) * dx < best; ++dx) {
        const float step = float(dx) * dx;
        if (x >= dx) best = std::min(best, step + s.in_sq[x - dx]);
        if (x + dx < w) best = std::min(best, step + s.in_sq[x + dx]);
      }
      out[x] = 0.5f - std::sqrt(std::min(best, 1e8f));
    }
  }
}

}  // namespace nn::image
