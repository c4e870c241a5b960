// Portable SIMD through the compilers' vector extensions (GCC and clang): the same source
// becomes wasm SIMD (4 lanes), AVX2 (8) or AVX-512 (16) instructions, because Eigen 3.4 has
// no wasm SIMD path and the hot loops should not exist twice. kLanes is the widest vector the
// build targets; any Vec<L> compiles everywhere (narrower or wider ones are split or joined).
#pragma once

#include <cstdint>

#include "engine/tensor.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>  // clang's own header (wasm_v128_any_true), not Emscripten's
#elif defined(__SSE__)
#include <immintrin.h>
#endif

namespace nn::simd {

#if defined(__AVX512F__)
constexpr int kLanes = 16;
#elif defined(__AVX2__)
constexpr int kLanes = 8;
#else
constexpr int kLanes = 4;
#endif

template <int L>
struct VecOf {
  typedef float type __attribute__((vector_size(L * sizeof(float))));
  typedef int32_t ints __attribute__((vector_size(L * sizeof(int32_t))));
};
template <int L>
using Vec = typename VecOf<L>::type;
template <int L>
using IntVec = typename VecOf<L>::ints;

// Unaligned loads and stores (memcpy compiles to one vector load or store).
template <int L>
inline Vec<L> load(const float* p) {
  Vec<L> v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

template <int L>
inline void store(float* p, Vec<L> v) {
  __builtin_memcpy(p, &v, sizeof v);
}

// Whether any lane of a comparison's result (-1 true, 0 false) is true: one instruction where
// the target has one, instead of extracting every lane.
inline bool any(IntVec<4> mask) {
#if defined(__wasm_simd128__)
  return wasm_v128_any_true((v128_t)mask);
#elif defined(__SSE__)
  return _mm_movemask_ps((__m128)mask) != 0;
#else
  return (mask[0] | mask[1] | mask[2] | mask[3]) != 0;
#endif
}

// e^x per lane within 2 ulp of std::exp for x <= 88 (above: e^88; below -87.3, where e^x <
// FLT_MIN: 0; NaN stays NaN): Cephes' expf, the algorithm of Eigen's own vector exp. 2^n is
// built from its exponent bits, so no lane ever takes a scalar path.
template <int L>
inline Vec<L> exp(const Vec<L> in) {
  Vec<L> x = in;
  const Vec<L> hi = Vec<L>{} + 88.0f, lo = Vec<L>{} - 87.3365447505531f;
  x = x > hi ? hi : x;
  x = x < lo ? lo : x;
  // n = floor(x / ln 2 + 1/2), from truncation corrected where it rounded up.
  const Vec<L> fx = x * 1.44269504088896341f + 0.5f;
  IntVec<L> n = __builtin_convertvector(fx, IntVec<L>);
  const Vec<L> truncated = __builtin_convertvector(n, Vec<L>);
  n += truncated > fx;  // true is -1
  const Vec<L> nf = __builtin_convertvector(n, Vec<L>);
  // r = x - n ln 2 in two parts, so r keeps full precision.
  const Vec<L> r = x - nf * 0.693359375f + nf * 2.12194440e-4f;
  Vec<L> p = Vec<L>{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const Vec<L> e = p * (Vec<L>)((n + 127) << 23);
  const Vec<L> flushed = in < lo ? Vec<L>{} : e;  // below FLT_MIN: 0, as in a flush-to-zero exp
  return in == in ? flushed : in;               // NaN in, NaN out: a diverging loss must stay visible
}

// x[i] = e^x[i] for i < n, in vectors of kLanes and one padded vector for the rest, so every
// element takes the same path whatever n and the alignment.
inline void exp_in_place(float* x, Index n) {
  constexpr int L = kLanes;
  Index i = 0;
  for (; i + L <= n; i += L) store<L>(x + i, exp<L>(load<L>(x + i)));
  const int rest = static_cast<int>(n - i);  // 0 .. L-1
  if (rest > 0) {
    float tail[L] = {};
    for (int k = 0; k < rest && k < L; ++k) tail[k] = x[i + k];
    const Vec<L> e = exp<L>(load<L>(tail));
    for (int k = 0; k < rest && k < L; ++k) x[i + k] = e[k];
  }
}

}  // namespace nn::simd
