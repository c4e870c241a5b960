// Flag parsing for the `digitlab` CLI. Accepts "--flag value" and "--flag=value"; numbers must
// be written whole ("12abc" is rejected) and every value is range-checked here, so training
// never starts on a typo.
#include "cli/options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "engine/error.h"

namespace cli {

namespace {

const std::vector<std::string> kPresets = {"linear", "mlp", "deep_mlp", "cnn"};
const std::vector<std::string> kOptimizers = {"sgd", "momentum", "nesterov", "adam"};
const std::vector<std::string> kSchedules = {"constant", "cosine"};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool one_of(const std::string& value, const std::vector<std::string>& choices) {
  for (const auto& c : choices) {
    if (value == c) return true;
  }
  return false;
}

std::string joined(const std::vector<std::string>& choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : "|") + c;
  return out;
}

long long parse_integer(const std::string& flag, const std::string& text, long long lo, long long hi) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
    throw UsageError(flag + " expects a whole number in " + std::to_string(lo) + ".." + std::to_string(hi) +
                     ", got \"" + text + "\"");
  }
  return v;
}

uint64_t parse_seed(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || *end != '\0' || errno == ERANGE) {
    throw UsageError("--seed expects a whole number >= 0, got \"" + text + "\"");
  }
  return v;
}

// A finite number in [lo, hi] (hi excluded when hi_open).
float parse_real(const std::string& flag, const std::string& text, double lo, double hi, bool hi_open,
                 bool lo_open = false) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  const bool ok = !text.empty() && *end == '\0' && std::isfinite(v) && (lo_open ? v > lo : v >= lo) &&
                  (hi_open ? v < hi : v <= hi);
  if (!ok) {
    char range[96];
    std::snprintf(range, sizeof range, "%s%g, %g%s", lo_open ? "(" : "[", lo, hi, hi_open ? ")" : "]");
    throw UsageError(flag + " expects a number in " + range + ", got \"" + text + "\"");
  }
  return static_cast<float>(v);
}

}  // namespace

std::string default_data_path() {
#ifdef DIGITLAB_SOURCE_DIR
  return std::string(DIGITLAB_SOURCE_DIR) + "/data/digits.bin";
#else
  return "data/digits.bin";
#endif
}

CliOptions parse_options(int argc, const char* const* argv) {
  CliOptions o;
  o.data_path = default_data_path();
  bool dropout_given = false, augment_copies_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    bool has_inline_value = false;
    const size_t eq = flag.find('=');
    if (flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_inline_value = true;
    }
    // Fetches the flag's value: inline after '=', or the next argument.
    auto next = [&]() -> std::string {
      if (has_inline_value) return value;
      if (i + 1 >= argc) throw UsageError(flag + " needs a value");
      return argv[++i];
    };
    auto no_value = [&]() {
      if (has_inline_value) throw UsageError(flag + " takes no value");
    };

    if (flag == "--help" || flag == "-h") {
      no_value();
      o.help = true;
    } else if (flag == "--model") {
      o.model = next();
      o.model_given = true;
      if (!one_of(o.model, kPresets) && !ends_with(o.model, ".json")) {
        throw UsageError("--model expects " + joined(kPresets) + " or an architecture FILE.json, got \"" + o.model +
                         "\"");
      }
    } else if (flag == "--epochs") {
      o.train.epochs = static_cast<int>(parse_integer(flag, next(), 1, 100000));
      o.epochs_given = true;
    } else if (flag == "--batch-size") {
      o.train.batch_size = static_cast<int>(parse_integer(flag, next(), 1, 65536));
    } else if (flag == "--optimizer") {
      o.train.optimizer.type = next();
      if (!one_of(o.train.optimizer.type, kOptimizers)) {
        throw UsageError("--optimizer expects " + joined(kOptimizers) + ", got \"" + o.train.optimizer.type + "\"");
      }
    } else if (flag == "--lr") {
      o.train.optimizer.learning_rate = parse_real(flag, next(), 0, 10, false, true);
    } else if (flag == "--lr-schedule") {
      o.train.lr_schedule = next();
      if (!one_of(o.train.lr_schedule, kSchedules)) {
        throw UsageError("--lr-schedule expects " + joined(kSchedules) + ", got \"" + o.train.lr_schedule + "\"");
      }
    } else if (flag == "--momentum") {
      o.train.optimizer.momentum = parse_real(flag, next(), 0, 1, true);
    } else if (flag == "--l1") {
      o.train.optimizer.l1 = parse_real(flag, next(), 0, 1, false);
    } else if (flag == "--l2") {
      o.train.optimizer.l2 = parse_real(flag, next(), 0, 1, false);
    } else if (flag == "--dropout") {
      o.dropout = parse_real(flag, next(), 0, 1, true);
      dropout_given = true;
    } else if (flag == "--augment") {
      no_value();
      o.train.augment = true;
    } else if (flag == "--augment-copies") {
      o.train.augment_copies = static_cast<int>(parse_integer(flag, next(), 1, 100));
      augment_copies_given = true;
    } else if (flag == "--seed") {
      o.train.seed = parse_seed(next());
    } else if (flag == "--validation") {
      o.validation_share = parse_real(flag, next(), 0, 1, true);
    } else if (flag == "--test-share") {
      o.test_share = parse_real(flag, next(), 0, 1, true);
    } else if (flag == "--data") {
      o.data_path = next();
    } else if (flag == "--fonts") {
      o.fonts_path = next();
      if (o.fonts_path.empty()) throw UsageError("--fonts needs a file name");
    } else if (flag == "--save") {
      o.save_path = next();
      if (o.save_path.empty()) throw UsageError("--save needs a file name");
    } else if (flag == "--load") {
      o.load_path = next();
      if (o.load_path.empty()) throw UsageError("--load needs a file name");
    } else if (flag == "--predict") {
      o.predict_path = next();
      if (o.predict_path.empty()) throw UsageError("--predict needs a file name");
    } else if (flag == "--summary") {
      no_value();
      o.summary_only = true;
    } else if (flag == "--quiet") {
      no_value();
      o.quiet = true;
    } else {
      throw UsageError("unknown flag \"" + std::string(argv[i]) + "\" (see --help)");
    }
    if (o.data_path.empty() && flag == "--data") throw UsageError("--data needs a file name");
  }
  if (o.help) return o;

  // Combinations that cannot mean anything sensible.
  if (augment_copies_given) o.train.augment = true;
  if (o.train.augment && o.train.augment_copies == 0) o.train.augment_copies = 1;
  if (dropout_given && !one_of(o.model, kPresets)) {
    throw UsageError("--dropout applies to preset models; put dropout layers in " + o.model + " instead");
  }
  if (!o.load_path.empty() && (o.model_given || dropout_given)) {
    throw UsageError("--load takes the architecture from the model file; drop --model/--dropout");
  }
  if (!o.predict_path.empty() && o.load_path.empty()) {
    throw UsageError("--predict needs a trained model: add --load FILE");
  }
  if (!o.predict_path.empty() && o.epochs_given) {
    throw UsageError("--predict does not train: drop --epochs");
  }
  if (!o.fonts_path.empty() && !o.load_path.empty() && !o.epochs_given) {
    throw UsageError("--fonts adds training digits, but --load without --epochs does not train: add --epochs N");
  }
  try {
    o.train.validate();
  } catch (const nn::Error& e) {
    throw UsageError(e.what());
  }
  return o;
}

std::string usage_text() {
  return R"(digitlab: train and evaluate neural networks on the 8x8 handwritten digits.

Usage: digitlab [flags]

Model
  --model NAME|FILE.json  linear, mlp (64-128-10, default), deep_mlp (64-256-128-64-10),
                          cnn (conv 16, pool, conv 32, pool, dense 10), or a JSON
                          architecture description such as
                          {"input": 64, "layers": [{"type": "dense", "units": 10}]}
  --dropout X             dropout rate in [0, 1) after each hidden activation of a preset (0)
  --load FILE             load a model file: evaluate it on the test split, or keep
                          training it when --epochs is given
  --save FILE             write the trained model to FILE (a model file the page also reads)
  --summary               print the model's layers and parameter counts, then exit

Training
  --epochs N              passes over the training split (20)
  --batch-size N          samples per gradient step (32)
  --optimizer NAME        sgd, momentum, nesterov or adam (adam)
  --lr X                  learning rate > 0 (0.001)
  --lr-schedule NAME      constant, or cosine: from --lr down to a tenth of it over the run
                          (constant)
  --momentum X            momentum for momentum/nesterov, in [0, 1) (0.9)
  --l1 X, --l2 X          L1 / L2 penalty on weights (0)
  --augment               also train on distorted copies of the training digits (made once,
                          before the first epoch), to read other people's handwriting
  --augment-copies N      distorted copies per digit, 1..100 (1; implies --augment)
  --seed N                seeds the split, initialisation, shuffling, dropout and
                          augmentation: same seed, same run (42)

Data
  --data FILE             digits file (data/digits.bin of the source tree)
  --test-share X          share of every class held out for the test, in [0, 1) (0.2)
  --validation X          share of the rest held out for validation, in [0, 1) (0.1)
  --fonts FILE            add FILE's digits (a digits file such as data/font-digits.bin,
                          digits rendered from fonts) to the training split only, as
                          they are: --augment distorts the dataset's own digits (off)
  --predict FILE.csv      with --load: read rows of 64 pixel counts 0..16 and print, per row,
                          the 10 class probabilities separated by commas

Output
  --quiet                 print only the final test accuracy (no summary, progress, epochs)
  --help, -h              this text

Exit status: 0 success, 1 runtime error (bad file, diverged model), 2 bad flags.
Example: digitlab --model cnn --epochs 15 --save cnn.dlm
)";
}

}  // namespace cli
