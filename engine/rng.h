// The engine's one source of randomness: initialisation, shuffling, dropout and augmentation
// all draw from an Rng owned by the trainer, so the same seed gives the same run.
// Hand-written (xoshiro128**, seeded by splitmix64) rather than <random>: the standard
// distributions differ between libstdc++ (native) and libc++ (Emscripten), and a run must be
// bit-identical natively and in wasm.
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace nn {

class Rng {
 public:
  explicit Rng(uint64_t seed = 42) { reseed(seed); }

  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : state_) {
      // splitmix64: spreads any seed (0 included) over the whole state.
      x += 0x9E3779B97F4A7C15ull;
      uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      s = static_cast<uint32_t>((z ^ (z >> 31)) >> 16);
    }
    if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;
    has_spare_normal_ = false;
  }

  // xoshiro128** 1.1, https://prng.di.unimi.it/xoshiro128starstar.c
  uint32_t next_u32() {
    const uint32_t result = rotl(state_[1] * 5, 7) * 9;
    const uint32_t t = state_[1] << 9;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 11);
    return result;
  }

  // Uniform in [0, 1), 24 random bits: exactly representable as float.
  float uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n), without modulo bias (Lemire's method).
  uint32_t uniform_int(uint32_t n) {
    uint64_t m = static_cast<uint64_t>(next_u32()) * n;
    uint32_t low = static_cast<uint32_t>(m);
    if (low < n) {
      const uint32_t threshold = static_cast<uint32_t>(-n) % n;
      while (low < threshold) {
        m = static_cast<uint64_t>(next_u32()) * n;
        low = static_cast<uint32_t>(m);
      }
    }
    return static_cast<uint32_t>(m >> 32);
  }

  // Standard normal (Box-Muller in double, so native and wasm round the same way).
  float normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    double u1 = (static_cast<double>(next_u32()) + 1.0) * (1.0 / 4294967296.0);
    double u2 = static_cast<double>(next_u32()) * (1.0 / 4294967296.0);
    double r = std::sqrt(-2.0 * std::log(u1));
    double theta = 6.283185307179586 * u2;
    spare_normal_ = static_cast<float>(r * std::sin(theta));
    has_spare_normal_ = true;
    return static_cast<float>(r * std::cos(theta));
  }
  float normal(float mean, float stddev) { return mean + stddev * normal(); }

  // Fisher-Yates shuffle.
  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      const size_t j = uniform_int(static_cast<uint32_t>(i));
      std::swap(v[i - 1], v[j]);
    }
  }

 private:
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t state_[4];
  bool has_spare_normal_ = false;
  float spare_normal_ = 0.0f;
};

}  // namespace nn
