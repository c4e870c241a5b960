// A person's own drawings, taught on the page: their 8x8 features (as the engine's
// preprocessing made them) and the digit the person meant. A fixed part of them is held
// out, never trained on, so any model gets an honest "your handwriting" score. Which part
// is decided by each drawing's features alone (a CRC-32 of them), so the same drawing is
// always on the same side: adding, importing or deleting other drawings never moves it.
#pragma once

#include "engine/dataset.h"

namespace nn {

// One drawing in kHeldOutEvery is held out (on average: the CRC decides, not the order).
constexpr int kHeldOutEvery = 5;
// The most drawings a personal set may hold (the page's file format says the same).
constexpr Index kMaxPersonalDrawings = 5000;

// features: 64 values in [0, 1]. True when this drawing belongs to the held-out part.
bool personal_held_out(const float* features);

struct PersonalSplit {
  Dataset train, held_out;
};

// Throws nn::Error when the set is not (N, 64) features in [0, 1] with labels 0..9, or
// holds more than kMaxPersonalDrawings drawings.
void check_personal_set(const Dataset& personal);
// The set's drawings split by personal_held_out, each part in the set's order.
PersonalSplit split_personal(const Dataset& personal);

}  // namespace nn
