// "Learn my handwriting": continues training the models a person predicts with (one model,
// or every member of an ensemble) on the original training data together with the
// training part of their personal set, so their digits are read as they meant them
// without forgetting the dataset. Each personal drawing is oversampled (in each of the
// ensemble's test-time variants, which the ensemble reads it in) to a fixed share of every
// epoch, so a few dozen drawings matter among thousands of digits, and the learning rate
// is small and the epochs few, so what the models knew stays.
// The report scores the whole ensemble (members averaged over its variants) before and
// after: on the test split, on the personal drawings trained on, and on the held-out ones
// (personal_set.h), which no fine-tune ever sees.
#pragma once

#include <cstdint>

#include "engine/dataset.h"
#include "engine/optimizers.h"
#include "engine/ensemble.h"
#include "engine/settings.h"

namespace nn {

struct FineTuneOptions {
  int epochs = 5;
  int batch_size = 32;
  // Plain momentum, not Adam: a converged model's gradients on the data it knows are tiny,
  // and Adam's first steps (fresh moments) would move every weight by the full rate anyway.
  OptimizerType optimizer = OptimizerType::kMomentum;
  float learning_rate = 0.01f;
  // Of every epoch's samples, about this share are personal drawings (oversampled copies):
  // measured on the page's ensemble, more of them cost test accuracy (a fifth of the copies
  // pushed it down by a point and a half after one epoch; more epochs of the original data
  // win most of it back), and far fewer leave some drawings unlearned.
  float personal_share = 0.02f;
  // But each drawing at least this many times an epoch, over its variants (a single model
  // reads a drawing in one variant only, an ensemble in five).
  int min_rows_per_drawing = 5;
  int max_copies = 200;  // the most copies of one drawing (in one variant) an epoch holds
  uint64_t seed = 42;

  // Throws nn::Error naming the field and its range.
  void validate() const;
};

// Accuracy of the ensemble on each part; a part with no drawings scores 0 (size says so).
struct PersonalScores {
  float test = 0, personal = 0, held_out = 0;
  Index test_size = 0, personal_size = 0, held_out_size = 0;
};

struct FineTuneReport {
  PersonalScores before, after;
  Index copies = 0;         // copies of each personal drawing in each variant, per epoch
  Index train_samples = 0;  // samples in one epoch (original training data + personal copies)
};

// Scores the ensemble on the test split of `digits` under `settings` (seed, test_share,
// validation_share: the split its members were scored on) and on `personal` split by
// split_personal.
PersonalScores score_personal(Ensemble& models, const Dataset& digits, const Settings& settings, const Dataset& personal);

// Fine-tunes every member of `models` in place. The training data: the training split of
// `digits` under `settings` (the test split stays out), the made digits (made_digits.h: font
// digits and stroke digits, each when its setting is on, then non-empty), and the training part of `personal`, which
// needs at least one drawing. Throws nn::Error before changing anything when the input is
// wrong; a member whose loss diverges keeps the weights it had (Trainer's rule).
FineTuneReport fine_tune(Ensemble& models, const Dataset& digits, const Dataset& font_digits, const Dataset& personal,
                         const Settings& settings, const FineTuneOptions& options = {},
                         const Dataset& stroke_digits = {});

}  // namespace nn
