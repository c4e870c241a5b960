// The lesson's "what goes wrong" with output layers and losses, shown by training (the
// page's Losses section): the same small MLP, from the same seed and on the same batches,
// trained with the engine's fused softmax cross-entropy and with the heads the lesson's
// chapter and its usual mistakes use (sigmoid outputs with squared error; sigmoid outputs
// with the chapter's clipped cross-entropy -y log clip(s); a plain softmax, then a clipped
// log), and one gradient computed sample by sample in a loop versus once for a whole batch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/losses.h"

namespace nn {

// Where the flawed heads clip: log(max(p, eps)), as numpy code usually does.
constexpr float kClipEpsilon = 1e-7f;

// All heads take the network's logits z (N, K), so their gradients are comparable at the
// same place: dLoss/dz of the mean over rows.

// s = sigmoid(z) per output, then sum_k (s_k - y_k)^2; gradient 2 (s - y) s (1 - s): the
// sigmoid's derivative shrinks it wherever an output is saturated, right or wrong.
class SigmoidSquaredError : public Loss {
 public:
  std::string type_name() const override { return "sigmoid_mse"; }
  float value(ConstMatrixView output, ConstMatrixView target) const override;
  void gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const override;
  void probabilities(ConstMatrixView output, MatrixView probs) const override;
};

// The chapter's head: s = sigmoid(z), then -sum_k y_k log(clip(s_k, eps, 1 - eps)).
// Outputs whose target is 0 get no gradient at all (nothing pushes a wrong class down), and
// where the clip bites the derivative of the clip is 0.
class SigmoidClippedLog : public Loss {
 public:
  std::string type_name() const override { return "sigmoid_clipped_log"; }
  float value(ConstMatrixView output, ConstMatrixView target) const override;
  void gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const override;
  void probabilities(ConstMatrixView output, MatrixView probs) const override;
};

// p = exp(z) / sum exp(z) with no maximum subtracted (float exp overflows past z ~ 88: then
// p and the loss are NaN), then -sum_k y_k log(max(p_k, eps)). Its gradient is p - y, like
// the fused loss, while p_y > eps; where the clip bites (a confidently wrong answer) it is
// exactly 0, so the network never learns from its worst mistakes.
class SoftmaxClippedLog : public Loss {
 public:
  std::string type_name() const override { return "softmax_clipped_log"; }
  float value(ConstMatrixView output, ConstMatrixView target) const override;
  void gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const override;
  void probabilities(ConstMatrixView output, MatrixView probs) const override;
};

// "softmax_cross_entropy" (the engine's fused loss), "sigmoid_mse", "sigmoid_clipped_log",
// "softmax_clipped_log", in that order; comparison_head() makes one, or throws nn::Error.
const std::vector<std::string>& comparison_heads();
std::unique_ptr<Loss> comparison_head(const std::string& name);

struct LossComparisonSettings {
  int epochs = 8;               // 1..50
  int hidden = 32;              // units of the one hidden ReLU layer, 1..256
  int batch = 32;               // 1..1024
  float learning_rate = 0.1f;   // plain SGD, as in the chapter's own loop; (0, 10]
  // Added to the output layer's initial bias of class 0: 0 is the usual start; 20 starts a
  // network that calls every digit a 0 with confidence (p of any other class ~ e^-20, under
  // the clip). [0, 80]: beyond ~88 the naive softmax's exp overflows at once.
  float confident_logit = 0.0f;
  uint64_t seed = 42;           // initialisation, split and shuffling: the same for every head
};

struct HeadRun {
  std::string head;
  // Per epoch (a run whose loss stops being finite ends at that epoch):
  std::vector<float> loss;           // the head's own loss, mean over the epoch's batches
  std::vector<float> test_accuracy;  // after the epoch
  std::vector<int> stuck;            // training digits it got wrong whose gradient row was exactly 0
  std::vector<float> wrong_push;     // mean over wrong training digits of |dLoss/dz| (per digit, L1 over K)
  int nonfinite_epoch = 0;           // the 1-based epoch whose loss was NaN or infinite; 0: none
};

struct LossComparison {
  int train_size = 0, test_size = 0;
  std::vector<HeadRun> runs;         // one per comparison_heads(), in that order
};

// Trains 64 -> hidden (ReLU) -> 10 once per head on the stratified split (a fifth for test)
// of digits. Throws nn::Error for settings out of range or digits that are not 64 wide.
LossComparison compare_losses(const Dataset& digits, const LossComparisonSettings& settings);

struct LoopVersusBatch {
  int samples = 0;
  double loop_ms = 0, batch_ms = 0;   // one gradient over the samples each way (best of repeats)
  float loop_loss = 0, batch_loss = 0;
  float max_difference = 0;           // max |g_loop - g_batch| over every parameter
  float max_gradient = 0;             // max |g_batch|: the scale of that difference
};

// The mean loss's gradient over the first `samples` training digits (1..2048) of the same
// MLP with the fused loss, once as one (samples, 64) batch and once row by row in a loop
// (each row's gradient added, scaled by 1 / samples); each timed `repeats` (1..50) times.
LoopVersusBatch loop_versus_batch(const Dataset& digits, int samples, int repeats, uint64_t seed);

}  // namespace nn
