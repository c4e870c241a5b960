// The one schema of a run's settings: every training field's name, type, default, limits,
// choices and one line of help, written once here. The CLI's flags and --help, the JS API's
// defaults and checks, the page's form and web/digitlab.d.ts all come from this table
// (natively through settings_schema(), in JS through the bindings' settingsSchema()).
// Names are written once in snake_case; the JS name (camelCase) and the CLI flag
// (kebab-case) are derived from it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/trainer.h"

namespace nn {

// Everything a run is set up from, besides the architecture and the data files.
struct Settings {
  TrainConfig train;            // epochs, batch size, optimizer, schedule, augmentation, seed
  float dropout = 0.0f;         // after each hidden activation of a preset model
  bool font_digits = false;     // add the font digits to the training split (made_digits.h)
  bool stroke_digits = false;   // add the synthetic pen-stroke digits to the training split
  float validation_share = 0.1f;
  float test_share = 0.2f;
  bool test_every_epoch = false;  // measure the test accuracy after every epoch (outside training time)
  float test_target = 0.97f;    // the test accuracy whose first epoch and time are reported
  // The most a training batch may cost, in GFLOP of products (benchmark.h's count); 0: no
  // limit. The page sets one so that a pause or a drawing never waits long behind a batch.
  double max_batch_gflops = 0;
};

enum class FieldType { kInt, kFloat, kBool, kChoice, kSeed };

// One row of the schema. Values cross as doubles (a choice as its index, a bool as 0/1, a
// seed as an integer up to 2^53, which JS numbers hold exactly).
struct SettingField {
  const char* name;  // snake_case, e.g. "batch_size"
  FieldType type;
  double min, max;   // numbers only
  bool min_open;     // the minimum itself is not allowed (learning rate > 0)
  bool max_open;     // the maximum itself is not allowed (momentum < 1)
  std::vector<std::string> choices;  // kChoice only
  const char* help;  // one line, for --help, the page's titles and digitlab.d.ts
  double (*get)(const Settings&);
  void (*set)(Settings&, double);

  std::string js_name() const;   // "batchSize"
  std::string cli_flag() const;  // "--batch-size"
  // Throws nn::Error "<name> <value> is invalid: it must be ..." naming the limit and by how
  // much the value misses it; NaN and non-integers for integer fields are invalid too.
  void check(double value) const;
  // "[1, 10000]", "(0, 10]": the allowed range of a number.
  std::string range_text() const;
  // The value's text as the CLI and the page write it (a choice's name, true/false).
  std::string format(double value) const;
  // Parses text as the CLI gets it ("12", "1e-3", "cosine", "true") and checks it.
  double parse(const std::string& text) const;
};

// The schema, in the order --help and the page list the fields.
const std::vector<SettingField>& settings_schema();
// The row named `name` (snake_case or the JS name); throws nn::Error for an unknown one.
const SettingField& setting_field(const std::string& name);

// Named profiles: "defaults" (the API's and the CLI's) and "page" (what the page's first
// visit trains: the measured fast default, tools/handwriting/README.md "Page default").
const std::vector<std::string>& settings_profiles();
Settings profile_settings(const std::string& profile);
inline Settings default_settings() { return profile_settings("defaults"); }

// The ensemble a first visit to the page trains by itself: its members (each a preset plus
// settings changes over the "page" profile, trained in this order, the first one fast so a
// model reads drawings within a second) and the test-time input variants
// (preprocess_variants.h) they are read in. The one place the recipe is written.
struct EnsembleMemberRecipe {
  std::string preset;
  std::vector<std::pair<std::string, double>> changes;  // over the "page" profile
  // A stand-in reads drawings only until every other member has joined, then leaves: a
  // model fast enough for the first second is weaker than the rest and adds nothing to
  // their average (tools/handwriting/README.md, "The page's stand-in").
  bool stand_in = false;
};
struct EnsembleRecipe {
  std::vector<EnsembleMemberRecipe> members;
  std::string variants;  // comma-separated, e.g. "identity,left,right"
};
const EnsembleRecipe& default_ensemble();
// A member's full settings: the "page" profile with its changes applied (and checked).
Settings member_settings(const EnsembleMemberRecipe& member);

// Checks every field of `settings`: the first bad one throws (see SettingField::check).
void validate(const Settings& settings);

// The schema as JSON for the bindings and the page: {fields: [{name, jsName, flag, type,
// default, min, max, minOpen, maxOpen, choices, help}], profiles: {name: {jsName: value}},
// presets: [...], defaultEnsemble: {members: [{preset, settings: {jsName: value}}], variants}}.
// `default` is the "defaults" profile's value.
nlohmann::json settings_schema_json();

// The enums' names, as the schema's choices spell them (parse_optimizer and
// parse_lr_schedule are declared next to their enums).
const std::vector<std::string>& optimizer_names();
const std::vector<std::string>& lr_schedule_names();

}  // namespace nn
