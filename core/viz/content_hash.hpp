#pragma once
// A 64-bit hash of drawn content, to tell a changed picture from an unchanged one every frame
// (plot textures, the canvas's redraw region). Multiply-xor over 8-byte words: a frame's data
// is a few hundred KB, so it must be cheap; it only has to make accidental equality unlikely.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ll::viz {

constexpr uint64_t kContentHashSeed = 0x6c61746e6c616221ull;

inline uint64_t hash_mix(uint64_t h, uint64_t word) {
  h = (h ^ word) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

inline uint64_t hash_bytes(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    h = hash_mix(h, word);
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p + i, n - i);
  return hash_mix(h, tail ^ (uint64_t(n) << 56));
}

}  // namespace ll::viz
