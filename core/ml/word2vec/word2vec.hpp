#pragma once
// word2vec (Mikolov et al. 2013): skip-gram and CBOW with negative sampling, hierarchical
// softmax or the full softmax, trained by SGD with a linearly decaying learning rate and
// Hogwild threads, as the original C tool does, plus a resumable API that trains for a time
// slice or a number of words and returns, for the single-thread web build and the lesson.
//
// Skip-gram as in the paper and fastText: the centre word's input vector predicts each
// context word, each (centre, context) pair one SGD step with its own negatives. Speed: the
// negatives come from an alias table (no 100M-entry table to miss in the cache), the
// sub-sampling thresholds are precomputed integers, rows are padded to a multiple of 8 floats
// and 32-byte aligned, the inner loops use 8 fixed accumulators (the same sums with SSE, AVX
// and WASM SIMD, so vectorised and deterministic), and nothing is allocated while training.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ml/rng.hpp"
#include "ml/text/tokenize.hpp"

namespace ll::w2v {

enum class Arch { SkipGram, Cbow };
enum class Loss { NegativeSampling, HierarchicalSoftmax, Softmax };

struct Config {
  Arch arch = Arch::SkipGram;
  Loss loss = Loss::NegativeSampling;
  int dim = 100;        // vector size
  int window = 5;       // max distance of a context word; each position draws 1..window
  int negative = 5;     // negatives per (centre, context) pair (negative sampling)
  double negative_power = 0.75;  // negatives drawn ∝ count^power (word2vec 0.75, fastText 0.5)
  double sample = 1e-4; // sub-sampling threshold t; 0 keeps every word
  int epochs = 5;
  int min_count = 5;    // rarer words are dropped before training
  int threads = 2;      // Hogwild workers (one shard of the corpus each)
  double lr = 0.025;    // starting learning rate, decays linearly to lr·1e-4
  uint64_t seed = 1;
};

// "" when the hyper-parameters are sane, else what is wrong with which one.
std::string check_config(const Config& config);
const char* arch_name(Arch arch);  // "sg" / "cbow"
const char* loss_name(Loss loss);  // "ns" / "hs" / "softmax"

// ---------------------------------------------------------------- corpus
// The corpus as word ids: tokens of ll::text::tokenize (lower-cased [a-z0-9'] runs), words
// below min_count dropped, each line a sentence (split every kMaxSentence tokens).
constexpr int kMaxSentence = 1000;

struct Corpus {
  text::Vocab vocab;                  // most frequent first; ties in order of first occurrence
  std::vector<int32_t> ids;           // [tokens in vocabulary] the corpus, in order
  std::vector<uint32_t> sentence_end; // [sentences] one past each sentence's last id
  uint64_t raw_tokens = 0;            // tokens before the min-count filter
  std::string warning;                // "" or what was skipped (invalid UTF-8 sequences)
};
// A corpus read once and shared, read-only, by trainers and PPMI+SVD jobs (the default corpus
// is about 2 MB of ids plus a hashed vocabulary: a copy per Train cost the UI thread time).
using CorpusPtr = std::shared_ptr<const Corpus>;

// Builds the corpus from UTF-8 text in one pass (text::for_each_token, lower-cased; no token
// strings for words already seen); `cjk` says how Chinese runs become words. A few invalid
// UTF-8 sequences are skipped and reported in Corpus::warning (text::inspect_text), or with
// strict_utf8 refused. Returns "" or a clear reason: empty, binary or mostly non-UTF-8 text,
// no word reaching min_count, a vocabulary too small to train on.
struct CorpusOptions {
  text::CjkTokens cjk = text::CjkTokens::Auto;
  bool strict_utf8 = false;
};
std::string build_corpus(std::string_view text, int min_count, Corpus& out, const CorpusOptions& options = {});
// The same from a file, which may also be GB18030/GBK: converted to UTF-8 first (text::decode_text).
std::string build_corpus_from_file(const std::string& path, int min_count, Corpus& out, const CorpusOptions& options = {});
// Synthetic text: `tokens` tokens "w0".."w<words-1>" drawn by Zipf's law (word r with weight
// 1/(r+1)), `line_length` to a line, the same for a seed on every target. For benchmarks and
// warm-ups that need a corpus of known shape without an asset.
std::string zipf_text(int words, int tokens, int line_length, uint64_t seed);

// ---------------------------------------------------------------- tables
// Probability of keeping each occurrence of word w with frequency f = count/total under
// sub-sampling threshold t, as in the original tool: min(1, (sqrt(f/t) + 1)·t/f). The trainer
// takes total = all tokens read + one end-of-sentence per sentence, as word2vec and fastText.
double keep_probability(long count, uint64_t total, double sample);

// keep_probability as a threshold on a uniform 32-bit draw (2^32 = always keep).
uint64_t keep_threshold(double probability);
// Sub-sampling of one sentence: kept = the ids whose 32-bit draw is below their threshold.
void subsample(const int32_t* ids, size_t n, const uint64_t* keep_threshold, Rng& rng, std::vector<int32_t>& kept);
// The context words of position i within `reach` (1..window, drawn per position) on each
// side, in sentence order; returns how many were written to contexts[0 .. 2·reach).
int window_contexts(const int32_t* sentence, int length, int i, int reach, int32_t* contexts);

// Negative sampling from the unigram distribution raised to 3/4, by Walker's alias method:
// O(V) memory, two random numbers per draw, exact probabilities. A column's threshold and
// alias share one 8-byte entry, so that a draw touches one cache line, not two.
struct NegativeTable {
  static constexpr int kThresholdBits = 33;  // thresholds run from 0 to 2^32 inclusive
  // [V] bits 0..32: keep the drawn column if u32 < threshold; bits 33..63: otherwise this word.
  std::vector<uint64_t> columns;
  int32_t draw(Rng& rng) const;
};
NegativeTable make_negative_table(const std::vector<long>& counts, double power = 0.75);

// Huffman tree over the counts (hierarchical softmax): word w's path is the inner nodes
// points[offset[w] .. offset[w+1]) from the root, with labels 1 − code bit.
struct HuffmanTree {
  std::vector<uint32_t> offset;  // [V + 1]
  std::vector<int32_t> points;   // inner node ids in [0, V − 1)
  std::vector<float> labels;     // 1 − code
  int max_depth = 0;
};
HuffmanTree make_huffman_tree(const std::vector<long>& counts);

// ---------------------------------------------------------------- model
// All parameters in one 32-byte-aligned block: input vectors [V × stride] (the word vectors)
// followed by output vectors [rows_out × stride]; stride = dim rounded up to 8, padding zero.
struct Model {
  int vocab = 0, dim = 0, stride = 0, rows_out = 0;
  std::unique_ptr<float[], void (*)(float*)> block{nullptr, nullptr};
  float* input = nullptr;   // [vocab × stride]
  float* output = nullptr;  // [rows_out × stride]
  const float* in_row(int w) const { return input + size_t(w) * size_t(stride); }
};
// Inputs uniform in [−1/dim, 1/dim) (fastText's init), outputs zero.
Model make_model(int vocab, int dim, int rows_out, Rng& rng);

// One training example: m input rows against n output rows with labels. Sigmoid losses
// (negative sampling, hierarchical softmax) score each (input, output) pair by
// −log σ(±u·v); the softmax loss scores each input row by −log softmax(U v)[positive] over
// all n outputs, whose labels are one-hot. The update is one SGD step on the summed loss,
// computed from the old values and then applied: outputs move by −lr·∂L/∂u and each input
// row a by −lr·∂L/∂v_a.
struct Example {
  float* const* inputs = nullptr;  // [m] rows of Model::input
  int m = 0;
  const int32_t* outputs = nullptr;  // [n] rows of Model::output, nullptr = rows 0..n-1
  const float* labels = nullptr;     // [n] 1 for the positive, 0 for negatives
  int n = 0;
  bool softmax = false;
  // CBOW: the inputs' mean is the one hidden vector h, and every input row moves by
  // −lr·∂L/∂h (the original tool's rule: m times the true gradient of each row).
  bool average_inputs = false;
};
// Scratch for train_example, sized once so that training allocates nothing.
struct Scratch {
  std::vector<float> scores;   // [m × n]
  std::vector<float> grad_in;  // [m × stride]
  std::vector<float> hidden;   // [stride] CBOW mean of the contexts
  std::vector<float*> output_rows;  // [n] the example's output rows
  void reserve(int max_inputs, int max_outputs, int stride);
};
// Applies the SGD step; returns the example's loss (0 unless with_loss: it costs a log per
// sigmoid score, so training measures it on a sample of windows).
double train_example(Model& model, const Example& ex, float lr, Scratch& scratch, bool with_loss = true);
// The same loss in double without changing anything (gradient checks, tests).
double example_loss(const Model& model, const Example& ex);

// ---------------------------------------------------------------- training
struct Progress {
  uint64_t words_done = 0, words_total = 0;  // over all epochs
  double fraction = 0;                       // words_done / words_total
  double seconds = 0;                        // training time so far
  double words_per_second = 0;               // over all workers
  double loss = 0;                           // recent mean loss per example
  double eta_seconds = 0;
  float lr = 0;
  bool finished = false;
  bool diverged = false;                     // a NaN or infinite loss stopped training
};

struct Trainer;
struct TrainerDeleter {
  void operator()(Trainer* t) const;
};
using TrainerPtr = std::unique_ptr<Trainer, TrainerDeleter>;
// Takes the corpus (kept inside). Returns nullptr with `error` set on a bad configuration,
// too small a vocabulary for the window, or a vocabulary too large for the full softmax.
TrainerPtr make_trainer(CorpusPtr corpus, const Config& config, std::string& error);
TrainerPtr make_trainer(Corpus corpus, const Config& config, std::string& error);

const Config& trainer_config(const Trainer& t);
const Corpus& trainer_corpus(const Trainer& t);
const CorpusPtr& shared_corpus(const Trainer& t);
const Model& trainer_model(const Trainer& t);
Model& trainer_model(Trainer& t);
int trainer_workers(const Trainer& t);  // = config.threads: one shard of the corpus each
Progress progress(const Trainer& t);
bool finished(const Trainer& t);

// Trains worker `worker` for about `max_words` more words (stops at a sentence boundary once
// they are done) and returns the words processed: the rest of the chunk it holds, then the
// next chunks (about 10,000 words each) of its shard, an equal share of the corpus, epoch
// after epoch; once those are taken, the last chunks of other workers' shards. Workers are
// independent: call different workers from different threads at once (Hogwild), each from
// one thread. One worker alone trains everything.
uint64_t train_worker(Trainer& t, int worker, uint64_t max_words);
// Time slice on the calling thread: round-robin over the workers, a few thousand words
// each, until `seconds` pass or training ends. Returns the words processed.
uint64_t train_for(Trainer& t, double seconds);
// Runs every worker on its own std::thread until the end (LATENTLAB_THREADS == 1; without
// threads the workers run one after another on the caller) and calls on_progress from the
// caller about every `period` seconds. request_stop() ends it early, resumable later.
void train_in_threads(Trainer& t, const std::function<void(const Progress&)>& on_progress,
                      double period = 0.25);
void request_stop(Trainer& t);
#if LATENTLAB_THREADS
// The same run for a caller with its own loop (the lesson's frames): start_workers starts
// the threads from the calling thread and returns. In WASM that matters: a thread started
// from another pthread waits for the page's main thread to be free, a frame or more. The
// run's clock stops when its last thread ends; join_workers (after the workers stopped, or
// after request_stop) waits for the threads and adds the run to the training time.
// Destroying the trainer stops and joins them.
void start_workers(Trainer& t);
bool workers_running(const Trainer& t);
void join_workers(Trainer& t);
#endif

}  // namespace ll::w2v
