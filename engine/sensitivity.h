// What a model looks at in one digit: an occlusion map (how much the top class's probability
// drops when each 4x4 block of the 8x8 input is blanked) and the top class's confidence as
// the digit is shifted, rotated and drawn thinner or bolder. Both take the predicting model
// as a function from (N, 64) features to (N, K) probabilities, so one model and an ensemble
// (engine/ensemble.h) are asked alike, and each asks all its inputs in one batch.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/tensor.h"

namespace nn {

// (N, 64) features in [0, 1] -> (N, K) class probabilities.
using Predictor = std::function<Matrix(ConstMatrixView)>;

struct OcclusionMap {
  int top_class = 0;           // the unchanged digit's most probable class
  float top_probability = 0;   // its probability
  // Per block (8x8 row-major): top_probability minus that class's probability with the block
  // set to 0. A block that is 0 already drops nothing and costs no forward pass.
  std::array<float, kDigitFeatures> drop{};
};

// features: 64 values in [0, 1]. Throws nn::Error for a non-finite feature or a predictor
// whose answer has the wrong shape.
OcclusionMap occlusion_map(const Predictor& predict, const float* features);

struct ConfidenceCurve {
  std::string name;           // "shift_x", "shift_y" (pixels of the 32x32 box), "rotate"
                              // (degrees, clockwise), "thickness" (pixels grown, < 0 thinner)
  std::vector<float> steps;   // the parameter at each point; 0 is the digit as it is
  std::vector<float> confidence;  // the probability of the unchanged digit's top class
  std::vector<int> predicted;     // the most probable class at each point
};

struct ConfidenceCurves {
  int top_class = 0;
  std::vector<ConfidenceCurve> curves;
};

// The digit's exact-count 32x32 bitmap (image/bitmap32.h) is shifted, rotated and grown,
// and each edit counted back to 8x8; at step 0 each curve reads the features unchanged.
ConfidenceCurves confidence_curves(const Predictor& predict, const float* features);

}  // namespace nn
