// Tests of the digits file loader/encoder and the CSV parser: exact round trips, every
// rejection path with its message, and the shipped data/digits.bin against the original CSV.
// The CSV is gunzipped with the gzip program (tests only; the engine reads no files).
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/digits_file.h"
#include "engine/error.h"

using Catch::Matchers::Contains;

namespace {

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string gunzip_text(const std::string& path) {
  const std::string command = "gzip -dc '" + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string text;
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, pipe)) > 0) text.append(chunk, got);
  REQUIRE(pclose(pipe) == 0);
  return text;
}

// Two digits: the first all 16 in pixel f == f % 17, the second 0..16 ramp reversed.
nn::Dataset tiny_dataset() {
  nn::Dataset data;
  data.x.resize(2, 64);
  for (int f = 0; f < 64; ++f) {
    data.x(0, f) = static_cast<float>(f % 17) / 16.0f;
    data.x(1, f) = static_cast<float>(16 - f % 17) / 16.0f;
  }
  data.y = {3, 9};
  return data;
}

void set_u32(std::vector<uint8_t>& bytes, size_t offset, uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<uint8_t>(v >> (8 * i));
}

void require_error(const std::vector<uint8_t>& bytes, const std::string& part) {
  try {
    nn::load_digits(bytes.data(), bytes.size());
    FAIL("load_digits accepted a file that should fail with: " << part);
  } catch (const nn::Error& e) {
    CHECK_THAT(e.what(), Contains(part));
  }
}

}  // namespace

TEST_CASE("digits_file: encode writes the documented layout", "[digits_file]") {
  const auto bytes = nn::encode_digits(tiny_dataset());
  REQUIRE(bytes.size() == 16 + 2 * 65);
  CHECK(std::string(bytes.begin(), bytes.begin() + 4) == "DGTS");
  CHECK(bytes[4] == 1);   // version, little-endian
  CHECK(bytes[5] == 0);
  CHECK(bytes[8] == 2);   // count
  CHECK(bytes[12] == 64); // features
  CHECK(bytes[16 + 5] == 5);        // digit 0, pixel 5
  CHECK(bytes[16 + 64 + 0] == 16);  // digit 1, pixel 0
  CHECK(bytes[16 + 128] == 3);      // labels
  CHECK(bytes[16 + 129] == 9);
}

TEST_CASE("digits_file: encode then load round trips exactly", "[digits_file]") {
  const nn::Dataset data = tiny_dataset();
  const auto bytes = nn::encode_digits(data);
  const nn::Dataset back = nn::load_digits(bytes.data(), bytes.size());
  REQUIRE(back.size() == 2);
  CHECK(back.y == data.y);
  CHECK((back.x.array() == data.x.array()).all());
  CHECK(back.x(0, 16) == 1.0f);
  CHECK(back.x(0, 8) == 0.5f);
}

TEST_CASE("digits_file: loader rejects malformed files with a reason", "[digits_file]") {
  const auto good = nn::encode_digits(tiny_dataset());

  SECTION("shorter than the header") {
    require_error(std::vector<uint8_t>(good.begin(), good.begin() + 10), "too short");
  }
  SECTION("empty") { require_error({}, "too short"); }
  SECTION("truncated body") {
    require_error(std::vector<uint8_t>(good.begin(), good.end() - 1), "truncated");
  }
  SECTION("trailing bytes") {
    auto bytes = good;
    bytes.push_back(0);
    require_error(bytes, "trailing");
  }
  SECTION("bad magic") {
    auto bytes = good;
    bytes[0] = 'X';
    require_error(bytes, "magic");
  }
  SECTION("unknown version") {
    auto bytes = good;
    set_u32(bytes, 4, 2);
    require_error(bytes, "version 2");
  }
  SECTION("zero count") {
    auto bytes = good;
    set_u32(bytes, 8, 0);
    require_error(bytes, "count 0");
  }
  SECTION("huge count is refused before any allocation") {
    auto bytes = good;
    set_u32(bytes, 8, 0xFFFFFFFFu);
    require_error(bytes, "out of range");
  }
  SECTION("count inconsistent with the size") {
    auto bytes = good;
    set_u32(bytes, 8, 3);
    require_error(bytes, "truncated");
  }
  SECTION("wrong feature count") {
    auto bytes = good;
    set_u32(bytes, 12, 63);
    require_error(bytes, "63 features");
  }
  SECTION("pixel value above 16") {
    auto bytes = good;
    bytes[16 + 64 + 7] = 17;
    require_error(bytes, "digit 1, pixel 7 has value 17");
  }
  SECTION("label above 9") {
    auto bytes = good;
    bytes[16 + 128] = 10;
    require_error(bytes, "digit 0 has label 10");
  }
}

TEST_CASE("digits_file: encode rejects data the format cannot hold", "[digits_file]") {
  nn::Dataset data = tiny_dataset();
  SECTION("not a multiple of 1/16") {
    data.x(1, 2) = 0.3f;
    REQUIRE_THROWS_WITH(nn::encode_digits(data), Contains("digit 1, pixel 2"));
  }
  SECTION("above 1") {
    data.x(0, 0) = 17.0f / 16.0f;
    REQUIRE_THROWS_WITH(nn::encode_digits(data), Contains("multiple of 1/16"));
  }
  SECTION("bad label") {
    data.y[1] = -1;
    REQUIRE_THROWS_WITH(nn::encode_digits(data), Contains("label -1"));
  }
  SECTION("wrong width") {
    data.x.conservativeResize(2, 63);
    REQUIRE_THROWS_WITH(nn::encode_digits(data), Contains("63 columns"));
  }
  SECTION("label count mismatch") {
    data.y.push_back(1);
    REQUIRE_THROWS_WITH(nn::encode_digits(data), Contains("3 labels"));
  }
}

TEST_CASE("digits_file: CSV parser reads rows and reports line numbers", "[digits_file][csv]") {
  std::string row;
  for (int f = 0; f < 64; ++f) row += std::to_string(f % 17) + ",";
  SECTION("valid rows, CRLF and a trailing blank line") {
    const nn::Dataset data = nn::parse_digits_csv(row + "7\r\n" + row + "0\n\n");
    REQUIRE(data.size() == 2);
    CHECK(data.y == std::vector<int>{7, 0});
    CHECK(data.x(1, 16) == 1.0f);
    CHECK(data.x(0, 4) == 0.25f);
  }
  SECTION("too few fields") {
    REQUIRE_THROWS_WITH(nn::parse_digits_csv(row + "7\n1,2,3\n"), Contains("line 2: 3 fields"));
  }
  SECTION("too many fields") {
    REQUIRE_THROWS_WITH(nn::parse_digits_csv(row + "7,1\n"), Contains("line 1: more than 65"));
  }
  SECTION("value above 16") {
    std::string bad = "17" + row.substr(row.find(','));
    REQUIRE_THROWS_WITH(nn::parse_digits_csv(row + "1\n" + bad + "1\n"), Contains("line 2, field 1: 17"));
  }
  SECTION("label above 9") {
    REQUIRE_THROWS_WITH(nn::parse_digits_csv(row + "10\n"), Contains("line 1, field 65: 10 is not a label"));
  }
  SECTION("not a number") {
    REQUIRE_THROWS_WITH(nn::parse_digits_csv(row + "x\n"), Contains("\"x\" is not an integer"));
  }
  SECTION("fractional value") {
    REQUIRE_THROWS_WITH(nn::parse_digits_csv("1.5," + row.substr(row.find(',') + 1) + "1\n"),
                        Contains("\"1.5\" is not an integer"));
  }
  SECTION("empty text") { REQUIRE_THROWS_WITH(nn::parse_digits_csv("\n"), Contains("no rows")); }
}

TEST_CASE("digits_file: the shipped digits.bin holds the 1797 digits of the CSV exactly", "[digits_file][data]") {
  const auto bytes = read_bytes(std::string(DIGITLAB_SOURCE_DIR) + "/data/digits.bin");
  const nn::Dataset shipped = nn::load_digits(bytes.data(), bytes.size());
  const nn::Dataset csv = nn::parse_digits_csv(gunzip_text(std::string(DIGITLAB_SOURCE_DIR) + "/data/digits.csv.gz"));
  REQUIRE(shipped.size() == 1797);
  REQUIRE(csv.size() == 1797);
  CHECK(shipped.y == csv.y);
  CHECK((shipped.x.array() == csv.x.array()).all());
  CHECK(nn::encode_digits(shipped) == bytes);
  // Known first digit (a zero) from the CSV's first line.
  CHECK(shipped.y[0] == 0);
  CHECK(shipped.x(0, 3) == 13.0f / 16.0f);
  std::vector<int> per_class(10, 0);
  for (int label : shipped.y) ++per_class[static_cast<size_t>(label)];
  CHECK(per_class == std::vector<int>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180});
}
