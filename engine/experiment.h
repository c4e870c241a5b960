// One run of the digits experiment, set up once for every front end (the CLI, the wasm
// bindings, the tools and the bench): the seeded stratified split of the digits, the font
// digits joining the training part, augmentation, the Trainer, and (with the setting
// test_every_epoch) the test evaluation after every epoch: accuracy per epoch, and the first
// epoch and training time at which it reached the settings' test_target. run() never crosses an epoch's end in one step, so
// each epoch's test accuracy is measured on that epoch's weights, outside the training time.
#pragma once

#include <optional>
#include <vector>

#include "engine/dataset.h"
#include "engine/sequential.h"
#include "engine/settings.h"
#include "engine/trainer.h"

namespace nn {

struct TargetReached {
  int epoch = 0;         // 1-based, the first epoch whose test accuracy reached the target
  double seconds = 0;    // training time up to the end of that epoch
};

struct Misclassified {
  int index = 0;  // into the test split
  int label = 0;
  int predicted = 0;
};

// The test split's evaluation at an epoch's end (with test_every_epoch): the confusion
// matrix and each test digit's predicted class and probabilities, for showing the errors live.
struct EpochEvaluation {
  int epoch = 0;            // 1-based
  Evaluation evaluation;    // on Experiment::test()
  Matrix probabilities;     // (N, K): the model's predict on the test split, row i for test sample i
};

// The test split a run with these settings holds out (seed, test_share, validation_share):
// what a model loaded from a file is scored on, so it sees the same held-out digits.
Dataset test_split(const Dataset& digits, const Settings& settings);

// The samples of `data` that `evaluation` (made on data) got wrong, in order.
std::vector<Misclassified> misclassified(const Evaluation& evaluation, const Dataset& data);

// Throws nn::Error when one training batch of the model costs more than
// settings.max_batch_gflops (training_flops_per_sample * batch size), naming the cost, the
// limit and the largest batch size that fits. Checked before the model is built, so a
// refused model allocates nothing (in wasm, memory once grown is never given back).
void check_batch_cost(Sequential& model, const Settings& settings);

class Experiment {
 public:
  // Validates the settings, splits `digits`, and adds the made digits (made_digits.h: the
  // font digits when settings.font_digits is on, the stroke digits when stroke_digits is on;
  // each then non-empty) to the training part. The model is built with the settings' seed
  // unless it is built already (a loaded model).
  Experiment(const Dataset& digits, const Dataset& font_digits, Sequential model, const Settings& settings,
             const Dataset& stroke_digits = {});

  // Trains at most max_batches batches (see Trainer::run), in steps that stop at each
  // epoch's end to measure the test accuracy there.
  Progress run(Index max_batches);
  // Runs to the end; calls on_epoch(metrics, test accuracy) after every finished epoch.
  template <class OnEpoch>
  Progress run_all(Index slice, OnEpoch on_epoch);

  // One batch, the run's next, recorded for the step-through (Trainer::step), then the
  // epoch's test accuracy if the batch ended an epoch.
  const StepRecord& step();
  Progress progress() const { return trainer_.progress(); }
  bool done() const { return trainer_.done(); }
  const Settings& settings() const { return settings_; }
  Trainer& trainer() { return trainer_; }
  Sequential& model() { return trainer_.model(); }
  const Dataset& test() const { return split_.test; }
  Index own_train_size() const { return own_train_; }      // the dataset's digits in training
  Index validation_size() const { return validation_; }
  Index font_digit_count() const { return font_digits_; }  // font digits in training
  Index stroke_digit_count() const { return stroke_digits_; }  // stroke digits in training
  // Test accuracy after each finished epoch (empty without test_every_epoch or a test split).
  const std::vector<float>& test_accuracies() const { return test_accuracies_; }
  const std::optional<TargetReached>& target_reached() const { return reached_; }
  // The latest finished epoch's test evaluation (none before the first, or without test_every_epoch).
  const std::optional<EpochEvaluation>& last_epoch_evaluation() const { return last_epoch_evaluation_; }
  Evaluation evaluate() { return model().evaluate(split_.test); }

 private:
  void measure_epoch(const Progress& p);

  Settings settings_;
  Split split_;  // its train and validation parts move into the trainer
  Index own_train_ = 0, validation_ = 0, font_digits_ = 0, stroke_digits_ = 0;
  Trainer trainer_;
  std::vector<float> test_accuracies_;
  std::optional<TargetReached> reached_;
  std::optional<EpochEvaluation> last_epoch_evaluation_;
};

template <class OnEpoch>
Progress Experiment::run_all(Index slice, OnEpoch on_epoch) {
  Progress p = progress();
  size_t reported = trainer_.history().size();
  while (!p.done) {
    p = run(slice);
    for (; reported < trainer_.history().size(); ++reported) {
      const float acc = reported < test_accuracies_.size() ? test_accuracies_[reported] : 0.0f;
      on_epoch(trainer_.history()[reported], acc);
    }
  }
  return p;
}

}  // namespace nn
