// Exact squared Euclidean distance transform of a binary raster, separable: the column pass
// is two linear scans (distance to the nearest target pixel in the column, in whole pixels),
// the row pass takes the lower envelope of parabolas (Felzenszwalb & Huttenlocher 2012,
// algorithm DT(f)) for the background and a short outward search for the ink, whose distances
// are small (strokes are thin), so both passes stay linear in the raster size.
// The background envelope holds only the columns that have ink (the others are infinitely
// far), and a row's background is computed only when a reader asks for it: preprocessing's
// box sampling reads a band of rows, and the padding around a drawing is wide.
#include "engine/image/distance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nn::image {
namespace {

constexpr float kFar = 1e20f;
constexpr float kFarDistance = 1e4f;  // sqrt of the 1e8 cap: a row without any ink column
constexpr int kNone = 1 << 28;  // column has no target pixel (yet): stays far above any real distance

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

// Background values of row y: the lower envelope of the parabolas (x - c)^2 + out_col[c]^2
// over the columns c that have ink, evaluated at the row's background pixels. All values are
// whole numbers far below 2^24, so the float arithmetic is exact and the minimum is exact.
void background_row(int y, DistanceScratch& s, float* out) noexcept {
  const int w = s.width;
  const uint8_t* row = s.ink + size_t(y) * w;
  const int* out_col = s.out_col.data() + size_t(y) * w;
  const int n = s.ink_columns;
  if (n == 0) {  // no ink anywhere in the raster's columns: everything is far
    for (int x = 0; x < w; ++x)
      if (!row[x]) out[x] = kFarDistance - 0.5f;
    return;
  }
  const int* c = s.columns.data();
  float* f = s.f.data();
  float* z = s.z.data();
  int* v = s.v.data();
  for (int i = 0; i < n; ++i) f[i] = float(out_col[c[i]]) * float(out_col[c[i]]) + float(c[i]) * float(c[i]);
  const float inf = std::numeric_limits<float>::infinity();
  int k = 0;
  v[0] = 0;  // envelope entries are indices into c
  z[0] = -inf;
  z[1] = inf;
  for (int q = 1; q < n; ++q) {
    float s_q;
    for (;;) {
      const int p = v[k];
      s_q = (f[q] - f[p]) / (2.0f * float(c[q] - c[p]));
      if (s_q > z[k]) break;
      --k;  // z[0] = -inf stops this at k = 0
    }
    ++k;
    v[k] = q;
    z[k] = s_q;
    z[k + 1] = inf;
  }
  k = 0;
  for (int x = 0; x < w; ++x) {
    while (z[k + 1] < float(x)) ++k;
    if (row[x]) continue;
    const int p = c[v[k]];
    const float diff = float(x - p);
    const float d = diff * diff + float(out_col[p]) * float(out_col[p]);
    // Pixel centres are 1 apart; the edge lies half way between an ink and a background pixel.
    out[x] = std::sqrt(std::min(d, 1e8f)) - 0.5f;
  }
}

// Ink values of row y (background pixels untouched); returns the row's minimum (or +inf).
float ink_row(int y, DistanceScratch& s, float* out) noexcept {
  const int w = s.width;
  const uint8_t* row = s.ink + size_t(y) * w;
  const int* in_col = s.in_col.data() + size_t(y) * w;
  float* in_sq = s.in_sq.data();
  float lowest = std::numeric_limits<float>::infinity();
  bool any = false;
  for (int x = 0; x < w; ++x) any |= row[x] != 0;
  if (!any) return lowest;  // the padding's rows
  for (int x = 0; x < w; ++x) in_sq[x] = squared(in_col[x]);
  for (int x = 0; x < w; ++x) {
    if (!row[x]) continue;
    // The nearest background pixel is at most sqrt(best) columns away, so search outward
    // only that far; every candidate further out is at least dx^2.
    float best = in_sq[x];
    for (int dx = 1; dx < w && float(dx) * dx < best; ++dx) {
      const float step = float(dx) * dx;
      if (x >= dx) best = std::min(best, step + in_sq[x - dx]);
      if (x + dx < w) best = std::min(best, step + in_sq[x + dx]);
    }
    out[x] = 0.5f - std::sqrt(std::min(best, 1e8f));
    lowest = std::min(lowest, out[x]);
  }
  return lowest;
}

}  // namespace

float signed_distance_begin(const uint8_t* ink, int width, int height, DistanceScratch& s,
                            std::vector<float>& sdf) {
  const int w = width, h = height;
  const size_t n = size_t(w) * h;
  s.ink = ink;
  s.width = w;
  s.height = h;
  s.out_col.resize(n);
  s.in_col.resize(n);
  s.f.resize(w);
  s.v.resize(w);
  s.columns.resize(w);
  s.z.resize(w + 1);
  s.in_sq.resize(w);
  s.row_done.assign(h, 0);
  sdf.resize(n);
  column_pass(ink, w, h, s.out_col.data(), s.in_col.data());
  // A column has ink in every row's view or in none: list the ones that do once.
  s.ink_columns = 0;
  for (int x = 0; x < w; ++x) {
    s.columns[s.ink_columns] = x;
    s.ink_columns += s.out_col[x] < kNone;
  }
  float lowest = std::numeric_limits<float>::infinity();
  for (int y = 0; y < h; ++y) lowest = std::min(lowest, ink_row(y, s, sdf.data() + size_t(y) * w));
  return lowest == std::numeric_limits<float>::infinity() ? kFarDistance - 0.5f : lowest;
}

const float* signed_distance_row(int y, DistanceScratch& s, std::vector<float>& sdf) {
  float* row = sdf.data() + size_t(y) * s.width;
  if (!s.row_done[y]) {
    background_row(y, s, row);
    s.row_done[y] = 1;
  }
  return row;
}

float signed_distance(const uint8_t* ink, int width, int height, DistanceScratch& s, std::vector<float>& sdf) {
  const float lowest = signed_distance_begin(ink, width, height, s, sdf);
  for (int y = 0; y < height; ++y) signed_distance_row(y, s, sdf);
  return lowest;
}

}  // namespace nn::image
