// See inside_views.h. Each method reads its JS argument first (that may run JS), then checks
// its handle is still alive, then asks the engine.
#include "wasm/inside_views.h"

#include "engine/experiment.h"
#include "engine/inspect.h"
#include "engine/preprocess.h"
#include "engine/sensitivity.h"
#include "wasm/convert.h"
#include "wasm/ensemble_handle.h"
#include "wasm/facade.h"
#include "wasm/js_error.h"

namespace digitlab_wasm {

namespace {

std::vector<float> digit_from_js(const val& features, const char* who) {
  std::vector<float> x = floats_from_js(features, who, nn::kDigitFeatures + 1);
  if (x.size() != static_cast<size_t>(nn::kDigitFeatures)) {
    throw nn::Error(std::string(who) + ": expected the 64 features of one digit, got " + std::to_string(x.size()) +
                    " values");
  }
  return x;
}

val occlusion_to_js(const nn::OcclusionMap& map) {
  val out = val::object();
  out.set("topClass", map.top_class);
  out.set("topProbability", map.top_probability);
  out.set("drop", float32_array(map.drop.data(), map.drop.size()));
  return out;
}

val curves_to_js(const nn::ConfidenceCurves& curves) {
  val list = val::array();
  for (const nn::ConfidenceCurve& c : curves.curves) {
    val curve = val::object();
    curve.set("name", c.name);
    curve.set("steps", float32_array(c.steps.data(), c.steps.size()));
    curve.set("confidence", float32_array(c.confidence.data(), c.confidence.size()));
    std::vector<int32_t> predicted(c.predicted.begin(), c.predicted.end());
    curve.set("predicted", int32_array(predicted.data(), predicted.size()));
    list.call<void>("push", curve);
  }
  val out = val::object();
  out.set("topClass", curves.top_class);
  out.set("curves", list);
  return out;
}

}  // namespace

val ModelApi::occlusion(const val& features) {
  return guard([&] {
    const ModelApi* self = this;
    const uint64_t serial = serial_;
    const std::vector<float> x = digit_from_js(features, "occlusion");
    require_alive(self, serial, "occlusion");
    nn::Sequential& net = model();
    return occlusion_to_js(nn::occlusion_map([&](nn::ConstMatrixView in) { return net.predict(in); }, x.data()));
  });
}

val ModelApi::confidence_curves(const val& features) {
  return guard([&] {
    const ModelApi* self = this;
    const uint64_t serial = serial_;
    const std::vector<float> x = digit_from_js(features, "confidenceCurves");
    require_alive(self, serial, "confidenceCurves");
    nn::Sequential& net = model();
    return curves_to_js(nn::confidence_curves([&](nn::ConstMatrixView in) { return net.predict(in); }, x.data()));
  });
}

val EnsembleHandle::occlusion(const val& features) {
  return guard([&] {
    const uint64_t serial = serial_;
    const std::vector<float> x = digit_from_js(features, "ensemble.occlusion");
    require_alive(serial, "ensemble.occlusion");
    if (ensemble_.size() == 0) throw nn::Error("ensemble.occlusion: the ensemble has no members yet (add a model first)");
    return occlusion_to_js(nn::occlusion_map([&](nn::ConstMatrixView in) { return ensemble_.predict(in); }, x.data()));
  });
}

val EnsembleHandle::confidence_curves(const val& features) {
  return guard([&] {
    const uint64_t serial = serial_;
    const std::vector<float> x = digit_from_js(features, "ensemble.confidenceCurves");
    require_alive(serial, "ensemble.confidenceCurves");
    if (ensemble_.size() == 0) {
      throw nn::Error("ensemble.confidenceCurves: the ensemble has no members yet (add a model first)");
    }
    return curves_to_js(nn::confidence_curves([&](nn::ConstMatrixView in) { return ensemble_.predict(in); }, x.data()));
  });
}

val EnsembleHandle::trace_forward(const val& features, int member) {
  return guard([&] {
    const uint64_t serial = serial_;
    const std::vector<float> x = digit_from_js(features, "ensemble.traceForward");
    require_alive(serial, "ensemble.traceForward");
    if (member < 0 || static_cast<size_t>(member) >= ensemble_.size()) {
      throw nn::Error("ensemble.traceForward: member " + std::to_string(member) + " is not in the ensemble of " +
                      std::to_string(ensemble_.size()) + " (0-based)");
    }
    nn::Sequential& net = ensemble_.member(static_cast<size_t>(member));
    return trace_to_js(nn::trace_forward(net, nn::ConstMatrixView(x.data(), 1, nn::kDigitFeatures)));
  });
}

val TrainerHandle::epoch_evaluation() {
  return guard([&] {
    const auto& measured = experiment_->last_epoch_evaluation();
    if (!measured) return val::null();
    const nn::Evaluation& ev = measured->evaluation;
    val out = val::object();
    out.set("epoch", measured->epoch);
    out.set("accuracy", ev.accuracy);
    out.set("loss", ev.loss);
    val confusion = val::array();
    for (const auto& row : ev.confusion) {
      val js_row = val::array();
      for (int count : row) js_row.call<void>("push", count);
      confusion.call<void>("push", js_row);
    }
    out.set("confusion", confusion);
    std::vector<int32_t> predicted(ev.predicted.begin(), ev.predicted.end());
    out.set("predicted", int32_array(predicted.data(), predicted.size()));
    const nn::Dataset& test = experiment_->test();
    std::vector<int32_t> labels(test.y.begin(), test.y.end());
    out.set("labels", int32_array(labels.data(), labels.size()));
    out.set("probabilities", float32_array(measured->probabilities.data(), static_cast<size_t>(measured->probabilities.size())));
    return out;
  });
}

val preprocess_stages_js(const val& pixels, int width, int height) {
  return guard([&] {
    const std::vector<uint8_t> ink = ink_from_js(pixels, width, height, "preprocessStages");
    const nn::PreprocessTrace trace = nn::trace_preprocess(ink.data(), width, height);
    const std::array<float, nn::kDigitFeatures> naive = nn::naive_downscale(ink.data(), width, height);
    val stages = val::array();
    for (const nn::PreprocessStage& stage : trace.stages) {
      val s = val::object();
      s.set("name", stage.name);
      s.set("width", stage.width);
      s.set("height", stage.height);
      s.set("pixels", float32_array(stage.pixels.data(), stage.pixels.size()));
      stages.call<void>("push", s);
    }
    val out = val::object();
    out.set("blank", trace.result.blank);
    out.set("features", float32_array(trace.result.features.data(), trace.result.features.size()));
    out.set("stages", stages);
    if (trace.ink_x1 >= trace.ink_x0) {
      val box = val::object();
      box.set("x0", trace.ink_x0);
      box.set("y0", trace.ink_y0);
      box.set("x1", trace.ink_x1);
      box.set("y1", trace.ink_y1);
      out.set("inkBox", box);
    } else {
      out.set("inkBox", val::null());
    }
    out.set("shear", trace.shear);
    out.set("growth", trace.growth);
    out.set("naive", float32_array(naive.data(), naive.size()));
    return out;
  });
}

}  // namespace digitlab_wasm
