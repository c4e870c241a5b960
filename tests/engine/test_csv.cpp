// for_each_csv_row: line numbers, blank lines, CRLF, and NaN for fields that are not numbers.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "engine/csv.h"

TEST_CASE("csv: rows come with their line numbers, blank lines skipped, CRLF accepted", "[csv]") {
  std::vector<nn::CsvRow> rows;
  nn::for_each_csv_row("1,2.5, 3 \r\n\n  \n-4,x,,5e1\n7", [&](const nn::CsvRow& r) { rows.push_back(r); });
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].line == 1);
  CHECK(rows[0].values == std::vector<double>{1, 2.5, 3});
  CHECK(rows[1].line == 4);
  REQUIRE(rows[1].values.size() == 4);
  CHECK(rows[1].values[0] == -4);
  CHECK(std::isnan(rows[1].values[1]));
  CHECK(rows[1].tokens[1] == "x");
  CHECK(std::isnan(rows[1].values[2]));  // an empty field is not a number
  CHECK(rows[1].values[3] == 50);
  CHECK(rows[2].line == 5);
  CHECK(rows[2].values == std::vector<double>{7});
}

TEST_CASE("csv: text with no rows calls nothing", "[csv]") {
  int calls = 0;
  nn::for_each_csv_row("\n \r\n", [&](const nn::CsvRow&) { ++calls; });
  nn::for_each_csv_row("", [&](const nn::CsvRow&) { ++calls; });
  CHECK(calls == 0);
}
