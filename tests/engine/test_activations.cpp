// Activation tests: hand-computed values and derivatives of ReLU, LeakyReLU, Sigmoid, Tanh
// and Softmax, numerical stability at extreme inputs, finite-difference gradients (ReLU
// inputs kept away from the kink), batch-size changes, JSON settings and errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>

#include "engine/error.h"
#include "engine/layers/activations.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

template <typename L, typename... Args>
std::unique_ptr<L> built(int features, Args... args) {
  auto layer = std::make_unique<L>(args...);
  Rng rng(1);
  layer->build(Shape{features, 1, 1}, rng);
  return layer;
}

Matrix row(std::initializer_list<float> values) {
  Matrix m(1, static_cast<Index>(values.size()));
  Index i = 0;
  for (float v : values) m(0, i++) = v;
  return m;
}

// Uniform magnitudes in [0.1, 1] with random signs: no value within eps of ReLU's kink.
Matrix away_from_zero(Index rows, Index cols, Rng& rng) {
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) {
    m.data()[i] = rng.uniform(0.1f, 1.0f) * (rng.uniform() < 0.5f ? -1.0f : 1.0f);
  }
  return m;
}

}  // namespace

TEST_CASE("activations: forward matches hand-computed values", "[activations]") {
  Rng rng(1);
  const Matrix x = row({-2.0f, -0.5f, 0.0f, 1.5f});
  SECTION("relu") {
    auto l = built<ReLU>(4);
    CHECK(Matrix(l->forward(view(x), Mode::kInfer, rng)) == row({0, 0, 0, 1.5f}));
  }
  SECTION("leaky_relu") {
    auto l = built<LeakyReLU>(4, 0.1f);
    Matrix out = l->forward(view(x), Mode::kInfer, rng);
    CHECK(out(0, 0) == Approx(-0.2f).epsilon(1e-6));
    CHECK(out(0, 1) == Approx(-0.05f).epsilon(1e-6));
    CHECK(out(0, 2) == 0.0f);
    CHECK(out(0, 3) == 1.5f);
  }
  SECTION("sigmoid: 0 -> 1/2, ln 3 -> 3/4, -ln 3 -> 1/4") {
    auto l = built<Sigmoid>(3);
    Matrix in = row({0.0f, std::log(3.0f), -std::log(3.0f)});
    Matrix out = l->forward(view(in), Mode::kInfer, rng);
    CHECK(out(0, 0) == Approx(0.5f).epsilon(1e-6));
    CHECK(out(0, 1) == Approx(0.75f).epsilon(1e-6));
    CHECK(out(0, 2) == Approx(0.25f).epsilon(1e-6));
  }
  SECTION("tanh: 0 -> 0, ln 2 -> 3/5, -ln 2 -> -3/5") {
    auto l = built<Tanh>(3);
    Matrix in = row({0.0f, std::log(2.0f), -std::log(2.0f)});
    Matrix out = l->forward(view(in), Mode::kInfer, rng);
    CHECK(out(0, 0) == 0.0f);
    CHECK(out(0, 1) == Approx(0.6f).epsilon(1e-6));
    CHECK(out(0, 2) == Approx(-0.6f).epsilon(1e-6));
  }
  SECTION("softmax: logits 0, ln 2, ln 3 -> 1/6, 1/3, 1/2 per row") {
    auto l = built<Softmax>(3);
    Matrix in(2, 3);
    in << 0.0f, std::log(2.0f), std::log(3.0f),  //
        std::log(3.0f) + 5, 5, std::log(2.0f) + 5;  // shifted row, permuted
    Matrix out = l->forward(view(in), Mode::kInfer, rng);
    CHECK(out(0, 0) == Approx(1.0 / 6).epsilon(1e-6));
    CHECK(out(0, 1) == Approx(1.0 / 3).epsilon(1e-6));
    CHECK(out(0, 2) == Approx(0.5).epsilon(1e-6));
    CHECK(out(1, 0) == Approx(0.5).epsilon(1e-5));
    CHECK(out(1, 1) == Approx(1.0 / 6).epsilon(1e-5));
    CHECK(out(1, 2) == Approx(1.0 / 3).epsilon(1e-5));
  }
}

TEST_CASE("activations: backward matches hand-computed derivatives", "[activations]") {
  Rng rng(1);
  const Matrix x = row({-2.0f, -0.5f, 0.0f, 1.5f});
  const Matrix d_out = row({1.0f, 2.0f, 3.0f, 4.0f});
  SECTION("relu passes the gradient where x > 0, and 0 at the kink") {
    auto l = built<ReLU>(4);
    l->forward(view(x), Mode::kTrain, rng);
    CHECK(Matrix(l->backward(view(d_out))) == row({0, 0, 0, 4}));
  }
  SECTION("leaky_relu scales the gradient by alpha where x <= 0") {
    auto l = built<LeakyReLU>(4, 0.25f);
    l->forward(view(x), Mode::kTrain, rng);
    CHECK(Matrix(l->backward(view(d_out))) == row({0.25f, 0.5f, 0.75f, 4}));
  }
  SECTION("sigmoid: derivative at 0 is 1/4, at ln 3 is 3/16") {
    auto l = built<Sigmoid>(2);
    Matrix in = row({0.0f, std::log(3.0f)});
    l->forward(view(in), Mode::kTrain, rng);
    Matrix d_in = l->backward(view(row({1.0f, 1.0f})));
    CHECK(d_in(0, 0) == Approx(0.25f).epsilon(1e-6));
    CHECK(d_in(0, 1) == Approx(3.0f / 16).epsilon(1e-5));
  }
  SECTION("tanh: derivative at 0 is 1, at ln 2 is 16/25") {
    auto l = built<Tanh>(2);
    Matrix in = row({0.0f, std::log(2.0f)});
    l->forward(view(in), Mode::kTrain, rng);
    Matrix d_in = l->backward(view(row({2.0f, 1.0f})));
    CHECK(d_in(0, 0) == Approx(2.0f).epsilon(1e-6));
    CHECK(d_in(0, 1) == Approx(0.64f).epsilon(1e-5));
  }
  SECTION("softmax: y * (d - sum(d * y)) with y = (1/6, 1/3, 1/2), d = (1, 0, 0)") {
    auto l = built<Softmax>(3);
    Matrix in = row({0.0f, std::log(2.0f), std::log(3.0f)});
    l->forward(view(in), Mode::kTrain, rng);
    Matrix d_in = l->backward(view(row({1.0f, 0.0f, 0.0f})));
    CHECK(d_in(0, 0) == Approx(5.0 / 36).epsilon(1e-5));   // 1/6 * (1 - 1/6)
    CHECK(d_in(0, 1) == Approx(-2.0 / 36).epsilon(1e-5));  // 1/3 * (0 - 1/6)
    CHECK(d_in(0, 2) == Approx(-3.0 / 36).epsilon(1e-5));  // 1/2 * (0 - 1/6)
  }
}

TEST_CASE("activations: extreme inputs give finite outputs", "[activations]") {
  Rng rng(1);
  auto sig = built<Sigmoid>(4);
  Matrix big = row({-200.0f, -90.0f, 90.0f, 200.0f});
  Matrix s = sig->forward(view(big), Mode::kInfer, rng);
  CHECK(s.allFinite());
  CHECK(s(0, 0) == 0.0f);
  CHECK(s(0, 3) == 1.0f);
  auto th = built<Tanh>(4);
  Matrix t = th->forward(view(big), Mode::kInfer, rng);
  CHECK(t(0, 0) == -1.0f);
  CHECK(t(0, 3) == 1.0f);
  auto sm = built<Softmax>(3);
  Matrix logits(2, 3);
  logits << 1000.0f, 1000.0f, 1000.0f,  //
      -1000.0f, 0.0f, 1000.0f;
  Matrix p = sm->forward(view(logits), Mode::kInfer, rng);
  REQUIRE(p.allFinite());
  for (int i = 0; i < 3; ++i) CHECK(p(0, i) == Approx(1.0 / 3).epsilon(1e-6));
  CHECK(p(1, 0) == 0.0f);
  CHECK(p(1, 2) == 1.0f);
}

TEST_CASE("activations: gradients match finite differences", "[activations][gradcheck]") {
  Rng rng(41);
  SECTION("relu, inputs |x| >= 0.1") {
    auto l = built<ReLU>(6);
    auto r = test::check_layer_gradients(*l, away_from_zero(3, 6, rng), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
  SECTION("leaky_relu(0.1), inputs |x| >= 0.1") {
    auto l = built<LeakyReLU>(6, 0.1f);
    auto r = test::check_layer_gradients(*l, away_from_zero(3, 6, rng), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
  SECTION("sigmoid") {
    auto l = built<Sigmoid>(6);
    auto r = test::check_layer_gradients(*l, test::random_matrix(3, 6, rng, -3, 3), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
  SECTION("tanh") {
    auto l = built<Tanh>(6);
    auto r = test::check_layer_gradients(*l, test::random_matrix(3, 6, rng, -2, 2), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
  }
  SECTION("softmax, N=3, F=5 and N=2, F=10") {
    auto l = built<Softmax>(5);
    auto r = test::check_layer_gradients(*l, test::random_matrix(3, 5, rng, -2, 2), rng);
    INFO(r.worst);
    CHECK(r.max_rel_error < 1e-2);
    auto l10 = built<Softmax>(10);
    auto r10 = test::check_layer_gradients(*l10, test::random_matrix(2, 10, rng, -2, 2), rng);
    INFO(r10.worst);
    CHECK(r10.max_rel_error < 1e-2);
  }
}

TEST_CASE("activations: a smaller then a bigger batch reuse buffers correctly", "[activations]") {
  Rng rng(9);
  auto tanh_layer = built<Tanh>(5);
  auto soft = built<Softmax>(5);
  for (Index n : {4, 1, 7}) {
    Matrix x = test::random_matrix(n, 5, rng, -2, 2);
    Matrix y = tanh_layer->forward(view(x), Mode::kTrain, rng);
    REQUIRE(y.rows() == n);
    CHECK((y - Matrix(x.array().tanh())).cwiseAbs().maxCoeff() < 1e-6f);
    Matrix d_out = test::random_matrix(n, 5, rng);
    Matrix d_in = tanh_layer->backward(view(d_out));
    Matrix expected = d_out.array() * (1.0f - y.array().square());
    CHECK((d_in - expected).cwiseAbs().maxCoeff() < 1e-6f);

    Matrix p = soft->forward(view(x), Mode::kTrain, rng);
    REQUIRE(p.rows() == n);
    for (Index r = 0; r < n; ++r) CHECK(p.row(r).sum() == Approx(1.0f).epsilon(1e-5));
    Matrix sd = soft->backward(view(d_out));
    for (Index r = 0; r < n; ++r) CHECK(std::abs(sd.row(r).sum()) < 1e-5f);  // softmax rows sum to 1
  }
}

TEST_CASE("activations: JSON settings, shapes and errors", "[activations][errors]") {
  CHECK(ReLU().to_json() == nlohmann::json{{"type", "relu"}});
  CHECK(Sigmoid().to_json() == nlohmann::json{{"type", "sigmoid"}});
  CHECK(Tanh().to_json() == nlohmann::json{{"type", "tanh"}});
  CHECK(Softmax().to_json() == nlohmann::json{{"type", "softmax"}});
  CHECK(LeakyReLU(0.01f).to_json() == nlohmann::json::parse(R"({"type":"leaky_relu","alpha":0.01})"));
  CHECK(LeakyReLU().alpha() == 0.01f);
  CHECK(ReLU().output_shape(Shape{16, 8, 8}) == Shape{16, 8, 8});
  CHECK(Softmax().output_shape(Shape{10, 1, 1}) == Shape{10, 1, 1});
  CHECK_THROWS_WITH(LeakyReLU(std::numeric_limits<float>::quiet_NaN()), Catch::Contains("alpha"));
  CHECK_THROWS_AS(LeakyReLU(-0.5f), Error);

  Rng rng(1);
  auto relu = built<ReLU>(4);
  CHECK_THROWS_WITH(relu->backward(view(Matrix::Ones(1, 4).eval())),
                    Catch::Contains("relu") && Catch::Contains("before forward"));
  Matrix bad = Matrix::Ones(2, 3);
  CHECK_THROWS_WITH(relu->forward(view(bad), Mode::kInfer, rng),
                    Catch::Contains("relu") && Catch::Contains("(4)"));
  Matrix x = Matrix::Ones(2, 4);
  relu->forward(view(x), Mode::kInfer, rng);
  CHECK_THROWS_AS(relu->backward(view(Matrix::Ones(2, 5).eval())), Error);
  auto soft = built<Softmax>(3);
  CHECK_THROWS_WITH(soft->forward(view(x), Mode::kInfer, rng),
                    Catch::Contains("softmax") && Catch::Contains("(3)"));
  CHECK_THROWS_WITH(soft->backward(view(Matrix::Ones(2, 3).eval())), Catch::Contains("before forward"));
  ReLU unbuilt;
  CHECK_THROWS_WITH(unbuilt.forward(view(x), Mode::kInfer, rng), Catch::Contains("before build"));
}
