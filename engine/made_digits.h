// The digits the project makes beside the dataset's own, which join a run's training part
// only: renderings of the digits in font faces (data/font-digits.bin) and synthetic pen-stroke
// digits drawn on a canvas and read through the drawing preprocessing (data/stroke-digits.bin).
// Distorted alike (font_digit_copies); validation and test stay the dataset's handwriting.
#pragma once

#include "engine/dataset.h"
#include "engine/settings.h"

namespace nn {

// The font digits when settings.font_digits is on, then the stroke digits when
// settings.stroke_digits is on. Throws nn::Error, naming `who` and the file, when a set that
// is on is empty (not loaded).
Dataset made_digits(const Settings& settings, const Dataset& font_digits, const Dataset& stroke_digits,
                    const char* who);

}  // namespace nn
