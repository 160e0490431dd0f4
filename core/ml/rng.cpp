#include "ml/rng.hpp"

#include <cassert>
#include <cmath>

namespace ll {

void Rng::reseed(uint64_t seed, uint64_t stream) {
  state_ = 0;
  inc_ = (stream << 1u) | 1u;
  next_u32();
  state_ += seed;
  next_u32();
  has_spare_normal_ = false;
}

float Rng::uniform_f() { return float(next_u32() >> 8) * (1.0f / 16777216.0f); }

double Rng::uniform() {
  uint64_t bits = ((uint64_t(next_u32()) << 32) | next_u32()) >> 11;
  return double(bits) * (1.0 / 9007199254740992.0);
}

double Rng::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  double scale = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * scale;
  has_spare_normal_ = true;
  return u * scale;
}

size_t Rng::categorical(const double* weights, size_t n) {
  assert(n > 0 && "Rng::categorical needs at least one weight");
  double total = 0;
  for (size_t i = 0; i < n; ++i) total += weights[i];
  assert(total > 0 && "Rng::categorical needs a positive total weight");
  double target = uniform() * total, acc = 0;
  for (size_t i = 0; i < n; ++i) {
    acc += weights[i];
    if (target < acc) return i;
  }
  return n - 1;  // rounding left target == total
}

}  // namespace ll
