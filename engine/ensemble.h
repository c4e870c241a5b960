// An ensemble of trained models that reads a digit as one: predict averages the members'
// class probabilities over the members and over test-time input variants of each digit
// (preprocess_variants.h). The one predict for every caller (page, CLI, tests, tools), so a
// single model with only the identity variant is just that model.
#pragma once

#include <vector>

#include "engine/dataset.h"
#include "engine/preprocess_variants.h"
#include "engine/sequential.h"

namespace nn {

class Ensemble {
 public:
  Ensemble() = default;
  Ensemble(Ensemble&&) = default;
  Ensemble& operator=(Ensemble&&) = default;

  // Adds a built model. Throws nn::Error if it is not built, or its input size or class
  // count differs from the first member's.
  void add(Sequential model);
  // Takes member i out (the others keep their order). Throws nn::Error when there is no
  // member i. The kept test-time variants stay: they depend on the inputs, not the members.
  void remove(size_t i);
  // The variants every digit is read in (default: identity only). Variants other than the
  // identity need 8x8 inputs (64 features); throws nn::Error otherwise, or for an empty list.
  void set_variants(std::vector<InputVariant> variants);
  const std::vector<InputVariant>& variants() const { return variants_; }

  size_t size() const { return members_.size(); }
  Sequential& member(size_t i) { return members_.at(i); }

  // x: (N, F) -> (N, K) probabilities: the mean over members and variants of each member's
  // predict. Throws nn::Error for an empty ensemble or a wrong feature count.
  Matrix predict(ConstMatrixView x);
  // Accuracy and predicted classes of predict on labelled data (loss and confusion as in
  // Sequential::evaluate, the loss being the mean negative log of the averaged probability),
  // with the averaged probabilities of every sample.
  Evaluation evaluate(const Dataset& data);
  // Makes the variants of up to `rows` more of x's rows, kept for predict and evaluate on x,
  // so a caller can spread that work (a preprocess_drawing per digit and variant) over short
  // steps and answer other requests between them; true once every row of x has its variants
  // (at once for the identity alone). Other rows or variants start again. Throws nn::Error for rows < 1 or a wrong feature count.
  bool prepare_variants(ConstMatrixView x, Index rows);

 private:
  void check_variants_fit(Index features) const;
  // input_variants(x, variants_), kept for the next call with the same rows: the page scores
  // its test split again each time a member joins, and the bolder and lighter variants (a
  // preprocess_drawing each) cost more than all the members' forward passes.
  const Matrix& expanded_inputs(ConstMatrixView x);

  std::vector<Sequential> members_;
  std::vector<InputVariant> variants_{InputVariant::kIdentity};
  Matrix expanded_, expanded_from_;  // the cache: what the rows became, and the rows
  std::vector<InputVariant> expanded_variants_;
  Index expanded_rows_ = 0;          // how many of expanded_from_'s rows expanded_ holds
};

}  // namespace nn
