// The mini-batch training loop, resumable in slices. One Rng (seeded from the config) drives
// initialisation, shuffling, dropout and augmentation, in the same order whatever the slice
// sizes, so run(1) called repeatedly gives bit-identical weights to one long run().
// Batches are gathered into preallocated matrices: after the first batch, nothing is
// allocated except at epoch boundaries (shuffle order, augmentation, validation).
#include "engine/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>

#include "engine/augment.h"
#include "engine/error.h"
#include "engine/memory_budget.h"
#include "engine/settings.h"

namespace nn {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void check_dataset(const Dataset& data, const char* name, const Sequential& model, Index classes) {
  if (static_cast<Index>(data.y.size()) != data.size()) {
    throw Error(std::string("trainer: the ") + name + " set has " + std::to_string(data.size()) +
                " samples but " + std::to_string(data.y.size()) + " labels");
  }
  if (data.size() > 0 && data.x.cols() != model.input_shape().size()) {
    throw Error(std::string("trainer: the ") + name + " set has " + std::to_string(data.x.cols()) +
                " features per sample, but the model expects " + std::to_string(model.input_shape().size()) +
                " (input shape " + model.input_shape().str() + ")");
  }
  for (size_t i = 0; i < data.y.size(); ++i) {
    if (data.y[i] < 0 || data.y[i] >= classes) {
      throw Error(std::string("trainer: label ") + std::to_string(data.y[i]) + " of " + name + " sample " +
                  std::to_string(i) + " is outside the model's " + std::to_string(classes) + " outputs");
    }
  }
}

}  // namespace

void TrainConfig::validate() const {
  for (const char* name : {"epochs", "batch_size", "lr_schedule", "augment_copies", "font_digit_copies", "seed"}) {
    Settings settings;
    settings.train = *this;
    const SettingField& field = setting_field(name);
    field.check(field.get(settings));
  }
  optimizer.validate();
}

float scheduled_learning_rate(const TrainConfig& config, double progress) {
  const float lr = config.optimizer.learning_rate;
  if (config.lr_schedule != LrSchedule::kCosine) return lr;
  constexpr double kFloor = 0.1;  // the last steps still learn, at a tenth of the rate
  constexpr double kPi = 3.14159265358979323846;
  const double t = std::clamp(progress, 0.0, 1.0);
  return static_cast<float>(lr * (kFloor + (1.0 - kFloor) * 0.5 * (1.0 + std::cos(kPi * t))));
}

Trainer::Trainer(Sequential model, Dataset train, Dataset validation, const TrainConfig& config,
                 Dataset font_digits)
    : model_(std::move(model)),
      train_(std::move(train)),
      validation_(std::move(validation)),
      config_(config),
      rng_(config.seed) {
  config_.validate();
  if (train_.size() < 1) throw Error("trainer: the training set is empty; it needs at least 1 sample");
  if (model_.layer_count() == 0) throw Error("trainer: the model has no layers");
  const Index classes = model_.output_shape().size();
  check_dataset(train_, "training", model_, classes);
  check_dataset(validation_, "validation", model_, classes);
  check_dataset(font_digits, "font digits", model_, classes);
  const Index copies = config_.augment ? config_.augment_copies : 0;
  const Index font_copies = config_.augment && font_digits.size() > 0 ? config_.font_digit_copies : 0;
  const Index per_epoch = train_.size() * (1 + copies) + font_digits.size() * (1 + font_copies);
  // Before anything is built: the layers' buffers serve the training batches and the
  // validation's inference batches, so the larger of the two must fit the budget.
  const Index train_rows = std::min<Index>(config_.batch_size, per_epoch);
  const Index validation_rows =
      validation_.size() > 0 ? std::min<Index>(inference_batch_rows(model_, "trainer"), validation_.size()) : 0;
  check_training_memory(model_, std::max(train_rows, validation_rows), config_.optimizer, "trainer");
  if (!model_.built()) model_.build(rng_);
  params_ = model_.params();
  for (const LayerSummary& row : model_.summary_rows()) layer_names_.push_back(row.name);
  for (size_t i = 0; i < model_.layer_count(); ++i) {
    const size_t count = model_.layer(i).params().size();
    for (size_t k = 0; k < count; ++k) param_layer_.push_back(i);
    layer_trained_.push_back(count > 0);
  }
  grad_norms_.assign(model_.layer_count(), 0.0);
  grad_norm_avg_.assign(model_.layer_count(), 0.0);
  optimizer_ = make_optimizer(config_.optimizer);
  scheduled_ = config_.lr_schedule != LrSchedule::kConstant;
  progress_.epochs = config_.epochs;
  progress_.batches_per_epoch = (per_epoch + config_.batch_size - 1) / config_.batch_size;
  if (font_copies > 0) {
    // Originals and their copies, then the font digits and theirs: both made by run(), the
    // digits' first; the font part joins augmented_ when its last copy is made.
    augment_begin(train_, int(copies), augmented_);
    augment_begin(font_digits, int(font_copies), font_augmented_);
    font_source_ = std::move(font_digits);
    font_to_prepare_ = font_copies * font_source_.size();
    progress_.to_prepare = copies * train_.size() + font_to_prepare_;
  } else if (copies > 0) {
    // Originals, then the copies (filled in by run()), then the font digits.
    augment_begin(train_, config_.augment_copies, augmented_);
    if (font_digits.size() > 0) augmented_ = concat(augmented_, font_digits);
    progress_.to_prepare = copies * train_.size();
  } else if (font_digits.size() > 0) {
    train_ = concat(train_, font_digits);
  }
  snapshot_params();
}

void Trainer::snapshot_params() {
  last_good_.resize(params_.size());
  for (size_t i = 0; i < params_.size(); ++i) last_good_[i] = params_[i].value_vector();
}

void Trainer::start_epoch() {
  const Dataset& source = epoch_source();
  const Index n = source.size();
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0);
  rng_.shuffle(order_);
  progress_.batches_per_epoch = (n + config_.batch_size - 1) / config_.batch_size;
  const Index rows = std::min<Index>(config_.batch_size, n);
  const Index classes = model_.output_shape().size();
  if (batch_x_.rows() != rows || batch_x_.cols() != source.x.cols()) batch_x_.resize(rows, source.x.cols());
  if (batch_y_.rows() != rows || batch_y_.cols() != classes) batch_y_.resize(rows, classes);
  epoch_seconds_ = 0;
  epoch_loss_sum_ = 0;
  epoch_correct_ = 0;
  epoch_samples_ = 0;
  progress_.batch = 0;
  epoch_started_ = true;
}

namespace {

// Copies every layer's output and dLoss/dOutput of one batch into a StepRecord.
class RecordingObserver : public PassObserver {
 public:
  explicit RecordingObserver(StepRecord& record) : record_(record) {}
  void forward_output(size_t layer, ConstMatrixView output) override { record_.outputs.at(layer) = output; }
  void backward_d_output(size_t layer, ConstMatrixView d_output) override { record_.d_outputs.at(layer) = d_output; }

 private:
  StepRecord& record_;
};

std::vector<Eigen::VectorXf> copy_values(const std::vector<Param>& params, bool grads) {
  std::vector<Eigen::VectorXf> out;
  for (const Param& p : params) out.push_back(grads ? Eigen::VectorXf(p.grad_vector()) : Eigen::VectorXf(p.value_vector()));
  return out;
}

std::string short_number(double v) {
  if (std::isnan(v)) return "nan";  // not "-nan": the page prints the same sentence
  std::ostringstream s;
  s.precision(3);
  s << v;
  return s.str();
}

}  // namespace

void Trainer::train_batch(StepRecord* record) {
  const Dataset& data = epoch_source();
  const Index start = progress_.batch * config_.batch_size;
  const Index rows = std::min<Index>(config_.batch_size, data.size() - start);
  const Index features = data.x.cols();
  const Index classes = batch_y_.cols();
  const auto t0 = Clock::now();
  // Gather the batch: rows of x in shuffled order, one-hot targets.  // (B, F), (B, K)
  MatrixView bx(batch_x_.data(), rows, features);
  MatrixView by(batch_y_.data(), rows, classes);
  by.setZero();
  for (Index r = 0; r < rows; ++r) {
    const int src = order_[start + r];
    bx.row(r) = data.x.row(src);
    by(r, data.y[src]) = 1.0f;
  }
  std::optional<RecordingObserver> observer;
  Rng mask_rng = rng_;  // the step's dropout mask again, for the loss after the update
  if (record) {
    *record = StepRecord{};
    record->epoch = progress_.epoch + 1;
    record->batch = progress_.batch + 1;
    for (Index r = 0; r < rows; ++r) {
      record->samples.push_back(order_[start + r]);
      record->labels.push_back(data.y[order_[start + r]]);
    }
    record->input = bx;
    record->outputs.resize(model_.layer_count());
    record->d_outputs.resize(model_.layer_count());
    record->param_layer = param_layer_;
    record->values_before = copy_values(params_, false);
    record->state_before = optimizer_->state();
    observer.emplace(*record);
  }
  ConstMatrixView out = model_.forward(ConstMatrixView(bx.data(), rows, features), Mode::kTrain, rng_,
                                       observer ? &*observer : nullptr);
  const ConstMatrixView targets(by.data(), rows, classes);
  MatrixView d_out = d_output_.resize(rows, classes);
  const float loss = model_.loss().value_and_gradient(out, targets, d_out);
  if (batches_trained_ == 0 && std::isfinite(loss)) reference_loss_ = loss;
  if (!std::isfinite(loss)) {
    diverge(std::isnan(loss) ? "loss_nan" : "loss_infinite", "the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite"));
    return;
  }
  if (loss > kExplodedLossFactor * std::max(reference_loss_, 1.0)) {
    progress_.diverged_loss = loss;
    progress_.diverged_reference_loss = reference_loss_;
    diverge("loss_exploded", "the loss exploded to " + short_number(loss) + " (the first batch's was " +
                                 short_number(reference_loss_) + ")");
    return;
  }
  if (record) {
    record->probabilities.resize(rows, classes);
    model_.loss().probabilities(out, MatrixView(record->probabilities.data(), rows, classes));
    record->loss_before = loss;
  }
  Index correct = 0;
  for (Index r = 0; r < rows; ++r) {
    Index best = 0;
    out.row(r).maxCoeff(&best);
    if (best == data.y[order_[start + r]]) ++correct;
  }
  model_.overwrite_gradients_next();
  model_.backward(ConstMatrixView(d_out.data(), rows, classes), observer ? &*observer : nullptr);
  if (!measure_gradients()) return;  // diverged: a gradient is NaN or infinite
  if (scheduled_) {
    // Counted in batches of the run, so slices of any size step through the same rates.
    const double total = double(progress_.batches_per_epoch) * config_.epochs;
    const double done = double(progress_.epoch) * progress_.batches_per_epoch + progress_.batch;
    optimizer_->set_learning_rate(scheduled_learning_rate(config_, done / total));
  }
  if (record) {
    record->gradient_norms = grad_norms_;
    record->grads = copy_values(params_, true);
    record->optimizer = optimizer_->config();
    record->step_number = optimizer_->steps() + 1;
  }
  optimizer_->step(params_);
  epoch_seconds_ += seconds_since(t0);
  batches_trained_ += 1;
  if (record) {
    record->grads_total = copy_values(params_, true);
    record->values_after = copy_values(params_, false);
    record->state_after = optimizer_->state();
    // After the step the layers' forward caches are free: the next batch overwrites them.
    const ConstMatrixView x(bx.data(), rows, features);
    record->loss_after = model_.loss().value(model_.forward(x, Mode::kTrain, mask_rng), targets);
  }

  epoch_loss_sum_ += double(loss) * double(rows);
  epoch_correct_ += correct;
  epoch_samples_ += rows;
  progress_.batch += 1;
  progress_.samples_seen += rows;
  progress_.running_loss = static_cast<float>(epoch_loss_sum_ / double(epoch_samples_));
  progress_.running_accuracy = static_cast<float>(double(epoch_correct_) / double(epoch_samples_));
}

bool Trainer::measure_gradients() {
  std::fill(grad_norms_.begin(), grad_norms_.end(), 0.0);
  for (size_t k = 0; k < params_.size(); ++k) {
    double sum = 0;
    const float* g = params_[k].grad;
    for (Index i = 0; i < params_[k].size(); ++i) sum += double(g[i]) * double(g[i]);
    grad_norms_[param_layer_[k]] += sum;
  }
  bool finite = true;
  for (size_t l = 0; l < grad_norms_.size(); ++l) {
    const double norm = std::sqrt(grad_norms_[l]);
    grad_norms_[l] = norm;
    if (!layer_trained_[l]) continue;
    const double avg = grad_norm_avg_[l];
    const bool blown = !std::isfinite(norm) || (batches_trained_ >= kBlowUpWarmup && avg > 0 && norm > kBlowUpFactor * avg);
    if (blown && !blow_up_) blow_up_ = BlowUp{l, norm, avg > 0 ? norm / avg : 0.0, progress_.epoch + 1, progress_.batch + 1};
    if (!std::isfinite(norm)) {
      finite = false;
      continue;
    }
    grad_norm_avg_[l] = batches_trained_ == 0 ? norm : 0.9 * avg + 0.1 * norm;
  }
  if (!finite) diverge("gradients", "the gradients became NaN or infinite");
  return finite;
}

void Trainer::diverge(const char* cause, const std::string& why) {
  progress_.diverged_cause = cause;
  for (size_t i = 0; i < params_.size() && i < last_good_.size(); ++i) params_[i].value_vector() = last_good_[i];
  // Which layer to name: the first whose gradients blew up; else the one whose last gradient
  // norm grew most over its running average, if that is half again or more (after one batch
  // every ratio is 1); else the one whose gradients were largest (ratio 0: no growth named).
  std::optional<BlowUp> culprit = blow_up_;
  if (!culprit && batches_trained_ > 0) {
    std::optional<BlowUp> grown, largest;
    for (size_t l = 0; l < grad_norms_.size(); ++l) {
      if (!layer_trained_[l] || grad_norm_avg_[l] <= 0) continue;
      const double norm = grad_norms_[l], ratio = norm / grad_norm_avg_[l];
      if (!grown || ratio > grown->ratio) grown = BlowUp{l, norm, ratio, 0, 0};
      if (!largest || norm > largest->norm) largest = BlowUp{l, norm, 0, 0, 0};
    }
    culprit = grown && grown->ratio >= 1.5 && std::isfinite(grown->ratio) ? grown : largest;
  }
  const float lr = config_.optimizer.learning_rate;
  progress_.suggested_learning_rate = lr / 10;
  std::ostringstream s;
  // The weights are checked after an epoch's last batch, when `batch` already counts them all.
  const Index batch = std::min(progress_.batch + 1, std::max<Index>(1, progress_.batches_per_epoch));
  s << "Training diverged at epoch " << progress_.epoch + 1 << ", batch " << batch << ": " << why << ". ";
  if (culprit) {
    const bool blew = culprit->epoch > 0;
    const bool grew = culprit->ratio >= 1.5 && std::isfinite(culprit->ratio);
    progress_.diverged_layer = layer_names_[culprit->layer];
    progress_.diverged_norm = culprit->norm;
    progress_.diverged_blew_up_epoch = culprit->epoch;
    progress_.diverged_blew_up_batch = culprit->batch;
    progress_.diverged_ratio = grew ? culprit->ratio : 0;
    if (blew) {
      s << "The gradients of " << layer_names_[culprit->layer] << " blew up first, at epoch " << culprit->epoch
        << ", batch " << culprit->batch << ": norm " << short_number(culprit->norm);
    } else if (grew) {
      s << "No layer's gradients had blown up before; the largest growth was " << layer_names_[culprit->layer]
        << "'s: norm " << short_number(culprit->norm);
    } else {
      s << "No layer's gradients had blown up or grown before; the largest were " << layer_names_[culprit->layer]
        << "'s: norm " << short_number(culprit->norm);
    }
    if (grew) s << ", " << short_number(culprit->ratio) << " times its running average";
    s << ". ";
  }
  s << "The weights were restored to "
    << (progress_.epoch > 0 ? "the end of epoch " + std::to_string(progress_.epoch) : std::string("their initial values"))
    << ". Try a lower learning rate (it is " << lr << "), e.g. " << progress_.suggested_learning_rate << ".";
  progress_.diverged = true;
  progress_.done = true;
  progress_.message = s.str();
}

void Trainer::finish_epoch() {
  // An update at the very end of the epoch can still blow the weights up without the loss
  // having shown it yet: never keep non-finite weights as the "last good" ones.
  for (const Param& p : params_) {
    if (!p.value_vector().allFinite()) {
      diverge("weights", "the weights became NaN or infinite");
      return;
    }
  }
  EpochMetrics m;
  m.epoch = progress_.epoch + 1;
  m.train_loss = static_cast<float>(epoch_loss_sum_ / double(std::max<Index>(epoch_samples_, 1)));
  m.train_accuracy = static_cast<float>(double(epoch_correct_) / double(std::max<Index>(epoch_samples_, 1)));
  if (validation_.size() > 0) {
    const Evaluation ev = model_.evaluate(validation_);
    m.validation_loss = ev.loss;
    m.validation_accuracy = ev.accuracy;
  }
  m.seconds = epoch_seconds_;
  m.samples_per_sec = epoch_seconds_ > 0 ? double(epoch_samples_) / epoch_seconds_ : 0.0;
  history_.push_back(m);
  snapshot_params();
  progress_.epoch += 1;
  progress_.batch = 0;
  epoch_started_ = false;
  if (progress_.epoch >= config_.epochs) progress_.done = true;
}

void Trainer::prepare(Index begin, Index end) {
  // Rows [0, digit_rows) of the work are the digits' copies, the rest the font digits'.
  const Index digit_rows = progress_.to_prepare - font_to_prepare_;
  if (begin < digit_rows) augment_rows(train_, begin, std::min(end, digit_rows), rng_, augmented_);
  if (end > digit_rows) {
    augment_rows(font_source_, std::max(begin, digit_rows) - digit_rows, end - digit_rows, rng_, font_augmented_);
  }
  if (end == progress_.to_prepare && font_to_prepare_ > 0) {
    augmented_ = concat(augmented_, font_augmented_);
    font_augmented_ = Dataset{};
    font_source_ = Dataset{};
  }
}

Progress Trainer::run(Index max_batches) {
  Index budget = std::max<Index>(max_batches, 0);
  if (progress_.prepared < progress_.to_prepare && !progress_.done && budget > 0) {
    // A batch's worth of budget distorts batch_size images.
    const auto t0 = Clock::now();
    const Index remaining = progress_.to_prepare - progress_.prepared;
    const Index needed = (remaining + config_.batch_size - 1) / config_.batch_size;
    const Index chunk = budget >= needed ? remaining : budget * config_.batch_size;
    prepare(progress_.prepared, progress_.prepared + chunk);
    progress_.prepared += chunk;
    progress_.prepare_seconds += seconds_since(t0);
    budget -= (chunk + config_.batch_size - 1) / config_.batch_size;
  }
  if (progress_.prepared < progress_.to_prepare) return progress_;
  max_batches = budget;
  const auto t0 = Clock::now();
  for (Index done = 0; done < max_batches && !progress_.done; ++done) {
    if (!epoch_started_) start_epoch();
    train_batch();
    if (progress_.done) break;  // diverged
    if (progress_.batch >= progress_.batches_per_epoch) finish_epoch();
  }
  progress_.train_seconds += seconds_since(t0);
  return progress_;
}

}  // namespace nn

namespace nn {

const StepRecord& Trainer::step() {
  if (progress_.diverged) {
    throw Error("step: this run diverged (" + progress_.message + "); start a new run to step through");
  }
  // Pending distorted copies first: step() trains one batch of the run, whatever is left to do.
  // A budget of exactly the batches' worth still to distort: run() then trains none.
  const Index remaining = progress_.to_prepare - progress_.prepared;
  if (remaining > 0) run((remaining + config_.batch_size - 1) / config_.batch_size);
  if (progress_.done) {
    // A finished run trains on into one more epoch.
    config_.epochs += 1;
    progress_.epochs = config_.epochs;
    progress_.done = false;
  }
  const auto t0 = Clock::now();
  if (!epoch_started_) start_epoch();
  train_batch(&last_step_);
  if (!progress_.done && progress_.batch >= progress_.batches_per_epoch) finish_epoch();
  progress_.train_seconds += seconds_since(t0);
  if (progress_.diverged) {
    last_step_ = StepRecord{};
    throw Error("step: " + progress_.message);
  }
  return last_step_;
}

GradientCheck Trainer::gradient_check(size_t layer, const std::string& param, Index element, float eps) {
  const Dataset& data = epoch_source();
  const Index rows = std::min<Index>(config_.batch_size, data.size());
  const Index classes = model_.output_shape().size();
  Matrix targets = Matrix::Zero(rows, classes);
  for (Index r = 0; r < rows; ++r) targets(r, data.y[r]) = 1.0f;
  return nn::gradient_check(model_, ConstMatrixView(data.x.data(), rows, data.x.cols()), view(targets), layer, param,
                            element, eps);
}

}  // namespace nn
