// Command-line flags of the `digitlab` trainer: parsing into CliOptions, and the --help
// text. Every training setting's flag, default, limits and help come from the engine's
// settings schema (engine/settings.h); only the file and output flags are written here.
// A bad flag or value throws UsageError, which main() reports on stderr with exit status 2.
#pragma once

#include <stdexcept>
#include <string>

#include "engine/settings.h"

namespace cli {

class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

struct CliOptions {
  std::string model = "mlp";  // a preset name or an architecture JSON file
  bool model_given = false;
  nn::Settings settings = nn::default_settings();
  bool epochs_given = false;
  std::string data_path;         // defaults to default_data_path()
  std::string font_digits_path;  // --font-digits FILE: settings.font_digits on, from FILE
  std::string stroke_digits_path;  // --stroke-digits FILE: settings.stroke_digits on, from FILE
  std::string save_path;
  std::string load_path;
  std::string predict_path;
  bool summary_only = false;
  bool quiet = false;
  bool help = false;
  bool print_schema = false;  // --settings-schema: print the settings schema as JSON
};

// argv[1..argc) -> options. Throws UsageError naming the flag, the bad value and the limit.
CliOptions parse_options(int argc, const char* const* argv);
// The --help text: every flag, its default and what it does.
std::string usage_text();
// data/digits.bin of the source tree (DIGITLAB_SOURCE_DIR), or of the working directory.
std::string default_data_path();

}  // namespace cli
