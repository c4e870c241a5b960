// Whole-file I/O and the --predict CSV parser for the CLI (see files.h).
#include "cli/files.h"

#include "engine/csv.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/dataset.h"
#include "engine/error.h"

namespace cli {

std::vector<uint8_t> read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw nn::Error("cannot read " + path + ": " + std::strerror(errno));
  std::vector<uint8_t> bytes;
  uint8_t chunk[65536];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw nn::Error("cannot read " + path + ": read error");
  return bytes;
}

std::string read_text_file(const std::string& path) {
  const auto bytes = read_file(path);
  return std::string(bytes.begin(), bytes.end());
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw nn::Error("cannot write " + path + ": " + std::strerror(errno));
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) throw nn::Error("cannot write " + path + ": write error (disk full?)");
}

nn::Matrix parse_pixel_rows(const std::string& text) {
  std::vector<float> values;  // (N * 64)
  nn::for_each_csv_row(text, [&](const nn::CsvRow& row) {
    for (size_t f = 0; f < row.values.size(); ++f) {
      const double v = row.values[f];
      const std::string where = "line " + std::to_string(row.line) + ", field " + std::to_string(f + 1);
      if (!std::isfinite(v)) throw nn::Error("predict CSV " + where + ": \"" + row.tokens[f] + "\" is not a number");
      if (v < 0 || v > 16) throw nn::Error("predict CSV " + where + ": " + row.tokens[f] + " is not a pixel count 0..16");
    }
    if (row.values.size() != static_cast<size_t>(nn::kDigitFeatures)) {
      throw nn::Error("predict CSV line " + std::to_string(row.line) + ": " + std::to_string(row.values.size()) +
                      " values, expected 64 pixel counts");
    }
    for (double v : row.values) values.push_back(static_cast<float>(v / 16.0));
  });
  if (values.empty()) throw nn::Error("predict CSV: no rows");
  const nn::Index rows = static_cast<nn::Index>(values.size() / nn::kDigitFeatures);
  return Eigen::Map<nn::Matrix>(values.data(), rows, nn::kDigitFeatures);
}

}  // namespace cli
