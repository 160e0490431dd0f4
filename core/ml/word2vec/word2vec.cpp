#include "ml/word2vec/word2vec.hpp"

#include <algorithm>
#include <functional>
#include <cstdlib>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>
#include <numeric>
#include <sstream>
#include <tuple>
#if LATENTLAB_THREADS
#include <thread>
#endif

#include "ml/check.hpp"

namespace ll::w2v {

namespace {

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

std::string format(const char* fmt, double a, double b = 0) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, fmt, a, b);
  return buffer;
}

// ---------------------------------------------------------------- inner loops
// Rows are `stride` floats, a multiple of 8, read and written as vectors of 4 floats (GCC and
// Clang vector extensions: SSE natively, simd128 in WASM). A dot product keeps eight
// accumulators (two vectors) summed in a fixed order, so every target gets the same bits.
typedef float f32x4 __attribute__((vector_size(16), aligned(4), may_alias));
inline f32x4 load4(const float* p) { return *reinterpret_cast<const f32x4*>(p); }
inline void store4(float* p, f32x4 v) { *reinterpret_cast<f32x4*>(p) = v; }
inline float sum_lanes(f32x4 low, f32x4 high) {
  const f32x4 s = low + high;
  return (s[0] + s[1]) + (s[2] + s[3]);
}

inline void axpy(float alpha, const float* x, float* y, int stride) {
  for (int k = 0; k < stride; k += 4) store4(y + k, load4(y + k) + alpha * load4(x + k));
}

// The rows of one SGD step go through in groups of up to kGroup output rows, each group in one
// pass over the columns: the input's values and the group's running sums stay in registers
// while each output row is read and written once (a row at a time read the input and the
// gradient again for every output row). Per element, the float operations and their order
// are those of a row at a time, so the bits are too. Rows are handed over in locals: a
// pointer array in memory would be read again after every store (the stores may alias it).
// The update takes six rows a pass: a positive and the default 5 negatives at once. Chromium,
// one thread, words/s: 1.41 M before, 1.99 / 1.90 / 2.04 M with groups of 3 / 4 / 6 for both
// the scores and the update (best of 6 pages); native 1.78 → 2.35 M.
constexpr int kGroup = 6;

// score[b] = in · outs[b] for b < G: two vectors of accumulators per row, the sum of their lanes in a fixed order.
template <int G>
void dot_group(const float* in, float* const* outs, float* score, int stride) {
  const float* u[G];
  f32x4 low[G], high[G];
  for (int b = 0; b < G; ++b) u[b] = outs[b], low[b] = high[b] = f32x4{0, 0, 0, 0};
  for (int k = 0; k < stride; k += 8) {
    const f32x4 x0 = load4(in + k), x1 = load4(in + k + 4);
    for (int b = 0; b < G; ++b) {
      low[b] = low[b] + x0 * load4(u[b] + k);
      high[b] = high[b] + x1 * load4(u[b] + k + 4);
    }
  }
  for (int b = 0; b < G; ++b) score[b] = sum_lanes(low[b], high[b]);
}

// For b < G: grad += s[b]·outs[b] (old rows; grad starts at 0 when kFirst), then
// outs[b] += s[b]·in. kIntoInput: the last group adds grad to `in` instead of storing it.
template <int G, bool kFirst, bool kIntoInput>
void update_group(float* in, float* const* outs, const float* s, float* grad, int stride) {
  float* u[G];
  f32x4 sv[G];
  for (int b = 0; b < G; ++b) u[b] = outs[b], sv[b] = f32x4{s[b], s[b], s[b], s[b]};
  for (int k = 0; k < stride; k += 4) {
    const f32x4 x = load4(in + k);
    f32x4 g = kFirst ? f32x4{0, 0, 0, 0} : load4(grad + k);
    for (int b = 0; b < G; ++b) {
      const f32x4 o = load4(u[b] + k);
      g = g + sv[b] * o;
      store4(u[b] + k, o + sv[b] * x);
    }
    if (kIntoInput) store4(in + k, x + g);
    else store4(grad + k, g);
  }
}

// Calls the group kernel of `size` rows (1..G).
template <int G>
void dot_sized(int size, const float* in, float* const* outs, float* score, int stride) {
  if constexpr (G > 1)
    if (size < G) return dot_sized<G - 1>(size, in, outs, score, stride);
  dot_group<G>(in, outs, score, stride);
}

template <int G>
void update_sized(int size, bool first, bool into_input, float* in, float* const* outs, const float* s, float* grad,
                  int stride) {
  if constexpr (G > 1)
    if (size < G) return update_sized<G - 1>(size, first, into_input, in, outs, s, grad, stride);
  if (first) {
    if (into_input) update_group<G, true, true>(in, outs, s, grad, stride);
    else update_group<G, true, false>(in, outs, s, grad, stride);
  } else {
    if (into_input) update_group<G, false, true>(in, outs, s, grad, stride);
    else update_group<G, false, false>(in, outs, s, grad, stride);
  }
}

// Scores of one input row against n output rows, three rows a pass: six rows' 12
// accumulators left V8 too few vector registers (its code spilled 4 of them every step), and
// three were faster in Chromium (median words/s 2.00 M against 1.87 M, 5 pages each) and
// the same natively.
constexpr int kDotGroup = 3;
void dot_rows(const float* in, float* const* outs, float* score, int n, int stride) {
  for (int b = 0; b < n; b += kDotGroup) dot_sized<kDotGroup>(std::min(kDotGroup, n - b), in, outs + b, score + b, stride);
}

// The SGD step of one input row against n distinct output rows, s[b] = lr·(label − p): each
// output row moves by s[b]·in (the old input), and the input by grad = Σ_b s[b]·outs[b] (the
// old rows), or grad is left for CBOW to spread over its inputs.
void update_rows(float* in, float* const* outs, const float* s, int n, float* grad, bool add_to_input, int stride) {
  if (n == 0) {
    if (!add_to_input) std::fill(grad, grad + stride, 0.0f);
    return;
  }
  for (int b = 0; b < n; b += kGroup) {
    const int size = std::min(kGroup, n - b);
    update_sized<kGroup>(size, b == 0, add_to_input && b + size == n, in, outs + b, s + b, grad, stride);
  }
}

// −log σ(x), stable for any x.
inline double neg_log_sigmoid(double x) { return x > 0 ? std::log1p(std::exp(-x)) : -x + std::log1p(std::exp(x)); }

// σ(x) and −log σ(x) interpolated linearly in a table over [−8, 8], as fastText reads σ from
// a 512-entry table: no exp or log per score in the training loop (WASM's libm calls cost
// far more than glibc's). Interpolation keeps the error under 1e-5, below the gradient
// check's tolerance; beyond ±8, σ is 0 or 1 as in word2vec.c.
struct LogisticTable {
  static constexpr float kReach = 8;
  static constexpr int kIntervals = 1024;
  static constexpr float kScale = kIntervals / (2 * kReach);
  float sigmoid[kIntervals + 1];
  float neg_log_sigmoid[kIntervals + 1];
  LogisticTable() {
    for (int i = 0; i <= kIntervals; ++i) {
      const double x = double(i) / kScale - kReach;
      sigmoid[i] = float(1 / (1 + std::exp(-x)));
      neg_log_sigmoid[i] = float(ll::w2v::neg_log_sigmoid(x));
    }
  }
};
const LogisticTable kLogistic;

inline float table_lookup(const float* table, float x) {
  const float position = (x + LogisticTable::kReach) * LogisticTable::kScale;
  const int i = int(position);
  return table[i] + (position - float(i)) * (table[i + 1] - table[i]);
}

inline float fast_sigmoid(float x) {
  if (!(x > -LogisticTable::kReach)) return 0;  // NaN too: its −log σ stays NaN, so the loss reports it
  if (x >= LogisticTable::kReach) return 1;
  return table_lookup(kLogistic.sigmoid, x);
}

inline float fast_neg_log_sigmoid(float x) {
  if (x >= LogisticTable::kReach) return 0;
  if (!(x > -LogisticTable::kReach)) return -x;
  return table_lookup(kLogistic.neg_log_sigmoid, x);
}

// NegativeTable::draw on the table's columns, inline for the trainer's loop.
inline int32_t draw_negative(const uint64_t* columns, uint32_t size, Rng& rng) {
  const uint32_t column = uint32_t((uint64_t(rng.next_u32()) * size) >> 32);
  const uint64_t entry = columns[column];
  constexpr uint64_t kThresholdMask = (uint64_t(1) << NegativeTable::kThresholdBits) - 1;
  return rng.next_u32() < (entry & kThresholdMask) ? int32_t(column) : int32_t(entry >> NegativeTable::kThresholdBits);
}

// Sub-sampling into kept[0 .. returned count): inline, so that a caller's generator can stay in registers.
inline size_t keep_sampled(const int32_t* ids, size_t n, const uint64_t* keep_threshold, Rng& rng, int32_t* kept) {
  size_t length = 0;
  for (size_t i = 0; i < n; ++i) {
    const int32_t id = ids[i];
    kept[length] = id;
    length += rng.next_u32() < keep_threshold[size_t(id)];
  }
  return length;
}

// True when no output row appears twice: a row drawn twice as a negative must see both
// updates, which only the general path (all gradients first, then all updates) gives.
bool distinct_outputs(const Example& ex) {
  if (!ex.outputs) return true;
  for (int b = 1; b < ex.n; ++b)
    for (int c = 0; c < b; ++c)
      if (ex.outputs[b] == ex.outputs[c]) return false;
  return true;
}

// Hash of a token's bytes (FNV-1a), for the corpus reader's open-addressing table.
inline uint64_t fnv1a(const char* s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; ++i) h = (h ^ uint8_t(s[i])) * 1099511628211ULL;
  return h;
}

// posix_memalign + free: Emscripten 3.1.6's aligned operator new[]/delete[] pair corrupted
// its heap (memory freed here came back overwritten in later allocations).
void free_block(float* p) { std::free(p); }

}  // namespace

// ---------------------------------------------------------------- config
const char* arch_name(Arch arch) { return arch == Arch::SkipGram ? "sg" : "cbow"; }
const char* loss_name(Loss loss) {
  return loss == Loss::NegativeSampling ? "ns" : loss == Loss::HierarchicalSoftmax ? "hs" : "softmax";
}

std::string check_config(const Config& c) {
  if (c.dim < 1 || c.dim > 1000) return format("dim %g is out of range (1..1000)", c.dim);
  if (c.window < 1 || c.window > 100) return format("window %g is out of range (1..100)", c.window);
  if (c.loss == Loss::NegativeSampling && (c.negative < 1 || c.negative > 100))
    return format("negative %g is out of range (1..100) for negative sampling", c.negative);
  if (!(c.sample >= 0 && c.sample <= 1)) return format("sample %g is out of range (0..1; 0 = off)", c.sample);
  if (c.epochs < 1 || c.epochs > 1000) return format("epochs %g is out of range (1..1000)", c.epochs);
  if (c.min_count < 1 || c.min_count > 1000000) return format("min-count %g is out of range (1..1e6)", c.min_count);
  if (c.threads < 1 || c.threads > 256) return format("threads %g is out of range (1..256)", c.threads);
  if (!(c.lr > 0 && c.lr <= 1)) return format("learning rate %g is out of range (0..1]", c.lr);
  if (!(c.negative_power >= 0 && c.negative_power <= 1))
    return format("negative-sampling power %g is out of range (0..1)", c.negative_power);
  return "";
}

// ---------------------------------------------------------------- corpus
std::string build_corpus(std::string_view text, int min_count, Corpus& out, const CorpusOptions& corpus_options) {
  const text::TextReport report = text::inspect_text(text);
  if (!report.problem.empty()) return "corpus: " + report.problem;
  if (corpus_options.strict_utf8 && report.invalid_sequences > 0) return "corpus: " + text::check_text(text);
  if (min_count < 1) return "corpus: min-count must be at least 1";

  // One pass: each distinct token gets a provisional id in order of first occurrence
  // (an open-addressing table over the token bytes, stored once in `arena`).
  std::string arena;
  std::vector<uint32_t> word_start, word_length;
  std::vector<long> seen_counts;
  std::vector<int32_t> table(1 << 16, -1);
  std::vector<int32_t> tokens;
  std::vector<uint32_t> line_end;  // token count at the end of each non-empty line
  tokens.reserve(text.size() / 6);
  auto add = [&](const char* word, size_t length) {
    const uint64_t h = fnv1a(word, length);
    size_t mask = table.size() - 1, slot = size_t(h) & mask;
    while (true) {
      const int32_t id = table[slot];
      if (id < 0) break;
      if (word_length[size_t(id)] == length && std::memcmp(arena.data() + word_start[size_t(id)], word, length) == 0) {
        tokens.push_back(id);
        ++seen_counts[size_t(id)];
        return;
      }
      slot = (slot + 1) & mask;
    }
    const int32_t id = int32_t(word_start.size());
    table[slot] = id;
    word_start.push_back(uint32_t(arena.size()));
    word_length.push_back(uint32_t(length));
    arena.append(word, length);
    seen_counts.push_back(1);
    tokens.push_back(id);
    if (word_start.size() * 2 > table.size()) {  // keep the load under 1/2
      std::vector<int32_t> bigger(table.size() * 2, -1);
      mask = bigger.size() - 1;
      for (size_t w = 0; w < word_start.size(); ++w) {
        size_t s = size_t(fnv1a(arena.data() + word_start[w], word_length[w])) & mask;
        while (bigger[s] >= 0) s = (s + 1) & mask;
        bigger[s] = int32_t(w);
      }
      table.swap(bigger);
    }
  };
  // The lessons' tokenizer (text::for_each_token), lower-cased; a line ends a training window.
  struct Reader : text::TokenSink {
    std::function<void(std::string_view)> on_token;
    std::function<void()> on_line_end;
    void token(std::string_view t) override { on_token(t); }
    void line_end() override { on_line_end(); }
  } reader;
  reader.on_token = [&](std::string_view t) {
    // Tokens past 256 bytes are cut (as the original tool cuts at MAX_STRING), at a character.
    size_t length = std::min<size_t>(t.size(), 256);
    while (length < t.size() && length > 0 && (uint8_t(t[length]) & 0xC0) == 0x80) --length;
    add(t.data(), length);
  };
  reader.on_line_end = [&] {
    if (line_end.empty() || line_end.back() != tokens.size()) line_end.push_back(uint32_t(tokens.size()));
  };
  text::TokenizeOptions options;
  options.cjk = corpus_options.cjk;
  text::for_each_token(text, options, reader);
  if (line_end.empty() || line_end.back() != tokens.size()) line_end.push_back(uint32_t(tokens.size()));
  if (tokens.empty()) return "corpus: no words (tokens are runs of letters, digits and apostrophes, in any script)";
  if (tokens.size() > size_t(UINT32_MAX - 1)) return "corpus: more than 4 billion tokens";

  // Vocabulary: stable sort by count keeps ties in order of first occurrence (as build_vocab).
  std::vector<int32_t> order(seen_counts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return seen_counts[size_t(a)] > seen_counts[size_t(b)]; });
  Corpus corpus;
  std::vector<int32_t> remap(seen_counts.size(), -1);
  for (int32_t seen : order) {
    if (seen_counts[size_t(seen)] < min_count) break;
    remap[size_t(seen)] = corpus.vocab.size();
    std::string w(arena.data() + word_start[size_t(seen)], word_length[size_t(seen)]);
    corpus.vocab.index.emplace(w, corpus.vocab.size());
    corpus.vocab.words.push_back(std::move(w));
    corpus.vocab.counts.push_back(seen_counts[size_t(seen)]);
  }
  if (corpus.vocab.size() < 2)
    return format("corpus: only %g distinct word(s) occur at least min-count = %g times; need 2 or more",
                  corpus.vocab.size(), min_count);

  corpus.raw_tokens = tokens.size();
  corpus.ids.reserve(tokens.size());
  size_t token = 0;
  for (uint32_t end : line_end) {
    uint32_t sentence_start = uint32_t(corpus.ids.size());
    for (; token < end; ++token) {
      const int32_t id = remap[size_t(tokens[token])];
      if (id < 0) continue;
      corpus.ids.push_back(id);
      if (corpus.ids.size() - sentence_start == kMaxSentence) {
        corpus.sentence_end.push_back(uint32_t(corpus.ids.size()));
        sentence_start = uint32_t(corpus.ids.size());
      }
    }
    if (corpus.ids.size() > sentence_start) corpus.sentence_end.push_back(uint32_t(corpus.ids.size()));
  }
  corpus.warning = report.warning();
  out = std::move(corpus);
  return "";
}

std::string build_corpus_from_file(const std::string& path, int min_count, Corpus& out, const CorpusOptions& options) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot open corpus '" + path + "'";
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) return "cannot read corpus '" + path + "'";
  const text::TextReport decoded = text::decode_text(bytes);  // GB18030/GBK becomes UTF-8
  if (!decoded.problem.empty()) return path + ": corpus: " + decoded.problem;
  const std::string error = build_corpus(bytes, min_count, out, options);
  if (error.empty() && decoded.converted_from_gb18030) out.warning = decoded.warning();
  return error.empty() ? "" : path + ": " + error;
}

std::string zipf_text(int words, int tokens, int line_length, uint64_t seed) {
  LL_CHECK(words > 0 && tokens >= 0 && line_length > 0, "zipf_text: words and line length must be positive");
  std::vector<double> cumulative(static_cast<size_t>(words));
  double sum = 0;
  for (int r = 0; r < words; ++r) cumulative[size_t(r)] = sum += 1.0 / (r + 1);
  Rng rng(seed);
  std::string text;
  for (int i = 0; i < tokens; ++i) {
    const double u = rng.uniform() * sum;
    const long rank = long(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
    text += "w" + std::to_string(std::min<long>(rank, words - 1)) + ((i + 1) % line_length ? " " : "\n");
  }
  return text;
}

// ---------------------------------------------------------------- tables
uint64_t keep_threshold(double probability) { return uint64_t(probability * 4294967296.0); }

double keep_probability(long count, uint64_t total, double sample) {
  if (sample <= 0 || count <= 0) return 1;
  const double threshold = sample * double(total);
  return std::min(1.0, (std::sqrt(double(count) / threshold) + 1) * threshold / double(count));
}

NegativeTable make_negative_table(const std::vector<long>& counts, double power) {
  const size_t n = counts.size();
  LL_CHECK(n > 0 && n < (size_t(1) << 31), "negative table needs 1..2^31 words");
  std::vector<double> scaled(n);
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += scaled[i] = std::pow(double(counts[i]), power);
  for (double& s : scaled) s *= double(n) / sum;  // mean 1
  // Vose's alias method: pair each under-full column with an over-full one.
  std::vector<uint64_t> threshold(n, uint64_t(1) << 32);
  std::vector<int32_t> alias(n);
  std::iota(alias.begin(), alias.end(), 0);
  std::vector<int32_t> small, large;
  for (size_t i = 0; i < n; ++i) (scaled[i] < 1 ? small : large).push_back(int32_t(i));
  while (!small.empty() && !large.empty()) {
    const int32_t s = small.back(), l = large.back();
    small.pop_back();
    threshold[size_t(s)] = uint64_t(scaled[size_t(s)] * 4294967296.0);
    alias[size_t(s)] = l;
    scaled[size_t(l)] -= 1 - scaled[size_t(s)];
    if (scaled[size_t(l)] < 1) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Columns left in either list are full up to rounding: threshold 2^32.
  NegativeTable table;
  table.columns.resize(n);
  for (size_t i = 0; i < n; ++i)
    table.columns[i] = std::min(threshold[i], uint64_t(1) << 32) | (uint64_t(alias[i]) << NegativeTable::kThresholdBits);
  return table;
}

int32_t NegativeTable::draw(Rng& rng) const { return draw_negative(columns.data(), uint32_t(columns.size()), rng); }

HuffmanTree make_huffman_tree(const std::vector<long>& counts) {
  // The original tool's construction: counts sorted descending, two queues (leaves from
  // the rare end, inner nodes in creation order) give the two smallest at each step.
  const size_t v = counts.size();
  LL_CHECK(v >= 2, "a Huffman tree needs 2 or more words");
  for (size_t i = 1; i < v; ++i) LL_CHECK(counts[i - 1] >= counts[i], "counts must be sorted descending");
  std::vector<int64_t> count(2 * v, 0);  // int64: long is 32 bits in WASM
  std::vector<int> parent(2 * v, 0);
  std::vector<uint8_t> bit(2 * v, 0);
  for (size_t i = 0; i < v; ++i) count[i] = counts[i];
  for (size_t i = v; i < 2 * v; ++i) count[i] = INT64_MAX / 4;
  long leaf = long(v) - 1, inner = long(v);
  auto take_smallest = [&] {
    if (leaf >= 0 && count[size_t(leaf)] < count[size_t(inner)]) return leaf--;
    return inner++;
  };
  for (size_t a = 0; a + 1 < v; ++a) {
    const long min1 = take_smallest(), min2 = take_smallest();
    count[v + a] = count[size_t(min1)] + count[size_t(min2)];
    parent[size_t(min1)] = int(v + a);
    parent[size_t(min2)] = int(v + a);
    bit[size_t(min2)] = 1;
  }
  HuffmanTree tree;
  tree.offset.assign(v + 1, 0);
  std::vector<int32_t> path_nodes;
  std::vector<float> path_labels;
  const size_t root = 2 * v - 2;
  for (size_t w = 0; w < v; ++w) {
    path_nodes.clear();
    path_labels.clear();
    for (size_t node = w; node != root; node = size_t(parent[node])) {
      path_nodes.push_back(int32_t(parent[node] - int(v)));  // inner node row
      path_labels.push_back(1.0f - float(bit[node]));
    }
    // Walked leaf → root; the model reads root → leaf.
    tree.points.insert(tree.points.end(), path_nodes.rbegin(), path_nodes.rend());
    tree.labels.insert(tree.labels.end(), path_labels.rbegin(), path_labels.rend());
    tree.offset[w + 1] = uint32_t(tree.points.size());
    tree.max_depth = std::max(tree.max_depth, int(path_nodes.size()));
  }
  return tree;
}

void subsample(const int32_t* ids, size_t n, const uint64_t* keep_threshold, Rng& rng, std::vector<int32_t>& kept) {
  kept.resize(n);
  kept.resize(keep_sampled(ids, n, keep_threshold, rng, kept.data()));
}

int window_contexts(const int32_t* sentence, int length, int i, int reach, int32_t* contexts) {
  int m = 0;
  for (int j = std::max(0, i - reach); j <= std::min(length - 1, i + reach); ++j)
    if (j != i) contexts[m++] = sentence[j];
  return m;
}

// ---------------------------------------------------------------- model
Model make_model(int vocab, int dim, int rows_out, Rng& rng) {
  LL_CHECK(vocab > 0 && dim > 0 && rows_out > 0, "model sizes must be positive");
  Model m;
  m.vocab = vocab;
  m.dim = dim;
  m.stride = (dim + 7) / 8 * 8;
  m.rows_out = rows_out;
  const size_t total = size_t(vocab + rows_out) * size_t(m.stride);
  void* raw = nullptr;
  LL_CHECK(posix_memalign(&raw, 64, total * sizeof(float)) == 0, "out of memory for the word vectors");
  m.block = std::unique_ptr<float[], void (*)(float*)>(static_cast<float*>(raw), free_block);
  m.input = m.block.get();
  m.output = m.input + size_t(vocab) * size_t(m.stride);
  std::fill(m.input, m.input + total, 0.0f);
  for (int w = 0; w < vocab; ++w)
    for (int k = 0; k < dim; ++k) m.input[size_t(w) * size_t(m.stride) + size_t(k)] = (2 * rng.uniform_f() - 1) / float(dim);
  return m;
}

void Scratch::reserve(int max_inputs, int max_outputs, int stride) {
  scores.assign(size_t(max_inputs) * size_t(max_outputs), 0.0f);
  output_rows.assign(size_t(max_outputs), nullptr);
  grad_in.assign(size_t(max_inputs) * size_t(stride), 0.0f);
  hidden.assign(size_t(stride), 0.0f);
}

double train_example(Model& model, const Example& ex, float lr, Scratch& scratch, bool with_loss) {
  const int stride = model.stride, n = ex.n;
  // CBOW scores one hidden row, the mean of the inputs.
  const float* rows_local[1];
  const float* const* rows = const_cast<const float* const*>(ex.inputs);
  int m = ex.m;
  if (ex.average_inputs) {
    float* h = scratch.hidden.data();
    std::fill(h, h + stride, 0.0f);
    for (int a = 0; a < ex.m; ++a) axpy(1.0f, ex.inputs[a], h, stride);
    const float inv = 1.0f / float(ex.m);
    for (int k = 0; k < stride; ++k) h[k] *= inv;
    rows_local[0] = h;
    rows = rows_local;
    m = 1;
  }
  auto out_row = [&](int b) {
    return model.output + size_t(ex.outputs ? ex.outputs[b] : b) * size_t(stride);
  };
  float** outs = scratch.output_rows.data();
  for (int b = 0; b < n; ++b) outs[b] = out_row(b);
  float* score = scratch.scores.data();  // [m × n] scores, then lr·(label − p)
  for (int a = 0; a < m; ++a) dot_rows(rows[a], outs, score + a * n, n, stride);
  double loss = 0;
  for (int a = 0; a < m; ++a) {
    float* s = score + a * n;
    if (ex.softmax) {
      float top = s[0];
      for (int b = 1; b < n; ++b) top = std::max(top, s[b]);
      double sum = 0;
      for (int b = 0; b < n; ++b) sum += std::exp(double(s[b] - top));
      for (int b = 0; b < n; ++b) {
        const double log_p = double(s[b] - top) - std::log(sum);
        if (ex.labels[b] > 0) loss -= log_p;
        s[b] = lr * float(ex.labels[b] - std::exp(log_p));
      }
    } else {
      for (int b = 0; b < n; ++b) {
        const float f = s[b], p = fast_sigmoid(f);
        if (with_loss) loss += fast_neg_log_sigmoid(ex.labels[b] > 0 ? f : -f);
        s[b] = lr * (ex.labels[b] - p);
      }
    }
  }
  float* grad_in = scratch.grad_in.data();
  if (m == 1 && !ex.softmax && distinct_outputs(ex)) {
    if (ex.average_inputs) {
      update_rows(scratch.hidden.data(), outs, score, n, grad_in, false, stride);
      for (int a = 0; a < ex.m; ++a) axpy(1.0f, grad_in, ex.inputs[a], stride);
    } else {
      update_rows(ex.inputs[0], outs, score, n, grad_in, true, stride);
    }
    return loss;
  }
  // Input gradients from the old outputs, then the outputs' update from the old inputs.
  for (int a = 0; a < m; ++a) {
    float* g = grad_in + size_t(a) * size_t(stride);
    std::fill(g, g + stride, 0.0f);
    for (int b = 0; b < n; ++b) axpy(score[a * n + b], out_row(b), g, stride);
  }
  for (int b = 0; b < n; ++b) {
    float* u = out_row(b);
    for (int a = 0; a < m; ++a) axpy(score[a * n + b], rows[a], u, stride);
  }
  if (ex.average_inputs) {
    for (int a = 0; a < ex.m; ++a) axpy(1.0f, grad_in, ex.inputs[a], stride);
  } else {
    for (int a = 0; a < m; ++a) axpy(1.0f, grad_in + size_t(a) * size_t(stride), ex.inputs[a], stride);
  }
  return loss;
}

double example_loss(const Model& model, const Example& ex) {
  const int dim = model.dim, stride = model.stride;
  std::vector<std::vector<double>> rows;
  if (ex.average_inputs) {
    std::vector<double> h(size_t(dim), 0.0);
    for (int a = 0; a < ex.m; ++a)
      for (int k = 0; k < dim; ++k) h[size_t(k)] += double(ex.inputs[a][k]) / ex.m;
    rows.push_back(h);
  } else {
    for (int a = 0; a < ex.m; ++a) rows.emplace_back(ex.inputs[a], ex.inputs[a] + dim);
  }
  double loss = 0;
  std::vector<double> s(size_t(ex.n));
  for (const std::vector<double>& v : rows) {
    for (int b = 0; b < ex.n; ++b) {
      const float* u = model.output + size_t(ex.outputs ? ex.outputs[b] : b) * size_t(stride);
      double d = 0;
      for (int k = 0; k < dim; ++k) d += v[size_t(k)] * double(u[k]);
      s[size_t(b)] = d;
    }
    if (ex.softmax) {
      const double top = *std::max_element(s.begin(), s.end());
      double sum = 0;
      for (double x : s) sum += std::exp(x - top);
      for (int b = 0; b < ex.n; ++b)
        if (ex.labels[b] > 0) loss -= s[size_t(b)] - top - std::log(sum);
    } else {
      for (int b = 0; b < ex.n; ++b) loss += neg_log_sigmoid(ex.labels[b] > 0 ? s[size_t(b)] : -s[size_t(b)]);
    }
  }
  return loss;
}

// ---------------------------------------------------------------- training
namespace {

constexpr uint64_t kPublishWords = 10000;  // words between updates of the shared counters
constexpr uint64_t kChunkWords = 10000;    // words a worker takes at a time (whole sentences)

struct Worker {
  uint32_t sentence = 0, chunk_end = 0;  // what is left of the chunk it holds
  Rng rng;
  Scratch scratch;
  std::vector<int32_t> kept;          // the current sentence after sub-sampling
  std::vector<int32_t> context_ids;   // [2·window] the current window's context words
  std::vector<float*> context_rows;   // [2·window] their input rows (CBOW)
  std::vector<int32_t> output_ids;    // [max outputs] rows of Model::output in one example
  std::vector<float> labels;          // [max outputs]
  uint64_t unpublished_words = 0;  // not yet added to Trainer::words_done
  uint64_t since_lr_update = 0;    // words since the learning rate was last lowered
  float lr = -1;                   // current learning rate (< 0: not started)
  uint64_t windows = 0;
  double loss_sum = 0;
  uint64_t loss_examples = 0;
  std::atomic<double> recent_loss{0};
};

}  // namespace

struct Trainer {
  Config config;
  CorpusPtr corpus;
  Model model;
  std::vector<uint64_t> keep_threshold;  // [V] keep a word if a u32 draw is below
  NegativeTable negatives;
  HuffmanTree tree;
  std::vector<std::unique_ptr<Worker>> workers;
  // Each worker's shard (an equal share of the words, whole lines) in chunks of about
  // kChunkWords words. Lane w holds shard w's chunks for every epoch, in order: its worker
  // takes them from the front, and a worker whose lane is empty takes from the back of
  // another's, so that the workers end together.
  struct Lane {
    size_t first_chunk = 0, chunks = 0;  // its shard: chunks[first_chunk .. + chunks)
    std::atomic<uint64_t> span{0};       // what is left of epochs × chunks: front | back << 32
  };
  std::vector<std::pair<uint32_t, uint32_t>> chunks;  // sentences [first, end), shard by shard
  std::vector<Lane> lanes;                            // [threads]
  uint64_t chunks_total = 0;                          // over all epochs
  std::atomic<uint64_t> chunks_done{0};
  uint64_t words_total = 0;
  std::atomic<uint64_t> words_done{0};
  std::atomic<bool> stop{false}, diverged{false};
  std::atomic<double> seconds_before{0};  // training time of finished runs
  std::atomic<double> run_started{0};     // start of the run in progress, 0 when idle
  std::atomic<double> run_ended{0};       // when its last thread ended, 0 while any runs
  size_t next_slice_worker = 0;          // train_for's round robin
#if LATENTLAB_THREADS
  std::vector<std::thread> threads;      // start_workers' threads, until join_workers
  std::atomic<int> running_threads{0};
#endif
};

void TrainerDeleter::operator()(Trainer* t) const {
#if LATENTLAB_THREADS
  request_stop(*t);
  join_workers(*t);
#endif
  delete t;
}

TrainerPtr make_trainer(Corpus corpus, const Config& config, std::string& error) {
  return make_trainer(std::make_shared<const Corpus>(std::move(corpus)), config, error);
}

TrainerPtr make_trainer(CorpusPtr shared, const Config& config, std::string& error) {
  LL_CHECK(shared != nullptr, "make_trainer: no corpus");
  error = check_config(config);
  if (!error.empty()) return nullptr;
  const Corpus& corpus = *shared;
  const int v = corpus.vocab.size();
  if (v < 2 || corpus.ids.empty()) {
    error = "the corpus has fewer than 2 words in its vocabulary";
    return nullptr;
  }
  if (config.loss == Loss::NegativeSampling && v <= config.negative) {
    error = format("a vocabulary of %g words is too small for %g negatives per example", v, config.negative);
    return nullptr;
  }
  if (corpus.ids.size() < size_t(2 * config.window + 1)) {
    error = format("the corpus has %g words after min-count; a window of %g needs at least 2·window + 1",
                   double(corpus.ids.size()), config.window);
    return nullptr;
  }
  if (config.loss == Loss::Softmax && v > 50000) {
    error = format("the full softmax costs the whole vocabulary per example; %g words is too many (max 50000)", v);
    return nullptr;
  }
  TrainerPtr t(new Trainer);
  t->config = config;
  t->corpus = std::move(shared);
  const Corpus& c = *t->corpus;
  Rng init_rng(config.seed, 0x77327665);
  const int rows_out = config.loss == Loss::HierarchicalSoftmax ? v - 1 : v;
  t->model = make_model(v, config.dim, rows_out, init_rng);
  t->keep_threshold.resize(size_t(v));
  // Frequencies relative to every token read plus one end-of-sentence token per sentence,
  // as both reference tools count them (their "</s>"): rare words and line ends dilute f.
  const uint64_t total = c.raw_tokens + c.sentence_end.size();
  for (int w = 0; w < v; ++w)
    t->keep_threshold[size_t(w)] = keep_threshold(keep_probability(c.vocab.counts[size_t(w)], total, config.sample));
  if (config.loss == Loss::NegativeSampling) t->negatives = make_negative_table(c.vocab.counts, config.negative_power);
  if (config.loss == Loss::HierarchicalSoftmax) t->tree = make_huffman_tree(c.vocab.counts);
  t->words_total = uint64_t(config.epochs) * c.ids.size();

  // One example scores one target: with its negatives, or along its Huffman path.
  const int max_inputs = 2 * config.window;
  const int max_outputs = config.loss == Loss::NegativeSampling ? config.negative + 1
                          : config.loss == Loss::HierarchicalSoftmax ? t->tree.max_depth
                                                                     : v;
  // Shards of equal word counts (as fastText splits its file by size), not of equal sentence
  // counts: with lines of uneven length (short dictionary lines after long glosses) the two
  // halves of the vocabulary would get their last updates at different learning rates. Each
  // worker trains its own shard, so the threads train distant parts of the corpus at once:
  // handed out in corpus order, chunks put both threads on the same rare words of this
  // alphabetical dictionary text, and the lost Hogwild updates cost about 1.8 points of
  // analogy accuracy (./lab bench word2vec 5: a median 20.04 % against 21.83 %). Taking
  // chunks from the back of another's lane only at the end, a worker slowed down (on the
  // page, by the drawing on the same cores) no longer leaves the other to train alone.
  const uint32_t sentences = uint32_t(c.sentence_end.size());
  auto shard_start = [&](int w) -> uint32_t {
    if (w == 0) return 0;
    if (w == config.threads) return sentences;
    const uint64_t target = uint64_t(c.ids.size()) * uint64_t(w) / uint64_t(config.threads);
    // The first sentence that starts at or after `target` words.
    const size_t before = size_t(std::lower_bound(c.sentence_end.begin(), c.sentence_end.end(), target) - c.sentence_end.begin());
    return uint32_t(std::min<size_t>(before + 1, sentences));
  };
  t->lanes = std::vector<Trainer::Lane>(size_t(config.threads));
  for (int w = 0; w < config.threads; ++w) {
    const uint32_t first = shard_start(w), end = std::max(first, shard_start(w + 1));
    Trainer::Lane& lane = t->lanes[size_t(w)];
    lane.first_chunk = t->chunks.size();
    for (uint32_t begin = first, sentence = first; sentence < end; ++sentence) {
      const uint32_t words = c.sentence_end[sentence] - (begin == 0 ? 0 : c.sentence_end[begin - 1]);
      if (words >= kChunkWords || sentence + 1 == end) {
        t->chunks.emplace_back(begin, sentence + 1);
        begin = sentence + 1;
      }
    }
    lane.chunks = t->chunks.size() - lane.first_chunk;
    lane.span = uint64_t(config.epochs) * lane.chunks << 32;
  }
  t->chunks_total = uint64_t(config.epochs) * t->chunks.size();
  uint32_t longest_sentence = 0;
  for (uint32_t s = 0; s < sentences; ++s)
    longest_sentence = std::max(longest_sentence, c.sentence_end[s] - (s == 0 ? 0 : c.sentence_end[s - 1]));
  for (int w = 0; w < config.threads; ++w) {
    auto worker = std::make_unique<Worker>();
    worker->rng.reseed(config.seed, 0x1000 + uint64_t(w));
    worker->scratch.reserve(max_inputs, max_outputs, t->model.stride);
    worker->kept.resize(longest_sentence);  // sub-sampling writes each word before it decides
    worker->context_rows.resize(size_t(max_inputs));
    worker->context_ids.resize(size_t(max_inputs));
    worker->output_ids.resize(size_t(max_outputs));
    worker->labels.assign(size_t(max_outputs), 0.0f);
    t->workers.push_back(std::move(worker));
  }
  return t;
}

const Config& trainer_config(const Trainer& t) { return t.config; }
const Corpus& trainer_corpus(const Trainer& t) { return *t.corpus; }
const CorpusPtr& shared_corpus(const Trainer& t) { return t.corpus; }
const Model& trainer_model(const Trainer& t) { return t.model; }
Model& trainer_model(Trainer& t) { return t.model; }
int trainer_workers(const Trainer& t) { return int(t.workers.size()); }
void request_stop(Trainer& t) { t.stop = true; }

bool finished(const Trainer& t) { return t.diverged || t.chunks_done == t.chunks_total; }

Progress progress(const Trainer& t) {
  Progress p;
  p.words_total = t.words_total;
  p.words_done = std::min(t.words_done.load(), t.words_total);
  p.fraction = t.words_total ? double(p.words_done) / double(t.words_total) : 1;
  const double started = t.run_started.load(), ended = t.run_ended.load();
  const double run_seconds = started > 0 ? (ended > 0 ? ended : now_seconds()) - started : 0;
  p.seconds = t.seconds_before.load() + run_seconds;
  p.words_per_second = p.seconds > 0 ? double(p.words_done) / p.seconds : 0;
  double loss = 0;
  int reporting = 0;
  for (const auto& w : t.workers) {
    const double l = w->recent_loss.load();
    if (l != 0) loss += l, ++reporting;
  }
  p.loss = reporting ? loss / reporting : 0;
  p.eta_seconds = p.words_per_second > 0 ? double(p.words_total - p.words_done) / p.words_per_second : 0;
  p.lr = float(t.config.lr * std::max(1.0 - p.fraction, 1e-4));
  p.diverged = t.diverged;
  p.finished = finished(t);
  return p;
}

namespace {

void publish(Trainer& t, Worker& w) {
  t.words_done += w.unpublished_words;
  w.unpublished_words = 0;
  if (w.loss_examples > 0) {
    const double mean = w.loss_sum / double(w.loss_examples);
    if (!std::isfinite(mean)) {
      t.diverged = true;
      t.stop = true;
    }
    w.recent_loss = mean;
    w.loss_sum = 0;
    w.loss_examples = 0;
  }
}

// One sentence for worker w: sub-sample, then SGD steps window by window.
// Skip-gram: the centre's input row predicts each context word (with its own negatives, or
// along its Huffman path); CBOW: the mean of the contexts' rows predicts the centre.
void train_sentence(Trainer& t, Worker& w, uint32_t sentence, float lr) {
  const Config& c = t.config;
  const Corpus& corpus = *t.corpus;
  const uint32_t begin = sentence == 0 ? 0 : corpus.sentence_end[sentence - 1], end = corpus.sentence_end[sentence];
  // The generator and counters live in locals for the sentence: as the worker's members they
  // would go to memory at every draw (the negative table's loads might alias them).
  Rng rng = w.rng;
  uint64_t windows = w.windows;
  int32_t* kept = w.kept.data();  // [longest sentence]
  const int length = int(keep_sampled(corpus.ids.data() + begin, end - begin, t.keep_threshold.data(), rng, kept));
  w.unpublished_words += end - begin;
  const int stride = t.model.stride;
  float* const input = t.model.input;
  const bool skip_gram = c.arch == Arch::SkipGram;
  int32_t* ids = w.output_ids.data();
  float* labels = w.labels.data();
  const uint64_t* negative_columns = t.negatives.columns.data();
  const uint32_t negative_words = uint32_t(t.negatives.columns.size());
  const int negatives = c.negative;
  // Writes the outputs that score `target` as the positive, the word and its negatives or its
  // Huffman path, and returns how many.
  auto add_target = [&](int32_t target) __attribute__((always_inline)) {
    int n = 0;
    if (c.loss == Loss::NegativeSampling) {
      ids[n] = target;
      labels[n++] = 1;
      for (int k = 0; k < negatives; ++k) {
        int32_t negative = draw_negative(negative_columns, negative_words, rng);
        for (int retry = 0; negative == target && retry < 16; ++retry)
          negative = draw_negative(negative_columns, negative_words, rng);
        ids[n] = negative;
        labels[n++] = 0;
      }
    } else {
      for (uint32_t p = t.tree.offset[size_t(target)]; p < t.tree.offset[size_t(target) + 1]; ++p) {
        ids[n] = t.tree.points[p];
        labels[n++] = t.tree.labels[p];
      }
    }
    return n;
  };
  for (int i = 0; i < length; ++i) {
    const int32_t centre = kept[i];
    const int reach = c.window - int(rng.below(uint32_t(c.window)));
    Example ex;
    int32_t* contexts = w.context_ids.data();
    const int m = window_contexts(kept, length, i, reach, contexts);
    if (m == 0) continue;
    auto gather_rows = [&] {
      for (int a = 0; a < m; ++a) w.context_rows[size_t(a)] = input + size_t(contexts[a]) * size_t(stride);
      ex.inputs = w.context_rows.data();
      ex.m = m;
      ex.average_inputs = true;
    };
    float* centre_row[1] = {input + size_t(centre) * size_t(stride)};
    double loss = 0;
    int examples = 0;
    const bool with_loss = (++windows & 3) == 0;  // the loss of one window in 4 (it costs a log per score)
    if (c.loss == Loss::Softmax) {
      // One distribution over the vocabulary per (input, target): skip-gram has one per
      // context word, CBOW one for the centre.
      ex.softmax = true;
      ex.n = t.model.rows_out;
      ex.labels = labels;
      if (skip_gram) {
        ex.inputs = centre_row;
        ex.m = 1;
        for (int a = 0; a < m; ++a) {
          labels[contexts[a]] = 1;
          loss += train_example(t.model, ex, lr, w.scratch, with_loss);
          labels[contexts[a]] = 0;
          ++examples;
        }
      } else {
        gather_rows();
        labels[centre] = 1;
        loss = train_example(t.model, ex, lr, w.scratch, with_loss);
        labels[centre] = 0;
        examples = 1;
      }
    } else {
      ex.outputs = ids;
      ex.labels = labels;
      if (skip_gram) {
        // One step per (centre, context) pair, in window order, as fastText does.
        ex.inputs = centre_row;
        ex.m = 1;
        for (int a = 0; a < m; ++a) {
          ex.n = add_target(contexts[a]);
          loss += train_example(t.model, ex, lr, w.scratch, with_loss);
        }
        examples = m;
      } else {
        gather_rows();
        ex.n = add_target(centre);
        loss = train_example(t.model, ex, lr, w.scratch, with_loss);
        examples = 1;
      }
    }
    if (with_loss) {
      w.loss_sum += loss / examples;
      ++w.loss_examples;
    }
  }
  w.rng = rng;
  w.windows = windows;
}

// Gives worker `worker` its next chunk: the front of its own lane, else the back of another
// (the last epoch's end of that shard, far from where its owner is). False when none is left.
bool take_chunk(Trainer& t, int worker, Worker& w) {
  const size_t lanes = t.lanes.size();
  for (size_t k = 0; k < lanes; ++k) {
    Trainer::Lane& lane = t.lanes[(size_t(worker) + k) % lanes];
    uint64_t span = lane.span.load();
    while (uint32_t(span) < uint32_t(span >> 32)) {
      const bool own = k == 0;
      if (!lane.span.compare_exchange_weak(span, own ? span + 1 : span - (uint64_t(1) << 32))) continue;
      const uint32_t taken = own ? uint32_t(span) : uint32_t(span >> 32) - 1;
      std::tie(w.sentence, w.chunk_end) = t.chunks[lane.first_chunk + taken % lane.chunks];
      return true;
    }
  }
  return false;
}

}  // namespace

uint64_t train_worker(Trainer& t, int worker, uint64_t max_words) {
  LL_CHECK(worker >= 0 && worker < int(t.workers.size()), "worker index out of range");
  Worker& w = *t.workers[size_t(worker)];
  // The rate is lowered every kPublishWords of this worker's words, wherever calls start and
  // end, so one worker trained in slices follows exactly the schedule of one long call.
  auto current_lr = [&t] {
    return float(t.config.lr * std::max(1.0 - double(t.words_done.load()) / (double(t.words_total) + 1), 1e-4));
  };
  if (w.lr < 0) w.lr = current_lr();
  uint64_t done = 0;
  while (done < max_words && !t.stop) {
    if (w.sentence == w.chunk_end && !take_chunk(t, worker, w)) break;
    const uint32_t s = w.sentence;
    const uint32_t words = t.corpus->sentence_end[s] - (s == 0 ? 0 : t.corpus->sentence_end[s - 1]);
    train_sentence(t, w, s, w.lr);
    done += words;
    w.since_lr_update += words;
    if (++w.sentence == w.chunk_end) ++t.chunks_done;
    if (w.since_lr_update >= kPublishWords) {
      publish(t, w);
      w.since_lr_update = 0;
      w.lr = current_lr();
    }
  }
  publish(t, w);
  return done;
}

uint64_t train_for(Trainer& t, double seconds) {
  const double start = now_seconds();
  t.stop = t.diverged.load();
  uint64_t done = 0;
  const size_t workers = t.workers.size();
  while (!finished(t) && !t.stop) {
    done += train_worker(t, int(t.next_slice_worker), 2000);
    t.next_slice_worker = (t.next_slice_worker + 1) % workers;
    if (now_seconds() - start >= seconds) break;
  }
  t.seconds_before = t.seconds_before.load() + (now_seconds() - start);
  return done;
}

#if LATENTLAB_THREADS
void start_workers(Trainer& t) {
  LL_CHECK(t.threads.empty(), "start_workers: the previous run's threads were not joined");
  t.stop = t.diverged.load();
  t.run_ended = 0;
  t.running_threads = int(t.workers.size());
  t.run_started = now_seconds();
  for (int w = 0; w < int(t.workers.size()); ++w)
    t.threads.emplace_back([&t, w] {
      train_worker(t, w, UINT64_MAX);
      // The last thread to end stops the run's clock, to the microsecond whoever polls it.
      if (--t.running_threads == 0) t.run_ended = now_seconds();
    });
}

bool workers_running(const Trainer& t) { return t.running_threads > 0; }

void join_workers(Trainer& t) {
  if (t.threads.empty()) return;
  for (std::thread& th : t.threads) th.join();
  t.threads.clear();
  t.seconds_before = t.seconds_before.load() + (t.run_ended.load() - t.run_started.load());
  t.run_started = 0;
  t.run_ended = 0;
}
#endif

void train_in_threads(Trainer& t, const std::function<void(const Progress&)>& on_progress, double period) {
#if LATENTLAB_THREADS
  start_workers(t);
  while (workers_running(t)) {
    const double until = now_seconds() + period;
    while (workers_running(t) && now_seconds() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (on_progress) on_progress(progress(t));
  }
  join_workers(t);
#else
  t.stop = t.diverged.load();
  t.run_started = now_seconds();
  double next_report = now_seconds() + period;
  while (!finished(t) && !t.stop) {
    for (int w = 0; w < int(t.workers.size()); ++w) train_worker(t, w, 20000);
    if (on_progress && now_seconds() >= next_report) {
      on_progress(progress(t));
      next_report = now_seconds() + period;
    }
  }
  t.seconds_before = t.seconds_before.load() + (now_seconds() - t.run_started.load());
  t.run_started = 0;
#endif
  if (on_progress) on_progress(progress(t));
}

}  // namespace ll::w2v
