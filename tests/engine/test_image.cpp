// Image helpers behind augmentation and preprocessing: the signed distance field against a
// brute-force reference (exactly, whole and row by row on demand), the warp's identity case
// (no distortion copies the bitmap), its prepared 2x2 blocks, and its raster against the
// per-pixel map it replaced; the bitmap rebuild and block counts against the float-ranking
// and per-pixel versions they replaced.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
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

// The warp as it was first written, pixel by pixel: both elastic fields interpolated at the
// pixel, then the affine map, then the bitmap's bilinear coverage. The same random draws in
// the same order as warp_bitmap, so the two rasters can be compared pixel for pixel.
std::vector<uint8_t> reference_warp(const nn::image::Bitmap32& bitmap, const nn::image::WarpConfig& config,
                                    nn::Rng& rng) {
  constexpr int kNodes = nn::image::kWarpCanvas / 4 + 2;
  const float angle = rng.uniform(-config.max_rotation, config.max_rotation);
  const float shear = rng.uniform(-config.max_shear, config.max_shear);
  const float scale_x = 1.0f + rng.uniform(-config.max_aspect, config.max_aspect);
  const float scale_y = 1.0f + rng.uniform(-config.max_aspect, config.max_aspect);
  const float c = std::cos(angle), s = std::sin(angle);
  const float m00 = c * scale_x, m01 = (c * shear - s) * scale_y;
  const float m10 = s * scale_x, m11 = (s * shear + c) * scale_y;
  float level = 0.5f;
  if (rng.uniform() < config.thickness_share) level = rng.uniform() < 0.5f ? 0.2f : 0.8f;
  auto at = [](int i) { return std::clamp(i, 0, kNodes - 1); };
  std::vector<float> fields[2];
  for (auto& field : fields) {  // [1 2 1]/4 both ways, rescaled to elastic_std
    field.resize(kNodes * kNodes);
    std::vector<float> tmp(kNodes * kNodes);
    for (float& v : field) v = rng.uniform(-1.7320508075688772f, 1.7320508075688772f);  // unit variance
    for (int y = 0; y < kNodes; ++y)
      for (int x = 0; x < kNodes; ++x)
        tmp[y * kNodes + x] = 0.25f * (field[y * kNodes + at(x - 1)] + 2 * field[y * kNodes + x] + field[y * kNodes + at(x + 1)]);
    for (int y = 0; y < kNodes; ++y)
      for (int x = 0; x < kNodes; ++x)
        field[y * kNodes + x] = config.elastic_std / 0.375f * 0.25f *
                                (tmp[at(y - 1) * kNodes + x] + 2 * tmp[y * kNodes + x] + tmp[at(y + 1) * kNodes + x]);
  }
  auto interpolate = [&](const std::vector<float>& f, float gx, float gy) {
    const int x0 = std::clamp(int(gx), 0, kNodes - 2), y0 = std::clamp(int(gy), 0, kNodes - 2);
    const float tx = gx - x0, ty = gy - y0;
    const float* r0 = f.data() + y0 * kNodes;
    const float* r1 = r0 + kNodes;
    return (1 - ty) * ((1 - tx) * r0[x0] + tx * r0[x0 + 1]) + ty * ((1 - tx) * r1[x0] + tx * r1[x0 + 1]);
  };
  auto pixel = [&](int x, int y) { return x >= 0 && y >= 0 && x < 32 && y < 32 ? float(bitmap[y * 32 + x]) : 0.0f; };
  const int side = nn::image::warp_side(config);
  const float per_px = 4.0f / float(config.cell_pixels);  // bitmap pixels per output pixel
  std::vector<uint8_t> out(size_t(side) * side, 0);
  for (int v = 0; v < side; ++v)
    for (int u = 0; u < side; ++u) {
      const float px = (u + 0.5f) * per_px, py = (v + 0.5f) * per_px;
      const float ox = px - 24 + interpolate(fields[0], px / 4, py / 4);
      const float oy = py - 24 + interpolate(fields[1], px / 4, py / 4);
      const float bx = m00 * ox + m01 * oy + 15.5f, by = m10 * ox + m11 * oy + 15.5f;
      const int x0 = int(std::floor(bx)), y0 = int(std::floor(by));
      const float tx = bx - x0, ty = by - y0;
      const float value = (1 - ty) * ((1 - tx) * pixel(x0, y0) + tx * pixel(x0 + 1, y0)) +
                          ty * ((1 - tx) * pixel(x0, y0 + 1) + tx * pixel(x0 + 1, y0 + 1));
      if (value > level) out[v * side + u] = 255;
    }
  return out;
}

// rebuild_bitmap as it was before its ranking keys became whole numbers: float bilinear
// priorities, ties to the centre then scan order, an insertion sort of each block's 16 pixels.
nn::image::Bitmap32 reference_rebuild_bitmap(const nn::image::BlockCounts& counts) {
  auto count_at = [&](int by, int bx) {
    by = std::clamp(by, 0, 7);
    bx = std::clamp(bx, 0, 7);
    return float(std::clamp(counts[by * 8 + bx], 0, 16));
  };
  static constexpr float kCentrality[16] = {4.5f, 2.5f, 2.5f, 4.5f, 2.5f, 0.5f, 0.5f, 2.5f,
                                            2.5f, 0.5f, 0.5f, 2.5f, 4.5f, 2.5f, 2.5f, 4.5f};
  nn::image::Bitmap32 bitmap{};
  std::array<float, 16> priority;
  std::array<int, 16> order;
  for (int by = 0; by < 8; ++by)
    for (int bx = 0; bx < 8; ++bx) {
      const int k = std::clamp(counts[by * 8 + bx], 0, 16);
      for (int i = 0; i < 16; ++i) {
        const int y = by * 4 + i / 4, x = bx * 4 + i % 4;
        const float fy = (y - 1.5f) / 4.0f, fx = (x - 1.5f) / 4.0f;
        const int y0 = int(std::floor(fy)), x0 = int(std::floor(fx));
        const float ty = fy - y0, tx = fx - x0;
        priority[i] = (1 - ty) * ((1 - tx) * count_at(y0, x0) + tx * count_at(y0, x0 + 1)) +
                      ty * ((1 - tx) * count_at(y0 + 1, x0) + tx * count_at(y0 + 1, x0 + 1));
      }
      auto before = [&](int a, int b) {
        if (priority[a] != priority[b]) return priority[a] > priority[b];
        if (kCentrality[a] != kCentrality[b]) return kCentrality[a] < kCentrality[b];
        return a < b;
      };
      for (int i = 0; i < 16; ++i) {
        int j = i;
        while (j > 0 && before(i, order[j - 1])) {
          order[j] = order[j - 1];
          --j;
        }
        order[j] = i;
      }
      for (int j = 0; j < k; ++j) bitmap[(by * 4 + order[j] / 4) * 32 + bx * 4 + order[j] % 4] = 1;
    }
  return bitmap;
}

}  // namespace

TEST_CASE("bitmap32: the rebuild equals the float-ranking reference, counts equal a per-pixel count",
          "[image][augment]") {
  nn::Rng rng(8);
  for (int trial = 0; trial < 3000; ++trial) {
    nn::image::BlockCounts counts;
    // Mostly 0..16 with runs of equal neighbours (ties), sometimes out of range (clamped).
    const int spread = trial % 3 == 0 ? 3 : 17;
    for (int& c : counts) c = int(rng.uniform_int(uint32_t(spread))) * (spread == 3 ? 8 : 1);
    if (trial % 10 == 0) counts[rng.uniform_int(64)] = trial % 20 == 0 ? -5 : 40;
    const nn::image::Bitmap32 bitmap = nn::image::rebuild_bitmap(counts);
    INFO("trial " << trial);
    REQUIRE(bitmap == reference_rebuild_bitmap(counts));
    nn::image::BlockCounts per_pixel{};
    for (int i = 0; i < 1024; ++i) per_pixel[(i / 32 / 4) * 8 + (i % 32) / 4] += bitmap[i] != 0;
    REQUIRE(nn::image::count_blocks(bitmap) == per_pixel);
  }
  nn::image::Bitmap32 noise;  // any non-zero byte counts as ink
  for (auto& p : noise) p = uint8_t(rng.uniform_int(3) * 100);
  nn::image::BlockCounts per_pixel{};
  for (int i = 0; i < 1024; ++i) per_pixel[(i / 32 / 4) * 8 + (i % 32) / 4] += noise[i] != 0;
  CHECK(nn::image::count_blocks(noise) == per_pixel);
}

TEST_CASE("distance: signed field equals brute force on random rasters", "[image][distance]") {
  nn::Rng rng(21);
  nn::image::DistanceScratch scratch;
  std::vector<float> sdf;
  // Widths of every remainder by 4 (the row search runs four pixels at once), and wide thin
  // rasters whose padding columns search far.
  const int sizes[][2] = {{1, 1}, {1, 9}, {9, 1}, {7, 5}, {23, 17}, {40, 40}, {61, 6}, {6, 61}, {2, 30}, {3, 3}};
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

TEST_CASE("warp: prepare_warp holds every 2x2 block of the bitmap and its ink box", "[image][warp]") {
  nn::Rng rng(8);
  nn::image::Bitmap32 bitmap{};
  for (int y = 5; y < 29; ++y)
    for (int x = 3; x < 20; ++x) bitmap[y * 32 + x] = rng.uniform() < 0.4f ? 1 : 0;
  bitmap[5 * 32 + 3] = bitmap[28 * 32 + 19] = 1;  // the box's corners are ink
  const nn::image::WarpSource source = nn::image::prepare_warp(bitmap);
  CHECK(source.ink_x0 == 3);
  CHECK(source.ink_x1 == 19);
  CHECK(source.ink_y0 == 5);
  CHECK(source.ink_y1 == 28);
  auto pixel = [&](int x, int y) { return x >= 0 && y >= 0 && x < 32 && y < 32 ? int(bitmap[y * 32 + x]) : 0; };
  for (int y = -1; y <= 32; ++y)
    for (int x = -1; x <= 32; ++x) {
      const int expected = pixel(x, y) | pixel(x + 1, y) << 1 | pixel(x, y + 1) << 2 | pixel(x + 1, y + 1) << 3;
      INFO("block at " << x << "," << y);
      REQUIRE(int(source.blocks[(y + 1) * 34 + x + 1]) == expected);
    }
  // No ink: an empty box, and an empty raster whatever the draws.
  const nn::image::WarpSource empty = nn::image::prepare_warp(nn::image::Bitmap32{});
  CHECK(empty.ink_x1 < 0);
  nn::image::WarpScratch scratch;
  std::vector<uint8_t> out(5, 7);
  nn::image::warp_bitmap(empty, nn::image::WarpConfig{}, rng, scratch, out);
  REQUIRE(out.size() == size_t(48 * 48));
  CHECK(std::count(out.begin(), out.end(), 0) == 48 * 48);
}

// warp_bitmap maps a pixel by mixing its cell corners' bitmap points, the reference maps it
// directly: the same point up to float rounding, so only pixels whose coverage is within
// rounding of the level may differ. Measured: 0 of 2,419,200 pixels (cell_pixels 2, 4 and 8).
TEST_CASE("warp: the cell-corner map gives the per-pixel map's raster", "[image][warp]") {
  nn::Rng shapes(31);
  nn::image::Bitmap32 bitmap{};
  for (int y = 4; y < 28; ++y)
    for (int x = 8; x < 24; ++x) bitmap[y * 32 + x] = (x - 16) * (x - 16) + (y - 16) * (y - 16) < 100 ? 1 : 0;
  for (int y = 10; y < 22; ++y)
    for (int x = 13; x < 19; ++x) bitmap[y * 32 + x] = shapes.uniform() < 0.3f ? 1 : 0;  // a ragged ring
  nn::image::WarpScratch scratch;
  std::vector<uint8_t> out;
  long differ = 0, pixels = 0;
  for (const int cell_pixels : {2, 4, 8}) {
    nn::image::WarpConfig config;
    config.cell_pixels = cell_pixels;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
      nn::Rng a(seed), b(seed);
      nn::image::warp_bitmap(bitmap, config, a, scratch, out);
      const std::vector<uint8_t> expected = reference_warp(bitmap, config, b);
      REQUIRE(out.size() == expected.size());
      for (size_t i = 0; i < out.size(); ++i) differ += out[i] != expected[i];
      pixels += long(out.size());
      CHECK(a.next_u32() == b.next_u32());  // the same draws, in the same order
    }
  }
  INFO(differ << " of " << pixels << " pixels differ");
  CHECK(differ <= pixels / 100000);
  nn::image::WarpConfig odd;
  for (const int cell_pixels : {0, 1, 3, 6, 20, -4}) {
    odd.cell_pixels = cell_pixels;
    nn::Rng rng(1), fresh(1);
    CHECK_THROWS_WITH(nn::image::warp_bitmap(bitmap, odd, rng, scratch, out), Catch::Contains("cell_pixels"));
    CHECK(rng.next_u32() == fresh.next_u32());  // refused before any draw
  }
}
