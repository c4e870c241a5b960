// Glue between the JS objects and the engine (see facade.h): argument checks that only
// the boundary can make (array lengths, sizes), then engine calls, then conversions.
#include "wasm/facade.h"

#include <malloc.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "engine/benchmark.h"
#include "engine/layers/conv2d.h"
#include "engine/layers/dense.h"
#include "wasm/js_error.h"

namespace digitlab_wasm {

namespace {

// The digits loaded once by loadDigits(), split per trainer.
std::optional<nn::Dataset>& digits() {
  static std::optional<nn::Dataset> data;
  return data;
}

// The font digits loaded by loadFontDigits(), added to training splits on request.
std::optional<nn::Dataset>& font_digits() {
  static std::optional<nn::Dataset> data;
  return data;
}

// The pen-stroke digits loaded by loadStrokeDigits(), added to training splits on request.
std::optional<nn::Dataset>& stroke_digits() {
  static std::optional<nn::Dataset> data;
  return data;
}

}  // namespace

const nn::Dataset& require_digits(const char* who) {
  if (!digits()) throw nn::Error(std::string(who) + ": no digits loaded; call loadDigits(bytes of data/digits.bin) first");
  return *digits();
}

// ---- Model (shared by trainers and loaded models) -------------------------------------

ModelApi::ModelApi() : serial_(++live_serial()) { live_handles()[this] = serial_; }
ModelApi::~ModelApi() { live_handles().erase(this); }

std::map<const ModelApi*, uint64_t>& ModelApi::live_handles() {
  static std::map<const ModelApi*, uint64_t> handles;
  return handles;
}

uint64_t& ModelApi::live_serial() {
  static uint64_t serial = 0;
  return serial;
}

void ModelApi::require_alive(const ModelApi* self, uint64_t serial, const char* what) {
  const auto it = live_handles().find(self);
  if (it == live_handles().end() || it->second != serial) {
    throw nn::Error(std::string(what) + ": the model was deleted while its argument was read (by a getter); "
                    "nothing was computed");
  }
}

val ModelApi::predict(const val& features) {
  return guard([&] {
    // Reading the argument runs JS (getters, a Proxy), which may delete this very object:
    // copy it first, then touch `this` only if it is still the same live handle.
    const ModelApi* self = this;
    const uint64_t serial = serial_;
    std::vector<float> x = floats_from_js(features, "predict");
    require_alive(self, serial, "predict");
    nn::Sequential& net = model();
    const int per_sample = net.input_shape().size();
    if (x.empty() || x.size() % static_cast<size_t>(per_sample) != 0) {
      throw nn::Error("predict: expected " + std::to_string(per_sample) + " features per sample (input shape " +
                      net.input_shape().str() + "), got " + std::to_string(x.size()) +
                      " values, which is not a positive multiple of " + std::to_string(per_sample));
    }
    for (float v : x) {
      if (!std::isfinite(v)) throw nn::Error("predict: features must be finite numbers (got NaN or Infinity)");
    }
    const auto rows = static_cast<nn::Index>(x.size() / static_cast<size_t>(per_sample));
    nn::Matrix probs = net.predict(nn::ConstMatrixView(x.data(), rows, per_sample));
    return float32_array(probs.data(), static_cast<size_t>(probs.size()));
  });
}

val ModelApi::evaluate() {
  return guard([&] {
    if (test().size() == 0) require_digits("evaluate");
    if (test().size() == 0) throw nn::Error("evaluate: the test split is empty");
    return evaluation_to_js(model().evaluate(test()), test());
  });
}

val ModelApi::summary() {
  return guard([&] { return summary_to_js(model()); });
}

std::string ModelApi::architecture() {
  return guard([&] { return model().to_json().dump(); });
}

val ModelApi::layer_weights(int layer) {
  return guard([&] { return layer_weights_to_js(model(), layer); });
}

val ModelApi::first_weights() {
  return guard([&] {
    nn::Sequential& net = model();
    for (size_t i = 0; i < net.layer_count(); ++i) {
      nn::Layer& layer = net.layer(i);
      if (dynamic_cast<nn::Dense*>(&layer) || dynamic_cast<nn::Conv2D*>(&layer)) {
        return layer_weights_to_js(net, static_cast<int>(i));
      }
    }
    throw nn::Error("firstWeights: the model has no dense or conv2d layer");
  });
}

val ModelApi::save() {
  return guard([&] {
    const std::vector<uint8_t> bytes = nn::save_model(model());
    return uint8_array(bytes.data(), bytes.size());
  });
}

val ModelApi::test_features() {
  return guard([&] { return float32_array(test().x.data(), static_cast<size_t>(test().x.size())); });
}

val ModelApi::test_labels() {
  return guard([&] {
    std::vector<int32_t> labels(test().y.begin(), test().y.end());
    return int32_array(labels.data(), labels.size());
  });
}

val ModelApi::trace_forward(const val& features) {
  return guard([&] {
    // As in predict: the argument is read (JS runs) before `this` is touched.
    const ModelApi* self = this;
    const uint64_t serial = serial_;
    std::vector<float> x = floats_from_js(features, "traceForward");
    require_alive(self, serial, "traceForward");
    for (float v : x) {
      if (!std::isfinite(v)) throw nn::Error("traceForward: features must be finite numbers (got NaN or Infinity)");
    }
    return trace_to_js(nn::trace_forward(model(), nn::ConstMatrixView(x.data(), 1, static_cast<nn::Index>(x.size()))));
  });
}

// ---- Trainer --------------------------------------------------------------------------

TrainerHandle* TrainerHandle::create(const val& options) {
  return guard([&] {
    if (options.typeOf().as<std::string>() != "object" || options.isNull()) {
      throw nn::Error("createTrainer: expected an options object with at least {architecture}");
    }
    val architecture = options["architecture"];
    if (!architecture.isString()) {
      throw nn::Error("createTrainer: architecture must be a JSON string (see presetArchitecture())");
    }
    const nn::Settings settings = settings_from_js(options, "createTrainer", {"architecture"});
    nn::Sequential net = nn::parse_architecture(architecture.as<std::string>());
    if (net.input_shape().size() != nn::kDigitFeatures) {
      throw nn::Error("createTrainer: the architecture's input " + net.input_shape().str() + " has " +
                      std::to_string(net.input_shape().size()) + " features; digits have 64 (use 64 or [1, 8, 8])");
    }
    nn::check_digit_model(net, "createTrainer");
    const nn::Dataset& data = require_digits("createTrainer");
    if (settings.font_digits && !font_digits()) {
      throw nn::Error("createTrainer: fontDigits is true but no font digits are loaded; call "
                      "loadFontDigits(bytes of data/font-digits.bin) first");
    }
    if (settings.stroke_digits && !stroke_digits()) {
      throw nn::Error("createTrainer: strokeDigits is true but no stroke digits are loaded; call "
                      "loadStrokeDigits(bytes of data/stroke-digits.bin) first");
    }
    static const nn::Dataset kNone;
    return new TrainerHandle(std::make_unique<nn::Experiment>(data, settings.font_digits ? *font_digits() : kNone,
                                                              std::move(net), settings,
                                                              settings.stroke_digits ? *stroke_digits() : kNone));
  });
}

val TrainerHandle::train(double max_batches, double known_epochs) {
  return guard([&] {
    if (!(max_batches >= 1) || max_batches > 1e9 || max_batches != std::floor(max_batches)) {
      throw nn::Error("train: the number of batches must be an integer >= 1, got " + std::to_string(max_batches));
    }
    experiment_->run(static_cast<nn::Index>(max_batches));
    // Rebuilding every epoch's row as JS objects on each call cost a fifth of a batch's time
    // in Chromium; the wrapper already holds the rows it was sent.
    const size_t known = known_epochs >= 0 ? static_cast<size_t>(known_epochs) : 0;
    return experiment_progress_to_js(*experiment_, known);
  });
}

val TrainerHandle::progress() {
  return guard([&] { return experiment_progress_to_js(*experiment_, 0); });
}

namespace {

std::string param_name(const val& param, const char* who) {
  if (!param.isString()) throw nn::Error(std::string(who) + ": param must be \"weight\" or \"bias\"");
  return param.as<std::string>();
}

nn::Index element_index(double element, const char* who) {
  if (!(element >= -1) || element > 1e9 || element != std::floor(element)) {
    throw nn::Error(std::string(who) + ": element must be an integer >= 0, or -1 for the largest gradient");
  }
  return static_cast<nn::Index>(element);
}

const nn::StepRecord& require_step(nn::Experiment& experiment, const char* who) {
  const nn::StepRecord* record = experiment.trainer().last_step();
  if (!record) throw nn::Error(std::string(who) + ": no step taken yet; call step() first");
  return *record;
}

size_t layer_index(int layer, const char* who) {
  if (layer < 0) throw nn::Error(std::string(who) + ": layer must be an index >= 0, got " + std::to_string(layer));
  return static_cast<size_t>(layer);
}

}  // namespace

val TrainerHandle::step(double known_epochs) {
  return guard([&] {
    val out = val::object();
    out.set("batch", step_record_to_js(experiment_->step()));
    out.set("progress", experiment_progress_to_js(*experiment_, known_epochs >= 0 ? static_cast<size_t>(known_epochs) : 0));
    return out;
  });
}

val TrainerHandle::step_sample(int row) {
  return guard([&] {
    return sample_step_to_js(nn::sample_step(model(), require_step(*experiment_, "stepSample"), row));
  });
}

val TrainerHandle::step_weight(int layer, const val& param, double element, int row) {
  return guard([&] {
    const std::string name = param_name(param, "stepWeight");
    return weight_step_to_js(nn::weight_step(model(), require_step(*experiment_, "stepWeight"),
                                             layer_index(layer, "stepWeight"), name,
                                             element_index(element, "stepWeight"), row));
  });
}

val TrainerHandle::gradient_check(int layer, const val& param, double element) {
  return guard([&] {
    const std::string name = param_name(param, "gradientCheck");
    return gradient_check_to_js(experiment_->trainer().gradient_check(layer_index(layer, "gradientCheck"), name,
                                                                       element_index(element, "gradientCheck")));
  });
}

// ---- Loaded model ---------------------------------------------------------------------

ModelHandle* ModelHandle::create(const val& bytes, const val& options) {
  return guard([&] {
    // Capped before the copy, like the CLI's read: the engine refuses more anyway.
    const std::vector<uint8_t> file = bytes_from_js(bytes, "loadModel", nn::kMaxModelFileBytes);
    if (file.empty()) throw nn::Error("loadModel: the model file is empty (0 bytes)");
    const nn::Settings settings = settings_from_js(options, "loadModel", {});
    auto model = std::make_unique<nn::Sequential>(nn::load_model(file.data(), file.size()));
    nn::check_digit_model(*model, "loadModel");
    nn::Dataset test;
    if (digits()) test = nn::test_split(*digits(), settings);
    return new ModelHandle(std::move(model), std::move(test));
  });
}

// ---- Module-level functions -----------------------------------------------------------

const nn::Dataset* loaded_digits() { return digits() ? &*digits() : nullptr; }

const nn::Dataset* loaded_font_digits() { return font_digits() ? &*font_digits() : nullptr; }

const nn::Dataset* loaded_stroke_digits() { return stroke_digits() ? &*stroke_digits() : nullptr; }

namespace {

// One digits file from JS into `slot`: `who` (loadDigits...) names the call, `what` the file
// in the message for an empty one. Returns the count.
int load_digits_into(std::optional<nn::Dataset>& slot, const val& bytes, const char* who, const char* what) {
  return guard([&] {
    const std::vector<uint8_t> file = bytes_from_js(bytes, who, nn::kMaxDigitsFileBytes);
    if (file.empty()) throw nn::Error(std::string(who) + ": the " + what + " file is empty (0 bytes)");
    slot = nn::load_digits(file.data(), file.size());
    return static_cast<int>(slot->size());
  });
}

}  // namespace

int load_digits_js(const val& bytes) { return load_digits_into(digits(), bytes, "loadDigits", "digits"); }

int load_font_digits_js(const val& bytes) {
  return load_digits_into(font_digits(), bytes, "loadFontDigits", "font digits");
}

int load_stroke_digits_js(const val& bytes) {
  return load_digits_into(stroke_digits(), bytes, "loadStrokeDigits", "stroke digits");
}

std::string settings_schema_js() {
  return guard([&] { return nn::settings_schema_json().dump(); });
}

val presets_js() {
  return guard([&] {
    val out = val::array();
    for (const std::string& name : nn::preset_names()) out.call<void>("push", name);
    return out;
  });
}

std::string preset_architecture_js(const val& name, double dropout) {
  return guard([&] {
    if (!name.isString()) throw nn::Error("presetArchitecture: the name must be a string");
    return nn::preset_architecture(name.as<std::string>(), static_cast<float>(dropout));
  });
}

val check_architecture_js(const val& text) {
  return guard([&] {
    if (!text.isString()) throw nn::Error("checkArchitecture: expected the JSON text of an architecture");
    nn::Sequential net = nn::parse_architecture(text.as<std::string>());
    // Built (with a throwaway seed) so the summary can count parameters.
    nn::Rng rng(0);
    net.build(rng);
    return summary_to_js(net);
  });
}

std::vector<uint8_t> ink_from_js(const val& pixels, int width, int height, const char* who) {
  // The engine's own limit, checked before the pixels are copied into the heap.
  if (width <= 0 || height <= 0 || width > nn::kMaxDrawingSide || height > nn::kMaxDrawingSide) {
    throw nn::Error(std::string(who) + ": width and height must be in 1.." + std::to_string(nn::kMaxDrawingSide) +
                    ", got " + std::to_string(width) + " x " + std::to_string(height));
  }
  const size_t area = static_cast<size_t>(width) * static_cast<size_t>(height);
  std::vector<uint8_t> raw = bytes_from_js(pixels, who, area * 4);
  if (raw.size() == area * 4) return nn::ink_from_rgba(raw.data(), width, height);
  if (raw.size() == area) return raw;
  throw nn::Error(std::string(who) + ": " + std::to_string(width) + " x " + std::to_string(height) + " pixels need " +
                  std::to_string(area * 4) + " RGBA bytes or " + std::to_string(area) + " gray bytes, got " +
                  std::to_string(raw.size()));
}

val preprocess_js(const val& pixels, int width, int height) {
  return guard([&] {
    const std::vector<uint8_t> ink = ink_from_js(pixels, width, height, "preprocess");
    const nn::Preprocessed result = nn::preprocess_drawing(ink.data(), width, height);
    val out = val::object();
    out.set("blank", result.blank);
    out.set("features", float32_array(result.features.data(), result.features.size()));
    return out;
  });
}

double heap_bytes_js() {
  // Bytes handed out by malloc and not yet freed: returns to its old value when every
  // object made since has been freed, unlike the heap size, which only grows.
  return static_cast<double>(mallinfo().uordblks);
}

double gemm_gflops_js(int n, int repeats) {
  return guard([&] { return nn::gemm_gflops(n, repeats); });
}

val bench_training_js(const val& preset, int epochs, double seed) {
  return guard([&] {
    if (!preset.isString()) throw nn::Error("benchTraining: the preset name must be a string");
    const nn::TrainingBench bench = nn::bench_training(require_digits("benchTraining"), preset.as<std::string>(),
                                                       epochs, seed_from_js(val(seed), "benchTraining: seed"));
    val out = val::object();
    out.set("epochSeconds", val::array(bench.epoch_seconds));
    out.set("samplesPerSec", bench.samples_per_sec);
    out.set("spread", bench.spread);
    out.set("gflops", bench.gflops);
    out.set("flopsPerSample", bench.flops_per_sample);
    out.set("testAccuracy", bench.test_accuracy);
    out.set("trainSamples", static_cast<double>(bench.train_samples));
    out.set("epochs", bench.epochs);
    return out;
  });
}

val bench_augment_js(int copies, int repeats, double seed) {
  return guard([&] {
    const nn::AugmentBench bench = nn::bench_augment(require_digits("benchAugment"), copies, repeats,
                                                     seed_from_js(val(seed), "benchAugment: seed"));
    val out = val::object();
    out.set("distortionsPerSec", bench.distortions_per_sec);
    out.set("spread", bench.spread);
    out.set("distortions", static_cast<double>(bench.distortions));
    out.set("repeats", bench.repeats);
    out.set("checksum", static_cast<double>(bench.checksum));
    return out;
  });
}

val split_indices_js(double test_share, double seed) {
  return guard([&] {
    std::vector<int> train, test;
    nn::split_indices(require_digits("splitIndices"), static_cast<float>(test_share), seed_from_js(val(seed), "splitIndices: seed"),
                      train, test);
    val out = val::object();
    out.set("train", int32_array(train.data(), train.size()));
    out.set("test", int32_array(test.data(), test.size()));
    return out;
  });
}

}  // namespace digitlab_wasm
