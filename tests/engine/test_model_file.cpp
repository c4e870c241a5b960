// Model file tests: CRC-32 check values, exact round trips (mlp, cnn, every layer type), and
// every way a file can be wrong: truncated at each byte, a flipped byte, wrong magic or
// version, hostile sizes behind a valid checksum, architecture/tensor mismatches, NaN weights.
// Also replays every input the fuzzers ever crashed on (tests/fuzz/regressions/).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "engine/architecture.h"
#include "engine/crc32.h"
#include "engine/error.h"
#include "engine/model_file.h"
#include "engine/sequential.h"

using Catch::Matchers::Contains;
using Bytes = std::vector<uint8_t>;

namespace {

// ---- helpers ----------------------------------------------------------------------------

uint32_t crc_of(const std::string& s) { return nn::crc32(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

uint32_t read_u32(const Bytes& b, size_t at) {
  return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}

void write_u32(Bytes& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = uint8_t(v >> (8 * i));
}

void append_u32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
}

void append_f32(Bytes& b, float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  append_u32(b, bits);
}

void append_string(Bytes& b, const std::string& s) {
  append_u32(b, uint32_t(s.size()));
  b.insert(b.end(), s.begin(), s.end());
}

// Rewrites the trailing CRC so that a doctored body passes the checksum and the check under
// test (size, version, names...) is the one that has to catch it.
void fix_crc(Bytes& b) { write_u32(b, b.size() - 4, nn::crc32(b.data(), b.size() - 4)); }

struct RawTensor {
  std::string name;
  uint32_t rows, cols;
  std::vector<float> values;
};

// Builds a file by hand, independently of save_model, with a valid CRC.
Bytes make_file(const std::string& architecture, const std::vector<RawTensor>& tensors, uint32_t version = 1) {
  Bytes b = {'D', 'G', 'T', 'L', 'M', 'O', 'D', 'L'};
  append_u32(b, version);
  append_string(b, architecture);
  append_u32(b, uint32_t(tensors.size()));
  for (const auto& t : tensors) {
    append_string(b, t.name);
    append_u32(b, t.rows);
    append_u32(b, t.cols);
    for (float v : t.values) append_f32(b, v);
  }
  append_u32(b, 0);
  fix_crc(b);
  return b;
}

nn::Sequential load(const Bytes& b) { return nn::load_model(b.data(), b.size()); }

nn::Sequential built_model(const std::string& architecture, uint64_t seed = 3) {
  nn::Sequential model = nn::parse_architecture(architecture);
  nn::Rng rng(seed);
  model.build(rng);
  return model;
}

// Values the model can feed: `rows` random samples of its input shape in the data's range.
nn::Matrix random_input(nn::Sequential& model, nn::Index rows, uint64_t seed = 11) {
  nn::Rng rng(seed);
  nn::Matrix x(rows, model.input_shape().size());
  for (nn::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform(0.0f, 16.0f);
  return x;
}

bool same_bits(const float* a, const float* b, nn::Index n) { return std::memcmp(a, b, size_t(n) * 4) == 0; }

// Saves, loads, and requires identical architecture, parameters (bit for bit), predictions
// and a byte-identical second save.
void require_round_trip(const std::string& architecture) {
  nn::Sequential model = built_model(architecture);
  const Bytes bytes = nn::save_model(model);
  nn::Sequential loaded = load(bytes);

  REQUIRE(loaded.to_json() == model.to_json());
  auto a = model.params();
  auto b = loaded.params();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    REQUIRE(a[i].name == b[i].name);
    REQUIRE(a[i].rows == b[i].rows);
    REQUIRE(a[i].cols == b[i].cols);
    REQUIRE(same_bits(a[i].value, b[i].value, a[i].size()));
  }
  const nn::Matrix x = random_input(model, 7);
  const nn::Matrix pa = model.predict(nn::view(x));
  const nn::Matrix pb = loaded.predict(nn::view(x));
  REQUIRE(pa.rows() == 7);
  REQUIRE(same_bits(pa.data(), pb.data(), pa.size()));
  REQUIRE(nn::save_model(loaded) == bytes);
}

const char* kTiny = R"({"input": 3, "layers": [{"type": "dense", "units": 2}]})";

const char* kEveryLayer = R"({"input": [1, 8, 8], "loss": "mse", "layers": [
  {"type": "conv2d", "filters": 4, "kernel": 3, "padding": 1},
  {"type": "leaky_relu", "alpha": 0.2},
  {"type": "maxpool2d", "size": 2},
  {"type": "conv2d", "filters": 3, "kernel": 2, "stride": 2, "init": "xavier"},
  {"type": "relu"},
  {"type": "flatten"},
  {"type": "dense", "units": 16},
  {"type": "tanh"},
  {"type": "dropout", "rate": 0.25},
  {"type": "dense", "units": 12},
  {"type": "sigmoid"},
  {"type": "dense", "units": 10},
  {"type": "softmax"}]})";

// A 3 -> 2 dense model's tensors, hand-made.
std::vector<RawTensor> tiny_tensors() {
  return {{"dense_1.weight", 2, 3, {0.5f, -1.0f, 2.0f, 0.25f, 0.0f, -0.75f}}, {"dense_1.bias", 1, 2, {0.1f, -0.2f}}};
}

std::string tiny_architecture() { return built_model(kTiny).to_json().dump(); }

}  // namespace

// ---- CRC-32 -----------------------------------------------------------------------------

TEST_CASE("crc32: standard check values", "[crc32]") {
  CHECK(crc_of("123456789") == 0xCBF43926u);
  CHECK(crc_of("") == 0u);
  CHECK(crc_of("a") == 0xE8B7BE43u);
  CHECK(crc_of("The quick brown fox jumps over the lazy dog") == 0x414FA339u);
}

TEST_CASE("crc32: chaining equals one pass", "[crc32]") {
  const std::string s = "123456789";
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t split = 0; split <= s.size(); ++split)
    CHECK(nn::crc32(p + split, s.size() - split, nn::crc32(p, split)) == 0xCBF43926u);
}

// ---- layout and round trips ---------------------------------------------------------------

TEST_CASE("model file: layout of a tiny model matches the format byte for byte", "[model_file]") {
  nn::Sequential model = built_model(kTiny);
  auto params = model.params();
  REQUIRE(params.size() == 2);
  const float w[6] = {0.5f, -1.0f, 2.0f, 0.25f, 0.0f, -0.75f};
  const float b[2] = {0.1f, -0.2f};
  std::memcpy(params[0].value, w, sizeof w);
  std::memcpy(params[1].value, b, sizeof b);

  const Bytes saved = nn::save_model(model);
  const Bytes expected = make_file(model.to_json().dump(), tiny_tensors());
  REQUIRE(saved == expected);
  CHECK(std::string(saved.begin(), saved.begin() + 8) == "DGTLMODL");
  CHECK(read_u32(saved, 8) == 1u);
  CHECK(read_u32(saved, saved.size() - 4) == nn::crc32(saved.data(), saved.size() - 4));
  // 0.5f is 0x3F000000: the first weight's bytes, little-endian, right after its shape.
  const std::string arch = model.to_json().dump();
  const size_t first_float = 12 + 4 + arch.size() + 4 + 4 + std::string("dense_1.weight").size() + 8;
  CHECK(read_u32(saved, first_float) == 0x3F000000u);
}

TEST_CASE("model file: hand-made file loads with the given weights", "[model_file]") {
  nn::Sequential model = load(make_file(tiny_architecture(), tiny_tensors()));
  auto params = model.params();
  REQUIRE(params.size() == 2);
  CHECK(params[0].value[0] == 0.5f);
  CHECK(params[0].value[5] == -0.75f);
  CHECK(params[1].value[1] == -0.2f);
}

TEST_CASE("model file: mlp round trip is exact", "[model_file]") { require_round_trip(nn::preset_architecture("mlp")); }

TEST_CASE("model file: cnn round trip is exact", "[model_file]") { require_round_trip(nn::preset_architecture("cnn")); }

TEST_CASE("model file: every layer type round trips exactly", "[model_file]") { require_round_trip(kEveryLayer); }

TEST_CASE("model file: saving an unbuilt model is refused", "[model_file]") {
  nn::Sequential model = nn::parse_architecture(kTiny);
  REQUIRE_THROWS_AS(nn::save_model(model), nn::Error);
}

// ---- damaged files ------------------------------------------------------------------------

TEST_CASE("model file: every truncation of a small model fails cleanly", "[model_file]") {
  nn::Sequential model = built_model(kTiny);
  const Bytes bytes = nn::save_model(model);
  for (size_t n = 0; n < bytes.size(); ++n) {
    INFO("truncated to " << n << " of " << bytes.size() << " bytes");
    REQUIRE_THROWS_AS(nn::load_model(bytes.data(), n), nn::Error);
  }
  REQUIRE_THROWS_WITH(nn::load_model(bytes.data(), bytes.size() - 1), Contains("truncated"));
  REQUIRE_THROWS_WITH(nn::load_model(bytes.data(), 0), Contains("not a digitlab model file"));
  REQUIRE_THROWS_WITH(nn::load_model(nullptr, 0), Contains("not a digitlab model file"));
}

TEST_CASE("model file: truncations of the cnn fail cleanly", "[model_file]") {
  nn::Sequential model = built_model(nn::preset_architecture("cnn"));
  const Bytes bytes = nn::save_model(model);
  for (size_t n = 0; n < bytes.size(); n += 1 + n / 8) {
    INFO("truncated to " << n << " of " << bytes.size() << " bytes");
    REQUIRE_THROWS_AS(nn::load_model(bytes.data(), n), nn::Error);
  }
}

TEST_CASE("model file: every flipped byte of a small model is caught", "[model_file]") {
  nn::Sequential model = built_model(kTiny);
  const Bytes bytes = nn::save_model(model);
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xFF)}) {
      Bytes bad = bytes;
      bad[i] ^= mask;
      INFO("byte " << i << " xor " << int(mask));
      REQUIRE_THROWS_AS(load(bad), nn::Error);
    }
  }
}

TEST_CASE("model file: flipped bytes in the mlp's weights fail the checksum", "[model_file]") {
  nn::Sequential model = built_model(nn::preset_architecture("mlp"));
  const Bytes bytes = nn::save_model(model);
  nn::Rng rng(5);
  const size_t weights_start = bytes.size() / 4;  // well past the header: only floats there
  for (int k = 0; k < 200; ++k) {
    const size_t i = weights_start + rng.uniform_int(uint32_t(bytes.size() - 4 - weights_start));
    Bytes bad = bytes;
    bad[i] ^= uint8_t(1 + rng.uniform_int(255));
    INFO("byte " << i);
    REQUIRE_THROWS_WITH(load(bad), Contains("checksum mismatch: the file is corrupt"));
  }
}

TEST_CASE("model file: wrong magic is not a model file", "[model_file]") {
  Bytes bytes = make_file(tiny_architecture(), tiny_tensors());
  bytes[0] = 'X';
  fix_crc(bytes);
  REQUIRE_THROWS_WITH(load(bytes), Contains("not a digitlab model file"));
  const std::string text = "hello, I am a text file and not a model";
  REQUIRE_THROWS_WITH(nn::load_model(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                      Contains("not a digitlab model file"));
}

TEST_CASE("model file: a newer version is refused by number", "[model_file]") {
  REQUIRE_THROWS_WITH(load(make_file(tiny_architecture(), tiny_tensors(), 7)),
                      Contains("version 7 is newer than this digitlab (1)"));
  REQUIRE_THROWS_WITH(load(make_file(tiny_architecture(), tiny_tensors(), 0)), Contains("version 0"));
}

TEST_CASE("model file: hostile sizes fail fast without allocating", "[model_file]") {
  const std::string arch = tiny_architecture();
  const Bytes good = make_file(arch, tiny_tensors());
  const size_t json_len_at = 12;
  const size_t count_at = 16 + arch.size();
  const size_t name_len_at = count_at + 4;
  const size_t rows_at = name_len_at + 4 + std::string("dense_1.weight").size();

  SECTION("2^31 floats in one tensor") {
    Bytes bad = good;
    write_u32(bad, rows_at, 0x80000000u);
    write_u32(bad, rows_at + 4, 1);
    fix_crc(bad);
    REQUIRE_THROWS_WITH(load(bad), Contains("truncated") && Contains("2147483648"));
  }
  SECTION("rows * cols overflowing 32 bits") {
    Bytes bad = good;
    write_u32(bad, rows_at, 0xFFFFFFFFu);
    write_u32(bad, rows_at + 4, 0xFFFFFFFFu);
    fix_crc(bad);
    REQUIRE_THROWS_WITH(load(bad), Contains("truncated"));
  }
  SECTION("4 billion tensors") {
    Bytes bad = good;
    write_u32(bad, count_at, 0xFFFFFFFFu);
    fix_crc(bad);
    REQUIRE_THROWS_WITH(load(bad), Contains("truncated") && Contains("4294967295 tensors"));
  }
  SECTION("a 4 GB architecture description") {
    Bytes bad = good;
    write_u32(bad, json_len_at, 0xFFFFFFFFu);
    fix_crc(bad);
    REQUIRE_THROWS_WITH(load(bad), Contains("truncated"));
  }
  SECTION("a 4 GB tensor name") {
    Bytes bad = good;
    write_u32(bad, name_len_at, 0xFFFFFFF0u);
    fix_crc(bad);
    REQUIRE_THROWS_WITH(load(bad), Contains("truncated"));
  }
  SECTION("an architecture asking for millions of parameters the file lacks") {
    // Valid for the parser (16M weights, 64 MB) but the file holds none of them: refused
    // from the architecture alone, before build() would allocate the gigabyte.
    const std::string huge = R"({"input": 4000, "layers": [{"type": "dense", "units": 4000}]})";
    REQUIRE_THROWS_WITH(load(make_file(huge, {})), Contains("needs 16004000 parameters but the file holds 0"));
  }
}

TEST_CASE("model file: trailing bytes after the tensors are refused", "[model_file]") {
  Bytes bytes = make_file(tiny_architecture(), tiny_tensors());
  bytes.insert(bytes.end() - 4, uint8_t(0));
  fix_crc(bytes);
  REQUIRE_THROWS_WITH(load(bytes), Contains("unexpected bytes"));
}

TEST_CASE("model file: architecture errors are wrapped", "[model_file]") {
  REQUIRE_THROWS_WITH(load(make_file("{not json", tiny_tensors())), Catch::Matchers::StartsWith("model file: architecture: "));
  REQUIRE_THROWS_WITH(load(make_file(R"({"input": 3, "layers": [{"type": "warp_drive"}]})", tiny_tensors())),
                      Catch::Matchers::StartsWith("model file: architecture: "));
}

TEST_CASE("model file: deeply nested architecture JSON is refused before parsing", "[model_file]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  REQUIRE_THROWS_WITH(load(make_file(deep, {})), Contains("nested more than 32 levels"));
  // Brackets inside strings do not count.
  const std::string quoted = R"({"input": 3, "name": ")" + std::string(100, '[') + R"(", "layers": [{"type": "dense", "units": 2}]})";
  REQUIRE_THROWS_WITH(load(make_file(quoted, tiny_tensors())), !Contains("nested"));
}

TEST_CASE("model file: tensors must match the architecture exactly", "[model_file]") {
  const std::string arch = tiny_architecture();
  auto tensors = tiny_tensors();

  SECTION("a tensor missing") {
    tensors.pop_back();
    REQUIRE_THROWS_WITH(load(make_file(arch, tensors)), Contains("architecture"));
  }
  SECTION("an extra tensor") {
    tensors.push_back({"dense_2.weight", 1, 1, {1.0f}});
    REQUIRE_THROWS_WITH(load(make_file(arch, tensors)), Contains("3"));
  }
  SECTION("a wrong name") {
    tensors[1].name = "dense_1.gain";
    REQUIRE_THROWS_WITH(load(make_file(arch, tensors)), Contains("dense_1.gain") && Contains("dense_1.bias"));
  }
  SECTION("swapped order") {
    std::swap(tensors[0], tensors[1]);
    REQUIRE_THROWS_AS(load(make_file(arch, tensors)), nn::Error);
  }
  SECTION("a transposed shape with the same size") {
    tensors[0].rows = 3;
    tensors[0].cols = 2;
    REQUIRE_THROWS_WITH(load(make_file(arch, tensors)), Contains("3 x 2") && Contains("2 x 3"));
  }
  SECTION("a different architecture") {
    const std::string other = R"({"input": 3, "layers": [{"type": "dense", "units": 3}]})";
    REQUIRE_THROWS_AS(load(make_file(other, tensors)), nn::Error);
  }
}

TEST_CASE("model file: NaN and infinite weights are refused", "[model_file]") {
  auto tensors = tiny_tensors();
  SECTION("NaN") {
    tensors[0].values[4] = std::numeric_limits<float>::quiet_NaN();
    REQUIRE_THROWS_WITH(load(make_file(tiny_architecture(), tensors)), Contains("dense_1.weight") && Contains("NaN"));
  }
  SECTION("infinity") {
    tensors[1].values[0] = -std::numeric_limits<float>::infinity();
    REQUIRE_THROWS_WITH(load(make_file(tiny_architecture(), tensors)), Contains("dense_1.bias") && Contains("infinite"));
  }
}

// ---- fuzzer regressions -------------------------------------------------------------------

namespace {

std::vector<std::filesystem::path> regression_files(const std::string& target) {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path dir = std::filesystem::path(DIGITLAB_SOURCE_DIR) / "tests/fuzz/regressions" / target;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') files.push_back(entry.path());
  return files;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("model file: fuzzer regression inputs load or throw nn::Error", "[model_file][fuzz]") {
  for (const auto& path : regression_files("model_file")) {
    INFO(path.string());
    const std::string data = read_file(path);
    try {
      nn::Sequential model = nn::load_model(reinterpret_cast<const uint8_t*>(data.data()), data.size());
      SUCCEED();
    } catch (const nn::Error&) {
      SUCCEED();
    }
  }
}

TEST_CASE("architecture: fuzzer regression inputs parse or throw nn::Error", "[architecture][fuzz]") {
  for (const auto& path : regression_files("architecture")) {
    INFO(path.string());
    try {
      nn::Sequential model = nn::parse_architecture(read_file(path));
      SUCCEED();
    } catch (const nn::Error&) {
      SUCCEED();
    }
  }
}
