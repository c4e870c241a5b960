// Rows of comma-separated numbers, as the digits CSV and the CLI's --predict input use.
// Blank lines are skipped and CRLF line ends accepted; each caller checks field counts and
// value ranges itself and words its own errors. Sizes are checked as the text is read: a
// line longer than kMaxCsvLineBytes or with more fields than the caller allows is refused
// before it is split, so a 50 MB line costs nothing.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace nn {

// The longest CSV line (64 pixel counts need under 300 bytes) and the largest CSV text.
constexpr size_t kMaxCsvLineBytes = 64 * 1024;
constexpr size_t kMaxCsvBytes = 64 * 1024 * 1024;

struct CsvRow {
  size_t line = 0;                  // 1-based line number in the text
  std::vector<std::string> tokens;  // each field's text
  std::vector<double> values;       // each field's number; NaN where the text is not a number
};

// Calls on_row for every non-blank line of text, in order. Throws nn::Error starting with
// `what` ("predict CSV") for a text or line over the limits, or a line with more than
// max_fields fields.
void for_each_csv_row(const std::string& text, const std::string& what, size_t max_fields,
                      const std::function<void(const CsvRow&)>& on_row);

}  // namespace nn
