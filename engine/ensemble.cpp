#include "engine/ensemble.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/error.h"

namespace nn {

namespace {
bool only_identity(const std::vector<InputVariant>& v) {
  return v.size() == 1 && v[0] == InputVariant::kIdentity;
}
}  // namespace

void Ensemble::add(Sequential model) {
  if (!model.built()) throw Error("ensemble: member " + std::to_string(members_.size() + 1) + " is not built");
  if (!members_.empty()) {
    const int in = members_[0].input_shape().size(), classes = members_[0].output_shape().size();
    if (model.input_shape().size() != in || model.output_shape().size() != classes)
      throw Error("ensemble: member " + std::to_string(members_.size() + 1) + " reads " +
                  std::to_string(model.input_shape().size()) + " features into " +
                  std::to_string(model.output_shape().size()) + " classes, the first member " + std::to_string(in) +
                  " into " + std::to_string(classes));
  }
  check_variants_fit(model.input_shape().size());
  members_.push_back(std::move(model));
}

void Ensemble::remove(size_t i) {
  if (i >= members_.size())
    throw Error("ensemble: no member " + std::to_string(i + 1) + " to remove (it has " + std::to_string(members_.size()) + ")");
  members_.erase(members_.begin() + std::ptrdiff_t(i));
}

void Ensemble::check_variants_fit(Index features) const {
  if (!only_identity(variants_) && features != kDigitFeatures)
    throw Error("ensemble: input variants need 8x8 inputs (64 features), the models read " +
                std::to_string(features));
}

void Ensemble::set_variants(std::vector<InputVariant> variants) {
  if (variants.empty()) throw Error("ensemble: the variant list is empty (use identity)");
  std::swap(variants_, variants);
  try {
    if (!members_.empty()) check_variants_fit(members_[0].input_shape().size());
  } catch (...) {
    std::swap(variants_, variants);  // keep the old list on error
    throw;
  }
}

Matrix Ensemble::predict(ConstMatrixView x) {
  if (members_.empty()) throw Error("ensemble: no members to predict with");
  const Index features = members_[0].input_shape().size();
  if (x.cols() != features)
    throw Error("ensemble: inputs have " + std::to_string(x.cols()) + " features, the members read " +
                std::to_string(features));
  const bool plain = only_identity(variants_);
  Matrix one;  // one drawing is expanded afresh: cheap, and kept it would push the test split out
  const ConstMatrixView in = plain ? x : x.rows() == 1 ? view(one = input_variants(x, variants_)) : view(expanded_inputs(x));
  const Index v_count = plain ? 1 : Index(variants_.size());
  Matrix sum;
  for (Sequential& m : members_) {
    const Matrix p = m.predict(in);
    if (sum.size() == 0) sum = p;
    else sum += p;
  }
  if (v_count == 1 && members_.size() == 1) return sum;  // exactly the model's own predict
  Matrix out = Matrix::Zero(x.rows(), sum.cols());
  for (Index i = 0; i < x.rows(); ++i)
    for (Index v = 0; v < v_count; ++v) out.row(i) += sum.row(i * v_count + v);
  out /= float(v_count * Index(members_.size()));
  return out;
}

const Matrix& Ensemble::expanded_inputs(ConstMatrixView x) {
  prepare_variants(x, x.rows());
  return expanded_;
}

bool Ensemble::prepare_variants(ConstMatrixView x, Index rows) {
  if (rows < 1) throw Error("prepare_variants: rows " + std::to_string(rows) + " is not a positive count");
  if (only_identity(variants_)) return true;  // predict reads the rows as they are
  check_variants_fit(x.cols());
  const bool same = expanded_variants_ == variants_ && expanded_from_.rows() == x.rows() &&
                    expanded_from_.cols() == x.cols() &&
                    (expanded_from_.array() == x.array()).all();  // NaN never matches: expanded again
  const Index v_count = Index(variants_.size());
  if (!same) {
    expanded_from_ = x;
    expanded_variants_ = variants_;
    expanded_.resize(x.rows() * v_count, x.cols());
    expanded_rows_ = 0;
  }
  const Index n = std::min(rows, x.rows() - expanded_rows_);
  if (n > 0) {
    expanded_.middleRows(expanded_rows_ * v_count, n * v_count) =
        input_variants(ConstMatrixView(x.data() + expanded_rows_ * x.cols(), n, x.cols()), variants_);  // rows are contiguous
    expanded_rows_ += n;
  }
  return expanded_rows_ == x.rows();
}

Evaluation Ensemble::evaluate(const Dataset& data) {
  const Matrix probs = predict(view(data.x));
  const Index classes = probs.cols();
  Evaluation e;
  e.probabilities = probs;
  e.confusion.assign(classes, std::vector<int>(classes, 0));
  e.predicted.resize(data.size());
  double loss = 0;
  int correct = 0;
  for (Index i = 0; i < data.size(); ++i) {
    Index guess;
    probs.row(i).maxCoeff(&guess);
    e.predicted[i] = int(guess);
    const int truth = data.y[i];
    if (truth < 0 || truth >= classes)
      throw Error("ensemble: label " + std::to_string(truth) + " of sample " + std::to_string(i) +
                  " is outside 0.." + std::to_string(classes - 1));
    e.confusion[truth][guess]++;
    correct += guess == truth;
    loss -= std::log(std::max(probs(i, truth), 1e-12f));
  }
  if (data.size() > 0) {
    e.accuracy = float(correct) / data.size();
    e.loss = float(loss / data.size());
  }
  return e;
}

}  // namespace nn
