// Mini-batch training, callable in slices: run(n) trains at most n batches and returns the
// metrics so far, so a UI can report progress, pause and resume between calls. Shuffles the
// training set every epoch; all randomness comes from one Rng seeded from the config.
// With augmentation on, the distorted copies are made once per run, before the first epoch,
// and also in slices (run(n) distorts at most n * batch_size images), because distorting is
// far slower than training on an image. A non-finite loss stops training and restores the
// weights of the last finished epoch.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/gradient_check.h"
#include "engine/optimizers.h"
#include "engine/sequential.h"
#include "engine/step_trace.h"

namespace nn {

// constant, or cosine: from optimizer.learning_rate down to a tenth of it over the run,
// along half a cosine (Keras' CosineDecay with alpha 0.1), step by step. Parsed from its
// name once, at the boundary (settings.h: parse_lr_schedule, name_of).
enum class LrSchedule { kConstant, kCosine };
// "cosine" -> kCosine; throws nn::Error 'lr_schedule "x" is unknown: ...' (settings.cpp).
LrSchedule parse_lr_schedule(const std::string& text);
const std::string& name_of(LrSchedule schedule);

// The trainer's part of a run's settings (engine/settings.h: Settings). The member
// initialisers here are the schema's "defaults" profile; limits live in the schema only.
struct TrainConfig {
  int epochs = 20;
  int batch_size = 32;
  OptimizerConfig optimizer;
  LrSchedule lr_schedule = LrSchedule::kConstant;
  bool augment = false;      // add distorted copies of the training images (augment.h)
  int augment_copies = 0;    // distorted copies per image, made once per run
  // Distorted copies of each font digit (the Trainer's font_digits set), with augment on;
  // 0: they join as they are.
  int font_digit_copies = 0;
  uint64_t seed = 42;

  // Throws nn::Error naming the field, its limit and the value (settings schema's limits).
  void validate() const;
};

// The learning rate of a step taken when `progress` (0 at the first step, 1 at the end of
// the run) of the run's steps are done, under config's schedule.
float scheduled_learning_rate(const TrainConfig& config, double progress);

struct EpochMetrics {
  int epoch = 0;  // 1-based
  float train_loss = 0, train_accuracy = 0;
  float validation_loss = 0, validation_accuracy = 0;  // 0 when there is no validation set
  double samples_per_sec = 0;
  double seconds = 0;  // training time of this epoch
};

struct Progress {
  int epoch = 0;            // epochs finished
  int epochs = 0;
  Index batch = 0;          // batches done in the current epoch
  Index batches_per_epoch = 0;
  Index samples_seen = 0;   // over the whole run
  float running_loss = 0;   // mean over the current epoch so far
  float running_accuracy = 0;
  double train_seconds = 0; // time spent inside run() training so far
  Index prepared = 0;       // distorted images made so far (augmentation)
  Index to_prepare = 0;     // distorted images to make before the first epoch
  double prepare_seconds = 0;  // time spent making them
  bool done = false;
  bool diverged = false;    // the loss became NaN/Inf or exploded; weights were restored
  std::string message;      // why training stopped early, if it did
  // When diverged: the layer whose gradients blew up first (or grew the most, or were the
  // largest), its gradient norm then and that norm over its running average (0: no growth
  // named); and the rate to try.
  std::string diverged_layer;
  double diverged_norm = 0, diverged_ratio = 0;
  float suggested_learning_rate = 0;
  // The same, as data for a page that says it in its own language: the cause ("loss_nan",
  // "loss_infinite", "loss_exploded", "gradients", "weights"), the exploded loss and the
  // first batch's, and where the named layer's gradients blew up (epoch 0: they did not; it
  // is the layer whose gradients grew the most, or with diverged_ratio 0, when none grew
  // half again over its average, the one whose gradients were largest).
  std::string diverged_cause;
  double diverged_loss = 0, diverged_reference_loss = 0;
  int diverged_blew_up_epoch = 0;
  Index diverged_blew_up_batch = 0;
};

// The loss "explodes" above this many times the run's first batch loss (at least 1).
constexpr double kExplodedLossFactor = 1000;
// A layer's gradients "blow up" on a non-finite norm or one this many times its running
// average (after kBlowUpWarmup batches).
constexpr double kBlowUpFactor = 100;
constexpr int kBlowUpWarmup = 3;

class Trainer {
 public:
  // Builds the model with the config's seed if it is not built yet. The validation set may
  // be empty. `font_digits` join every epoch as they are, never augmented: they are varied
  // already, and distorted copies of them would multiply the time for little gain.
  Trainer(Sequential model, Dataset train, Dataset validation, const TrainConfig& config,
          Dataset font_digits = {});

  // Trains at most max_batches batches (stopping early at the end of the run); while the
  // augmented copies are being made, makes at most max_batches * batch_size of them instead.
  Progress run(Index max_batches);
  Progress progress() const { return progress_; }
  bool done() const { return progress_.done; }
  const std::vector<EpochMetrics>& history() const { return history_; }
  Sequential& model() { return model_; }
  const TrainConfig& config() const { return config_; }

  // Trains exactly one batch, the run's next, and records it (engine/step_trace.h): the same
  // batch, order and update run(1) would make. Makes any distorted copies still pending
  // first. On a finished run it trains on into one more epoch; a diverged run throws.
  const StepRecord& step();
  // The last step() of this run, or nullptr.
  const StepRecord* last_step() const { return last_step_.epoch > 0 ? &last_step_ : nullptr; }
  // The gradient check (engine/gradient_check.h) on the run's check batch: the first
  // batch_size samples of the training data in stored order (fixed for the run).
  GradientCheck gradient_check(size_t layer, const std::string& param, Index element, float eps = 1e-3f);

 private:
  void start_epoch();
  void finish_epoch();
  // record: also copy the batch's passes, gradients and update into it (step()).
  void train_batch(StepRecord* record = nullptr);
  void diverge(const char* cause, const std::string& why);
  // Per-layer gradient norms of the batch just back-propagated, checked for a blow-up;
  // false when a norm is not finite (the step must not be taken).
  bool measure_gradients();
  // Makes distorted copies [begin, end) of the run's to_prepare (the digits', then the font digits').
  void prepare(Index begin, Index end);
  void snapshot_params();
  // An index rather than a pointer, so a moved Trainer stays valid.
  const Dataset& epoch_source() const { return augmented_.size() > 0 ? augmented_ : train_; }

  Sequential model_;
  Dataset train_, validation_;
  Dataset augmented_;  // originals + distorted copies when augment is on, else empty
  // The font digits and their distorted copies while those are being made; joins the end
  // of augmented_ once every copy is made (so the epochs see one set).
  Dataset font_augmented_;
  Dataset font_source_;        // the font digits the copies are made from, until they are made
  Index font_to_prepare_ = 0;  // distorted font digits among progress_.to_prepare (the last ones)
  bool epoch_started_ = false;
  TrainConfig config_;
  Rng rng_;
  std::unique_ptr<Optimizer> optimizer_;
  std::vector<int> order_;
  std::vector<EpochMetrics> history_;
  Progress progress_;
  double epoch_seconds_ = 0;
  double epoch_loss_sum_ = 0;
  Index epoch_correct_ = 0, epoch_samples_ = 0;
  std::vector<Param> params_;                // the model's params, listed once after build
  bool scheduled_ = false;                   // the learning rate changes step by step
  std::vector<Eigen::VectorXf> last_good_;  // params after the last finished epoch
  Matrix batch_x_, batch_y_;  // (B, F), (B, K)
  Buffer d_output_;
  // Blow-up watch: per layer, the gradient norm of the last batch and its running average.
  std::vector<std::string> layer_names_;
  std::vector<size_t> param_layer_;          // per param slot: its layer
  std::vector<bool> layer_trained_;          // per layer: it has parameters
  std::vector<double> grad_norms_, grad_norm_avg_;
  Index batches_trained_ = 0;
  double reference_loss_ = 0;                // the run's first batch loss
  struct BlowUp {
    size_t layer = 0;
    double norm = 0, ratio = 0;
    int epoch = 0;
    Index batch = 0;
  };
  std::optional<BlowUp> blow_up_;            // the first layer whose gradients blew up
  StepRecord last_step_;
};

}  // namespace nn
