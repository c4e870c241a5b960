// Float matrix products for the layers' hot paths: C = beta*C + op(A) * op(B) on row-major
// maps. Natively they are Eigen products; in wasm with SIMD (__wasm_simd128__) a small
// hand-written 4x8 micro-kernel runs instead, because Eigen 3.4 has no wasm SIMD path.
// Shapes are checked with assert only: callers (the layers) validate shapes beforehand.
#pragma once

#include "engine/tensor.h"

namespace nn {

// c (M, N) = beta * c + a (M, K) * b (K, N). beta is 0 (overwrite) or 1 (accumulate).
void gemm_nn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta);
// c (M, N) = beta * c + a (M, K) * b^T, b stored (N, K) (Dense forward: x * W^T).
void gemm_nt(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta);
// c (M, N) = beta * c + a^T * b, a stored (K, M) (Dense weight gradient: dY^T * x).
void gemm_tn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta);

// sums[j] += sum_i a(i, j) for a (M, N): bias gradients. Adds whole rows, which stay
// contiguous and vectorise, instead of walking strided columns.
void add_column_sums(ConstMatrixView a, float* sums);

}  // namespace nn
