// Compares engine/gemm.h with Eigen on the layers' product shapes (and 256^3), checking the
// result against a double-precision reference and timing both. Built for wasm by hand:
//   em++ -O3 -msimd128 -I. -isystem /usr/include/eigen3 bench/gemm_probe.cpp engine/gemm.cpp
// Prints one JSON line per shape and op.
#include <chrono>
#include <cmath>
#include <cstdio>

#include "engine/gemm.h"
#include "engine/rng.h"

using namespace nn;
using Clock = std::chrono::steady_clock;

static double secs(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

static void fill(Matrix& m, Rng& rng) {
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(-1, 1);
}

// op: 0 = nn, 1 = nt, 2 = tn; C (M, N), inner K.
static void probe(const char* name, int op, Index M, Index N, Index K, int reps) {
  Rng rng(1);
  Matrix a = op == 2 ? Matrix(K, M) : Matrix(M, K);
  Matrix b = op == 1 ? Matrix(N, K) : Matrix(K, N);
  Matrix c(M, N), e(M, N);
  fill(a, rng); fill(b, rng);
  auto mine = [&] {
    if (op == 0) gemm_nn(view(a), view(b), MatrixView(c.data(), M, N), 0);
    if (op == 1) gemm_nt(view(a), view(b), MatrixView(c.data(), M, N), 0);
    if (op == 2) gemm_tn(view(a), view(b), MatrixView(c.data(), M, N), 0);
  };
  auto eigen = [&] {
    if (op == 0) e.noalias() = a * b;
    if (op == 1) e.noalias() = a * b.transpose();
    if (op == 2) e.noalias() = a.transpose() * b;
  };
  mine(); eigen();
  double max_err = 0;
  for (Index i = 0; i < M; ++i)
    for (Index j = 0; j < N; ++j) {
      double s = 0;
      for (Index p = 0; p < K; ++p)
        s += double(op == 2 ? a(p, i) : a(i, p)) * double(op == 1 ? b(j, p) : b(p, j));
      max_err = std::fmax(max_err, std::fabs(s - c(i, j)));
    }
  auto t0 = Clock::now();
  for (int r = 0; r < reps; ++r) mine();
  const double t_mine = secs(t0);
  t0 = Clock::now();
  for (int r = 0; r < reps; ++r) eigen();
  const double t_eigen = secs(t0);
  const double flops = 2.0 * M * N * K * reps;
  std::printf("{\"probe\":\"%s\",\"M\":%ld,\"N\":%ld,\"K\":%ld,\"kernel_gflops\":%.2f,\"eigen_gflops\":%.2f,\"max_abs_err\":%.2e}\n",
              name, (long)M, (long)N, (long)K, flops / t_mine / 1e9, flops / t_eigen / 1e9, max_err);
}

int main() {
  probe("gemm256", 0, 256, 256, 256, 20);
  probe("gemm256_nt", 1, 256, 256, 256, 20);
  probe("dense1_fwd_nt", 1, 32, 128, 64, 20000);
  probe("dense1_dW_tn", 2, 128, 64, 32, 20000);
  probe("dense2_fwd_nt", 1, 32, 10, 128, 20000);
  probe("dense2_dX_nn", 0, 32, 128, 10, 20000);
  probe("dense2_dW_tn", 2, 10, 128, 32, 20000);
  probe("conv2_fwd_nt_cols", 1, 512, 32, 144, 2000);
  probe("edge_odd", 0, 7, 13, 5, 10);
  probe("edge_odd_nt", 1, 7, 13, 5, 10);
  probe("edge_odd_nt_wide", 1, 5, 18, 7, 10);
  probe("edge_odd_tn", 2, 6, 9, 3, 10);
  return 0;
}
