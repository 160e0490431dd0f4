#pragma once
// The one random number generator of the core: PCG32 (O'Neill 2014) with its own
// uniform, normal and categorical sampling, so a seed gives the same numbers natively
// and in WASM (std:: distributions differ between libstdc++ and libc++).
#include <cassert>
#include <cstdint>
#include <cstddef>

namespace ll {

class Rng {
 public:
  explicit Rng(uint64_t seed = 1, uint64_t stream = 0x4c4c) { reseed(seed, stream); }
  void reseed(uint64_t seed, uint64_t stream = 0x4c4c);

  // Inline: the word2vec trainer draws several per training pair.
  uint32_t next_u32() {
    const uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + inc_;
    const uint32_t xorshifted = uint32_t(((old >> 18u) ^ old) >> 27u);
    const uint32_t rot = uint32_t(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
  }
  uint64_t next_u64() { return (uint64_t(next_u32()) << 32) | next_u32(); }
  // Unbiased integer in [0, n), n > 0 (Lemire's multiply-shift with rejection).
  uint32_t below(uint32_t n) {  // inline: the word2vec trainer draws one per centre word
    assert(n > 0 && "Rng::below needs n > 0");
    uint64_t m = uint64_t(next_u32()) * n;
    if (uint32_t(m) < n) {
      const uint32_t threshold = uint32_t(-n) % n;
      while (uint32_t(m) < threshold) m = uint64_t(next_u32()) * n;
    }
    return uint32_t(m >> 32);
  }
  // Uniform in [0, 1): 24 random bits for float, 53 for double.
  float uniform_f();
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal by the Marsaglia polar method (uses only log and sqrt).
  double normal();
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  // Index i with probability weights[i] / sum(weights); weights >= 0, sum > 0.
  size_t categorical(const double* weights, size_t n);
  template <class T> void shuffle(T* data, size_t n) {
    for (size_t i = n; i > 1; --i) {
      size_t j = below(uint32_t(i));
      T tmp = data[i - 1]; data[i - 1] = data[j]; data[j] = tmp;
    }
  }

 private:
  uint64_t state_ = 0, inc_ = 0;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0;
};

}  // namespace ll
