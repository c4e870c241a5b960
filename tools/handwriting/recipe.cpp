#include "recipe.h"

#include <ctime>
#include <sstream>

#include "engine/architecture.h"
#include "engine/augment.h"
#include "engine/error.h"
#include "engine/made_digits.h"
#include "engine/trainer.h"

namespace handwriting {
namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

}  // namespace

Recipe parse_recipe(const std::vector<std::string>& args) {
  Recipe r;
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) throw nn::Error("recipe argument '" + arg + "' is not key=value");
    const std::string key = arg.substr(0, eq), value = arg.substr(eq + 1);
    if (key == "members") {
      r.members.clear();
      r.member_epochs.clear();
      for (const std::string& m : split_commas(value)) {
        const size_t colon = m.find(':');
        r.members.push_back(m.substr(0, colon));
        r.member_epochs.push_back(colon == std::string::npos ? 0 : std::stoi(m.substr(colon + 1)));
      }
    }
    else if (key == "copies") r.copies = std::stoi(value);
    else if (key == "font_copies") r.font_copies = std::stoi(value);
    else if (key == "fonts") r.fonts = value != "0";
    else if (key == "epochs") r.epochs = std::stoi(value);
    else if (key == "weak") r.weak = value;
    else if (key == "weak_copies") r.weak_copies = std::stoi(value);
    else if (key == "lr") r.lr = std::stof(value);
    else if (key == "schedule") r.schedule = value;
    else if (key == "batch") r.batch = std::stoi(value);
    else if (key == "tta") r.variants = value;
    else if (key == "seed") r.seed = std::stoull(value);
    else if (key == "strokes") {
      r.strokes = std::stoi(value);
      if (r.strokes < 0 || r.strokes > 10000) throw nn::Error("recipe: strokes must be 0..10000 a class, got " + value);
    } else if (key == "stroke_style") {
      if (value != "hard" && value != "pen") throw nn::Error("recipe: stroke_style is pen or hard, got '" + value + "'");
      r.stroke_hard = value == "hard";
    } else if (key == "stroke_styles") {
      if (value != "all" && value != "even" && value != "odd") {
        throw nn::Error("recipe: stroke_styles is all, even or odd, got '" + value + "'");
      }
      r.stroke_parity = value == "even" ? 0 : value == "odd" ? 1 : -1;
    }
    else if (key == "page") {
      const nn::EnsembleRecipe& recipe = nn::default_ensemble();
      r.members.clear();
      r.member_epochs.clear();
      r.page.clear();
      for (const std::string& item : split_commas(value)) {
        const size_t index = std::stoul(item);
        if (index >= recipe.members.size())
          throw nn::Error("recipe: page member " + item + " is not one of the " + std::to_string(recipe.members.size()));
        r.members.push_back(recipe.members[index].preset);
        r.page.push_back(nn::member_settings(recipe.members[index]));
      }
    } else if (key.rfind("member", 0) == 0 && key.find('.') != std::string::npos) {
      const size_t dot = key.find('.');
      const size_t index = std::stoul(key.substr(6, dot - 6));
      if (index >= r.page.size()) throw nn::Error("recipe: " + key + " needs page= listing that member first");
      const nn::SettingField& field = nn::setting_field(key.substr(dot + 1));
      field.set(r.page[index], std::stod(value));
      nn::validate(r.page[index]);
    }
    else if (key != "folds") throw nn::Error("unknown recipe key '" + key + "'");
  }
  if (r.members.empty()) throw nn::Error("recipe: members is empty");
  // The epochs each page member trains, for the table's names.
  for (size_t m = 0; m < r.page.size(); ++m) r.member_epochs.push_back(r.page[m].train.epochs);
  return r;
}

std::string describe(const Recipe& r) {
  const std::string strokes = r.strokes <= 0 ? std::string()
      : " strokes=" + std::to_string(r.strokes) + "/class" + (r.stroke_hard ? " hard" : "") +
            (r.stroke_parity == 0 ? " even styles" : r.stroke_parity == 1 ? " odd styles" : "");
  if (!r.page.empty()) {
    std::ostringstream s;
    s << "page members" << strokes << ":";
    for (size_t i = 0; i < r.page.size(); ++i) {
      const nn::TrainConfig& c = r.page[i].train;
      s << (i ? ";" : "") << " " << r.members[i] << " copies=" << (c.augment ? c.augment_copies : 0) << " fonts="
        << (!r.page[i].font_digits ? "none" : c.augment && c.font_digit_copies > 0 ? "distorted x" + std::to_string(c.font_digit_copies) : "as-is")
        << (r.page[i].stroke_digits ? " +strokes" : "") << " epochs=" << c.epochs << " lr=" << c.optimizer.learning_rate << " " << nn::name_of(c.lr_schedule) << " batch=" << c.batch_size;
    }
    return s.str();
  }
  std::string m;
  for (size_t i = 0; i < r.members.size(); ++i) {
    m += (i ? "+" : "") + r.members[i];
    if (i < r.member_epochs.size() && r.member_epochs[i] > 0) m += ":" + std::to_string(r.member_epochs[i]);
  }
  std::ostringstream s;
  s << m << " copies=" << r.copies << " fonts="
    << (!r.fonts ? "none" : r.font_copies > 0 ? "distorted x" + std::to_string(r.font_copies) : "as-is")
    << (r.weak_copies > 0 ? " weak=" + r.weak + " x" + std::to_string(r.weak_copies) : "") << strokes << " epochs=" << r.epochs << " lr=" << r.lr << " " << r.schedule << " batch=" << r.batch;
  return s.str();
}

namespace {

// The page's way: every member makes its own distorted copies (each worker its own).
nn::Ensemble train_page_members(const Recipe& r, const nn::Dataset& digits, const nn::Dataset& fonts,
                                const nn::Dataset& strokes, Cost& cost) {
  nn::Ensemble ensemble;
  for (size_t m = 0; m < r.page.size(); ++m) {
    const std::clock_t m0 = std::clock();
    const nn::Settings& s = r.page[m];
    nn::TrainConfig config = s.train;
    config.seed = r.seed * 1000 + m;
    const nn::Dataset member_fonts = nn::made_digits(s, fonts, strokes, "page member");
    if (config.augment) {
      cost.distortions += long(digits.size()) * config.augment_copies;
      if (config.font_digit_copies > 0) cost.distortions += long(member_fonts.size()) * config.font_digit_copies;
    }
    nn::Trainer trainer(nn::parse_architecture(nn::preset_architecture(r.members[m], s.dropout)), digits, nn::Dataset{},
                        config, member_fonts);
    while (!trainer.done()) trainer.run(100000);
    cost.samples_trained += long(trainer.progress().samples_seen);
    cost.members.push_back({r.members[m], long(trainer.progress().samples_seen), double(std::clock() - m0) / CLOCKS_PER_SEC});
    ensemble.add(std::move(trainer.model()));
  }
  return ensemble;
}

}  // namespace

nn::Ensemble train_recipe(const Recipe& r, const nn::Dataset& digits, const nn::Dataset& font_digits,
                          const nn::Dataset& stroke_digits, Cost& cost) {
  const std::clock_t t0 = std::clock();  // CPU time: the machine is shared
  if (!r.page.empty()) {
    nn::Ensemble ensemble = train_page_members(r, digits, font_digits, stroke_digits, cost);
    cost.seconds += double(std::clock() - t0) / CLOCKS_PER_SEC;
    return ensemble;
  }
  // Here the stroke digits join only when strokes=N asks (as if they were font digits); the
  // font digits are not copied otherwise.
  const nn::Dataset with_strokes = r.strokes > 0 ? nn::concat(font_digits, stroke_digits) : nn::Dataset{};
  const nn::Dataset& fonts = r.strokes > 0 ? with_strokes : font_digits;
  nn::Rng rng(r.seed * 7919 + 13);
  nn::Dataset train = r.copies > 0 ? nn::augment_dataset(digits, r.copies, rng) : digits;
  cost.distortions += long(digits.size()) * r.copies;
  if (r.fonts && fonts.size() > 0) {
    if (r.font_copies > 0) {
      train = nn::concat(train, nn::augment_dataset(fonts, r.font_copies, rng));
      cost.distortions += long(fonts.size()) * r.font_copies;
    } else {
      train = nn::concat(train, fonts);
    }
  }
  if (r.weak_copies > 0) {
    // Extra distorted copies of the weak classes' digits and font digits.
    for (const nn::Dataset* source : {&digits, &fonts}) {
      if (source == &fonts && !r.fonts) continue;
      std::vector<int> rows;
      for (nn::Index i = 0; i < source->size(); ++i)
        if (r.weak.find(char('0' + source->y[i])) != std::string::npos) rows.push_back(int(i));
      if (rows.empty()) continue;
      nn::Dataset extra = nn::augment_dataset(nn::subset(*source, rows), r.weak_copies, rng);
      const nn::Index originals = nn::Index(rows.size());  // already in the set once
      std::vector<int> copies_only;
      for (nn::Index i = originals; i < extra.size(); ++i) copies_only.push_back(int(i));
      train = nn::concat(train, nn::subset(extra, copies_only));
      cost.distortions += long(rows.size()) * r.weak_copies;
    }
  }
  nn::Ensemble ensemble;
  for (size_t m = 0; m < r.members.size(); ++m) {
    const std::clock_t m0 = std::clock();
    nn::TrainConfig config;
    config.epochs = m < r.member_epochs.size() && r.member_epochs[m] > 0 ? r.member_epochs[m] : r.epochs;
    config.batch_size = r.batch;
    config.optimizer.learning_rate = r.lr;
    config.lr_schedule = nn::parse_lr_schedule(r.schedule);
    config.seed = r.seed * 1000 + m;
    nn::Trainer trainer(nn::parse_architecture(nn::preset_architecture(r.members[m])), train, nn::Dataset{},
                        config);
    while (!trainer.done()) trainer.run(100000);
    cost.samples_trained += long(trainer.progress().samples_seen);
    cost.members.push_back({r.members[m], long(trainer.progress().samples_seen), double(std::clock() - m0) / CLOCKS_PER_SEC});
    ensemble.add(std::move(trainer.model()));
  }
  cost.seconds += double(std::clock() - t0) / CLOCKS_PER_SEC;
  return ensemble;
}

double Cost::wasm_seconds() const {
  double s = distortions / kWasmDistortionsPerSec;
  for (const MemberCost& m : members) {
    if (m.name == "mlp") s += m.samples / kWasmMlpSamplesPerSec;
    else if (m.name == "cnn") s += m.samples / kWasmCnnSamplesPerSec;
    else s += m.seconds * 2;  // half the native rate: twice the time
  }
  return s;
}

}  // namespace handwriting
