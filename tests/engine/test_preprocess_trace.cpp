// The preprocessing steps as images (trace_preprocess): the same code path as
// preprocess_drawing, so its result is identical bit for bit, and its last stage is the 8x8
// features; each stage's image checked where it is known exactly. The naive area downscale.
#include <catch2/catch.hpp>

#include <vector>

#include "engine/error.h"
#include "engine/preprocess.h"
#include "engine/rng.h"
#include "tests/engine/pen_raster.h"

using namespace nn;
using nn::test::PenPoint;

namespace {

std::vector<uint8_t> strokes(int w, int h, const std::vector<std::vector<PenPoint>>& lines, float pen) {
  std::vector<uint8_t> ink(size_t(w) * h, 0);
  for (const auto& s : lines) test::paint_stroke(ink, w, h, s, pen);
  return ink;
}

// Random scribbles of a few strokes, some tiny, some filling the raster.
std::vector<uint8_t> scribble(Rng& rng, int w, int h) {
  std::vector<std::vector<PenPoint>> lines;
  const int n = 1 + int(rng.uniform() * 3);
  for (int i = 0; i < n; ++i) {
    std::vector<PenPoint> line;
    for (int k = 0; k < 4; ++k) line.push_back({float(rng.uniform() * w), float(rng.uniform() * h)});
    lines.push_back(line);
  }
  return strokes(w, h, lines, 2.0f + float(rng.uniform()) * 20.0f);
}

const std::vector<std::string> kStageNames = {"ink", "crop", "deskewed", "thickness", "box", "blocks"};

}  // namespace

TEST_CASE("trace_preprocess: its result is preprocess_drawing's, bit for bit, and the last stage is the 8x8",
          "[preprocess][trace]") {
  Rng rng(11);
  const Dataset digits = test::load_shipped_digits();
  std::vector<PreprocessOptions> options(4);
  options[1].deskew = false;
  options[2].target_coverage = 0;
  options[3].fill_height = false;
  int drawn = 0;
  for (int k = 0; k < 60; ++k) {
    const int w = 40 + int(rng.uniform() * 500), h = 40 + int(rng.uniform() * 500);
    std::vector<uint8_t> ink;
    if (k % 3 == 0) {  // a dataset digit as a canvas would send it
      const int side = 200;
      ink.assign(size_t(side) * side, 0);
      test::draw_dataset_digit(digits.x.row(k).data(), ink, side, 5, 20, 10);
      for (const PreprocessOptions& o : options) {
        const PreprocessTrace t = trace_preprocess(ink.data(), side, side, o);
        const Preprocessed p = preprocess_drawing(ink.data(), side, side, o);
        REQUIRE(t.result.blank == p.blank);
        CHECK(t.result.features == p.features);
      }
      continue;
    }
    ink = scribble(rng, w, h);
    const PreprocessOptions& o = options[k % 4];
    const PreprocessTrace t = trace_preprocess(ink.data(), w, h, o);
    const Preprocessed p = preprocess_drawing(ink.data(), w, h, o);
    INFO("raster " << w << "x" << h << " k " << k);
    REQUIRE(t.result.blank == p.blank);
    CHECK(t.result.features == p.features);
    if (p.blank) {
      REQUIRE(t.stages.size() == 1);
      CHECK(t.stages[0].name == "ink");
      continue;
    }
    ++drawn;
    REQUIRE(t.stages.size() == kStageNames.size());
    for (size_t i = 0; i < kStageNames.size(); ++i) {
      CHECK(t.stages[i].name == kStageNames[i]);
      CHECK(t.stages[i].pixels.size() == size_t(t.stages[i].width) * t.stages[i].height);
      for (float v : t.stages[i].pixels) REQUIRE((v >= 0.0f && v <= 1.0f));
    }
    const PreprocessStage& blocks = t.stages.back();
    CHECK(blocks.width == 8);
    CHECK(blocks.height == 8);
    CHECK(std::vector<float>(p.features.begin(), p.features.end()) == blocks.pixels);
    // The box's ink counted per 4x4 block is the 8x8.
    const PreprocessStage& box = t.stages[4];
    REQUIRE(box.width == 32);
    for (int b = 0; b < 64; ++b) {
      int count = 0;
      for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 4; ++x) count += box.pixels[((b / 8) * 4 + y) * 32 + (b % 8) * 4 + x] > 0.5f;
      CHECK(count == int(p.features[b] * 16));
    }
    // The working raster keeps one size from crop to thickness; the ink image fits kStageSide.
    CHECK(t.stages[1].width == t.stages[2].width);
    CHECK(t.stages[2].height == t.stages[3].height);
    CHECK(std::max(t.stages[0].width, t.stages[0].height) <= kStageSide);
    CHECK(t.ink_x0 <= t.ink_x1);
  }
  CHECK(drawn > 20);
}

TEST_CASE("trace_preprocess: the ink's bounding box, an unsheared upright bar, and a blank raster",
          "[preprocess][trace]") {
  const int w = 120, h = 100;
  std::vector<uint8_t> ink(size_t(w) * h, 0);
  for (int y = 20; y <= 79; ++y)
    for (int x = 50; x <= 59; ++x) ink[size_t(y) * w + x] = 255;
  const PreprocessTrace t = trace_preprocess(ink.data(), w, h);
  REQUIRE_FALSE(t.result.blank);
  CHECK(t.ink_x0 == 50);
  CHECK(t.ink_x1 == 59);
  CHECK(t.ink_y0 == 20);
  CHECK(t.ink_y1 == 79);
  CHECK(t.shear == 0.0f);  // a rectangle has no slant: deskewing leaves it as it is
  REQUIRE(t.stages.size() == 6);
  CHECK(t.stages[2].pixels == t.stages[1].pixels);
  // 120 pixels wide is over kStageSide: the ink image is scaled down to 64 wide.
  CHECK(t.stages[0].width == 64);
  CHECK(t.stages[0].height == 53);

  const std::vector<uint8_t> empty(size_t(w) * h, 0);
  const PreprocessTrace blank = trace_preprocess(empty.data(), w, h);
  CHECK(blank.result.blank);
  REQUIRE(blank.stages.size() == 1);
  for (float v : blank.stages[0].pixels) CHECK(v == 0.0f);
  CHECK(blank.ink_x1 < blank.ink_x0);
  CHECK_THROWS_AS(trace_preprocess(nullptr, 4, 4), Error);
}

TEST_CASE("trace_preprocess: a raster no bigger than kStageSide is its own ink image", "[preprocess][trace]") {
  Rng rng(3);
  std::vector<uint8_t> ink(size_t(64) * 50);
  for (auto& v : ink) v = uint8_t(rng.uniform() * 256);
  const PreprocessTrace t = trace_preprocess(ink.data(), 64, 50);
  REQUIRE(t.stages[0].width == 64);
  REQUIRE(t.stages[0].height == 50);
  for (size_t i = 0; i < ink.size(); ++i) CHECK(t.stages[0].pixels[i] == Approx(ink[i] / 255.0).epsilon(1e-6));
}

TEST_CASE("naive_downscale: the exact area average of the whole raster, 1 for a fully inked block",
          "[preprocess][naive]") {
  std::vector<uint8_t> ink(16 * 16, 0);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x) ink[y * 16 + x] = 255;
  ink[15 * 16 + 15] = 51;  // a fifth of ink on a quarter of the last block
  std::array<float, 64> n = naive_downscale(ink.data(), 16, 16);
  CHECK(n[0] == 1.0f);
  CHECK(n[63] == Approx(0.05f).epsilon(1e-6));
  for (int i = 1; i < 63; ++i) CHECK(n[i] == 0.0f);

  // 12 pixels over 8 cells: a cell spans 1.5 pixels, so pixel (0, 0) is 1 / 2.25 of cell (0, 0),
  // and pixel (1, 1) is split over four cells.
  std::vector<uint8_t> odd(12 * 12, 0);
  odd[0] = 255;
  odd[1 * 12 + 1] = 255;
  n = naive_downscale(odd.data(), 12, 12);
  CHECK(n[0] == Approx(1.25 / 2.25).epsilon(1e-6));   // pixel (0,0) whole + a quarter of (1,1)
  CHECK(n[1] == Approx(0.25 / 2.25).epsilon(1e-6));
  CHECK(n[8] == Approx(0.25 / 2.25).epsilon(1e-6));
  CHECK(n[9] == Approx(0.25 / 2.25).epsilon(1e-6));

  const std::vector<uint8_t> full(37 * 23, 255);
  n = naive_downscale(full.data(), 37, 23);
  for (float v : n) CHECK(v == 1.0f);
  CHECK_THROWS_AS(naive_downscale(full.data(), 0, 23), Error);
}
