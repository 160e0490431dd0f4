#pragma once
// Single-precision matrix product for the numeric core, one source for both targets.
//
// Eigen 3.4 has no WebAssembly SIMD kernels, so in WASM its products run on clang's
// auto-vectorisation at about half of native speed. This GEMM packs both operands into
// panels (the GotoBLAS/BLIS scheme) and runs a 6x8 register-tiled micro-kernel written with
// GCC/Clang vector extensions: 4-float vectors that compile to SSE natively and to simd128
// in WASM. Every output element is summed in the same order on both targets and for any
// thread count (no FMA contraction, work split over output tiles only), so results are
// bit-identical native vs WASM and 1 vs N threads.
namespace ll {

enum class Transpose { No, Yes };

// C[m×n] = op(A)[m×k] · op(B)[k×n]  (accumulate: C += …), all row-major.
// op(A) = A [m×k] with leading dimension lda (row stride), or Aᵀ where A is [k×m].
// Large products split their tiles over ll::compute_pool(); called from inside a pool task
// they run on the calling thread.
void gemm(Transpose trans_a, Transpose trans_b, int m, int n, int k, const float* a, int lda, const float* b,
          int ldb, float* c, int ldc, bool accumulate = false);

}  // namespace ll
