// Dataset helpers: one-hot targets, row subsets and the seeded stratified split every
// front end (CLI, wasm, tests) uses, so the same seed gives the same split everywhere.
// Nothing here shuffles for training; the trainer does that with its own Rng.
#include "engine/dataset.h"

#include <algorithm>
#include <cmath>

#include "engine/error.h"
#include "engine/rng.h"

namespace nn {

Matrix one_hot(const std::vector<int>& labels, int classes) {
  if (classes < 1) throw Error("one_hot: classes must be at least 1, got " + std::to_string(classes));
  Matrix out = Matrix::Zero(static_cast<Index>(labels.size()), classes);  // (N, classes)
  for (size_t i = 0; i < labels.size(); ++i) {
    const int label = labels[i];
    if (label < 0 || label >= classes) {
      throw Error("one_hot: label " + std::to_string(label) + " at index " + std::to_string(i) +
                  " is outside 0.." + std::to_string(classes - 1));
    }
    out(static_cast<Index>(i), label) = 1.0f;
  }
  return out;
}

Dataset subset(const Dataset& data, const std::vector<int>& indices) {
  if (static_cast<Index>(data.y.size()) != data.size()) {
    throw Error("subset: dataset has " + std::to_string(data.size()) + " rows but " +
                std::to_string(data.y.size()) + " labels");
  }
  Dataset out;
  out.x.resize(static_cast<Index>(indices.size()), data.x.cols());
  out.y.resize(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) {
    const int row = indices[i];
    if (row < 0 || row >= data.size()) {
      throw Error("subset: index " + std::to_string(row) + " is outside 0.." + std::to_string(data.size() - 1));
    }
    out.x.row(static_cast<Index>(i)) = data.x.row(row);
    out.y[i] = data.y[static_cast<size_t>(row)];
  }
  return out;
}

Dataset concat(const Dataset& a, const Dataset& b) {
  for (const Dataset* d : {&a, &b}) {
    if (static_cast<Index>(d->y.size()) != d->size()) {
      throw Error(std::string("concat: the ") + (d == &a ? "first" : "second") + " dataset has " +
                  std::to_string(d->size()) + " rows but " + std::to_string(d->y.size()) + " labels");
    }
  }
  if (a.size() == 0) return b;
  if (b.size() == 0) return a;
  if (a.x.cols() != b.x.cols()) {
    throw Error("concat: the datasets have different feature counts: (" + std::to_string(a.size()) + ", " +
                std::to_string(a.x.cols()) + ") and (" + std::to_string(b.size()) + ", " +
                std::to_string(b.x.cols()) + ")");
  }
  Dataset out;
  out.x.resize(a.size() + b.size(), a.x.cols());  // (Na + Nb, F)
  out.x.topRows(a.size()) = a.x;
  out.x.bottomRows(b.size()) = b.x;
  out.y.reserve(a.y.size() + b.y.size());
  out.y.insert(out.y.end(), a.y.begin(), a.y.end());
  out.y.insert(out.y.end(), b.y.begin(), b.y.end());
  return out;
}

namespace {

void check_share(const char* name, float share) {
  if (!std::isfinite(share) || share < 0.0f || share >= 1.0f) {
    throw Error(std::string("stratified_split: ") + name + " " + std::to_string(share) +
                " must be a finite number in [0, 1)");
  }
}

// round(share * n) in double so native and wasm agree; half rounds up.
size_t share_of(float share, size_t n) {
  return static_cast<size_t>(std::floor(static_cast<double>(share) * static_cast<double>(n) + 0.5));
}

}  // namespace

Split stratified_split(const Dataset& data, float test_share, float validation_share, uint64_t seed) {
  check_share("test_share", test_share);
  check_share("validation_share", validation_share);
  if (static_cast<Index>(data.y.size()) != data.size()) {
    throw Error("stratified_split: dataset has " + std::to_string(data.size()) + " rows but " +
                std::to_string(data.y.size()) + " labels");
  }
  int classes = 0;
  for (size_t i = 0; i < data.y.size(); ++i) {
    if (data.y[i] < 0) {
      throw Error("stratified_split: label " + std::to_string(data.y[i]) + " at index " + std::to_string(i) +
                  " is negative");
    }
    classes = std::max(classes, data.y[i] + 1);
  }
  std::vector<std::vector<int>> by_class(static_cast<size_t>(classes));
  for (size_t i = 0; i < data.y.size(); ++i) by_class[static_cast<size_t>(data.y[i])].push_back(static_cast<int>(i));

  // One generator walks the classes in label order: deterministic for a seed.
  Rng rng(seed);
  std::vector<int> train, validation, test;
  for (auto& members : by_class) {
    rng.shuffle(members);
    const size_t n_test = share_of(test_share, members.size());
    const size_t n_validation = share_of(validation_share, members.size() - n_test);
    test.insert(test.end(), members.begin(), members.begin() + static_cast<long>(n_test));
    validation.insert(validation.end(), members.begin() + static_cast<long>(n_test),
                      members.begin() + static_cast<long>(n_test + n_validation));
    train.insert(train.end(), members.begin() + static_cast<long>(n_test + n_validation), members.end());
  }
  // Sorted by original index: splits keep the file's order, which reads well in tests and
  // leaves shuffling to the trainer.
  std::sort(train.begin(), train.end());
  std::sort(validation.begin(), validation.end());
  std::sort(test.begin(), test.end());
  return Split{subset(data, train), subset(data, validation), subset(data, test)};
}

}  // namespace nn
