// trace_forward: the input and every layer's output for one sample equal the layers run by
// hand, in order, for a model with every layer type; the probabilities element follows the
// loss; bad input is refused.
#include <catch2/catch.hpp>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/inspect.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

const char* kEveryLayer = R"({"input": [1, 8, 8], "loss": "softmax_cross_entropy", "layers": [
  {"type": "conv2d", "filters": 3, "kernel": 3, "padding": 1}, {"type": "relu"},
  {"type": "maxpool2d", "size": 2}, {"type": "flatten"}, {"type": "dropout", "rate": 0.5},
  {"type": "dense", "units": 7}, {"type": "tanh"}, {"type": "dense", "units": 10}]})";

Matrix one_digit(Rng& rng) { return test::random_matrix(1, 64, rng, 0.0f, 1.0f); }

}  // namespace

TEST_CASE("trace_forward: input, then each layer's output equal the layers run by hand", "[inspect]") {
  for (Mode mode : {Mode::kInfer, Mode::kTrain}) {
    Sequential model = parse_architecture(kEveryLayer);
    Rng rng(3);
    model.build(rng);
    const Matrix x = one_digit(rng);
    Rng trace_rng(9);
    const std::vector<LayerActivation> trace = trace_forward(model, view(x), mode, trace_rng);
    REQUIRE(trace.size() == model.layer_count() + 2);
    CHECK(trace[0].name == "input");
    CHECK(trace[0].type == "input");
    CHECK(trace[0].shape == Shape{1, 8, 8});
    CHECK(trace[0].values == std::vector<float>(x.data(), x.data() + 64));

    // By hand: the same layers, the same rng seed for dropout's mask.
    Rng hand_rng(9);
    Matrix h = x;
    const auto rows = model.summary_rows();
    for (size_t i = 0; i < model.layer_count(); ++i) {
      h = model.layer(i).forward(view(h), mode, hand_rng);
      const LayerActivation& a = trace[i + 1];
      CHECK(a.name == rows[i].name);
      CHECK(a.type == model.layer(i).type_name());
      CHECK(a.shape == rows[i].output);
      CHECK(a.values == std::vector<float>(h.data(), h.data() + h.size()));
    }
    CHECK(trace[2].name == "relu_1");
    CHECK(trace[3].shape == Shape{3, 4, 4});

    Matrix probs(1, 10);
    model.loss().probabilities(view(h), MatrixView(probs.data(), 1, 10));
    const LayerActivation& soft = trace.back();
    CHECK(soft.name == "softmax");
    CHECK(soft.type == "softmax");
    CHECK(soft.shape == Shape{10, 1, 1});
    CHECK(soft.values == std::vector<float>(probs.data(), probs.data() + 10));
    double sum = 0;
    for (float p : soft.values) sum += p;
    CHECK(sum == Approx(1.0).epsilon(1e-5));
  }
}

TEST_CASE("trace_forward: inference trace ends in predict's probabilities", "[inspect]") {
  Sequential model = parse_architecture(preset_architecture("cnn"));
  Rng rng(4);
  model.build(rng);
  const Matrix x = one_digit(rng);
  const Matrix p = model.predict(view(x));
  const auto trace = trace_forward(model, view(x));
  for (int k = 0; k < 10; ++k) CHECK(trace.back().values[k] == Approx(p(0, k)).margin(1e-7));
}

TEST_CASE("trace_forward: mse has no probabilities element; sigmoid CE has a sigmoid one", "[inspect]") {
  for (const std::string loss : {"mse", "sigmoid_cross_entropy"}) {
    Sequential model = parse_architecture(R"({"input": 64, "loss": ")" + loss +
                                          R"(", "layers": [{"type": "dense", "units": 10}]})");
    Rng rng(5);
    model.build(rng);
    const auto trace = trace_forward(model, view(one_digit(rng)));
    if (loss == "mse") {
      REQUIRE(trace.size() == 2);
      CHECK(trace.back().name == "dense_1");
    } else {
      REQUIRE(trace.size() == 3);
      CHECK(trace.back().type == "sigmoid");
      for (size_t k = 0; k < 10; ++k) {
        CHECK(trace.back().values[k] == Approx(1.0 / (1.0 + std::exp(-double(trace[1].values[k])))).margin(1e-6));
      }
    }
  }
}

TEST_CASE("trace_forward: refuses an unbuilt model and anything but one sample of the right size", "[inspect]") {
  Sequential unbuilt = parse_architecture(preset_architecture("mlp"));
  Rng rng(6);
  const Matrix x = one_digit(rng);
  CHECK_THROWS_WITH(trace_forward(unbuilt, view(x)), Catch::Contains("build the model first"));
  Sequential model = parse_architecture(preset_architecture("mlp"));
  model.build(rng);
  const Matrix two(2, 64), short_row(1, 63);
  CHECK_THROWS_WITH(trace_forward(model, view(two)), Catch::Contains("expected one sample of 64 features"));
  CHECK_THROWS_WITH(trace_forward(model, view(short_row)), Catch::Contains("got 1 x 63"));
}
