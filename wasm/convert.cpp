// JS <-> engine copies (see convert.h). Bulk data crosses the boundary through one
// TypedArray.set / slice each way, whatever its size.
#include "wasm/convert.h"

#include <emscripten/val.h>

#include <cmath>
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

double number_field(const val& options, const char* field, double fallback) {
  val value = options[field];
  if (value.isUndefined() || value.isNull()) return fallback;
  if (!value.isNumber()) throw nn::Error(std::string("createTrainer: ") + field + " must be a number");
  return value.as<double>();
}

int int_field(const val& options, const char* field, int fallback) {
  const double value = number_field(options, field, fallback);
  if (!(std::fabs(value) <= 2147483647.0) || value != std::floor(value)) {
    throw nn::Error(std::string("createTrainer: ") + field + " must be an integer, got " +
                    std::to_string(value));
  }
  return static_cast<int>(value);
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
  val misclassified = val::array();
  for (size_t i = 0; i < evaluation.predicted.size() && i < data.y.size(); ++i) {
    if (evaluation.predicted[i] == data.y[i]) continue;
    val miss = val::object();
    miss.set("index", static_cast<int>(i));
    miss.set("label", data.y[i]);
    miss.set("predicted", evaluation.predicted[i]);
    misclassified.call<void>("push", miss);
  }
  val out = val::object();
  out.set("loss", evaluation.loss);
  out.set("accuracy", evaluation.accuracy);
  out.set("confusion", confusion);
  out.set("misclassified", misclassified);
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
  if (!(seed >= 0) || seed > 9007199254740992.0 || seed != std::floor(seed)) {
    throw nn::Error(std::string(field) + " must be an integer >= 0, got " + std::to_string(seed));
  }
  return static_cast<uint64_t>(seed);
}

TrainOptions train_options_from_js(const val& options) {
  if (options.typeOf().as<std::string>() != "object" || options.isNull()) {
    throw nn::Error("createTrainer: expected an options object with at least {architecture}");
  }
  TrainOptions out;
  val architecture = options["architecture"];
  if (!architecture.isString()) {
    throw nn::Error("createTrainer: architecture must be a JSON string (see presetArchitecture())");
  }
  out.architecture = architecture.as<std::string>();
  nn::TrainConfig& config = out.config;
  val optimizer = options["optimizer"];
  if (!optimizer.isUndefined() && !optimizer.isNull()) {
    if (!optimizer.isString()) throw nn::Error("createTrainer: optimizer must be a string");
    config.optimizer.type = optimizer.as<std::string>();
  }
  config.optimizer.learning_rate = static_cast<float>(
      number_field(options, "learningRate", config.optimizer.learning_rate));
  val schedule = options["lrSchedule"];
  if (!schedule.isUndefined() && !schedule.isNull()) {
    if (!schedule.isString()) throw nn::Error("createTrainer: lrSchedule must be \"constant\" or \"cosine\"");
    config.lr_schedule = schedule.as<std::string>();
  }
  config.optimizer.momentum = static_cast<float>(number_field(options, "momentum", config.optimizer.momentum));
  config.optimizer.l1 = static_cast<float>(number_field(options, "l1", config.optimizer.l1));
  config.optimizer.l2 = static_cast<float>(number_field(options, "l2", config.optimizer.l2));
  config.batch_size = int_field(options, "batchSize", config.batch_size);
  config.epochs = int_field(options, "epochs", config.epochs);
  config.augment_copies = int_field(options, "augmentCopies", config.augment_copies);
  val augment = options["augment"];
  if (!augment.isUndefined() && !augment.isNull()) {
    if (!augment.isTrue() && !augment.isFalse()) throw nn::Error("createTrainer: augment must be true or false");
    config.augment = augment.isTrue();
  }
  val font_digits = options["fontDigits"];
  if (!font_digits.isUndefined() && !font_digits.isNull()) {
    if (!font_digits.isTrue() && !font_digits.isFalse()) {
      throw nn::Error("createTrainer: fontDigits must be true or false");
    }
    out.font_digits = font_digits.isTrue();
  }
  val seed = options["seed"];
  if (!seed.isUndefined() && !seed.isNull()) config.seed = seed_from_js(seed, "createTrainer: seed");
  out.validation_share = static_cast<float>(number_field(options, "validationShare", out.validation_share));
  out.test_share = static_cast<float>(number_field(options, "testShare", out.test_share));
  return out;
}

}  // namespace digitlab_wasm
