// Trainer tests on a small synthetic problem: determinism by seed, slices equal one long
// run bit for bit, divergence stops and restores finite weights, config validation.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <functional>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/trainer.h"

using namespace nn;

namespace {

// 60 samples of 6 features in [-1, 1]; the label is the argmax of the first 3 features.
Dataset toy_data(uint64_t seed, Index n = 60, float scale = 1.0f) {
  Rng rng(seed);
  Dataset d;
  d.x.resize(n, 6);
  for (Index i = 0; i < d.x.size(); ++i) d.x.data()[i] = rng.uniform(-1.0f, 1.0f) * scale;
  for (Index i = 0; i < n; ++i) {
    Index best = 0;
    d.x.row(i).head(3).maxCoeff(&best);
    d.y.push_back(static_cast<int>(best));
  }
  return d;
}

Sequential toy_model(const std::string& loss = "softmax_cross_entropy") {
  return parse_architecture(R"({"input": 6, "loss": ")" + loss + R"(", "layers": [
      {"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dropout", "rate": 0.1},
      {"type": "dense", "units": 3}]})");
}

TrainConfig toy_config(uint64_t seed) {
  TrainConfig c;
  c.epochs = 4;
  c.batch_size = 16;  // 60 samples: 3 full batches and one of 12
  c.seed = seed;
  c.optimizer.learning_rate = 0.01f;
  return c;
}

std::vector<float> weights(Trainer& t) {
  std::vector<float> all;
  for (auto& p : t.model().params()) all.insert(all.end(), p.value, p.value + p.size());
  return all;
}

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("trainer: a run trains every epoch and reports metrics", "[trainer]") {
  Trainer t(toy_model(), toy_data(1), toy_data(2, 30), toy_config(42));
  CHECK(t.model().built());
  Progress p = t.run(1000);
  CHECK(p.done);
  CHECK_FALSE(p.diverged);
  CHECK(p.epoch == 4);
  CHECK(p.batches_per_epoch == 4);
  CHECK(p.samples_seen == 4 * 60);
  REQUIRE(t.history().size() == 4);
  for (const auto& m : t.history()) {
    CHECK(std::isfinite(m.train_loss));
    CHECK(m.validation_accuracy >= 0.0f);
    CHECK(m.samples_per_sec > 0);
  }
  CHECK(t.history()[3].epoch == 4);
  CHECK(t.history().back().train_loss < t.history().front().train_loss);
  CHECK(t.run(10).samples_seen == 4 * 60);  // nothing more once done
}

TEST_CASE("trainer: same seed gives bit-identical weights, another seed does not", "[trainer]") {
  Trainer a(toy_model(), toy_data(1), Dataset{}, toy_config(7));
  Trainer b(toy_model(), toy_data(1), Dataset{}, toy_config(7));
  Trainer c(toy_model(), toy_data(1), Dataset{}, toy_config(8));
  a.run(1000);
  b.run(1000);
  c.run(1000);
  CHECK(bit_identical(weights(a), weights(b)));
  CHECK_FALSE(bit_identical(weights(a), weights(c)));
  CHECK(a.history().back().train_loss == b.history().back().train_loss);
}

TEST_CASE("trainer: run(1) repeatedly equals one long run bit for bit", "[trainer]") {
  Trainer whole(toy_model(), toy_data(1), toy_data(2, 30), toy_config(3));
  Trainer sliced(toy_model(), toy_data(1), toy_data(2, 30), toy_config(3));
  whole.run(1000000);
  int calls = 0;
  Progress p;
  while (!sliced.done()) {
    p = sliced.run(1);
    ++calls;
    if (calls == 2) CHECK(p.batch == 2);
  }
  CHECK(calls == 16);
  CHECK(bit_identical(weights(whole), weights(sliced)));
  REQUIRE(sliced.history().size() == whole.history().size());
  CHECK(sliced.history().back().validation_loss == whole.history().back().validation_loss);
}

TEST_CASE("trainer: a diverging run stops, flags it and restores finite weights", "[trainer]") {
  TrainConfig c = toy_config(1);
  c.epochs = 200;
  c.optimizer.type = OptimizerType::kSgd;
  c.optimizer.learning_rate = 10.0f;
  // MSE with inputs of size 100 and lr 10: every step overshoots further.
  Trainer t(toy_model("mse"), toy_data(1, 60, 100.0f), Dataset{}, c);
  Progress p = t.run(1000000);
  CHECK(p.diverged);
  CHECK(p.done);
  CHECK(p.epoch < 200);
  CHECK_THAT(p.message, Catch::Contains("diverged") && Catch::Contains("lower learning rate"));
  for (float w : weights(t)) REQUIRE(std::isfinite(w));
  CHECK(t.history().size() == static_cast<size_t>(p.epoch));
}

TEST_CASE("trainer: bad configs and data throw naming the field", "[trainer]") {
  struct Case {
    std::function<void(TrainConfig&)> edit;
    std::string fragment;
  };
  std::vector<Case> cases = {
      {[](TrainConfig& c) { c.epochs = 0; }, "epochs 0"},
      {[](TrainConfig& c) { c.epochs = 100001; }, "epochs 100001"},
      {[](TrainConfig& c) { c.batch_size = 0; }, "batch_size 0"},
      {[](TrainConfig& c) { c.batch_size = 65537; }, "batch_size 65537"},
      {[](TrainConfig& c) { c.augment_copies = -1; }, "augment_copies -1"},
      {[](TrainConfig& c) { c.augment_copies = 101; }, "augment_copies 101"},
      {[](TrainConfig& c) { c.optimizer.learning_rate = -1.0f; }, "learning_rate -1"},
      {[](TrainConfig& c) { c.lr_schedule = static_cast<LrSchedule>(2); }, "lr_schedule 2 is invalid"},
  };
  for (const auto& k : cases) {
    TrainConfig c = toy_config(1);
    k.edit(c);
    INFO(k.fragment);
    CHECK_THROWS_WITH(c.validate(), Catch::Contains(k.fragment));
    CHECK_THROWS_AS(Trainer(toy_model(), toy_data(1), Dataset{}, c), Error);
  }
  CHECK_THROWS_WITH(parse_lr_schedule("step"), Catch::Contains("lr_schedule \"step\" is unknown"));
  CHECK_THROWS_WITH(Trainer(toy_model(), toy_data(1, 0), Dataset{}, toy_config(1)),
                    Catch::Contains("training set is empty"));
  Dataset bad = toy_data(1);
  bad.y[5] = 3;
  CHECK_THROWS_WITH(Trainer(toy_model(), bad, Dataset{}, toy_config(1)), Catch::Contains("label 3"));
  Dataset narrow;
  narrow.x = Matrix::Zero(4, 5);
  narrow.y = {0, 1, 2, 0};
  CHECK_THROWS_WITH(Trainer(toy_model(), narrow, Dataset{}, toy_config(1)), Catch::Contains("5 features"));
}

TEST_CASE("trainer: font digits join every epoch exactly like extra training rows", "[trainer]") {
  // Without augmentation, passing samples as `font_digits` is the same run as appending them
  // to the training set: same batches, same order, bit-identical weights.
  const Dataset train = toy_data(1, 40), extra = toy_data(3, 20);
  Trainer joined(toy_model(), concat(train, extra), Dataset{}, toy_config(5));
  Trainer apart(toy_model(), train, Dataset{}, toy_config(5), extra);
  CHECK(apart.progress().batches_per_epoch == 4);  // 60 samples, batches of 16
  joined.run(1000);
  const Progress p = apart.run(1000);
  CHECK(p.samples_seen == 4 * 60);
  CHECK(bit_identical(weights(joined), weights(apart)));

  Dataset wrong = toy_data(4, 5);
  wrong.y[2] = 7;  // the model has 3 outputs
  CHECK_THROWS_WITH(Trainer(toy_model(), train, Dataset{}, toy_config(5), wrong),
                    Catch::Contains("font digits") && Catch::Contains("label 7"));
}

TEST_CASE("trainer: the cosine schedule goes from the rate to a tenth of it along half a cosine", "[trainer]") {
  TrainConfig c = toy_config(1);
  c.optimizer.learning_rate = 0.01f;
  CHECK(scheduled_learning_rate(c, 0.5) == 0.01f);  // constant by default
  c.lr_schedule = LrSchedule::kCosine;
  CHECK(scheduled_learning_rate(c, 0.0) == Approx(0.01f));
  CHECK(scheduled_learning_rate(c, 0.5) == Approx(0.01f * (0.1 + 0.9 * 0.5)));  // cos(pi/2) = 0
  CHECK(scheduled_learning_rate(c, 0.25) == Approx(0.01f * (0.1 + 0.9 * 0.5 * (1 + std::sqrt(0.5)))));
  CHECK(scheduled_learning_rate(c, 1.0) == Approx(0.001f));
  CHECK(scheduled_learning_rate(c, 7.0) == Approx(0.001f));  // past the end: clamped
}

TEST_CASE("trainer: a cosine run differs from a constant one, and slices still equal one run", "[trainer]") {
  TrainConfig cosine = toy_config(3);
  cosine.lr_schedule = LrSchedule::kCosine;
  Trainer constant_run(toy_model(), toy_data(1), Dataset{}, toy_config(3));
  Trainer whole(toy_model(), toy_data(1), Dataset{}, cosine);
  Trainer sliced(toy_model(), toy_data(1), Dataset{}, cosine);
  constant_run.run(1000);
  whole.run(1000);
  while (!sliced.done()) sliced.run(3);
  CHECK(bit_identical(weights(whole), weights(sliced)));
  CHECK_FALSE(bit_identical(weights(whole), weights(constant_run)));
}
