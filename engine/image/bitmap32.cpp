// Block counting and exact-count bitmap reconstruction (see bitmap32.h).
#include "engine/image/bitmap32.h"

#include <algorithm>
#include <cmath>

namespace nn::image {

BlockCounts count_blocks(const Bitmap32& bitmap) {
  BlockCounts counts{};
  for (int y = 0; y < kBitmapSide; ++y)
    for (int x = 0; x < kBitmapSide; ++x)
      counts[(y / kBlockSide) * 8 + x / kBlockSide] += bitmap[y * kBitmapSide + x] ? 1 : 0;
  return counts;
}

Bitmap32 rebuild_bitmap(const BlockCounts& counts) {
  auto count_at = [&](int by, int bx) {
    by = std::clamp(by, 0, 7);
    bx = std::clamp(bx, 0, 7);
    return float(std::clamp(counts[by * 8 + bx], 0, 16));
  };
  // Distance of each block pixel from the block's centre, squared: ties go to the centre.
  static constexpr float kCentrality[16] = {4.5f, 2.5f, 2.5f, 4.5f, 2.5f, 0.5f, 0.5f, 2.5f,
                                            2.5f, 0.5f, 0.5f, 2.5f, 4.5f, 2.5f, 2.5f, 4.5f};
  Bitmap32 bitmap{};
  std::array<float, 16> priority;
  std::array<int, 16> order;
  for (int by = 0; by < 8; ++by) {
    for (int bx = 0; bx < 8; ++bx) {
      const int k = std::clamp(counts[by * 8 + bx], 0, 16);
      if (k == 0) continue;  // empty and full blocks need no ranking (most blocks are one of them)
      if (k == 16) {
        for (int i = 0; i < 16; ++i) bitmap[(by * 4 + i / 4) * kBitmapSide + bx * 4 + i % 4] = 1;
        continue;
      }
      for (int i = 0; i < 16; ++i) {
        const int y = by * 4 + i / 4, x = bx * 4 + i % 4;
        // Block centres sit at 4*b + 1.5; interpolate the counts between them.
        const float fy = (y - 1.5f) / 4.0f, fx = (x - 1.5f) / 4.0f;
        const int y0 = int(std::floor(fy)), x0 = int(std::floor(fx));
        const float ty = fy - y0, tx = fx - x0;
        priority[i] = (1 - ty) * ((1 - tx) * count_at(y0, x0) + tx * count_at(y0, x0 + 1)) +
                      ty * ((1 - tx) * count_at(y0 + 1, x0) + tx * count_at(y0 + 1, x0 + 1));
      }
      // Highest priority first; ties favour the block's centre, then scan order: a total
      // order, so a plain insertion sort of the 16 pixels is deterministic.
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
      for (int j = 0; j < k; ++j) {
        const int i = order[j];
        bitmap[(by * 4 + i / 4) * kBitmapSide + bx * 4 + i % 4] = 1;
      }
    }
  }
  return bitmap;
}

}  // namespace nn::image
