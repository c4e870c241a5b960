#include "wasm/lesson.h"

#include "engine/error.h"
#include "engine/lesson.h"
#include "wasm/convert.h"
#include "wasm/js_error.h"

namespace digitlab_wasm {

namespace {

std::string string_from_js(const val& value, const char* what) {
  if (!value.isString()) throw nn::Error(std::string(what) + " must be a string");
  return value.as<std::string>();
}

val floats(const std::vector<float>& v) { return float32_array(v.data(), v.size()); }

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

}  // namespace digitlab_wasm
