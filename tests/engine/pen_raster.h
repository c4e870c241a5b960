// Test helpers for the drawing pipeline: the engine's pen rasteriser (engine/image/pen_raster.h)
// under the names the tests use, and the shipped digits dataset.
#pragma once

#include <string>

#include "cli/files.h"
#include "engine/digits_file.h"
#include "engine/image/pen_raster.h"

namespace nn::test {

using image::PenPoint;
using image::paint_stroke;
using image::draw_dataset_digit;

inline Dataset load_shipped_digits() {
  return cli::read_digits_file(std::string(DIGITLAB_SOURCE_DIR) + "/data/digits.bin");
}

}  // namespace nn::test
