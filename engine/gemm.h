// Float matrix products for the layers' hot paths: C = beta*C + op(A) * op(B) on row-major
// maps. A small register-tiled kernel (gemm.cpp) runs in wasm SIMD, where Eigen 3.4 has no
// SIMD path, and natively on AVX2/AVX-512 for the shapes where it beats Eigen; everything
// else is an Eigen product.
// Shapes are checked with assert only: callers (the layers) validate shapes beforehand.
#pragma once

#include "engine/tensor.h"

namespace nn {

// c (M, N) = beta * c + a (M, K) * b (K, N). beta is 0 (overwrite) or 1 (accumulate).
void gemm_nn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta);
// c (M, N) = beta * c + a (M, K) * b^T, b stored (N, K) (Dense forward: x * W^T), plus
// bias[j] in every row when bias (N floats) is given, which requires beta 0.
void gemm_nt(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta, const float* bias = nullptr);
// c (M, N) = beta * c + a^T * b, a stored (K, M) (Dense weight gradient: dY^T * x).
void gemm_tn(ConstMatrixView a, ConstMatrixView b, MatrixView c, float beta);

// sums[j] = beta * sums[j] + sum_i a(i, j) for a (M, N), beta 0 or 1: bias gradients. Adds
// whole rows, which stay contiguous and vectorise, instead of walking strided columns.
void column_sums(ConstMatrixView a, float* sums, float beta);

}  // namespace nn
