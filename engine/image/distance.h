// Signed Euclidean distance field of a binary raster (Felzenszwalb & Huttenlocher, "Distance
// Transforms of Sampled Functions", 2012): negative inside the ink, positive outside, zero
// on the ink's edge. Thresholding it at r grows (r > 0) or shrinks (r < 0) strokes by r px,
// which is how preprocessing normalises stroke thickness. No allocation once warm.
// Every value is the exact nearest distance (a square root of a whole number), so any way
// of computing it gives the same bits.
#pragma once

#include <cstdint>
#include <vector>

namespace nn::image {

// Scratch space reused between calls (grow-only).
struct DistanceScratch {
  std::vector<int> out_col, in_col;  // (H, W) vertical distances to the ink / to the background
  std::vector<float> sq;             // (pad, W, pad) one row's squared column distances, far padding
  std::vector<float> best;           // (W + 4) one row's squared distances
  int ink_columns = 0;               // how many columns have ink
  int background_columns = 0;        // how many columns have background
  std::vector<uint8_t> row_done;     // (H) 1 once the row's background values are in the field
  const uint8_t* ink = nullptr;
  int width = 0, height = 0;
  // Padding of `sq` either side: a search reaches w - 1 columns past a group of four pixels.
  static int pad_of(int width) { return width + 4; }
};

// ink: (H, W) row-major, non-zero = ink. sdf: (H, W) written, in pixels. Returns the
// field's minimum (the deepest ink pixel; 9999.5, "far", when there is no ink).
float signed_distance(const uint8_t* ink, int width, int height, DistanceScratch& scratch,
                      std::vector<float>& sdf);

// The same field on demand, for readers that need only some rows: signed_distance_begin
// writes the ink pixels' values of every row and returns the minimum; signed_distance_row
// then fills row y's background values the first time it is asked for y and returns the
// row. `ink` must stay alive and unchanged in between.
float signed_distance_begin(const uint8_t* ink, int width, int height, DistanceScratch& scratch,
                            std::vector<float>& sdf);
const float* signed_distance_row(int y, DistanceScratch& scratch, std::vector<float>& sdf);

}  // namespace nn::image
