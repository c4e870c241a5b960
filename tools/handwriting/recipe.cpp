#include "recipe.h"

#include <ctime>
#include <sstream>

#include "engine/architecture.h"
#include "engine/augment.h"
#include "engine/error.h"
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
    else if (key == "lr") r.lr = std::stof(value);
    else if (key == "schedule") r.schedule = value;
    else if (key == "batch") r.batch = std::stoi(value);
    else if (key == "tta") r.variants = value;
    else if (key == "seed") r.seed = std::stoull(value);
    else if (key != "folds") throw nn::Error("unknown recipe key '" + key + "'");
  }
  if (r.members.empty()) throw nn::Error("recipe: members is empty");
  return r;
}

std::string describe(const Recipe& r) {
  std::string m;
  for (size_t i = 0; i < r.members.size(); ++i) {
    m += (i ? "+" : "") + r.members[i];
    if (i < r.member_epochs.size() && r.member_epochs[i] > 0) m += ":" + std::to_string(r.member_epochs[i]);
  }
  std::ostringstream s;
  s << m << " copies=" << r.copies << " fonts="
    << (!r.fonts ? "none" : r.font_copies > 0 ? "distorted x" + std::to_string(r.font_copies) : "as-is")
    << " epochs=" << r.epochs << " lr=" << r.lr << " " << r.schedule << " batch=" << r.batch;
  return s.str();
}

nn::Ensemble train_recipe(const Recipe& r, const nn::Dataset& digits, const nn::Dataset& fonts, Cost& cost) {
  const std::clock_t t0 = std::clock();  // CPU time: the machine is shared
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
  nn::Ensemble ensemble;
  for (size_t m = 0; m < r.members.size(); ++m) {
    const std::clock_t m0 = std::clock();
    nn::TrainConfig config;
    config.epochs = m < r.member_epochs.size() && r.member_epochs[m] > 0 ? r.member_epochs[m] : r.epochs;
    config.batch_size = r.batch;
    config.optimizer.learning_rate = r.lr;
    config.lr_schedule = r.schedule;
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
