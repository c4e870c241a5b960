// for_each_csv_row: line numbers, blank lines, CRLF, NaN for fields that are not numbers,
// and the size limits checked as the text is read.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "engine/csv.h"
#include "engine/error.h"

TEST_CASE("csv: rows come with their line numbers, blank lines skipped, CRLF accepted", "[csv]") {
  std::vector<nn::CsvRow> rows;
  nn::for_each_csv_row("1,2.5, 3 \r\n\n  \n-4,x,,5e1\n7", "test CSV", 10, [&](const nn::CsvRow& r) { rows.push_back(r); });
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
  nn::for_each_csv_row("\n \r\n", "test CSV", 10, [&](const nn::CsvRow&) { ++calls; });
  nn::for_each_csv_row("", "test CSV", 10, [&](const nn::CsvRow&) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("csv: a field with a NUL byte is not a number", "[csv]") {
  std::vector<nn::CsvRow> rows;
  nn::for_each_csv_row(std::string("5\0junk,6", 8), "test CSV", 10, [&](const nn::CsvRow& r) { rows.push_back(r); });
  REQUIRE(rows.size() == 1);
  CHECK(std::isnan(rows[0].values[0]));
  CHECK(rows[0].values[1] == 6);
}

TEST_CASE("csv: long lines and extra fields are refused as they are read", "[csv]") {
  int calls = 0;
  const auto count = [&](const nn::CsvRow&) { ++calls; };
  // One line of 50 MB: refused by its length, before it is split into fields.
  const std::string long_line = "1,2\n" + std::string(50 * 1024 * 1024, '7');
  CHECK_THROWS_WITH(nn::for_each_csv_row(long_line, "test CSV", 64, count),
                    "test CSV line 2: 52428800 bytes, more than the limit of 65536 per line");
  CHECK(calls == 1);
  CHECK_THROWS_WITH(nn::for_each_csv_row("1,2,3,4\n", "test CSV", 3, count), "test CSV line 1: more than 3 fields");
  CHECK_THROWS_WITH(nn::for_each_csv_row(std::string(nn::kMaxCsvBytes + 1, '\n'), "test CSV", 3, count),
                    "test CSV: 67108865 bytes, more than the limit of 67108864");
}
