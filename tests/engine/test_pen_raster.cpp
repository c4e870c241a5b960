// The engine's pen rasteriser: a stroke's coverage by hand, and rasters that do not fit are
// errors that name the sizes.
#include <catch2/catch.hpp>

#include "engine/error.h"
#include "engine/image/pen_raster.h"

using namespace nn;

TEST_CASE("pen raster: a round pen covers its disc, anti-aliased at the rim", "[pen_raster]") {
  std::vector<uint8_t> ink(20 * 20, 0);
  image::paint_stroke(ink, 20, 20, {{10.0f, 10.0f}}, 6.0f);  // one dab: radius 3 at (10, 10)
  CHECK(ink[9 * 20 + 9] == 255);          // pixel centre (9.5, 9.5): well inside
  CHECK(ink[10 * 20 + 16] == 0);          // centre (16.5, 10.5): 6.5 away
  // Cover is radius + 0.5 minus the distance of the pixel centre, clamped to 0..1.
  CHECK(int(ink[10 * 20 + 12]) == 242);   // centre (12.5, 10.5): 2.550 away, cover 0.950
  CHECK(int(ink[11 * 20 + 12]) == 149);   // centre (12.5, 11.5): 2.915 away, cover 0.585
  CHECK(int(ink[10 * 20 + 13]) == 0);     // centre (13.5, 10.5): 3.536 away
}

TEST_CASE("pen raster: rasters that do not fit are errors", "[pen_raster]") {
  std::vector<uint8_t> ink(10 * 10, 0);
  CHECK_THROWS_WITH(image::paint_stroke(ink, 10, 11, {{1, 1}}, 2), Catch::Contains("100 pixels, expected 10x11"));
  std::vector<float> features(64, 0.5f);
  std::vector<uint8_t> canvas;
  CHECK_THROWS_WITH(image::draw_dataset_digit(features.data(), canvas, 280, 8, 30, 0),
                    Catch::Contains("256 px wide at (30, 0) does not fit a 280 px canvas"));
  image::draw_dataset_digit(features.data(), canvas, 280, 8, 24, 24);
  CHECK(canvas.size() == 280u * 280u);
}
