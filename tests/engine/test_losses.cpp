// Loss tests: hand-computed values, stability at |logit| = 1000, and finite-difference
// checks of every loss's gradient at several batch shapes.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "engine/error.h"
#include "engine/losses.h"
#include "engine/rng.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

Matrix one_hot_rows(const std::vector<int>& labels, int k) {
  Matrix t = Matrix::Zero(static_cast<Index>(labels.size()), k);
  for (size_t i = 0; i < labels.size(); ++i) t(static_cast<Index>(i), labels[i]) = 1.0f;
  return t;
}

}  // namespace

TEST_CASE("softmax_cross_entropy: value and gradient match hand-computed values", "[losses]") {
  SoftmaxCrossEntropy loss;
  // Row 0: logits (0, ln 3): p = (1/4, 3/4); class 0 -> loss ln 4.
  // Row 1: logits (0, 0): p = (1/2, 1/2); class 1 -> loss ln 2.   Mean: (ln 4 + ln 2) / 2 = 1.5 ln 2.
  Matrix z(2, 2);
  z << 0.0f, std::log(3.0f), 0.0f, 0.0f;
  Matrix t = one_hot_rows({0, 1}, 2);
  CHECK(loss.value(view(z), view(t)) == Approx(1.5 * std::log(2.0)).epsilon(1e-6));
  Matrix g(2, 2);
  loss.gradient(view(z), view(t), MatrixView(g.data(), 2, 2));
  // (p - y) / N: row 0 (1/4 - 1, 3/4) / 2; row 1 (1/2, 1/2 - 1) / 2.
  CHECK(g(0, 0) == Approx(-0.375f));
  CHECK(g(0, 1) == Approx(0.375f));
  CHECK(g(1, 0) == Approx(0.25f));
  CHECK(g(1, 1) == Approx(-0.25f));
  Matrix p(2, 2);
  loss.probabilities(view(z), MatrixView(p.data(), 2, 2));
  CHECK(p(0, 0) == Approx(0.25f));
  CHECK(p(0, 1) == Approx(0.75f));
}

TEST_CASE("softmax_cross_entropy: logits of magnitude 1000 stay finite and exact", "[losses]") {
  SoftmaxCrossEntropy loss;
  Matrix z(1, 3);
  z << 1000.0f, 0.0f, -1000.0f;
  // Right class with a margin of 1000: loss log(1 + e^-1000 + e^-2000) = 0 in float.
  CHECK(loss.value(view(z), view(one_hot_rows({0}, 3))) == 0.0f);
  // Wrong class: logsumexp = 1000, minus logit 0 -> exactly 1000.
  CHECK(loss.value(view(z), view(one_hot_rows({1}, 3))) == 1000.0f);
  CHECK(loss.value(view(z), view(one_hot_rows({2}, 3))) == 2000.0f);
  Matrix g(1, 3);
  loss.gradient(view(z), view(one_hot_rows({1}, 3)), MatrixView(g.data(), 1, 3));
  CHECK(g(0, 0) == 1.0f);
  CHECK(g(0, 1) == -1.0f);
  CHECK(g(0, 2) == 0.0f);
}

TEST_CASE("mse: value and gradient match hand-computed values", "[losses]") {
  MeanSquaredError loss;
  Matrix out(2, 2), t(2, 2);
  out << 1, 2, 3, 4;
  t << 0, 2, 3, 2;
  // Squared errors 1 + 0 + 0 + 4 = 5, summed over K and averaged over 2 rows = 2.5.
  CHECK(loss.value(view(out), view(t)) == 2.5f);
  Matrix g(2, 2);
  loss.gradient(view(out), view(t), MatrixView(g.data(), 2, 2));
  // 2 (out - t) / N = out - t.
  CHECK(g(0, 0) == 1.0f);
  CHECK(g(0, 1) == 0.0f);
  CHECK(g(1, 1) == 2.0f);
}

TEST_CASE("sigmoid_cross_entropy: hand-computed values and stability", "[losses]") {
  SigmoidCrossEntropy loss;
  Matrix z(1, 3), t(1, 3);
  z << 0.0f, 1000.0f, -1000.0f;
  t << 1.0f, 0.0f, 0.0f;
  // ln 2 (z = 0, y = 1) + 1000 (confidently wrong) + 0 (confidently right).
  CHECK(loss.value(view(z), view(t)) == Approx(1000.0 + std::log(2.0)).epsilon(1e-7));
  Matrix g(1, 3);
  loss.gradient(view(z), view(t), MatrixView(g.data(), 1, 3));
  CHECK(g(0, 0) == -0.5f);  // sigmoid(0) - 1
  CHECK(g(0, 1) == 1.0f);
  CHECK(g(0, 2) == 0.0f);
}

TEST_CASE("losses: gradients match finite differences at several shapes", "[losses][gradcheck]") {
  Rng rng(3);
  for (auto [rows, cols] : std::vector<std::pair<int, int>>{{1, 2}, {2, 3}, {4, 10}, {7, 5}}) {
    Matrix x = test::random_matrix(rows, cols, rng, -3.0f, 3.0f);
    std::vector<int> labels;
    for (int i = 0; i < rows; ++i) labels.push_back(static_cast<int>(rng.uniform_int(cols)));
    Matrix hot = one_hot_rows(labels, cols);
    Matrix soft = test::random_matrix(rows, cols, rng, 0.0f, 1.0f);  // for mse / sigmoid targets
    INFO("shape " << rows << "x" << cols);
    // 2e-2: the losses return float, whose rounding (~1e-7 of a loss of ~10) limits the
    // finite difference near zero gradients; a wrong factor or sign gives errors >= 0.3.
    CHECK(test::loss_gradient_error(SoftmaxCrossEntropy(), x, hot) < 2e-2);
    CHECK(test::loss_gradient_error(MeanSquaredError(), x, soft) < 2e-2);
    CHECK(test::loss_gradient_error(SigmoidCrossEntropy(), x, soft) < 2e-2);
    CHECK(test::loss_gradient_error(SigmoidCrossEntropy(), x, hot) < 2e-2);
  }
}

TEST_CASE("losses: make_loss knows the three names and rejects others", "[losses]") {
  CHECK(make_loss("softmax_cross_entropy")->type_name() == "softmax_cross_entropy");
  CHECK(make_loss("mse")->type_name() == "mse");
  CHECK(make_loss("sigmoid_cross_entropy")->type_name() == "sigmoid_cross_entropy");
  CHECK_THROWS_WITH(make_loss("hinge"), Catch::Contains("unknown loss \"hinge\""));
  SoftmaxCrossEntropy loss;
  Matrix a(2, 3), b(2, 4);
  a.setZero();
  b.setZero();
  CHECK_THROWS_AS(loss.value(view(a), view(b)), Error);
}

TEST_CASE("losses: the fused value_and_gradient equals value and gradient apart", "[losses]") {
  // The trainer calls only the fused form, so it is checked against the separate ones on
  // one-hot, soft and all-zero target rows, and on logits of magnitude 1000.
  Rng rng(17);
  Matrix z(6, 10), t = Matrix::Zero(6, 10);
  for (Index i = 0; i < z.size(); ++i) z.data()[i] = rng.uniform(-4.0f, 4.0f);
  z.row(4).setConstant(-1000.0f);
  z(4, 2) = 1000.0f;
  for (Index r = 0; r < 4; ++r) t(r, (r * 3) % 10) = 1.0f;  // one-hot
  t(4, 7) = 1.0f;                                            // the wrong class by 2000
  t(5, 1) = 0.25f;                                           // soft, sums to 1
  t(5, 6) = 0.75f;
  for (const char* name : {"softmax_cross_entropy", "mse", "sigmoid_cross_entropy"}) {
    INFO(name);
    const auto loss = make_loss(name);
    Matrix t_used = t;
    if (std::string(name) == "sigmoid_cross_entropy") t_used(5, 6) = 0.5f;  // targets in [0, 1]
    Matrix apart(6, 10), fused(6, 10);
    loss->gradient(view(z), view(t_used), MatrixView(apart.data(), 6, 10));
    const float value = loss->value_and_gradient(view(z), view(t_used), MatrixView(fused.data(), 6, 10));
    CHECK(value == Approx(loss->value(view(z), view(t_used))).epsilon(1e-6));
    CHECK((fused - apart).cwiseAbs().maxCoeff() <= 1e-7f);
  }
}
