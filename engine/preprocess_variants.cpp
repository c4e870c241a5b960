// Variants from the exact-count bitmap: shifting it or growing or shrinking every horizontal
// run of ink by a pixel is exact pixel work; bolder and lighter enlarge it 3x (so the distance
// field has room) and run it through preprocess_drawing with another target coverage.
#include "engine/preprocess_variants.h"

#include <cmath>

#include "engine/error.h"
#include "engine/image/bitmap32.h"
#include "engine/preprocess.h"

namespace nn {
namespace {

constexpr int kSide = image::kBitmapSide;
constexpr int kEnlarge = 3;
constexpr float kDrawingCoverage = PreprocessOptions{}.target_coverage;  // what a drawing's features have

image::Bitmap32 bitmap_of(const float* features) {
  image::BlockCounts counts;
  for (int f = 0; f < kDigitFeatures; ++f) counts[f] = int(std::lround(features[f] * 16.0f));
  return image::rebuild_bitmap(counts);
}

void store_counts(const image::Bitmap32& bitmap, float* out) {
  const image::BlockCounts counts = image::count_blocks(bitmap);
  for (int f = 0; f < kDigitFeatures; ++f) out[f] = counts[f] / 16.0f;
}

void shifted(const float* features, int dx, float* out) {
  const image::Bitmap32 in = bitmap_of(features);
  image::Bitmap32 moved{};
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const int from = x - dx;
      if (from >= 0 && from < kSide) moved[y * kSide + x] = in[y * kSide + from];
    }
  store_counts(moved, out);
}

// grow: each run of ink gains the pixel after its end; else each run longer than one pixel
// loses its last pixel.
void rethickened(const float* features, bool grow, float* out) {
  const image::Bitmap32 in = bitmap_of(features);
  image::Bitmap32 changed = in;
  for (int y = 0; y < kSide; ++y) {
    const uint8_t* row = in.data() + y * kSide;
    for (int x = 0; x < kSide; ++x) {
      const bool run_end = row[x] && (x + 1 == kSide || !row[x + 1]);
      if (!run_end) continue;
      if (grow && x + 1 < kSide) changed[y * kSide + x + 1] = 1;
      if (!grow && x > 0 && row[x - 1]) changed[y * kSide + x] = 0;
    }
  }
  store_counts(changed, out);
}

// Where an output pixel of the enlarged bitmap takes its ink from: source offset from the
// centre = {xx * dx + xy * dy, yx * dx + yy * dy} for output offset {dx, dy}.
struct Resampling {
  float xx = 1, xy = 0, yx = 0, yy = 1;
};

// Turned `radians` clockwise on the screen (y down): each output pixel looks back by -radians.
Resampling turned(float radians) {
  const float c = std::cos(radians), s = std::sin(radians);
  return {c, s, -s, c};
}

// The bitmap enlarged kEnlarge times and resampled about its centre (nearest pixel), then
// preprocessed again aiming at `coverage`.
void renormalised(const float* features, float coverage, const Resampling& r, float* out) {
  const image::Bitmap32 in = bitmap_of(features);
  constexpr int big = kSide * kEnlarge;
  const float mid = big / 2.0f;
  std::vector<uint8_t> raster(size_t(big) * big);
  for (int y = 0; y < big; ++y)
    for (int x = 0; x < big; ++x) {
      const float dx = x + 0.5f - mid, dy = y + 0.5f - mid;
      const int sx = int(std::floor(r.xx * dx + r.xy * dy + mid)), sy = int(std::floor(r.yx * dx + r.yy * dy + mid));
      const bool ink = sx >= 0 && sx < big && sy >= 0 && sy < big && in[(sy / kEnlarge) * kSide + sx / kEnlarge];
      raster[size_t(y) * big + x] = ink ? 255 : 0;
    }
  PreprocessOptions options;
  options.deskew = false;  // the features are upright already
  options.target_coverage = coverage;
  const Preprocessed p = preprocess_drawing(raster.data(), big, big, options);
  for (int f = 0; f < kDigitFeatures; ++f) out[f] = p.blank ? features[f] : p.features[f];  // a speck stays itself
}

}  // namespace

std::string variant_name(InputVariant v) {
  switch (v) {
    case InputVariant::kIdentity: return "identity";
    case InputVariant::kShiftLeft: return "left";
    case InputVariant::kShiftRight: return "right";
    case InputVariant::kThicker: return "thick";
    case InputVariant::kThinner: return "thin";
    case InputVariant::kBolder: return "bolder";
    case InputVariant::kLighter: return "lighter";
    case InputVariant::kClockwise: return "cw";
    case InputVariant::kAnticlockwise: return "ccw";
  }
  return "?";
}

InputVariant parse_variant(const std::string& name) {
  for (InputVariant v : {InputVariant::kIdentity, InputVariant::kShiftLeft, InputVariant::kShiftRight,
                         InputVariant::kThicker, InputVariant::kThinner, InputVariant::kBolder,
                         InputVariant::kLighter, InputVariant::kClockwise, InputVariant::kAnticlockwise})
    if (variant_name(v) == name) return v;
  throw Error("input variant '" + name + "' is not one of identity, left, right, thick, thin, bolder, lighter, cw, ccw");
}

std::vector<InputVariant> parse_variants(const std::string& list) {
  if (list.empty() || list == "none") return {InputVariant::kIdentity};
  std::vector<InputVariant> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const size_t end = comma == std::string::npos ? list.size() : comma;
    out.push_back(parse_variant(list.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string variant_list(const std::vector<InputVariant>& variants) {
  std::string out;
  for (InputVariant v : variants) out += (out.empty() ? "" : ",") + variant_name(v);
  return out;
}

std::vector<InputVariant> default_variants() {
  return {InputVariant::kIdentity, InputVariant::kShiftLeft, InputVariant::kShiftRight, InputVariant::kBolder,
          InputVariant::kLighter, InputVariant::kClockwise, InputVariant::kAnticlockwise};
}

Matrix input_variants(ConstMatrixView x, const std::vector<InputVariant>& variants) {
  if (x.cols() != kDigitFeatures)
    throw Error("input_variants: inputs have " + std::to_string(x.cols()) + " features, expected 64 (8x8)");
  if (variants.empty()) throw Error("input_variants: the variant list is empty (use identity)");
  const Index v_count = Index(variants.size());
  Matrix out(x.rows() * v_count, kDigitFeatures);
  for (Index i = 0; i < x.rows(); ++i) {
    const float* in = x.data() + i * kDigitFeatures;
    for (Index v = 0; v < v_count; ++v) {
      float* dst = out.data() + (i * v_count + v) * kDigitFeatures;
      switch (variants[v]) {
        case InputVariant::kIdentity: std::copy(in, in + kDigitFeatures, dst); break;
        case InputVariant::kShiftLeft: shifted(in, -1, dst); break;
        case InputVariant::kShiftRight: shifted(in, 1, dst); break;
        case InputVariant::kThicker: rethickened(in, true, dst); break;
        case InputVariant::kThinner: rethickened(in, false, dst); break;
        case InputVariant::kBolder: renormalised(in, kBolderCoverage, {}, dst); break;
        case InputVariant::kLighter: renormalised(in, kLighterCoverage, {}, dst); break;
        case InputVariant::kClockwise: renormalised(in, kDrawingCoverage, turned(kTurnRadians), dst); break;
        case InputVariant::kAnticlockwise: renormalised(in, kDrawingCoverage, turned(-kTurnRadians), dst); break;
      }
    }
  }
  return out;
}

}  // namespace nn
