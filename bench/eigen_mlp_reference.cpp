// The native target's yardstick: a straightforward hand-written Eigen loop for the benchmark
// mlp (64-128 ReLU-10, softmax cross-entropy, Adam 1e-3, batch 32) on random data, with no
// engine code at all. digitlab-native mlp should train at least this fast.
// Usage: nn_bench_reference [epochs]; prints one JSON line (engine "eigen-reference-native").
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Row = Eigen::Matrix<float, 1, Eigen::Dynamic>;
using Clock = std::chrono::steady_clock;

// Adam state for one tensor, updated with plain Eigen array expressions.
struct AdamSlot {
  Eigen::ArrayXf m, v;
  void step(float* w, const float* g, Eigen::Index n, int t) {
    if (m.size() != n) m = v = Eigen::ArrayXf::Zero(n);
    Eigen::Map<Eigen::ArrayXf> wa(w, n);
    Eigen::Map<const Eigen::ArrayXf> ga(g, n);
    m = 0.9f * m + 0.1f * ga;
    v = 0.999f * v + 0.001f * ga.square();
    const float c1 = 1.0f - std::pow(0.9f, float(t)), c2 = 1.0f - std::pow(0.999f, float(t));
    wa -= (1e-3f / c1) * m / ((v / c2).sqrt() + 1e-8f);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 20;
  const int n = 1438, b = 32, f = 64, h = 128, k = 10;
  std::srand(1);
  Mat x = (Mat::Random(n, f).array() + 1.0f) * 8.0f;  // values like the digits: 0..16
  std::vector<int> y(n);
  for (int i = 0; i < n; ++i) y[i] = i % k;
  Mat w1 = Mat::Random(h, f) * std::sqrt(6.0f / f), w2 = Mat::Random(k, h) * std::sqrt(6.0f / h);
  Row b1 = Row::Zero(h), b2 = Row::Zero(k);
  Mat gw1(h, f), gw2(k, h), a1(b, h), z2(b, k), d2(b, k), d1(b, h), xb(b, f);
  Row gb1(h), gb2(k);
  AdamSlot s[4];
  int t = 0;
  std::vector<double> rates;
  for (int e = 0; e < epochs; ++e) {
    const auto t0 = Clock::now();
    for (int start = 0; start + b <= n; start += b) {
      xb = x.middleRows(start, b);
      a1.noalias() = xb * w1.transpose();
      a1.rowwise() += b1;
      a1 = a1.cwiseMax(0.0f);
      z2.noalias() = a1 * w2.transpose();
      z2.rowwise() += b2;
      for (int r = 0; r < b; ++r) {  // softmax - onehot, / batch
        d2.row(r) = (z2.row(r).array() - z2.row(r).maxCoeff()).exp().matrix();
        d2.row(r) /= d2.row(r).sum();
        d2(r, y[start + r]) -= 1.0f;
      }
      d2 /= float(b);
      gw2.noalias() = d2.transpose() * a1;
      gb2 = d2.colwise().sum();
      d1.noalias() = d2 * w2;
      d1 = (a1.array() > 0.0f).select(d1, 0.0f);
      gw1.noalias() = d1.transpose() * xb;
      gb1 = d1.colwise().sum();
      ++t;
      s[0].step(w1.data(), gw1.data(), w1.size(), t);
      s[1].step(b1.data(), gb1.data(), b1.size(), t);
      s[2].step(w2.data(), gw2.data(), w2.size(), t);
      s[3].step(b2.data(), gb2.data(), b2.size(), t);
    }
    const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
    if (e > 0) rates.push_back((n / b) * b / sec);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("{\"engine\":\"eigen-reference-native\",\"model\":\"mlp\",\"samples_per_sec\":%ld,\"check\":%g}\n",
              std::lround(rates[rates.size() / 2]), double(w1.sum()));
  return 0;
}
