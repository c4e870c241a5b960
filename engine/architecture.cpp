// Architecture descriptions (JSON) -> unbuilt Sequential models, and the built-in presets.
// The parser faces untrusted text (pasted by users, read from model files, fuzzed), so it
// checks every type, range and shape itself and bounds the model's size BEFORE any layer is
// constructed; every failure is an nn::Error naming the layer position, its type and the field.
#include "engine/architecture.h"

#include <algorithm>

#include <cmath>
#include <set>
#include <sstream>

#include "engine/error.h"
#include "engine/initializers.h"
#include "engine/layers/activations.h"
#include "engine/layers/conv2d.h"
#include "engine/layers/dense.h"
#include "engine/layers/dropout.h"
#include "engine/settings.h"
#include "engine/layers/flatten.h"
#include "engine/layers/layer_checks.h"
#include "engine/layers/maxpool2d.h"

namespace nn {

namespace {

using nlohmann::json;

constexpr int kMaxDimension = detail::kMaxLayerSetting;  // any one size: units, filters, C, H, W, kernel...
constexpr double kMaxParams = 20e6;           // the whole model
constexpr double kMaxFeatures = 1 << 22;      // values per sample after any layer (4M)
constexpr size_t kMaxLayers = 256;

const char* const kLayerTypes = "dense, conv2d, maxpool2d, flatten, dropout, relu, leaky_relu, sigmoid, tanh, softmax";

// A layer's settings after validation; `make()` turns them into the layer object.
struct LayerSpec {
  std::string type;
  int units = 0, filters = 0, kernel = 0, stride = 1, padding = 0, size = 0;
  float rate = 0.0f, alpha = 0.01f;
  Init init = Init::kXavier;
};

// Prefix for every message about one layer: "layer 3 (conv2d)" or "layer 3".
std::string where(size_t position, const std::string& type) {
  if (type.empty()) return "layer " + std::to_string(position);
  return "layer " + std::to_string(position) + " (" + type + ")";
}

std::string show(const json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

int get_int(const json& obj, const std::string& ctx, const char* key, int lo, int hi, int fallback,
            bool required) {
  if (!obj.contains(key)) {
    if (required) throw Error(ctx + ": missing \"" + key + "\"");
    return fallback;
  }
  const json& v = obj.at(key);
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi) {
    throw Error(ctx + ": \"" + key + "\" must be an integer from " + std::to_string(lo) + " to " +
                std::to_string(hi) + ", got " + show(v));
  }
  return static_cast<int>(v.get<long long>());
}

float get_float(const json& obj, const std::string& ctx, const char* key, float lo, float hi, bool hi_open,
                float fallback) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj.at(key);
  const double d = v.is_number() ? v.get<double>() : std::nan("");
  const bool ok = v.is_number() && std::isfinite(d) && d >= lo && (hi_open ? d < hi : d <= hi);
  if (!ok) {
    std::ostringstream range;
    range << "[" << lo << ", " << hi << (hi_open ? ")" : "]");
    throw Error(ctx + ": \"" + key + "\" must be a number in " + range.str() + ", got " + show(v));
  }
  return static_cast<float>(d);
}

void check_keys(const json& obj, const std::string& ctx, std::initializer_list<const char*> allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const char* a : allowed) known = known || it.key() == a;
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      throw Error(ctx + ": unknown key \"" + it.key() + "\" (allowed: " + list + ")");
    }
  }
}

std::string layer_type_of(const json& layer) {
  if (layer.is_object() && layer.contains("type") && layer.at("type").is_string()) {
    return layer.at("type").get<std::string>();
  }
  return "";
}

// Reads and range-checks one layer object. next_type is the following layer's type (for
// the default init); position is 1-based, for messages.
LayerSpec read_layer(const json& layer, size_t position, const std::string& next_type) {
  const std::string bare = where(position, "");
  if (!layer.is_object()) throw Error(bare + ": must be a JSON object like {\"type\": \"dense\", \"units\": 10}, got " + show(layer));
  if (!layer.contains("type")) throw Error(bare + ": missing \"type\" (one of " + kLayerTypes + ")");
  if (!layer.at("type").is_string()) throw Error(bare + ": \"type\" must be a string, got " + show(layer.at("type")));
  LayerSpec s;
  s.type = layer.at("type").get<std::string>();
  const std::string ctx = where(position, s.type);
  const bool relu_next = next_type == "relu" || next_type == "leaky_relu";

  auto read_init = [&]() {
    s.init = relu_next ? Init::kHe : Init::kXavier;
    if (!layer.contains("init")) return;
    const json& v = layer.at("init");
    if (!v.is_string() || (v != "he" && v != "xavier")) {
      throw Error(ctx + ": \"init\" must be \"he\" or \"xavier\", got " + show(v));
    }
    s.init = parse_init(v.get<std::string>());
  };

  if (s.type == "dense") {
    check_keys(layer, ctx, {"type", "units", "init"});
    s.units = get_int(layer, ctx, "units", 1, kMaxDimension, 0, true);
    read_init();
  } else if (s.type == "conv2d") {
    check_keys(layer, ctx, {"type", "filters", "kernel", "stride", "padding", "init"});
    s.filters = get_int(layer, ctx, "filters", 1, kMaxDimension, 0, true);
    s.kernel = get_int(layer, ctx, "kernel", 1, kMaxDimension, 0, true);
    s.stride = get_int(layer, ctx, "stride", 1, kMaxDimension, 1, false);
    s.padding = get_int(layer, ctx, "padding", 0, kMaxDimension, 0, false);
    read_init();
  } else if (s.type == "maxpool2d") {
    check_keys(layer, ctx, {"type", "size", "stride"});
    s.size = get_int(layer, ctx, "size", 1, kMaxDimension, 2, false);
    // stride 0 means "same as size", as in the MaxPool2D constructor.
    s.stride = get_int(layer, ctx, "stride", 0, kMaxDimension, s.size, false);
    if (s.stride == 0) s.stride = s.size;
  } else if (s.type == "dropout") {
    check_keys(layer, ctx, {"type", "rate"});
    if (!layer.contains("rate")) throw Error(ctx + ": missing \"rate\"");
    s.rate = get_float(layer, ctx, "rate", 0.0f, 1.0f, true, 0.0f);
  } else if (s.type == "leaky_relu") {
    check_keys(layer, ctx, {"type", "alpha"});
    s.alpha = get_float(layer, ctx, "alpha", 0.0f, 1.0f, false, 0.01f);
  } else if (s.type == "flatten" || s.type == "relu" || s.type == "sigmoid" || s.type == "tanh" ||
             s.type == "softmax") {
    check_keys(layer, ctx, {"type"});
  } else {
    throw Error(bare + ": unknown type \"" + s.type + "\" (expected one of " + kLayerTypes + ")");
  }
  return s;
}

std::string dims(double h, double w) {
  std::ostringstream s;
  s << static_cast<long long>(h) << "x" << static_cast<long long>(w);
  return s.str();
}

// The output shape of `s` on `in`, with every size bounded; adds the layer's parameters to
// `params`. All arithmetic in double so that no product of bounded ints can overflow.
Shape infer_shape(const LayerSpec& s, const Shape& input, size_t position, double& params) {
  const std::string ctx = where(position, s.type);
  const bool spatial = s.type == "conv2d" || s.type == "maxpool2d";
  // Conv2D and MaxPool2D read a flat square input (64) as a one-channel image, as the layers do.
  const Shape in = spatial ? detail::image_shape(ctx, input) : input;
  Shape out = in;
  double layer_params = 0;
  if (s.type == "dense") {
    out = Shape{s.units, 1, 1};
    layer_params = double(s.units) * (double(in.size()) + 1.0);
  } else if (s.type == "conv2d") {
    const double ph = double(in.h) + 2.0 * s.padding, pw = double(in.w) + 2.0 * s.padding;
    if (s.kernel > ph || s.kernel > pw) {
      throw Error(ctx + ": kernel " + std::to_string(s.kernel) + " does not fit the padded input " + dims(ph, pw) +
                  " (input shape " + in.str() + ", padding " + std::to_string(s.padding) + ")");
    }
    const double oh = std::floor((ph - s.kernel) / s.stride) + 1, ow = std::floor((pw - s.kernel) / s.stride) + 1;
    if (oh > kMaxDimension || ow > kMaxDimension) {
      throw Error(ctx + ": output " + dims(oh, ow) + " is larger than " + std::to_string(kMaxDimension) +
                  " in a dimension (input shape " + in.str() + ", padding " + std::to_string(s.padding) + ")");
    }
    // im2col holds C*K*K values per output position: bound it like an activation.
    if (oh * ow * double(in.c) * s.kernel * s.kernel > kMaxFeatures * 4) {
      throw Error(ctx + ": kernel " + std::to_string(s.kernel) + " on input shape " + in.str() +
                  " needs more than " + std::to_string(long(kMaxFeatures * 4)) + " im2col values per sample");
    }
    out = Shape{s.filters, static_cast<int>(oh), static_cast<int>(ow)};
    layer_params = double(s.filters) * (double(in.c) * s.kernel * s.kernel + 1.0);
  } else if (s.type == "maxpool2d") {
    if (s.size > in.h || s.size > in.w) {
      throw Error(ctx + ": pool size " + std::to_string(s.size) + " does not fit the input " + dims(in.h, in.w) +
                  " (input shape " + in.str() + ")");
    }
    out = Shape{in.c, (in.h - s.size) / s.stride + 1, (in.w - s.size) / s.stride + 1};
  } else if (s.type == "flatten") {
    out = Shape{in.size(), 1, 1};
  }
  if (double(out.c) * out.h * out.w > kMaxFeatures) {
    throw Error(ctx + ": output shape " + out.str() + " has more than " + std::to_string(long(kMaxFeatures)) +
                " values per sample");
  }
  params += layer_params;
  if (params > kMaxParams) {
    throw Error(ctx + ": the model would have " + std::to_string(static_cast<long long>(params)) +
                " parameters, more than the limit of 20,000,000");
  }
  return out;
}

LayerPtr make_layer(const LayerSpec& s) {
  if (s.type == "dense") return std::make_unique<Dense>(s.units, s.init);
  if (s.type == "conv2d") return std::make_unique<Conv2D>(s.filters, s.kernel, s.stride, s.padding, s.init);
  if (s.type == "maxpool2d") return std::make_unique<MaxPool2D>(s.size, s.stride);
  if (s.type == "flatten") return std::make_unique<Flatten>();
  if (s.type == "dropout") return std::make_unique<Dropout>(s.rate);
  if (s.type == "relu") return std::make_unique<ReLU>();
  if (s.type == "leaky_relu") return std::make_unique<LeakyReLU>(s.alpha);
  if (s.type == "sigmoid") return std::make_unique<Sigmoid>();
  if (s.type == "tanh") return std::make_unique<Tanh>();
  return std::make_unique<Softmax>();
}

Shape read_input(const json& v) {
  auto dim = [&](const json& d, const char* name) {
    if (!d.is_number_integer() || d.get<long long>() < 1 || d.get<long long>() > kMaxDimension) {
      throw Error(std::string("architecture: \"input\" ") + name + " must be an integer from 1 to " +
                  std::to_string(kMaxDimension) + ", got " + show(d));
    }
    return static_cast<int>(d.get<long long>());
  };
  Shape in;
  if (v.is_number()) {
    in = Shape{dim(v, "feature count"), 1, 1};
  } else if (v.is_array() && v.size() == 1) {
    in = Shape{dim(v[0], "feature count"), 1, 1};
  } else if (v.is_array() && v.size() == 3) {
    in = Shape{dim(v[0], "channels"), dim(v[1], "height"), dim(v[2], "width")};
  } else {
    throw Error("architecture: \"input\" must be a feature count (e.g. 64) or [channels, height, width] "
                "(e.g. [1, 8, 8]), got " + show(v));
  }
  if (double(in.c) * in.h * in.w > kMaxFeatures) {
    throw Error("architecture: \"input\" " + show(v) + " has more than " + std::to_string(long(kMaxFeatures)) +
                " values per sample");
  }
  return in;
}

Sequential parse_json(const json& j) {
  if (!j.is_object()) {
    throw Error("architecture: must be a JSON object with \"input\" and \"layers\", got " + show(j));
  }
  check_keys(j, "architecture", {"input", "loss", "layers"});
  if (!j.contains("input")) throw Error("architecture: missing \"input\" (e.g. 64 or [1, 8, 8])");
  if (!j.contains("layers")) throw Error("architecture: missing \"layers\" (a list of layer objects)");
  const Shape input = read_input(j.at("input"));
  std::string loss = "softmax_cross_entropy";
  if (j.contains("loss")) {
    const json& l = j.at("loss");
    if (!l.is_string() || (l != "softmax_cross_entropy" && l != "mse" && l != "sigmoid_cross_entropy")) {
      throw Error("architecture: \"loss\" must be \"softmax_cross_entropy\", \"mse\" or \"sigmoid_cross_entropy\", got " +
                  show(l));
    }
    loss = l.get<std::string>();
  }
  const json& layers = j.at("layers");
  if (!layers.is_array()) throw Error("architecture: \"layers\" must be a list of layer objects, got " + show(layers));
  if (layers.empty()) throw Error("architecture: \"layers\" is empty; add at least one layer, e.g. {\"type\": \"dense\", \"units\": 10}");
  if (layers.size() > kMaxLayers) {
    throw Error("architecture: " + std::to_string(layers.size()) + " layers is more than the limit of " +
                std::to_string(kMaxLayers));
  }
  // First pass: validate everything and bound sizes; nothing is allocated yet.
  std::vector<LayerSpec> specs;
  Shape shape = input;
  double params = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string next = i + 1 < layers.size() ? layer_type_of(layers[i + 1]) : "";
    specs.push_back(read_layer(layers[i], i + 1, next));
    shape = infer_shape(specs.back(), shape, i + 1, params);
  }
  if (specs.back().type == "softmax" && loss == "softmax_cross_entropy") {
    throw Error(where(specs.size(), "softmax") +
                ": the loss softmax_cross_entropy already applies softmax; remove this final softmax layer");
  }
  Sequential model(input, loss);
  for (const auto& s : specs) model.add(make_layer(s));
  return model;
}

// ---- presets ----------------------------------------------------------------------------

std::string format_architecture(const json& input, const std::vector<json>& layers) {
  std::string s = "{\n  \"input\": " + input.dump(-1, ' ') + ",\n  \"loss\": \"softmax_cross_entropy\",\n  \"layers\": [\n";
  for (size_t i = 0; i < layers.size(); ++i) {
    // "type" first, so each line reads like the layer it describes.
    std::string line = "{\"type\": " + layers[i].at("type").dump();
    for (auto it = layers[i].begin(); it != layers[i].end(); ++it) {
      if (it.key() != "type") line += ", \"" + it.key() + "\": " + it.value().dump();
    }
    s += "    " + line + "}" + (i + 1 < layers.size() ? ",\n" : "\n");
  }
  return s + "  ]\n}\n";
}

json dense(int units, const char* init) { return {{"type", "dense"}, {"units", units}, {"init", init}}; }
json conv(int filters) {
  return {{"type", "conv2d"}, {"filters", filters}, {"kernel", 3}, {"stride", 1}, {"padding", 1}, {"init", "he"}};
}

// Deepest [ / { nesting outside strings. The JSON library parses any depth but prints and
// compares recursively, so text with 100000 nested brackets would overflow the stack (in
// wasm much sooner); no real description nests deeper than 4.
size_t json_depth(const std::string& text) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

constexpr size_t kMaxJsonDepth = 32;

}  // namespace

Sequential parse_architecture(const std::string& text) {
  if (text.size() > kMaxArchitectureBytes)
    throw Error("architecture: " + std::to_string(text.size()) + " bytes, more than the limit of " +
                std::to_string(kMaxArchitectureBytes));
  if (json_depth(text) > kMaxJsonDepth)
    throw Error("architecture: nested more than " + std::to_string(kMaxJsonDepth) +
                " levels deep; this is not a digitlab architecture");
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(std::string("architecture: invalid JSON: ") + e.what());
  }
  try {
    return parse_json(j);
  } catch (const json::exception& e) {
    throw Error(std::string("architecture: ") + e.what());
  }
}

LayerPtr parse_layer(const nlohmann::json& layer) {
  try {
    LayerSpec s = read_layer(layer, 1, "");
    return make_layer(s);
  } catch (const json::exception& e) {
    throw Error(std::string("layer: ") + e.what());
  }
}

std::string preset_architecture(const std::string& name, float dropout) {
  try {
    setting_field("dropout").check(dropout);  // the settings schema's limits
  } catch (const Error& e) {
    throw Error(std::string("preset ") + e.what());
  }
  std::vector<json> layers;
  auto activation = [&](const char* type) {
    layers.push_back({{"type", type}});
    // Rounded to 6 decimals so the text shows 0.2, not the float's 0.20000000298...
    const double rate = std::round(double(dropout) * 1e6) / 1e6;
    if (dropout > 0.0f) layers.push_back({{"type", "dropout"}, {"rate", rate}});
  };
  json input = 64;
  if (name == "linear") {
    layers.push_back(dense(10, "xavier"));
  } else if (name == "mlp") {
    layers.push_back(dense(128, "he"));
    activation("relu");
    layers.push_back(dense(10, "xavier"));
  } else if (name == "deep_mlp") {
    for (int units : {256, 128, 64}) {
      layers.push_back(dense(units, "he"));
      activation("relu");
    }
    layers.push_back(dense(10, "xavier"));
  } else if (name == "cnn") {
    input = {1, 8, 8};
    for (int filters : {16, 32}) {
      layers.push_back(conv(filters));
      activation("relu");
      layers.push_back({{"type", "maxpool2d"}, {"size", 2}, {"stride", 2}});
    }
    layers.push_back({{"type", "flatten"}});
    layers.push_back(dense(10, "xavier"));
  } else {
    throw Error("unknown preset \"" + name + "\": expected linear, mlp, deep_mlp or cnn");
  }
  return format_architecture(input, layers);
}

std::vector<std::string> preset_names() { return {"linear", "mlp", "deep_mlp", "cnn"}; }

}  // namespace nn
