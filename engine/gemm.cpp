// Matrix products (see gemm.h). The wasm SIMD kernel: C is walked in 4x8 tiles held in eight
// v128 accumulators (4x4, 1x8, 1x4 tiles and scalars at the edges); each k step broadcasts 4 values of A (any strides, so A^T costs
// nothing) and loads 8 contiguous floats of B, so B must be row-major (K, N): a transposed B
// is first copied into a grow-only scratch. Edges fall back to scalar loops.
#include "engine/gemm.h"

#include <cassert>
#include <vector>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace nn {

#ifdef __wasm_simd128__
namespace {

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

inline void store_tile(float* dst, v128_t acc, float beta) {
  if (beta == 1.0f) acc = wasm_f32x4_add(acc, wasm_v128_load(dst));
  else if (beta != 0.0f) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(beta), wasm_v128_load(dst)));
  wasm_v128_store(dst, acc);
}

// C rows [i, i+R) x columns [j, j + 4*V): R broadcasts of A and V loads of B per k step.
template <int R, int V>
void tile(const Operands& o, Index i, Index j) {
  v128_t acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = wasm_f32x4_splat(0.0f);
  const float* ap = o.a + i * o.a_row;
  const float* bp = o.b + j;
  for (Index p = 0; p < o.k; ++p, ap += o.a_col, bp += o.ldb) {
    v128_t bv[V];
    for (int v = 0; v < V; ++v) bv[v] = wasm_v128_load(bp + 4 * v);
    for (int r = 0; r < R; ++r) {
      const v128_t av = wasm_f32x4_splat(ap[r * o.a_row]);
      for (int v = 0; v < V; ++v) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(av, bv[v]));
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) store_tile(o.c + (i + r) * o.ldc + j + 4 * v, acc[r][v], o.beta);
}

void scalar_cell(const Operands& o, Index i, Index j) {
  float s = 0;
  for (Index p = 0; p < o.k; ++p) s += o.a[i * o.a_row + p * o.a_col] * o.b[p * o.ldb + j];
  float& dst = o.c[i * o.ldc + j];
  dst = o.beta == 0.0f ? s : dst * o.beta + s;
}

// Rows [i, i+R): 8-wide tiles, then one 4-wide tile, then scalar columns.
template <int R>
void row_block(const Operands& o, Index i, Index n) {
  Index j = 0;
  for (; j + 8 <= n; j += 8) tile<R, 2>(o, i, j);
  if (j + 4 <= n) {
    tile<R, 1>(o, i, j);
    j += 4;
  }
  for (; j < n; ++j)
    for (Index r = 0; r < R; ++r) scalar_cell(o, i + r, j);
}

void kernel(const float* a, Index a_row, Index a_col, const float* b, Index ldb, float* c, Index ldc, Index m,
            Index n, Index k, float beta) {
  const Operands o{a, a_row, a_col, b, ldb, c, ldc, k, beta};
  Index i = 0;
  for (; i + 4 <= m; i += 4) row_block<4>(o, i, n);
  for (; i < m; ++i) row_block<1>(o, i, n);
}

// Sum of each of four vectors' lanes, as one vector: {sum(x0), sum(x1), sum(x2), sum(x3)}.
inline v128_t horizontal_sums(v128_t x0, v128_t x1, v128_t x2, v128_t x3) {
  const v128_t s01 = wasm_f32x4_add(wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5), wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7));
  const v128_t s23 = wasm_f32x4_add(wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5), wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5), wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
}

// C rows [i, i+R) x columns [j, j+Q) of a * b^T, both stored row-major with K contiguous
// (k % 4 == 0): dot products along K, so B^T needs no transposed copy. Per 4 k steps, R + Q
// loads feed R*Q multiply-adds; the Q partial sums of a row are reduced once at the end.
template <int R, int Q>
void dot_tile(const float* a, Index lda, const float* b, Index ldb, float* c, Index ldc, Index k, float beta) {
  v128_t acc[R][Q];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < Q; ++q) acc[r][q] = wasm_f32x4_splat(0.0f);
  for (Index p = 0; p < k; p += 4) {
    v128_t bv[Q];
    for (int q = 0; q < Q; ++q) bv[q] = wasm_v128_load(b + q * ldb + p);
    for (int r = 0; r < R; ++r) {
      const v128_t av = wasm_v128_load(a + r * lda + p);
      for (int q = 0; q < Q; ++q) acc[r][q] = wasm_f32x4_add(acc[r][q], wasm_f32x4_mul(av, bv[q]));
    }
  }
  for (int r = 0; r < R; ++r) {
    float* dst = c + r * ldc;
    if constexpr (Q == 4) {
      store_tile(dst, horizontal_sums(acc[r][0], acc[r][1], acc[r][2], acc[r][3]), beta);
    } else {
      for (int q = 0; q < Q; ++q) {
        const v128_t x = acc[r][q];
        const float sum = (wasm_f32x4_extract_lane(x, 0) + wasm_f32x4_extract_lane(x, 2)) +
                          (wasm_f32x4_extract_lane(x, 1) + wasm_f32x4_extract_lane(x, 3));
        dst[q] = beta == 0.0f ? sum : dst[q] * beta + sum;
      }
    }
  }
}

template <int R>
void dot_row_block(const float* a, const float* b, float* c, Index n, Index k, float beta) {
  Index j = 0;
  for (; j + 4 <= n; j += 4) dot_tile<R, 4>(a, k, b + j * k, k, c + j, n, k, beta);
  for (; j < n; ++j) dot_tile<R, 1>(a, k, b + j * k, k, c + j, n, k, beta);
}

// c (M, N) = beta * c + a (M, K) * b (N, K)^T with k % 4 == 0, in 2x4 dot tiles.
void dot_kernel(const float* a, const float* b, float* c, Index m, Index n, Index k, float beta) {
  Index i = 0;
  for (; i + 2 <= m; i += 2) dot_row_block<2>(a + i * k, b, c + i * n, n, k, beta);
  for (; i < m; ++i) dot_row_block<1>(a + i * k, b, c + i * n, n, k, beta);
}

// c_row[j] = beta * c_row[j] + dot(a_row, b row j) for j < n; rows of length k (k % 4 == 0).
void dot_row(const float* a_row, const float* b, float* c_row, Index n, Index k, float beta) {
  for (Index j = 0; j < n; ++j) {
    const float* bp = b + j * k;
    v128_t acc0 = wasm_f32x4_splat(0.0f), acc1 = acc0;
    Index p = 0;
    for (; p + 8 <= k; p += 8) {
      acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(a_row + p), wasm_v128_load(bp + p)));
      acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(wasm_v128_load(a_row + p + 4), wasm_v128_load(bp + p + 4)));
    }
    if (p < k) acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(a_row + p), wasm_v128_load(bp + p)));
    acc0 = wasm_f32x4_add(acc0, acc1);
    const float s = wasm_f32x4_extract_lane(acc0, 0) + wasm_f32x4_extract_lane(acc0, 1) +
                    wasm_f32x4_extract_lane(acc0, 2) + wasm_f32x4_extract_lane(acc0, 3);
    c_row[j] = beta == 0.0f ? s : c_row[j] * beta + s;
  }
}

// dst (cols, rows) = src (rows, cols)^T, in 4x4 blocks transposed in registers.
void transpose_into(const float* src, Index rows, Index cols, float* dst) {
  Index r = 0;
  for (; r + 4 <= rows; r += 4) {
    Index p = 0;
    for (; p + 4 <= cols; p += 4) {
      const v128_t r0 = wasm_v128_load(src + r * cols + p), r1 = wasm_v128_load(src + (r + 1) * cols + p);
      const v128_t r2 = wasm_v128_load(src + (r + 2) * cols + p), r3 = wasm_v128_load(src + (r + 3) * cols + p);
      const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
      const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
      wasm_v128_store(dst + p * rows + r, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
      wasm_v128_store(dst + (p + 1) * rows + r, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
      wasm_v128_store(dst + (p + 2) * rows + r, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
      wasm_v128_store(dst + (p + 3) * rows + r, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
    }
    for (; p < cols; ++p)
      for (Index q = r; q < r + 4; ++q) dst[p * rows + q] = src[q * cols + p];
  }
  for (; r < rows; ++r)
    for (Index p = 0; p < cols; ++p) dst[p * rows + r] = src[r * cols + p];
}

// Grow-only scratch for transposed B; single-threaded engine, so one buffer suffices.
std::vector<float>& transpose_scratch() {
  static std::vector<float> scratch;
  return scratch;
}

}  // namespace

void gemm_nn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  assert(a.cols() == b.rows() && c.rows() == a.rows() && c.cols() == b.cols());
  kernel(a.data(), a.cols(), 1, b.data(), b.cols(), c.data(), c.cols(), c.rows(), c.cols(), a.cols(), beta);
}

void gemm_nt(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  assert(a.cols() == b.cols() && c.rows() == a.rows() && c.cols() == b.rows());
  const Index n = b.rows(), k = b.cols();
  if (k % 4 == 0) {
    // Dot products along K: no transposed copy of B (the Dense weights) per call.
    dot_kernel(a.data(), b.data(), c.data(), a.rows(), n, k, beta);
    return;
  }
  std::vector<float>& bt = transpose_scratch();  // (K, N)
  if (bt.size() < static_cast<size_t>(n * k)) bt.resize(static_cast<size_t>(n * k));
  transpose_into(b.data(), n, k, bt.data());
  kernel(a.data(), a.cols(), 1, bt.data(), n, c.data(), n, c.rows(), n, k, beta);
}

void gemm_tn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  assert(a.rows() == b.rows() && c.rows() == a.cols() && c.cols() == b.cols());
  // A^T(i, p) = a[p * a.cols() + i]: row stride 1, column stride a.cols().
  kernel(a.data(), 1, a.cols(), b.data(), b.cols(), c.data(), c.cols(), c.rows(), c.cols(), a.rows(), beta);
}

#else  // Eigen everywhere else.

void gemm_nn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  if (beta == 0.0f) c.noalias() = a * b;
  else c.noalias() += a * b;
}

void gemm_nt(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  if (beta == 0.0f) c.noalias() = a * b.transpose();
  else c.noalias() += a * b.transpose();
}

void gemm_tn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta) {
  if (beta == 0.0f) c.noalias() = a.transpose() * b;
  else c.noalias() += a.transpose() * b;
}

#endif

void add_column_sums(ConstMatrixView a, float* sums) {
  Eigen::Map<RowVector> s(sums, a.cols());
  for (Index i = 0; i < a.rows(); ++i) s += a.row(i);
}

}  // namespace nn
