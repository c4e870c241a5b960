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

Dataset augment_dataset(const Dataset& data, int copies, Rng& rng) {
  return augment_dataset(data, copies, rng, PreprocessOptions{});
}

Dataset augment_dataset(const Dataset& data, int copies, Rng& rng, const PreprocessOptions& options) {
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
  Dataset out;
  out.x.resize(n * (copies + 1), kDigitFeatures);
  out.y.resize(size_t(n) * (copies + 1));
  out.x.topRows(n) = data.x;
  for (Index i = 0; i < n; ++i) out.y[i] = data.y[i];

  const image::WarpConfig config;
  image::WarpScratch scratch;
  std::vector<uint8_t> raster;
  const int side = image::kWarpCanvas * config.upsample;
  for (Index i = 0; i < n; ++i) {
    image::BlockCounts counts;
    for (int f = 0; f < kDigitFeatures; ++f) counts[f] = int(std::lround(data.x(i, f) * 16.0f));
    const image::Bitmap32 bitmap = image::rebuild_bitmap(counts);
    for (int c = 1; c <= copies; ++c) {
      const Index row = c * n + i;
      image::warp_bitmap(bitmap, config, rng, scratch, raster);
      const Preprocessed p = preprocess_drawing(raster.data(), side, side, options);
      if (p.blank) {
        out.x.row(row) = data.x.row(i);  // an (almost) empty image stays itself
      } else {
        for (int f = 0; f < kDigitFeatures; ++f) out.x(row, f) = p.features[f];
      }
      out.y[row] = data.y[i];
    }
  }
  return out;
}

}  // namespace nn
