// Dropout tests: identity in inference, a seeded and exactly reproducible mask in training
// whose survivors are scaled by 1/(1-rate), backward through the same mask, statistics of the
// kept share and mean, gradient check with the mask fixed, and invalid rates.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "engine/error.h"
#include "engine/layers/dropout.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

Dropout built_dropout(float rate, int features) {
  Dropout d(rate);
  Rng rng(1);
  d.build(Shape{features, 1, 1}, rng);
  return d;
}

}  // namespace

TEST_CASE("dropout: inference mode is the identity, forward and backward", "[dropout]") {
  Dropout d = built_dropout(0.5f, 6);
  Rng rng(2);
  Matrix x = test::random_matrix(4, 6, rng);
  Matrix out = d.forward(view(x), Mode::kInfer, rng);
  CHECK(out == x);
  Matrix d_out = test::random_matrix(4, 6, rng);
  Matrix d_in = d.backward(view(d_out));
  CHECK(d_in == d_out);
}

TEST_CASE("dropout: training mask is seeded, scaled by 1/(1-rate) and reused by backward", "[dropout]") {
  const float rate = 0.25f;
  Dropout a = built_dropout(rate, 10), b = built_dropout(rate, 10);
  Rng data_rng(3);
  Matrix x = test::random_matrix(6, 10, data_rng, 0.5f, 2.0f);  // never 0, so zeros mean dropped
  Rng rng_a(99), rng_b(99);
  Matrix out_a = a.forward(view(x), Mode::kTrain, rng_a);
  Matrix out_b = b.forward(view(x), Mode::kTrain, rng_b);
  CHECK(out_a == out_b);  // same seed, same mask

  int dropped = 0;
  Matrix d_out = test::random_matrix(6, 10, data_rng);
  Matrix d_in = a.backward(view(d_out));
  for (Index i = 0; i < x.size(); ++i) {
    if (out_a.data()[i] == 0.0f) {
      ++dropped;
      CHECK(d_in.data()[i] == 0.0f);
    } else {
      CHECK(out_a.data()[i] == x.data()[i] * (1.0f / (1.0f - rate)));
      CHECK(d_in.data()[i] == d_out.data()[i] * (1.0f / (1.0f - rate)));
    }
  }
  CHECK(dropped > 0);
  CHECK(dropped < x.size());

  // A different seed draws a different mask.
  Rng rng_c(100);
  Matrix out_c = b.forward(view(x), Mode::kTrain, rng_c);
  CHECK(out_c != out_a);
}

TEST_CASE("dropout: kept share is 1-rate and the mean is preserved", "[dropout]") {
  for (float rate : {0.2f, 0.5f}) {
    Dropout d = built_dropout(rate, 500);
    Rng rng(7);
    Matrix x = Matrix::Ones(200, 500);  // 100000 draws: share std ~0.0016
    Matrix out = d.forward(view(x), Mode::kTrain, rng);
    const double kept = double((out.array() != 0.0f).count()) / double(out.size());
    const double mean = double(out.mean());
    INFO("rate=" << rate << " kept=" << kept << " mean=" << mean);
    CHECK(std::abs(kept - (1.0 - rate)) < 0.01);
    CHECK(std::abs(mean - 1.0) < 0.02);
  }
}

TEST_CASE("dropout: rate 0 in training is the identity", "[dropout]") {
  Dropout d = built_dropout(0.0f, 5);
  Rng rng(4);
  Matrix x = test::random_matrix(3, 5, rng);
  Matrix out = d.forward(view(x), Mode::kTrain, rng);
  CHECK(out == x);
}

TEST_CASE("dropout: gradients match finite differences with the mask fixed by the seed",
          "[dropout][gradcheck]") {
  Dropout d = built_dropout(0.3f, 7);
  Rng rng(5);
  // kTrain: check_layer_gradients reseeds the rng before every forward, so the mask is fixed.
  auto r = test::check_layer_gradients(d, test::random_matrix(4, 7, rng), rng, 1e-2f, Mode::kTrain);
  INFO(r.worst);
  CHECK(r.max_rel_error < 1e-2);
}

TEST_CASE("dropout: batch size changes keep mask and gradient aligned", "[dropout]") {
  Dropout d = built_dropout(0.5f, 8);
  Rng rng(6);
  for (Index n : {6, 2, 9}) {
    Matrix x = test::random_matrix(n, 8, rng, 0.5f, 1.5f);
    Matrix out = d.forward(view(x), Mode::kTrain, rng);
    Matrix d_out = Matrix::Ones(n, 8);
    Matrix d_in = d.backward(view(d_out));
    REQUIRE(d_in.rows() == n);
    for (Index i = 0; i < x.size(); ++i) CHECK(d_in.data()[i] == (out.data()[i] == 0.0f ? 0.0f : 2.0f));
  }
}

TEST_CASE("dropout: invalid rates and shapes raise nn::Error", "[dropout][errors]") {
  CHECK_THROWS_WITH(Dropout(-0.1f), Catch::Contains("rate"));
  CHECK_THROWS_WITH(Dropout(1.0f), Catch::Contains("[0, 1)"));
  CHECK_THROWS_AS(Dropout(std::numeric_limits<float>::quiet_NaN()), Error);
  CHECK_NOTHROW(Dropout(0.0f));
  CHECK(Dropout(0.2f).to_json() == nlohmann::json::parse(R"({"type":"dropout","rate":0.2})"));
  CHECK(Dropout(0.2f).to_json()["rate"].get<float>() == 0.2f);
  CHECK(Dropout(0.2f).output_shape(Shape{16, 4, 4}) == Shape{16, 4, 4});

  Dropout d = built_dropout(0.5f, 4);
  Rng rng(1);
  CHECK_THROWS_WITH(d.backward(view(Matrix::Ones(1, 4).eval())), Catch::Contains("before forward"));
  Matrix bad = Matrix::Ones(1, 3);
  CHECK_THROWS_WITH(d.forward(view(bad), Mode::kTrain, rng), Catch::Contains("dropout(rate=0.5)"));
  Matrix x = Matrix::Ones(2, 4);
  d.forward(view(x), Mode::kTrain, rng);
  CHECK_THROWS_AS(d.backward(view(Matrix::Ones(2, 5).eval())), Error);
}
