// The objects the wasm module hands to JS: a Trainer (an nn::Experiment: split, font digits,
// trainer, per-epoch test accuracy) and a Model (a loaded model file + the test split a run
// with the same settings holds out), plus the module-level digits dataset. Each method is glue over the engine: convert in, call, convert out.
// Errors are nn::Error here; bindings.cpp turns them into JS Errors.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "engine/nn.h"
#include "wasm/convert.h"

namespace digitlab_wasm {

// What a trained or loaded model offers (the .d.ts Model interface).
class ModelApi {
 public:
  ModelApi();
  virtual ~ModelApi();
  val predict(const val& features);
  val evaluate();
  val summary();
  std::string architecture();
  val layer_weights(int layer);
  val first_weights();
  val save();
  val test_features();
  val test_labels();
  // What the model looks at in one digit (64 features; engine/sensitivity.h), in inside_views.cpp.
  val occlusion(const val& features);
  val confidence_curves(const val& features);
  // trace_forward (engine/inspect.h) of one sample, in inference mode:
  // [{name, type, shape: [c] | [c, h, w], values: Float32Array}], input first.
  val trace_forward(const val& features);

 protected:
  virtual nn::Sequential& model() = 0;
  virtual const nn::Dataset& test() = 0;  // (N, 64): the test split of the loaded digits, maybe empty
 private:
  // Every handle alive, with a serial no later handle reuses: a method that runs JS before
  // it touches `this` checks the handle survived (a getter may have deleted it).
  static std::map<const ModelApi*, uint64_t>& live_handles();
  static uint64_t& live_serial();
  static void require_alive(const ModelApi* self, uint64_t serial, const char* what);
  uint64_t serial_;
};

class TrainerHandle : public ModelApi {
 public:
  // Builds everything inside the error guard before the object exists, so a failure
  // leaks nothing (a JS throw would skip the destructors of a half-built object).
  static TrainerHandle* create(const val& options);
  // Progress with only the epochs after the first `known_epochs` (the JS wrapper keeps the rest).
  val train(double max_batches, double known_epochs);
  val progress();
  // The latest epoch's test evaluation (engine/experiment.h: EpochEvaluation) or null.
  val epoch_evaluation();
  // The step-through (engine/step_trace.h): one batch, the run's next -> {batch, progress};
  // then one row of it, and one parameter element of it (element -1: the largest gradient).
  val step(double known_epochs);
  val step_sample(int row);
  val step_weight(int layer, const val& param, double element, int row);
  // The gradient check on the run's check batch (Trainer::gradient_check).
  val gradient_check(int layer, const val& param, double element);

 protected:
  nn::Sequential& model() override { return experiment_->model(); }
  const nn::Dataset& test() override { return experiment_->test(); }

 private:
  explicit TrainerHandle(std::unique_ptr<nn::Experiment> experiment) : experiment_(std::move(experiment)) {}
  std::unique_ptr<nn::Experiment> experiment_;
};

class ModelHandle : public ModelApi {
 public:
  // bytes: a model file; options: settings choosing the test split for evaluate() (seed,
  // testShare, validationShare: the split a trainer with the same settings holds out).
  static ModelHandle* create(const val& bytes, const val& options);

 protected:
  nn::Sequential& model() override { return *model_; }
  const nn::Dataset& test() override { return test_; }

 private:
  ModelHandle(std::unique_ptr<nn::Sequential> model, nn::Dataset test)
      : model_(std::move(model)), test_(std::move(test)) {}
  std::unique_ptr<nn::Sequential> model_;
  nn::Dataset test_;
};

// Module-level functions. Strings arrive as val, not std::string: Embind's std::string
// argument copy would be skipped (leaked) when the call throws.
int load_digits_js(const val& bytes);
// The digits loadDigits() loaded, or nullptr before it.
const nn::Dataset* loaded_digits();
// The loaded digits, or nn::Error naming `who` and telling to call loadDigits first.
const nn::Dataset& require_digits(const char* who);
// Digits rendered from fonts (data/font-digits.bin): kept for trainers made with
// {fontDigits: true}, which add them to their training split only.
int load_font_digits_js(const val& bytes);
// The font digits loadFontDigits() loaded, or nullptr before it.
const nn::Dataset* loaded_font_digits();
// Synthetic pen-stroke digits (data/stroke-digits.bin): kept for trainers made with
// {strokeDigits: true}, which add them to their training split only.
int load_stroke_digits_js(const val& bytes);
// The stroke digits loadStrokeDigits() loaded, or nullptr before it.
const nn::Dataset* loaded_stroke_digits();
val presets_js();
// The settings schema (engine/settings.h) as JSON text; digitlab.js parses it once.
std::string settings_schema_js();
std::string preset_architecture_js(const val& name, double dropout);
val check_architecture_js(const val& text);
val preprocess_js(const val& pixels, int width, int height);
// A drawing from JS as an ink raster: RGBA canvas pixels (converted) or gray ink bytes,
// checked against the engine's size limit before anything is copied. `who` names the call.
std::vector<uint8_t> ink_from_js(const val& pixels, int width, int height, const char* who);
double heap_bytes_js();
// Benchmark hooks (engine/benchmark.h): the GEMM ceiling, a timed preset training run on
// the loaded digits, the augmentation's distortion rate on them, and the split's row
// indices for peers that train outside the engine.
double gemm_gflops_js(int n, int repeats);
val bench_training_js(const val& preset, int epochs, double seed);
val bench_augment_js(int copies, int repeats, double seed);
val split_indices_js(double test_share, double seed);

}  // namespace digitlab_wasm
