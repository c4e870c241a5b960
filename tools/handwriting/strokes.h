// Synthetic handwriting: pen-stroke generators for the ten digits in several writing styles
// (open/closed 4, crossed 7, looped 2, serif 1, ...), placed on a 280x280 canvas at random
// size, position, slant and rotation, with smooth wobble. An independent test set for the
// drawing pipeline: nothing here comes from the digits dataset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/rng.h"

namespace handwriting {

constexpr int kCanvas = 280;

struct Point {
  float x, y;
};
using Stroke = std::vector<Point>;

struct Digit {
  int label = 0;
  int style = 0;
  float pen_width = 16;
  std::vector<Stroke> strokes;  // canvas coordinates
};

int style_count(int label, bool hard = false);
// A random digit of `label` (a random style) on the canvas. hard: also the shapes strangers
// write that the dataset rarely shows (looped and Z-like 2s, 9s with an open top, 4s closed
// at the top, 6s with small loops, 7s with serif and bar), very thin and very thick pens,
// small and off-centre drawings, strong slants both ways.
Digit make_digit(int label, nn::Rng& rng, bool hard = false);
// Canvas-like rendering: round caps and joins, anti-aliased; 0 background .. 255 ink.
std::vector<uint8_t> render(const Digit& digit);
// [{"label": 3, "strokes": [[[x, y], ...], ...]}, ...]
std::string to_json(const std::vector<Digit>& digits);

}  // namespace handwriting
