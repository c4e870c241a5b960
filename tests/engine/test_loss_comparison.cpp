// The lesson's loss comparison (engine/loss_comparison.h): the flawed heads' values and
// gradients by hand and against finite differences, where each one fails (NaN at logits of
// 1000, a zero gradient where the clip bites, no push on wrong classes), what training with
// each does on the real digits from the same seed, and the per-sample loop's gradient equal
// to the batch's.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/error.h"
#include "engine/loss_comparison.h"
#include "tests/engine/pen_raster.h"
#include "tests/gradcheck.h"

using namespace nn;

namespace {

const Dataset& digits() {
  static const Dataset data = test::load_shipped_digits();
  return data;
}

// One row of logits and its one-hot target on class `label`.
struct Row {
  Matrix z, y, d;
  Row(std::vector<float> logits, int label) : z(1, logits.size()), y(Matrix::Zero(1, logits.size())), d(1, logits.size()) {
    for (size_t k = 0; k < logits.size(); ++k) z(0, k) = logits[k];
    y(0, label) = 1.0f;
  }
  float value(const Loss& loss) { return loss.value(view(z), view(y)); }
  const Matrix& gradient(const Loss& loss) {
    loss.gradient(view(z), view(y), MatrixView(d.data(), 1, d.cols()));
    return d;
  }
};

bool all_finite(const Matrix& m) { return m.array().isFinite().all(); }

}  // namespace

TEST_CASE("loss comparison: at logits of 1000 the fused loss is finite, the naive softmax is NaN", "[loss_comparison]") {
  Row row({1000.0f, 0.0f, -1000.0f}, 1);
  CHECK(row.value(SoftmaxCrossEntropy()) == Approx(1000.0f));
  CHECK(all_finite(row.gradient(SoftmaxCrossEntropy())));
  CHECK(row.d(0, 0) == Approx(1.0f));   // p - y: all the probability is on the wrong class
  CHECK(row.d(0, 1) == Approx(-1.0f));
  // exp(1000) = inf: p = (inf / inf, 0 / inf, 0) = (NaN, 0, 0). The clip turns p_y = 0 into
  // eps, so the loss reads a finite 16.1 while the gradient is NaN.
  CHECK(row.value(SoftmaxClippedLog()) == Approx(-std::log(kClipEpsilon)));
  CHECK(!all_finite(row.gradient(SoftmaxClippedLog())));
  Row right({1000.0f, 0.0f, -1000.0f}, 0);
  CHECK(right.value(SoftmaxCrossEntropy()) == Approx(0.0f).margin(1e-6));
  CHECK(std::isnan(right.value(SoftmaxClippedLog())));
}

TEST_CASE("loss comparison: the clipped log's gradient is exactly zero where the clip bites", "[loss_comparison]") {
  // p_y = e^-30 / (1 + ...) ~ 1e-13 < eps: confidently wrong.
  Row wrong({30.0f, 0.0f, 0.0f}, 1);
  CHECK(wrong.value(SoftmaxClippedLog()) == Approx(-std::log(kClipEpsilon)));  // 16.118, not 30
  CHECK(wrong.value(SoftmaxCrossEntropy()) == Approx(30.0f));
  CHECK(wrong.gradient(SoftmaxClippedLog()) == Matrix::Zero(1, 3));
  CHECK(wrong.gradient(SoftmaxCrossEntropy())(0, 1) == Approx(-1.0f));  // the fused loss pushes hardest here
  // Inside the clip the naive head's gradient is the fused one, p - y.
  Row fine({1.5f, -0.5f, 0.25f}, 2);
  const Matrix fused = fine.gradient(SoftmaxCrossEntropy());
  const Matrix naive = fine.gradient(SoftmaxClippedLog());
  CHECK((fused - naive).cwiseAbs().maxCoeff() < 1e-6f);
  // The chapter's sigmoid head: the clip bites on a saturated true output too (s = 2e-9).
  Row saturated({-20.0f, 3.0f}, 0);
  CHECK(saturated.gradient(SigmoidClippedLog()) == Matrix::Zero(1, 2));
}

TEST_CASE("loss comparison: the chapter's sigmoid head pushes no wrong class down", "[loss_comparison]") {
  Row row({2.0f, -1.0f, 0.5f, 3.0f}, 2);
  const Matrix& d = row.gradient(SigmoidClippedLog());
  const double s = 1.0 / (1.0 + std::exp(-0.5));
  CHECK(d(0, 2) == Approx(-(1.0 - s)));
  CHECK(d(0, 0) == 0.0f);   // output 0 says 0.88 for a digit that is not a 0: no gradient
  CHECK(d(0, 1) == 0.0f);
  CHECK(d(0, 3) == 0.0f);
  CHECK(row.value(SigmoidClippedLog()) == Approx(-std::log(s)));
  // Squared error through a sigmoid: a saturated wrong output barely moves (s' ~ 4.5e-5).
  Row stuck({-10.0f, 0.0f}, 0);
  const double s0 = 1.0 / (1.0 + std::exp(10.0));
  CHECK(stuck.gradient(SigmoidSquaredError())(0, 0) == Approx(2.0 * (s0 - 1.0) * s0 * (1.0 - s0)));
  CHECK(std::abs(stuck.d(0, 0)) < 1e-4f);
  CHECK(stuck.value(SigmoidSquaredError()) == Approx((s0 - 1.0) * (s0 - 1.0) + 0.25));
}

TEST_CASE("loss comparison: every head's gradient matches finite differences of its value", "[loss_comparison][gradcheck]") {
  Rng rng(5);
  for (int rows : {1, 3, 6}) {
    const Matrix z = test::random_matrix(rows, 10, rng, -3.0f, 3.0f);
    std::vector<int> labels;
    for (int i = 0; i < rows; ++i) labels.push_back(static_cast<int>(rng.uniform_int(10)));
    const Matrix y = one_hot(labels);
    INFO("rows " << rows);
    for (const std::string& head : comparison_heads()) {
      INFO(head);
      CHECK(test::loss_gradient_error(*comparison_head(head), z, y) < 2e-2);
    }
  }
  CHECK_THROWS_WITH(comparison_head("hinge"), Catch::Contains("unknown head"));
}

TEST_CASE("loss comparison: the per-sample loop's gradient equals the batch's", "[loss_comparison]") {
  const LoopVersusBatch r = loop_versus_batch(digits(), 256, 2, 42);
  CHECK(r.samples == 256);
  CHECK(r.max_gradient > 1e-3f);           // a real gradient, not zeros
  CHECK(r.max_difference < 1e-6f);
  CHECK(r.loop_loss == Approx(r.batch_loss).epsilon(1e-6));
  CHECK(r.loop_ms > 0.0);
  CHECK(r.batch_ms > 0.0);
  // Asking for more digits than the training split has uses all of it.
  CHECK(loop_versus_batch(digits(), 2048, 1, 42).samples == 1438);
  CHECK_THROWS_WITH(loop_versus_batch(digits(), 0, 1, 42), Catch::Contains("samples"));
  CHECK_THROWS_WITH(loop_versus_batch(digits(), 10, 0, 42), Catch::Contains("repeats"));
}

TEST_CASE("loss comparison: trained from the same seed, each head does what the lesson says", "[loss_comparison]") {
  const LossComparison usual = compare_losses(digits(), LossComparisonSettings{});
  REQUIRE(usual.runs.size() == 4);
  CHECK(usual.train_size == 1438);
  CHECK(usual.test_size == 359);
  const HeadRun& fused = usual.runs[0];
  const HeadRun& sigmoid_mse = usual.runs[1];
  const HeadRun& chapter = usual.runs[2];
  const HeadRun& naive = usual.runs[3];
  CHECK(fused.head == "softmax_cross_entropy");
  CHECK(naive.head == "softmax_clipped_log");
  for (const HeadRun& r : usual.runs) {
    INFO(r.head);
    CHECK(r.loss.size() == 8);
    CHECK(r.nonfinite_epoch == 0);
  }
  CHECK(fused.test_accuracy.back() > 0.9f);
  // Where no probability is under the clip the naive head is the fused loss, epoch by epoch.
  for (size_t e = 0; e < 8; ++e) {
    CHECK(naive.test_accuracy[e] == Approx(fused.test_accuracy[e]).margin(1e-6));
    CHECK(naive.loss[e] == Approx(fused.loss[e]).epsilon(1e-4));
    CHECK(fused.stuck[e] == 0);
  }
  // Squared error through sigmoids learns, but slower.
  CHECK(sigmoid_mse.test_accuracy.back() < fused.test_accuracy.back() - 0.05f);
  CHECK(sigmoid_mse.test_accuracy.back() > 0.5f);
  // The chapter's head: a tiny loss (every output near 1) and an accuracy far below.
  CHECK(chapter.loss.back() < 0.01f);
  CHECK(chapter.test_accuracy.back() < 0.3f);

  // A network that calls every digit a 0 with confidence: the clip bites on every other digit.
  LossComparisonSettings confident;
  confident.confident_logit = 20.0f;
  const LossComparison c = compare_losses(digits(), confident);
  int zeros = 0, test_zeros = 0;
  const Split split = stratified_split(digits(), 0.2f, 0.0f, 42);
  for (int y : split.train.y) zeros += y == 0;
  for (int y : split.test.y) test_zeros += y == 0;
  for (size_t e = 0; e < 8; ++e) {
    CHECK(c.runs[3].stuck[e] == 1438 - zeros);  // every wrong digit passes exactly no gradient
    CHECK(c.runs[3].test_accuracy[e] == Approx(float(test_zeros) / 359.0f));  // still calls everything a 0
    CHECK(c.runs[0].stuck[e] == 0);
  }
  CHECK(c.runs[0].test_accuracy.back() > 0.9f);  // the fused loss learns its way out
  // The same settings give the same runs.
  const LossComparison again = compare_losses(digits(), confident);
  CHECK(again.runs[0].loss == c.runs[0].loss);
  CHECK(again.runs[0].test_accuracy == c.runs[0].test_accuracy);
  LossComparisonSettings bad;
  bad.epochs = 0;
  CHECK_THROWS_WITH(compare_losses(digits(), bad), Catch::Contains("epochs"));
  bad = LossComparisonSettings{};
  bad.confident_logit = 100.0f;
  CHECK_THROWS_WITH(compare_losses(digits(), bad), Catch::Contains("confident logit"));
}
