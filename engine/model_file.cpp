// Model file reading and writing. Layout (all integers u32 little-endian, floats IEEE-754
// binary32 little-endian, written byte by byte so the host's endianness never matters):
//   "DGTLMODL" | version (1) | json length | architecture JSON (UTF-8) | tensor count |
//   per tensor: name length | name | rows | cols | rows*cols floats | CRC-32 of all before.
// Loading walks the whole layout against the bytes present before allocating anything, then
// checks the CRC, then the architecture, and only then builds the model and copies weights.
#include "engine/model_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "engine/architecture.h"
#include "engine/crc32.h"
#include "engine/byte_order.h"
#include "engine/error.h"
#include "engine/memory_budget.h"
#include "engine/layers/conv2d.h"
#include "engine/layers/dense.h"

namespace nn {

namespace {

constexpr char kMagic[8] = {'D', 'G', 'T', 'L', 'M', 'O', 'D', 'L'};
constexpr uint32_t kVersion = 1;
// Smallest possible file: magic, version, json length, tensor count, CRC.
constexpr size_t kMinSize = 8 + 4 + 4 + 4 + 4;
// Per tensor at least: name length, rows, cols.
constexpr size_t kTensorHeader = 12;

// ---- names --------------------------------------------------------------------------

// "dense_1.weight": the layer's type, its 1-based position among layers of that type, and
// the parameter's own name, so a file is readable and mismatches can be named.
struct ExpectedTensor {
  std::string name;
  Param param;
};

std::vector<ExpectedTensor> named_params(Sequential& model) {
  std::vector<ExpectedTensor> out;
  std::vector<std::pair<std::string, int>> counters;
  for (size_t i = 0; i < model.layer_count(); ++i) {
    Layer& layer = model.layer(i);
    const std::string type = layer.type_name();
    int k = 0;
    for (auto& c : counters)
      if (c.first == type) k = ++c.second;
    if (k == 0) counters.emplace_back(type, k = 1);
    for (Param& p : layer.params()) out.push_back({type + "_" + std::to_string(k) + "." + p.name, p});
  }
  return out;
}

// Parameter floats the architecture will allocate, computed from the unbuilt model so that a
// hostile architecture ("units": 2000000000) is rejected before build() allocates it.
// Layers with parameters of an unknown kind count 0 here (so this is a lower bound) and are
// caught by the exact comparison after build.
uint64_t planned_param_floats(Sequential& model) {
  uint64_t total = 0;
  Shape shape = model.input_shape();
  for (size_t i = 0; i < model.layer_count(); ++i) {
    Layer& layer = model.layer(i);
    const uint64_t in = static_cast<uint64_t>(shape.c) * static_cast<uint64_t>(shape.h) *
                        static_cast<uint64_t>(shape.w);
    if (auto* dense = dynamic_cast<Dense*>(&layer)) {
      total += static_cast<uint64_t>(dense->units()) * (in + 1);
    } else if (auto* conv = dynamic_cast<Conv2D*>(&layer)) {
      const uint64_t k = static_cast<uint64_t>(conv->kernel());
      total += static_cast<uint64_t>(conv->filters()) * (static_cast<uint64_t>(shape.c) * k * k + 1);
    }
    shape = layer.output_shape(shape);
  }
  return total;
}

// ---- writing ------------------------------------------------------------------------

void put_bytes(std::vector<uint8_t>& out, const std::string& s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  for (char c : s) out.push_back(static_cast<uint8_t>(c));
}

// ---- reading ------------------------------------------------------------------------

// A cursor over the file body (everything before the CRC) that refuses to read past it.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  size_t remaining() const { return size_ - pos_; }
  size_t pos() const { return pos_; }

  // Throws "truncated" naming `what` unless `bytes` more bytes are present.
  void require(uint64_t bytes, const std::string& what) const {
    if (bytes > remaining())
      throw Error("model file is truncated or corrupt: " + what + " needs " + std::to_string(bytes) +
                  " bytes but only " + std::to_string(remaining()) + " remain");
  }
  uint32_t u32(const std::string& what) {
    require(4, what);
    const uint32_t v = get_u32(data_ + pos_);
    pos_ += 4;
    return v;
  }
  // Returns a pointer to `bytes` bytes and skips them.
  const uint8_t* take(uint64_t bytes, const std::string& what) {
    require(bytes, what);
    const uint8_t* p = data_ + pos_;
    pos_ += static_cast<size_t>(bytes);
    return p;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Where each tensor lives in the file: offsets only, nothing copied yet.
struct TensorRecord {
  std::string name;
  uint32_t rows, cols;
  const uint8_t* floats;  // rows * cols little-endian float32
};

struct Layout {
  std::string architecture;
  std::vector<TensorRecord> tensors;
  uint64_t total_floats = 0;
};

std::string tensor_label(size_t i) { return "tensor " + std::to_string(i); }

// Walks the body after magic and version. Every length is checked against the bytes left
// before it is used, so a hostile header fails here, before any allocation it asks for.
Layout read_layout(Reader& in) {
  Layout layout;
  const uint32_t json_size = in.u32("the architecture length");
  const uint8_t* json = in.take(json_size, "the architecture description");
  const uint32_t count = in.u32("the tensor count");
  if (static_cast<uint64_t>(count) * kTensorHeader > in.remaining())
    throw Error("model file is truncated or corrupt: it claims " + std::to_string(count) +
                " tensors but only " + std::to_string(in.remaining()) + " bytes remain");
  layout.architecture.assign(reinterpret_cast<const char*>(json), json_size);
  layout.tensors.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TensorRecord t;
    const uint32_t name_size = in.u32(tensor_label(i) + " name length");
    const uint8_t* name = in.take(name_size, tensor_label(i) + " name");
    t.name.assign(reinterpret_cast<const char*>(name), name_size);
    t.rows = in.u32("tensor '" + t.name + "' rows");
    t.cols = in.u32("tensor '" + t.name + "' cols");
    const uint64_t floats = static_cast<uint64_t>(t.rows) * t.cols;  // < 2^64: no overflow
    if (floats > in.remaining() / 4)
      throw Error("model file is truncated or corrupt: tensor '" + t.name + "' claims " +
                  std::to_string(t.rows) + " x " + std::to_string(t.cols) + " floats (" +
                  std::to_string(floats * 4) + " bytes) but only " + std::to_string(in.remaining()) +
                  " bytes remain");
    t.floats = in.take(floats * 4, "tensor '" + t.name + "' values");
    layout.total_floats += floats;
    layout.tensors.push_back(std::move(t));
  }
  if (in.remaining() != 0)
    throw Error("model file is corrupt: " + std::to_string(in.remaining()) +
                " unexpected bytes after the last tensor");
  return layout;
}

void check_header(const uint8_t* bytes, size_t size) {
  const size_t magic_seen = size < sizeof(kMagic) ? size : sizeof(kMagic);
  if (bytes == nullptr || std::memcmp(bytes, kMagic, magic_seen) != 0 || size == 0)
    throw Error("not a digitlab model file (it does not start with \"DGTLMODL\")");
  if (size < kMinSize)
    throw Error("model file is truncated: " + std::to_string(size) + " bytes, but even an empty model needs " +
                std::to_string(kMinSize));
  const uint32_t version = get_u32(bytes + 8);
  if (version > kVersion)
    throw Error("model file version " + std::to_string(version) + " is newer than this digitlab (" +
                std::to_string(kVersion) + "): update digitlab to load it");
  if (version != kVersion)
    throw Error("model file version " + std::to_string(version) + " is not supported (this digitlab reads version " +
                std::to_string(kVersion) + ")");
}

void check_crc(const uint8_t* bytes, size_t size) {
  const uint32_t stored = get_u32(bytes + size - 4);
  const uint32_t actual = crc32(bytes, size - 4);
  if (stored != actual) throw Error("model file checksum mismatch: the file is corrupt");
}

Sequential parse_stored_architecture(const std::string& text) {
  try {
    return parse_architecture(text);
  } catch (const Error& e) {
    const std::string what = e.what();
    // parse_architecture names the architecture itself in some messages; say it once.
    if (what.rfind("architecture:", 0) == 0) throw Error("model file: " + what);
    throw Error("model file: architecture: " + what);
  } catch (const std::exception& e) {  // a JSON library error that escaped the parser
    throw Error(std::string("model file: architecture: ") + e.what());
  }
}

// Names, order and shapes must match exactly: a file is never partially or loosely loaded.
void check_tensors_match(const std::vector<ExpectedTensor>& expected, const std::vector<TensorRecord>& tensors) {
  if (expected.size() != tensors.size())
    throw Error("model file: the architecture has " + std::to_string(expected.size()) +
                " parameter tensors but the file holds " + std::to_string(tensors.size()));
  for (size_t i = 0; i < tensors.size(); ++i) {
    const ExpectedTensor& e = expected[i];
    const TensorRecord& t = tensors[i];
    if (e.name != t.name)
      throw Error("model file: " + tensor_label(i) + " is '" + t.name + "' but the architecture expects '" +
                  e.name + "'");
    if (e.param.rows != static_cast<Index>(t.rows) || e.param.cols != static_cast<Index>(t.cols))
      throw Error("model file: tensor '" + t.name + "' is " + std::to_string(t.rows) + " x " +
                  std::to_string(t.cols) + " but the architecture expects " + std::to_string(e.param.rows) +
                  " x " + std::to_string(e.param.cols));
  }
}

void check_finite(const std::vector<TensorRecord>& tensors) {
  for (const TensorRecord& t : tensors) {
    const uint64_t n = static_cast<uint64_t>(t.rows) * t.cols;
    for (uint64_t i = 0; i < n; ++i) {
      const float v = get_f32(t.floats + 4 * i);
      if (!std::isfinite(v))
        throw Error("model file: tensor '" + t.name + "' value " + std::to_string(i) + " is " +
                    (std::isnan(v) ? "NaN" : "infinite") + ": the model was saved after training diverged");
    }
  }
}

}  // namespace

// ---- public API -----------------------------------------------------------------------

std::vector<uint8_t> save_model(Sequential& model) {
  if (!model.built()) throw Error("save_model: the model has no weights yet (build or train it first)");
  const std::vector<ExpectedTensor> tensors = named_params(model);
  const std::string architecture = model.to_json().dump();
  size_t total = kMinSize + architecture.size();
  for (const ExpectedTensor& t : tensors) total += kTensorHeader + t.name.size() + 4 * size_t(t.param.size());
  std::vector<uint8_t> out;
  out.reserve(total);
  for (char c : kMagic) out.push_back(static_cast<uint8_t>(c));
  put_u32(out, kVersion);
  put_bytes(out, architecture);
  put_u32(out, static_cast<uint32_t>(tensors.size()));
  for (const ExpectedTensor& t : tensors) {
    put_bytes(out, t.name);
    put_u32(out, static_cast<uint32_t>(t.param.rows));
    put_u32(out, static_cast<uint32_t>(t.param.cols));
    for (Index i = 0; i < t.param.size(); ++i) put_f32(out, t.param.value[i]);
  }
  put_u32(out, crc32(out.data(), out.size()));
  return out;
}

std::vector<NamedParam> named_parameters(Sequential& model) {
  if (!model.built()) throw Error("named_parameters: the model has no weights yet (build or train it first)");
  std::vector<NamedParam> out;
  for (ExpectedTensor& t : named_params(model)) out.push_back({std::move(t.name), t.param});
  return out;
}

std::vector<uint8_t> write_model_file(const std::string& architecture, const std::vector<TensorValues>& tensors) {
  std::vector<uint8_t> out;
  for (char c : kMagic) out.push_back(static_cast<uint8_t>(c));
  put_u32(out, kVersion);
  put_bytes(out, architecture);
  put_u32(out, static_cast<uint32_t>(tensors.size()));
  for (const TensorValues& t : tensors) {
    put_bytes(out, t.name);
    put_u32(out, t.rows);
    put_u32(out, t.cols);
    for (float v : t.values) put_f32(out, v);
  }
  put_u32(out, crc32(out.data(), out.size()));
  return out;
}

Sequential load_model(const uint8_t* bytes, size_t size) {
  if (size > kMaxModelFileBytes)
    throw Error("model file: " + std::to_string(size) + " bytes, more than the limit of " +
                std::to_string(kMaxModelFileBytes) + " (96 MiB)");
  check_header(bytes, size);
  Reader body(bytes + 12, size - 12 - 4);
  const Layout layout = read_layout(body);
  check_crc(bytes, size);
  check_finite(layout.tensors);

  Sequential model = parse_stored_architecture(layout.architecture);
  const uint64_t planned = planned_param_floats(model);
  if (planned > layout.total_floats)
    throw Error("model file: the architecture needs " + std::to_string(planned) + " parameters but the file holds " +
                std::to_string(layout.total_floats));
  // Checked like a trained model, before build() allocates anything: a small file can
  // describe a model whose buffers need gigabytes (a 65536-filter conv).
  check_inference_memory(model, 1, "model file");
  Rng rng(0);  // the weights drawn here are all overwritten below
  model.build(rng);
  const std::vector<ExpectedTensor> expected = named_params(model);
  check_tensors_match(expected, layout.tensors);
  for (size_t i = 0; i < expected.size(); ++i) {
    const Param& p = expected[i].param;
    for (Index k = 0; k < p.size(); ++k) p.value[k] = get_f32(layout.tensors[i].floats + 4 * k);
  }
  return model;
}

}  // namespace nn
