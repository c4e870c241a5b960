// Matrix products (see gemm.h). One register-tiled kernel, written with the compilers' vector
// extensions (engine/simd.h) so the same code serves wasm SIMD (4 lanes), AVX2 (8) and AVX-512 (16):
// - "broadcast" tiles: C is walked in R x (V*L) tiles held in R*V accumulators; each k step
//   broadcasts R values of A (any strides, so A^T costs nothing) and loads V vectors of B,
//   so B must be row-major (K, N). Narrower vectors, then scalars, finish the edge columns.
// - "dot" tiles for a * b^T in wasm: dot products along K, reduced once per cell, so b^T
//   (the Dense weights) needs no transposed copy.
// Natively, Eigen keeps what it does better: outputs narrower than one vector, and a * b^T
// over fewer rows than make a transposed copy of b pay (a batch times the Dense weights).
#include "engine/gemm.h"

#include <algorithm>
#include <cassert>
#include <vector>

#include "engine/simd.h"

namespace nn {

namespace {

// Eigen's products, for targets without the kernel and the shapes it leaves to Eigen.
void eigen_nn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  if (beta == 0.0f) c.noalias() = a * b;
  else c.noalias() += a * b;
}

void eigen_tn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  if (beta == 0.0f) c.noalias() = a.transpose() * b;
  else c.noalias() += a.transpose() * b;
}

// c = beta c + a b^T (+ bias in every row). With a bias, the rows start as the bias and the
// product accumulates onto them: no zeroing pass and no separate bias pass.
void eigen_nt(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta, const float* bias) {
  if (bias) {
    const Eigen::Map<const RowVector> row(bias, c.cols());
    for (Index r = 0; r < c.rows(); ++r) c.row(r) = row;
  }
  if (beta == 0.0f && !bias) c.noalias() = a * b.transpose();
  else c.noalias() += a * b.transpose();
}

}  // namespace

#if defined(__wasm_simd128__) || defined(__AVX2__)
namespace {

using simd::kLanes;
using simd::load;
using simd::Vec;

#if defined(__AVX512F__)
constexpr int kTileVectors = 4;  // 4x4 accumulators of 32 zmm registers
#elif defined(__AVX2__)
constexpr int kTileVectors = 2;  // 4x2 accumulators of 16 ymm registers
#else
constexpr int kTileVectors = 2;  // 4x2 v128 accumulators
#endif

// C block = acc + beta * C block, beta 0 or 1.
template <int L>
inline void store(float* p, Vec<L> v, float beta) {
  if (beta != 0.0f) v += beta * load<L>(p);
  simd::store<L>(p, v);
}

// A(i, k) = a[i * a_row + k * a_col]; B row-major (K, N) with row stride ldb; C (M, N) ldc.
struct Operands {
  const float* a;
  Index a_row, a_col;
  const float* b;
  Index ldb;
  float* c;
  Index ldc, k;
  float beta;
};

// C rows [i, i+R) x columns [j, j + V*L): R broadcasts of A and V loads of B per k step.
template <int R, int V, int L>
void tile(const Operands& o, Index i, Index j) {
  Vec<L> acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = Vec<L>{};  // not "= {}": GCC zeroes that with a memset call
  const float* ap = o.a + i * o.a_row;
  const float* bp = o.b + j;
  for (Index p = 0; p < o.k; ++p, ap += o.a_col, bp += o.ldb) {
    Vec<L> bv[V];
    for (int v = 0; v < V; ++v) bv[v] = load<L>(bp + L * v);
    for (int r = 0; r < R; ++r) {
      const float av = ap[r * o.a_row];
      for (int v = 0; v < V; ++v) acc[r][v] += av * bv[v];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) store<L>(o.c + (i + r) * o.ldc + j + L * v, acc[r][v], o.beta);
}

template <int R>
void scalar_cells(const Operands& o, Index i, Index j) {
  for (int r = 0; r < R; ++r) {
    float s = 0;
    for (Index p = 0; p < o.k; ++p) s += o.a[(i + r) * o.a_row + p * o.a_col] * o.b[p * o.ldb + j];
    float& dst = o.c[(i + r) * o.ldc + j];
    dst = o.beta == 0.0f ? s : dst * o.beta + s;
  }
}

// Columns [j, n) of rows [i, i+R): wide tiles, then one vector of L, then narrower vectors
// down to 4 lanes, then scalars.
template <int R, int L>
void columns(const Operands& o, Index i, Index j, Index n) {
  if constexpr (L == kLanes) {
    for (; j + kTileVectors * L <= n; j += kTileVectors * L) tile<R, kTileVectors, L>(o, i, j);
  }
  for (; j + L <= n; j += L) tile<R, 1, L>(o, i, j);
  if constexpr (L > 4) {
    columns<R, L / 2>(o, i, j, n);
  } else {
    for (; j < n; ++j) scalar_cells<R>(o, i, j);
  }
}

void kernel(const float* a, Index a_row, Index a_col, const float* b, Index ldb, float* c, Index ldc, Index m,
            Index n, Index k, float beta) {
  const Operands o{a, a_row, a_col, b, ldb, c, ldc, k, beta};
  Index i = 0;
  for (; i + 4 <= m; i += 4) columns<4, kLanes>(o, i, 0, n);
  for (; i < m; ++i) columns<1, kLanes>(o, i, 0, n);
}

// {sum(x0), sum(x1), sum(x2), sum(x3)} for 4-lane vectors, in shuffles instead of 12 extracts.
inline Vec<4> horizontal_sums(Vec<4> x0, Vec<4> x1, Vec<4> x2, Vec<4> x3) {
  const Vec<4> s01 = __builtin_shufflevector(x0, x1, 0, 4, 1, 5) + __builtin_shufflevector(x0, x1, 2, 6, 3, 7);
  const Vec<4> s23 = __builtin_shufflevector(x2, x3, 0, 4, 1, 5) + __builtin_shufflevector(x2, x3, 2, 6, 3, 7);
  return __builtin_shufflevector(s01, s23, 0, 1, 4, 5) + __builtin_shufflevector(s01, s23, 2, 3, 6, 7);
}

// C rows [i, i+R) x columns [j, j+Q) of a * b^T, both stored row-major with K contiguous
// (k % 4 == 0): per 4 k steps, R + Q loads feed R*Q multiply-adds; the Q partial sums of a
// row are reduced once at the end. Only wasm uses it: natively Eigen wins on these shapes.
template <int R, int Q>
void dot_tile(const float* a, Index lda, const float* b, Index ldb, float* c, Index ldc, Index k, float beta,
              const float* bias) {
  Vec<4> acc[R][Q];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < Q; ++q) acc[r][q] = Vec<4>{};
  for (Index p = 0; p < k; p += 4) {
    Vec<4> bv[Q];
    for (int q = 0; q < Q; ++q) bv[q] = load<4>(b + q * ldb + p);
    for (int r = 0; r < R; ++r) {
      const Vec<4> av = load<4>(a + r * lda + p);
      for (int q = 0; q < Q; ++q) acc[r][q] += av * bv[q];
    }
  }
  for (int r = 0; r < R; ++r) {
    float* dst = c + r * ldc;
    if constexpr (Q == 4) {
      Vec<4> sums = horizontal_sums(acc[r][0], acc[r][1], acc[r][2], acc[r][3]);
      if (bias) sums += load<4>(bias);
      store<4>(dst, sums, beta);
    } else {
      for (int q = 0; q < Q; ++q) {
        const Vec<4> x = acc[r][q];
        const float sum = (x[0] + x[2]) + (x[1] + x[3]);
        const float total = bias ? sum + bias[q] : sum;
        dst[q] = beta == 0.0f ? total : dst[q] * beta + total;
      }
    }
  }
}

// c (M, N) = beta * c + a (M, K) * b (N, K)^T (+ bias[j] in column j), in 2x4 dot tiles
// (2x2 and 2x1 at the right edge: the output layer's 10 columns are 4 + 4 + 2).
void dot_kernel(const float* a, const float* b, float* c, Index m, Index n, Index k, float beta, const float* bias) {
  auto at = [bias](Index j) { return bias ? bias + j : nullptr; };
  Index i = 0;
  for (; i + 2 <= m; i += 2) {
    Index j = 0;
    for (; j + 4 <= n; j += 4) dot_tile<2, 4>(a + i * k, k, b + j * k, k, c + i * n + j, n, k, beta, at(j));
    for (; j + 2 <= n; j += 2) dot_tile<2, 2>(a + i * k, k, b + j * k, k, c + i * n + j, n, k, beta, at(j));
    for (; j < n; ++j) dot_tile<2, 1>(a + i * k, k, b + j * k, k, c + i * n + j, n, k, beta, at(j));
  }
  for (; i < m; ++i) {
    Index j = 0;
    for (; j + 4 <= n; j += 4) dot_tile<1, 4>(a + i * k, k, b + j * k, k, c + i * n + j, n, k, beta, at(j));
    for (; j + 2 <= n; j += 2) dot_tile<1, 2>(a + i * k, k, b + j * k, k, c + i * n + j, n, k, beta, at(j));
    for (; j < n; ++j) dot_tile<1, 1>(a + i * k, k, b + j * k, k, c + i * n + j, n, k, beta, at(j));
  }
}

// dst[(p0 + p) * rows + r0 + r] = src[(r0 + r) * cols + p0 + p] for one 4x4 block.
[[maybe_unused]] void transpose_block4(const float* src, Index cols, float* dst, Index rows) {
  const Vec<4> r0 = load<4>(src), r1 = load<4>(src + cols), r2 = load<4>(src + 2 * cols), r3 = load<4>(src + 3 * cols);
  const Vec<4> t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5), t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
  const Vec<4> t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5), t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
  store<4>(dst, __builtin_shufflevector(t0, t2, 0, 1, 4, 5), 0.0f);
  store<4>(dst + rows, __builtin_shufflevector(t0, t2, 2, 3, 6, 7), 0.0f);
  store<4>(dst + 2 * rows, __builtin_shufflevector(t1, t3, 0, 1, 4, 5), 0.0f);
  store<4>(dst + 3 * rows, __builtin_shufflevector(t1, t3, 2, 3, 6, 7), 0.0f);
}

// The same for an 8x8 block: pairs, then quads, then halves are interleaved (24 shuffles).
[[maybe_unused]] void transpose_block8(const float* src, Index cols, float* dst, Index rows) {
  Vec<8> r[8], t[8], u[8];
  for (int i = 0; i < 8; ++i) r[i] = load<8>(src + i * cols);
  for (int i = 0; i < 8; i += 2) {
    t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
    u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
    u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  for (int i = 0; i < 4; ++i) {
    store<8>(dst + i * rows, __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11), 0.0f);
    store<8>(dst + (i + 4) * rows, __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15), 0.0f);
  }
}

// dst (cols, rows) = src (rows, cols)^T in register-transposed blocks (8x8 where the
// target has 8-lane vectors, else 4x4), scalars at the edges.
void transpose_into(const float* src, Index rows, Index cols, float* dst) {
  constexpr Index B = kLanes >= 8 ? 8 : 4;
  Index r = 0;
  for (; r + B <= rows; r += B) {
    Index p = 0;
    for (; p + B <= cols; p += B) {
      if constexpr (B == 8) transpose_block8(src + r * cols + p, cols, dst + p * rows + r, rows);
      else transpose_block4(src + r * cols + p, cols, dst + p * rows + r, rows);
    }
    for (; p < cols; ++p)
      for (Index q = r; q < r + B; ++q) dst[p * rows + q] = src[q * cols + p];
  }
  for (; r < rows; ++r)
    for (Index p = 0; p < cols; ++p) dst[p * rows + r] = src[r * cols + p];
}

// Grow-only scratch for transposed B; single-threaded engine, so one buffer suffices.
std::vector<float>& transpose_scratch() {
  static std::vector<float> scratch;
  return scratch;
}

// The kernel only wins with at least one full vector of columns; natively narrower products
// (a conv layer's 9-column weight gradient) stay with Eigen. Wasm has no other SIMD path.
#ifdef __wasm_simd128__
constexpr bool kEigenFallback = false;
#else
constexpr bool kEigenFallback = true;
#endif
constexpr Index kTransposeRows = 128;  // measured: 32 rows lose to Eigen, 512 win by 1.5x

}  // namespace

void gemm_nn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  assert(a.cols() == b.rows() && c.rows() == a.rows() && c.cols() == b.cols());
  if (kEigenFallback && c.cols() < kLanes) {
    eigen_nn(a, b, c, beta);
    return;
  }
  kernel(a.data(), a.cols(), 1, b.data(), b.cols(), c.data(), c.cols(), c.rows(), c.cols(), a.cols(), beta);
}

void gemm_nt(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta, const float* bias) {
  assert(a.cols() == b.cols() && c.rows() == a.rows() && c.cols() == b.rows());
  assert(!bias || beta == 0.0f);
  const Index n = b.rows(), k = b.cols();
  if (!kEigenFallback && k % 4 == 0) {
    // Dot products along K: no transposed copy of B (the Dense weights) per call.
    dot_kernel(a.data(), b.data(), c.data(), a.rows(), n, k, beta, bias);
    return;
  }
  // Natively the transposed copy only pays off over many rows of A (im2col columns); a
  // batch of 32 x a Dense layer's weights is faster in Eigen, which packs as it goes.
  if (kEigenFallback && (n < kLanes || a.rows() < kTransposeRows)) {
    eigen_nt(a, b, c, beta, bias);
    return;
  }
  std::vector<float>& bt = transpose_scratch();  // (K, N)
  if (bt.size() < static_cast<size_t>(n * k)) bt.resize(static_cast<size_t>(n * k));
  transpose_into(b.data(), n, k, bt.data());
  kernel(a.data(), a.cols(), 1, bt.data(), n, c.data(), n, c.rows(), n, k, beta);
  if (bias) c.rowwise() += Eigen::Map<const RowVector>(bias, n);
}

void gemm_tn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  assert(a.rows() == b.rows() && c.rows() == a.cols() && c.cols() == b.cols());
  if (kEigenFallback && c.cols() < kLanes) {
    eigen_tn(a, b, c, beta);
    return;
  }
  // A^T(i, p) = a[p * a.cols() + i]: row stride 1, column stride a.cols().
  kernel(a.data(), 1, a.cols(), b.data(), b.cols(), c.data(), c.cols(), c.rows(), c.cols(), a.rows(), beta);
}

#else  // No SIMD kernel for this target: Eigen.

void gemm_nn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) { eigen_nn(a, b, c, beta); }

void gemm_nt(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta, const float* bias) {
  eigen_nt(a, b, c, beta, bias);
}

void gemm_tn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) { eigen_tn(a, b, c, beta); }

#endif

// A vector of columns at a time, down all the rows: the sums stay in registers, and each
// column is summed in row order as a scalar loop would (same bits).
void column_sums(ConstMatrixView a, float* sums, float beta) {
  constexpr int L = simd::kLanes;
  const Index m = a.rows(), n = a.cols();
  const float* x = a.data();
  Index j = 0;
  for (; j + L <= n; j += L) {
    simd::Vec<L> acc = beta == 0.0f ? simd::Vec<L>{} : simd::load<L>(sums + j);
    for (Index i = 0; i < m; ++i) acc += simd::load<L>(x + i * n + j);
    simd::store<L>(sums + j, acc);
  }
  for (; j < n; ++j) {
    float acc = beta == 0.0f ? 0.0f : sums[j];
    for (Index i = 0; i < m; ++i) acc += x[i * n + j];
    sums[j] = acc;
  }
}

}  // namespace nn
