// The native benchmark: prints the JSON lines of README.md "Benchmarks" for
// digitlab-native (the gemm256 ceiling, then mlp and cnn training and the augmentation's
// distortion rate, "augment"), and can export the
// engine's train/test split so the TF.js peers train on exactly the same rows.
// Usage: nn_bench [--data data/digits.bin] [--models mlp,cnn,augment] [--export-split FILE]
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/benchmark.h"
#include "engine/digits_file.h"
#include "engine/error.h"

namespace {

constexpr int kEpochsMlp = 20;  // the same fixed counts as bench/common.mjs EPOCHS
constexpr int kEpochsCnn = 10;
constexpr int kAugmentCopies = 6;  // the page default's copies (web/state.js)
constexpr int kAugmentRepeats = 5;

double round_to(double x, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw nn::Error("cannot open " + path + " (run from the repository root or pass --data)");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(item);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string data_path = DIGITLAB_SOURCE_DIR "/data/digits.bin";
    std::string split_path;
    std::vector<std::string> models = {"mlp", "cnn", "augment"};
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (i + 1 >= argc) throw nn::Error("option " + arg + " needs a value");
      if (arg == "--data") data_path = argv[++i];
      else if (arg == "--models") models = split_list(argv[++i]);
      else if (arg == "--export-split") split_path = argv[++i];
      else throw nn::Error("unknown option " + arg + " (expected --data, --models, --export-split)");
    }
    const std::vector<uint8_t> bytes = read_file(data_path);
    const nn::Dataset digits = nn::load_digits(bytes.data(), bytes.size());

    if (!split_path.empty()) {
      std::vector<int> train, test;
      nn::split_indices(digits, 0.2f, 42, train, test);
      std::ofstream out(split_path);
      out << nlohmann::json{{"seed", 42}, {"test_share", 0.2}, {"train", train}, {"test", test}}.dump() << "\n";
      if (!out) throw nn::Error("cannot write " + split_path);
    }

    std::cout << nlohmann::json{{"engine", "digitlab-native"}, {"model", "gemm256"},
                                {"gflops", round_to(nn::gemm_gflops(256, 30), 3)}}.dump()
              << std::endl;
    for (const auto& model : models) {
      if (model == "augment") {
        const nn::AugmentBench a = nn::bench_augment(digits, kAugmentCopies, kAugmentRepeats);
        std::cout << nlohmann::json{{"engine", "digitlab-native"},
                                    {"model", "augment"},
                                    {"distortions_per_sec", std::lround(a.distortions_per_sec)},
                                    {"distortions", a.distortions},
                                    {"repeats", a.repeats},
                                    {"spread", round_to(a.spread, 3)},
                                    {"checksum", a.checksum}}.dump()
                  << std::endl;
        continue;
      }
      const nn::TrainingBench r = nn::bench_training(digits, model, model == "cnn" ? kEpochsCnn : kEpochsMlp);
      std::cout << nlohmann::json{{"engine", "digitlab-native"},
                                  {"model", model},
                                  {"samples_per_sec", std::lround(r.samples_per_sec)},
                                  {"gflops", round_to(r.gflops, 3)},
                                  {"test_accuracy", round_to(r.test_accuracy, 4)},
                                  {"epochs", r.epochs},
                                  {"spread", round_to(r.spread, 3)},
                                  {"train_samples", r.train_samples}}.dump()
                << std::endl;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "nn_bench: " << e.what() << "\n";
    return 1;
  }
}
