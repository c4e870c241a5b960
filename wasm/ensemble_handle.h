// The Ensemble object the wasm module hands to JS (the .d.ts Ensemble interface): an
// nn::Ensemble of models loaded from model-file bytes, read together over test-time input
// variants, plus the test split a run with the given settings holds out (for evaluate()).
// Glue only: every number it returns is computed by nn::Ensemble.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <map>
#include <string>

#include "engine/ensemble.h"
#include "engine/nn.h"

namespace digitlab_wasm {

using emscripten::val;

class EnsembleHandle {
 public:
  // options: seed, testShare, validationShare choosing the test split (as loadModel).
  static EnsembleHandle* create(const val& options);
  ~EnsembleHandle();
  // bytes: a model file. Returns the new size. A bad file throws and leaves the ensemble as it was.
  int add(const val& bytes);
  // Takes member `index` (0-based) out; returns the new size. Throws for a member it lacks.
  int remove(int index);
  // "identity,left,right" (preprocess_variants.h); a bad list throws and keeps the old one.
  void set_variants(const val& list);
  std::string variants() const;
  int size() const { return static_cast<int>(ensemble_.size()); }
  // features: N x 64 -> {probabilities: Float32Array(N * 10), memberClasses: Int32Array(N * size)}:
  // the ensemble's averaged probabilities, and each member's top class over the variants.
  val predict(const val& features);
  val evaluate();        // {loss, accuracy, confusion, misclassified} on the test split
  // Makes the test split's variants for up to `rows` more digits (Ensemble::prepare_variants);
  // true once evaluate() has them all. Lets the worker answer drawings between steps.
  bool prepare_test(int rows);
  val test_features();   // (N * 64) of the test split
  // What the ensemble looks at in one digit (engine/sensitivity.h), in inside_views.cpp.
  val occlusion(const val& features);
  val confidence_curves(const val& features);
  // trace_forward (engine/inspect.h) of one digit through member `member` (0-based), as
  // ModelApi::trace_forward: each member is one model, read here on the features as they are.
  val trace_forward(const val& features, int member);

 private:
  explicit EnsembleHandle(nn::Dataset test);
  // Reading a JS argument runs JS (getters, a Proxy) that may delete this very object:
  // after reading one, a method checks the handle is still the one it was (see ModelApi).
  void require_alive(uint64_t serial, const char* what) const;
  static std::map<const EnsembleHandle*, uint64_t>& live_handles();
  uint64_t serial_;
  nn::Ensemble ensemble_;
  nn::Dataset test_;
};

}  // namespace digitlab_wasm
