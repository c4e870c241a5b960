// Ensemble and input-variant tests: a 1-member identity ensemble is its model, averaging is
// the exact mean over members and variants, variants are deterministic with hand-checked
// shifts and thickness order, and bad setups give nn::Error.
#include <catch2/catch.hpp>

#include "engine/architecture.h"
#include "engine/ensemble.h"
#include "engine/error.h"
#include "engine/preprocess_variants.h"
#include "tests/engine/pen_raster.h"

using namespace nn;

namespace {

Sequential built(const std::string& preset, uint64_t seed) {
  Sequential m = parse_architecture(preset_architecture(preset));
  Rng rng(seed);
  m.build(rng);
  return m;
}

Matrix first_digits(int n) {
  const Dataset d = test::load_shipped_digits();
  return d.x.topRows(n);
}

float ink(const Matrix& x, Index row) { return x.row(row).sum() * 16; }

}  // namespace

TEST_CASE("ensemble: one member read in the identity variant is exactly the model", "[ensemble]") {
  const Matrix x = first_digits(40);
  Sequential model = built("mlp", 3);
  const Matrix expected = model.predict(view(x));
  Ensemble e;
  e.add(std::move(model));
  const Matrix got = e.predict(view(x));
  REQUIRE(got.rows() == 40);
  REQUIRE(got.cols() == 10);
  CHECK(got == expected);
}

TEST_CASE("ensemble: predict is the mean of the members' probabilities", "[ensemble]") {
  const Matrix x = first_digits(25);
  Sequential a = built("mlp", 1), b = built("cnn", 2), c = built("deep_mlp", 5);
  const Matrix pa = a.predict(view(x)), pb = b.predict(view(x)), pc = c.predict(view(x));
  Ensemble e;
  e.add(std::move(a));
  e.add(std::move(b));
  CHECK(e.predict(view(x)) == Matrix((pa + pb) / 2.0f));
  e.add(std::move(c));
  const Matrix got = e.predict(view(x));
  const Matrix expected = (pa + pb + pc) / 3.0f;
  CHECK((got - expected).cwiseAbs().maxCoeff() < 1e-6f);
  for (Index i = 0; i < got.rows(); ++i) CHECK(got.row(i).sum() == Approx(1.0f).margin(1e-5));
}

TEST_CASE("ensemble: a removed member no longer counts, the others keep their order and answers", "[ensemble]") {
  const Matrix x = first_digits(20);
  Sequential a = built("mlp", 1), b = built("cnn", 2), c = built("deep_mlp", 5);
  const Matrix pb = b.predict(view(x)), pc = c.predict(view(x));
  Ensemble e;
  REQUIRE_NOTHROW(e.set_variants({InputVariant::kIdentity, InputVariant::kShiftLeft}));
  e.add(std::move(a));
  e.add(std::move(b));
  e.add(std::move(c));
  e.predict(view(x));  // keeps these rows' variants: they must stay right after a removal
  e.remove(0);
  REQUIRE(e.size() == 2);
  Ensemble fresh;
  fresh.set_variants({InputVariant::kIdentity, InputVariant::kShiftLeft});
  fresh.add(built("cnn", 2));
  fresh.add(built("deep_mlp", 5));
  CHECK(e.predict(view(x)) == fresh.predict(view(x)));
  CHECK(e.member(0).predict(view(x)) == pb);
  CHECK(e.member(1).predict(view(x)) == pc);
  // No such member: refused by number, the ensemble unchanged.
  try {
    e.remove(2);
    FAIL("remove(2) of 2 members should throw");
  } catch (const Error& err) {
    CHECK(std::string(err.what()) == "ensemble: no member 3 to remove (it has 2)");
  }
  CHECK(e.size() == 2);
  e.remove(1);
  e.remove(0);
  CHECK(e.size() == 0);
  CHECK_THROWS_AS(e.predict(view(x)), Error);
}

TEST_CASE("ensemble: variants are averaged per digit over every member", "[ensemble][variants]") {
  const Matrix x = first_digits(12);
  const std::vector<InputVariant> list = {InputVariant::kIdentity, InputVariant::kShiftLeft, InputVariant::kThicker};
  const Matrix expanded = input_variants(view(x), list);
  REQUIRE(expanded.rows() == 36);
  Sequential a = built("mlp", 8), b = built("mlp", 9);
  const Matrix pa = a.predict(view(expanded)), pb = b.predict(view(expanded));
  Ensemble e;
  e.add(std::move(a));
  e.add(std::move(b));
  e.set_variants(list);
  const Matrix got = e.predict(view(x));
  for (Index i = 0; i < 12; ++i) {
    RowVector expected = RowVector::Zero(10);
    for (Index v = 0; v < 3; ++v) expected += pa.row(i * 3 + v) + pb.row(i * 3 + v);
    expected /= 6.0f;
    CHECK((got.row(i) - expected).cwiseAbs().maxCoeff() < 1e-6f);
  }
  const Dataset labelled{x, std::vector<int>(12, 0)};
  const Evaluation ev = e.evaluate(labelled);
  for (Index i = 0; i < 12; ++i) {
    Index guess;
    got.row(i).maxCoeff(&guess);
    CHECK(ev.predicted[i] == int(guess));
  }
  CHECK(ev.probabilities == got);  // the evaluation keeps the probabilities it scored
}

// The expanded rows are kept between calls (ensemble.h): whatever comes next, a repeat, other
// rows of the same shape, one drawing, another variant list or a new member, every answer
// equals a fresh ensemble's.
TEST_CASE("ensemble: reusing the last expanded rows never changes an answer", "[ensemble][variants]") {
  const Matrix x = first_digits(30);
  Matrix other = first_digits(60).bottomRows(30);
  const std::vector<InputVariant> defaults = default_variants();
  const std::vector<InputVariant> shifts = {InputVariant::kShiftLeft, InputVariant::kShiftRight};
  auto fresh = [&](const std::vector<uint64_t>& seeds, const std::vector<InputVariant>& variants, const Matrix& in) {
    Ensemble f;
    for (uint64_t seed : seeds) f.add(built("mlp", seed));
    f.set_variants(variants);
    return f.predict(view(in));
  };
  Ensemble e;
  e.add(built("mlp", 4));
  e.set_variants(defaults);
  const Matrix first = e.predict(view(x));
  CHECK(first == fresh({4}, defaults, x));
  CHECK(e.predict(view(x)) == first);
  CHECK(e.predict(view(other)) == fresh({4}, defaults, other));
  other(3, 20) = 1.0f - other(3, 20);  // one feature of one row changed
  CHECK(e.predict(view(other)) == fresh({4}, defaults, other));
  const Matrix one = x.topRows(1);
  CHECK(e.predict(view(one)) == fresh({4}, defaults, one));
  CHECK(e.predict(view(x)) == first);
  e.set_variants(shifts);
  CHECK(e.predict(view(x)) == fresh({4}, shifts, x));
  e.add(built("mlp", 5));
  CHECK(e.predict(view(x)) == fresh({4, 5}, shifts, x));
}

TEST_CASE("ensemble: variants prepared a few rows at a time give exactly the answers of a fresh ensemble", "[ensemble][variants]") {
  const Matrix x = first_digits(30);
  Ensemble fresh;
  fresh.set_variants(default_variants());
  fresh.add(built("mlp", 4));
  const Matrix expected = fresh.predict(view(x));

  Ensemble steps;
  steps.set_variants(default_variants());
  steps.add(built("mlp", 4));
  int calls = 1;
  while (!steps.prepare_variants(view(x), 7)) ++calls;
  CHECK(calls == 5);  // 7 + 7 + 7 + 7 + 2 rows
  CHECK(steps.prepare_variants(view(x), 1));  // nothing left to do
  CHECK(steps.predict(view(x)) == expected);

  // Other rows start again; a predict on rows half prepared finishes them first.
  const Matrix other = first_digits(60).bottomRows(30);
  CHECK_FALSE(steps.prepare_variants(view(other), 10));
  CHECK(steps.predict(view(other)) == fresh.predict(view(other)));
  CHECK(steps.predict(view(x)) == expected);
  // Changed variants start again too.
  steps.set_variants({InputVariant::kIdentity, InputVariant::kShiftLeft});
  CHECK_FALSE(steps.prepare_variants(view(x), 29));
  CHECK(steps.prepare_variants(view(x), 29));
  fresh.set_variants({InputVariant::kIdentity, InputVariant::kShiftLeft});
  CHECK(steps.predict(view(x)) == fresh.predict(view(x)));

  CHECK_THROWS_WITH(steps.prepare_variants(view(x), 0), Catch::Contains("rows 0"));
  const Matrix wide = Matrix::Zero(3, 65);
  CHECK_THROWS_WITH(steps.prepare_variants(view(wide), 3), Catch::Contains("65"));
  Ensemble plain;  // the identity alone has nothing to prepare
  CHECK(plain.prepare_variants(view(wide), 1));
}

TEST_CASE("input variants: identity is the input, the rest deterministic and different", "[variants]") {
  const Matrix x = first_digits(30);
  const std::vector<InputVariant> all = parse_variants("identity,left,right,thick,thin,bolder,lighter");
  REQUIRE(all.size() == 7);
  const Matrix once = input_variants(view(x), all), again = input_variants(view(x), all);
  CHECK(once == again);
  for (Index i = 0; i < 30; ++i) {
    CHECK(once.row(i * 7) == x.row(i));
    for (int v = 1; v < 5; ++v) CHECK(once.row(i * 7 + v) != x.row(i));  // pixel work always changes it
    // Widened runs carry more ink than the input, narrowed ones less; bolder more than lighter.
    CHECK(ink(once, i * 7 + 3) > ink(x, i));
    CHECK(ink(once, i * 7 + 4) < ink(x, i));
    CHECK(ink(once, i * 7 + 5) > ink(once, i * 7 + 6));
  }
}

TEST_CASE("input variants: a solid bar shifted, widened and narrowed, counted by hand", "[variants]") {
  // Block columns 2..5 full (pixels x 8..23 of every row): the rebuilt bitmap is that bar.
  Matrix x = Matrix::Zero(1, 64);
  for (int r = 0; r < 8; ++r)
    for (int c = 2; c <= 5; ++c) x(0, r * 8 + c) = 1.0f;
  const Matrix v = input_variants(view(x), {InputVariant::kShiftRight, InputVariant::kShiftLeft,
                                           InputVariant::kThicker, InputVariant::kThinner});
  REQUIRE(v.rows() == 4);
  for (int r = 0; r < 8; ++r) {
    // Right: x 9..24, so block 2 keeps 3 columns of 4 and block 6 gets one.
    CHECK(v(0, r * 8 + 1) == 0.0f);
    CHECK(v(0, r * 8 + 2) == 12 / 16.0f);
    CHECK(v(0, r * 8 + 5) == 1.0f);
    CHECK(v(0, r * 8 + 6) == 4 / 16.0f);
    // Left: x 7..22.
    CHECK(v(1, r * 8 + 1) == 4 / 16.0f);
    CHECK(v(1, r * 8 + 2) == 1.0f);
    CHECK(v(1, r * 8 + 5) == 12 / 16.0f);
    CHECK(v(1, r * 8 + 6) == 0.0f);
    // Wider: x 8..24; narrower: x 8..22.
    CHECK(v(2, r * 8 + 2) == 1.0f);
    CHECK(v(2, r * 8 + 6) == 4 / 16.0f);
    CHECK(v(3, r * 8 + 2) == 1.0f);
    CHECK(v(3, r * 8 + 5) == 12 / 16.0f);
    CHECK(v(3, r * 8 + 6) == 0.0f);
  }
  CHECK(v.row(2).sum() * 16 == 17 * 32);
  CHECK(v.row(3).sum() * 16 == 15 * 32);
}

TEST_CASE("input variants: a turn leans an upright bar the way it turns, and keeps it a full-height digit", "[variants]") {
  // An upright bar, block columns 3..4 (pixels x 12..19 of every row).
  Matrix x = Matrix::Zero(1, 64);
  for (int r = 0; r < 8; ++r)
    for (int c = 3; c <= 4; ++c) x(0, r * 8 + c) = 1.0f;
  const Matrix v = input_variants(view(x), {InputVariant::kClockwise, InputVariant::kAnticlockwise});
  REQUIRE(v.rows() == 2);
  // Where a row's ink is, in block columns.
  const auto centre = [&](Index row, int r) {
    float ink = 0, moment = 0;
    for (int c = 0; c < 8; ++c) {
      ink += v(row, r * 8 + c);
      moment += c * v(row, r * 8 + c);
    }
    REQUIRE(ink > 0);  // preprocessing fills the height again: every row has ink
    return moment / ink;
  };
  // Clockwise on the screen (y down): the top leans right, the bottom left; anticlockwise the
  // other way, by as much.
  CHECK(centre(0, 0) > centre(0, 7) + 1.0f);
  CHECK(centre(1, 0) < centre(1, 7) - 1.0f);
  CHECK(centre(0, 0) - centre(0, 7) == Approx(centre(1, 7) - centre(1, 0)).margin(0.25));
  CHECK(variant_name(InputVariant::kClockwise) == "cw");
  CHECK(parse_variant("ccw") == InputVariant::kAnticlockwise);
}

TEST_CASE("input variants and ensemble: bad setups are errors that say why", "[variants][ensemble]") {
  CHECK_THROWS_WITH(parse_variants("identity,wobble"), Catch::Contains("'wobble'"));
  CHECK(parse_variants("") == std::vector<InputVariant>{InputVariant::kIdentity});
  CHECK(parse_variants("left,thin") == std::vector<InputVariant>{InputVariant::kShiftLeft, InputVariant::kThinner});
  CHECK(default_variants() == parse_variants("identity,left,right,bolder,lighter,cw,ccw"));
  CHECK(variant_list(default_variants()) == "identity,left,right,bolder,lighter,cw,ccw");
  for (InputVariant v : parse_variants("identity,left,right,thick,thin,bolder,lighter,cw,ccw"))
    CHECK(parse_variant(variant_name(v)) == v);
  const Matrix wide = Matrix::Zero(2, 65);
  CHECK_THROWS_WITH(input_variants(view(wide), {InputVariant::kIdentity}), Catch::Contains("65 features"));
  const Matrix x = first_digits(2);
  CHECK_THROWS_WITH(input_variants(view(x), {}), Catch::Contains("empty"));

  Ensemble e;
  CHECK_THROWS_WITH(e.predict(view(x)), Catch::Contains("no members"));
  CHECK_THROWS_WITH(e.add(parse_architecture(preset_architecture("mlp"))), Catch::Contains("not built"));
  CHECK_THROWS_WITH(e.set_variants({}), Catch::Contains("empty"));
  e.add(built("mlp", 1));
  CHECK_THROWS_WITH(e.predict(view(wide)), Catch::Contains("65 features"));
  Sequential other = parse_architecture(R"({"input": 65, "layers": [{"type": "dense", "units": 10}]})");
  Rng rng(1);
  other.build(rng);
  CHECK_THROWS_WITH(e.add(std::move(other)), Catch::Contains("reads 65 features"));

  Ensemble flat;
  Sequential wide_model = parse_architecture(R"({"input": 65, "layers": [{"type": "dense", "units": 10}]})");
  wide_model.build(rng);
  flat.add(std::move(wide_model));
  CHECK_THROWS_WITH(flat.set_variants({InputVariant::kIdentity, InputVariant::kShiftLeft}),
                    Catch::Contains("need 8x8 inputs"));
  CHECK(flat.variants() == std::vector<InputVariant>{InputVariant::kIdentity});  // unchanged
}
