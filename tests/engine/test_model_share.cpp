// Model links (engine/model_share.h) and base64url (engine/base64url.h): known encodings and
// strict decoding; a link's round trip (architecture kept, every weight within half a
// quantisation step, predictions bit for bit those of the dequantised model computed here
// independently); every single changed character and every truncation refused; the length
// cap; hostile payloads with valid checksums (huge tensors, huge layers, bad scales, wrong
// names, a newer version) refused with the reason.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "engine/architecture.h"
#include "engine/base64url.h"
#include "engine/crc32.h"
#include "engine/error.h"
#include "engine/model_file.h"
#include "engine/model_share.h"
#include "engine/rng.h"
#include "engine/sequential.h"

using Catch::Matchers::Contains;
using Bytes = std::vector<uint8_t>;

namespace {

const char* const kMlp =
    R"({"input": 64, "layers": [{"type": "dense", "units": 32}, {"type": "relu"}, {"type": "dense", "units": 10}]})";

std::string encode(const std::string& s) {
  return nn::base64url_encode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string decode(const std::string& text) {
  const Bytes b = nn::base64url_decode(text, "the text");
  return std::string(b.begin(), b.end());
}

// Built, with every parameter (biases too, which build() zeroes) drawn at random, as after training.
nn::Sequential built_model(const std::string& architecture, uint64_t seed = 3) {
  nn::Sequential model = nn::parse_architecture(architecture);
  nn::Rng rng(seed);
  model.build(rng);
  for (nn::Param& p : model.params()) {
    for (nn::Index k = 0; k < p.size(); ++k) p.value[k] = rng.uniform(-0.5f, 0.5f);
  }
  return model;
}

nn::Matrix random_input(nn::Index rows, nn::Index cols, uint64_t seed = 11) {
  nn::Rng rng(seed);
  nn::Matrix x(rows, cols);
  for (nn::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform(0.0f, 16.0f);
  return x;
}

void append_u32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
}

void append_f32(Bytes& b, float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  append_u32(b, bits);
}

struct RawTensor {
  std::string name;
  uint32_t rows, cols;
  float scale;
  std::vector<int8_t> values;
};

// A link payload written by hand, independently of share_model, with a valid CRC.
std::string make_link(const std::string& architecture, const std::vector<RawTensor>& tensors, uint8_t version = 1,
                      uint32_t claimed_count = UINT32_MAX) {
  Bytes b = {'D', 'L', 'N', 'K', version};
  append_u32(b, uint32_t(architecture.size()));
  b.insert(b.end(), architecture.begin(), architecture.end());
  append_u32(b, claimed_count == UINT32_MAX ? uint32_t(tensors.size()) : claimed_count);
  for (const RawTensor& t : tensors) {
    append_u32(b, uint32_t(t.name.size()));
    b.insert(b.end(), t.name.begin(), t.name.end());
    append_u32(b, t.rows);
    append_u32(b, t.cols);
    append_f32(b, t.scale);
    for (int8_t v : t.values) b.push_back(uint8_t(v));
  }
  append_u32(b, nn::crc32(b.data(), b.size()));
  return nn::base64url_encode(b.data(), b.size());
}

RawTensor filled(const std::string& name, uint32_t rows, uint32_t cols, float scale = 0.01f) {
  return {name, rows, cols, scale, std::vector<int8_t>(size_t(rows) * cols, 3)};
}

void require_refused(const std::string& text, const std::string& reason) {
  REQUIRE_THROWS_WITH(nn::open_model_link(text), Contains(reason));
}

}  // namespace

TEST_CASE("base64url: the RFC 4648 test vectors, without padding", "[share]") {
  REQUIRE(encode("") == "");
  REQUIRE(encode("f") == "Zg");
  REQUIRE(encode("fo") == "Zm8");
  REQUIRE(encode("foo") == "Zm9v");
  REQUIRE(encode("foob") == "Zm9vYg");
  REQUIRE(encode("fooba") == "Zm9vYmE");
  REQUIRE(encode("foobar") == "Zm9vYmFy");
  const Bytes high = {0xfb, 0xff, 0xbf};
  REQUIRE(nn::base64url_encode(high.data(), high.size()) == "-_-_");
  REQUIRE(decode("Zm9vYmFy") == "foobar");
  REQUIRE(decode("Zm9vYg") == "foob");
  REQUIRE(nn::base64url_decode("-_-_", "x") == high);
}

TEST_CASE("base64url: every length round-trips", "[share]") {
  nn::Rng rng(5);
  for (size_t n = 0; n < 40; ++n) {
    Bytes b(n);
    for (auto& v : b) v = uint8_t(rng.uniform(0.0f, 255.99f));
    const std::string text = nn::base64url_encode(b.data(), b.size());
    REQUIRE(text.size() == (n * 4 + 2) / 3);
    REQUIRE(nn::base64url_decode(text, "x") == b);
  }
}

TEST_CASE("base64url: strict decoding refuses what no encoder writes", "[share]") {
  REQUIRE_THROWS_WITH(nn::base64url_decode("Zm9v+mFy", "the link"), Contains("character 5") && Contains("not a base64url"));
  REQUIRE_THROWS_WITH(nn::base64url_decode("Zm9v=", "the link"), Contains("5 characters"));
  REQUIRE_THROWS_WITH(nn::base64url_decode("Zm9vY", "the link"), Contains("cannot be base64url"));
  // "Zg" is "f"; "Zh" has the same data bits plus a set unused bit.
  REQUIRE_THROWS_WITH(nn::base64url_decode("Zh", "the link"), Contains("last character"));
  REQUIRE_THROWS_WITH(nn::base64url_decode("Zm9", "the link"), Contains("last character"));
  REQUIRE_THROWS_WITH(nn::base64url_decode(std::string("Zm\0v", 4), "the link"), Contains("\\x00"));
}

TEST_CASE("model link: round trip of a 64-32-10 mlp, predictions exactly those of the dequantised model", "[share]") {
  nn::Sequential model = built_model(kMlp);
  const std::string text = nn::share_model(model);
  // 2,410 parameters at one byte each, the architecture and the headers: a few KB.
  REQUIRE(text.size() < 3600);
  const nn::OpenedLink link = nn::open_model_link(text);
  nn::Sequential& opened = const_cast<nn::Sequential&>(link.model);
  REQUIRE(opened.to_json() == model.to_json());
  REQUIRE(link.architecture == model.to_json().dump());
  REQUIRE(link.payload_bytes == nn::base64url_decode(text, "x").size());

  // The dequantised model, computed here from the definition in model_share.h.
  nn::Sequential expected = built_model(kMlp);
  auto original = model.params();
  auto mine = expected.params();
  auto theirs = opened.params();
  REQUIRE(theirs.size() == original.size());
  for (size_t i = 0; i < original.size(); ++i) {
    float max_abs = 0;
    for (nn::Index k = 0; k < original[i].size(); ++k) max_abs = std::max(max_abs, std::fabs(original[i].value[k]));
    const float scale = max_abs / 127.0f;
    REQUIRE(scale > 0);
    for (nn::Index k = 0; k < original[i].size(); ++k) {
      const float w = original[i].value[k];
      mine[i].value[k] = float(std::lround(w / scale)) * scale;
      REQUIRE(std::fabs(theirs[i].value[k] - w) <= scale * 0.5f + 1e-7f);
    }
    REQUIRE(std::memcmp(mine[i].value, theirs[i].value, size_t(mine[i].size()) * 4) == 0);
  }
  const nn::Matrix x = random_input(9, 64);
  const nn::Matrix want = expected.predict(nn::view(x));
  const nn::Matrix got = opened.predict(nn::view(x));
  REQUIRE(std::memcmp(want.data(), got.data(), size_t(want.size()) * 4) == 0);
  // The model file the link rebuilds loads to the same model (the page predicts with it).
  nn::Sequential from_file = nn::load_model(link.model_file.data(), link.model_file.size());
  const nn::Matrix again = from_file.predict(nn::view(x));
  REQUIRE(std::memcmp(want.data(), again.data(), size_t(want.size()) * 4) == 0);
  // The quantised model is close to the original: the same top class on these inputs.
  const nn::Matrix before = model.predict(nn::view(x));
  for (nn::Index r = 0; r < x.rows(); ++r) {
    nn::Index a, b;
    before.row(r).maxCoeff(&a);
    got.row(r).maxCoeff(&b);
    REQUIRE(a == b);
  }
}

TEST_CASE("model link: a cnn and an all-zero tensor round-trip", "[share]") {
  nn::Sequential cnn = built_model(nn::preset_architecture("cnn"));
  auto params = cnn.params();
  for (nn::Index k = 0; k < params.back().size(); ++k) params.back().value[k] = 0.0f;
  const nn::OpenedLink link = nn::open_model_link(nn::share_model(cnn));
  nn::Sequential& opened = const_cast<nn::Sequential&>(link.model);
  REQUIRE(opened.to_json() == cnn.to_json());
  auto back = opened.params();
  for (nn::Index k = 0; k < back.back().size(); ++k) REQUIRE(back.back().value[k] == 0.0f);
}

TEST_CASE("model link: every changed character and every truncation is refused", "[share]") {
  nn::Sequential model = built_model(kMlp);
  const std::string text = nn::share_model(model);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < text.size(); ++i) {
    std::string flipped = text;
    // Another character of the alphabet (so base64url itself cannot be what refuses it),
    // chosen so that it differs from the original in a single bit when it can.
    const size_t at = alphabet.find(text[i]);
    flipped[i] = alphabet[at ^ 1];
    REQUIRE_THROWS_AS(nn::open_model_link(flipped), nn::Error);
  }
  std::string one = text;
  one[text.size() / 2] = text[text.size() / 2] == 'A' ? 'B' : 'A';
  require_refused(one, "checksum does not match");
  for (size_t n = 0; n < text.size(); ++n) REQUIRE_THROWS_AS(nn::open_model_link(text.substr(0, n)), nn::Error);
  require_refused(text + "A", "");
  require_refused(text + "AA", "");
  require_refused("", "is empty");
  require_refused("bm90IGEgbW9kZWw", "does not hold a digitlab model");
}

TEST_CASE("model link: the length cap refuses a huge text before decoding it", "[share]") {
  require_refused(std::string(1 << 20, 'A'), "1048576 characters long; a model link holds at most 262144");
  require_refused(std::string(nn::kMaxModelLinkChars + 1, '*'), "at most 262144");
  // A model too big for a link says so when it is shared.
  nn::Sequential big = built_model(R"({"input": 64, "layers": [{"type": "dense", "units": 4096}, {"type": "dense", "units": 10}]})");
  REQUIRE_THROWS_WITH(nn::share_model(big), Contains("307210 parameters") && Contains("download the model file"));
  nn::Sequential unbuilt = nn::parse_architecture(kMlp);
  REQUIRE_THROWS_WITH(nn::share_model(unbuilt), Contains("no weights"));
}

TEST_CASE("model link: hostile payloads with valid checksums are refused with the reason", "[share]") {
  const std::string arch = nn::parse_architecture(R"({"input": 64, "layers": [{"type": "dense", "units": 10}]})").to_json().dump();
  const std::vector<RawTensor> good = {filled("dense_1.weight", 10, 64), filled("dense_1.bias", 1, 10)};
  // The hand-made payload itself is valid (so each refusal below is the doctored field's).
  {
    const nn::OpenedLink ok = nn::open_model_link(make_link(arch, good));
    REQUIRE(const_cast<nn::Sequential&>(ok.model).param_count() == 650);
  }
  require_refused(make_link(arch, good, 2), "version 2; this digitlab reads version 1: update digitlab");
  require_refused(make_link(arch, good, 0), "version 0");
  // Huge dimensions, with only a few bytes behind them.
  std::vector<RawTensor> huge = good;
  huge[0].rows = 65536;
  huge[0].cols = 65536;
  require_refused(make_link(arch, huge), "truncated: tensor 'dense_1.weight' (65536 x 65536) needs 4294967296 bytes");
  require_refused(make_link(arch, good, 1, 0xffffffffu - 1), "claims 4294967294 tensors");
  // A layer of 2,000,000,000 units described by a tiny link: refused before anything is built.
  const std::string wide = R"({"input": 64, "layers": [{"type": "dense", "units": 2000000000}]})";
  require_refused(make_link(wide, good), "the model link: ");
  // Bad scales, wrong names and shapes, bytes left over, a broken architecture.
  std::vector<RawTensor> bad_scale = good;
  bad_scale[1].scale = std::nanf("");
  require_refused(make_link(arch, bad_scale), "scale that is not a finite number");
  bad_scale[1].scale = -1.0f;
  require_refused(make_link(arch, bad_scale), "scale that is not a finite number");
  std::vector<RawTensor> renamed = good;
  renamed[0].name = "conv2d_1.weight";
  require_refused(make_link(arch, renamed), "the model link: tensor 0 is 'conv2d_1.weight'");
  std::vector<RawTensor> reshaped = {filled("dense_1.weight", 64, 10), filled("dense_1.bias", 1, 10)};
  require_refused(make_link(arch, reshaped), "is 64 x 10 but the architecture expects 10 x 64");
  require_refused(make_link("{\"input\": 64, \"layers\": [", good), "the model link: architecture");
  const std::vector<RawTensor> one = {good[0]};
  require_refused(make_link(arch, one), "the architecture needs 650 parameters but the file holds 640");
  std::vector<RawTensor> extra = good;
  extra.push_back(filled("dense_2.bias", 1, 10));
  require_refused(make_link(arch, extra), "the architecture has 2 parameter tensors but the file holds 3");
}
