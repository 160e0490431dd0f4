#pragma once
// n-gram language models (unigram, bigram, trigram): counts, conditional probabilities with
// maximum likelihood, add-k or interpolated Kneser–Ney smoothing, the chain rule for a
// sentence, held-out perplexity and sampling.
//
// Each training sentence is padded with order−1 "<s>" and one "</s>"; every position after
// the padding is a predicted token. The vocabulary is closed: words of the held-out text that
// training never saw are added with count 0, so smoothing can give them probability.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ml/rng.hpp"
#include "ml/text/cooccurrence.hpp"
#include "ml/text/tokenize.hpp"

namespace ll::text {

inline constexpr const char* kSentenceStart = "<s>";

enum class Smoothing { MaximumLikelihood, AddK, KneserNey };
const char* smoothing_name(Smoothing smoothing);

struct SmoothingOptions {
  Smoothing kind = Smoothing::MaximumLikelihood;
  double k = 1.0;          // add-k: pseudo-count per word, > 0
  double discount = 0.75;  // Kneser–Ney: absolute discount d in (0, 1]
};

// Built for one order, a model also serves every lower order: set `order` lower (down to 1)
// and nothing else changes, because the n-grams ending at predicted positions do not depend
// on how much padding comes before them.
struct NgramModel {
  int order = 2;          // the order queries use: 1 ≤ order ≤ counted_order
  int counted_order = 2;  // the longest n-grams counted: 1, 2 or 3
  Vocab vocab;    // training words by count, then "</s>", unseen words (count 0), "<s>" last
  int start_id = -1, end_id = -1;
  long predicted_tokens = 0;  // Σ c(w) over predicted positions: words and "</s>"
  // Indexed by n−1 for n = 1..order; keys pack up to three ids (see ngram_key).
  std::unordered_map<uint64_t, long> counts[3];          // c(w_{1..n}) at predicted positions
  std::unordered_map<uint64_t, long> context_totals[3];  // Σ_w c(ctx, w) for an (n−1)-gram ctx
  std::unordered_map<uint64_t, long> context_types[3];   // |{w : c(ctx, w) > 0}|
  // Kneser–Ney continuation counts for the lower orders: N₁₊(• w_{1..n}), distinct left words.
  std::unordered_map<uint64_t, long> continuation[3];
  std::unordered_map<uint64_t, long> continuation_totals[3];  // Σ_w N₁₊(• ctx w)
  std::unordered_map<uint64_t, long> continuation_types[3];   // |{w : N₁₊(• ctx w) > 0}|
  // The words that follow each context (ids ascending): counted, and with continuation counts.
  std::unordered_map<uint64_t, std::vector<int>> followers[3];
  std::unordered_map<uint64_t, std::vector<int>> continuation_followers[3];
  int predictable_words() const { return vocab.size() - 1; }  // all but "<s>"
};

// ids[0..n) → one key; ids < 2²¹. ngram_ids undoes it.
uint64_t ngram_key(const int* ids, int n);
std::vector<int> ngram_ids(uint64_t key, int n);

NgramModel build_ngram_model(const Sentences& train, int order, const Sentences& vocabulary_extra = {});

// c(ctx, w) and c(ctx) as used by maximum likelihood; ctx = the order−1 previous ids.
long ngram_count(const NgramModel& model, const int* context, int word);
long context_count(const NgramModel& model, const int* context);

// P(word | context) with context the order−1 previous ids (nothing for a unigram model).
// Maximum likelihood gives 0 for a context never seen.
double ngram_probability(const NgramModel& model, const SmoothingOptions& smoothing, const int* context, int word);

// The numbers of one interpolated Kneser–Ney step at the model's top order, for teaching:
//   P = max(count − d, 0) / context_total + d · context_types / context_total · lower
// with lower = P_KN(word | context without its first word), or 1/|V| for a unigram model.
// When context_total = 0 the context was never seen and P = lower.
struct KneserNeyTerms {
  long count = 0, context_total = 0, context_types = 0;
  double lower = 0, probability = 0;
};
KneserNeyTerms kneser_ney_terms(const NgramModel& model, double discount, const int* context, int word);

// P(· | context) over all ids [vocab size]; the "<s>" entry is 0. Equal to ngram_probability for
// each word, but computed level by level from the followers lists: O(|V| + followers).
std::vector<double> next_word_distribution(const NgramModel& model, const SmoothingOptions& smoothing,
                                           const int* context);

// The chain rule P(w₁ … w_m </s>) = Π P(w_i | w_{i−n+1 … i−1}), one term per predicted token.
struct ChainTerm {
  std::vector<int> context;  // [order−1] ids
  int word = -1;
  double probability = 0;
  long ngram_count = 0, context_count = 0;  // the maximum-likelihood numbers
};
struct SentenceProbability {
  std::string error;  // "" or which words the vocabulary lacks
  std::vector<ChainTerm> terms;
  double log_probability = 0;  // natural log; −inf when a term is 0
};
SentenceProbability sentence_probability(const NgramModel& model, const SmoothingOptions& smoothing,
                                         const std::vector<std::string>& words);

// Perplexity = exp(−(1/N) Σ log P) over the N predicted tokens of the sentences (each sentence's
// words and its "</s>"); +inf when some token gets probability 0.
struct Perplexity {
  double perplexity = NAN;
  double log_probability = 0;
  long tokens = 0;
  long zero_probability_tokens = 0;
  long unknown_words = 0;  // words outside the vocabulary, skipped
};
Perplexity perplexity(const NgramModel& model, const SmoothingOptions& smoothing, const Sentences& sentences);

// A sentence drawn word by word from P(· | context) until "</s>" or max_words.
std::vector<std::string> sample_sentence(const NgramModel& model, const SmoothingOptions& smoothing, Rng& rng,
                                         int max_words = 30);

// Exactly `count` tokens (a verse line's characters), each drawn from P(· | context) with "</s>"
// left out and the rest renormalised, so a line never ends early. Where maximum likelihood has
// only "</s>" after a context, the next lower order answers. Empty when the model has no word.
std::vector<std::string> sample_tokens(const NgramModel& model, const SmoothingOptions& smoothing, Rng& rng,
                                       int count);

// Deterministic split: sentence i goes to held-out when i % every == every − 1; with fewer
// than `every` sentences (but at least two) the last one is held out.
struct TrainHeldOut {
  Sentences train, held_out;
};
TrainHeldOut split_train_held_out(const Sentences& sentences, int every = 5);

}  // namespace ll::text
