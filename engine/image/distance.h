// Signed Euclidean distance field of a binary raster (Felzenszwalb & Huttenlocher, "Distance
// Transforms of Sampled Functions", 2012): negative inside the ink, positive outside, zero
// on the ink's edge. Thresholding it at r grows (r > 0) or shrinks (r < 0) strokes by r px,
// which is how preprocessing normalises stroke thickness. No allocation once warm.
#pragma once

#include <cstdint>
#include <vector>

namespace nn::image {

// Scratch space reused between calls (grow-only).
struct DistanceScratch {
  std::vector<int> out_col, in_col;  // (H, W) vertical distances to the ink / to the background
  std::vector<float> f, d, z, in_sq;  // (W) one row's lower envelope and squared column distances
  std::vector<int> v;
};

// ink: (H, W) row-major, non-zero = ink. sdf: (H, W) written, in pixels.
void signed_distance(const uint8_t* ink, int width, int height, DistanceScratch& scratch,
                     std::vector<float>& sdf);

}  // namespace nn::image
