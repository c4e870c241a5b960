// Embind wrappers of engine/lesson.h (the page's lesson widgets): argument conversion only.
#pragma once

#include <emscripten/val.h>

namespace digitlab_wasm {

using emscripten::val;

// {weightedSum, activation, weightGrad: Float32Array, biasGrad, inputGrad: Float32Array}
val lesson_neuron_js(const val& inputs, const val& weights, double bias, const val& activation, double upstream);
// {x, value, derivative}: Float32Arrays
val lesson_activation_js(const val& activation, double from, double to, int points);
// {p, value, gradient}: Float32Arrays
val lesson_loss_js(const val& loss, int classes, int true_class, const val& p);
// {shape: [c] | [c, h, w], output: Float32Array}
val lesson_layer_js(const val& layer_json, const val& digit, const val& weights, const val& bias, double seed);
// {from, to, saturatedBeyond, counts: Int32Array, dead, saturated, saturatedShare}
val lesson_preactivations_js(const val& values, int units);
// options {epochs, hidden, batch, learningRate, confidentLogit, seed} (each optional) ->
// {trainSize, testSize, runs: [{head, loss, testAccuracy, stuck, wrongPush, nonfiniteEpoch}]}
val lesson_loss_comparison_js(const val& options);
// {samples, loopMs, batchMs, loopLoss, batchLoss, maxDifference, maxGradient}
val lesson_loop_versus_batch_js(int samples, int repeats, double seed);

}  // namespace digitlab_wasm
