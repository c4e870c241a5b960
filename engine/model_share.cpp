// Model links (model_share.h): int8 per-tensor quantisation, the payload layout, and the
// way back through the model-file loader, so a link is checked exactly like a file.
#include "engine/model_share.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/base64url.h"
#include "engine/crc32.h"
#include "engine/byte_order.h"
#include "engine/error.h"
#include "engine/model_file.h"

namespace nn {

namespace {

constexpr char kMagic[4] = {'D', 'L', 'N', 'K'};
constexpr uint8_t kVersion = 1;
// magic, version, json length, tensor count, CRC.
constexpr size_t kMinPayload = 4 + 1 + 4 + 4 + 4;
// Per tensor at least: name length, rows, cols, scale.
constexpr size_t kTensorHeader = 16;
const char* const kWhat = "the model link";

// Base64url characters for `bytes` bytes of payload.
size_t link_chars(size_t bytes) { return (bytes * 4 + 2) / 3; }

// A cursor over the payload body that refuses to read past it.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t remaining() const { return size_ - pos_; }
  const uint8_t* take(uint64_t bytes, const std::string& what) {
    if (bytes > remaining()) {
      throw Error(std::string(kWhat) + " is truncated: " + what + " needs " + std::to_string(bytes) +
                  " bytes but only " + std::to_string(remaining()) + " remain");
    }
    const uint8_t* p = data_ + pos_;
    pos_ += static_cast<size_t>(bytes);
    return p;
  }
  uint32_t u32(const std::string& what) { return get_u32(take(4, what)); }
  float f32(const std::string& what) {
    const uint32_t bits = u32(what);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace

std::string share_model(Sequential& model) {
  if (!model.built()) throw Error("share_model: the model has no weights yet (train it first)");
  const std::vector<NamedParam> params = named_parameters(model);
  const std::string architecture = model.to_json().dump();
  size_t size = kMinPayload + architecture.size();
  uint64_t count = 0;
  for (const NamedParam& p : params) {
    size += kTensorHeader + p.name.size() + static_cast<size_t>(p.param.size());
    count += static_cast<uint64_t>(p.param.size());
  }
  if (link_chars(size) > kMaxModelLinkChars) {
    throw Error("share_model: the model has " + std::to_string(count) + " parameters; its link would be " +
                std::to_string(link_chars(size)) + " characters and a link holds at most " +
                std::to_string(kMaxModelLinkChars) + " (about 190,000 parameters): download the model file instead");
  }
  std::vector<uint8_t> out;
  out.reserve(size);
  for (char c : kMagic) out.push_back(static_cast<uint8_t>(c));
  out.push_back(kVersion);
  put_u32(out, static_cast<uint32_t>(architecture.size()));
  out.insert(out.end(), architecture.begin(), architecture.end());
  put_u32(out, static_cast<uint32_t>(params.size()));
  for (const NamedParam& p : params) {
    const Index n = p.param.size();
    float max_abs = 0.0f;
    for (Index i = 0; i < n; ++i) {
      const float v = p.param.value[i];
      if (!std::isfinite(v)) throw Error("share_model: tensor '" + p.name + "' holds a NaN or infinite weight");
      max_abs = std::max(max_abs, std::fabs(v));
    }
    const float scale = max_abs / 127.0f;
    put_u32(out, static_cast<uint32_t>(p.name.size()));
    out.insert(out.end(), p.name.begin(), p.name.end());
    put_u32(out, static_cast<uint32_t>(p.param.rows));
    put_u32(out, static_cast<uint32_t>(p.param.cols));
    put_f32(out, scale);
    for (Index i = 0; i < n; ++i) {
      const long q = scale > 0.0f ? std::lround(p.param.value[i] / scale) : 0;
      out.push_back(static_cast<uint8_t>(static_cast<int8_t>(std::clamp(q, -127L, 127L))));
    }
  }
  put_u32(out, crc32(out.data(), out.size()));
  return base64url_encode(out.data(), out.size());
}

OpenedLink open_model_link(const std::string& text) {
  if (text.empty()) throw Error(std::string(kWhat) + " is empty: it carries no model");
  if (text.size() > kMaxModelLinkChars) {
    throw Error(std::string(kWhat) + " is " + std::to_string(text.size()) + " characters long; a model link holds at most " +
                std::to_string(kMaxModelLinkChars) + ", so it was not read");
  }
  const std::vector<uint8_t> bytes = base64url_decode(text, kWhat);
  if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagic, 4) != 0) {
    throw Error(std::string(kWhat) + " does not hold a digitlab model (it is damaged, or not a model link)");
  }
  if (bytes.size() < kMinPayload) {
    throw Error(std::string(kWhat) + " is truncated: " + std::to_string(bytes.size()) + " bytes, but even an empty model needs " +
                std::to_string(kMinPayload));
  }
  if (bytes[4] != kVersion) {
    throw Error(std::string(kWhat) + " has version " + std::to_string(bytes[4]) + "; this digitlab reads version " +
                std::to_string(kVersion) + (bytes[4] > kVersion ? ": update digitlab to open it" : ""));
  }
  const uint32_t checksum = get_u32(bytes.data() + bytes.size() - 4);
  if (crc32(bytes.data(), bytes.size() - 4) != checksum) {
    throw Error(std::string(kWhat) + " is damaged: its checksum does not match its contents (a character was changed, "
                "added or lost); ask for the link again");
  }
  Reader in(bytes.data() + 5, bytes.size() - 5 - 4);
  const uint32_t json_size = in.u32("the architecture length");
  const uint8_t* json = in.take(json_size, "the architecture description");
  const std::string architecture(reinterpret_cast<const char*>(json), json_size);
  const uint32_t count = in.u32("the tensor count");
  if (static_cast<uint64_t>(count) * kTensorHeader > in.remaining()) {
    throw Error(std::string(kWhat) + " is corrupt: it claims " + std::to_string(count) + " tensors but only " +
                std::to_string(in.remaining()) + " bytes remain");
  }
  std::vector<TensorValues> tensors(count);
  for (uint32_t i = 0; i < count; ++i) {
    TensorValues& t = tensors[i];
    const std::string label = "tensor " + std::to_string(i);
    const uint32_t name_size = in.u32(label + " name length");
    const uint8_t* name = in.take(name_size, label + " name");
    t.name.assign(reinterpret_cast<const char*>(name), name_size);
    t.rows = in.u32(label + " rows");
    t.cols = in.u32(label + " cols");
    const float scale = in.f32(label + " scale");
    if (!std::isfinite(scale) || scale < 0.0f) {
      throw Error(std::string(kWhat) + " is corrupt: tensor '" + t.name + "' has a scale that is not a finite number >= 0");
    }
    const uint64_t n = static_cast<uint64_t>(t.rows) * t.cols;  // < 2^64: no overflow
    const uint8_t* q = in.take(n, "tensor '" + t.name + "' (" + std::to_string(t.rows) + " x " + std::to_string(t.cols) + ")");
    t.values.resize(static_cast<size_t>(n));
    for (size_t k = 0; k < t.values.size(); ++k) {
      t.values[k] = static_cast<float>(static_cast<int8_t>(q[k])) * scale;
    }
  }
  if (in.remaining() != 0) {
    throw Error(std::string(kWhat) + " is corrupt: " + std::to_string(in.remaining()) + " unexpected bytes after the last tensor");
  }
  std::vector<uint8_t> file = write_model_file(architecture, tensors);
  try {
    Sequential model = load_model(file.data(), file.size());
    return OpenedLink{std::move(file), std::move(model), architecture, checksum, bytes.size()};
  } catch (const Error& e) {
    std::string what = e.what();
    if (what.rfind("model file: ", 0) == 0) what = what.substr(12);
    throw Error(std::string(kWhat) + ": " + what);
  }
}

}  // namespace nn
