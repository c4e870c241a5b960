// Rasterising drawings without a browser: round-capped pen strokes painted anti-aliased onto
// an ink raster (the way a canvas draws the page's brush), and a dataset digit drawn as a
// canvas raster would arrive. Used by the handwriting tool's synthetic strokes and the tests.
#pragma once

#include <cstdint>
#include <vector>

namespace nn::image {

struct PenPoint {
  float x, y;
};

// Paints the polyline `points` with a round pen of diameter `width` onto ink (w x h,
// 0 = background .. 255 = ink); overlapping strokes keep the darker value.
void paint_stroke(std::vector<uint8_t>& ink, int w, int h, const std::vector<PenPoint>& points, float width);

// Clears `canvas` (side x side) and draws a dataset digit (64 features in [0, 1]) on it: its
// exact 32x32 bitmap (rebuild_bitmap), enlarged `scale` times (nearest neighbour), with its
// top-left corner at (left, top). Throws nn::Error if the enlarged digit does not fit.
void draw_dataset_digit(const float* features, std::vector<uint8_t>& canvas, int side, int scale, int left,
                        int top);

}  // namespace nn::image
