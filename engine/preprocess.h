// Drawing preprocessing: a grayscale raster of any size becomes the 64 features of the
// digits dataset's own style (tools/handwriting/README.md measures each step): crop to the ink, deskew,
// normalise the stroke thickness, fit the full height of a 32x32 box with a capped width,
// centre, count the ink of each 4x4 block (0..16) and scale to [0, 1].
// Ink is LIGHT: 0 = background, 255 = full ink (ink_from_rgba converts canvas pixels).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/dataset.h"

namespace nn {

struct Preprocessed {
  bool blank = true;                           // no (or too little) ink: do not classify
  std::array<float, kDigitFeatures> features;  // 8x8 row-major in [0, 1]
};

// The pipeline's tunable steps; the defaults are the product's (measured in
// tools/handwriting). Variants exist to measure what each step is worth.
struct PreprocessOptions {
  bool deskew = true;              // shear the slant away (second moments of the ink)
  float target_coverage = 0.30f;   // grow/shrink strokes to this share of the 32x32 box; <= 0: off
  bool fill_height = true;         // full height of the box; false: keep the aspect ratio
  float width_cap = 22.0f;         // widest a digit may be, in pixels of the 32x32 box
  // Rounds of the thickness step's search for the growth (1..16): each samples the box and
  // ranks its field values. Drawings take 4; augmentation 1 (augment.cpp: its copies are
  // random anyway, and the rounds were a third of its time).
  int thickness_rounds = 4;
  // The last round's growth is multiplied by this (0.5..2): each round closes about 3/4 of
  // the gap to the fixed point from below, so a single round reaches it better at 1.3.
  float last_round_gain = 1.0f;
  // Room left empty around the crop for strokes to grow, as a share of its longer side
  // (0..1), plus 3 px; the growth is capped 1 px short of it. Augmentation takes 0: its
  // 24x24 copies never grow by 2 px, so the output is the same, on fewer pixels.
  float pad_share = 0.15f;
  // The first round samples and ranks half the box, a checkerboard of its pixels: half that
  // round's work, for a growth 0.02 px from the whole box's on average (augment.cpp takes
  // it; a quarter, the centres of 2x2 blocks, was 0.06 px off with 5x the outliers).
  bool coarse_first_round = false;
};

// The largest raster side preprocessing takes (a canvas is a few hundred pixels).
constexpr int kMaxDrawingSide = 4096;

// ink: width*height values, row-major, 0 = background .. 255 = ink.
// Throws nn::Error for a size outside 1..kMaxDrawingSide or a null raster.
Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height);
Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height,
                                const PreprocessOptions& options);

// One step of the pipeline as a small gray image, for showing how a drawing becomes 8x8.
struct PreprocessStage {
  std::string name;           // "ink", "crop", "deskewed", "thickness", "box", "blocks"
  int width = 0, height = 0;
  std::vector<float> pixels;  // (height, width) row-major, 0 = background .. 1 = ink
};

// preprocess_drawing's result with the images of its steps, made by the same code path:
// `result` is exactly what preprocess_drawing returns for the same raster and options.
struct PreprocessTrace {
  Preprocessed result;
  // ink: the whole raster area-averaged to at most kStageSide a side; crop: the binary
  // working raster around the ink; deskewed: it with the slant sheared away; thickness: the
  // deskewed strokes grown or shrunk to the target coverage; box: the 32x32 bitmap; blocks:
  // the 8x8 features (block counts / 16). A blank raster has the ink stage only.
  std::vector<PreprocessStage> stages;
  // The ink's bounding box in raster pixels (inclusive); x1 < x0 when there is no ink.
  int ink_x0 = 0, ink_y0 = 0, ink_x1 = -1, ink_y1 = -1;
  float shear = 0;   // x shift per row of the deskew
  float growth = 0;  // how far strokes were grown (< 0: shrunk), in working-raster pixels
};
constexpr int kStageSide = 64;

PreprocessTrace trace_preprocess(const uint8_t* ink, int width, int height,
                                 const PreprocessOptions& options = PreprocessOptions{});

// The naive alternative to the pipeline: a plain area average of the whole raster to 8x8,
// in the dataset's range (a block fully inked is 16, returned as features / 16 in [0, 1]).
std::array<float, kDigitFeatures> naive_downscale(const uint8_t* ink, int width, int height);

// Canvas RGBA (width*height*4) -> ink raster: dark, opaque strokes on a transparent or
// light background become ink.
std::vector<uint8_t> ink_from_rgba(const uint8_t* rgba, int width, int height);

}  // namespace nn
