// Conv2D tests: hand-computed outputs, agreement with a direct (naive loop) convolution over
// stride/padding/channel combinations, finite-difference gradients, batch-size changes,
// shapes, JSON settings and errors.
#include <catch2/catch.hpp>

#include "engine/error.h"
#include "engine/layers/conv2d.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

struct ConvCase {
  int c, h, w, filters, kernel, stride, padding;
};

Conv2D built_conv(const ConvCase& k, uint64_t seed = 1) {
  Conv2D conv(k.filters, k.kernel, k.stride, k.padding);
  Rng rng(seed);
  conv.build(Shape{k.c, k.h, k.w}, rng);
  return conv;
}

// Direct definition: out[f][oy][ox] = b[f] + sum_{c,ky,kx} W[f][c,ky,kx] x[c][oy*S-P+ky][ox*S-P+kx].
Matrix naive_conv(const Matrix& x, const Matrix& weight, const RowVector& bias, const ConvCase& k) {
  const int out_h = (k.h + 2 * k.padding - k.kernel) / k.stride + 1;
  const int out_w = (k.w + 2 * k.padding - k.kernel) / k.stride + 1;
  Matrix out(x.rows(), k.filters * out_h * out_w);
  for (Index n = 0; n < x.rows(); ++n)
    for (int f = 0; f < k.filters; ++f)
      for (int oy = 0; oy < out_h; ++oy)
        for (int ox = 0; ox < out_w; ++ox) {
          double s = bias(f);
          for (int c = 0; c < k.c; ++c)
            for (int ky = 0; ky < k.kernel; ++ky)
              for (int kx = 0; kx < k.kernel; ++kx) {
                const int iy = oy * k.stride - k.padding + ky, ix = ox * k.stride - k.padding + kx;
                if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
                s += double(weight(f, (c * k.kernel + ky) * k.kernel + kx)) * x(n, (c * k.h + iy) * k.w + ix);
              }
          out(n, (f * out_h + oy) * out_w + ox) = static_cast<float>(s);
        }
  return out;
}

void randomize_bias(Conv2D& conv, Rng& rng) {
  for (Index i = 0; i < conv.bias().size(); ++i) conv.bias()(i) = rng.uniform(-1, 1);
}

}  // namespace

TEST_CASE("conv2d: forward matches hand-computed values", "[conv2d]") {
  Rng rng(1);
  SECTION("3x3 input 0..8, 2x2 kernel of ones, bias 0.5, stride 1, no padding") {
    Conv2D conv = built_conv({1, 3, 3, 1, 2, 1, 0});
    conv.weight().setOnes();
    conv.bias().setConstant(0.5f);
    Matrix x(1, 9);
    x << 0, 1, 2, 3, 4, 5, 6, 7, 8;
    Matrix out = conv.forward(view(x), Mode::kInfer, rng);
    REQUIRE(out.cols() == 4);
    CHECK(out(0, 0) == 8.5f);   // 0+1+3+4
    CHECK(out(0, 1) == 12.5f);  // 1+2+4+5
    CHECK(out(0, 2) == 20.5f);  // 3+4+6+7
    CHECK(out(0, 3) == 24.5f);  // 4+5+7+8
  }
  SECTION("2x2 input 0..3, 3x3 kernel of ones, padding 1: every window sees the whole image") {
    Conv2D conv = built_conv({1, 2, 2, 1, 3, 1, 1});
    conv.weight().setOnes();
    conv.bias().setConstant(0.5f);
    Matrix x(1, 4);
    x << 0, 1, 2, 3;
    Matrix out = conv.forward(view(x), Mode::kInfer, rng);
    REQUIRE(out.cols() == 4);
    for (int i = 0; i < 4; ++i) CHECK(out(0, i) == 6.5f);
  }
  SECTION("two channels and two filters land channel-major in the output row") {
    Conv2D conv = built_conv({2, 2, 2, 2, 2, 1, 0});  // output (2, 1, 1)
    // filter 0 reads only channel 0's top-left; filter 1 is channel 1 weighted 1..4.
    conv.weight() << 1, 0, 0, 0, 0, 0, 0, 0,  //
        0, 0, 0, 0, 1, 2, 3, 4;
    conv.bias() << 0.0f, 1.0f;
    Matrix x(1, 8);
    x << 5, 6, 7, 8, 1, 1, 2, 2;  // channel 0 then channel 1
    Matrix out = conv.forward(view(x), Mode::kInfer, rng);
    REQUIRE(out.cols() == 2);
    CHECK(out(0, 0) == 5.0f);
    CHECK(out(0, 1) == 1.0f + 1 + 2 + 6 + 8);
  }
}

TEST_CASE("conv2d: forward agrees with a direct convolution", "[conv2d]") {
  Rng rng(2);
  const ConvCase cases[] = {{1, 8, 8, 16, 3, 1, 1}, {2, 5, 6, 3, 3, 2, 1}, {3, 4, 7, 2, 1, 1, 0},
                            {2, 7, 5, 4, 2, 3, 2},  {1, 6, 6, 2, 5, 1, 0}};
  for (const auto& k : cases) {
    Conv2D conv = built_conv(k, 3);
    randomize_bias(conv, rng);
    Matrix x = test::random_matrix(3, k.c * k.h * k.w, rng);
    Matrix out = conv.forward(view(x), Mode::kInfer, rng);
    Matrix expected = naive_conv(x, conv.weight(), conv.bias(), k);
    INFO("C=" << k.c << " H=" << k.h << " W=" << k.w << " F=" << k.filters << " K=" << k.kernel
              << " S=" << k.stride << " P=" << k.padding);
    REQUIRE(out.cols() == expected.cols());
    CHECK((out - expected).cwiseAbs().maxCoeff() < 1e-5f);
  }
}

TEST_CASE("conv2d: gradients match finite differences", "[conv2d][gradcheck]") {
  Rng rng(21);
  const ConvCase cases[] = {
      {1, 4, 4, 2, 3, 1, 0},  // stride 1, no padding
      {2, 5, 6, 3, 3, 2, 1},  // stride 2, padding 1, C_in=2, F=3, non-square
      {3, 3, 4, 2, 1, 1, 0},  // 1x1 kernel
      {2, 4, 5, 2, 2, 2, 0},  // even kernel, stride = kernel
  };
  for (const auto& k : cases) {
    Conv2D conv = built_conv(k, 9);
    randomize_bias(conv, rng);
    INFO("C=" << k.c << " H=" << k.h << " W=" << k.w << " F=" << k.filters << " K=" << k.kernel
              << " S=" << k.stride << " P=" << k.padding);
    auto r = test::check_layer_gradients(conv, test::random_matrix(2, k.c * k.h * k.w, rng), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
}

TEST_CASE("conv2d: a smaller then a bigger batch reuse buffers correctly", "[conv2d]") {
  Rng rng(6);
  const ConvCase k{2, 5, 6, 3, 3, 2, 1};
  Conv2D conv = built_conv(k, 4);
  randomize_bias(conv, rng);
  Conv2D fresh = built_conv(k, 4);  // same seed -> same weights; sees one batch only
  fresh.bias() = conv.bias();
  for (Index n : {4, 1, 6, 3}) {
    Matrix x = test::random_matrix(n, 60, rng);
    Matrix out = conv.forward(view(x), Mode::kTrain, rng);
    REQUIRE(out.rows() == n);
    CHECK((out - naive_conv(x, conv.weight(), conv.bias(), k)).cwiseAbs().maxCoeff() < 1e-5f);
    Matrix d_out = test::random_matrix(n, out.cols(), rng);
    conv.zero_grad();
    Matrix d_in = conv.backward(view(d_out));

    Conv2D once = built_conv(k, 4);
    once.bias() = conv.bias();
    once.forward(view(x), Mode::kTrain, rng);
    once.zero_grad();
    Matrix once_d_in = once.backward(view(d_out));
    REQUIRE(d_in.rows() == n);
    CHECK((d_in - once_d_in).cwiseAbs().maxCoeff() < 1e-5f);
    for (size_t p = 0; p < 2; ++p) {
      auto a = conv.params()[p].grad_vector();
      auto b = once.params()[p].grad_vector();
      CHECK((a - b).cwiseAbs().maxCoeff() < 1e-5f);
    }
  }
}

TEST_CASE("conv2d: after the largest batch, smaller and equal batches reuse the same storage",
          "[conv2d]") {
  Rng rng(7);
  Conv2D conv = built_conv({2, 6, 6, 4, 3, 1, 1}, 2);
  Matrix big = test::random_matrix(8, 72, rng), small = test::random_matrix(3, 72, rng);
  const float* out_big = conv.forward(view(big), Mode::kTrain, rng).data();
  const float* d_in_big = conv.backward(view(Matrix::Ones(8, 144).eval())).data();
  CHECK(conv.forward(view(small), Mode::kTrain, rng).data() == out_big);
  CHECK(conv.backward(view(Matrix::Ones(3, 144).eval())).data() == d_in_big);
  CHECK(conv.forward(view(big), Mode::kTrain, rng).data() == out_big);
}

TEST_CASE("conv2d: output shapes, flat square inputs and JSON settings", "[conv2d]") {
  CHECK(Conv2D(16, 3, 1, 1).output_shape(Shape{1, 8, 8}) == Shape{16, 8, 8});
  CHECK(Conv2D(32, 3, 1, 1).output_shape(Shape{16, 4, 4}) == Shape{32, 4, 4});
  CHECK(Conv2D(4, 3, 2, 1).output_shape(Shape{2, 5, 6}) == Shape{4, 3, 3});
  CHECK(Conv2D(4, 3, 2, 0).output_shape(Shape{1, 8, 8}) == Shape{4, 3, 3});  // floor
  // A flat 64 is read as a (1, 8, 8) image (the architecture's "input": 64).
  CHECK(Conv2D(16, 3, 1, 1).output_shape(Shape{64, 1, 1}) == Shape{16, 8, 8});
  CHECK(Conv2D(16, 3, 1, 1, Init::kXavier).to_json() ==
        nlohmann::json::parse(
            R"({"type":"conv2d","filters":16,"kernel":3,"stride":1,"padding":1,"init":"xavier"})"));
  CHECK(Conv2D(8, 5).to_json() ==
        nlohmann::json::parse(
            R"({"type":"conv2d","filters":8,"kernel":5,"stride":1,"padding":0,"init":"he"})"));
  Conv2D conv(3, 3);
  Rng rng(1);
  conv.build(Shape{2, 4, 4}, rng);
  CHECK(conv.weight().rows() == 3);
  CHECK(conv.weight().cols() == 18);
  CHECK(conv.param_count() == 3 * 18 + 3);
}

TEST_CASE("conv2d: bad settings and shapes raise nn::Error naming the layer", "[conv2d][errors]") {
  CHECK_THROWS_WITH(Conv2D(0, 3), Catch::Contains("filters"));
  CHECK_THROWS_WITH(Conv2D(70000, 3), Catch::Contains("filters") && Catch::Contains("70000"));
  CHECK_THROWS_WITH(Conv2D(4, 0), Catch::Contains("kernel"));
  CHECK_THROWS_WITH(Conv2D(4, 3, 0), Catch::Contains("stride"));
  CHECK_THROWS_WITH(Conv2D(4, 3, -1), Catch::Contains("stride"));
  CHECK_THROWS_WITH(Conv2D(4, 3, 1, -1), Catch::Contains("padding"));
  CHECK_THROWS_WITH(Conv2D(4, 5).output_shape(Shape{1, 4, 8}),
                    Catch::Contains("conv2d") && Catch::Contains("larger than the padded input 4x8"));
  CHECK_NOTHROW(Conv2D(4, 5, 1, 1).output_shape(Shape{1, 3, 3}));  // padded to 5x5
  CHECK_THROWS_WITH(Conv2D(4, 3).output_shape(Shape{63, 1, 1}),
                    Catch::Contains("(63)") && Catch::Contains("[C, H, W]"));
  CHECK_THROWS_AS(Conv2D(65536, 64).output_shape(Shape{64, 64, 64}), Error);

  Rng rng(1);
  Conv2D conv = built_conv({1, 4, 4, 2, 3, 1, 0});
  CHECK_THROWS_WITH(conv.backward(view(Matrix::Ones(1, 8).eval())), Catch::Contains("before forward"));
  Matrix bad = Matrix::Ones(2, 15);
  CHECK_THROWS_WITH(conv.forward(view(bad), Mode::kInfer, rng),
                    Catch::Contains("conv2d(filters=2, kernel=3") && Catch::Contains("(1, 4, 4)"));
  Matrix x = Matrix::Ones(2, 16);
  conv.forward(view(x), Mode::kInfer, rng);
  CHECK_THROWS_WITH(conv.backward(view(Matrix::Ones(2, 9).eval())), Catch::Contains("(2, 9)"));
  CHECK_THROWS_AS(conv.backward(view(Matrix::Ones(3, 8).eval())), Error);
}
