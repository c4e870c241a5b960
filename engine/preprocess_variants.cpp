// Variants from the exact-count bitmap, all exact pixel work: shifting it, or growing or
// shrinking every horizontal run of ink by a pixel. (Re-running preprocess_drawing on the
// enlarged bitmap with another target coverage was tried first: its thickness rounds did not
// reach the new target from such blocky input, so the variant was not what it said.)
#include "engine/preprocess_variants.h"

#include <cmath>

#include "engine/error.h"
#include "engine/image/bitmap32.h"

namespace nn {
namespace {

constexpr int kSide = image::kBitmapSide;

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

}  // namespace

std::string variant_name(InputVariant v) {
  switch (v) {
    case InputVariant::kIdentity: return "identity";
    case InputVariant::kShiftLeft: return "left";
    case InputVariant::kShiftRight: return "right";
    case InputVariant::kThicker: return "thick";
    case InputVariant::kThinner: return "thin";
  }
  return "?";
}

InputVariant parse_variant(const std::string& name) {
  for (InputVariant v : {InputVariant::kIdentity, InputVariant::kShiftLeft, InputVariant::kShiftRight,
                         InputVariant::kThicker, InputVariant::kThinner})
    if (variant_name(v) == name) return v;
  throw Error("input variant '" + name + "' is not one of identity, left, right, thick, thin");
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
      }
    }
  }
  return out;
}

}  // namespace nn
