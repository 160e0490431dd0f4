#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

#include "ml/gemm.hpp"
#include "ml/rng.hpp"
#include "ml/thread_pool.hpp"

using ll::Transpose;

namespace {

std::vector<float> random_values(ll::Rng& rng, size_t n) {
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform_f() - 0.5f;
  return v;
}

// op(A)·op(B) in double, the naive way: the reference for every shape and storage order.
std::vector<double> reference_product(bool ta, bool tb, int m, int n, int k, const std::vector<float>& a, int lda,
                                      const std::vector<float>& b, int ldb) {
  std::vector<double> c(size_t(m) * n, 0.0);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double sum = 0;
      for (int p = 0; p < k; ++p) {
        const float av = ta ? a[size_t(p) * lda + i] : a[size_t(i) * lda + p];
        const float bv = tb ? b[size_t(j) * ldb + p] : b[size_t(p) * ldb + j];
        sum += double(av) * bv;
      }
      c[size_t(i) * n + j] = sum;
    }
  return c;
}

// FNV-1a over the bit patterns: equal hashes mean bit-identical floats.
uint64_t bit_hash(const std::vector<float>& v) {
  uint64_t h = 1469598103934665603ull;
  for (float x : v) {
    uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    for (int byte = 0; byte < 4; ++byte) h = (h ^ ((bits >> (8 * byte)) & 0xff)) * 1099511628211ull;
  }
  return h;
}

}  // namespace

TEST_CASE("gemm matches the naive product for every transpose, odd shapes and strides", "[gemm]") {
  ll::Rng rng(5);
  // Sizes straddle the 6×8 register tile and the 256-deep and 120-row cache blocks.
  const int shapes[][3] = {{1, 1, 1}, {5, 7, 3}, {6, 8, 256}, {13, 17, 300}, {121, 9, 40}, {7, 263, 513}};
  for (const auto& shape : shapes) {
    const int m = shape[0], n = shape[1], k = shape[2];
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb)
        for (int accumulate = 0; accumulate < 2; ++accumulate) {
          // Leading dimensions wider than the operands, as for a block of a larger matrix.
          const int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 5;
          const std::vector<float> a = random_values(rng, size_t(ta ? k : m) * lda);
          const std::vector<float> b = random_values(rng, size_t(tb ? n : k) * ldb);
          std::vector<float> c = random_values(rng, size_t(m) * ldc);
          const std::vector<float> c_before = c;
          ll::gemm(ta ? Transpose::Yes : Transpose::No, tb ? Transpose::Yes : Transpose::No, m, n, k, a.data(), lda,
                   b.data(), ldb, c.data(), ldc, accumulate == 1);
          const std::vector<double> expected = reference_product(ta, tb, m, n, k, a, lda, b, ldb);
          double worst = 0;
          for (int i = 0; i < m; ++i) {
            for (int j = 0; j < n; ++j) {
              const double want = expected[size_t(i) * n + j] + (accumulate ? c_before[size_t(i) * ldc + j] : 0.0);
              worst = std::max(worst, std::abs(c[size_t(i) * ldc + j] - want));
            }
            // The padding columns of C past n are never written.
            for (int j = n; j < ldc; ++j) REQUIRE(c[size_t(i) * ldc + j] == c_before[size_t(i) * ldc + j]);
          }
          INFO("m=" << m << " n=" << n << " k=" << k << " ta=" << ta << " tb=" << tb << " acc=" << accumulate);
          CHECK(worst < 1e-4 * std::sqrt(double(k)));
        }
  }
}

TEST_CASE("gemm with k = 0 writes zeros, or leaves C when accumulating", "[gemm]") {
  std::vector<float> c = {1, 2, 3, 4};
  ll::gemm(Transpose::No, Transpose::No, 2, 2, 0, nullptr, 0, nullptr, 2, c.data(), 2, true);
  CHECK(c == std::vector<float>{1, 2, 3, 4});
  ll::gemm(Transpose::No, Transpose::No, 2, 2, 0, nullptr, 0, nullptr, 2, c.data(), 2, false);
  CHECK(c == std::vector<float>{0, 0, 0, 0});
}

TEST_CASE("gemm is bit-identical for 1 and 3 threads and on every target", "[gemm]") {
  ll::Rng rng(17);
  const int m = 300, n = 520, k = 600;  // several row blocks, column chunks and depth blocks
  const std::vector<float> a = random_values(rng, size_t(m) * k), b = random_values(rng, size_t(k) * n);
  const int threads_before = ll::compute_threads();
  std::vector<float> c1(size_t(m) * n), c3(size_t(m) * n);
  ll::set_compute_threads(1);
  ll::gemm(Transpose::No, Transpose::No, m, n, k, a.data(), k, b.data(), n, c1.data(), n);
  ll::set_compute_threads(3);
  ll::gemm(Transpose::No, Transpose::No, m, n, k, a.data(), k, b.data(), n, c3.data(), n);
  ll::set_compute_threads(threads_before);
  CHECK(c1 == c3);
  // Pinned from the native build: the WASM build (simd128 instead of SSE) must produce the
  // very same bits, as both sum every element in the same order without FMA.
  CHECK(bit_hash(c1) == 0x821b2bfb7cee385cull);
}
