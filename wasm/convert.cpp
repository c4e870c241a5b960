// JS <-> engine copies (see convert.h). Bulk data crosses the boundary through one
// TypedArray.set / slice each way, whatever its size.
#include "wasm/convert.h"

#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "engine/layers/conv2d.h"
#include "engine/layers/dense.h"

namespace digitlab_wasm {

namespace {

size_t length_of(const val& array, const char* what, size_t max_length) {
  const std::string type = array.typeOf().as<std::string>();
  if (type != "object" || array.isNull() || !array["length"].isNumber()) {
    throw nn::Error(std::string(what) + ": expected a typed array or an array of numbers, got " + type);
  }
  const double length = array["length"].as<double>();
  if (!(length >= 0) || length != std::floor(length)) {
    throw nn::Error(std::string(what) + ": impossible length " + std::to_string(length));
  }
  if (length > double(max_length)) {
    throw nn::Error(std::string(what) + ": " + std::to_string(static_cast<long long>(length)) +
                    " values, more than the limit of " + std::to_string(max_length));
  }
  return static_cast<size_t>(length);
}

// A view on wasm memory is only valid until the next allocation (memory growth replaces
// the buffer), so each is made right before its single use.
template <class T>
void copy_into(const val& array, T* destination, size_t size) {
  if (size == 0) return;
  val view(emscripten::typed_memory_view(size, destination));
  view.call<void>("set", array);
}

template <class T>
val copy_out(const T* data, size_t size) {
  return val(emscripten::typed_memory_view(size, data)).call<val>("slice");
}

}  // namespace

std::vector<float> floats_from_js(const val& array, const char* what, size_t max_length) {
  std::vector<float> out(length_of(array, what, max_length));
  copy_into(array, out.data(), out.size());
  return out;
}

std::vector<uint8_t> bytes_from_js(const val& array, const char* what, size_t max_length) {
  std::vector<uint8_t> out(length_of(array, what, max_length));
  copy_into(array, out.data(), out.size());
  return out;
}

val float32_array(const float* data, size_t size) { return copy_out(data, size); }
val int32_array(const int32_t* data, size_t size) { return copy_out(data, size); }
val uint8_array(const uint8_t* data, size_t size) { return copy_out(data, size); }

val shape_to_js(const nn::Shape& shape) {
  val out = val::array();
  out.call<void>("push", shape.c);
  if (!shape.is_flat()) {
    out.call<void>("push", shape.h);
    out.call<void>("push", shape.w);
  }
  return out;
}

val summary_to_js(nn::Sequential& model) {
  val layers = val::array();
  double total = 0;
  for (const nn::LayerSummary& row : model.summary_rows()) {
    val layer = val::object();
    layer.set("name", row.name);
    layer.set("type", row.type);
    layer.set("outputShape", shape_to_js(row.output));
    layer.set("params", static_cast<double>(row.params));
    layers.call<void>("push", layer);
    total += static_cast<double>(row.params);
  }
  val out = val::object();
  out.set("layers", layers);
  out.set("totalParams", total);
  out.set("inputShape", shape_to_js(model.input_shape()));
  out.set("text", model.summary());
  return out;
}

val progress_to_js(const nn::Progress& p, const std::vector<nn::EpochMetrics>& history) {
  val out = val::object();
  out.set("epoch", p.epoch);
  out.set("epochs", p.epochs);
  out.set("batch", static_cast<double>(p.batch));
  out.set("batchesPerEpoch", static_cast<double>(p.batches_per_epoch));
  out.set("samplesSeen", static_cast<double>(p.samples_seen));
  out.set("runningLoss", p.running_loss);
  out.set("runningAccuracy", p.running_accuracy);
  out.set("trainSeconds", p.train_seconds);
  out.set("prepared", static_cast<double>(p.prepared));
  out.set("toPrepare", static_cast<double>(p.to_prepare));
  out.set("prepareSeconds", p.prepare_seconds);
  out.set("done", p.done);
  out.set("diverged", p.diverged);
  out.set("message", p.message);
  out.set("divergedLayer", p.diverged_layer);
  out.set("divergedNorm", p.diverged_norm);
  out.set("divergedRatio", p.diverged_ratio);
  out.set("divergedCause", p.diverged_cause);
  out.set("divergedLoss", p.diverged_loss);
  out.set("divergedReferenceLoss", p.diverged_reference_loss);
  out.set("divergedBlewUpEpoch", p.diverged_blew_up_epoch);
  out.set("divergedBlewUpBatch", static_cast<double>(p.diverged_blew_up_batch));
  out.set("suggestedLearningRate", p.suggested_learning_rate);
  val rows = val::array();
  for (const nn::EpochMetrics& m : history) {
    val row = val::object();
    row.set("epoch", m.epoch);
    row.set("trainLoss", m.train_loss);
    row.set("trainAccuracy", m.train_accuracy);
    row.set("validationLoss", m.validation_loss);
    row.set("validationAccuracy", m.validation_accuracy);
    row.set("samplesPerSec", m.samples_per_sec);
    row.set("seconds", m.seconds);
    rows.call<void>("push", row);
  }
  out.set("history", rows);
  return out;
}

val evaluation_to_js(const nn::Evaluation& evaluation, const nn::Dataset& data) {
  val confusion = val::array();
  for (const auto& row : evaluation.confusion) {
    val js_row = val::array();
    for (int count : row) js_row.call<void>("push", count);
    confusion.call<void>("push", js_row);
  }
  val misclassified = misclassified_to_js(nn::misclassified(evaluation, data));
  val out = val::object();
  out.set("loss", evaluation.loss);
  out.set("accuracy", evaluation.accuracy);
  out.set("confusion", confusion);
  out.set("misclassified", misclassified);
  // Every sample's true and predicted class (and probabilities when the evaluator has them),
  // so the page can list the digits behind any cell of the confusion matrix.
  std::vector<int32_t> predicted(evaluation.predicted.begin(), evaluation.predicted.end());
  out.set("predicted", int32_array(predicted.data(), predicted.size()));
  std::vector<int32_t> labels(data.y.begin(), data.y.end());
  out.set("labels", int32_array(labels.data(), labels.size()));
  if (evaluation.probabilities.size() > 0) {
    out.set("probabilities", float32_array(evaluation.probabilities.data(), static_cast<size_t>(evaluation.probabilities.size())));
  }
  return out;
}

val layer_weights_to_js(nn::Sequential& model, int layer) {
  if (layer < 0 || static_cast<size_t>(layer) >= model.layer_count()) {
    throw nn::Error("layerWeights: layer " + std::to_string(layer) + " does not exist (the model has " +
                    std::to_string(model.layer_count()) + " layers, 0.." +
                    std::to_string(static_cast<long>(model.layer_count()) - 1) + ")");
  }
  nn::Layer& base = model.layer(static_cast<size_t>(layer));
  val out = val::object();
  out.set("layer", layer);
  out.set("type", base.type_name());
  const nn::Matrix* weight = nullptr;
  if (auto* dense = dynamic_cast<nn::Dense*>(&base)) {
    weight = &dense->weight();
  } else if (auto* conv = dynamic_cast<nn::Conv2D*>(&base)) {
    weight = &conv->weight();
    const int area = conv->kernel() * conv->kernel();
    out.set("kernel", conv->kernel());
    out.set("channels", area > 0 ? static_cast<int>(weight->cols()) / area : 0);
  } else {
    throw nn::Error("layerWeights: layer " + std::to_string(layer) + " (" + base.type_name() +
                    ") has no weights; only dense and conv2d layers do");
  }
  out.set("rows", static_cast<double>(weight->rows()));
  out.set("cols", static_cast<double>(weight->cols()));
  out.set("weight", float32_array(weight->data(), static_cast<size_t>(weight->size())));
  return out;
}

uint64_t seed_from_js(const val& value, const char* field) {
  if (!value.isNumber()) throw nn::Error(std::string(field) + " must be a number");
  const double seed = value.as<double>();
  try {
    nn::setting_field("seed").check(seed);  // the schema's limits
  } catch (const nn::Error& e) {
    throw nn::Error(std::string(field) + std::string(e.what()).substr(std::strlen("seed")));
  }
  return static_cast<uint64_t>(seed);
}

nn::Settings settings_from_js(const val& options, const char* who, const std::vector<std::string>& allowed) {
  nn::Settings settings = nn::default_settings();
  if (options.isUndefined() || options.isNull()) return settings;
  if (options.typeOf().as<std::string>() != "object") throw nn::Error(std::string(who) + ": expected an options object");
  const val keys = val::global("Object").call<val>("keys", options);
  const int count = keys["length"].as<int>();
  for (int i = 0; i < count; ++i) {
    const std::string key = keys[i].as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const nn::SettingField* field = nullptr;
    for (const nn::SettingField& f : nn::settings_schema()) {
      if (f.js_name() == key) field = &f;
    }
    if (!field) {
      std::string names;
      for (const std::string& a : allowed) names += a + ", ";
      for (const nn::SettingField& f : nn::settings_schema()) names += f.js_name() + ", ";
      throw nn::Error(std::string(who) + ": unknown option \"" + key + "\" (expected one of " +
                      names.substr(0, names.size() - 2) + ")");
    }
    const val value = options[key];
    if (value.isUndefined() || value.isNull()) continue;
    const std::string js = field->js_name();
    double number = 0;
    switch (field->type) {
      case nn::FieldType::kBool:
        if (!value.isTrue() && !value.isFalse()) throw nn::Error(std::string(who) + ": " + js + " must be true or false");
        number = value.isTrue() ? 1 : 0;
        break;
      case nn::FieldType::kChoice: {
        std::string names;
        for (const std::string& c : field->choices) names += (names.empty() ? "" : ", ") + c;
        if (!value.isString()) throw nn::Error(std::string(who) + ": " + js + " must be one of " + names + " (a string)");
        try {
          number = field->parse(value.as<std::string>());
        } catch (const nn::Error& e) {
          throw nn::Error(std::string(who) + ": " + js + std::string(e.what()).substr(std::strlen(field->name)));
        }
        break;
      }
      default:
        if (!value.isNumber()) throw nn::Error(std::string(who) + ": " + js + " must be a number");
        number = value.as<double>();
    }
    try {
      field->check(number);
    } catch (const nn::Error& e) {
      throw nn::Error(std::string(who) + ": " + js + std::string(e.what()).substr(std::strlen(field->name)));
    }
    field->set(settings, number);
  }
  return settings;
}

val misclassified_to_js(const std::vector<nn::Misclassified>& wrong) {
  val out = val::array();
  for (const nn::Misclassified& m : wrong) {
    val miss = val::object();
    miss.set("index", m.index);
    miss.set("label", m.label);
    miss.set("predicted", m.predicted);
    out.call<void>("push", miss);
  }
  return out;
}

val experiment_progress_to_js(nn::Experiment& experiment, size_t known_epochs) {
  const auto& history = experiment.trainer().history();
  const size_t known = known_epochs <= history.size() ? known_epochs : 0;
  val out = progress_to_js(experiment.progress(), std::vector<nn::EpochMetrics>(history.begin() + known, history.end()));
  out.set("testTarget", experiment.settings().test_target);
  val accuracies = val::array();
  for (float a : experiment.test_accuracies()) accuracies.call<void>("push", a);
  out.set("testAccuracies", accuracies);
  val reached = val::null();
  if (const auto& r = experiment.target_reached()) {
    reached = val::object();
    reached.set("epoch", r->epoch);
    reached.set("seconds", r->seconds);
  }
  out.set("targetReached", reached);
  return out;
}

val trace_to_js(const std::vector<nn::LayerActivation>& trace) {
  val out = val::array();
  for (const nn::LayerActivation& a : trace) {
    val item = val::object();
    item.set("name", a.name);
    item.set("type", a.type);
    item.set("shape", shape_to_js(a.shape));
    item.set("values", float32_array(a.values.data(), a.values.size()));
    out.call<void>("push", item);
  }
  return out;
}

namespace {

val quantities_to_js(const std::vector<nn::Quantity>& list) {
  val out = val::array();
  for (const nn::Quantity& q : list) {
    val item = val::object();
    item.set("name", q.name);
    item.set("value", q.value);
    out.call<void>("push", item);
  }
  return out;
}

}  // namespace

val step_record_to_js(const nn::StepRecord& r) {
  val out = val::object();
  out.set("epoch", r.epoch);
  out.set("batch", static_cast<double>(r.batch));
  out.set("size", static_cast<double>(r.input.rows()));
  out.set("samples", int32_array(r.samples.data(), r.samples.size()));
  out.set("labels", int32_array(r.labels.data(), r.labels.size()));
  out.set("inputs", float32_array(r.input.data(), static_cast<size_t>(r.input.size())));
  out.set("stepNumber", static_cast<double>(r.step_number));
  out.set("learningRate", r.optimizer.learning_rate);
  out.set("optimizer", nn::name_of(r.optimizer.type));
  out.set("lossBefore", r.loss_before);
  out.set("lossAfter", r.loss_after);
  return out;
}

val sample_step_to_js(const nn::SampleStep& s) {
  val out = val::object();
  out.set("row", static_cast<double>(s.row));
  out.set("sample", s.sample);
  out.set("forward", trace_to_js(s.forward));
  val loss = val::object();
  loss.set("label", s.loss.label);
  loss.set("predicted", s.loss.predicted);
  loss.set("probability", s.loss.probability);
  loss.set("loss", s.loss.loss);
  loss.set("formula", s.loss.formula);
  out.set("loss", loss);
  out.set("backward", trace_to_js(s.backward));
  val norms = val::array();
  for (const nn::LayerNorm& n : s.gradient_norms) {
    val item = val::object();
    item.set("name", n.name);
    item.set("norm", n.norm);
    norms.call<void>("push", item);
  }
  out.set("gradientNorms", norms);
  return out;
}

val weight_step_to_js(const nn::WeightStep& w) {
  val out = val::object();
  out.set("layer", w.layer_name);
  out.set("param", w.param);
  out.set("element", static_cast<double>(w.element));
  out.set("row", static_cast<double>(w.row));
  out.set("col", static_cast<double>(w.col));
  out.set("valueBefore", w.value_before);
  out.set("gradient", w.gradient);
  out.set("regularization", w.regularization);
  out.set("gradientTotal", w.gradient_total);
  out.set("valueAfter", w.value_after);
  out.set("gradientFormula", w.gradient_formula);
  out.set("gradientTerms", quantities_to_js(w.gradient_terms));
  out.set("updateFormula", w.update_formula);
  out.set("updateTerms", quantities_to_js(w.update_terms));
  return out;
}

val gradient_check_to_js(const nn::GradientCheck& c) {
  val out = val::object();
  out.set("layer", static_cast<double>(c.layer));
  out.set("layerName", c.layer_name);
  out.set("param", c.param);
  out.set("element", static_cast<double>(c.element));
  out.set("rows", static_cast<double>(c.rows));
  out.set("cols", static_cast<double>(c.cols));
  out.set("value", c.value);
  out.set("eps", c.eps);
  out.set("analytic", c.analytic);
  out.set("numeric", c.numeric);
  out.set("lossPlus", c.loss_plus);
  out.set("lossMinus", c.loss_minus);
  out.set("relativeError", c.relative_error);
  out.set("reading", c.reading);
  return out;
}

}  // namespace digitlab_wasm
