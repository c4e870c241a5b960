// augment_dataset: rebuild each 8x8 as an exact-count 32x32 bitmap, warp it (image/warp.h) and
// read it back through preprocess_drawing, the drawing path itself. Row order: the N
// originals, then copy 1 of every image, copy 2, ... (labels follow their image).
#include "engine/augment.h"

#include <cmath>
#include <string>

#include "engine/error.h"
#include "engine/image/bitmap32.h"
#include "engine/image/warp.h"
#include "engine/preprocess.h"

namespace nn {

constexpr int kMaxCopies = 100;
// One round of the thickness search instead of a drawing's 4, its growth scaled up toward the
// fixed point: on warped digits that lands 0.06 px from the 4 rounds' growth on average (one
// plain round: 0.15 px, coverage 29.5% instead of 30%), and the copies are random anyway
// (tools/handwriting/README.md, "Making augmentation faster", measures both).
constexpr int kAugmentThicknessRounds = 1;
constexpr float kAugmentLastRoundGain = 1.3f;
// The warp renders at half resolution (24x24, one sample per 2x2 bitmap pixels): the
// rebuilt strokes are 3-4 px wide, preprocess_drawing resamples them from a distance field
// anyway, and its crop, field and searches then have a quarter of the pixels
// (tools/handwriting/README.md, "Making augmentation faster").
constexpr int kAugmentCellPixels = 2;
// No room beyond preprocess_drawing's 3 px around the crop: growth at this size stays under
// the 2 px cap that leaves (test_augment.cpp checks the output is the same with 0.15).
constexpr float kAugmentPadShare = 0.0f;
// The thickness round ranks a checkerboard of the box: 9% faster in wasm, the handwriting
// measures the same within their seed-to-seed spread (tools/handwriting/README.md).
constexpr bool kAugmentCoarseRound = true;

namespace {

// Reused between calls (grow-only), so distorting allocates nothing once warm.
struct AugmentScratch {
  std::vector<image::BlockCounts> counts;  // (N) the counts each cached bitmap was built from
  std::vector<image::WarpSource> sources;  // (N) rebuilt 32x32 bitmap of image i, ready to warp
  std::vector<uint8_t> cached;             // (N) 1 once sources[i] holds a rebuild
  image::WarpScratch warp;
  std::vector<uint8_t> raster;             // (24, 24) the warped ink
};

AugmentScratch& augment_scratch() {
  thread_local AugmentScratch s;
  return s;
}

}  // namespace

Dataset augment_dataset(const Dataset& data, int copies, Rng& rng) {
  return augment_dataset(data, copies, rng, PreprocessOptions{});
}

Dataset augment_dataset(const Dataset& data, int copies, Rng& rng, const PreprocessOptions& options) {
  Dataset out;
  augment_begin(data, copies, out);
  augment_rows(data, 0, Index(copies) * data.size(), rng, out, options);
  return out;
}

void augment_begin(const Dataset& data, int copies, Dataset& out) {
  if (copies < 0 || copies > kMaxCopies)
    throw Error("augment_dataset: copies " + std::to_string(copies) + " must be within 0.." +
                std::to_string(kMaxCopies));
  if (data.x.cols() != kDigitFeatures)
    throw Error("augment_dataset: images have " + std::to_string(data.x.cols()) +
                " features, expected 64 (8x8)");
  if (Index(data.y.size()) != data.x.rows())
    throw Error("augment_dataset: " + std::to_string(data.x.rows()) + " images but " +
                std::to_string(data.y.size()) + " labels");
  const Index n = data.size();
  out.x.resize(n * (copies + 1), kDigitFeatures);
  out.y.assign(size_t(n) * (copies + 1), 0);
  out.x.topRows(n) = data.x;
  for (Index i = 0; i < n; ++i) out.y[i] = data.y[i];
}

void augment_rows(const Dataset& data, Index begin, Index end, Rng& rng, Dataset& out,
                  const PreprocessOptions& options) {
  const Index n = data.size();
  if (n == 0 || begin < 0 || begin > end || n + end > out.size())
    throw Error("augment_rows: rows " + std::to_string(begin) + ".." + std::to_string(end) +
                " do not fit an output of " + std::to_string(out.size()) + " rows for " +
                std::to_string(n) + " images (call augment_begin first)");
  image::WarpConfig config;
  config.cell_pixels = kAugmentCellPixels;
  PreprocessOptions cheap = options;
  cheap.thickness_rounds = kAugmentThicknessRounds;
  cheap.last_round_gain = kAugmentLastRoundGain;
  cheap.pad_share = kAugmentPadShare;
  cheap.coarse_first_round = kAugmentCoarseRound;
  AugmentScratch& s = augment_scratch();
  if (s.sources.size() < size_t(n)) {
    s.sources.resize(n);
    s.counts.resize(n);
    s.cached.resize(n, 0);
  }
  const int side = image::warp_side(config);
  for (Index k = begin; k < end; ++k) {
    const Index i = k % n;
    const Index row = n + k;
    image::BlockCounts counts;
    for (int f = 0; f < kDigitFeatures; ++f) counts[f] = int(std::lround(data.x(i, f) * 16.0f));
    // Every copy of image i starts from the same bitmap: rebuild it once, and trust the
    // cache only while the counts match (the next call may bring another dataset).
    if (!s.cached[i] || s.counts[i] != counts) {
      s.sources[i] = image::prepare_warp(image::rebuild_bitmap(counts));
      s.counts[i] = counts;
      s.cached[i] = 1;
    }
    image::warp_bitmap(s.sources[i], config, rng, s.warp, s.raster);
    const Preprocessed p = preprocess_drawing(s.raster.data(), side, side, cheap);
    if (p.blank) {
      out.x.row(row) = data.x.row(i);  // an (almost) empty image stays itself
    } else {
      for (int f = 0; f < kDigitFeatures; ++f) out.x(row, f) = p.features[f];
    }
    out.y[row] = data.y[i];
  }
}

}  // namespace nn
