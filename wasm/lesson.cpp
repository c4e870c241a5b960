#include "wasm/lesson.h"

#include <cmath>

#include "engine/error.h"
#include "engine/lesson.h"
#include "engine/loss_comparison.h"
#include "wasm/convert.h"
#include "wasm/facade.h"
#include "wasm/js_error.h"

namespace digitlab_wasm {

namespace {

std::string string_from_js(const val& value, const char* what) {
  if (!value.isString()) throw nn::Error(std::string(what) + " must be a string");
  return value.as<std::string>();
}

val floats(const std::vector<float>& v) { return float32_array(v.data(), v.size()); }
val ints(const std::vector<int>& v) { return int32_array(v.data(), v.size()); }

// options.name as a finite number, or `fallback` when it is absent.
double number_option(const val& options, const char* name, double fallback, const char* who) {
  const val v = options[name];
  if (v.isUndefined()) return fallback;
  if (!v.isNumber() || !std::isfinite(v.as<double>())) throw nn::Error(std::string(who) + ": " + name + " must be a finite number");
  return v.as<double>();
}

// options.name as a whole number (the engine checks its range), or `fallback`.
int int_option(const val& options, const char* name, int fallback, const char* who) {
  const double v = number_option(options, name, fallback, who);
  if (v != std::floor(v) || std::abs(v) > 1e9) throw nn::Error(std::string(who) + ": " + name + " must be a whole number");
  return static_cast<int>(v);
}

}  // namespace

val lesson_neuron_js(const val& inputs, const val& weights, double bias, const val& activation, double upstream) {
  return guard([&] {
    const nn::NeuronStep s = nn::neuron_step(floats_from_js(inputs, "neuron: inputs", 4096), floats_from_js(weights, "neuron: weights", 4096),
                                             static_cast<float>(bias), string_from_js(activation, "neuron: the activation"),
                                             static_cast<float>(upstream));
    val out = val::object();
    out.set("weightedSum", s.weighted_sum);
    out.set("activation", s.activation);
    out.set("weightGrad", floats(s.weight_grad));
    out.set("biasGrad", s.bias_grad);
    out.set("inputGrad", floats(s.input_grad));
    return out;
  });
}

val lesson_activation_js(const val& activation, double from, double to, int points) {
  return guard([&] {
    const nn::ActivationCurve c = nn::activation_curve(string_from_js(activation, "activation curve: the activation"),
                                                       static_cast<float>(from), static_cast<float>(to), points);
    val out = val::object();
    out.set("x", floats(c.x));
    out.set("value", floats(c.value));
    out.set("derivative", floats(c.derivative));
    return out;
  });
}

val lesson_loss_js(const val& loss, int classes, int true_class, const val& p) {
  return guard([&] {
    const nn::LossCurve c = nn::loss_curve(string_from_js(loss, "loss curve: the loss"), classes, true_class,
                                           floats_from_js(p, "loss curve: p", 2001));
    val out = val::object();
    out.set("p", floats(c.p));
    out.set("value", floats(c.value));
    out.set("gradient", floats(c.gradient));
    return out;
  });
}

val lesson_layer_js(const val& layer_json, const val& digit, const val& weights, const val& bias, double seed) {
  return guard([&] {
    const std::vector<float> w = weights.isUndefined() || weights.isNull() ? std::vector<float>{} : floats_from_js(weights, "layer: weights", 1 << 20);
    const std::vector<float> b = bias.isUndefined() || bias.isNull() ? std::vector<float>{} : floats_from_js(bias, "layer: bias", 4096);
    const nn::LayerOnDigit r = nn::layer_on_digit(string_from_js(layer_json, "layer on digit: the layer"),
                                                  floats_from_js(digit, "layer on digit: the digit", 64), w, b,
                                                  seed_from_js(val(seed), "layer on digit: seed"));
    val out = val::object();
    out.set("shape", shape_to_js(r.output_shape));
    out.set("output", floats(r.output));
    return out;
  });
}

val lesson_preactivations_js(const val& values, int units) {
  return guard([&] {
    const nn::PreactivationSummary s = nn::summarize_preactivations(floats_from_js(values, "pre-activations: values", 1 << 24), units);
    val out = val::object();
    out.set("from", nn::PreactivationSummary::kFrom);
    out.set("to", nn::PreactivationSummary::kTo);
    out.set("saturatedBeyond", nn::PreactivationSummary::kSaturated);
    out.set("counts", ints(s.counts));
    out.set("dead", s.dead);
    out.set("saturated", s.saturated);
    out.set("saturatedShare", s.saturated_share);
    return out;
  });
}

val lesson_loss_comparison_js(const val& options) {
  return guard([&] {
    const char* who = "loss comparison";
    if (!options.isUndefined() && !options.isNull() && options.typeOf().as<std::string>() != "object") {
      throw nn::Error("loss comparison: the options must be an object");
    }
    const val o = options.isUndefined() || options.isNull() ? val::object() : options;
    nn::LossComparisonSettings s;
    s.epochs = int_option(o, "epochs", s.epochs, who);
    s.hidden = int_option(o, "hidden", s.hidden, who);
    s.batch = int_option(o, "batch", s.batch, who);
    s.learning_rate = static_cast<float>(number_option(o, "learningRate", s.learning_rate, who));
    s.confident_logit = static_cast<float>(number_option(o, "confidentLogit", s.confident_logit, who));
    if (!o["seed"].isUndefined()) s.seed = seed_from_js(o["seed"], "loss comparison: seed");
    const nn::LossComparison c = nn::compare_losses(require_digits(who), s);
    val runs = val::array();
    for (const nn::HeadRun& r : c.runs) {
      val run = val::object();
      run.set("head", r.head);
      run.set("loss", floats(r.loss));
      run.set("testAccuracy", floats(r.test_accuracy));
      run.set("stuck", ints(r.stuck));
      run.set("wrongPush", floats(r.wrong_push));
      run.set("nonfiniteEpoch", r.nonfinite_epoch);
      runs.call<void>("push", run);
    }
    val out = val::object();
    out.set("trainSize", c.train_size);
    out.set("testSize", c.test_size);
    out.set("runs", runs);
    return out;
  });
}

val lesson_loop_versus_batch_js(int samples, int repeats, double seed) {
  return guard([&] {
    const nn::LoopVersusBatch r = nn::loop_versus_batch(require_digits("loop versus batch"), samples, repeats,
                                                        seed_from_js(val(seed), "loop versus batch: seed"));
    val out = val::object();
    out.set("samples", r.samples);
    out.set("loopMs", r.loop_ms);
    out.set("batchMs", r.batch_ms);
    out.set("loopLoss", r.loop_loss);
    out.set("batchLoss", r.batch_loss);
    out.set("maxDifference", r.max_difference);
    out.set("maxGradient", r.max_gradient);
    return out;
  });
}

}  // namespace digitlab_wasm
