// Occlusion maps and confidence curves (engine/sensitivity.h) on predictors whose answers are
// known: a hand-written one (the probability of class 0 is the mean ink) and a linear model
// with set weights; one model and a one-member ensemble give the same map. The bitmap edits
// (engine/image/bitmap_ops.h) checked pixel by pixel.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "engine/architecture.h"
#include "engine/ensemble.h"
#include "engine/error.h"
#include "engine/image/bitmap_ops.h"
#include "engine/layers/dense.h"
#include "engine/sensitivity.h"
#include "tests/engine/pen_raster.h"

using namespace nn;

namespace {

// Class 0's probability is the mean of the features, class 1 has the rest. Counts its calls.
struct MeanInk {
  int calls = 0;
  Index rows = 0;
  Predictor predictor() {
    return [this](ConstMatrixView x) {
      ++calls;
      rows += x.rows();
      Matrix p(x.rows(), 2);
      for (Index r = 0; r < x.rows(); ++r) {
        double sum = 0;
        for (Index c = 0; c < x.cols(); ++c) sum += x(r, c);
        p(r, 0) = float(sum / 64.0);
        p(r, 1) = 1.0f - p(r, 0);
      }
      return p;
    };
  }
};

std::array<float, 64> inked_blocks() {
  std::array<float, 64> f{};
  for (int y = 1; y < 7; ++y)
    for (int x = 2; x < 6; ++x) f[y * 8 + x] = 1.0f;  // 24 blocks fully inked: mean 0.375 < 0.5
  f[0] = 0.5f;
  return f;
}

}  // namespace

TEST_CASE("occlusion map: each inked block's drop is what blanking it takes from the top class",
          "[sensitivity]") {
  MeanInk model;
  const std::array<float, 64> f = inked_blocks();
  const OcclusionMap map = occlusion_map(model.predictor(), f.data());
  CHECK(model.calls == 1);      // one batch
  CHECK(model.rows == 1 + 25);  // the digit and one row per inked block
  // mean ink 24.5 / 64 < 0.5: class 1 is on top, and blanking ink raises it (negative drops).
  CHECK(map.top_class == 1);
  CHECK(map.top_probability == Approx(1 - 24.5 / 64).epsilon(1e-6));
  for (int i = 0; i < 64; ++i) {
    INFO("block " << i);
    if (f[i] == 0) CHECK(map.drop[i] == 0.0f);
    else CHECK(map.drop[i] == Approx(-f[i] / 64.0).epsilon(1e-5));
  }
}

TEST_CASE("occlusion map: a linear model that reads one block loses exactly that block's share",
          "[sensitivity]") {
  Sequential net = parse_architecture(preset_architecture("linear"));
  Rng rng(1);
  net.build(rng);
  auto& dense = dynamic_cast<Dense&>(net.layer(0));
  for (auto& p : dense.params()) p.value_vector().setZero();
  dense.weight()(3, 10) = 5.0f;  // class 3 reads block 10 only
  std::array<float, 64> f{};
  f[10] = 1.0f;
  f[20] = 0.75f;
  f[30] = 0.25f;
  const Predictor predict = [&](ConstMatrixView x) { return net.predict(x); };
  const OcclusionMap map = occlusion_map(predict, f.data());
  const double top = std::exp(5.0) / (std::exp(5.0) + 9.0);
  CHECK(map.top_class == 3);
  CHECK(map.top_probability == Approx(top).epsilon(1e-6));
  CHECK(map.drop[10] == Approx(top - 0.1).epsilon(1e-5));
  CHECK(map.drop[20] == Approx(0).margin(1e-6));
  CHECK(map.drop[30] == Approx(0).margin(1e-6));
  for (int i = 0; i < 64; ++i)
    if (i != 10 && i != 20 && i != 30) CHECK(map.drop[i] == 0.0f);

  // The same model as a one-member ensemble (the page's predictor) gives the same map.
  Ensemble e;
  e.add(std::move(net));
  const OcclusionMap again = occlusion_map([&](ConstMatrixView x) { return e.predict(x); }, f.data());
  CHECK(again.top_class == map.top_class);
  CHECK(again.drop == map.drop);
}

TEST_CASE("occlusion map and curves: bad features and bad predictors throw", "[sensitivity]") {
  MeanInk model;
  std::array<float, 64> f = inked_blocks();
  f[5] = std::nanf("");
  CHECK_THROWS_WITH(occlusion_map(model.predictor(), f.data()), Catch::Contains("feature 5"));
  CHECK_THROWS_AS(confidence_curves(model.predictor(), f.data()), Error);
  CHECK_THROWS_AS(occlusion_map(model.predictor(), nullptr), Error);
  const Predictor wrong = [](ConstMatrixView x) { return Matrix(x.rows() + 1, 10); };
  const std::array<float, 64> ok = inked_blocks();
  CHECK_THROWS_WITH(occlusion_map(wrong, ok.data()), Catch::Contains("answered"));
}

TEST_CASE("confidence curves: shifts keep the ink, growth adds it, step 0 is the digit itself",
          "[sensitivity]") {
  MeanInk model;
  const std::array<float, 64> f = inked_blocks();
  const ConfidenceCurves c = confidence_curves(model.predictor(), f.data());
  CHECK(model.calls == 1);
  CHECK(c.top_class == 1);
  REQUIRE(c.curves.size() == 4);
  CHECK(c.curves[0].name == "shift_x");
  CHECK(c.curves[1].name == "shift_y");
  CHECK(c.curves[2].name == "rotate");
  CHECK(c.curves[3].name == "thickness");
  const float own = 1.0f - 24.5f / 64.0f;
  for (const ConfidenceCurve& curve : c.curves) {
    INFO(curve.name);
    REQUIRE(curve.steps.size() == curve.confidence.size());
    REQUIRE(curve.steps.size() == curve.predicted.size());
    bool has_zero = false;
    for (size_t k = 0; k < curve.steps.size(); ++k)
      if (curve.steps[k] == 0) {
        has_zero = true;
        CHECK(curve.confidence[k] == Approx(own).epsilon(1e-6));
      }
    CHECK(has_zero);
  }
  // The ink spans box columns 0..23: shifts right by up to 6 pixels keep all of it in the box.
  const ConfidenceCurve& shift = c.curves[0];
  for (size_t k = 0; k < shift.steps.size(); ++k)
    if (shift.steps[k] > 0) CHECK(shift.confidence[k] == Approx(own).epsilon(1e-6));
  const ConfidenceCurve& thick = c.curves[3];
  for (size_t k = 1; k < thick.steps.size(); ++k) CHECK(thick.confidence[k] <= thick.confidence[k - 1]);
  CHECK(thick.confidence.front() > thick.confidence.back());  // thinner: less ink, class 1 surer
}

TEST_CASE("bitmap edits: shift, rotation and growth move exactly the pixels they should", "[sensitivity][bitmap]") {
  image::Bitmap32 b{};
  b[16 * 32 + 20] = 1;  // pixel (20, 16)
  image::Bitmap32 s = image::shift_bitmap(b, 3, -2);
  CHECK(s[14 * 32 + 23] == 1);
  CHECK(std::count(s.begin(), s.end(), 1) == 1);
  const image::Bitmap32 gone = image::shift_bitmap(b, 12, 0);  // moved out of the box
  CHECK(std::count(gone.begin(), gone.end(), 1) == 0);
  const image::Bitmap32 r = image::rotate_bitmap(b, 90);  // clockwise on screen: right of centre -> below it
  CHECK(r[20 * 32 + 15] == 1);
  CHECK(std::count(r.begin(), r.end(), 1) == 1);
  CHECK(image::rotate_bitmap(b, 0) == b);
  const image::Bitmap32 g = image::grow_bitmap(b, 1);
  CHECK(std::count(g.begin(), g.end(), 1) == 5);
  CHECK(g[15 * 32 + 20] == 1);
  CHECK(g[16 * 32 + 21] == 1);
  CHECK(image::grow_bitmap(g, -1) == b);
  CHECK(image::grow_bitmap(b, -1) == image::Bitmap32{});
  CHECK(image::grow_bitmap(b, 0) == b);
}
