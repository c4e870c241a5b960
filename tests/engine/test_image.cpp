// Image helpers behind augmentation and preprocessing: the signed distance field against a
// brute-force reference, and the warp's identity case (no distortion copies the bitmap).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/image/bitmap32.h"
#include "engine/image/distance.h"
#include "engine/image/warp.h"
#include "engine/rng.h"

namespace {

// O(n^2) signed distance with the same conventions: pixel centres, edge half way between.
std::vector<float> brute_signed_distance(const std::vector<uint8_t>& ink, int w, int h) {
  std::vector<float> sdf(ink.size());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const bool on = ink[y * w + x] != 0;
      float best = 1e20f;
      for (int y2 = 0; y2 < h; ++y2)
        for (int x2 = 0; x2 < w; ++x2)
          if ((ink[y2 * w + x2] != 0) != on)
            best = std::min(best, float((x - x2) * (x - x2) + (y - y2) * (y - y2)));
      best = std::min(best, 1e8f);
      sdf[y * w + x] = on ? 0.5f - std::sqrt(best) : std::sqrt(best) - 0.5f;
    }
  return sdf;
}

}  // namespace

TEST_CASE("distance: signed field equals brute force on random rasters", "[image][distance]") {
  nn::Rng rng(21);
  nn::image::DistanceScratch scratch;
  std::vector<float> sdf;
  const int sizes[][2] = {{1, 1}, {1, 9}, {9, 1}, {7, 5}, {23, 17}, {40, 40}};
  const float densities[] = {0.0f, 0.03f, 0.3f, 0.7f, 1.0f};
  for (const auto& size : sizes)
    for (float density : densities) {
      const int w = size[0], h = size[1];
      std::vector<uint8_t> ink(size_t(w) * h);
      for (auto& p : ink) p = rng.uniform() < density ? 1 : 0;
      const float lowest = nn::image::signed_distance(ink.data(), w, h, scratch, sdf);
      const std::vector<float> expected = brute_signed_distance(ink, w, h);
      INFO(w << "x" << h << " density " << density);
      REQUIRE(sdf.size() == expected.size());
      for (size_t i = 0; i < sdf.size(); ++i) REQUIRE(sdf[i] == Approx(expected[i]).margin(1e-4));
      // Exact, not just close: every value is the root of a whole number, as brute force's.
      CHECK(sdf == expected);
      CHECK(lowest == *std::min_element(expected.begin(), expected.end()));
      // On demand, rows in any order, each asked for twice: the same field.
      std::vector<float> lazy;
      CHECK(nn::image::signed_distance_begin(ink.data(), w, h, scratch, lazy) == lowest);
      for (int y = h - 1; y >= 0; y -= 2) nn::image::signed_distance_row(y, scratch, lazy);
      for (int y = 0; y < h; ++y) nn::image::signed_distance_row(y, scratch, lazy);
      CHECK(lazy == expected);
    }
}

TEST_CASE("distance: a filled square has the expected field", "[image][distance]") {
  // 7x7 raster, ink at the 3x3 centre: centre pixel 1 px deep, corners of the raster 2*sqrt2.
  std::vector<uint8_t> ink(49, 0);
  for (int y = 2; y < 5; ++y)
    for (int x = 2; x < 5; ++x) ink[y * 7 + x] = 1;
  nn::image::DistanceScratch scratch;
  std::vector<float> sdf;
  nn::image::signed_distance(ink.data(), 7, 7, scratch, sdf);
  CHECK(sdf[3 * 7 + 3] == Approx(-1.5f));           // 2 px to the nearest background pixel
  CHECK(sdf[2 * 7 + 2] == Approx(-0.5f));           // ink on the edge
  CHECK(sdf[3 * 7 + 1] == Approx(0.5f));            // background next to the ink
  CHECK(sdf[0] == Approx(std::sqrt(8.0f) - 0.5f));  // raster corner
}

TEST_CASE("warp: without distortion the bitmap lands unchanged in the canvas centre",
          "[image][warp]") {
  nn::Rng rng(4);
  nn::image::Bitmap32 bitmap{};
  for (int i = 0; i < 1024; ++i) bitmap[i] = rng.uniform() < 0.3f ? 1 : 0;
  nn::image::WarpConfig still;
  still.max_rotation = still.max_shear = still.max_aspect = 0.0f;
  still.elastic_std = 0.0f;
  still.thickness_share = 0.0f;
  nn::image::WarpScratch scratch;
  std::vector<uint8_t> out;
  nn::image::warp_bitmap(bitmap, still, rng, scratch, out);
  const int side = nn::image::kWarpCanvas, offset = (side - 32) / 2;
  REQUIRE(out.size() == size_t(side) * side);
  int ink = 0;
  for (int v = 0; v < side; ++v)
    for (int u = 0; u < side; ++u) {
      const int x = u - offset, y = v - offset;
      const bool inside = x >= 0 && y >= 0 && x < 32 && y < 32;
      const int expected = inside && bitmap[y * 32 + x] ? 255 : 0;
      INFO("canvas pixel " << u << "," << v);
      REQUIRE(int(out[v * side + u]) == expected);
      ink += expected != 0;
    }
  CHECK(ink > 200);
}

TEST_CASE("warp: same seed, same raster; the ink stays about its size", "[image][warp]") {
  nn::image::Bitmap32 bitmap{};
  for (int y = 6; y < 26; ++y)
    for (int x = 12; x < 16; ++x) bitmap[y * 32 + x] = 1;  // a bar of 80 pixels
  const nn::image::WarpConfig config;
  nn::image::WarpScratch scratch;
  std::vector<uint8_t> a, b;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    nn::Rng r1(seed), r2(seed);
    nn::image::warp_bitmap(bitmap, config, r1, scratch, a);
    nn::image::warp_bitmap(bitmap, config, r2, scratch, b);
    REQUIRE(a == b);
    int ink = 0;
    for (uint8_t p : a) ink += p != 0;
    INFO("seed " << seed << ": " << ink << " ink pixels");
    CHECK(ink >= 30);   // thinner strokes (level 0.8) lose a share of the 80
    CHECK(ink <= 170);  // thicker ones (level 0.2) and a 1.15 x 1.15 scale gain some
  }
}
