// The digits dataset's own geometry: a 32x32 binary bitmap cut into 8x8 blocks of 4x4
// pixels, each block's on-pixels counted (0..16). Converts both ways: counting a bitmap,
// and rebuilding a plausible bitmap whose block counts match an 8x8 image exactly.
#pragma once

#include <array>
#include <cstdint>

namespace nn::image {

constexpr int kBitmapSide = 32;
constexpr int kBlockSide = 4;
using Bitmap32 = std::array<uint8_t, kBitmapSide * kBitmapSide>;  // (32, 32), 0 or 1
using BlockCounts = std::array<int, 64>;                           // (8, 8), 0..16

BlockCounts count_blocks(const Bitmap32& bitmap);

// counts: 64 values 0..16 (clamped). In each block the k on-pixels are the k with the
// highest smooth (bilinear) upsampling of the 8x8 image, so strokes run on smoothly across
// block borders instead of looking like noise.
Bitmap32 rebuild_bitmap(const BlockCounts& counts);

}  // namespace nn::image
