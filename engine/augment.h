// Training-data augmentation: each digit is rebuilt as a 32x32 bitmap whose 4x4 block counts
// match its 8x8 exactly, distorted there (affine: shift, scale, rotation, shear; elastic;
// stroke thickness), then put through preprocess_drawing like a drawing, so the network
// learns from inputs in the same style as what people draw. Seeded by the caller's Rng.
#pragma once

#include "engine/dataset.h"
#include "engine/preprocess.h"
#include "engine/rng.h"

namespace nn {

// The originals followed by `copies` distorted versions of every image (labels kept).
Dataset augment_dataset(const Dataset& data, int copies, Rng& rng);
// The same with a preprocessing variant (for measuring; the product uses the defaults).
Dataset augment_dataset(const Dataset& data, int copies, Rng& rng, const PreprocessOptions& options);

}  // namespace nn
