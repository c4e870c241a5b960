// Tests of concat: rows and labels in order (a then b), empty operands, and the errors for
// mismatched feature counts and for a dataset whose labels do not match its rows.
#include <catch2/catch.hpp>

#include "engine/dataset.h"
#include "engine/error.h"

using Catch::Matchers::Contains;

namespace {

// rows x cols, value of (r, c) = base + 10 r + c; labels base + r.
nn::Dataset numbered(int rows, int cols, int base) {
  nn::Dataset d;
  d.x.resize(rows, cols);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) d.x(r, c) = static_cast<float>(base + 10 * r + c);
    d.y.push_back(base + r);
  }
  return d;
}

}  // namespace

TEST_CASE("dataset: concat puts the rows of a before the rows of b", "[dataset][concat]") {
  const nn::Dataset a = numbered(2, 3, 0);    // rows {0,1,2}, {10,11,12}; labels 0, 1
  const nn::Dataset b = numbered(1, 3, 100);  // row {100,101,102}; label 100
  const nn::Dataset c = nn::concat(a, b);
  REQUIRE(c.size() == 3);
  REQUIRE(c.x.cols() == 3);
  CHECK(c.y == std::vector<int>{0, 1, 100});
  CHECK(c.x(0, 0) == 0.0f);
  CHECK(c.x(1, 2) == 12.0f);
  CHECK(c.x(2, 0) == 100.0f);
  CHECK(c.x(2, 2) == 102.0f);
}

TEST_CASE("dataset: concat with an empty dataset returns the other one", "[dataset][concat]") {
  const nn::Dataset a = numbered(2, 4, 5);
  const nn::Dataset empty;
  const nn::Dataset left = nn::concat(empty, a);
  const nn::Dataset right = nn::concat(a, empty);
  CHECK(left.x == a.x);
  CHECK(left.y == a.y);
  CHECK(right.x == a.x);
  CHECK(right.y == a.y);
  CHECK(nn::concat(empty, empty).size() == 0);
}

TEST_CASE("dataset: concat rejects different feature counts, naming both shapes", "[dataset][concat]") {
  REQUIRE_THROWS_AS(nn::concat(numbered(2, 64, 0), numbered(3, 10, 0)), nn::Error);
  REQUIRE_THROWS_WITH(nn::concat(numbered(2, 64, 0), numbered(3, 10, 0)),
                      Contains("(2, 64)") && Contains("(3, 10)"));
}

TEST_CASE("dataset: concat rejects a dataset whose labels do not match its rows", "[dataset][concat]") {
  nn::Dataset bad = numbered(3, 2, 0);
  bad.y.pop_back();
  REQUIRE_THROWS_WITH(nn::concat(numbered(1, 2, 0), bad), Contains("second") && Contains("3 rows but 2 labels"));
  REQUIRE_THROWS_WITH(nn::concat(bad, numbered(1, 2, 0)), Contains("first"));
}
