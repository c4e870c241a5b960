// Fine-tuning on a personal set (see fine_tune.h). The members are trained as copies (made
// through the model file, which holds every weight exactly) and replace the originals only
// when all of them trained, so an error leaves the ensemble as it was.
#include "engine/fine_tune.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/error.h"
#include "engine/made_digits.h"
#include "engine/model_file.h"
#include "engine/personal_set.h"
#include "engine/preprocess_variants.h"
#include "engine/trainer.h"

namespace nn {

namespace {

float accuracy_on(Ensemble& models, const Dataset& data) { return data.size() > 0 ? models.evaluate(data).accuracy : 0.0f; }

PersonalScores score_parts(Ensemble& models, const Dataset& test, const PersonalSplit& parts) {
  PersonalScores s;
  s.test = accuracy_on(models, test);
  s.personal = accuracy_on(models, parts.train);
  s.held_out = accuracy_on(models, parts.held_out);
  s.test_size = test.size();
  s.personal_size = parts.train.size();
  s.held_out_size = parts.held_out.size();
  return s;
}

// The drawings in every variant the ensemble reads them in, each `copies` times.
Dataset personal_copies(const Dataset& drawings, const std::vector<InputVariant>& variants, Index copies) {
  const Matrix seen = input_variants(view(drawings.x), variants);  // row i * V + v
  const Index v_count = Index(variants.size());
  Dataset out;
  out.x.resize(seen.rows() * copies, seen.cols());
  out.y.reserve(size_t(out.x.rows()));
  for (Index c = 0; c < copies; ++c) {
    out.x.middleRows(c * seen.rows(), seen.rows()) = seen;
    for (Index r = 0; r < seen.rows(); ++r) out.y.push_back(drawings.y[size_t(r / v_count)]);
  }
  return out;
}

void check_models(Ensemble& models) {
  if (models.size() == 0) throw Error("fine-tune: there is no model to fine-tune");
  if (models.member(0).input_shape().size() != kDigitFeatures) {
    throw Error("fine-tune: the model reads " + std::to_string(models.member(0).input_shape().size()) +
                " features; a digits model reads 64");
  }
}

}  // namespace

void FineTuneOptions::validate() const {
  check_in_range("fine-tune", "epochs", epochs, 1, 50);
  check_in_range("fine-tune", "batch_size", batch_size, 1, 1024);
  check_in_range("fine-tune", "learning_rate", learning_rate, 1e-6, 0.1);
  check_in_range("fine-tune", "personal_share", personal_share, 0.001, 0.5);
  check_in_range("fine-tune", "max_copies", max_copies, 1, 10000);
  check_in_range("fine-tune", "min_rows_per_drawing", min_rows_per_drawing, 1, 10000);
}

PersonalScores score_personal(Ensemble& models, const Dataset& digits, const Settings& settings, const Dataset& personal) {
  check_models(models);
  validate(settings);
  const PersonalSplit parts = split_personal(personal);
  const Split split = stratified_split(digits, settings.test_share, settings.validation_share, settings.train.seed);
  return score_parts(models, split.test, parts);
}

FineTuneReport fine_tune(Ensemble& models, const Dataset& digits, const Dataset& font_digits, const Dataset& personal,
                         const Settings& settings, const FineTuneOptions& options, const Dataset& stroke_digits) {
  options.validate();
  validate(settings);
  check_models(models);
  if (digits.size() == 0) throw Error("fine-tune: no digits loaded (the original training data is needed too)");
  const Dataset made = made_digits(settings, font_digits, stroke_digits, "fine-tune");
  const PersonalSplit parts = split_personal(personal);
  if (parts.train.size() == 0) {
    throw Error("fine-tune: no drawings to learn from (" + std::to_string(parts.held_out.size()) +
                " held out to score, never trained on): teach a few more");
  }
  Split split = stratified_split(digits, settings.test_share, settings.validation_share, settings.train.seed);

  FineTuneReport report;
  report.before = score_parts(models, split.test, parts);

  Dataset base = made.size() > 0 ? concat(split.train, made) : std::move(split.train);
  const Index personal_rows = parts.train.size() * Index(models.variants().size());
  const double wanted = options.personal_share / (1.0 - options.personal_share) * double(base.size());
  const Index v_count = Index(models.variants().size());
  const Index floor_copies = (options.min_rows_per_drawing + v_count - 1) / v_count;
  report.copies = std::clamp<Index>(std::max<Index>(floor_copies, Index(std::lround(wanted / double(personal_rows)))), 1,
                                    options.max_copies);
  const Dataset train = concat(base, personal_copies(parts.train, models.variants(), report.copies));
  report.train_samples = train.size();

  TrainConfig config;
  config.epochs = options.epochs;
  config.batch_size = options.batch_size;
  config.optimizer.type = options.optimizer;
  config.optimizer.learning_rate = options.learning_rate;
  config.lr_schedule = LrSchedule::kConstant;
  config.augment = false;

  std::vector<Sequential> tuned;
  for (size_t m = 0; m < models.size(); ++m) {
    const std::vector<uint8_t> bytes = save_model(models.member(m));
    config.seed = options.seed + m;  // each member shuffles its own way
    Trainer trainer(load_model(bytes.data(), bytes.size()), train, Dataset{}, config);
    while (!trainer.done()) trainer.run(1 << 20);
    tuned.push_back(std::move(trainer.model()));
  }
  for (size_t m = 0; m < models.size(); ++m) models.member(m) = std::move(tuned[m]);

  report.after = score_parts(models, split.test, parts);
  return report;
}

}  // namespace nn
