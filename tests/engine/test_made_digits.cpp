// The made digits (engine/made_digits.h) and the shipped stroke digits (data/stroke-digits.bin):
// which sets join a run's training part, in what order, the refusal of a set that is on but
// not loaded, and what the file holds.
#include <catch2/catch.hpp>

#include <cmath>

#include "cli/files.h"
#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/experiment.h"
#include "engine/made_digits.h"
#include "tests/engine/pen_raster.h"

using namespace nn;

namespace {

const Dataset& strokes() {
  static const Dataset data = cli::read_digits_file(std::string(DIGITLAB_SOURCE_DIR) + "/data/stroke-digits.bin");
  return data;
}

// n rows whose every feature is `value`, labelled `label`.
Dataset rows(Index n, float value, int label) {
  Dataset d;
  d.x = Matrix::Constant(n, kDigitFeatures, value);
  d.y.assign(size_t(n), label);
  return d;
}

}  // namespace

TEST_CASE("made digits: each set joins when its setting is on, fonts first", "[made_digits]") {
  const Dataset fonts = rows(3, 0.25f, 1), pen = rows(2, 0.5f, 7);
  Settings s;
  CHECK(made_digits(s, fonts, pen, "t").size() == 0);
  s.font_digits = true;
  CHECK(made_digits(s, fonts, pen, "t").x == fonts.x);
  s.stroke_digits = true;
  const Dataset both = made_digits(s, fonts, pen, "t");
  REQUIRE(both.size() == 5);
  CHECK(both.x.topRows(3) == fonts.x);
  CHECK(both.x.bottomRows(2) == pen.x);
  CHECK(both.y == std::vector<int>{1, 1, 1, 7, 7});
  s.font_digits = false;
  CHECK(made_digits(s, fonts, pen, "t").y == pen.y);
  // Loaded but off: nothing joins; on but not loaded: refused, naming the caller and the file.
  CHECK(made_digits(Settings{}, fonts, pen, "t").size() == 0);
  CHECK_THROWS_WITH(made_digits(s, fonts, Dataset{}, "page member"),
                    "page member: stroke_digits is on but no stroke digits are loaded (data/stroke-digits.bin)");
  s.font_digits = true;
  CHECK_THROWS_WITH(made_digits(s, Dataset{}, pen, "x"), Catch::Contains("x: font_digits is on"));
}

TEST_CASE("made digits: the shipped stroke digits are 200 of each class, inked like the dataset's", "[made_digits]") {
  const Dataset& d = strokes();
  REQUIRE(d.size() == 2000);
  int per_class[10] = {};
  for (int y : d.y) per_class[y]++;
  for (int c = 0; c < 10; ++c) CHECK(per_class[c] == 200);
  // Every one is a drawing read by preprocess_drawing: ink in the top and bottom rows of the
  // 8x8 (full height), block counts in sixteenths, about 0.3 of the box inked on average.
  double ink = 0;
  for (Index i = 0; i < d.size(); ++i) {
    CHECK(d.x.row(i).head(8).sum() > 0);
    CHECK(d.x.row(i).tail(8).sum() > 0);
    for (Index f = 0; f < kDigitFeatures; ++f) CHECK(d.x(i, f) * 16 == std::round(d.x(i, f) * 16));
    ink += d.x.row(i).mean();
  }
  CHECK(ink / double(d.size()) == Approx(0.30).margin(0.05));
}

TEST_CASE("made digits: an experiment trains on the stroke digits too, its test split unchanged", "[made_digits]") {
  Settings s = default_settings();
  s.train.epochs = 1;
  const Dataset digits = test::load_shipped_digits();
  Experiment plain(digits, Dataset{}, parse_architecture(preset_architecture("linear")), s);
  s.stroke_digits = true;
  Experiment with(digits, Dataset{}, parse_architecture(preset_architecture("linear")), s, strokes());
  CHECK(with.stroke_digit_count() == 2000);
  CHECK(with.font_digit_count() == 0);
  CHECK(with.progress().batches_per_epoch ==
        (plain.own_train_size() + 2000 + s.train.batch_size - 1) / s.train.batch_size);
  CHECK(with.test().x == plain.test().x);
  CHECK(with.test().y == plain.test().y);
}
