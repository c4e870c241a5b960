// Computations for the page's lesson widgets, each made by the engine's own layers and
// losses (no maths of its own): one neuron's forward and backward (a Dense layer with one
// unit, then an activation layer), an activation function's values and derivatives over a
// range (the activation layer's forward and backward), a loss's value and gradient as the
// probability of the true class moves (the Loss classes), and a dense, conv2d or max-pool
// layer applied to one 8x8 digit; and a model's pre-activations counted (dead, saturated).
#pragma once

#include <string>
#include <vector>

#include "engine/tensor.h"

namespace nn {

// "relu" | "leaky_relu" | "sigmoid" | "tanh" | "linear" (no activation layer).
struct NeuronStep {
  float weighted_sum = 0;             // z = w . x + b
  float activation = 0;               // a = f(z)
  std::vector<float> weight_grad;     // dL/dw for dL/da = upstream
  float bias_grad = 0;                // dL/db
  std::vector<float> input_grad;      // dL/dx
};
// inputs and weights have the same length (1..4096); throws nn::Error otherwise.
NeuronStep neuron_step(const std::vector<float>& inputs, const std::vector<float>& weights, float bias,
                       const std::string& activation, float upstream);

struct ActivationCurve {
  std::vector<float> x, value, derivative;
};
// points in 2..2001 evenly from `from` to `to` (from < to, both finite).
ActivationCurve activation_curve(const std::string& activation, float from, float to, int points);

// One-hot target on class `true_class` of `classes`; the output row puts probability p on
// the true class and (1 - p) / (classes - 1) on each other one, given to the loss as it
// expects it: logits log(p_k) for "softmax_cross_entropy", logit(p_k) for
// "sigmoid_cross_entropy", the probabilities themselves for "mse".
struct LossCurve {
  std::vector<float> p, value, gradient;  // gradient: dLoss/d(output of the true class)
};
// p values in (0, 1); classes 2..100.
LossCurve loss_curve(const std::string& loss, int classes, int true_class, const std::vector<float>& p);

// A layer applied to one digit (64 values, an 8x8 image): layer is a layer's JSON
// ({"type": "conv2d", "filters": 1, "kernel": 3, "padding": 1}, {"type": "maxpool2d", "size": 2},
// {"type": "dense", "units": 4}); weights (optional, else the layer's initialisation from
// seed) replaces its weight parameter, bias its bias.
struct LayerOnDigit {
  Shape output_shape;
  std::vector<float> output;
};
LayerOnDigit layer_on_digit(const std::string& layer_json, const std::vector<float>& digit,
                            const std::vector<float>& weights, const std::vector<float>& bias, uint64_t seed);

// The pre-activations (the input of one activation layer) of a model on some digits,
// counted: a histogram over [-6, 6] in 48 bins (values outside fall in the end bins), the
// units whose input was above 0 on none of the digits (a ReLU there never fires: dead), and
// the values beyond +-4, where sigmoid' < 0.018 and tanh' < 0.0014 (saturated).
struct PreactivationSummary {
  static constexpr float kFrom = -6.0f, kTo = 6.0f, kSaturated = 4.0f;
  static constexpr int kBins = 48;
  std::vector<int> counts;       // kBins
  int dead = 0;
  int saturated = 0;
  float saturated_share = 0;     // saturated / values.size()
};
// values: samples x units, row by row (units 1..1,000,000, a whole number of rows, finite).
PreactivationSummary summarize_preactivations(const std::vector<float>& values, int units);

}  // namespace nn
