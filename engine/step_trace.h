// The step-through of one training batch (the page's inside view): what the Trainer records
// when it takes a step with Trainer::step(), and what is read out of that record for one
// sample of the batch and one chosen weight: the sample's activations, its loss, dLoss/dOutput
// layer by layer, per-layer gradient norms of the batch, the chosen weight's gradient with
// its formula and numbers, and the optimizer's update of it (SGD, momentum, Nesterov, Adam).
#pragma once

#include <string>
#include <vector>

#include "engine/inspect.h"
#include "engine/optimizers.h"
#include "engine/sequential.h"

namespace nn {

// One batch as the trainer ran it. Rows are the batch's samples in batch order.
struct StepRecord {
  int epoch = 0;                  // 1-based epoch of the step
  Index batch = 0;                // 1-based batch within that epoch
  std::vector<int> samples;       // per row: index into the trainer's training data
  std::vector<int> labels;        // per row: the true class
  Matrix input;                   // (B, F)
  std::vector<Matrix> outputs;    // per layer: its output (B, F_out), training mode
  std::vector<Matrix> d_outputs;  // per layer: dLoss/dOutput of the batch's mean loss (B, F_out);
                                  // 0 x 0 for layers before the first one with parameters
  Matrix probabilities;           // (B, K): the loss's probabilities of the last output
  std::vector<double> gradient_norms;  // per layer: L2 norm of its parameters' gradient (0: none)
  // Per parameter slot (the model's params() order): its layer, then copies around the step.
  std::vector<size_t> param_layer;
  std::vector<Eigen::VectorXf> values_before, grads, grads_total, values_after;  // grads_total: + L1/L2
  std::vector<OptimizerState> state_before, state_after;
  OptimizerConfig optimizer;      // its learning_rate is the rate this step used
  long step_number = 0;           // t: 1 for the run's first step
  float loss_before = 0;          // the batch's mean loss in the step's forward
  float loss_after = 0;           // the same batch, the same dropout mask, after the update
};

// A named number of an explanation, e.g. {"p_y", 0.1234}.
struct Quantity {
  std::string name;
  double value;
};

struct SampleLoss {
  int label = 0;
  int predicted = 0;
  double probability = 0;  // p_y (softmax/sigmoid), or 0 for mse
  double loss = 0;         // this sample's loss
  std::string formula;     // "-log p_y = -log(0.1234) = 2.092"
};

struct LayerNorm {
  std::string name;
  double norm = 0;
};

// One sample (row) of the step: forward like trace_forward's layout (input, layers,
// probabilities), its loss, and backward: one element per layer that backward reached,
// last layer first, {name "d conv2d_1", type the layer's, shape, dLoss/dOutput row}.
struct SampleStep {
  Index row = 0;
  int sample = 0;
  std::vector<LayerActivation> forward;
  SampleLoss loss;
  std::vector<LayerActivation> backward;
  std::vector<LayerNorm> gradient_norms;  // layers with parameters, in order
};

// One weight (or bias) element through the step.
struct WeightStep {
  std::string layer_name, param;
  Index element = 0, row = 0, col = 0;  // row-major index; (row, col) in the param's shape
  double value_before = 0, gradient = 0, regularization = 0, gradient_total = 0, value_after = 0;
  std::string gradient_formula;       // the sum that gives the gradient, with this sample's term
  std::vector<Quantity> gradient_terms;
  std::string update_formula;         // the optimizer's update with the numbers plugged in
  std::vector<Quantity> update_terms; // lr, g, velocity / m, v, m_hat, v_hat, step, ...
};

SampleStep sample_step(Sequential& model, const StepRecord& record, Index row);
// element -1: the element of that param with the largest |gradient| in this step.
WeightStep weight_step(Sequential& model, const StepRecord& record, size_t layer, const std::string& param,
                       Index element, Index row);

// The optimizer's update of one element, explained: from the values the step saw and the
// state before and after it. Reproduces value_after (the tests check it does).
void explain_update(const StepRecord& record, size_t slot, Index i, WeightStep& out);

}  // namespace nn
