// The measures a default model is judged on, each a labelled set of 8x8 features read
// through the page's preprocessing:
//   random   the engine's stratified test split (shares writers with training: easy);
//   writers  held-out writers: digits.bin is in writer order, so contiguous blocks of it are
//            other people (fold k of 5 trains on the other four blocks);
//   fonts    held-out font families: font-digits.bin lists faces family by family in name
//            order, so contiguous blocks of faces are other families (fold k of 5);
//   pen      the synthetic pen-stroke set (strokes.h), seed 7;
//   hard     the hard pen-stroke set (strokes.h, hard styles and ranges), seed 11.
#pragma once

#include <string>
#include <vector>

#include "engine/dataset.h"
#include "recipe.h"

namespace handwriting {

constexpr int kFolds = 5;
constexpr int kDigitsPerFace = 10;

// Fold k of kFolds: the contiguous block k of the rows as test, the rest as train. For the
// fonts the blocks are cut at face boundaries (kDigitsPerFace rows each).
struct Fold {
  nn::Dataset train, test;
};
Fold contiguous_fold(const nn::Dataset& data, int k, int unit = 1);

// A pen-stroke set (per_class digits of every class, seed) drawn and preprocessed; parity 0
// or 1 keeps only the shapes (styles) of that parity, -1 all.
nn::Dataset pen_set(int per_class, uint64_t seed, bool hard, int parity = -1);

// Trains the recipe on the random split and on the first `folds` writer/font folds and
// prints each measure with and without the recipe's test-time variants, for every prefix of
// the members (an ensemble of the first 1, 2, ... members), with the cost of training.
void report(const Recipe& r, int folds);

}  // namespace handwriting
