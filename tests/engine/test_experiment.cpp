// The digits experiment (engine/experiment.h): the split it holds out, the font digits it
// adds, the test accuracy after every epoch and the time to the target, whatever the slices.
#include <catch2/catch.hpp>

#include "cli/files.h"
#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/experiment.h"
#include "tests/engine/pen_raster.h"

using namespace nn;

namespace {

const Dataset& digits() {
  static const Dataset data = test::load_shipped_digits();
  return data;
}

const Dataset& fonts() {
  static const Dataset data = cli::read_digits_file(std::string(DIGITLAB_SOURCE_DIR) + "/data/font-digits.bin");
  return data;
}

const Dataset& strokes() {
  static const Dataset data = cli::read_digits_file(std::string(DIGITLAB_SOURCE_DIR) + "/data/stroke-digits.bin");
  return data;
}

Sequential linear() { return parse_architecture(preset_architecture("linear")); }

Settings quick(int epochs) {
  Settings s = default_settings();
  s.train.epochs = epochs;
  s.train.optimizer.learning_rate = 0.05f;
  s.train.seed = 7;
  s.test_every_epoch = true;
  return s;
}

}  // namespace

TEST_CASE("experiment: holds out the same test split as test_split, which a loaded model is scored on",
          "[experiment]") {
  const Settings s = quick(1);
  Experiment e(digits(), Dataset{}, linear(), s);
  const Split direct = stratified_split(digits(), s.test_share, s.validation_share, s.train.seed);
  CHECK(e.own_train_size() == direct.train.size());
  CHECK(e.validation_size() == direct.validation.size());
  REQUIRE(e.test().size() == direct.test.size());
  CHECK(e.test().y == direct.test.y);
  CHECK(e.test().x == direct.test.x);
  const Dataset loaded = test_split(digits(), s);
  CHECK(loaded.y == direct.test.y);
  CHECK(e.font_digit_count() == 0);
}

TEST_CASE("experiment: measures the test accuracy at each epoch's end and when it reached the target",
          "[experiment]") {
  Settings s = quick(4);
  s.test_target = 0.5f;
  Experiment e(digits(), Dataset{}, linear(), s);
  std::vector<float> seen;
  const Progress p = e.run_all(7, [&](const EpochMetrics& m, float acc) {
    CHECK(m.epoch == int(seen.size()) + 1);
    seen.push_back(acc);
  });
  REQUIRE(p.done);
  REQUIRE(e.test_accuracies().size() == 4);
  CHECK(seen == e.test_accuracies());
  CHECK(e.test_accuracies().back() == e.evaluate().accuracy);  // the last epoch's weights are the final ones
  REQUIRE(e.target_reached().has_value());
  const TargetReached r = *e.target_reached();
  CHECK(e.test_accuracies()[size_t(r.epoch - 1)] >= 0.5f);
  for (int i = 0; i + 1 < r.epoch; ++i) CHECK(e.test_accuracies()[size_t(i)] < 0.5f);
  CHECK(r.seconds > 0);
  CHECK(r.seconds <= p.train_seconds);

  Settings never = quick(1);
  never.test_target = 1.0f;
  Experiment unreached(digits(), Dataset{}, linear(), never);
  unreached.run(1000000);
  CHECK_FALSE(unreached.target_reached().has_value());
  CHECK(unreached.test_accuracies().size() == 1);

  Settings off = quick(1);
  off.test_every_epoch = false;
  Experiment unmeasured(digits(), Dataset{}, linear(), off);
  unmeasured.run(1000000);
  CHECK(unmeasured.done());
  CHECK(unmeasured.test_accuracies().empty());
}

TEST_CASE("experiment: slices of any size give the same accuracies, with augmentation and font digits",
          "[experiment]") {
  Settings s = quick(2);
  s.train.augment = true;
  s.train.augment_copies = 1;
  s.font_digits = true;
  Experiment whole(digits(), fonts(), linear(), s);
  Experiment sliced(digits(), fonts(), linear(), s);
  CHECK(whole.font_digit_count() == fonts().size());
  CHECK(whole.progress().batches_per_epoch == (whole.own_train_size() * 2 + fonts().size() + 31) / 32);
  whole.run(1000000);
  while (!sliced.done()) sliced.run(13);
  REQUIRE(whole.test_accuracies().size() == 2);
  CHECK(whole.stroke_digit_count() == 0);
  CHECK(whole.test_accuracies() == sliced.test_accuracies());
  CHECK(whole.model().predict(view(whole.test().x)) == sliced.model().predict(view(sliced.test().x)));
}

TEST_CASE("experiment: misclassified lists exactly the confusion matrix's off-diagonal samples", "[experiment]") {
  Experiment e(digits(), Dataset{}, linear(), quick(1));
  e.run(1000000);
  const Evaluation ev = e.evaluate();
  const std::vector<Misclassified> wrong = misclassified(ev, e.test());
  int off_diagonal = 0;
  for (size_t t = 0; t < ev.confusion.size(); ++t)
    for (size_t p = 0; p < ev.confusion[t].size(); ++p) off_diagonal += t == p ? 0 : ev.confusion[t][p];
  CHECK(int(wrong.size()) == off_diagonal);
  for (const Misclassified& m : wrong) {
    CHECK(e.test().y[size_t(m.index)] == m.label);
    CHECK(m.predicted != m.label);
  }
}

TEST_CASE("experiment: bad settings and missing data throw naming the problem", "[experiment]") {
  Settings s = quick(1);
  s.font_digits = true;
  CHECK_THROWS_WITH(Experiment(digits(), Dataset{}, linear(), s), Catch::Contains("font_digits is on but no font digits"));
  s = quick(1);
  s.stroke_digits = true;
  CHECK_THROWS_WITH(Experiment(digits(), fonts(), linear(), s),
                    Catch::Contains("stroke_digits is on but no stroke digits are loaded (data/stroke-digits.bin)"));
  s = quick(1);
  s.validation_share = 1.5f;
  CHECK_THROWS_WITH(Experiment(digits(), Dataset{}, linear(), s), Catch::Contains("validation_share 1.5 is invalid"));
  s = quick(0);
  CHECK_THROWS_WITH(Experiment(digits(), Dataset{}, linear(), s), Catch::Contains("epochs 0 is invalid"));
  CHECK_THROWS_WITH(Experiment(Dataset{}, Dataset{}, linear(), quick(1)), Catch::Contains("no digits"));
}

TEST_CASE("experiment: a batch that costs more than max_batch_gflops is refused with its cost", "[experiment]") {
  // dense 4096-4096 at batch 2048: 2 * (2*64*4096 + 3*4096*4096 + 3*4096*10) FLOPs a sample.
  const char* big = R"({"input":[64],"layers":[{"type":"dense","units":4096},{"type":"relu"},
    {"type":"dense","units":4096},{"type":"relu"},{"type":"dense","units":10}]})";
  Settings s = quick(1);
  s.train.batch_size = 2048;
  s.max_batch_gflops = 1;
  const double per_sample = 2.0 * (2.0 * 64 * 4096 + 3.0 * 4096 * 4096 + 3.0 * 4096 * 10);
  REQUIRE_THROWS_WITH(Experiment(digits(), Dataset{}, parse_architecture(big), s),
                      Catch::Matchers::Contains("one training batch of 2048 costs 209 GFLOP") &&
                          Catch::Matchers::Contains("over the limit of 1 GFLOP a batch (max_batch_gflops)") &&
                          Catch::Matchers::Contains("at most " + std::to_string(long(1e9 / per_sample)) + " here"));
  // The batch the message suggests fits; with no limit (0, the default) the big batch is accepted.
  s.train.batch_size = int(1e9 / per_sample);
  CHECK_NOTHROW(Experiment(digits(), Dataset{}, parse_architecture(big), s));
  s.train.batch_size = 32;
  s.max_batch_gflops = 0;
  CHECK_NOTHROW(Experiment(digits(), Dataset{}, linear(), s));
  // The page's profile keeps every preset at its batch size well inside the limit.
  const Settings page = profile_settings("page");
  CHECK(page.max_batch_gflops == 0.5);
  for (const auto& preset : preset_names()) {
    CHECK_NOTHROW(Experiment(digits(), fonts(), parse_architecture(preset_architecture(preset)), page, strokes()));
  }
}

TEST_CASE("experiment: each epoch's test evaluation carries the confusion and every test digit's probabilities",
          "[experiment][live]") {
  Settings s = quick(2);
  Experiment e(digits(), Dataset{}, linear(), s);
  CHECK_FALSE(e.last_epoch_evaluation().has_value());
  e.run(1);
  int epochs_seen = 0;
  while (!e.done()) {
    e.run(5);
    if (!e.last_epoch_evaluation()) continue;
    const EpochEvaluation& m = *e.last_epoch_evaluation();
    REQUIRE(m.epoch == int(e.test_accuracies().size()));
    epochs_seen = m.epoch;
    CHECK(m.evaluation.accuracy == e.test_accuracies().back());
    const Index n = e.test().size();
    REQUIRE(m.probabilities.rows() == n);
    REQUIRE(m.probabilities.cols() == 10);
    int total = 0, diagonal = 0;
    for (int t = 0; t < 10; ++t)
      for (int p = 0; p < 10; ++p) {
        total += m.evaluation.confusion[t][p];
        if (t == p) diagonal += m.evaluation.confusion[t][p];
      }
    CHECK(total == n);
    CHECK(diagonal == Approx(m.evaluation.accuracy * n).margin(0.01));
    for (Index i = 0; i < n; ++i) {
      Index best = 0;
      m.probabilities.row(i).maxCoeff(&best);
      CHECK(int(best) == m.evaluation.predicted[i]);
      CHECK(m.probabilities.row(i).sum() == Approx(1.0f).epsilon(1e-4));
    }
  }
  CHECK(epochs_seen == 2);
  // The final evaluation is the model's own evaluate after the last epoch.
  const Evaluation last = e.evaluate();
  CHECK(last.confusion == e.last_epoch_evaluation()->evaluation.confusion);

  Settings off = quick(1);
  off.test_every_epoch = false;
  Experiment quiet(digits(), Dataset{}, linear(), off);
  quiet.run(1000);
  CHECK_FALSE(quiet.last_epoch_evaluation().has_value());
}
