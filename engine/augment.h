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

// The same work in pieces, so a caller can spread it over time (the trainer does, to keep
// a UI responsive): augment_begin sizes `out` and copies the originals in; augment_rows then
// fills distorted rows [begin, end) of the copies, counted from 0 to copies * N (copy-major:
// row k is copy k / N + 1 of image k % N). Filling all rows in order, in one call or many,
// gives exactly augment_dataset's result for the same rng. Rows after the copies, if `out`
// has been given more (the trainer appends its undistorted samples there), are left alone.
void augment_begin(const Dataset& data, int copies, Dataset& out);
void augment_rows(const Dataset& data, Index begin, Index end, Rng& rng, Dataset& out,
                  const PreprocessOptions& options = {});

}  // namespace nn
