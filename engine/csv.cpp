// for_each_csv_row: splits lines and fields and parses each field with strtod, trailing
// blanks allowed; anything else in a field makes its value NaN.
#include "engine/csv.h"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace nn {

void for_each_csv_row(const std::string& text, const std::function<void(const CsvRow&)>& on_row) {
  CsvRow row;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++row.line;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    row.tokens.clear();
    row.values.clear();
    size_t start = 0;
    while (true) {
      const size_t comma = line.find(',', start);
      std::string token = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      char* parse_end = nullptr;
      double value = std::strtod(token.c_str(), &parse_end);
      while (*parse_end == ' ' || *parse_end == '\t') ++parse_end;
      if (token.empty() || parse_end == token.c_str() || *parse_end != '\0') {
        value = std::numeric_limits<double>::quiet_NaN();
      }
      row.tokens.push_back(std::move(token));
      row.values.push_back(value);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    on_row(row);
  }
}

}  // namespace nn
