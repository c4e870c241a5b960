// The settings schema (engine/settings.h): derived names, limits with messages naming the
// field, the limit and the miss, parsing of CLI text, the two profiles and the JSON form.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/preprocess_variants.h"
#include "engine/settings.h"

using namespace nn;

TEST_CASE("settings: names derive the JS and CLI spellings from one", "[settings]") {
  CHECK(setting_field("batch_size").js_name() == "batchSize");
  CHECK(setting_field("batch_size").cli_flag() == "--batch-size");
  CHECK(setting_field("fontDigits").name == std::string("font_digits"));
  CHECK(setting_field("font_digits").cli_flag() == "--font-digits");
  CHECK(setting_field("l2").js_name() == "l2");
  CHECK_THROWS_WITH(setting_field("colour"), Catch::Contains("unknown field \"colour\""));
  std::set<std::string> names;
  for (const SettingField& f : settings_schema()) {
    CHECK(names.insert(f.name).second);
    CHECK(std::string(f.help).size() > 10);
  }
}

TEST_CASE("settings: check names the field, the limit and by how much the value misses", "[settings]") {
  CHECK_THROWS_WITH(setting_field("epochs").check(0),
                    "epochs 0 is invalid: it must be at least 1 (it is 1 below; allowed: [1, 10000])");
  CHECK_THROWS_WITH(setting_field("epochs").check(10002),
                    "epochs 10002 is invalid: it must be at most 10000 (it is 2 above; allowed: [1, 10000])");
  CHECK_THROWS_WITH(setting_field("epochs").check(2.5), "epochs 2.5 is invalid: it must be a whole number in [1, 10000]");
  CHECK_THROWS_WITH(setting_field("learning_rate").check(0),
                    "learning_rate 0 is invalid: it must be above 0 (it is 0 below; allowed: (0, 10])");
  CHECK_THROWS_WITH(setting_field("momentum").check(1), Catch::Contains("momentum 1 is invalid: it must be below 1"));
  CHECK_THROWS_WITH(setting_field("l2").check(std::nan("")), "l2 nan is invalid: it must be a finite number in [0, 10]");
  CHECK_THROWS_WITH(setting_field("seed").check(4294967296.0),
                    Catch::Contains("seed 4294967296 is invalid: it must be at most 4294967295 (it is 1 above"));
  CHECK_THROWS_WITH(setting_field("seed").parse("18446744073709551617"), Catch::Contains("seed \"18446744073709551617\" is invalid"));
  CHECK_THROWS_WITH(setting_field("optimizer").check(4), Catch::Contains("one of sgd, momentum, nesterov or adam"));
  CHECK_NOTHROW(setting_field("epochs").check(10000));
  CHECK_NOTHROW(setting_field("learning_rate").check(10));
  CHECK_NOTHROW(setting_field("seed").check(4294967295.0));
}

TEST_CASE("settings: parse reads CLI text and rejects what is not a value", "[settings]") {
  CHECK(setting_field("epochs").parse("12") == 12);
  CHECK(setting_field("learning_rate").parse("1e-3") == Approx(0.001));
  CHECK(setting_field("optimizer").parse("nesterov") == double(OptimizerType::kNesterov));
  CHECK(setting_field("lr_schedule").parse("cosine") == double(LrSchedule::kCosine));
  CHECK(setting_field("font_digits").parse("true") == 1);
  CHECK_THROWS_WITH(setting_field("epochs").parse("3x"), "epochs \"3x\" is invalid: it must be a whole number");
  CHECK_THROWS_WITH(setting_field("epochs").parse("1e3"), "epochs \"1e3\" is invalid: it must be a whole number");
  CHECK_THROWS_WITH(setting_field("lr_schedule").parse("step"),
                    "lr_schedule \"step\" is unknown: expected constant or cosine");
  CHECK_THROWS_WITH(setting_field("batch_size").parse("0"), Catch::Contains("batch_size 0 is invalid"));
}

TEST_CASE("settings: the profiles are valid and differ only where the page chose", "[settings]") {
  REQUIRE(settings_profiles() == std::vector<std::string>{"defaults", "page"});
  const Settings d = default_settings(), page = profile_settings("page");
  CHECK_NOTHROW(validate(d));
  CHECK_NOTHROW(validate(page));
  CHECK(d.train.epochs == 20);
  CHECK(d.train.optimizer.learning_rate == 1e-3f);
  CHECK(d.train.optimizer.type == OptimizerType::kAdam);
  CHECK_FALSE(d.train.augment);
  CHECK(page.train.epochs == 10);
  CHECK(page.train.optimizer.learning_rate == 0.008f);
  CHECK(page.train.lr_schedule == LrSchedule::kCosine);
  CHECK(page.train.augment);
  CHECK(page.train.augment_copies == 6);
  CHECK(page.font_digits);
  CHECK(page.test_every_epoch);
  CHECK_FALSE(d.test_every_epoch);
  CHECK(page.train.batch_size == d.train.batch_size);
  CHECK(page.train.seed == 42);
  CHECK_THROWS_WITH(profile_settings("fast"), Catch::Contains("unknown profile \"fast\": expected defaults or page"));
  Settings bad = d;
  bad.test_share = 1.0f;
  CHECK_THROWS_WITH(validate(bad), Catch::Contains("test_share 1 is invalid: it must be below 1"));
}

TEST_CASE("settings: the JSON schema lists every field with its default and limits", "[settings]") {
  const nlohmann::json schema = settings_schema_json();
  REQUIRE(schema["fields"].size() == settings_schema().size());
  const nlohmann::json& epochs = schema["fields"][0];
  CHECK(epochs["name"] == "epochs");
  CHECK(epochs["jsName"] == "epochs");
  CHECK(epochs["flag"] == "--epochs");
  CHECK(epochs["type"] == "int");
  CHECK(epochs["default"] == 20);
  CHECK(epochs["min"] == 1);
  CHECK(epochs["max"] == 10000);
  CHECK(schema["profiles"]["page"]["lrSchedule"] == "cosine");
  CHECK(schema["profiles"]["defaults"]["optimizer"] == "adam");
  CHECK(schema["profiles"]["page"]["fontDigits"] == true);
  CHECK(schema["presets"] == nlohmann::json({"linear", "mlp", "deep_mlp", "cnn"}));
}

TEST_CASE("settings: the default ensemble recipe names presets, valid settings and variants", "[settings]") {
  const EnsembleRecipe& recipe = default_ensemble();
  REQUIRE(recipe.members.size() == 3);
  const std::vector<std::string> presets = preset_names();
  for (const EnsembleMemberRecipe& member : recipe.members) {
    CHECK(std::find(presets.begin(), presets.end(), member.preset) != presets.end());
    CHECK_NOTHROW(member_settings(member));
  }
  // The first member is the fast one, a stand-in: no copies and fewer epochs than the page
  // profile; it leaves once the others have joined. They stay.
  const Settings first = member_settings(recipe.members[0]);
  CHECK(first.train.augment_copies == 0);
  CHECK(recipe.members[0].stand_in);
  CHECK_FALSE(recipe.members[1].stand_in);
  CHECK_FALSE(recipe.members[2].stand_in);
  CHECK(first.train.epochs == 4);
  CHECK(first.font_digits);
  // The stroke digits (page profile) train all three.
  CHECK(first.stroke_digits);
  CHECK(member_settings(recipe.members[1]).stroke_digits);
  CHECK(member_settings(recipe.members[2]).stroke_digits);
  CHECK(parse_variants(recipe.variants) == default_variants());
  CHECK(member_settings(recipe.members[2]).train.font_digit_copies == 2);
  CHECK(member_settings(recipe.members[2]).train.epochs == 2);
  const nlohmann::json schema = settings_schema_json();
  REQUIRE(schema["defaultEnsemble"]["members"].size() == recipe.members.size());
  CHECK(schema["defaultEnsemble"]["members"][2]["preset"] == "cnn");
  CHECK(schema["defaultEnsemble"]["members"][0]["settings"]["augmentCopies"] == 0);
  CHECK(schema["defaultEnsemble"]["members"][0]["standIn"] == true);
  CHECK(schema["defaultEnsemble"]["members"][1]["standIn"] == false);
  CHECK(schema["defaultEnsemble"]["variants"] == "identity,left,right,bolder,lighter,cw,ccw");
}

TEST_CASE("settings: a recipe member with a bad change names the field", "[settings]") {
  CHECK_THROWS_WITH(member_settings({"mlp", {{"epochs", 0}}}), Catch::Contains("epochs 0 is invalid"));
  CHECK_THROWS_WITH(member_settings({"mlp", {{"nope", 1}}}), Catch::Contains("unknown field \"nope\""));
}
