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
#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/optimizers.h"
#include "engine/sequential.h"

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
  bool diverged = false;    // the loss became NaN/Inf; weights were restored
  std::string message;      // why training stopped early, if it did
};

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

 private:
  void start_epoch();
  void finish_epoch();
  void train_batch();
  void diverge(const std::string& why);
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
};

}  // namespace nn
