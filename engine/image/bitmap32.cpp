// Block counting and exact-count bitmap reconstruction (see bitmap32.h).
#include "engine/image/bitmap32.h"

#include <algorithm>

namespace nn::image {

BlockCounts count_blocks(const Bitmap32& bitmap) {
  BlockCounts counts{};
  for (int y = 0; y < kBitmapSide; ++y) {
    const uint8_t* row = bitmap.data() + y * kBitmapSide;
    int* block_row = counts.data() + (y / kBlockSide) * 8;
    for (int bx = 0; bx < 8; ++bx) {
      const uint8_t* p = row + bx * kBlockSide;
      block_row[bx] += (p[0] != 0) + (p[1] != 0) + (p[2] != 0) + (p[3] != 0);
    }
  }
  return counts;
}

Bitmap32 rebuild_bitmap(const BlockCounts& counts) {
  auto count_at = [&](int by, int bx) {
    by = std::clamp(by, 0, 7);
    bx = std::clamp(bx, 0, 7);
    return std::clamp(counts[by * 8 + bx], 0, 16);
  };
  // A pixel's priority is the bilinear upsampling of the counts between the block centres
  // (at 4*b + 1.5). Pixel row iy of a block lies between block rows b - 1 and b (iy < 2) or
  // b and b + 1, at a weight of kWeight[iy] / 8 for the lower one; the same for columns.
  // With whole counts and weights in eighths every float product and sum of the bilinear
  // formula is exact, so 64 * priority is exactly this whole number and orders the same.
  static constexpr int kWeight[4] = {5, 7, 1, 3};
  // Ties go to the block's centre (its squared distance from the centre, ranked), then scan order.
  static constexpr int kCentrality[16] = {2, 1, 1, 2, 1, 0, 0, 1, 1, 0, 0, 1, 2, 1, 1, 2};
  Bitmap32 bitmap{};
  for (int by = 0; by < 8; ++by) {
    for (int bx = 0; bx < 8; ++bx) {
      const int k = std::clamp(counts[by * 8 + bx], 0, 16);
      if (k == 0) continue;  // empty and full blocks need no ranking (most blocks are one of them)
      if (k == 16) {
        for (int i = 0; i < 16; ++i) bitmap[(by * 4 + i / 4) * kBitmapSide + bx * 4 + i % 4] = 1;
        continue;
      }
      int near[3][3];  // the counts of the block and its neighbours (clamped at the edges)
      for (int dy = 0; dy < 3; ++dy)
        for (int dx = 0; dx < 3; ++dx) near[dy][dx] = count_at(by + dy - 1, bx + dx - 1);
      // One key per pixel, smaller first: highest priority, then centrality, then index.
      int key[16];
      for (int i = 0; i < 16; ++i) {
        const int iy = i / 4, ix = i % 4, r = iy < 2 ? 0 : 1, c = ix < 2 ? 0 : 1;
        const int wy = kWeight[iy], wx = kWeight[ix];
        const int priority = (8 - wy) * ((8 - wx) * near[r][c] + wx * near[r][c + 1]) +
                             wy * ((8 - wx) * near[r + 1][c] + wx * near[r + 1][c + 1]);  // 0..1024
        key[i] = ((1024 - priority) << 6) | (kCentrality[i] << 4) | i;
      }
      // The k pixels with the smallest keys (all keys differ): those with fewer than k below.
      for (int i = 0; i < 16; ++i) {
        int below = 0;
        for (int j = 0; j < 16; ++j) below += key[j] < key[i];
        if (below < k) bitmap[(by * 4 + i / 4) * kBitmapSide + bx * 4 + i % 4] = 1;
      }
    }
  }
  return bitmap;
}

}  // namespace nn::image
