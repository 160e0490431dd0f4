#include "ml/gemm.hpp"

#include <algorithm>
#include <vector>

#include "ml/check.hpp"
#include "ml/thread_pool.hpp"

namespace ll {

namespace {

typedef float f32x4 __attribute__((vector_size(16)));
// The same vector read from memory aligned only to a float (packed panels, rows of C).
typedef float f32x4_unaligned __attribute__((vector_size(16), aligned(4)));

f32x4 load4(const float* p) { return *reinterpret_cast<const f32x4_unaligned*>(p); }
void store4(float* p, f32x4 v) { *reinterpret_cast<f32x4_unaligned*>(p) = v; }

// Register tile: 6 rows × 8 columns = 12 vector accumulators, which with two B vectors and
// one broadcast A value fit the 16 registers of SSE (and of V8's simd128 on x86-64).
constexpr int kTileRows = 6;
constexpr int kTileCols = 8;
// Cache blocks: a packed A block (kBlockRows × kBlockDepth) stays in L2, one packed B
// panel (kBlockDepth × kTileCols) in L1. kTaskCols bounds the columns of one pool task.
constexpr int kBlockRows = 120;
constexpr int kBlockDepth = 256;
constexpr int kBlockCols = 2048;
constexpr int kTaskCols = 256;
// Below this many multiply-adds a product runs on the calling thread.
constexpr double kParallelWork = 1 << 18;

int round_up(int n, int multiple) { return (n + multiple - 1) / multiple * multiple; }

// op(A)[i, p] and op(B)[p, j] for the two storage orders.
struct Operand {
  const float* data;
  int ld;
  bool transposed;
};

// Packs op(A)[i0 : i0+rows, p0 : p0+depth] as panels of kTileRows rows, each stored
// depth-major (kTileRows values per p), rows past the end zero-filled.
void pack_a(const Operand& a, int i0, int rows, int p0, int depth, float* out) {
  for (int panel = 0; panel < rows; panel += kTileRows, out += size_t(kTileRows) * depth) {
    const int live = std::min(kTileRows, rows - panel);
    if (live < kTileRows) std::fill_n(out, size_t(kTileRows) * depth, 0.0f);
    // Walk the source along its contiguous dimension; the scattered side is the small panel.
    if (a.transposed) {
      for (int p = 0; p < depth; ++p) {
        const float* src = a.data + size_t(p0 + p) * a.ld + i0 + panel;
        for (int i = 0; i < live; ++i) out[p * kTileRows + i] = src[i];
      }
    } else {
      for (int i = 0; i < live; ++i) {
        const float* src = a.data + size_t(i0 + panel + i) * a.ld + p0;
        for (int p = 0; p < depth; ++p) out[p * kTileRows + i] = src[p];
      }
    }
  }
}

// Packs op(B)[p0 : p0+depth, j0 : j0+cols] as panels of kTileCols columns, each stored
// depth-major (kTileCols values per p), columns past the end zero-filled.
void pack_b(const Operand& b, int p0, int depth, int j0, int cols, float* out) {
  for (int panel = 0; panel < cols; panel += kTileCols, out += size_t(kTileCols) * depth) {
    const int live = std::min(kTileCols, cols - panel);
    if (live < kTileCols) std::fill_n(out, size_t(kTileCols) * depth, 0.0f);
    if (b.transposed) {
      for (int j = 0; j < live; ++j) {
        const float* src = b.data + size_t(j0 + panel + j) * b.ld + p0;
        for (int p = 0; p < depth; ++p) out[p * kTileCols + j] = src[p];
      }
    } else {
      for (int p = 0; p < depth; ++p) {
        const float* src = b.data + size_t(p0 + p) * b.ld + j0 + panel;
        for (int j = 0; j < live; ++j) out[p * kTileCols + j] = src[j];
      }
    }
  }
}

// tile[6×8] (row stride ldt) = or += packed A panel · packed B panel over `depth`.
void micro_kernel(int depth, const float* a, const float* b, float* tile, int ldt, bool accumulate) {
  f32x4 acc[kTileRows][2] = {};
  for (int p = 0; p < depth; ++p) {
    const f32x4 b0 = load4(b), b1 = load4(b + 4);
    for (int i = 0; i < kTileRows; ++i) {
      acc[i][0] += b0 * a[i];
      acc[i][1] += b1 * a[i];
    }
    a += kTileRows;
    b += kTileCols;
  }
  for (int i = 0; i < kTileRows; ++i) {
    float* row = tile + size_t(i) * ldt;
    if (accumulate) {
      store4(row, load4(row) + acc[i][0]);
      store4(row + 4, load4(row + 4) + acc[i][1]);
    } else {
      store4(row, acc[i][0]);
      store4(row + 4, acc[i][1]);
    }
  }
}

// C[rows × cols] (=|+=) packed A block · packed B block; partial edge tiles go through a
// scratch tile so the kernel always writes a full 6×8.
void block_product(int rows, int cols, int depth, const float* packed_a, const float* packed_b, float* c, int ldc,
                   bool accumulate) {
  for (int j = 0; j < cols; j += kTileCols) {
    const float* b_panel = packed_b + size_t(j / kTileCols) * kTileCols * depth;
    const int live_cols = std::min(kTileCols, cols - j);
    for (int i = 0; i < rows; i += kTileRows) {
      const float* a_panel = packed_a + size_t(i / kTileRows) * kTileRows * depth;
      const int live_rows = std::min(kTileRows, rows - i);
      float* out = c + size_t(i) * ldc + j;
      if (live_rows == kTileRows && live_cols == kTileCols) {
        micro_kernel(depth, a_panel, b_panel, out, ldc, accumulate);
        continue;
      }
      float scratch[kTileRows * kTileCols];
      micro_kernel(depth, a_panel, b_panel, scratch, kTileCols, false);
      for (int r = 0; r < live_rows; ++r)
        for (int q = 0; q < live_cols; ++q) {
          float& dst = out[size_t(r) * ldc + q];
          dst = accumulate ? dst + scratch[r * kTileCols + q] : scratch[r * kTileCols + q];
        }
    }
  }
}

// Packing buffers, one set per thread, grown on demand and reused.
std::vector<float>& packed_a_buffer() {
  thread_local std::vector<float> buffer;
  return buffer;
}
std::vector<float>& packed_b_buffer() {
  thread_local std::vector<float> buffer;
  return buffer;
}

}  // namespace

void gemm(Transpose trans_a, Transpose trans_b, int m, int n, int k, const float* a, int lda, const float* b,
          int ldb, float* c, int ldc, bool accumulate) {
  LL_CHECK(m >= 0 && n >= 0 && k >= 0, "gemm: sizes must be non-negative");
  LL_CHECK(ldc >= n, "gemm: ldc must be at least n");
  LL_CHECK(lda >= (trans_a == Transpose::No ? k : m), "gemm: lda too small for op(A)");
  LL_CHECK(ldb >= (trans_b == Transpose::No ? n : k), "gemm: ldb too small for op(B)");
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate)
      for (int i = 0; i < m; ++i) std::fill_n(c + size_t(i) * ldc, n, 0.0f);
    return;
  }
  const Operand op_a{a, lda, trans_a == Transpose::Yes}, op_b{b, ldb, trans_b == Transpose::Yes};
  const bool parallel = double(m) * n * k >= kParallelWork;
  for (int j0 = 0; j0 < n; j0 += kBlockCols) {
    const int cols = std::min(kBlockCols, n - j0);
    for (int p0 = 0; p0 < k; p0 += kBlockDepth) {
      const int depth = std::min(kBlockDepth, k - p0);
      const bool add = accumulate || p0 > 0;
      std::vector<float>& packed_b = packed_b_buffer();
      packed_b.resize(size_t(round_up(cols, kTileCols)) * depth);
      pack_b(op_b, p0, depth, j0, cols, packed_b.data());
      // Tasks: row blocks × column chunks of this B block; each packs its own A block.
      const int row_blocks = (m + kBlockRows - 1) / kBlockRows, col_chunks = (cols + kTaskCols - 1) / kTaskCols;
      const auto task = [&](int t) {
        const int i0 = (t / col_chunks) * kBlockRows, chunk = (t % col_chunks) * kTaskCols;
        const int rows = std::min(kBlockRows, m - i0), chunk_cols = std::min(kTaskCols, cols - chunk);
        std::vector<float>& packed_a = packed_a_buffer();
        packed_a.resize(size_t(round_up(rows, kTileRows)) * depth);
        pack_a(op_a, i0, rows, p0, depth, packed_a.data());
        block_product(rows, chunk_cols, depth, packed_a.data(), packed_b.data() + size_t(chunk) * depth,
                      c + size_t(i0) * ldc + j0 + chunk, ldc, add);
      };
      const int tasks = row_blocks * col_chunks;
      if (parallel) {
        compute_pool().parallel_for(tasks, task);
      } else {
        for (int t = 0; t < tasks; ++t) task(t);
      }
    }
  }
}

}  // namespace ll
