// Exact squared Euclidean distance transform, separable: one 1D lower-envelope pass over the
// columns, then one over the rows (Felzenszwalb & Huttenlocher 2012, algorithm DT(f)).
#include "engine/image/distance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nn::image {
namespace {

constexpr float kFar = 1e20f;

// 1D squared distance transform of f (n values) into d, using the scratch v, z.
void transform_1d(const float* f, float* d, int n, int* v, float* z) {
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

// Squared distance from every pixel to the nearest pixel where `target(pixel)` holds.
template <typename Pred>
void squared_distance(const uint8_t* ink, int w, int h, Pred target, DistanceScratch& s,
                      std::vector<float>& out) {
  const int n = std::max(w, h);
  s.f.resize(n);
  s.d.resize(n);
  s.v.resize(n);
  s.z.resize(n + 1);
  out.resize(size_t(w) * h);
  for (int x = 0; x < w; ++x) {
    for (int y = 0; y < h; ++y) s.f[y] = target(ink[size_t(y) * w + x]) ? 0.0f : kFar;
    transform_1d(s.f.data(), s.d.data(), h, s.v.data(), s.z.data());
    for (int y = 0; y < h; ++y) out[size_t(y) * w + x] = s.d[y];
  }
  for (int y = 0; y < h; ++y) {
    float* row = out.data() + size_t(y) * w;
    std::copy(row, row + w, s.f.begin());
    transform_1d(s.f.data(), row, w, s.v.data(), s.z.data());
  }
}

}  // namespace

void signed_distance(const uint8_t* ink, int width, int height, DistanceScratch& scratch,
                     std::vector<float>& sdf) {
  squared_distance(ink, width, height, [](uint8_t p) { return p != 0; }, scratch, scratch.outside);
  squared_distance(ink, width, height, [](uint8_t p) { return p == 0; }, scratch, scratch.inside);
  const size_t n = size_t(width) * height;
  sdf.resize(n);
  for (size_t i = 0; i < n; ++i) {
    // Pixel centres are 1 apart; the edge lies half way between an ink and a background pixel.
    if (ink[i]) {
      sdf[i] = 0.5f - std::sqrt(std::min(scratch.inside[i], 1e8f));
    } else {
      sdf[i] = std::sqrt(std::min(scratch.outside[i], 1e8f)) - 0.5f;
    }
  }
}

}  // namespace nn::image
