#include "engine/loss_comparison.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/optimizers.h"
#include "engine/rng.h"

namespace nn {

namespace {

// The stable sigmoid the engine's sigmoid cross-entropy reports as probabilities.
Matrix sigmoid_of(ConstMatrixView z) {
  Matrix s(z.rows(), z.cols());
  SigmoidCrossEntropy().probabilities(z, MatrixView(s.data(), s.rows(), s.cols()));
  return s;
}

float clip(float s) { return std::min(std::max(s, kClipEpsilon), 1.0f - kClipEpsilon); }
bool clipped(float s) { return s < kClipEpsilon || s > 1.0f - kClipEpsilon; }

// The textbook softmax, exactly as naive code writes it: exp(z) / sum exp(z).
Matrix naive_softmax(ConstMatrixView z) {
  Matrix p = z.array().exp().matrix();
  for (Index i = 0; i < p.rows(); ++i) p.row(i) /= p.row(i).sum();
  return p;
}

}  // namespace

// ---- the flawed heads ------------------------------------------------------------------

float SigmoidSquaredError::value(ConstMatrixView output, ConstMatrixView target) const {
  check_loss_shapes("sigmoid_mse", output, target);
  const Matrix s = sigmoid_of(output);
  return static_cast<float>((s - target).array().square().cast<double>().sum() * inverse_rows(output));
}

void SigmoidSquaredError::gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const {
  check_loss_shapes("sigmoid_mse", output, target);
  const Matrix s = sigmoid_of(output);
  d_output = (2.0f * inverse_rows(output)) * ((s - target).array() * s.array() * (1.0f - s.array())).matrix();
}

void SigmoidSquaredError::probabilities(ConstMatrixView output, MatrixView probs) const {
  SigmoidCrossEntropy().probabilities(output, probs);
}

float SigmoidClippedLog::value(ConstMatrixView output, ConstMatrixView target) const {
  check_loss_shapes("sigmoid_clipped_log", output, target);
  const Matrix s = sigmoid_of(output);
  double total = 0;
  for (Index i = 0; i < s.size(); ++i) {
    const float y = target.data()[i];
    if (y != 0.0f) total -= double(y) * std::log(clip(s.data()[i]));
  }
  return static_cast<float>(total * inverse_rows(output));
}

// d/dz of -y log s = -y (1 - s) (ds/dz = s (1 - s)) inside the clip, 0 where it bites.
void SigmoidClippedLog::gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const {
  check_loss_shapes("sigmoid_clipped_log", output, target);
  const Matrix s = sigmoid_of(output);
  const float scale = inverse_rows(output);
  for (Index i = 0; i < s.size(); ++i) {
    const float si = s.data()[i];
    d_output.data()[i] = clipped(si) ? 0.0f : -target.data()[i] * (1.0f - si) * scale;
  }
}

void SigmoidClippedLog::probabilities(ConstMatrixView output, MatrixView probs) const {
  SigmoidCrossEntropy().probabilities(output, probs);
}

float SoftmaxClippedLog::value(ConstMatrixView output, ConstMatrixView target) const {
  check_loss_shapes("softmax_clipped_log", output, target);
  const Matrix p = naive_softmax(output);
  double total = 0;
  for (Index i = 0; i < p.size(); ++i) {
    const float y = target.data()[i];
    if (y != 0.0f) total -= double(y) * std::log(std::max(p.data()[i], kClipEpsilon));  // max(NaN, eps) is NaN: it shows
  }
  return static_cast<float>(total * inverse_rows(output));
}

// With g = dL/dp (-y / p where p > eps, 0 where the clip bites), the softmax's Jacobian
// gives dz_j = p_j (g_j - sum_k g_k p_k): p - y for one-hot y while p_y > eps.
void SoftmaxClippedLog::gradient(ConstMatrixView output, ConstMatrixView target, MatrixView d_output) const {
  check_loss_shapes("softmax_clipped_log", output, target);
  const Matrix p = naive_softmax(output);
  const float scale = inverse_rows(output);
  RowVector g(p.cols());
  for (Index i = 0; i < p.rows(); ++i) {
    for (Index k = 0; k < p.cols(); ++k) {
      const float pk = p(i, k), y = target(i, k);
      g(k) = y != 0.0f && pk > kClipEpsilon ? -y / pk : 0.0f;
      if (std::isnan(pk)) g(k) = pk;
    }
    const float gp = g.dot(p.row(i));
    d_output.row(i) = (p.row(i).array() * (g.array() - gp)).matrix() * scale;
  }
}

void SoftmaxClippedLog::probabilities(ConstMatrixView output, MatrixView probs) const { probs = naive_softmax(output); }

const std::vector<std::string>& comparison_heads() {
  static const std::vector<std::string> names = {"softmax_cross_entropy", "sigmoid_mse", "sigmoid_clipped_log", "softmax_clipped_log"};
  return names;
}

std::unique_ptr<Loss> comparison_head(const std::string& name) {
  if (name == "softmax_cross_entropy") return std::make_unique<SoftmaxCrossEntropy>();
  if (name == "sigmoid_mse") return std::make_unique<SigmoidSquaredError>();
  if (name == "sigmoid_clipped_log") return std::make_unique<SigmoidClippedLog>();
  if (name == "softmax_clipped_log") return std::make_unique<SoftmaxClippedLog>();
  throw Error("loss comparison: unknown head \"" + name + "\" (softmax_cross_entropy, sigmoid_mse, sigmoid_clipped_log, softmax_clipped_log)");
}

// ---- training each head ------------------------------------------------------------------

namespace {

void check_digits(const Dataset& digits, const char* who) {
  if (digits.x.cols() != kDigitFeatures) throw Error(std::string(who) + ": digits have 64 features, got " + std::to_string(digits.x.cols()));
  if (digits.size() < 20) throw Error(std::string(who) + ": at least 20 digits are needed, got " + std::to_string(digits.size()));
}

// 64 -> hidden (ReLU) -> 10, built from seed: every head and both gradient passes start here.
Sequential comparison_model(int hidden, uint64_t seed) {
  Sequential model = parse_architecture(R"({"input": 64, "loss": "softmax_cross_entropy", "layers": [{"type": "dense", "units": )" +
                                        std::to_string(hidden) + R"(}, {"type": "relu"}, {"type": "dense", "units": 10}]})");
  Rng rng(seed);
  model.build(rng);
  return model;
}

Split comparison_split(const Dataset& digits, uint64_t seed) { return stratified_split(digits, 0.2f, 0.0f, seed); }

HeadRun train_head(const std::string& name, const Split& split, const LossComparisonSettings& s) {
  const std::unique_ptr<Loss> head = comparison_head(name);
  Sequential model = comparison_model(s.hidden, s.seed);
  for (const Param& p : model.layer(model.layer_count() - 1).params()) {
    if (p.name == "bias") p.value[0] += s.confident_logit;
  }
  OptimizerConfig config;
  config.type = OptimizerType::kSgd;
  config.learning_rate = s.learning_rate;
  const std::unique_ptr<Optimizer> optimizer = make_optimizer(config);
  Rng rng(s.seed + 1);  // the shuffling: the same order of batches for every head
  std::vector<int> order(split.train.size());
  std::iota(order.begin(), order.end(), 0);
  const Matrix targets = one_hot(split.train.y);
  HeadRun run;
  run.head = name;
  Matrix x, y, d;
  for (int epoch = 1; epoch <= s.epochs; ++epoch) {
    rng.shuffle(order);
    double loss_sum = 0, push_sum = 0;
    int batches = 0, wrong = 0, stuck = 0;
    for (size_t start = 0; start < order.size(); start += s.batch) {
      const Index rows = static_cast<Index>(std::min(order.size() - start, static_cast<size_t>(s.batch)));
      x.resize(rows, kDigitFeatures);
      y.resize(rows, kDigitClasses);
      d.resize(rows, kDigitClasses);
      for (Index r = 0; r < rows; ++r) {
        x.row(r) = split.train.x.row(order[start + r]);
        y.row(r) = targets.row(order[start + r]);
      }
      const ConstMatrixView z = model.forward(view(x), Mode::kTrain, rng);
      loss_sum += head->value_and_gradient(z, view(y), MatrixView(d.data(), rows, kDigitClasses));
      ++batches;
      for (Index r = 0; r < rows; ++r) {
        Index guess = 0;
        z.row(r).maxCoeff(&guess);
        if (guess == split.train.y[order[start + r]]) continue;
        ++wrong;
        const float push = d.row(r).cwiseAbs().sum() * static_cast<float>(rows);  // undo the 1 / N of the mean
        push_sum += push;
        if (push == 0.0f) ++stuck;
      }
      model.zero_grad();
      model.backward(view(d));
      optimizer->step(model.params());
    }
    const float loss = static_cast<float>(loss_sum / batches);
    run.loss.push_back(loss);
    run.stuck.push_back(stuck);
    run.wrong_push.push_back(wrong ? static_cast<float>(push_sum / wrong) : 0.0f);
    if (!std::isfinite(loss)) {
      // The weights are NaN from here on: the run ends, its accuracy is what NaN logits give.
      run.test_accuracy.push_back(0.0f);
      run.nonfinite_epoch = epoch;
      break;
    }
    run.test_accuracy.push_back(model.evaluate(split.test).accuracy);
  }
  return run;
}

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

std::vector<float> gradients_of(Sequential& model) {
  std::vector<float> all;
  for (const Param& p : model.params()) all.insert(all.end(), p.grad, p.grad + p.size());
  return all;
}

}  // namespace

LossComparison compare_losses(const Dataset& digits, const LossComparisonSettings& s) {
  const char* who = "loss comparison";
  check_digits(digits, who);
  check_in_range(who, "epochs", s.epochs, 1, 50);
  check_in_range(who, "hidden", s.hidden, 1, 256);
  check_in_range(who, "batch", s.batch, 1, 1024);
  check_in_range(who, "learning rate", s.learning_rate, 1e-6, 10);
  check_in_range(who, "confident logit", s.confident_logit, 0, 80);
  const Split split = comparison_split(digits, s.seed);
  LossComparison result;
  result.train_size = static_cast<int>(split.train.size());
  result.test_size = static_cast<int>(split.test.size());
  for (const std::string& name : comparison_heads()) result.runs.push_back(train_head(name, split, s));
  return result;
}

LoopVersusBatch loop_versus_batch(const Dataset& digits, int samples, int repeats, uint64_t seed) {
  const char* who = "loop versus batch";
  check_digits(digits, who);
  check_in_range(who, "samples", samples, 1, 2048);
  check_in_range(who, "repeats", repeats, 1, 50);
  const Split split = comparison_split(digits, seed);
  const int n = std::min(samples, static_cast<int>(split.train.size()));
  const Matrix x = split.train.x.topRows(n);
  const Matrix y = one_hot(std::vector<int>(split.train.y.begin(), split.train.y.begin() + n));
  Sequential model = comparison_model(32, seed);
  SoftmaxCrossEntropy loss;
  Rng rng(seed);
  Matrix d(n, kDigitClasses), d_row(1, kDigitClasses);
  LoopVersusBatch result;
  result.samples = n;
  result.batch_ms = result.loop_ms = 1e300;
  std::vector<float> batched, looped;
  for (int rep = 0; rep < repeats; ++rep) {
    Clock::time_point start = Clock::now();
    model.zero_grad();
    const ConstMatrixView z = model.forward(view(x), Mode::kTrain, rng);
    result.batch_loss = loss.value_and_gradient(z, view(y), MatrixView(d.data(), n, kDigitClasses));
    model.backward(view(d));
    result.batch_ms = std::min(result.batch_ms, ms_since(start));
    batched = gradients_of(model);

    // The chapter's loop: one digit at a time, each one's gradient (of its own loss) added
    // with weight 1 / n, so the sum is the gradient of the same mean loss.
    start = Clock::now();
    model.zero_grad();
    double total = 0;
    for (int i = 0; i < n; ++i) {
      const ConstMatrixView zi = model.forward(ConstMatrixView(x.row(i).data(), 1, kDigitFeatures), Mode::kTrain, rng);
      total += loss.value_and_gradient(zi, ConstMatrixView(y.row(i).data(), 1, kDigitClasses), MatrixView(d_row.data(), 1, kDigitClasses));
      d_row /= static_cast<float>(n);
      model.backward(view(d_row));
    }
    result.loop_loss = static_cast<float>(total / n);
    result.loop_ms = std::min(result.loop_ms, ms_since(start));
    looped = gradients_of(model);
  }
  for (size_t i = 0; i < batched.size(); ++i) {
    result.max_difference = std::max(result.max_difference, std::abs(batched[i] - looped[i]));
    result.max_gradient = std::max(result.max_gradient, std::abs(batched[i]));
  }
  return result;
}

}  // namespace nn
