// Rows of comma-separated numbers, as the digits CSV and the CLI's --predict input use.
// Blank lines are skipped and CRLF line ends accepted; each caller checks field counts and
// value ranges itself and words its own errors.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace nn {

struct CsvRow {
  size_t line = 0;                  // 1-based line number in the text
  std::vector<std::string> tokens;  // each field's text
  std::vector<double> values;       // each field's number; NaN where the text is not a number
};

// Calls on_row for every non-blank line of text, in order.
void for_each_csv_row(const std::string& text, const std::function<void(const CsvRow&)>& on_row);

}  // namespace nn
