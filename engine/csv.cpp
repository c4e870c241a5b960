// for_each_csv_row: splits lines and fields and parses each field with strtod, trailing
// blanks allowed; anything else in a field (a NUL byte too) makes its value NaN.
#include "engine/csv.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "engine/error.h"

namespace nn {

namespace {

// The field's number, or NaN unless the whole token (up to trailing blanks) is one.
double parse_field(const std::string& token) {
  if (token.empty()) return std::numeric_limits<double>::quiet_NaN();
  char* parse_end = nullptr;
  const double value = std::strtod(token.c_str(), &parse_end);
  const char* end = token.c_str() + token.size();  // strtod stops at an embedded NUL: compare with the real end
  while (parse_end < end && (*parse_end == ' ' || *parse_end == '\t')) ++parse_end;
  if (parse_end == token.c_str() || parse_end != end) return std::numeric_limits<double>::quiet_NaN();
  return value;
}

}  // namespace

void for_each_csv_row(const std::string& text, const std::string& what, size_t max_fields,
                      const std::function<void(const CsvRow&)>& on_row) {
  if (text.size() > kMaxCsvBytes) {
    throw Error(what + ": " + std::to_string(text.size()) + " bytes, more than the limit of " +
                std::to_string(kMaxCsvBytes));
  }
  CsvRow row;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++row.line;
    if (end - pos > kMaxCsvLineBytes) {
      throw Error(what + " line " + std::to_string(row.line) + ": " + std::to_string(end - pos) +
                  " bytes, more than the limit of " + std::to_string(kMaxCsvLineBytes) + " per line");
    }
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    row.tokens.clear();
    row.values.clear();
    size_t start = 0;
    while (true) {
      if (row.tokens.size() == max_fields) {
        throw Error(what + " line " + std::to_string(row.line) + ": more than " + std::to_string(max_fields) +
                    " fields");
      }
      const size_t comma = line.find(',', start);
      std::string token = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      row.values.push_back(parse_field(token));
      row.tokens.push_back(std::move(token));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    on_row(row);
  }
}

}  // namespace nn
