// The digits experiment (see experiment.h): the split and the data of the training part are
// made here once, and the test accuracy is measured at every epoch's end.
#include "engine/experiment.h"

#include <algorithm>
#include <sstream>

#include "engine/benchmark.h"
#include "engine/error.h"
#include "engine/made_digits.h"

namespace nn {

namespace {

// Checked before the split so a bad share names the setting, not the splitter.
Split split_for(const Dataset& digits, const Settings& settings) {
  validate(settings);
  if (digits.size() == 0) throw Error("experiment: no digits loaded (the dataset is empty)");
  return stratified_split(digits, settings.test_share, settings.validation_share, settings.train.seed);
}

}  // namespace

Dataset test_split(const Dataset& digits, const Settings& settings) { return split_for(digits, settings).test; }

std::vector<Misclassified> misclassified(const Evaluation& evaluation, const Dataset& data) {
  std::vector<Misclassified> out;
  for (size_t i = 0; i < evaluation.predicted.size() && i < data.y.size(); ++i) {
    if (evaluation.predicted[i] != data.y[i]) out.push_back({int(i), data.y[i], evaluation.predicted[i]});
  }
  return out;
}

// Moves the split's training and validation parts into the trainer; the test part stays.
static Trainer make_trainer(Split& split, const Dataset& font_digits, const Dataset& stroke_digits, Sequential model,
                            const Settings& settings) {
  if (split.train.size() == 0) {
    throw Error("experiment: the training split is empty: lower test_share (" + std::to_string(settings.test_share) +
                ") or validation_share (" + std::to_string(settings.validation_share) + ")");
  }
  Dataset made = made_digits(settings, font_digits, stroke_digits, "experiment");
  check_batch_cost(model, settings);
  return Trainer(std::move(model), std::move(split.train), std::move(split.validation), settings.train,
                 std::move(made));
}

Experiment::Experiment(const Dataset& digits, const Dataset& font_digits, Sequential model, const Settings& settings,
                       const Dataset& stroke_digits)
    : settings_(settings),
      split_(split_for(digits, settings)),
      own_train_(split_.train.size()),
      validation_(split_.validation.size()),
      font_digits_(settings.font_digits ? font_digits.size() : 0),
      stroke_digits_(settings.stroke_digits ? stroke_digits.size() : 0),
      trainer_(make_trainer(split_, font_digits, stroke_digits, std::move(model), settings)) {}

void check_batch_cost(Sequential& model, const Settings& settings) {
  if (settings.max_batch_gflops <= 0) return;
  const double gflops = training_flops_per_sample(model) * settings.train.batch_size / 1e9;
  if (gflops <= settings.max_batch_gflops) return;
  std::ostringstream m;
  m.precision(3);
  m << "experiment: one training batch of " << settings.train.batch_size << " costs " << gflops
    << " GFLOP of products, over the limit of " << settings.max_batch_gflops
    << " GFLOP a batch (max_batch_gflops), which keeps Pause and drawing quick; use a smaller batch "
       "size (at most "
    << std::max<long long>(1, static_cast<long long>(settings.max_batch_gflops / gflops * settings.train.batch_size))
    << " here) or a smaller model";
  throw Error(m.str());
}

Progress Experiment::run(Index max_batches) {
  Index budget = std::max<Index>(max_batches, 0);
  Progress p = trainer_.progress();
  while (budget > 0 && !p.done) {
    Index step = budget;
    const Index batch_size = settings_.train.batch_size;
    if (p.prepared < p.to_prepare) {
      // Distorting first: a batch of budget makes batch_size copies; stop when they are made.
      step = std::min(budget, (p.to_prepare - p.prepared + batch_size - 1) / batch_size);
    } else {
      step = std::min(budget, std::max<Index>(1, p.batches_per_epoch - p.batch));
    }
    p = trainer_.run(step);
    budget -= step;
    measure_epoch(p);
  }
  return p;
}

const StepRecord& Experiment::step() {
  const StepRecord& record = trainer_.step();
  measure_epoch(trainer_.progress());
  return record;
}

void Experiment::measure_epoch(const Progress& p) {
  if (!settings_.test_every_epoch || p.diverged || split_.test.size() == 0 || size_t(p.epoch) <= test_accuracies_.size()) return;
  EpochEvaluation measured{p.epoch, model().evaluate(split_.test), model().predict(view(split_.test.x))};
  const float accuracy = measured.evaluation.accuracy;
  last_epoch_evaluation_ = std::move(measured);
  test_accuracies_.push_back(accuracy);
  if (!reached_ && accuracy >= settings_.test_target) reached_ = TargetReached{p.epoch, p.train_seconds};
}

}  // namespace nn
