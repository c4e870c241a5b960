// MaxPool2D tests: hand-computed maxima, the exact tie rule (first maximum in row-major
// window order takes the gradient), overlapping windows, floor behaviour, gradient checks on
// tie-free inputs, batch-size changes, JSON settings and errors.
#include <catch2/catch.hpp>

#include <numeric>

#include "engine/error.h"
#include "engine/layers/maxpool2d.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

MaxPool2D built_pool(int size, int stride, Shape in) {
  MaxPool2D pool(size, stride);
  Rng rng(1);
  pool.build(in, rng);
  return pool;
}

// Distinct values 0.1 apart in a random order: no ties, and a +-eps step (1e-2) never
// changes which value wins a window.
Matrix tie_free_input(Index rows, Index cols, Rng& rng) {
  std::vector<int> order(static_cast<size_t>(rows * cols));
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  Matrix x(rows, cols);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = 0.1f * static_cast<float>(order[i]) - 1.0f;
  return x;
}

}  // namespace

TEST_CASE("maxpool2d: forward matches hand-computed values", "[maxpool2d]") {
  Rng rng(1);
  SECTION("4x4 input 0..15, size 2") {
    MaxPool2D pool = built_pool(2, 0, Shape{1, 4, 4});
    Matrix x(1, 16);
    for (int i = 0; i < 16; ++i) x(0, i) = float(i);
    Matrix out = pool.forward(view(x), Mode::kInfer, rng);
    REQUIRE(out.cols() == 4);
    CHECK(out(0, 0) == 5.0f);
    CHECK(out(0, 1) == 7.0f);
    CHECK(out(0, 2) == 13.0f);
    CHECK(out(0, 3) == 15.0f);
  }
  SECTION("two channels, negative values, 5x5 floors to 2x2 (last row/column dropped)") {
    MaxPool2D pool = built_pool(2, 2, Shape{2, 5, 5});
    Matrix x(1, 50);
    for (int i = 0; i < 25; ++i) x(0, i) = -float(i);        // channel 0: max is top-left
    for (int i = 0; i < 25; ++i) x(0, 25 + i) = float(i % 5); // channel 1: max is right column
    Matrix out = pool.forward(view(x), Mode::kInfer, rng);
    REQUIRE(out.cols() == 8);
    const float expected[] = {0, -2, -10, -12, 1, 3, 1, 3};
    for (int i = 0; i < 8; ++i) CHECK(out(0, i) == expected[i]);
  }
}

TEST_CASE("maxpool2d: ties send the whole gradient to the first maximum in row-major order",
          "[maxpool2d]") {
  Rng rng(1);
  MaxPool2D pool = built_pool(2, 2, Shape{1, 2, 6});
  Matrix x(1, 12);
  // Windows (row-major inside each): [1 1 / 1 1], [0 3 / 2 3], [-1 -2 / -1 -1]
  x << 1, 1, 0, 3, -1, -2,  //
      1, 1, 2, 3, -1, -1;
  Matrix out = pool.forward(view(x), Mode::kTrain, rng);
  CHECK(out(0, 0) == 1.0f);
  CHECK(out(0, 1) == 3.0f);
  CHECK(out(0, 2) == -1.0f);
  Matrix d_out(1, 3);
  d_out << 10, 20, 30;
  Matrix d_in = pool.backward(view(d_out));
  Matrix expected(1, 12);
  expected << 10, 0, 0, 20, 30, 0,  //
      0, 0, 0, 0, 0, 0;
  CHECK(d_in == expected);
}

TEST_CASE("maxpool2d: overlapping windows add their gradients", "[maxpool2d]") {
  Rng rng(1);
  MaxPool2D pool = built_pool(3, 2, Shape{1, 5, 5});  // 2x2 windows sharing the centre
  Matrix x = Matrix::Zero(1, 25);
  x(0, 12) = 9.0f;  // the centre pixel is in all four windows
  x(0, 24) = 5.0f;  // bottom-right, only in the last window but smaller than the centre
  Matrix out = pool.forward(view(x), Mode::kTrain, rng);
  REQUIRE(out.cols() == 4);
  for (int i = 0; i < 4; ++i) CHECK(out(0, i) == 9.0f);
  Matrix d_out(1, 4);
  d_out << 1, 2, 3, 4;
  Matrix d_in = pool.backward(view(d_out));
  CHECK(d_in(0, 12) == 10.0f);
  CHECK(d_in.sum() == 10.0f);
}

TEST_CASE("maxpool2d: gradients match finite differences", "[maxpool2d][gradcheck]") {
  Rng rng(31);
  SECTION("size 2 on (2, 4, 4)") {
    MaxPool2D pool = built_pool(2, 0, Shape{2, 4, 4});
    auto r = test::check_layer_gradients(pool, tie_free_input(2, 32, rng), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
  SECTION("size 3 stride 2 on (2, 5, 7)") {
    MaxPool2D pool = built_pool(3, 2, Shape{2, 5, 7});
    auto r = test::check_layer_gradients(pool, tie_free_input(3, 70, rng), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
}

TEST_CASE("maxpool2d: a smaller then a bigger batch reuse buffers correctly", "[maxpool2d]") {
  Rng rng(8);
  MaxPool2D pool = built_pool(2, 2, Shape{3, 4, 6});
  for (Index n : {5, 1, 8, 2}) {
    Matrix x = tie_free_input(n, 72, rng);
    Matrix out = pool.forward(view(x), Mode::kTrain, rng);
    REQUIRE(out.rows() == n);
    REQUIRE(out.cols() == 18);
    Matrix d_out = test::random_matrix(n, 18, rng);
    Matrix d_in = pool.backward(view(d_out));
    // Per sample: each output equals the max of its window and its gradient sits on that max.
    for (Index s = 0; s < n; ++s)
      for (int c = 0; c < 3; ++c)
        for (int oy = 0; oy < 2; ++oy)
          for (int ox = 0; ox < 3; ++ox) {
            float best = -1e9f;
            int best_at = -1;
            for (int ky = 0; ky < 2; ++ky)
              for (int kx = 0; kx < 2; ++kx) {
                const int at = (c * 4 + oy * 2 + ky) * 6 + ox * 2 + kx;
                if (x(s, at) > best) best = x(s, at), best_at = at;
              }
            const int j = (c * 2 + oy) * 3 + ox;
            CHECK(out(s, j) == best);
            CHECK(d_in(s, best_at) == d_out(s, j));
          }
    CHECK(d_in.sum() == Approx(d_out.sum()).margin(1e-4));
  }
}

TEST_CASE("maxpool2d: output shapes and JSON settings", "[maxpool2d]") {
  CHECK(MaxPool2D(2).output_shape(Shape{16, 8, 8}) == Shape{16, 4, 4});
  CHECK(MaxPool2D(2).output_shape(Shape{32, 4, 4}) == Shape{32, 2, 2});
  CHECK(MaxPool2D(2).output_shape(Shape{1, 5, 7}) == Shape{1, 2, 3});
  CHECK(MaxPool2D(3, 2).output_shape(Shape{2, 5, 7}) == Shape{2, 2, 3});
  CHECK(MaxPool2D(2).output_shape(Shape{64, 1, 1}) == Shape{1, 4, 4});
  CHECK(MaxPool2D(2).to_json() == nlohmann::json::parse(R"({"type":"maxpool2d","size":2,"stride":2})"));
  CHECK(MaxPool2D(3, 1).to_json() == nlohmann::json::parse(R"({"type":"maxpool2d","size":3,"stride":1})"));
}

TEST_CASE("maxpool2d: bad settings and shapes raise nn::Error naming the layer", "[maxpool2d][errors]") {
  CHECK_THROWS_WITH(MaxPool2D(0), Catch::Contains("size"));
  CHECK_THROWS_WITH(MaxPool2D(-2), Catch::Contains("size"));
  CHECK_THROWS_WITH(MaxPool2D(2, -1), Catch::Contains("stride"));
  CHECK_THROWS_AS(MaxPool2D(100000), Error);
  CHECK_THROWS_WITH(MaxPool2D(3).output_shape(Shape{4, 2, 8}),
                    Catch::Contains("maxpool2d(size=3") && Catch::Contains("larger than the input 2x8"));
  CHECK_THROWS_WITH(MaxPool2D(2).output_shape(Shape{10, 1, 1}), Catch::Contains("(10)"));

  Rng rng(1);
  MaxPool2D pool = built_pool(2, 2, Shape{1, 4, 4});
  CHECK_THROWS_WITH(pool.backward(view(Matrix::Ones(1, 4).eval())), Catch::Contains("before forward"));
  Matrix bad = Matrix::Ones(1, 15);
  CHECK_THROWS_WITH(pool.forward(view(bad), Mode::kInfer, rng), Catch::Contains("(1, 4, 4)"));
  Matrix x = Matrix::Ones(2, 16);
  pool.forward(view(x), Mode::kInfer, rng);
  CHECK_THROWS_AS(pool.backward(view(Matrix::Ones(2, 5).eval())), Error);
  CHECK_THROWS_AS(pool.backward(view(Matrix::Ones(1, 4).eval())), Error);
}
