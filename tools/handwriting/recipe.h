// A training recipe for the default model (or ensemble) and its cost: which architectures,
// how many distorted copies of the dataset's digits, how the font digits join (not at all,
// as they are, or distorted like the digits), epochs, learning rate, and the test-time input
// variants. train_recipe builds the ensemble from a training part, as the page would.
#pragma once

#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/ensemble.h"
#include "engine/settings.h"

namespace handwriting {

struct Recipe {
  std::vector<std::string> members{"mlp"};  // presets, one member each
  std::vector<int> member_epochs;           // per member; 0 (or missing): `epochs`
  int copies = 6;                           // distorted copies of every training digit
  int font_copies = 0;                      // distorted copies of every font digit (0: as they are)
  bool fonts = true;                        // font digits join the training data
  std::string weak;                         // classes ("2469") given weak_copies more copies
  int weak_copies = 0;                      // of their training digits and font digits
  int epochs = 10;
  float lr = 0.008f;
  std::string schedule = "cosine";
  int batch = 32;
  std::string variants = "identity";  // test-time variants (preprocess_variants.h)
  uint64_t seed = 1;
  // The stroke digits are data/stroke-digits.bin; page members train on them when their
  // settings say so (stroke_digits). strokes=N instead draws N of each class afresh (strokes.h,
  // a seed of the recipe's, never a measure's), stroke_style=hard with the hard styles and
  // ranges, stroke_styles=even|odd only those shapes; with members= they join the font digits.
  int strokes = 0;
  bool stroke_hard = false;
  int stroke_parity = -1;  // stroke_styles=even|odd: only those shapes (-1: all)
  // page=0,1,2: instead of the fields above, members of the page's first-visit default
  // (nn::default_ensemble(), by index, in the order given), each trained as the page trains
  // it: its own settings and its own distorted copies. memberN.setting=value changes the
  // settings of the Nth member listed (a name of the settings schema, e.g. member1.epochs=4).
  std::vector<nn::Settings> page;
};

// key=value arguments (page=0,1,2 memberN.setting=value, or members=mlp,cnn:4 copies=15 (name:epochs gives a member its own epochs) font_copies=15 fonts=0 epochs=8 lr=0.008
// schedule=cosine batch=32 weak=2469 weak_copies=8 tta=identity,left,right/identity,thick,thin seed=1: each /-list is measured); throws nn::Error on an unknown key.
Recipe parse_recipe(const std::vector<std::string>& args);
std::string describe(const Recipe& r);

struct MemberCost {
  std::string name;
  long samples = 0;
  double seconds = 0;  // native CPU time
};
struct Cost {
  long distortions = 0;      // distorted images made (shared by the members)
  long samples_trained = 0;  // summed over members
  double seconds = 0;        // native CPU time of the whole training
  std::vector<MemberCost> members;
  // Serial wasm time: distortions at kWasmDistortionsPerSec; mlp and cnn members at their
  // measured wasm rates in Chromium (README benchmark table), others at half their native
  // CPU rate here (wasm runs at about 0.5x native; a shared machine makes that pessimistic).
  double wasm_seconds() const;
};
constexpr double kWasmDistortionsPerSec = 40000;
constexpr double kWasmMlpSamplesPerSec = 650000, kWasmCnnSamplesPerSec = 37700;

// The members trained on digits (+ fonts) with the recipe; every member sees the same
// distorted set (made once), with its own initialisation and shuffling seed.
nn::Ensemble train_recipe(const Recipe& r, const nn::Dataset& digits, const nn::Dataset& fonts,
                          const nn::Dataset& strokes, Cost& cost);

}  // namespace handwriting
