#include "ml/text/ngram.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace ll::text {

namespace {

constexpr int kIdBits = 21;
constexpr uint64_t kIdMask = (uint64_t(1) << kIdBits) - 1;

long lookup(const std::unordered_map<uint64_t, long>& map, uint64_t key) {
  const auto found = map.find(key);
  return found == map.end() ? 0 : found->second;
}

uint64_t extend_key(uint64_t context_key, int word) { return (context_key << kIdBits) | uint64_t(word + 1); }

// Interpolated Kneser–Ney at level n (context = the n−1 previous ids): the top level discounts
// real counts, lower levels discount continuation counts, the last level mixes in 1/|V|.
//   P(w|ctx) = max(c(ctx,w) − d, 0) / c(ctx) + d · N₁₊(ctx •) / c(ctx) · P_lower(w|ctx′)
double kneser_ney(const NgramModel& m, double d, int n, const int* context, int word, bool top) {
  const uint64_t context_key = ngram_key(context, n - 1);
  const uint64_t full_key = extend_key(context_key, word);
  const int level = n - 1;
  const long count = lookup(top ? m.counts[level] : m.continuation[level], full_key);
  const long total = lookup(top ? m.context_totals[level] : m.continuation_totals[level], context_key);
  const long types = lookup(top ? m.context_types[level] : m.continuation_types[level], context_key);
  const double lower = n == 1 ? 1.0 / m.predictable_words() : kneser_ney(m, d, n - 1, context + 1, word, false);
  if (total == 0) return lower;  // unseen context: all weight on the lower order
  return std::max(double(count) - d, 0.0) / double(total) + d * double(types) / double(total) * lower;
}

}  // namespace

const char* smoothing_name(Smoothing smoothing) {
  switch (smoothing) {
    case Smoothing::MaximumLikelihood: return "maximum likelihood";
    case Smoothing::AddK: return "add-k";
    case Smoothing::KneserNey: return "Kneser-Ney";
  }
  return "?";
}

uint64_t ngram_key(const int* ids, int n) {
  uint64_t key = 0;
  for (int i = 0; i < n; ++i) {
    assert(ids[i] >= 0 && uint64_t(ids[i]) + 1 <= kIdMask && "ngram_key: id out of range");
    key = extend_key(key, ids[i]);
  }
  return key;
}

std::vector<int> ngram_ids(uint64_t key, int n) {
  std::vector<int> ids(static_cast<size_t>(n));  // [n]
  for (int i = n - 1; i >= 0; --i, key >>= kIdBits) ids[size_t(i)] = int(key & kIdMask) - 1;
  return ids;
}

KneserNeyTerms kneser_ney_terms(const NgramModel& m, double discount, const int* context, int word) {
  KneserNeyTerms t;
  const int n = m.order;
  const uint64_t context_key = ngram_key(context, n - 1);
  t.count = lookup(m.counts[n - 1], extend_key(context_key, word));
  t.context_total = lookup(m.context_totals[n - 1], context_key);
  t.context_types = lookup(m.context_types[n - 1], context_key);
  t.lower = n == 1 ? 1.0 / m.predictable_words() : kneser_ney(m, discount, n - 1, context + 1, word, false);
  t.probability = kneser_ney(m, discount, n, context, word, true);
  return t;
}

NgramModel build_ngram_model(const Sentences& train, int order, const Sentences& vocabulary_extra) {
  assert(order >= 1 && order <= 3 && "build_ngram_model: order must be 1, 2 or 3");
  NgramModel m;
  m.order = order;
  m.counted_order = order;
  std::vector<std::string> tokens;
  for (const auto& sentence : train) {
    tokens.insert(tokens.end(), sentence.begin(), sentence.end());
    tokens.emplace_back(kSentenceEnd);
  }
  m.vocab = build_vocab(tokens);
  auto add_word = [&m](const std::string& word) {
    if (m.vocab.id(word) >= 0) return;
    m.vocab.index.emplace(word, m.vocab.size());
    m.vocab.words.push_back(word);
    m.vocab.counts.push_back(0);
  };
  add_word(kSentenceEnd);  // even with no training sentence
  for (const auto& sentence : vocabulary_extra)
    for (const std::string& word : sentence) add_word(word);
  add_word(kSentenceStart);
  m.start_id = m.vocab.id(kSentenceStart);
  m.end_id = m.vocab.id(kSentenceEnd);

  // Reserving for the worst case (every n-gram distinct) spares the rehashing as maps grow.
  const size_t predicted = tokens.size();
  for (int n = 1; n <= order; ++n) {
    m.counts[n - 1].reserve(predicted);
    m.context_totals[n - 1].reserve(n == 1 ? 1 : predicted);
    m.context_types[n - 1].reserve(n == 1 ? 1 : predicted);
  }
  std::vector<int> padded;
  for (const auto& sentence : train) {
    padded.assign(size_t(order - 1), m.start_id);
    for (const std::string& word : sentence) padded.push_back(m.vocab.id(word));
    padded.push_back(m.end_id);
    for (size_t i = size_t(order - 1); i < padded.size(); ++i) {
      ++m.predicted_tokens;
      for (int n = 1; n <= order; ++n) {
        const int* gram = &padded[i + 1 - size_t(n)];
        const uint64_t context_key = ngram_key(gram, n - 1);
        const long count = ++m.counts[n - 1][extend_key(context_key, gram[n - 1])];
        ++m.context_totals[n - 1][context_key];
        if (count == 1) ++m.context_types[n - 1][context_key];
      }
    }
  }
  // Followers of each context, sorted so that sums over them run in the same order on every
  // platform (hash-map order differs between standard libraries).
  auto collect_followers = [](const std::unordered_map<uint64_t, long>& grams,
                              std::unordered_map<uint64_t, std::vector<int>>& followers) {
    for (const auto& entry : grams) followers[entry.first >> kIdBits].push_back(int(entry.first & kIdMask) - 1);
    for (auto& entry : followers) std::sort(entry.second.begin(), entry.second.end());
  };
  for (int n = 1; n <= order; ++n) collect_followers(m.counts[n - 1], m.followers[n - 1]);
  // Continuation counts: each distinct (n+1)-gram adds one left neighbour to its n-word suffix.
  for (int n = 1; n < order; ++n) {
    const uint64_t suffix_mask = (uint64_t(1) << (kIdBits * n)) - 1;
    for (const auto& entry : m.counts[n]) ++m.continuation[n - 1][entry.first & suffix_mask];
    for (const auto& entry : m.continuation[n - 1]) {
      const uint64_t context_key = entry.first >> kIdBits;
      m.continuation_totals[n - 1][context_key] += entry.second;
      ++m.continuation_types[n - 1][context_key];
    }
    collect_followers(m.continuation[n - 1], m.continuation_followers[n - 1]);
  }
  return m;
}

long ngram_count(const NgramModel& m, const int* context, int word) {
  return lookup(m.counts[m.order - 1], extend_key(ngram_key(context, m.order - 1), word));
}

long context_count(const NgramModel& m, const int* context) {
  return lookup(m.context_totals[m.order - 1], ngram_key(context, m.order - 1));
}

double ngram_probability(const NgramModel& m, const SmoothingOptions& s, const int* context, int word) {
  assert(word >= 0 && word < m.vocab.size());
  assert(m.order >= 1 && m.order <= m.counted_order && "NgramModel: order above the counted order");
  if (word == m.start_id) return 0;  // "<s>" is never predicted
  switch (s.kind) {
    case Smoothing::MaximumLikelihood: {
      const long total = context_count(m, context);
      return total == 0 ? 0.0 : double(ngram_count(m, context, word)) / double(total);
    }
    case Smoothing::AddK: {
      assert(s.k > 0 && "add-k needs k > 0");
      return (double(ngram_count(m, context, word)) + s.k) /
             (double(context_count(m, context)) + s.k * m.predictable_words());
    }
    case Smoothing::KneserNey:
      assert(s.discount > 0 && s.discount <= 1 && "Kneser-Ney discount must be in (0, 1]");
      return kneser_ney(m, s.discount, m.order, context, word, true);
  }
  return 0;
}

namespace {

// next_word_distribution at `order` (≤ the model's), context = the order−1 previous ids.
std::vector<double> distribution_at_order(const NgramModel& m, const SmoothingOptions& s, const int* context,
                                          int order) {
  assert(order >= 1 && order <= m.counted_order);
  const size_t vocab = size_t(m.vocab.size());
  const int top = order - 1;
  const uint64_t context_key = ngram_key(context, order - 1);
  const long total = lookup(m.context_totals[top], context_key);
  const auto seen = m.followers[top].find(context_key);
  std::vector<double> p(vocab, 0.0);  // [vocab]
  switch (s.kind) {
    case Smoothing::MaximumLikelihood:
      if (seen != m.followers[top].end())
        for (int w : seen->second)
          p[size_t(w)] = double(lookup(m.counts[top], extend_key(context_key, w))) / double(total);
      break;
    case Smoothing::AddK: {
      const double denominator = double(total) + s.k * m.predictable_words();
      for (size_t w = 0; w < vocab; ++w) p[w] = (0.0 + s.k) / denominator;
      if (seen != m.followers[top].end())
        for (int w : seen->second)
          p[size_t(w)] = (double(lookup(m.counts[top], extend_key(context_key, w))) + s.k) / denominator;
      break;
    }
    case Smoothing::KneserNey: {
      // From the uniform level up, each level n: P_n(w) = max(c − d, 0)/total + d·types/total · P_{n−1}(w),
      // written with the same operations as kneser_ney() so both give the same doubles.
      const double d = s.discount;
      std::vector<double> lower(vocab, 1.0 / m.predictable_words());  // [vocab]
      for (int n = 1; n <= order; ++n) {
        const bool is_top = n == order;
        const int level = n - 1;
        const uint64_t key = ngram_key(context + (order - n), n - 1);
        const long level_total = lookup(is_top ? m.context_totals[level] : m.continuation_totals[level], key);
        if (level_total == 0) continue;  // unseen context: P_n = P_{n−1}
        const double weight = d * double(lookup(is_top ? m.context_types[level] : m.continuation_types[level], key)) /
                              double(level_total);
        std::vector<double> current(vocab);
        for (size_t w = 0; w < vocab; ++w) current[w] = 0.0 + weight * lower[w];
        const auto& followers = is_top ? m.followers[level] : m.continuation_followers[level];
        const auto found = followers.find(key);
        if (found != followers.end())
          for (int w : found->second) {
            const long count = lookup(is_top ? m.counts[level] : m.continuation[level], extend_key(key, w));
            current[size_t(w)] = std::max(double(count) - d, 0.0) / double(level_total) + weight * lower[size_t(w)];
          }
        lower.swap(current);
      }
      p.swap(lower);
      break;
    }
  }
  p[size_t(m.start_id)] = 0;  // "<s>" is never predicted
  return p;
}

}  // namespace

std::vector<double> next_word_distribution(const NgramModel& m, const SmoothingOptions& s, const int* context) {
  assert(m.order <= m.counted_order);
  return distribution_at_order(m, s, context, m.order);
}

SentenceProbability sentence_probability(const NgramModel& m, const SmoothingOptions& s,
                                         const std::vector<std::string>& words) {
  SentenceProbability result;
  std::vector<int> padded(size_t(m.order - 1), m.start_id);
  for (const std::string& word : words) {
    const int id = m.vocab.id(word);
    if (id < 0 || id == m.start_id) {
      result.error += (result.error.empty() ? "not in the vocabulary: '" : ", '") + word + "'";
      continue;
    }
    padded.push_back(id);
  }
  if (!result.error.empty()) return result;
  padded.push_back(m.end_id);
  for (size_t i = size_t(m.order - 1); i < padded.size(); ++i) {
    ChainTerm term;
    const int* context = &padded[i + 1 - size_t(m.order)];
    term.context.assign(context, context + m.order - 1);
    term.word = padded[i];
    term.probability = ngram_probability(m, s, context, term.word);
    term.ngram_count = ngram_count(m, context, term.word);
    term.context_count = context_count(m, context);
    result.log_probability += std::log(term.probability);  // log(0) = −inf carries through
    result.terms.push_back(std::move(term));
  }
  return result;
}

Perplexity perplexity(const NgramModel& m, const SmoothingOptions& s, const Sentences& sentences) {
  Perplexity result;
  for (const auto& sentence : sentences) {
    const SentenceProbability p = sentence_probability(m, s, sentence);
    if (!p.error.empty()) {
      for (const std::string& word : sentence) result.unknown_words += m.vocab.id(word) < 0 ? 1 : 0;
      continue;
    }
    for (const ChainTerm& term : p.terms) result.zero_probability_tokens += term.probability == 0 ? 1 : 0;
    result.tokens += long(p.terms.size());
    result.log_probability += p.log_probability;
  }
  if (result.tokens > 0) result.perplexity = std::exp(-result.log_probability / double(result.tokens));
  return result;
}

std::vector<std::string> sample_sentence(const NgramModel& m, const SmoothingOptions& s, Rng& rng, int max_words) {
  std::vector<std::string> words;
  std::vector<int> context(size_t(std::max(m.order - 1, 0)), m.start_id);
  while (int(words.size()) < max_words) {
    const std::vector<double> p = next_word_distribution(m, s, context.data());
    double total = 0;
    for (double v : p) total += v;
    if (!(total > 0)) break;  // an untrained model has nothing to say
    const int word = int(rng.categorical(p.data(), p.size()));
    if (word == m.end_id) break;
    words.push_back(m.vocab.words[size_t(word)]);
    if (!context.empty()) {
      context.erase(context.begin());
      context.push_back(word);
    }
  }
  return words;
}

std::vector<std::string> sample_tokens(const NgramModel& m, const SmoothingOptions& s, Rng& rng, int count) {
  std::vector<std::string> words;
  std::vector<int> context(size_t(std::max(m.order - 1, 0)), m.start_id);
  while (int(words.size()) < count) {
    std::vector<double> p;
    double total = 0;
    // A context only ever followed by "</s>" leaves maximum likelihood nothing: ask a shorter one.
    for (int n = m.order; n >= 1 && !(total > 0); --n) {
      p = distribution_at_order(m, s, context.data() + (m.order - n), n);
      p[size_t(m.end_id)] = 0;
      total = 0;
      for (double v : p) total += v;
    }
    if (!(total > 0)) return {};  // no word at all
    size_t word = rng.categorical(p.data(), p.size());
    // categorical's rounding fallback is the last index; keep to words that have probability.
    while (p[word] == 0) --word;
    words.push_back(m.vocab.words[word]);
    if (!context.empty()) {
      context.erase(context.begin());
      context.push_back(int(word));
    }
  }
  return words;
}

TrainHeldOut split_train_held_out(const Sentences& sentences, int every) {
  assert(every >= 2 && "split_train_held_out: every must be at least 2");
  TrainHeldOut split;
  const bool last_only = int(sentences.size()) < every;
  for (size_t i = 0; i < sentences.size(); ++i) {
    const bool held_out = last_only ? (sentences.size() >= 2 && i + 1 == sentences.size())
                                    : int(i % size_t(every)) == every - 1;
    (held_out ? split.held_out : split.train).push_back(sentences[i]);
  }
  return split;
}

}  // namespace ll::text
