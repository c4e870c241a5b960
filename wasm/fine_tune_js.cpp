// Glue between the JS fineTune / personalScores and engine/fine_tune.h (see fine_tune_js.h).
#include "wasm/fine_tune_js.h"

#include <cmath>
#include <string>
#include <vector>

#include "engine/ensemble.h"
#include "engine/fine_tune.h"
#include "engine/personal_set.h"
#include "wasm/convert.h"
#include "wasm/facade.h"
#include "wasm/js_error.h"

namespace digitlab_wasm {

namespace {

constexpr size_t kMaxModels = 16;

// The model files as one ensemble read over options.variants.
nn::Ensemble ensemble_from_js(const val& files, const val& options, const char* who) {
  if (!files.isArray()) throw nn::Error(std::string(who) + ": expected an array of model files (Uint8Array)");
  const size_t count = files["length"].as<size_t>();
  if (count == 0 || count > kMaxModels) {
    throw nn::Error(std::string(who) + ": expected 1.." + std::to_string(kMaxModels) + " model files, got " +
                    std::to_string(count));
  }
  nn::Ensemble ensemble;
  for (size_t i = 0; i < count; ++i) {
    const std::vector<uint8_t> file = bytes_from_js(files[i], who, nn::kMaxModelFileBytes);
    if (file.empty()) throw nn::Error(std::string(who) + ": model file " + std::to_string(i + 1) + " is empty (0 bytes)");
    nn::Sequential model = nn::load_model(file.data(), file.size());
    nn::check_digit_model(model, who);
    ensemble.add(std::move(model));
  }
  const val variants = options.isUndefined() || options.isNull() ? val::undefined() : options["variants"];
  if (!variants.isUndefined()) {
    if (!variants.isString()) throw nn::Error(std::string(who) + ": variants must be a string like \"identity,left\"");
    ensemble.set_variants(nn::parse_variants(variants.as<std::string>()));
  }
  return ensemble;
}

nn::Dataset personal_from_js(const val& personal, const char* who) {
  if (personal.typeOf().as<std::string>() != "object" || personal.isNull()) {
    throw nn::Error(std::string(who) + ": expected the personal set as {features, labels}");
  }
  const size_t max = size_t(nn::kMaxPersonalDrawings) * nn::kDigitFeatures;
  const std::vector<float> features = floats_from_js(personal["features"], who, max);
  const std::vector<float> labels = floats_from_js(personal["labels"], who, size_t(nn::kMaxPersonalDrawings));
  if (features.size() != labels.size() * nn::kDigitFeatures) {
    throw nn::Error(std::string(who) + ": " + std::to_string(labels.size()) + " labels need " +
                    std::to_string(labels.size() * nn::kDigitFeatures) + " features (64 each), got " +
                    std::to_string(features.size()));
  }
  nn::Dataset set;
  set.x = nn::ConstMatrixView(features.data(), nn::Index(labels.size()), nn::kDigitFeatures);
  for (float label : labels) {
    if (label != std::floor(label) || !(label >= 0 && label <= 9)) {
      throw nn::Error(std::string(who) + ": a label must be a digit 0..9, got " + std::to_string(label));
    }
    set.y.push_back(int(label));
  }
  nn::check_personal_set(set);
  return set;
}

// The settings these calls read: the split, the made digits and the variants. Any other
// (epochs, learningRate...) is refused rather than silently ignored: the fine-tune's own
// recipe is the engine's (FineTuneOptions).
nn::Settings options_from_js(const val& options, const char* who) {
  if (options.typeOf().as<std::string>() == "object" && !options.isNull()) {
    const val keys = val::global("Object").call<val>("keys", options);
    const int count = keys["length"].as<int>();
    for (int i = 0; i < count; ++i) {
      const std::string key = keys[i].as<std::string>();
      if (key != "seed" && key != "testShare" && key != "validationShare" && key != "fontDigits" &&
          key != "strokeDigits" && key != "variants") {
        throw nn::Error(std::string(who) + ": unknown option \"" + key +
                        "\" (expected seed, testShare, validationShare, fontDigits, strokeDigits or variants)");
      }
    }
  }
  return settings_from_js(options, who, {"variants"});
}

val scores_to_js(const nn::PersonalScores& s) {
  val out = val::object();
  out.set("test", s.test);
  out.set("personal", s.personal);
  out.set("heldOut", s.held_out);
  out.set("testSize", double(s.test_size));
  out.set("personalSize", double(s.personal_size));
  out.set("heldOutSize", double(s.held_out_size));
  return out;
}

}  // namespace

val fine_tune_js(const val& model_files, const val& personal, const val& options) {
  return guard([&] {
    const char* who = "fineTune";
    const nn::Settings settings = options_from_js(options, who);
    nn::Ensemble ensemble = ensemble_from_js(model_files, options, who);
    const nn::Dataset set = personal_from_js(personal, who);
    static const nn::Dataset kNone;
    const nn::Dataset* fonts = loaded_font_digits();
    if (settings.font_digits && !fonts) {
      throw nn::Error("fineTune: fontDigits is true but no font digits are loaded; call loadFontDigits first");
    }
    const nn::Dataset* strokes = loaded_stroke_digits();
    if (settings.stroke_digits && !strokes) {
      throw nn::Error("fineTune: strokeDigits is true but no stroke digits are loaded; call loadStrokeDigits first");
    }
    const nn::FineTuneReport report =
        nn::fine_tune(ensemble, require_digits(who), settings.font_digits ? *fonts : kNone, set, settings, {},
                      settings.stroke_digits ? *strokes : kNone);
    val files = val::array();
    for (size_t m = 0; m < ensemble.size(); ++m) {
      const std::vector<uint8_t> bytes = nn::save_model(ensemble.member(m));
      files.call<void>("push", uint8_array(bytes.data(), bytes.size()));
    }
    val out = val::object();
    out.set("models", files);
    out.set("before", scores_to_js(report.before));
    out.set("after", scores_to_js(report.after));
    out.set("copies", double(report.copies));
    out.set("trainSamples", double(report.train_samples));
    return out;
  });
}

val personal_scores_js(const val& model_files, const val& personal, const val& options) {
  return guard([&] {
    const char* who = "personalScores";
    const nn::Settings settings = options_from_js(options, who);
    nn::Ensemble ensemble = ensemble_from_js(model_files, options, who);
    const nn::Dataset set = personal_from_js(personal, who);
    val out = scores_to_js(nn::score_personal(ensemble, require_digits(who), settings, set));
    std::vector<uint8_t> mask(size_t(set.size()));
    for (nn::Index i = 0; i < set.size(); ++i) mask[size_t(i)] = nn::personal_held_out(set.x.row(i).data()) ? 1 : 0;
    out.set("heldOutMask", uint8_array(mask.data(), mask.size()));
    return out;
  });
}

}  // namespace digitlab_wasm
