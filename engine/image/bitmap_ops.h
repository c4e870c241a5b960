// Whole-bitmap edits of a 32x32 digit bitmap, for asking how a model's confidence changes as
// its input is moved, turned or drawn bolder: shifts, rotations about the box's centre, and
// strokes grown or shrunk pixel by pixel. Deterministic and exact pixel work.
#pragma once

#include "engine/image/bitmap32.h"

namespace nn::image {

// Moved dx pixels right and dy down; what leaves the box is lost.
Bitmap32 shift_bitmap(const Bitmap32& bitmap, int dx, int dy);
// Turned `degrees` clockwise (on screen, y down) about the box's centre: each pixel takes
// the source pixel nearest to where the inverse rotation puts its centre.
Bitmap32 rotate_bitmap(const Bitmap32& bitmap, float degrees);
// steps > 0: every stroke grown by `steps` pixels (dilated by a 3x3 cross, steps times);
// steps < 0: shrunk (eroded) as much; 0: unchanged.
Bitmap32 grow_bitmap(const Bitmap32& bitmap, int steps);

}  // namespace nn::image
