// Exact squared Euclidean distance transform of a binary raster, separable: the column pass
// is two linear scans (distance to the nearest target pixel in the column, in whole pixels),
// the row pass a short outward search along the row: the nearest target of pixel x lies at
// some column x +- dx with squared distance dx^2 + col(x +- dx)^2, and once dx^2 reaches the
// best found so far no column further out can beat it, so the search stops there. Strokes are
// thin and the padding around a drawing a few pixels wide, so the searches are short; four
// pixels search at once (as vectors, until all four are done), which needs no branch per
// pixel, unlike the lower envelope of parabolas (Felzenszwalb & Huttenlocher 2012) this
// replaced, whose values it equals bit for bit (every value is exact, see distance.h).
// A row's background is computed only when a reader asks for it: preprocessing's box sampling
// reads a band of rows, and the padding around a drawing is wide.
#include "engine/image/distance.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/simd.h"

namespace nn::image {
namespace {

constexpr float kFar = 1e20f;
constexpr int kNone = 1 << 28;  // column has no target pixel (yet): stays far above any real distance
constexpr int kLanes = 4;
using V = simd::Vec<kLanes>;
using VI = simd::IntVec<kLanes>;

VI load_ints(const int* p) {
  VI v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
void store_ints(int* p, VI v) { std::memcpy(p, &v, sizeof v); }

// Four ink bytes as lanes: -1 where ink, 0 elsewhere.
VI ink_mask(const uint8_t* p) {
  const VI bytes = {p[0], p[1], p[2], p[3]};
  return bytes != 0;
}

// Column pass for both targets at once: out_col = vertical distance to the nearest ink pixel,
// in_col = to the nearest background pixel (kNone when the column has none). Four columns
// at a time, the last few one by one.
void column_pass(const uint8_t* ink, int w, int h, int* out_col, int* in_col) noexcept {
  const int wide = w - w % kLanes;
  for (int x = 0; x < w; ++x) {
    const bool on = ink[x] != 0;
    out_col[x] = on ? 0 : kNone;
    in_col[x] = on ? kNone : 0;
  }
  const VI none = VI{} + kNone;
  for (int y = 1; y < h; ++y) {
    const uint8_t* row = ink + size_t(y) * w;
    const int* out_up = out_col + size_t(y - 1) * w;
    const int* in_up = in_col + size_t(y - 1) * w;
    int* out_here = out_col + size_t(y) * w;
    int* in_here = in_col + size_t(y) * w;
    for (int x = 0; x < wide; x += kLanes) {
      const VI on = ink_mask(row + x);
      VI out_next = load_ints(out_up + x) + 1, in_next = load_ints(in_up + x) + 1;
      out_next = out_next < none ? out_next : none;
      in_next = in_next < none ? in_next : none;
      store_ints(out_here + x, ~on & out_next);
      store_ints(in_here + x, on & in_next);
    }
    for (int x = wide; x < w; ++x) {
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
    for (int x = 0; x < wide; x += kLanes) {
      const VI out_a = load_ints(out_here + x), out_b = load_ints(out_down + x) + 1;
      const VI in_a = load_ints(in_here + x), in_b = load_ints(in_down + x) + 1;
      store_ints(out_here + x, out_a < out_b ? out_a : out_b);
      store_ints(in_here + x, in_a < in_b ? in_a : in_b);
    }
    for (int x = wide; x < w; ++x) {
      out_here[x] = std::min(out_here[x], out_down[x] + 1);
      in_here[x] = std::min(in_here[x], in_down[x] + 1);
    }
  }
}

// Squared column distances of one row into the padded buffer s.sq (kFar beyond the raster
// and where a column has no target), and the outward search: best[x] = the smallest
// dx^2 + sq[x + dx] over all dx. `wanted` lanes (the pixels of the searched kind) start
// from their own column; the others start at 0 and so are done at once. Every value is a
// whole number below 2^24, so float arithmetic is exact and the minimum is exact.
void search_row(const int* col, const uint8_t* row, bool want_ink, int w, DistanceScratch& s) noexcept {
  float* sq = s.sq.data() + DistanceScratch::pad_of(w);
  const int wide = w - w % kLanes;
  const VI none = VI{} + kNone;
  const V far = V{} + kFar;
  for (int x = 0; x < wide; x += kLanes) {
    const VI g = load_ints(col + x);
    const V f = __builtin_convertvector(g, V);
    simd::store<kLanes>(sq + x, g >= none ? far : f * f);
  }
  for (int x = wide; x < w; ++x) sq[x] = col[x] >= kNone ? kFar : float(col[x]) * float(col[x]);
  float* best_out = s.best.data();
  const V lane = {0.0f, 1.0f, 2.0f, 3.0f};
  for (int x = 0; x < w; x += kLanes) {
    // Lanes past the row's end are done from the start.
    const VI real = __builtin_convertvector(lane + float(x), VI) < w;
    VI on = real;
    if (x + kLanes <= w) {
      on = ink_mask(row + x);
      if (!want_ink) on = ~on;
    } else {
      for (int k = 0; k < kLanes && x + k < w; ++k) on[k] = ((row[x + k] != 0) == want_ink) ? -1 : 0;
      on &= real;
    }
    V best = simd::load<kLanes>(sq + x);
    best = (V)(on & (VI)best);  // other lanes: 0
    for (int dx = 1; dx < w; ++dx) {
      const float step = float(dx) * float(dx);
      if (!simd::any(best > step)) break;
      const V left = step + simd::load<kLanes>(sq + x - dx), right = step + simd::load<kLanes>(sq + x + dx);
      best = best < left ? best : left;
      best = best < right ? best : right;
    }
    simd::store<kLanes>(best_out + x, best);
  }
}

// Background values of row y (ink pixels untouched).
void background_row(int y, DistanceScratch& s, float* out) noexcept {
  const int w = s.width;
  const uint8_t* row = s.ink + size_t(y) * w;
  if (s.ink_columns == 0) {  // no ink anywhere in the raster's columns: everything is far
    for (int x = 0; x < w; ++x)
      if (!row[x]) out[x] = std::sqrt(1e8f) - 0.5f;
    return;
  }
  search_row(s.out_col.data() + size_t(y) * w, row, false, w, s);
  const float* best = s.best.data();
  // Pixel centres are 1 apart; the edge lies half way between an ink and a background pixel.
  for (int x = 0; x < w; ++x) {
    const float value = std::sqrt(std::min(best[x], 1e8f)) - 0.5f;
    out[x] = row[x] ? out[x] : value;
  }
}

bool any_ink(const uint8_t* row, int w) noexcept {
  int x = 0;
  for (; x + 8 <= w; x += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, row + x, 8);
    if (chunk) return true;
  }
  for (; x < w; ++x)
    if (row[x]) return true;
  return false;
}

// Ink values of row y (background pixels untouched); returns the row's minimum (or +inf).
float ink_row(int y, DistanceScratch& s, float* out) noexcept {
  const int w = s.width;
  const uint8_t* row = s.ink + size_t(y) * w;
  float lowest = std::numeric_limits<float>::infinity();
  if (!any_ink(row, w)) return lowest;  // the padding's rows
  if (s.background_columns == 0) {      // ink everywhere: no background to be near
    for (int x = 0; x < w; ++x) out[x] = 0.5f - std::sqrt(1e8f);
    return 0.5f - std::sqrt(1e8f);
  }
  search_row(s.in_col.data() + size_t(y) * w, row, true, w, s);
  const float* best = s.best.data();
  for (int x = 0; x < w; ++x) {
    if (!row[x]) continue;
    out[x] = 0.5f - std::sqrt(std::min(best[x], 1e8f));
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
  // The search reads up to w - 1 columns either side of a group of four: far padding.
  const int pad = DistanceScratch::pad_of(w);
  s.sq.assign(size_t(2 * pad + w + kLanes), kFar);
  s.best.resize(size_t(w + kLanes));
  s.row_done.assign(h, 0);
  sdf.resize(n);
  column_pass(ink, w, h, s.out_col.data(), s.in_col.data());
  // A column has ink (or background) in every row's view or in none: count the ones that do.
  s.ink_columns = 0;
  s.background_columns = 0;
  for (int x = 0; x < w; ++x) {
    s.ink_columns += s.out_col[x] < kNone;
    s.background_columns += s.in_col[x] < kNone;
  }
  float lowest = std::numeric_limits<float>::infinity();
  for (int y = 0; y < h; ++y) lowest = std::min(lowest, ink_row(y, s, sdf.data() + size_t(y) * w));
  return lowest == std::numeric_limits<float>::infinity() ? std::sqrt(1e8f) - 0.5f : lowest;
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
