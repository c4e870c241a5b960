// The step-through of one batch: step() is the run's next batch (the same weights as
// run(1)); what it records equals a forward and backward run by hand from the weights before
// the step; the gradient formulas' sums give backward's gradients; the explained update of
// every optimizer gives the weight the optimizer wrote.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/step_trace.h"
#include "engine/trainer.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

// 40 images of 1 x 6 x 6 in [0, 1]; labels 0..3 cycle.
Dataset image_data(uint64_t seed, Index n = 40) {
  Rng rng(seed);
  Dataset d;
  d.x = test::random_matrix(n, 36, rng, 0.0f, 1.0f);
  for (Index i = 0; i < n; ++i) d.y.push_back(int(i % 4));
  return d;
}

// Every layer type but dropout (its mask is the trainer's to draw).
const char* kConvNet = R"({"input": [1, 6, 6], "loss": "softmax_cross_entropy", "layers": [
  {"type": "conv2d", "filters": 2, "kernel": 3, "padding": 1}, {"type": "leaky_relu"},
  {"type": "maxpool2d", "size": 2}, {"type": "flatten"}, {"type": "dense", "units": 5},
  {"type": "sigmoid"}, {"type": "dense", "units": 6}, {"type": "tanh"}, {"type": "dense", "units": 4}]})";

TrainConfig config(OptimizerType type, float l2 = 0.0f) {
  TrainConfig c;
  c.epochs = 2;
  c.batch_size = 8;
  c.seed = 5;
  c.optimizer.type = type;
  c.optimizer.learning_rate = type == OptimizerType::kAdam ? 0.01f : 0.1f;
  c.optimizer.l2 = l2;
  return c;
}

std::vector<float> weights(Trainer& t) {
  std::vector<float> all;
  for (auto& p : t.model().params()) all.insert(all.end(), p.value, p.value + p.size());
  return all;
}

void set_values(Sequential& model, const std::vector<Eigen::VectorXf>& values) {
  auto params = model.params();
  for (size_t k = 0; k < params.size(); ++k) params[k].value_vector() = values[k];
}

}  // namespace

TEST_CASE("step: one step is the run's next batch, bit for bit the same as run(1)", "[step]") {
  Trainer stepped(parse_architecture(kConvNet), image_data(1), Dataset{}, config(OptimizerType::kAdam));
  Trainer ran(parse_architecture(kConvNet), image_data(1), Dataset{}, config(OptimizerType::kAdam));
  for (int i = 0; i < 7; ++i) {  // 5 batches an epoch: crosses an epoch's end
    const StepRecord& r = stepped.step();
    ran.run(1);
    CHECK(r.epoch == 1 + i / 5);
    CHECK(r.batch == 1 + i % 5);
    CHECK(r.step_number == i + 1);
  }
  const auto a = weights(stepped), b = weights(ran);
  REQUIRE(a.size() == b.size());
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  CHECK(stepped.progress().samples_seen == ran.progress().samples_seen);
  CHECK(stepped.history().size() == 1);
}

TEST_CASE("step: the record equals a forward and backward run by hand from the weights before", "[step]") {
  Trainer t(parse_architecture(kConvNet), image_data(2), Dataset{}, config(OptimizerType::kSgd));
  t.step();
  const StepRecord r = t.step();  // the second: the optimizer has state, the weights moved once
  Sequential& model = t.model();
  REQUIRE(r.input.rows() == 8);
  REQUIRE(r.outputs.size() == model.layer_count());
  for (Index row = 0; row < 8; ++row) CHECK(r.labels[row] == image_data(2).y[r.samples[row]]);

  set_values(model, r.values_before);
  Rng rng(0);
  // Every layer's input stays alive until its backward (dense keeps a pointer to it).
  std::vector<Matrix> hs{r.input};
  for (size_t i = 0; i < model.layer_count(); ++i) {
    hs.push_back(model.layer(i).forward(view(hs.back()), Mode::kTrain, rng));
    CHECK(hs.back() == r.outputs[i]);
  }
  const Matrix& h = hs.back();
  Matrix targets = Matrix::Zero(8, 4);
  for (Index row = 0; row < 8; ++row) targets(row, r.labels[row]) = 1.0f;
  Matrix d(8, 4);
  const float loss = model.loss().value_and_gradient(view(h), view(targets), MatrixView(d.data(), 8, 4));
  CHECK(loss == r.loss_before);
  model.zero_grad();
  for (size_t i = model.layer_count(); i-- > 0;) {
    CHECK(d == r.d_outputs[i]);
    d = model.layer(i).backward(view(d));
  }
  const auto params = model.params();
  for (size_t k = 0; k < params.size(); ++k) {
    CHECK(Eigen::VectorXf(params[k].grad_vector()) == r.grads[k]);
    CHECK(r.grads_total[k] == r.grads[k]);  // no L1/L2 here
  }
  // Gradient norms per layer, from the same gradients.
  double conv = 0;
  for (size_t k = 0; k < 2; ++k) conv += params[k].grad_vector().cast<double>().squaredNorm();
  CHECK(r.gradient_norms[0] == Approx(std::sqrt(conv)).epsilon(1e-12));
  CHECK(r.gradient_norms[1] == 0);
  // The loss after: the same batch on the weights the step wrote (no dropout here).
  set_values(model, r.values_after);
  CHECK(model.loss().value(model.forward(view(r.input), Mode::kTrain, rng), view(targets)) == r.loss_after);
}

TEST_CASE("step: a sample's stages: activations, its loss -log p_y, dLoss/dOutput, norms", "[step]") {
  Trainer t(parse_architecture(kConvNet), image_data(3), Dataset{}, config(OptimizerType::kAdam));
  const StepRecord& r = t.step();
  const SampleStep s = sample_step(t.model(), r, 3);
  REQUIRE(s.forward.size() == t.model().layer_count() + 2);
  CHECK(s.forward[0].name == "input");
  CHECK(s.forward[0].values == std::vector<float>(r.input.data() + 3 * 36, r.input.data() + 4 * 36));
  CHECK(s.forward[1].name == "conv2d_1");
  CHECK(s.forward[1].shape == Shape{2, 6, 6});
  CHECK(s.forward.back().name == "softmax");
  CHECK(s.loss.label == r.labels[3]);
  CHECK(s.loss.probability == Approx(r.probabilities(3, r.labels[3])));
  CHECK(s.loss.loss == Approx(-std::log(s.loss.probability)).epsilon(1e-5));
  CHECK_THAT(s.loss.formula, Catch::StartsWith("-log p_" + std::to_string(s.loss.label) + " = -log(0."));
  REQUIRE(s.backward.size() == t.model().layer_count());  // the first layer has parameters
  CHECK(s.backward.front().name == "d dense_3");
  CHECK(s.backward.back().name == "d conv2d_1");
  CHECK(s.backward.back().values[5] == r.d_outputs[0](3, 5));
  REQUIRE(s.gradient_norms.size() == 4);
  CHECK(s.gradient_norms[1].name == "dense_1");
  CHECK(s.gradient_norms[1].norm == r.gradient_norms[4]);
  CHECK_THROWS_WITH(sample_step(t.model(), r, 8), Catch::Contains("rows 0..7"));
}

TEST_CASE("step: each weight's gradient is the sum of its per-sample terms (dense and conv, weight and bias)",
          "[step]") {
  Trainer t(parse_architecture(kConvNet), image_data(4), Dataset{}, config(OptimizerType::kMomentum));
  const StepRecord& r = t.step();
  struct Pick { size_t layer; const char* param; Index element; };
  for (const Pick& pick : {Pick{0, "weight", 7}, Pick{0, "bias", 1}, Pick{4, "weight", 13}, Pick{4, "bias", 2},
                           Pick{8, "weight", -1}}) {
    double sum = 0;
    double gradient = 0;
    for (Index row = 0; row < 8; ++row) {
      const WeightStep w = weight_step(t.model(), r, pick.layer, pick.param, pick.element, row);
      // A dense bias's term is dL/dy[s,o] itself; every other gradient names its "sample term".
      const std::string term = pick.layer == 4 && std::string(pick.param) == "bias" ? "dL/dy[s,o]" : "sample term";
      for (const Quantity& q : w.gradient_terms) {
        if (q.name == term) sum += q.value;
      }
      gradient = w.gradient;
    }
    INFO(pick.layer << " " << pick.param);
    CHECK(sum == Approx(gradient).epsilon(1e-4).margin(1e-7));
    CHECK(std::abs(gradient) > 1e-7);
  }
  const WeightStep best = weight_step(t.model(), r, 8, "weight", -1, 0);
  CHECK(std::abs(best.gradient) == Approx(r.grads[6].cwiseAbs().maxCoeff()));
  CHECK_THAT(weight_step(t.model(), r, 4, "weight", 13, 0).gradient_formula, Catch::StartsWith("dL/dW[0,13] = sum over the 8 samples"));
  CHECK_THROWS_WITH(weight_step(t.model(), r, 1, "weight", 0, 0), Catch::Contains("no parameters"));
  CHECK_THROWS_WITH(weight_step(t.model(), r, 4, "weight", 999, 0), Catch::Contains("has 90 elements"));
}

TEST_CASE("step: the explained update gives the weight each optimizer wrote", "[step]") {
  for (OptimizerType type : {OptimizerType::kSgd, OptimizerType::kMomentum, OptimizerType::kNesterov, OptimizerType::kAdam}) {
    Trainer t(parse_architecture(kConvNet), image_data(5), Dataset{}, config(type, 1e-3f));
    for (int s = 0; s < 3; ++s) {
      const StepRecord& r = t.step();
      for (size_t layer : {size_t(0), size_t(6)}) {
        for (Index element : {Index(0), Index(4), Index(-1)}) {
          const WeightStep w = weight_step(t.model(), r, layer, "weight", element, 0);
          INFO(name_of(type) << " step " << s + 1 << " layer " << layer << " element " << w.element);
          CHECK(w.regularization == Approx(1e-3 * w.value_before).epsilon(1e-3).margin(1e-8));
          double explained = 0;
          for (const Quantity& q : w.update_terms) {
            if (q.name == "w'") explained = q.value;
          }
          CHECK(float(explained) == float(w.value_after));
        }
      }
    }
  }
}

TEST_CASE("step: on a finished run it trains on into one more epoch", "[step]") {
  Trainer t(parse_architecture(kConvNet), image_data(6), Dataset{}, config(OptimizerType::kSgd));
  t.run(1000);
  REQUIRE(t.done());
  const StepRecord& r = t.step();
  CHECK(r.epoch == 3);
  CHECK(r.batch == 1);
  CHECK_FALSE(t.done());
  CHECK(t.progress().epochs == 3);
}
