// Occlusion maps and confidence curves (see sensitivity.h): the inputs are made here, the
// model is asked once for all of them, and the answers are read back per block or step.
#include "engine/sensitivity.h"

#include <cmath>

#include "engine/error.h"
#include "engine/image/bitmap_ops.h"

namespace nn {
namespace {

void check_features(const float* features, const char* who) {
  if (features == nullptr) throw Error(std::string(who) + ": the features are null");
  for (int i = 0; i < kDigitFeatures; ++i)
    if (!std::isfinite(features[i])) throw Error(std::string(who) + ": feature " + std::to_string(i) + " is not finite");
}

Matrix ask(const Predictor& predict, const Matrix& inputs, const char* who) {
  Matrix p = predict(view(inputs));
  if (p.rows() != inputs.rows() || p.cols() < 1)
    throw Error(std::string(who) + ": the model answered " + std::to_string(p.rows()) + "x" + std::to_string(p.cols()) +
                " for " + std::to_string(inputs.rows()) + " inputs");
  return p;
}

int top_of(const Matrix& p, Index row) {
  Index best = 0;
  p.row(row).maxCoeff(&best);
  return int(best);
}

image::Bitmap32 bitmap_of(const float* features) {
  image::BlockCounts counts;
  for (int f = 0; f < kDigitFeatures; ++f) counts[f] = int(std::lround(features[f] * 16.0f));
  return image::rebuild_bitmap(counts);
}

void store_counts(const image::Bitmap32& bitmap, float* row) {
  const image::BlockCounts counts = image::count_blocks(bitmap);
  for (int f = 0; f < kDigitFeatures; ++f) row[f] = counts[f] / 16.0f;
}

}  // namespace

OcclusionMap occlusion_map(const Predictor& predict, const float* features) {
  check_features(features, "occlusion_map");
  std::vector<int> blocks;  // the inked blocks, each blanked in one input row after the digit's own
  for (int i = 0; i < kDigitFeatures; ++i)
    if (features[i] != 0.0f) blocks.push_back(i);
  Matrix inputs(Index(blocks.size()) + 1, kDigitFeatures);
  for (Index r = 0; r < inputs.rows(); ++r) std::copy(features, features + kDigitFeatures, inputs.row(r).data());
  for (size_t k = 0; k < blocks.size(); ++k) inputs(Index(k) + 1, blocks[k]) = 0.0f;
  const Matrix p = ask(predict, inputs, "occlusion_map");
  OcclusionMap map;
  map.top_class = top_of(p, 0);
  map.top_probability = p(0, map.top_class);
  for (size_t k = 0; k < blocks.size(); ++k) map.drop[blocks[k]] = map.top_probability - p(Index(k) + 1, map.top_class);
  return map;
}

ConfidenceCurves confidence_curves(const Predictor& predict, const float* features) {
  check_features(features, "confidence_curves");
  const image::Bitmap32 bitmap = bitmap_of(features);
  struct Edit {
    const char* name;
    std::vector<float> steps;
    std::function<image::Bitmap32(float)> apply;
  };
  const std::vector<Edit> edits = {
      {"shift_x", {-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6},
       [&](float s) { return image::shift_bitmap(bitmap, int(s), 0); }},
      {"shift_y", {-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6},
       [&](float s) { return image::shift_bitmap(bitmap, 0, int(s)); }},
      {"rotate", {-45, -35, -25, -15, -5, 0, 5, 15, 25, 35, 45}, [&](float s) { return image::rotate_bitmap(bitmap, s); }},
      {"thickness", {-2, -1, 0, 1, 2, 3}, [&](float s) { return image::grow_bitmap(bitmap, int(s)); }},
  };
  Index rows = 0;
  for (const Edit& e : edits) rows += Index(e.steps.size());
  Matrix inputs(rows + 1, kDigitFeatures);  // row 0: the digit unchanged, then every step in order
  std::copy(features, features + kDigitFeatures, inputs.row(0).data());
  Index r = 1;
  for (const Edit& e : edits)
    for (float s : e.steps) {
      if (s == 0) std::copy(features, features + kDigitFeatures, inputs.row(r).data());
      else store_counts(e.apply(s), inputs.row(r).data());
      ++r;
    }
  const Matrix p = ask(predict, inputs, "confidence_curves");
  ConfidenceCurves out;
  out.top_class = top_of(p, 0);
  r = 1;
  for (const Edit& e : edits) {
    ConfidenceCurve curve;
    curve.name = e.name;
    curve.steps = e.steps;
    for (size_t k = 0; k < e.steps.size(); ++k, ++r) {
      curve.confidence.push_back(p(r, out.top_class));
      curve.predicted.push_back(top_of(p, r));
    }
    out.curves.push_back(std::move(curve));
  }
  return out;
}

}  // namespace nn
