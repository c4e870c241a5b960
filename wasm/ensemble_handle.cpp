// Glue between the JS Ensemble and nn::Ensemble (see ensemble_handle.h).
#include "wasm/ensemble_handle.h"

#include <cmath>

#include "wasm/convert.h"
#include "wasm/facade.h"
#include "wasm/js_error.h"

namespace digitlab_wasm {

namespace {
uint64_t next_serial() {
  static uint64_t serial = 0;
  return ++serial;
}
}  // namespace

EnsembleHandle::EnsembleHandle(nn::Dataset test) : test_(std::move(test)), serial_(next_serial()) {
  live_handles()[this] = serial_;
}

EnsembleHandle::~EnsembleHandle() { live_handles().erase(this); }

std::map<const EnsembleHandle*, uint64_t>& EnsembleHandle::live_handles() {
  static std::map<const EnsembleHandle*, uint64_t> handles;
  return handles;
}

void EnsembleHandle::require_alive(uint64_t serial, const char* what) const {
  const auto it = live_handles().find(this);
  if (it == live_handles().end() || it->second != serial) {
    throw nn::Error(std::string(what) + ": the ensemble was deleted while its argument was read (by a getter); "
                    "nothing was changed");
  }
}

EnsembleHandle* EnsembleHandle::create(const val& options) {
  return guard([&] {
    const nn::Settings settings = settings_from_js(options, "createEnsemble", {});
    nn::Dataset test;
    if (const nn::Dataset* digits = loaded_digits()) test = nn::test_split(*digits, settings);
    return new EnsembleHandle(std::move(test));
  });
}

int EnsembleHandle::add(const val& bytes) {
  return guard([&] {
    const uint64_t serial = serial_;
    const std::vector<uint8_t> file = bytes_from_js(bytes, "ensemble.add", nn::kMaxModelFileBytes);
    require_alive(serial, "ensemble.add");
    if (file.empty()) throw nn::Error("ensemble.add: the model file is empty (0 bytes)");
    nn::Sequential model = nn::load_model(file.data(), file.size());
    nn::check_digit_model(model, "ensemble.add");
    ensemble_.add(std::move(model));  // checks before it changes anything
    return size();
  });
}

int EnsembleHandle::remove(int index) {
  return guard([&] {
    if (index < 0) throw nn::Error("ensemble.remove: no member " + std::to_string(index) + " (members count from 0)");
    ensemble_.remove(size_t(index));
    return size();
  });
}

void EnsembleHandle::set_variants(const val& list) {
  guard([&] {
    if (!list.isString()) throw nn::Error("ensemble.setVariants: expected a comma-separated string like \"identity,left\"");
    ensemble_.set_variants(nn::parse_variants(list.as<std::string>()));
    return 0;
  });
}

std::string EnsembleHandle::variants() const {
  std::string out;
  for (nn::InputVariant v : ensemble_.variants()) out += (out.empty() ? "" : ",") + nn::variant_name(v);
  return out;
}

val EnsembleHandle::predict(const val& features) {
  return guard([&] {
    const uint64_t serial = serial_;
    std::vector<float> x = floats_from_js(features, "ensemble.predict");
    require_alive(serial, "ensemble.predict");
    if (ensemble_.size() == 0) throw nn::Error("ensemble.predict: the ensemble has no members yet (add a model first)");
    const int per_sample = ensemble_.member(0).input_shape().size();
    if (x.empty() || x.size() % static_cast<size_t>(per_sample) != 0) {
      throw nn::Error("ensemble.predict: expected " + std::to_string(per_sample) + " features per sample, got " +
                      std::to_string(x.size()) + " values, which is not a positive multiple of " +
                      std::to_string(per_sample));
    }
    for (float v : x) {
      if (!std::isfinite(v)) throw nn::Error("ensemble.predict: features must be finite numbers (got NaN or Infinity)");
    }
    const auto rows = static_cast<nn::Index>(x.size() / static_cast<size_t>(per_sample));
    const nn::ConstMatrixView in(x.data(), rows, per_sample);
    const nn::Matrix probs = ensemble_.predict(in);
    // Each member's own reading, as a one-member ensemble over the same variants.
    std::vector<int32_t> classes(static_cast<size_t>(rows) * ensemble_.size());
    const nn::Matrix expanded = nn::input_variants(in, ensemble_.variants());
    const auto v_count = static_cast<nn::Index>(ensemble_.variants().size());
    for (size_t m = 0; m < ensemble_.size(); ++m) {
      const nn::Matrix p = ensemble_.member(m).predict(nn::view(expanded));
      for (nn::Index i = 0; i < rows; ++i) {
        const nn::Matrix mean = p.middleRows(i * v_count, v_count).colwise().sum();
        nn::Index top = 0;
        mean.row(0).maxCoeff(&top);
        classes[static_cast<size_t>(i) * ensemble_.size() + m] = static_cast<int32_t>(top);
      }
    }
    val out = val::object();
    out.set("probabilities", float32_array(probs.data(), static_cast<size_t>(probs.size())));
    out.set("memberClasses", int32_array(classes.data(), classes.size()));
    return out;
  });
}

val EnsembleHandle::evaluate() {
  return guard([&] {
    if (test_.size() == 0) throw nn::Error("ensemble.evaluate: no test split (load the digits before creating the ensemble)");
    if (ensemble_.size() == 0) throw nn::Error("ensemble.evaluate: the ensemble has no members yet (add a model first)");
    return evaluation_to_js(ensemble_.evaluate(test_), test_);
  });
}

bool EnsembleHandle::prepare_test(int rows) {
  return guard([&] { return ensemble_.prepare_variants(nn::view(test_.x), rows); });
}

val EnsembleHandle::test_features() {
  return guard([&] { return float32_array(test_.x.data(), static_cast<size_t>(test_.x.size())); });
}

}  // namespace digitlab_wasm
