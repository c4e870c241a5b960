// Command-line flags of the `digitlab` trainer: parsing and validation into CliOptions, and
// the --help text. Knows nothing about training; a bad flag or value throws UsageError, which
// main() reports on stderr with exit status 2.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/trainer.h"

namespace cli {

class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

struct CliOptions {
  std::string model = "mlp";  // a preset name or an architecture JSON file
  bool model_given = false;
  float dropout = 0.0f;       // presets only
  nn::TrainConfig train;      // epochs, batch size, optimizer, augmentation, seed
  bool epochs_given = false;
  float validation_share = 0.1f;
  float test_share = 0.2f;
  std::string data_path;      // defaults to default_data_path()
  std::string fonts_path;     // extra training digits (data/font-digits.bin), training part only
  std::string save_path;
  std::string load_path;
  std::string predict_path;
  bool summary_only = false;
  bool quiet = false;
  bool help = false;
};

// argv[1..argc) -> options. Throws UsageError naming the flag and the bad value.
CliOptions parse_options(int argc, const char* const* argv);
// The --help text: every flag, its default and what it does.
std::string usage_text();
// data/digits.bin of the source tree (DIGITLAB_SOURCE_DIR), or of the working directory.
std::string default_data_path();

}  // namespace cli
