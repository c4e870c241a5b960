// Handwriting evaluation: trains a model on the digits dataset the way the page does (with
// or without augmentation, with a preprocessing variant) and measures it on synthetic pen
// strokes (strokes.h) read through preprocess_drawing, per class. Also writes the stroke
// fixture for the browser test and measures the dataset round trip and augmentation speed.
//   handwriting eval [model] [copies] [epochs] [variant] [lr] [batch] [fonts.bin]
//   handwriting curve [lr seeds schedule copies fonts.bin]   the page default's learning curve per seed
//   handwriting report [key=value ...]   a recipe on every measure (measures.h, recipe.h)
//   handwriting roundtrip | speed | fixture <out.json> | stroke-digits <out.bin>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <string>

#include "cli/files.h"
#include "engine/architecture.h"
#include "engine/augment.h"
#include "engine/digits_file.h"
#include "engine/preprocess.h"
#include "engine/trainer.h"
#include "strokes.h"
#include "engine/image/pen_raster.h"
#include "measures.h"
#include "recipe.h"

namespace {

nn::Dataset load_shipped_digits() {
  return cli::read_digits_file(std::string(DIGITLAB_SOURCE_DIR) + "/data/digits.bin");
}

nn::PreprocessOptions variant_options(const std::string& v) {
  nn::PreprocessOptions o;
  if (v == "aspect") { o.fill_height = false; o.deskew = false; o.target_coverage = 0; }
  else if (v == "fill") { o.deskew = false; o.target_coverage = 0; }
  else if (v == "deskew") { o.target_coverage = 0; }
  else if (v.rfind("cap", 0) == 0) { o.width_cap = std::stof(v.substr(3)); }
  else if (v.rfind("cov", 0) == 0) { o.target_coverage = std::stof(v.substr(3)); }
  return o;
}

// The generated test set: per_class digits of every class, fixed seed.
std::vector<handwriting::Digit> make_set(int per_class, uint64_t seed) {
  nn::Rng rng(seed);
  std::vector<handwriting::Digit> set;
  for (int i = 0; i < per_class; ++i)
    for (int label = 0; label < 10; ++label) set.push_back(handwriting::make_digit(label, rng));
  return set;
}

// The generated set drawn and read through preprocess_drawing: (N, 64) features.
nn::Matrix read_set(const std::vector<handwriting::Digit>& set, const nn::PreprocessOptions& options, int& blanks) {
  nn::Matrix x(set.size(), nn::kDigitFeatures);
  blanks = 0;
  for (size_t i = 0; i < set.size(); ++i) {
    const auto ink = handwriting::render(set[i]);
    const auto p = nn::preprocess_drawing(ink.data(), handwriting::kCanvas, handwriting::kCanvas, options);
    blanks += p.blank;
    for (int f = 0; f < nn::kDigitFeatures; ++f) x(i, f) = p.features[f];
  }
  return x;
}

// Share of the set the model reads right; per_class (if given) gets each class's share.
float set_accuracy(nn::Sequential& model, const nn::Matrix& x, const std::vector<handwriting::Digit>& set,
                   float* per_class = nullptr) {
  const nn::Matrix probs = model.predict(nn::view(x));
  int correct = 0, per_correct[10] = {}, per_total[10] = {};
  for (size_t i = 0; i < set.size(); ++i) {
    nn::Index guess;
    probs.row(i).maxCoeff(&guess);
    per_total[set[i].label]++;
    if (guess == set[i].label) { correct++; per_correct[set[i].label]++; }
  }
  if (per_class) for (int c = 0; c < 10; ++c) per_class[c] = float(per_correct[c]) / per_total[c];
  return float(correct) / set.size();
}

int eval(int argc, char** argv) {
  const std::string model_name = argc > 2 ? argv[2] : "mlp";
  const int copies = argc > 3 ? std::stoi(argv[3]) : 30;
  const int epochs = argc > 4 ? std::stoi(argv[4]) : 10;
  const std::string variant = argc > 5 ? argv[5] : "default";
  const float lr = argc > 6 ? std::stof(argv[6]) : 1e-3f;
  const int batch = argc > 7 ? std::stoi(argv[7]) : 32;
  const std::string fonts_path = argc > 8 ? argv[8] : "";  // e.g. data/font-digits.bin
  const nn::PreprocessOptions options = variant_options(variant);

  const auto set = make_set(100, 7);
  int blanks = 0;
  const nn::Matrix test_x = read_set(set, options, blanks);

  const nn::Split split = nn::stratified_split(load_shipped_digits(), 0.2f, 0.0f, 42);
  nn::TrainConfig config;
  config.epochs = epochs;
  config.batch_size = batch;
  config.optimizer.learning_rate = lr;
  nn::Dataset train = split.train;
  // Font digits join the training part only, undistorted, as in the page.
  nn::Dataset fonts = fonts_path.empty() ? nn::Dataset{} : cli::read_digits_file(fonts_path);
  const bool default_pre = variant == "default";
  if (copies > 0 && default_pre) {
    config.augment = true;  // fresh copies every epoch, as the page does
    config.augment_copies = copies;
  } else if (copies > 0) {
    nn::Rng rng(1);
    train = nn::augment_dataset(train, copies, rng, options);
  }
  const nn::Index font_count = fonts.size();
  nn::Trainer trainer(nn::parse_architecture(nn::preset_architecture(model_name)), train, nn::Dataset{}, config,
                      std::move(fonts));
  const auto t0 = std::chrono::steady_clock::now();
  while (!trainer.done()) trainer.run(1000);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  float per_class[10];
  const float pen = set_accuracy(trainer.model(), test_x, set, per_class);
  const float test_acc = trainer.model().evaluate(split.test).accuracy;
  std::printf("model=%s copies=%d epochs=%d variant=%s lr=%g batch=%d train_s=%.1f split_test=%.3f "
              "handwriting=%.3f blanks=%d fonts=%ld |", model_name.c_str(), copies, epochs, variant.c_str(), lr,
              batch, seconds, test_acc, pen, blanks, long(font_count));
  for (int c = 0; c < 10; ++c) std::printf(" %d:%.2f", c, per_class[c]);
  std::printf("\n");
  return 0;
}

int roundtrip() {
  const nn::Dataset data = load_shipped_digits();
  double total = 0, worst = 0;
  constexpr int kUp = 8;  // 32x32 -> 256x256, placed in a 280x280 canvas
  std::vector<uint8_t> canvas(280 * 280);
  for (nn::Index i = 0; i < data.size(); ++i) {
    nn::image::draw_dataset_digit(&data.x(i, 0), canvas, 280, kUp, 12, 12);
    const auto p = nn::preprocess_drawing(canvas.data(), 280, 280);
    double diff = 0;
    for (int f = 0; f < 64; ++f) diff += std::abs(p.features[f] - data.x(i, f)) * 16;
    total += diff / 64;
    worst = std::max(worst, diff / 64);
  }
  std::printf("round trip over %ld digits: mean abs diff %.3f (0..16 units), worst image %.3f\n",
              long(data.size()), total / data.size(), worst);
  return 0;
}

int speed() {
  const nn::Split split = nn::stratified_split(load_shipped_digits(), 0.2f, 0.0f, 42);
  nn::Rng rng(3);
  // CPU time, not wall time: the build machine is shared.
  const std::clock_t t0 = std::clock();
  const nn::Dataset out = nn::augment_dataset(split.train, 10, rng);
  const double s = double(std::clock() - t0) / CLOCKS_PER_SEC;
  std::printf("augment: %ld distorted samples in %.2f s CPU = %.0f samples/s\n", long(split.train.size() * 10), s,
              split.train.size() * 10 / s);
  return 0;
}

// The page default's learning curve, natively, per seed: the split (test 0.2, validation
// 0.1), `copies` (6) distorted copies of the training digits, the font digits undistorted,
// Adam at `lr` (0.008) with `schedule` (cosine) for 10 epochs of batch 32, test accuracy after every epoch as the page shows it. Prints
// the first epoch at >= 97%, the samples trained by then, the final test accuracy and the
// pen-stroke set's accuracy.
int curve(int argc, char** argv) {
  const float lr = argc > 2 ? std::stof(argv[2]) : 0.008f;
  const int seeds = argc > 3 ? std::stoi(argv[3]) : 10;
  const std::string schedule = argc > 4 ? argv[4] : "cosine";
  const int copies = argc > 5 ? std::stoi(argv[5]) : 6;
  const std::string fonts_path = argc > 6 ? argv[6] : std::string(DIGITLAB_SOURCE_DIR) + "/data/font-digits.bin";
  const nn::Dataset fonts = cli::read_digits_file(fonts_path);
  const auto set = make_set(100, 7);
  int blanks = 0;
  const nn::Matrix pen_x = read_set(set, {}, blanks);
  const nn::Dataset digits = load_shipped_digits();
  for (int seed = 1; seed <= seeds; ++seed) {
    const nn::Split split = nn::stratified_split(digits, 0.2f, 0.1f, seed);
    nn::TrainConfig config;
    config.epochs = 10;
    config.batch_size = 32;
    config.optimizer.learning_rate = lr;
    config.lr_schedule = nn::parse_lr_schedule(schedule);
    config.augment = copies > 0;
    config.augment_copies = copies;
    config.seed = seed;
    nn::Trainer trainer(nn::parse_architecture(nn::preset_architecture("mlp")), split.train, split.validation,
                        config, fonts);
    int first = 0;
    nn::Index first_samples = 0;
    std::string accuracies;
    float test = 0;
    while (!trainer.done()) {
      const nn::Progress before = trainer.progress();
      if (before.prepared < before.to_prepare) {
        // Exactly the budget that makes the remaining copies, so no epoch starts unobserved.
        trainer.run((before.to_prepare - before.prepared + config.batch_size - 1) / config.batch_size);
        continue;
      }
      const nn::Progress p = trainer.run(before.batches_per_epoch - before.batch);  // to the epoch's end
      test = trainer.model().evaluate(split.test).accuracy;
      accuracies += " " + std::to_string(int(std::lround(test * 1000)));
      if (first == 0 && test >= 0.97f) {
        first = p.epoch;
        first_samples = p.samples_seen;
      }
    }
    std::printf("seed %2d  lr %g %s  first epoch >= 97%%: %2d (%6ld samples)  final test %.2f%%  pen strokes %.1f%%  "
                "per epoch (0.1%%):%s\n",
                seed, lr, schedule.c_str(), first, long(first_samples), test * 100, set_accuracy(trainer.model(), pen_x, set) * 100,
                accuracies.c_str());
  }
  return 0;
}

int fixture(const char* path) {
  const auto set = make_set(5, 2024);
  std::ofstream(path) << handwriting::to_json(set);
  std::printf("wrote %zu digits to %s\n", set.size(), path);
  return 0;
}

// data/stroke-digits.bin: the hard pen-stroke generator's digits (every style, pen and
// placement range), drawn and read through preprocess_drawing, 200 of each class. Seed 101 is
// no measure's (7, 11, 13, 17) and no report's (strokes=N).
int stroke_digits(const char* path) {
  const nn::Dataset set = handwriting::pen_set(200, 101, true);
  const std::vector<uint8_t> bytes = nn::encode_digits(set);
  cli::write_file(path, bytes);
  std::printf("wrote %ld stroke digits to %s\n", long(set.size()), path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "eval";
  try {
    if (mode == "eval") return eval(argc, argv);
    if (mode == "roundtrip") return roundtrip();
    if (mode == "speed") return speed();
    if (mode == "curve") return curve(argc, argv);
    if (mode == "report") {
      const std::vector<std::string> args(argv + 2, argv + argc);
      int folds = handwriting::kFolds;
      for (const auto& a : args)
        if (a.rfind("folds=", 0) == 0) folds = std::stoi(a.substr(6));
      handwriting::report(handwriting::parse_recipe(args), folds);
      return 0;
    }
    if (mode == "fixture" && argc > 2) return fixture(argv[2]);
    if (mode == "stroke-digits" && argc > 2) return stroke_digits(argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "handwriting: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: handwriting eval [model copies epochs variant lr batch fonts.bin] | curve [lr seeds schedule copies fonts.bin] "
                       "| report [members=mlp,cnn copies=15 font_copies=15 fonts=0|1 epochs=10 lr=0.008 schedule=cosine batch=32 "
                       "tta=identity,left,right seed=1 folds=5 strokes=100 stroke_style=pen|hard stroke_styles=all|even|odd; or page=0,1,2 member0.augment_copies=0 ...] | roundtrip | speed | fixture out.json | stroke-digits out.bin\n");
  return 2;
}
