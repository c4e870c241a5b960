// Reading and writing the shipped digits file (format in data/README.md) and parsing the
// scikit-learn CSV it was made from. Every field is checked before use, so a truncated or
// hostile file gives an nn::Error naming the problem, never a crash or a huge allocation.
#include "engine/digits_file.h"

#include "engine/csv.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "engine/error.h"

namespace nn {

namespace {

constexpr char kMagic[4] = {'D', 'G', 'T', 'S'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 16;
constexpr uint32_t kMaxCount = kMaxDigitsCount;
constexpr int kMaxValue = 16;

uint32_t read_u32_le(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

void write_u32_le(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// "line 12, field 3" for CSV messages.
std::string csv_place(size_t line, size_t field) {
  return "digits CSV line " + std::to_string(line) + ", field " + std::to_string(field);
}

}  // namespace

Dataset load_digits(const uint8_t* bytes, size_t size) {
  if (bytes == nullptr && size > 0) throw Error("digits file: null data pointer");
  if (size < kHeaderBytes) {
    throw Error("digits file: " + std::to_string(size) + " bytes is too short for the " +
                std::to_string(kHeaderBytes) + "-byte header (truncated or not a digits file)");
  }
  if (std::memcmp(bytes, kMagic, 4) != 0) {
    throw Error("digits file: bad magic (expected \"DGTS\"); this is not a digits file");
  }
  const uint32_t version = read_u32_le(bytes + 4);
  if (version != kVersion) {
    throw Error("digits file: unsupported version " + std::to_string(version) + " (this build reads version " +
                std::to_string(kVersion) + ")");
  }
  const uint32_t count = read_u32_le(bytes + 8);
  if (count < 1 || count > kMaxCount) {
    throw Error("digits file: count " + std::to_string(count) + " out of range 1.." + std::to_string(kMaxCount));
  }
  const uint32_t features = read_u32_le(bytes + 12);
  if (features != static_cast<uint32_t>(kDigitFeatures)) {
    throw Error("digits file: " + std::to_string(features) + " features per digit, expected " +
                std::to_string(kDigitFeatures) + " (8x8)");
  }
  const size_t expected = kHeaderBytes + static_cast<size_t>(count) * (kDigitFeatures + 1);
  if (size != expected) {
    throw Error("digits file: " + std::to_string(size) + " bytes but a file of " + std::to_string(count) +
                " digits has " + std::to_string(expected) + " bytes (" +
                (size < expected ? "truncated" : "trailing data") + ")");
  }

  const uint8_t* pixels = bytes + kHeaderBytes;                           // (N, 64)
  const uint8_t* labels = pixels + static_cast<size_t>(count) * kDigitFeatures;  // (N)
  Dataset data;
  data.x.resize(count, kDigitFeatures);
  data.y.resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    for (int f = 0; f < kDigitFeatures; ++f) {
      const uint8_t v = pixels[static_cast<size_t>(i) * kDigitFeatures + f];
      if (v > kMaxValue) {
        throw Error("digits file: digit " + std::to_string(i) + ", pixel " + std::to_string(f) + " has value " +
                    std::to_string(v) + ", expected 0..16");
      }
      data.x(i, f) = static_cast<float>(v) / kMaxValue;
    }
    if (labels[i] >= kDigitClasses) {
      throw Error("digits file: digit " + std::to_string(i) + " has label " + std::to_string(labels[i]) +
                  ", expected 0..9");
    }
    data.y[i] = labels[i];
  }
  return data;
}

std::vector<uint8_t> encode_digits(const Dataset& data) {
  const Index n = data.size();
  if (data.x.cols() != kDigitFeatures) {
    throw Error("encode_digits: x has " + std::to_string(data.x.cols()) + " columns, expected 64");
  }
  if (static_cast<Index>(data.y.size()) != n) {
    throw Error("encode_digits: " + std::to_string(n) + " rows of x but " + std::to_string(data.y.size()) +
                " labels");
  }
  if (n < 1 || n > static_cast<Index>(kMaxCount)) {
    throw Error("encode_digits: " + std::to_string(n) + " digits, expected 1.." + std::to_string(kMaxCount));
  }
  std::vector<uint8_t> out;
  out.reserve(kHeaderBytes + static_cast<size_t>(n) * (kDigitFeatures + 1));
  out.insert(out.end(), kMagic, kMagic + 4);
  write_u32_le(out, kVersion);
  write_u32_le(out, static_cast<uint32_t>(n));
  write_u32_le(out, kDigitFeatures);
  for (Index i = 0; i < n; ++i) {
    for (int f = 0; f < kDigitFeatures; ++f) {
      const float scaled = data.x(i, f) * kMaxValue;
      const float count = std::round(scaled);
      // Only exact multiples of 1/16 survive the byte form; anything else would silently change.
      if (!(count >= 0.0f && count <= kMaxValue) || std::fabs(scaled - count) > 1e-4f) {
        throw Error("encode_digits: digit " + std::to_string(i) + ", pixel " + std::to_string(f) + " is " +
                    std::to_string(data.x(i, f)) + ", expected a multiple of 1/16 in [0, 1]");
      }
      out.push_back(static_cast<uint8_t>(count));
    }
  }
  for (Index i = 0; i < n; ++i) {
    const int label = data.y[static_cast<size_t>(i)];
    if (label < 0 || label >= kDigitClasses) {
      throw Error("encode_digits: digit " + std::to_string(i) + " has label " + std::to_string(label) +
                  ", expected 0..9");
    }
    out.push_back(static_cast<uint8_t>(label));
  }
  return out;
}

Dataset parse_digits_csv(const std::string& text) {
  std::vector<uint8_t> pixels;  // (N, 64) counts
  std::vector<int> labels;      // (N)
  const size_t fields = static_cast<size_t>(kDigitFeatures) + 1;
  for_each_csv_row(text, "digits CSV", fields, [&](const CsvRow& row) {
    if (row.values.size() != fields) {
      throw Error("digits CSV line " + std::to_string(row.line) + ": " + std::to_string(row.values.size()) +
                  " fields, expected 65 (64 pixels + label)");
    }
    for (size_t f = 0; f < fields; ++f) {
      const double value = row.values[f];
      const std::string& token = row.tokens[f];
      if (!std::isfinite(value) || value != std::floor(value)) {
        throw Error(csv_place(row.line, f + 1) + ": " + quoted(token) + " is not an integer");
      }
      const bool is_label = f + 1 == fields;
      const double max = is_label ? kDigitClasses - 1 : kMaxValue;
      if (value < 0 || value > max) {
        throw Error(csv_place(row.line, f + 1) + ": " + token +
                    (is_label ? " is not a label 0..9" : " is not a pixel value 0..16"));
      }
      if (is_label) {
        labels.push_back(static_cast<int>(value));
      } else {
        pixels.push_back(static_cast<uint8_t>(value));
      }
    }
    if (labels.size() > kMaxCount) throw Error("digits CSV: more than " + std::to_string(kMaxCount) + " rows");
  });
  if (labels.empty()) throw Error("digits CSV: no rows");

  Dataset data;
  const Index n = static_cast<Index>(labels.size());
  data.x.resize(n, kDigitFeatures);
  for (Index i = 0; i < n; ++i) {
    for (int f = 0; f < kDigitFeatures; ++f) {
      data.x(i, f) = static_cast<float>(pixels[static_cast<size_t>(i) * kDigitFeatures + f]) / kMaxValue;
    }
  }
  data.y = std::move(labels);
  return data;
}

}  // namespace nn
