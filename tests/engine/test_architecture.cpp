// Architecture parsing tests: presets, default inits, exact round trips and a table of bad
// descriptions, each of which must give an nn::Error with a specific message fragment.
#include <catch2/catch.hpp>

#include "engine/architecture.h"
#include "engine/error.h"

using namespace nn;

TEST_CASE("architecture: presets parse with the documented shapes and sizes", "[architecture]") {
  CHECK(preset_names() == std::vector<std::string>{"linear", "mlp", "deep_mlp", "cnn"});
  struct Expect {
    const char* name;
    Index params;
    size_t layers;
  };
  // linear 64*10+10; mlp 8320+1290; deep_mlp 16640+32896+8256+650;
  // cnn 16*(9+1) + 32*(16*9+1) + 10*(32*2*2+1) = 160 + 4640 + 1290.
  for (auto e : {Expect{"linear", 650, 1}, Expect{"mlp", 9610, 3}, Expect{"deep_mlp", 58442, 7},
                 Expect{"cnn", 6090, 8}}) {
    INFO(e.name);
    Sequential model = parse_architecture(preset_architecture(e.name));
    CHECK(model.layer_count() == e.layers);
    CHECK(model.output_shape() == Shape{10, 1, 1});
    CHECK_FALSE(model.built());
    Index planned = 0;
    for (auto& r : model.summary_rows()) planned += r.params;
    CHECK(planned == e.params);
    Rng rng(1);
    model.build(rng);
    CHECK(model.param_count() == e.params);
  }
  Sequential cnn = parse_architecture(preset_architecture("cnn"));
  CHECK(cnn.input_shape() == Shape{1, 8, 8});
  auto rows = cnn.summary_rows();
  CHECK(rows[2].output == Shape{16, 4, 4});
  CHECK(rows[5].output == Shape{32, 2, 2});
  CHECK_THROWS_WITH(preset_architecture("resnet"), Catch::Contains("unknown preset \"resnet\""));
  CHECK_THROWS_WITH(preset_architecture("mlp", 1.0f), Catch::Contains("dropout 1"));
}

TEST_CASE("architecture: dropout presets insert dropout after each hidden activation", "[architecture]") {
  Sequential mlp = parse_architecture(preset_architecture("deep_mlp", 0.2f));
  // dense relu dropout x3, then dense.
  REQUIRE(mlp.layer_count() == 10);
  CHECK(mlp.layer(2).type_name() == "dropout");
  CHECK(mlp.layer(5).type_name() == "dropout");
  CHECK(mlp.layer(8).type_name() == "dropout");
  CHECK(mlp.layer(9).type_name() == "dense");
  CHECK(mlp.to_json()["layers"][2]["rate"].get<double>() == Approx(0.2));
  Sequential cnn = parse_architecture(preset_architecture("cnn", 0.5f));
  CHECK(cnn.layer_count() == 10);
}

TEST_CASE("architecture: to_json round-trips exactly through parse_architecture", "[architecture]") {
  std::vector<std::string> texts;
  for (const auto& name : preset_names()) {
    texts.push_back(preset_architecture(name));
    texts.push_back(preset_architecture(name, 0.25f));
  }
  texts.push_back(R"({"input": [2, 9, 7], "loss": "mse", "layers": [
      {"type": "conv2d", "filters": 3, "kernel": 2, "stride": 2, "padding": 1, "init": "xavier"},
      {"type": "leaky_relu", "alpha": 0.1}, {"type": "maxpool2d", "size": 2, "stride": 1},
      {"type": "flatten"}, {"type": "dense", "units": 7}, {"type": "sigmoid"}, {"type": "dense", "units": 4},
      {"type": "tanh"}, {"type": "softmax"}]})");
  texts.push_back(R"({"input": 64, "loss": "sigmoid_cross_entropy", "layers": [{"type": "dense", "units": 10}]})");
  for (const auto& text : texts) {
    INFO(text);
    Sequential a = parse_architecture(text);
    const std::string once = a.to_json().dump();
    Sequential b = parse_architecture(once);
    CHECK(b.to_json().dump() == once);
    CHECK(b.output_shape() == a.output_shape());
  }
}

TEST_CASE("architecture: default init is he before relu/leaky_relu, xavier otherwise", "[architecture]") {
  Sequential m = parse_architecture(R"({"input": 16, "layers": [
      {"type": "dense", "units": 8}, {"type": "relu"},
      {"type": "dense", "units": 8}, {"type": "leaky_relu"},
      {"type": "dense", "units": 8}, {"type": "tanh"},
      {"type": "dense", "units": 3}]})");
  auto j = m.to_json();
  CHECK(j["layers"][0]["init"] == "he");
  CHECK(j["layers"][2]["init"] == "he");
  CHECK(j["layers"][4]["init"] == "xavier");
  CHECK(j["layers"][6]["init"] == "xavier");
  CHECK(j["loss"] == "softmax_cross_entropy");
  CHECK(j["input"] == 16);
  // A flat square input feeds a conv as a one-channel image: 64 -> (1, 8, 8).
  Sequential c = parse_architecture(R"({"input": 64, "layers": [{"type": "conv2d", "filters": 2, "kernel": 3}]})");
  CHECK(c.output_shape() == Shape{2, 6, 6});
  auto layer = parse_layer(nlohmann::json::parse(R"({"type": "dense", "units": 5, "init": "he"})"));
  CHECK(layer->to_json()["units"] == 5);
}

TEST_CASE("architecture: bad descriptions give nn::Error naming what is wrong", "[architecture]") {
  const std::string head = R"({"input": [1, 8, 8], "layers": [)";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "invalid JSON"},
      {"{", "invalid JSON"},
      {"[1, 2]", "must be a JSON object"},
      {R"({"layers": [{"type": "relu"}]})", "missing \"input\""},
      {R"({"input": 64})", "missing \"layers\""},
      {R"({"input": 64, "layers": []})", "\"layers\" is empty"},
      {R"({"input": 64, "layers": {}})", "\"layers\" must be a list"},
      {R"({"input": 64, "layers": [{"type": "relu"}], "optimizer": "adam"})", "unknown key \"optimizer\""},
      {R"({"input": 0, "layers": [{"type": "relu"}]})", "\"input\" feature count must be an integer from 1 to 65536, got 0"},
      {R"({"input": -3, "layers": [{"type": "relu"}]})", "got -3"},
      {R"({"input": 6.5, "layers": [{"type": "relu"}]})", "got 6.5"},
      {R"({"input": "64", "layers": [{"type": "relu"}]})", "\"input\" must be a feature count"},
      {R"({"input": [1, 8], "layers": [{"type": "relu"}]})", "\"input\" must be a feature count"},
      {R"({"input": [1, 99999, 8], "layers": [{"type": "relu"}]})", "height must be an integer"},
      {R"({"input": [65536, 65536, 65536], "layers": [{"type": "relu"}]})", "values per sample"},
      {R"({"input": 64, "loss": "hinge", "layers": [{"type": "relu"}]})", "\"loss\" must be"},
      {R"({"input": 64, "layers": [{"type": "dense", "units": 10}, {"type": "softmax"}]})",
       "layer 2 (softmax): the loss softmax_cross_entropy already applies softmax"},
      {R"({"input": 64, "layers": [7]})", "layer 1: must be a JSON object"},
      {R"({"input": 64, "layers": [{"units": 10}]})", "layer 1: missing \"type\""},
      {R"({"input": 64, "layers": [{"type": 3}]})", "layer 1: \"type\" must be a string"},
      {R"({"input": 64, "layers": [{"type": "relu"}, {"type": "lstm"}]})", "layer 2: unknown type \"lstm\""},
      {R"({"input": 64, "layers": [{"type": "dense"}]})", "layer 1 (dense): missing \"units\""},
      {R"({"input": 64, "layers": [{"type": "dense", "units": 0}]})", "layer 1 (dense): \"units\" must be an integer from 1 to 65536, got 0"},
      {R"({"input": 64, "layers": [{"type": "dense", "units": 2.5}]})", "got 2.5"},
      {R"({"input": 64, "layers": [{"type": "dense", "units": "10"}]})", "got \"10\""},
      {R"({"input": 64, "layers": [{"type": "dense", "units": 1e300}]})", "layer 1 (dense): \"units\""},
      {R"({"input": 64, "layers": [{"type": "dense", "units": 99999999999999999999999}]})", "layer 1 (dense): \"units\""},
      {R"({"input": 64, "layers": [{"type": "dense", "units": -1}]})", "got -1"},
      {R"({"input": 64, "layers": [{"type": "dense", "units": 10, "activation": "relu"}]})",
       "layer 1 (dense): unknown key \"activation\""},
      {R"({"input": 64, "layers": [{"type": "dense", "units": 10, "init": "zeros"}]})", "\"init\" must be"},
      {R"({"input": 64, "layers": [{"type": "dense", "units": 65536}, {"type": "dense", "units": 65536}]})",
       "layer 2 (dense): the model would have"},
      {R"({"input": 64, "layers": [{"type": "relu", "alpha": 1}]})", "layer 1 (relu): unknown key \"alpha\""},
      {R"({"input": 64, "layers": [{"type": "leaky_relu", "alpha": -1}]})", "\"alpha\" must be a number in [0, 1]"},
      {R"({"input": 64, "layers": [{"type": "dropout", "rate": 1}]})", "layer 1 (dropout): \"rate\" must be a number in [0, 1)"},
      {R"({"input": 64, "layers": [{"type": "dropout"}]})", "layer 1 (dropout): missing \"rate\""},
      {R"({"input": 64, "layers": [{"type": "dropout", "rate": null}]})", "got null"},
      {head + R"({"type": "conv2d", "filters": 16, "kernel": 9}]})",
       "layer 1 (conv2d): kernel 9 does not fit the padded input 8x8 (input shape (1, 8, 8), padding 0)"},
      {head + R"({"type": "conv2d", "filters": 16, "kernel": 3, "padding": 1}, {"type": "maxpool2d", "size": 2},
          {"type": "maxpool2d", "size": 2}, {"type": "conv2d", "filters": 4, "kernel": 5, "padding": 1}]})",
       "layer 4 (conv2d): kernel 5 does not fit the padded input 4x4 (input shape (16, 2, 2), padding 1)"},
      {head + R"({"type": "conv2d", "filters": 2, "kernel": 3, "stride": 0}]})", "\"stride\" must be an integer from 1"},
      {head + R"({"type": "conv2d", "filters": 2, "kernel": 1, "padding": 40000}]})", "larger than 65536"},
      {head + R"({"type": "conv2d", "kernel": 3}]})", "layer 1 (conv2d): missing \"filters\""},
      {head + R"({"type": "maxpool2d", "size": 9}]})", "layer 1 (maxpool2d): pool size 9 does not fit the input 8x8"},
      {R"({"input": 10, "layers": [{"type": "conv2d", "filters": 2, "kernel": 1}]})", "not a square image"},
  };
  for (const auto& [text, fragment] : cases) {
    INFO(text);
    CHECK_THROWS_AS(parse_architecture(text), Error);
    CHECK_THROWS_WITH(parse_architecture(text), Catch::Contains(fragment));
  }
  // 257 layers is too many.
  std::string many = R"({"input": 4, "layers": [)";
  for (int i = 0; i < 257; ++i) many += std::string(i ? "," : "") + R"({"type": "relu"})";
  CHECK_THROWS_WITH(parse_architecture(many + "]}"), Catch::Contains("257 layers"));
  CHECK_THROWS_WITH(parse_layer(nlohmann::json::parse(R"({"type": "dense"})")), Catch::Contains("missing \"units\""));
}

TEST_CASE("architecture: deeply nested JSON is refused before it can overflow the stack", "[architecture]") {
  // 100000 nested arrays crashed the error path (the JSON library prints recursively).
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  REQUIRE_THROWS_WITH(parse_architecture(deep), Catch::Contains("nested more than 32 levels"));
  const std::string object_deep = "{\"input\": 64, \"layers\": " + std::string(40, '[') + std::string(40, ']') + "}";
  REQUIRE_THROWS_WITH(parse_architecture(object_deep), Catch::Contains("nested more than 32 levels"));
  // Brackets inside strings do not count.
  const std::string in_string = "{\"input\": 64, \"layers\": [{\"type\": \"dense\", \"units\": 10}], \"x\": \"" +
                                std::string(100, '[') + "\"}";
  REQUIRE_THROWS_WITH(parse_architecture(in_string), Catch::Contains("\"x\""));
}
