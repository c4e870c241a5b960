// The digits dataset: 1797 8x8 images, pixel counts 0..16, labels 0..9. Features are stored
// scaled to [0, 1] (count / 16), the scale every model input uses (drawings included).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/tensor.h"

namespace nn {

constexpr int kDigitSide = 8;
constexpr int kDigitFeatures = 64;
constexpr int kDigitClasses = 10;

struct Dataset {
  Matrix x;             // (N, 64) in [0, 1]
  std::vector<int> y;   // (N) in 0..9
  Index size() const { return x.rows(); }
};

// One-hot targets (N, classes) for labels.
Matrix one_hot(const std::vector<int>& labels, int classes = kDigitClasses);

// Rows `indices` of data, in that order.
Dataset subset(const Dataset& data, const std::vector<int>& indices);

// The rows of a followed by the rows of b (e.g. the training split plus font digits).
// Either may be empty; otherwise both need the same feature count. Throws nn::Error naming
// both shapes when they differ, or when a set's labels do not match its rows.
Dataset concat(const Dataset& a, const Dataset& b);

struct Split {
  Dataset train, validation, test;
};

// Stratified, seeded split: test_share of every class goes to test, then validation_share
// of what is left to validation. Same seed, same split, natively and in wasm.
Split stratified_split(const Dataset& data, float test_share, float validation_share, uint64_t seed);

}  // namespace nn
