// `digitlab`: the native command-line trainer. Loads the digits and drives the engine's
// Experiment (the same split, font digits, augmentation and per-epoch test accuracy as the
// page), or evaluates a loaded model on the split a run would hold out; reports per-epoch
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
#include "engine/experiment.h"
#include "engine/model_file.h"
#include "engine/settings.h"
#include <nlohmann/json.hpp>

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
  return nn::parse_architecture(nn::preset_architecture(o.model, o.settings.dropout));
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
bool train(nn::Experiment& experiment, const CliOptions& o) {
  const bool live = !o.quiet && isatty(STDERR_FILENO);
  const bool has_validation = experiment.validation_size() > 0;
  const int epochs = o.settings.train.epochs;
  size_t printed = 0;
  nn::Progress p = experiment.progress();
  while (!experiment.done()) {
    const nn::Index slice = std::max<nn::Index>(1, p.batches_per_epoch / 10);
    p = experiment.run(slice);
    const auto& history = experiment.trainer().history();
    if (live && printed < history.size()) std::fprintf(stderr, "\r\033[K");
    for (; printed < history.size(); ++printed) {
      if (!o.quiet) {
        std::printf("%s\n", cli::format_epoch_line(history[printed], epochs, has_validation).c_str());
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
  if (!o.quiet && !experiment.test_accuracies().empty()) {
    const double target = 100.0 * o.settings.test_target;
    if (const auto& reached = experiment.target_reached()) {
      std::printf("test accuracy first reached %.4g%% at epoch %d, after %.3f s of training\n", target,
                  reached->epoch, reached->seconds);
    } else {
      std::printf("test accuracy never reached %.4g%% (best %.2f%%)\n", target,
                  100.0 * *std::max_element(experiment.test_accuracies().begin(), experiment.test_accuracies().end()));
    }
  }
  return !p.diverged;
}

void print_test(nn::Sequential& model, const nn::Dataset& test, const CliOptions& o) {
  if (test.size() == 0) {
    std::printf("test: no test split (--test-share 0)\n");
    return;
  }
  const nn::Evaluation e = model.evaluate(test);
  if (!std::isfinite(e.loss)) {
    throw nn::Error("test: the model's loss on the test split is not a finite number (its outputs overflow "
                    "float); the model is unusable");
  }
  std::printf("%s\n", cli::format_test_line(e, static_cast<long>(test.size())).c_str());
  if (!o.quiet) std::printf("%s", cli::format_confusion(e.confusion).c_str());
}

void print_data_line(long digits, long train, long fonts, const std::string& fonts_path, long strokes,
                     const std::string& strokes_path, long validation, long test, uint64_t seed) {
  const std::string font_text =
      (fonts > 0 ? " + " + std::to_string(fonts) + " font digits (" + fonts_path + ")" : "") +
      (strokes > 0 ? " + " + std::to_string(strokes) + " stroke digits (" + strokes_path + ")" : "");
  std::printf("data: %ld digits -> train %ld%s, validation %ld, test %ld (seed %llu)\n", digits, train,
              font_text.c_str(), validation, test, static_cast<unsigned long long>(seed));
  std::fflush(stdout);
}

void save(nn::Sequential& model, const CliOptions& o) {
  if (o.save_path.empty()) return;
  cli::write_file(o.save_path, nn::save_model(model));
  if (!o.quiet) std::printf("saved %s\n", o.save_path.c_str());
}

int run(const CliOptions& o) {
  // Before anything is trained: a save that cannot happen would throw the run away.
  if (!o.save_path.empty()) cli::check_writable(o.save_path);
  nn::Sequential loaded = make_model(o);
  if (o.summary_only) {
    if (!loaded.built()) {
      nn::Rng rng(o.settings.train.seed);
      loaded.build(rng);
    }
    std::printf("%s", loaded.summary().c_str());
    return 0;
  }
  if (!o.predict_path.empty()) return print_predictions(loaded, o.predict_path);

  const nn::Dataset data = cli::read_digits_file(o.data_path);
  if (!o.load_path.empty() && !o.epochs_given) {
    // Evaluate only, on the test split a run with these settings holds out.
    const nn::Dataset test = nn::test_split(data, o.settings);
    if (!o.quiet) {
      std::printf("%s", loaded.summary().c_str());
      std::printf("data: %ld digits -> test %ld (seed %llu)\n", long(data.size()), long(test.size()),
                  static_cast<unsigned long long>(o.settings.train.seed));
    }
    save(loaded, o);
    print_test(loaded, test, o);
    return 0;
  }
  const nn::Dataset fonts = o.font_digits_path.empty() ? nn::Dataset{} : cli::read_digits_file(o.font_digits_path);
  const nn::Dataset strokes =
      o.stroke_digits_path.empty() ? nn::Dataset{} : cli::read_digits_file(o.stroke_digits_path);
  nn::Experiment experiment(data, fonts, std::move(loaded), o.settings, strokes);
  if (!o.quiet) {
    std::printf("%s", experiment.model().summary().c_str());
    print_data_line(long(data.size()), long(experiment.own_train_size()), long(experiment.font_digit_count()),
                    o.font_digits_path, long(experiment.stroke_digit_count()), o.stroke_digits_path,
                    long(experiment.validation_size()), long(experiment.test().size()), o.settings.train.seed);
  }
  const bool healthy = train(experiment, o);
  save(experiment.model(), o);
  print_test(experiment.model(), experiment.test(), o);
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
  if (options.print_schema) {
    std::printf("%s\n", nn::settings_schema_json().dump(2).c_str());
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
