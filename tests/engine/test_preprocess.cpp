// Drawing preprocessing: invariance to place, size and stroke width, blank detection,
// the dataset round trip, canvas RGBA conversion and argument checks.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "engine/error.h"
#include "engine/preprocess.h"
#include "engine/rng.h"
#include "tests/engine/pen_raster.h"

using nn::test::PenPoint;

namespace {

// A "7" with a crossbar inside the unit box, mapped to (left, top, size).
std::vector<std::vector<PenPoint>> seven(float left, float top, float size) {
  auto p = [&](float x, float y) { return PenPoint{left + x * size * 0.6f, top + y * size}; };
  return {{p(0, 0), p(1, 0), p(0.35f, 1)}, {p(0.3f, 0.5f), p(0.9f, 0.5f)}};
}

std::vector<uint8_t> draw(int w, int h, const std::vector<std::vector<PenPoint>>& strokes, float pen) {
  std::vector<uint8_t> ink(size_t(w) * h, 0);
  for (const auto& s : strokes) nn::test::paint_stroke(ink, w, h, s, pen);
  return ink;
}

// Largest and mean absolute difference, in the dataset's 0..16 units.
std::pair<float, float> diff16(const nn::Preprocessed& a, const nn::Preprocessed& b) {
  float worst = 0, sum = 0;
  for (int i = 0; i < 64; ++i) {
    const float d = std::abs(a.features[i] - b.features[i]) * 16;
    worst = std::max(worst, d);
    sum += d;
  }
  return {worst, sum / 64};
}

}  // namespace

TEST_CASE("preprocess: bad sizes and null rasters throw", "[preprocess]") {
  std::vector<uint8_t> ink(16, 0);
  CHECK_THROWS_AS(nn::preprocess_drawing(nullptr, 4, 4), nn::Error);
  CHECK_THROWS_AS(nn::preprocess_drawing(ink.data(), 0, 4), nn::Error);
  CHECK_THROWS_AS(nn::preprocess_drawing(ink.data(), 4, -1), nn::Error);
  CHECK_THROWS_AS(nn::preprocess_drawing(ink.data(), 4097, 1), nn::Error);
  CHECK_THROWS_WITH(nn::preprocess_drawing(ink.data(), 5000, 2), Catch::Contains("5000x2"));
  CHECK_THROWS_AS(nn::ink_from_rgba(nullptr, 2, 2), nn::Error);
  CHECK_THROWS_AS(nn::ink_from_rgba(ink.data(), 2, 0), nn::Error);
}

TEST_CASE("preprocess: thickness rounds, last-round gain and pad share out of range throw", "[preprocess]") {
  std::vector<uint8_t> ink(16 * 16, 0);
  for (int i = 4; i < 12; ++i) ink[i * 16 + 8] = 255;
  const float nan = std::nanf("");
  for (int rounds : {0, -1, 17}) {
    nn::PreprocessOptions options;
    options.thickness_rounds = rounds;
    CHECK_THROWS_WITH(nn::preprocess_drawing(ink.data(), 16, 16, options),
                      Catch::Contains("thickness_rounds " + std::to_string(rounds)));
  }
  for (float gain : {0.49f, 2.01f, nan, INFINITY}) {
    nn::PreprocessOptions options;
    options.last_round_gain = gain;
    CHECK_THROWS_WITH(nn::preprocess_drawing(ink.data(), 16, 16, options), Catch::Contains("last_round_gain"));
  }
  for (float share : {-0.01f, 1.01f, nan, INFINITY}) {
    nn::PreprocessOptions options;
    options.pad_share = share;
    CHECK_THROWS_WITH(nn::preprocess_drawing(ink.data(), 16, 16, options), Catch::Contains("pad_share"));
  }
  nn::PreprocessOptions edge;
  edge.pad_share = 1.0f;
  edge.thickness_rounds = 16;
  edge.last_round_gain = 2.0f;
  CHECK_FALSE(nn::preprocess_drawing(ink.data(), 16, 16, edge).blank);
}

TEST_CASE("preprocess: empty and nearly blank rasters are blank", "[preprocess]") {
  std::vector<uint8_t> ink(280 * 280, 0);
  auto check_blank = [&](const char* what) {
    INFO(what);
    const nn::Preprocessed p = nn::preprocess_drawing(ink.data(), 280, 280);
    CHECK(p.blank);
    for (float f : p.features) CHECK(f == 0.0f);
  };
  check_blank("empty");
  ink[100 * 280 + 100] = ink[100 * 280 + 101] = ink[150 * 280 + 40] = 255;
  check_blank("three pixels");
  std::fill(ink.begin(), ink.end(), 0);
  nn::test::paint_stroke(ink, 280, 280, {{140, 140}, {141, 141}}, 14);
  check_blank("one dab of the pen");
  std::fill(ink.begin(), ink.end(), 100);  // faint smudge everywhere: below the ink threshold
  check_blank("faint background");
}

TEST_CASE("preprocess: the same shape at another place or size gives nearly the same 8x8",
          "[preprocess]") {
  const auto big = nn::preprocess_drawing(draw(280, 280, seven(40, 30, 220), 16).data(), 280, 280);
  const auto small = nn::preprocess_drawing(draw(280, 280, seven(150, 150, 110), 8).data(), 280, 280);
  const auto hidpi = nn::preprocess_drawing(draw(560, 560, seven(100, 60, 440), 32).data(), 560, 560);
  REQUIRE_FALSE(big.blank);
  const auto [worst_small, mean_small] = diff16(big, small);
  const auto [worst_hidpi, mean_hidpi] = diff16(big, hidpi);
  INFO("small: max " << worst_small << " mean " << mean_small << "; 560px: max " << worst_hidpi
                     << " mean " << mean_hidpi);
  CHECK(worst_small <= 3.0f);  // measured 1 and 0.13
  CHECK(mean_small <= 0.4f);
  CHECK(worst_hidpi <= 2.0f);  // measured 1 and 0.11
  CHECK(mean_hidpi <= 0.3f);
}

TEST_CASE("preprocess: thin and thick strokes of the same shape agree", "[preprocess]") {
  const auto thin = nn::preprocess_drawing(draw(280, 280, seven(40, 30, 220), 6).data(), 280, 280);
  const auto thick = nn::preprocess_drawing(draw(280, 280, seven(40, 30, 220), 26).data(), 280, 280);
  const auto [worst, mean] = diff16(thin, thick);
  INFO("max " << worst << " mean " << mean);
  CHECK(worst <= 6.0f);  // measured 4 and 0.30
  CHECK(mean <= 0.6f);
}

TEST_CASE("preprocess: output fills the height, is centred and covers ~30% of the box",
          "[preprocess]") {
  const auto p = nn::preprocess_drawing(draw(280, 280, seven(60, 20, 200), 12).data(), 280, 280);
  float total = 0, top = 0, bottom = 0, left = 0, right = 0;
  for (int i = 0; i < 64; ++i) {
    const float count = p.features[i] * 16;
    CHECK(count == std::round(count));  // whole pixel counts: the bitmap is binary
    total += count;
    if (i < 8) top += count;
    if (i >= 56) bottom += count;
    if (i % 8 == 0) left += count;
    if (i % 8 == 7) right += count;
  }
  CHECK(top > 0);
  CHECK(bottom > 0);
  CHECK(left == 0);  // width capped below 32 px and centred: the outer columns stay empty
  CHECK(right == 0);
  CHECK(total == Approx(0.30 * 1024).margin(15));
}

TEST_CASE("preprocess: deskew makes a slanted bar look like an upright one", "[preprocess]") {
  const auto upright = nn::preprocess_drawing(draw(280, 280, {{{140, 40}, {140, 240}}}, 14).data(), 280, 280);
  const auto slanted = nn::preprocess_drawing(draw(280, 280, {{{180, 40}, {110, 240}}}, 14).data(), 280, 280);
  nn::PreprocessOptions no_deskew;
  no_deskew.deskew = false;
  const auto kept = nn::preprocess_drawing(draw(280, 280, {{{180, 40}, {110, 240}}}, 14).data(), 280, 280, no_deskew);
  const auto [worst, mean] = diff16(upright, slanted);
  const auto [worst_kept, mean_kept] = diff16(upright, kept);
  INFO("deskewed: max " << worst << " mean " << mean << "; not deskewed: mean " << mean_kept);
  CHECK(mean <= 0.5f);
  CHECK(mean_kept > 2 * mean);
}

TEST_CASE("preprocess: is deterministic", "[preprocess]") {
  const auto ink = draw(300, 200, seven(20, 10, 170), 11);
  const auto a = nn::preprocess_drawing(ink.data(), 300, 200);
  const auto b = nn::preprocess_drawing(ink.data(), 300, 200);
  CHECK(a.features == b.features);
}

TEST_CASE("preprocess: dataset digits upscaled to 280x280 come back close", "[preprocess][slow]") {
  const nn::Dataset data = nn::test::load_shipped_digits();
  REQUIRE(data.size() == 1797);
  std::vector<uint8_t> canvas(280 * 280);
  double total = 0;
  for (nn::Index i = 0; i < data.size(); ++i) {
    nn::test::draw_dataset_digit(&data.x(i, 0), canvas, 280, 8, 4, 20);  // x8, placed off-centre
    const auto p = nn::preprocess_drawing(canvas.data(), 280, 280);
    REQUIRE_FALSE(p.blank);
    double diff = 0;
    for (int f = 0; f < 64; ++f) diff += std::abs(p.features[f] - data.x(i, f)) * 16;
    total += diff / 64;
  }
  const double mean = total / data.size();
  INFO("mean abs diff over 1797 digits, 0..16 units: " << mean);
  CHECK(mean < 1.5);  // measured 1.31: deskew and width cap re-normalise NIST's own choices
}

TEST_CASE("preprocess: ink_from_rgba turns dark opaque strokes into ink", "[preprocess]") {
  const std::vector<uint8_t> rgba = {
      0,   0,   0,   0,    // transparent
      255, 255, 255, 255,  // white
      0,   0,   0,   255,  // black
      0,   0,   0,   128,  // half-transparent black
      255, 0,   0,   255,  // opaque red: luma 76
  };
  const auto ink = nn::ink_from_rgba(rgba.data(), 5, 1);
  REQUIRE(ink.size() == 5);
  CHECK(ink[0] == 0);
  CHECK(ink[1] == 0);
  CHECK(ink[2] == 255);
  CHECK(ink[3] == 128);
  CHECK(ink[4] == 179);  // 255 - round(0.299 * 255) = 255 - 76
}

TEST_CASE("preprocess: odd sizes, full ink and noise give finite features in [0, 1]",
          "[preprocess]") {
  nn::Rng rng(9);
  const int sizes[][2] = {{1, 1}, {1, 4096}, {4096, 1}, {7, 3}, {50, 50}, {33, 400}, {4096, 8}};
  for (const auto& size : sizes) {
    for (int fill = 0; fill < 3; ++fill) {
      std::vector<uint8_t> ink(size_t(size[0]) * size[1]);
      for (auto& p : ink) p = fill == 0 ? 255 : fill == 1 ? uint8_t(rng.uniform_int(256)) : (rng.uniform() < 0.05f ? 255 : 0);
      INFO(size[0] << "x" << size[1] << " fill " << fill);
      const nn::Preprocessed p = nn::preprocess_drawing(ink.data(), size[0], size[1]);
      for (float f : p.features) {
        REQUIRE(std::isfinite(f));
        REQUIRE(f >= 0.0f);
        REQUIRE(f <= 1.0f);
      }
    }
  }
}
