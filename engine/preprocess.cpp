// Drawing -> 8x8 features in the digits dataset's style. Steps (see preprocess.h): threshold
// and find the ink, reject blanks, crop into a small working raster, deskew from second
// moments, then sample a signed distance field of the ink into the 32x32 box: thresholding
// the field at r grows or shrinks every stroke by r, and r is chosen so the ink covers the
// target share of the box. The result is binary (like NIST's bitmaps); 4x4 blocks are counted.
#include "engine/preprocess.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/error.h"
#include "engine/image/bitmap32.h"
#include "engine/image/distance.h"

namespace nn {
namespace {

constexpr int kInkThreshold = 128;   // canvas strokes are anti-aliased: their edge is at half ink
constexpr int kMaxSide = 4096;
constexpr int kWorkSide = 96;        // the crop is box-averaged down to at most about this side
constexpr float kBlankExtent = 0.1f; // ink spanning less than this share of the raster: a speck
constexpr int kMinInkPixels = 6;
constexpr float kMaxShear = 0.8f;
constexpr int kThicknessIterations = 4;
constexpr int kSide = image::kBitmapSide;

// Reused between calls so the augmentation loop does not allocate once warm.
struct Scratch {
  std::vector<uint8_t> work;  // (H, W) binary working raster
  std::vector<float> sdf;     // (H, W) signed distance field
  image::DistanceScratch distance;
  std::array<float, kSide * kSide> samples;  // (32, 32) field values at the box's pixels
  std::array<float, kSide * kSide> sorted;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Where the box's pixels come from: deskewed, cropped coordinates of the working raster.
struct Geometry {
  float shear = 0, centre_y = 0;      // x_work = x_deskewed + shear * (y - centre_y)
  float x_min = 0, x_max = 0;         // ink extent, deskewed, pixel edges
  float y_min = 0, y_max = 0;
};

float sample_bilinear(const std::vector<float>& field, int w, int h, float x, float y) {
  x = std::clamp(x, 0.0f, float(w - 1));
  y = std::clamp(y, 0.0f, float(h - 1));
  const int x0 = std::min(int(x), std::max(w - 2, 0)), y0 = std::min(int(y), std::max(h - 2, 0));
  const int x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
  const float tx = x - x0, ty = y - y0;
  const float* row0 = field.data() + size_t(y0) * w;
  const float* row1 = field.data() + size_t(y1) * w;
  return (1 - ty) * ((1 - tx) * row0[x0] + tx * row0[x1]) + ty * ((1 - tx) * row1[x0] + tx * row1[x1]);
}

// Samples the distance field at the 32x32 box's pixel centres for strokes grown by r.
void sample_box(const Scratch& s, int w, int h, const Geometry& g, float r,
                const PreprocessOptions& options, std::array<float, kSide * kSide>& out) {
  const float height = std::max(g.y_max - g.y_min + 2 * r, 1.0f);
  const float width = std::max(g.x_max - g.x_min + 2 * r, 1.0f);
  float scale_y, scale_x;
  if (options.fill_height) {
    scale_y = kSide / height;
    scale_x = std::min(scale_y, options.width_cap / width);
  } else {
    scale_y = scale_x = kSide / std::max(height, width);
  }
  const float centre_x = 0.5f * (g.x_min + g.x_max);
  const float centre_y = 0.5f * (g.y_min + g.y_max);
  for (int v = 0; v < kSide; ++v) {
    const float y = centre_y + (v + 0.5f - kSide / 2) / scale_y;
    const float skew = g.shear * (y - g.centre_y);
    for (int u = 0; u < kSide; ++u) {
      const float x = centre_x + (u + 0.5f - kSide / 2) / scale_x + skew;
      out[v * kSide + u] = sample_bilinear(s.sdf, w, h, x, y);
    }
  }
}

void check_size(const void* data, int width, int height, const char* what) {
  if (data == nullptr) throw Error(std::string(what) + ": the raster is null");
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide)
    throw Error(std::string(what) + ": raster size " + std::to_string(width) + "x" +
                std::to_string(height) + " is outside 1..4096 pixels per side");
}

}  // namespace

Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height) {
  return preprocess_drawing(ink, width, height, PreprocessOptions{});
}

Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height,
                                const PreprocessOptions& options) {
  check_size(ink, width, height, "preprocess_drawing");
  if (!(options.width_cap >= 1.0f && options.width_cap <= 32.0f))
    throw Error("preprocess_drawing: width_cap " + std::to_string(options.width_cap) +
                " must be within 1..32 pixels");
  if (!(options.target_coverage < 0.9f))
    throw Error("preprocess_drawing: target_coverage must be below 0.9 (<= 0 turns it off)");
  Preprocessed result;
  result.features.fill(0.0f);

  // ---- find the ink ---------------------------------------------------------------
  int x_lo = width, x_hi = -1, y_lo = height, y_hi = -1, ink_pixels = 0;
  for (int y = 0; y < height; ++y) {
    const uint8_t* row = ink + size_t(y) * width;
    for (int x = 0; x < width; ++x) {
      if (row[x] >= kInkThreshold) {
        ++ink_pixels;
        x_lo = std::min(x_lo, x);
        x_hi = std::max(x_hi, x);
        y_lo = std::min(y_lo, y);
        y_hi = std::max(y_hi, y);
      }
    }
  }
  const int extent = std::max(x_hi - x_lo + 1, y_hi - y_lo + 1);
  const float min_extent = std::max(3.0f, kBlankExtent * std::max(width, height));
  if (ink_pixels < kMinInkPixels || extent < min_extent) return result;
  result.blank = false;

  // ---- crop into a small working raster with room to grow strokes ----------------------
  const int factor = (extent + kWorkSide - 1) / kWorkSide;
  const int crop_w = (x_hi - x_lo + factor) / factor, crop_h = (y_hi - y_lo + factor) / factor;
  const int pad = int(0.15f * std::max(crop_w, crop_h)) + 3;
  const int w = crop_w + 2 * pad, h = crop_h + 2 * pad;
  Scratch& s = scratch();
  s.work.assign(size_t(w) * h, 0);
  const int block_threshold = kInkThreshold * factor * factor;
  for (int j = 0; j < crop_h; ++j) {
    for (int i = 0; i < crop_w; ++i) {
      int sum = 0;
      for (int dy = 0; dy < factor; ++dy) {
        const int y = y_lo + j * factor + dy;
        if (y > y_hi) break;
        const uint8_t* row = ink + size_t(y) * width;
        for (int dx = 0; dx < factor; ++dx) {
          const int x = x_lo + i * factor + dx;
          if (x > x_hi) break;
          sum += row[x];
        }
      }
      s.work[size_t(j + pad) * w + i + pad] = sum >= block_threshold ? 1 : 0;
    }
  }

  // ---- deskew: the slant is the regression of x on y over the ink ----------------------
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (s.work[size_t(y) * w + x]) {
        n += 1;
        sx += x;
        sy += y;
        sxy += double(x) * y;
        syy += double(y) * y;
        sxx += double(x) * x;
      }
  if (n < 1) {  // the box averaging thinned a faint drawing away
    result.blank = true;
    return result;
  }
  Geometry g;
  const double mean_x = sx / n, mean_y = sy / n;
  const double mu02 = syy / n - mean_y * mean_y, mu11 = sxy / n - mean_x * mean_y;
  g.centre_y = float(mean_y);
  if (options.deskew && mu02 > 1e-6)
    g.shear = std::clamp(float(mu11 / mu02), -kMaxShear, kMaxShear);
  g.x_min = g.y_min = 1e30f;
  g.x_max = g.y_max = -1e30f;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (s.work[size_t(y) * w + x]) {
        const float xd = x - g.shear * (y - g.centre_y);
        g.x_min = std::min(g.x_min, xd - 0.5f);
        g.x_max = std::max(g.x_max, xd + 0.5f);
        g.y_min = std::min(g.y_min, y - 0.5f);
        g.y_max = std::max(g.y_max, y + 0.5f);
      }

  // ---- thickness: pick the growth r that gives the target coverage ---------------------
  image::signed_distance(s.work.data(), w, h, s.distance, s.sdf);
  const float deepest = *std::min_element(s.sdf.begin(), s.sdf.end());
  const float r_min = 0.6f * deepest, r_max = float(pad) - 1.0f;
  float r = 0.0f;
  const int target = int(std::lround(options.target_coverage * kSide * kSide));
  if (options.target_coverage > 0) {
    for (int it = 0; it < kThicknessIterations; ++it) {
      sample_box(s, w, h, g, r, options, s.samples);
      s.sorted = s.samples;
      // The target-th smallest field value is the threshold that inks exactly `target` pixels.
      std::nth_element(s.sorted.begin(), s.sorted.begin() + target, s.sorted.end());
      const float above = s.sorted[target];
      const float below = *std::max_element(s.sorted.begin(), s.sorted.begin() + target);
      r = std::clamp(0.5f * (above + below), r_min, r_max);
    }
  }
  sample_box(s, w, h, g, r, options, s.samples);

  // ---- binarise and count the 4x4 blocks -----------------------------------------------
  image::Bitmap32 bitmap;
  for (int i = 0; i < kSide * kSide; ++i) bitmap[i] = s.samples[i] < r ? 1 : 0;
  const image::BlockCounts counts = image::count_blocks(bitmap);
  for (int i = 0; i < kDigitFeatures; ++i) result.features[i] = counts[i] / 16.0f;
  return result;
}

std::vector<uint8_t> ink_from_rgba(const uint8_t* rgba, int width, int height) {
  check_size(rgba, width, height, "ink_from_rgba");
  const size_t n = size_t(width) * height;
  std::vector<uint8_t> ink(n);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = rgba + 4 * i;
    // Rec. 601 luma in fixed point; ink = alpha * darkness, so transparent and white are 0.
    const int luma = (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000;
    ink[i] = uint8_t((p[3] * (255 - luma) + 127) / 255);
  }
  return ink;
}

}  // namespace nn
