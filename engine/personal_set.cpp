// The personal set's checks and its held-out part (see personal_set.h).
#include "engine/personal_set.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "engine/crc32.h"
#include "engine/error.h"

namespace nn {

bool personal_held_out(const float* features) {
  // Rounded to bytes first, so a value that went through a file as decimal text (or a
  // float that differs in its last bit) lands on the same side.
  uint8_t levels[kDigitFeatures];
  for (int i = 0; i < kDigitFeatures; ++i) {
    const float v = std::fmin(1.0f, std::fmax(0.0f, features[i]));
    levels[i] = static_cast<uint8_t>(std::lround(v * 255.0f));
  }
  return crc32(levels, sizeof levels) % kHeldOutEvery == 0;
}

void check_personal_set(const Dataset& personal) {
  if (personal.size() > kMaxPersonalDrawings) {
    throw Error("personal set: " + std::to_string(personal.size()) + " drawings is more than the " +
                std::to_string(kMaxPersonalDrawings) + " a set may hold");
  }
  if (personal.size() > 0 && personal.x.cols() != kDigitFeatures) {
    throw Error("personal set: each drawing needs 64 features (8x8), got " + std::to_string(personal.x.cols()));
  }
  if (personal.y.size() != size_t(personal.size())) {
    throw Error("personal set: " + std::to_string(personal.size()) + " drawings but " +
                std::to_string(personal.y.size()) + " labels");
  }
  for (Index i = 0; i < personal.size(); ++i) {
    if (personal.y[size_t(i)] < 0 || personal.y[size_t(i)] >= kDigitClasses) {
      throw Error("personal set: drawing " + std::to_string(i + 1) + " has the label " +
                  std::to_string(personal.y[size_t(i)]) + "; a digit is 0..9");
    }
    for (Index j = 0; j < personal.x.cols(); ++j) {
      const float v = personal.x(i, j);
      if (!(v >= 0.0f && v <= 1.0f)) {
        throw Error("personal set: drawing " + std::to_string(i + 1) + " has a feature outside [0, 1] (" +
                    std::to_string(v) + ")");
      }
    }
  }
}

PersonalSplit split_personal(const Dataset& personal) {
  check_personal_set(personal);
  std::vector<int> train, held_out;
  for (Index i = 0; i < personal.size(); ++i) {
    // Rows of a row-major (N, 64) matrix are contiguous.
    (personal_held_out(personal.x.row(i).data()) ? held_out : train).push_back(int(i));
  }
  return {subset(personal, train), subset(personal, held_out)};
}

}  // namespace nn
