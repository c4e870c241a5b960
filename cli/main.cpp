// `digitlab`: the native command-line trainer. Loads the digits, splits them with the same
// seeded stratified split as the page, trains (or loads) a model, and reports per-epoch
// metrics, test accuracy and the confusion matrix. Flags live in options.cpp, text in
// report.cpp; this file only sequences the steps.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "cli/files.h"
#include "cli/options.h"
#include "cli/report.h"
#include "engine/architecture.h"
#include "engine/csv.h"
#include "engine/digit_model.h"
#include "engine/digits_file.h"
#include "engine/error.h"
#include "engine/model_file.h"
#include "engine/trainer.h"

namespace {

using cli::CliOptions;

nn::Sequential read_model(const CliOptions& o) {
  if (!o.load_path.empty()) {
    const auto bytes = cli::read_file(o.load_path, nn::kMaxModelFileBytes);
    return nn::load_model(bytes.data(), bytes.size());
  }
  if (o.model.size() > 5 && o.model.compare(o.model.size() - 5, 5, ".json") == 0) {
    return nn::parse_architecture(cli::read_text_file(o.model, nn::kMaxArchitectureBytes));
  }
  return nn::parse_architecture(nn::preset_architecture(o.model, o.dropout));
}

// Every model the CLI uses works on digits: 64 features in, 10 outputs.
nn::Sequential make_model(const CliOptions& o) {
  nn::Sequential model = read_model(o);
  nn::check_digit_model(model, o.load_path.empty() ? o.model : o.load_path);
  return model;
}

int print_predictions(nn::Sequential& model, const std::string& path) {
  const nn::Matrix x = cli::parse_pixel_rows(cli::read_text_file(path, nn::kMaxCsvBytes));  // (N, 64)
  const nn::Matrix probs = model.predict(nn::view(x));                      // (N, K)
  for (nn::Index i = 0; i < probs.rows(); ++i) {
    for (nn::Index k = 0; k < probs.cols(); ++k) std::printf(k == 0 ? "%.9g" : ",%.9g", probs(i, k));
    std::printf("\n");
  }
  return 0;
}

// Trains in slices of about a tenth of an epoch so the progress line can be redrawn.
// Returns false if training diverged (the trainer restored the last good weights).
bool train(nn::Trainer& trainer, const CliOptions& o, bool has_validation) {
  const bool live = !o.quiet && isatty(STDERR_FILENO);
  size_t printed = 0;
  nn::Progress p = trainer.progress();
  while (!trainer.done()) {
    const nn::Index slice = std::max<nn::Index>(1, p.batches_per_epoch / 10);
    p = trainer.run(slice);
    const auto& history = trainer.history();
    if (live && printed < history.size()) std::fprintf(stderr, "\r\033[K");
    for (; printed < history.size(); ++printed) {
      if (!o.quiet) {
        std::printf("%s\n", cli::format_epoch_line(history[printed], o.train.epochs, has_validation).c_str());
        std::fflush(stdout);
      }
    }
    if (live && !p.done) {
      const long total = static_cast<long>(p.batches_per_epoch) * p.epochs;
      const long done = static_cast<long>(p.batches_per_epoch) * p.epoch + static_cast<long>(p.batch);
      std::fprintf(stderr, "\r\033[K%s", cli::format_progress_line(p, total, done).c_str());
      std::fflush(stderr);
    }
  }
  if (live) std::fprintf(stderr, "\r\033[K");
  if (p.diverged) {
    std::fprintf(stderr, "digitlab: training diverged%s%s; kept the weights of the last finished epoch\n",
                 p.message.empty() ? "" : ": ", p.message.c_str());
  }
  return !p.diverged;
}

int run(const CliOptions& o) {
  // Before anything is trained: a save that cannot happen would throw the run away.
  if (!o.save_path.empty()) cli::check_writable(o.save_path);
  nn::Sequential loaded = make_model(o);
  if (o.summary_only) {
    if (!loaded.built()) {
      nn::Rng rng(o.train.seed);
      loaded.build(rng);
    }
    std::printf("%s", loaded.summary().c_str());
    return 0;
  }
  if (!o.predict_path.empty()) return print_predictions(loaded, o.predict_path);

  const auto data_bytes = cli::read_file(o.data_path, nn::kMaxDigitsFileBytes);
  const nn::Dataset data = nn::load_digits(data_bytes.data(), data_bytes.size());
  nn::Split split = nn::stratified_split(data, o.test_share, o.validation_share, o.train.seed);
  const nn::Index own_train = split.train.size();
  nn::Dataset fonts;
  if (!o.fonts_path.empty()) {
    // Training part only, never distorted: validation and test stay the dataset's own handwriting.
    const auto font_bytes = cli::read_file(o.fonts_path, nn::kMaxDigitsFileBytes);
    fonts = nn::load_digits(font_bytes.data(), font_bytes.size());
  }
  const nn::Index font_count = fonts.size();
  const bool has_validation = split.validation.size() > 0;
  if (split.train.size() == 0) throw nn::Error("the training split is empty: lower --test-share/--validation");

  bool healthy = true;
  nn::Sequential* model = &loaded;
  std::unique_ptr<nn::Trainer> trainer;
  if (o.load_path.empty() || o.epochs_given) {
    trainer = std::make_unique<nn::Trainer>(std::move(loaded), split.train, split.validation, o.train, std::move(fonts));
    model = &trainer->model();
  }
  if (!o.quiet) {
    std::printf("%s", model->summary().c_str());
    const std::string fonts =
        font_count > 0 ? " + " + std::to_string(font_count) + " font digits (" + o.fonts_path + ")" : "";
    std::printf("data: %ld digits -> train %ld%s, validation %ld, test %ld (seed %llu)\n",
                static_cast<long>(data.size()), static_cast<long>(own_train), fonts.c_str(),
                static_cast<long>(split.validation.size()), static_cast<long>(split.test.size()),
                static_cast<unsigned long long>(o.train.seed));
    std::fflush(stdout);
  }
  if (trainer) healthy = train(*trainer, o, has_validation);

  if (!o.save_path.empty()) {
    cli::write_file(o.save_path, nn::save_model(*model));
    if (!o.quiet) std::printf("saved %s\n", o.save_path.c_str());
  }
  if (split.test.size() > 0) {
    const nn::Evaluation e = model->evaluate(split.test);
    if (!std::isfinite(e.loss)) {
      throw nn::Error("test: the model's loss on the test split is not a finite number (its outputs overflow "
                      "float); the model is unusable");
    }
    std::printf("%s\n", cli::format_test_line(e, static_cast<long>(split.test.size())).c_str());
    if (!o.quiet) std::printf("%s", cli::format_confusion(e.confusion).c_str());
  } else {
    std::printf("test: no test split (--test-share 0)\n");
  }
  return healthy ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CliOptions options;
  try {
    options = cli::parse_options(argc, argv);
  } catch (const cli::UsageError& e) {
    std::fprintf(stderr, "digitlab: %s\nRun 'digitlab --help' for the list of flags.\n", e.what());
    return 2;
  }
  if (options.help) {
    std::printf("%s", cli::usage_text().c_str());
    return 0;
  }
  try {
    return run(options);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "digitlab: error: out of memory: the system refused an allocation\n");
    return 1;
  } catch (const std::length_error&) {
    std::fprintf(stderr, "digitlab: error: out of memory: a size was too large to allocate\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digitlab: error: %s\n", e.what());
    return 1;
  }
}
