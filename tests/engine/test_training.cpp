// End-to-end training on the real digits (data/digits.bin): the mlp and cnn presets with
// Adam 1e-3, batch 32, on an 80/20 stratified split, must reach the accuracy the project
// promises. Slow-tagged: each takes a few seconds natively in Release.
#include <catch2/catch.hpp>
#include <chrono>

#include "engine/architecture.h"
#include "engine/dataset.h"
#include "engine/digits_file.h"
#include "engine/trainer.h"
#include "tests/engine/pen_raster.h"

using namespace nn;

namespace {

const Dataset& digits() {
  static const Dataset data = test::load_shipped_digits();  // throws, naming the path, if missing
  REQUIRE(data.size() == 1797);
  return data;
}

// Trains `preset` for `epochs` and returns the test accuracy.
float train_preset(const std::string& preset, int epochs) {
  Split split = stratified_split(digits(), 0.2f, 0.0f, 42);
  TrainConfig config;
  config.epochs = epochs;
  config.batch_size = 32;
  config.optimizer.type = OptimizerType::kAdam;
  config.optimizer.learning_rate = 1e-3f;
  config.seed = 42;
  const auto t0 = std::chrono::steady_clock::now();
  Trainer trainer(parse_architecture(preset_architecture(preset)), split.train, Dataset{}, config);
  Progress p = trainer.run(1 << 30);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(p.done);
  REQUIRE_FALSE(p.diverged);
  const float accuracy = trainer.model().evaluate(split.test).accuracy;
  WARN(preset << ": " << epochs << " epochs, " << split.train.size() << " train / " << split.test.size()
               << " test, " << secs << " s, " << trainer.history().back().samples_per_sec
               << " samples/s, train acc " << trainer.history().back().train_accuracy << ", test acc "
               << accuracy);
  return accuracy;
}

}  // namespace

TEST_CASE("trainer: augmentation trains on originals plus distorted copies, deterministically",
          "[trainer][augment]") {
  std::vector<int> first;
  for (int i = 0; i < 100; ++i) first.push_back(i);
  const Dataset small = subset(digits(), first);
  TrainConfig config;
  config.epochs = 2;
  config.batch_size = 32;
  config.augment = true;
  config.augment_copies = 1;
  config.seed = 9;
  auto train = [&] {
    Trainer t(parse_architecture(preset_architecture("mlp")), small, Dataset{}, config);
    t.run(1 << 30);
    return t;
  };
  Trainer a = train();
  // 100 originals + 100 distorted copies per epoch: ceil(200 / 32) = 7 batches.
  CHECK(a.progress().batches_per_epoch == 7);
  CHECK(a.progress().samples_seen == 2 * 200);
  CHECK(a.progress().prepared == 100);
  CHECK(a.progress().to_prepare == 100);
  Trainer b = train();
  auto pa = a.model().params(), pb = b.model().params();
  REQUIRE(pa.size() == pb.size());
  for (size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].value_vector() == pb[i].value_vector());

  // In slices of one batch: the copies are made 32 at a time first (4 calls for 100),
  // then training proceeds, and the result is bit-identical to the single call.
  Trainer c(parse_architecture(preset_architecture("mlp")), small, Dataset{}, config);
  Progress p = c.run(1);
  CHECK(p.prepared == 32);
  CHECK(p.samples_seen == 0);
  int calls = 1;
  while (!c.done()) {
    c.run(1);
    ++calls;
  }
  CHECK(calls == 4 + 2 * 7);
  auto pc = c.model().params();
  for (size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].value_vector() == pc[i].value_vector());
}

TEST_CASE("trainer: font digits get their own distorted copies, made after the digits' and in any slices",
          "[trainer][augment]") {
  std::vector<int> first, next;
  for (int i = 0; i < 60; ++i) first.push_back(i);
  for (int i = 60; i < 100; ++i) next.push_back(i);
  const Dataset small = subset(digits(), first);
  const Dataset extra = subset(digits(), next);  // stands in for the font digits
  TrainConfig config;
  config.epochs = 2;
  config.batch_size = 32;
  config.augment = true;
  config.augment_copies = 1;
  config.font_digit_copies = 2;
  config.seed = 9;
  auto make = [&] { return Trainer(parse_architecture(preset_architecture("mlp")), small, Dataset{}, config, extra); };
  Trainer a = make();
  // 60 digits x 2 + 40 font digits x 3 = 240 samples an epoch: 8 batches; 60 + 80 copies made.
  CHECK(a.progress().to_prepare == 60 + 80);
  a.run(1 << 30);
  CHECK(a.progress().batches_per_epoch == 8);
  CHECK(a.progress().samples_seen == 2 * 240);
  CHECK(a.progress().prepared == 140);
  // In one-batch slices (32 copies a call, crossing from the digits' copies to the font
  // digits' inside a call): bit-identical to the single call.
  Trainer b = make();
  int calls = 0;
  while (!b.done()) {
    b.run(1);
    ++calls;
  }
  CHECK(calls == 5 + 2 * 8);  // ceil(140 / 32) preparing calls, then 8 batches per epoch
  auto pa = a.model().params(), pb = b.model().params();
  REQUIRE(pa.size() == pb.size());
  for (size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].value_vector() == pb[i].value_vector());
  // Without font copies the font digits join as they are: another run than with copies.
  config.font_digit_copies = 0;
  Trainer c = make();
  CHECK(c.progress().to_prepare == 60);
  c.run(1 << 30);
  CHECK(c.progress().samples_seen == 2 * (120 + 40));
  CHECK_FALSE(c.model().params()[0].value_vector() == pa[0].value_vector());
  config.font_digit_copies = 101;
  CHECK_THROWS_WITH(make(), Catch::Contains("font_digit_copies 101"));
}

TEST_CASE("training: the mlp preset reaches >= 97% test accuracy on digits", "[training][slow]") {
  CHECK(train_preset("mlp", 40) >= 0.97f);
}

TEST_CASE("training: the cnn preset reaches >= 98% test accuracy on digits", "[training][slow]") {
  CHECK(train_preset("cnn", 40) >= 0.98f);
}
