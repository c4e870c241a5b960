// Flag parsing for the `digitlab` CLI. Accepts "--flag value" and "--flag=value". A training
// setting's flag is its schema name in kebab-case (learning_rate -> --learning-rate), its
// value is parsed and range-checked by the schema, so the CLI, the JS API and the page
// accept exactly the same values. (CLI11 was considered: with types, limits, defaults and
// help all in the schema, it would only split "--flag=value", a loop of a few lines here,
// while its own validators and messages would be a second copy of the schema's.)
#include "cli/options.h"

#include <algorithm>
#include <cstdio>

#include "engine/architecture.h"
#include "engine/error.h"

namespace cli {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_preset(const std::string& name) {
  const auto names = nn::preset_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string joined(const std::vector<std::string>& choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : "|") + c;
  return out;
}

const nn::SettingField* field_for_flag(const std::string& flag) {
  for (const nn::SettingField& field : nn::settings_schema()) {
    if (field.cli_flag() == flag) return &field;
  }
  return nullptr;
}

// The schema's message names the field ("epochs 0 is invalid: ..."); the CLI names the flag.
UsageError flag_error(const nn::SettingField& field, const nn::Error& e) {
  const std::string what = e.what();
  const std::string name = field.name;
  return UsageError(field.cli_flag() + (what.rfind(name, 0) == 0 ? what.substr(name.size()) : ": " + what));
}

// What a setting's value looks like in --help.
std::string metavar(const nn::SettingField& field) {
  switch (field.type) {
    case nn::FieldType::kChoice: return " " + joined(field.choices);
    case nn::FieldType::kBool: return "";
    case nn::FieldType::kFloat: return " X";
    default: return " N";
  }
}

std::string range_text(const nn::SettingField& field) {
  if (field.type == nn::FieldType::kChoice || field.type == nn::FieldType::kBool) return "";
  // No space inside, so the wrapping keeps a range on one line.
  return std::string(field.min_open ? "(" : "[") + field.format(field.min) + "," + field.format(field.max) +
         (field.max_open ? ")" : "]");
}

// Words of `text` in lines of at most `width` characters, each after `indent` spaces but
// the first, which continues `first`.
std::string wrapped(std::string first, const std::string& text, size_t indent, size_t width) {
  std::string out, line = std::move(first);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (line.size() > indent && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = std::string(indent, ' ');
    }
    line += (line.size() > indent ? " " : "") + word;
    start = end + 1;
  }
  return out + line + "\n";
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
    auto file_name = [&]() {
      std::string name = next();
      if (name.empty()) throw UsageError(flag + " needs a file name");
      return name;
    };

    const nn::SettingField* field = field_for_flag(flag);
    if (field && field->name == std::string("font_digits")) {
      // In the CLI the font digits come from a file: giving it turns them on.
      o.font_digits_path = file_name();
      o.settings.font_digits = true;
    } else if (field && field->name == std::string("stroke_digits")) {
      o.stroke_digits_path = file_name();  // so do the stroke digits
      o.settings.stroke_digits = true;
    } else if (field && field->type == nn::FieldType::kBool) {
      no_value();
      field->set(o.settings, 1);
    } else if (field) {
      try {
        field->set(o.settings, field->parse(next()));
      } catch (const nn::Error& e) {
        throw flag_error(*field, e);
      }
      if (field->name == std::string("epochs")) o.epochs_given = true;
      if (field->name == std::string("dropout")) dropout_given = true;
      if (field->name == std::string("augment_copies")) augment_copies_given = true;
    } else if (flag == "--help" || flag == "-h") {
      no_value();
      o.help = true;
    } else if (flag == "--model") {
      o.model = next();
      o.model_given = true;
      if (!is_preset(o.model) && !ends_with(o.model, ".json")) {
        throw UsageError("--model expects " + joined(nn::preset_names()) + " or an architecture FILE.json, got \"" +
                         o.model + "\"");
      }
    } else if (flag == "--data") {
      o.data_path = file_name();
    } else if (flag == "--save") {
      o.save_path = file_name();
    } else if (flag == "--load") {
      o.load_path = file_name();
    } else if (flag == "--predict") {
      o.predict_path = file_name();
    } else if (flag == "--settings-schema") {
      no_value();
      o.print_schema = true;
    } else if (flag == "--summary") {
      no_value();
      o.summary_only = true;
    } else if (flag == "--quiet") {
      no_value();
      o.quiet = true;
    } else {
      throw UsageError("unknown flag \"" + std::string(argv[i]) + "\" (see --help)");
    }
  }
  if (o.help || o.print_schema) return o;

  // Combinations that cannot mean anything sensible.
  nn::TrainConfig& train = o.settings.train;
  if (augment_copies_given) {
    if (train.augment_copies == 0) throw UsageError("--augment-copies 0 makes no copies: give 1 or more, or drop it");
    train.augment = true;
  }
  if (train.augment && train.augment_copies == 0) train.augment_copies = 1;
  if (dropout_given && !is_preset(o.model)) {
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
  if (!o.font_digits_path.empty() && !o.load_path.empty() && !o.epochs_given) {
    throw UsageError("--font-digits adds training digits, but --load without --epochs does not train: add --epochs N");
  }
  if (!o.stroke_digits_path.empty() && !o.load_path.empty() && !o.epochs_given) {
    throw UsageError("--stroke-digits adds training digits, but --load without --epochs does not train: add --epochs N");
  }
  return o;
}

std::string usage_text() {
  std::string text = R"(digitlab: train and evaluate neural networks on the 8x8 handwritten digits.

Usage: digitlab [flags]

Model and files
  --model NAME|FILE.json  linear, mlp (64-128-10, default), deep_mlp (64-256-128-64-10),
                          cnn (conv 16, pool, conv 32, pool, dense 10), or a JSON
                          architecture description such as
                          {"input": 64, "layers": [{"type": "dense", "units": 10}]}
  --load FILE             load a model file: evaluate it on the test split, or keep
                          training it when --epochs is given
  --save FILE             write the trained model to FILE (a model file the page also reads)
  --summary               print the model's layers and parameter counts, then exit
  --data FILE             digits file (data/digits.bin of the source tree)
  --predict FILE.csv      with --load: read rows of 64 pixel counts 0..16 and print, per row,
                          the 10 class probabilities separated by commas

Training settings (the same names, defaults and limits as the page and the JS API)
)";
  const nn::Settings defaults = nn::default_settings();
  for (const nn::SettingField& field : nn::settings_schema()) {
    const bool fonts = field.name == std::string("font_digits"), strokes = field.name == std::string("stroke_digits");
    std::string left = "  " + field.cli_flag() + (fonts || strokes ? " FILE" : metavar(field));
    std::string help = field.help;
    if (fonts) help += " (a digits file such as data/font-digits.bin)";
    if (strokes) help += " (a digits file such as data/stroke-digits.bin)";
    const std::string range = range_text(field);
    const std::string fallback = fonts || strokes ? "off" : field.format(field.get(defaults));
    help += " (default " + fallback + (range.empty() ? "" : ", " + range) + ")";
    if (field.name == std::string("augment_copies")) help += "; implies --augment";
    if (left.size() < 26) {
      left.resize(26, ' ');
    } else {
      text += left + "\n";  // a long flag gets its own line
      left = std::string(26, ' ');
    }
    text += wrapped(left, help, 26, 94);
  }
  text += R"(
Output
  --quiet                 print only the final test accuracy (no summary, progress, epochs)
  --settings-schema       print the schema of the training settings (names, types, defaults,
                          limits, choices, help, profiles) as JSON
  --help, -h              this text

Exit status: 0 success, 1 runtime error (bad file, diverged model), 2 bad flags.
Example: digitlab --model cnn --epochs 15 --save cnn.dlm
)";
  return text;
}

}  // namespace cli
