#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "ml/rng.hpp"
#include "ml/text/ngram.hpp"

using namespace ll::text;

namespace {

// Jurafsky & Martin's bigram example.
const char* const kSamCorpus = "I am Sam. Sam I am. I do not like green eggs and ham.";

std::vector<int> ids(const NgramModel& m, std::initializer_list<const char*> words) {
  std::vector<int> out;
  for (const char* w : words) {
    const int id = m.vocab.id(w);
    REQUIRE(id >= 0);
    out.push_back(id);
  }
  return out;
}

double p(const NgramModel& m, const SmoothingOptions& s, std::initializer_list<const char*> context, const char* w) {
  return ngram_probability(m, s, ids(m, context).data(), ids(m, {w})[0]);
}

}  // namespace

TEST_CASE("ngram: bigram maximum-likelihood probabilities by hand", "[text]") {
  const NgramModel m = build_ngram_model(split_sentences(kSamCorpus), 2);
  const SmoothingOptions mle;
  CHECK(m.predicted_tokens == 3 + 3 + 8 + 3);  // words + one "</s>" per sentence
  CHECK(m.predictable_words() == 11);
  CHECK(p(m, mle, {"<s>"}, "i") == Approx(2.0 / 3));
  CHECK(p(m, mle, {"<s>"}, "sam") == Approx(1.0 / 3));
  CHECK(p(m, mle, {"i"}, "am") == Approx(2.0 / 3));
  CHECK(p(m, mle, {"i"}, "do") == Approx(1.0 / 3));
  CHECK(p(m, mle, {"am"}, "sam") == Approx(1.0 / 2));
  CHECK(p(m, mle, {"sam"}, "</s>") == Approx(1.0 / 2));
  CHECK(p(m, mle, {"i"}, "ham") == 0.0);
  CHECK(p(m, mle, {"<s>"}, "<s>") == 0.0);

  // Chain rule for "I am Sam": P(i|<s>) P(am|i) P(sam|am) P(</s>|sam) = 2/3 · 2/3 · 1/2 · 1/2.
  const SentenceProbability s = sentence_probability(m, mle, {"i", "am", "sam"});
  REQUIRE(s.error.empty());
  REQUIRE(s.terms.size() == 4);
  CHECK(s.terms[1].ngram_count == 2);
  CHECK(s.terms[1].context_count == 3);
  CHECK(std::exp(s.log_probability) == Approx(2.0 / 3 * 2.0 / 3 * 0.5 * 0.5));
  CHECK(sentence_probability(m, mle, {"i", "am", "zebra"}).error.find("zebra") != std::string::npos);
}

TEST_CASE("ngram: add-k and Kneser-Ney by hand", "[text]") {
  const NgramModel m = build_ngram_model(split_sentences(kSamCorpus), 2);
  SmoothingOptions add_one;
  add_one.kind = Smoothing::AddK;
  add_one.k = 1;
  CHECK(p(m, add_one, {"i"}, "am") == Approx(3.0 / 14));  // (2 + 1) / (3 + 11)
  CHECK(p(m, add_one, {"i"}, "ham") == Approx(1.0 / 14));

  // P_KN(am|i) = (2 − .75)/3 + .75·2/3 · P_cont(am); P_cont(am) = (1 − .75)/15 + .75·11/15 · 1/11 = 1/15
  // (am has one left neighbour; 15 distinct bigrams; 11 words have a left neighbour).
  SmoothingOptions kn;
  kn.kind = Smoothing::KneserNey;
  kn.discount = 0.75;
  CHECK(p(m, kn, {"i"}, "am") == Approx(0.45));
  const std::vector<int> i_am = ids(m, {"i", "am"});
  const KneserNeyTerms terms = kneser_ney_terms(m, 0.75, &i_am[0], i_am[1]);
  CHECK(terms.count == 2);
  CHECK(terms.context_total == 3);
  CHECK(terms.context_types == 2);
  CHECK(terms.lower == Approx(1.0 / 15));
  CHECK(terms.probability == Approx(0.45));
  CHECK(ngram_ids(ngram_key(i_am.data(), 2), 2) == i_am);
}

TEST_CASE("ngram: add-k and Kneser-Ney sum to 1 over the vocabulary for every context", "[text]") {
  const Sentences sentences = split_sentences(kSamCorpus);
  const Sentences extra = {{"zebra"}};  // in the vocabulary, never in training
  for (int order = 1; order <= 3; ++order) {
    const NgramModel m = build_ngram_model(sentences, order, extra);
    for (Smoothing kind : {Smoothing::AddK, Smoothing::KneserNey}) {
      SmoothingOptions s;
      s.kind = kind;
      s.k = 0.3;
      s.discount = 0.8;
      // Every context of order−1 words, seen or not.
      const int v = m.vocab.size();
      const int contexts = order == 1 ? 1 : order == 2 ? v : v * v;
      for (int c = 0; c < contexts; ++c) {
        const int context[2] = {order == 3 ? c / v : c % v, c % v};
        const int* ctx = order == 3 ? context : context + 1;
        const std::vector<double> dist = next_word_distribution(m, s, ctx);
        double total = 0;
        for (double q : dist) total += q;
        INFO("order " << order << " " << smoothing_name(kind) << " context " << c);
        CHECK(total == Approx(1.0).epsilon(1e-12));
        CHECK(dist[size_t(m.vocab.id("zebra"))] > 0);
        CHECK(dist[size_t(m.start_id)] == 0);
      }
    }
  }
}

TEST_CASE("ngram: the distribution equals ngram_probability word by word; lower orders reuse a model", "[text]") {
  const Sentences sentences = split_sentences(kSamCorpus);
  NgramModel counted_to_3 = build_ngram_model(sentences, 3, {{"zebra"}});
  for (int order = 1; order <= 3; ++order) {
    const NgramModel built = build_ngram_model(sentences, order, {{"zebra"}});
    counted_to_3.order = order;
    const int v = built.vocab.size();
    REQUIRE(counted_to_3.vocab.words == built.vocab.words);
    for (Smoothing kind : {Smoothing::MaximumLikelihood, Smoothing::AddK, Smoothing::KneserNey}) {
      SmoothingOptions s;
      s.kind = kind;
      s.k = 0.5;
      s.discount = 0.7;
      for (int c = 0; c < v * v; c += 7) {
        const int context[2] = {c / v, c % v};
        const int* ctx = context + (3 - order);  // the last order−1 ids
        const std::vector<double> dist = next_word_distribution(built, s, ctx);
        const std::vector<double> reused = next_word_distribution(counted_to_3, s, ctx);
        for (int w = 0; w < v; ++w) {
          INFO("order " << order << " " << smoothing_name(kind) << " context " << c << " word " << w);
          CHECK(dist[size_t(w)] == ngram_probability(built, s, ctx, w));
          CHECK(reused[size_t(w)] == dist[size_t(w)]);
        }
      }
    }
  }
}

TEST_CASE("ngram: maximum likelihood sums to 1 over seen contexts", "[text]") {
  const NgramModel m = build_ngram_model(split_sentences(kSamCorpus), 3);
  const std::vector<int> seen = ids(m, {"i", "am"});
  double total = 0;
  for (double q : next_word_distribution(m, SmoothingOptions{}, seen.data())) total += q;
  CHECK(total == Approx(1.0));
}

TEST_CASE("ngram: perplexity by hand on a tiny case", "[text]") {
  // Bigram MLE on "a b." and "a a.": c(a) = 3; for "a b": P(a|<s>) = 1, P(b|a) = 1/3, P(</s>|b) = 1.
  const NgramModel m = build_ngram_model({{"a", "b"}, {"a", "a"}}, 2);
  const Perplexity pp = perplexity(m, SmoothingOptions{}, {{"a", "b"}});
  CHECK(pp.tokens == 3);
  CHECK(pp.perplexity == Approx(std::cbrt(3.0)));
  // Unseen bigrams (<s> b and b a) have MLE probability 0: perplexity is infinite, add-k keeps it finite.
  const Perplexity unseen = perplexity(m, SmoothingOptions{}, {{"b", "a"}});
  CHECK(unseen.zero_probability_tokens == 2);
  CHECK(std::isinf(unseen.perplexity));
  SmoothingOptions add_one;
  add_one.kind = Smoothing::AddK;
  CHECK(std::isfinite(perplexity(m, add_one, {{"b", "a"}}).perplexity));
  // Unigram MLE on "a b": a, b and </s> each 1/3, so perplexity 3.
  CHECK(perplexity(build_ngram_model({{"a", "b"}}, 1), SmoothingOptions{}, {{"a"}}).perplexity == Approx(3.0));
}

TEST_CASE("ngram: sampling is seeded and follows the counts", "[text]") {
  const NgramModel m = build_ngram_model(split_sentences(kSamCorpus), 2);
  ll::Rng a(5), b(5);
  for (int i = 0; i < 20; ++i) {
    const std::vector<std::string> sentence = sample_sentence(m, SmoothingOptions{}, a);
    CHECK(sentence == sample_sentence(m, SmoothingOptions{}, b));
    REQUIRE(!sentence.empty());
    // Maximum likelihood only continues along bigrams seen in training.
    CHECK((sentence[0] == "i" || sentence[0] == "sam"));
    for (size_t k = 1; k < sentence.size(); ++k) {
      const std::vector<int> pair = {m.vocab.id(sentence[k - 1]), m.vocab.id(sentence[k])};
      CHECK(ngram_count(m, &pair[0], pair[1]) > 0);
    }
  }
}

TEST_CASE("ngram: deterministic train / held-out split", "[text]") {
  Sentences ten;
  for (int i = 0; i < 10; ++i) ten.push_back({"w" + std::to_string(i)});
  const TrainHeldOut split = split_train_held_out(ten, 5);
  CHECK(split.train.size() == 8);
  REQUIRE(split.held_out.size() == 2);
  CHECK(split.held_out[0][0] == "w4");
  CHECK(split.held_out[1][0] == "w9");
  const TrainHeldOut small = split_train_held_out({{"a"}, {"b"}, {"c"}}, 5);
  CHECK(small.train.size() == 2);
  REQUIRE(small.held_out.size() == 1);
  CHECK(small.held_out[0][0] == "c");
  CHECK(split_train_held_out({{"a"}}, 5).held_out.empty());
}

TEST_CASE("ngram: sample_tokens draws exactly the count, never </s> or <s>, the same for a seed", "[text]") {
  const NgramModel m = build_ngram_model(split_sentences(kSamCorpus), 2);
  for (const SmoothingOptions s : {SmoothingOptions{}, SmoothingOptions{Smoothing::KneserNey, 1, 0.75}}) {
    ll::Rng a(3), b(3);
    const std::vector<std::string> words = sample_tokens(m, s, a, 40);
    REQUIRE(words.size() == 40);
    for (const std::string& w : words) {
      CHECK(m.vocab.id(w) >= 0);
      CHECK(w != "</s>");
      CHECK(w != "<s>");
    }
    CHECK(sample_tokens(m, s, b, 40) == words);
  }
  // Pinned: the lab's Rng and the followers' sorted sums give these words on every target.
  ll::Rng pinned(3);
  CHECK(sample_tokens(m, SmoothingOptions{Smoothing::KneserNey, 1, 0.75}, pinned, 8) ==
        std::vector<std::string>{"eggs", "i", "and", "ham", "and", "ham", "do", "not"});
  // Maximum likelihood from <s> starts with "i" or "sam"; a bigram model follows its counts.
  ll::Rng rng(11);
  const std::vector<std::string> line = sample_tokens(m, SmoothingOptions{}, rng, 12);
  CHECK((line[0] == "i" || line[0] == "sam"));
  for (size_t i = 1; i < line.size(); ++i) {
    const int context = m.vocab.id(line[i - 1]);
    // Seen after its predecessor, or the predecessor is only ever followed by </s> ("ham").
    const bool dead_end = p(m, SmoothingOptions{}, {line[i - 1].c_str()}, "</s>") == 1.0;
    CHECK((dead_end || ngram_count(m, &context, m.vocab.id(line[i])) > 0));
  }
}

TEST_CASE("ngram: sample_tokens backs off where maximum likelihood has only </s>", "[text]") {
  // After "b" only </s> ever came: the unigram distribution of {a, b} answers instead.
  const NgramModel m = build_ngram_model(split_sentences("a b."), 2);
  ll::Rng rng(1);
  const std::vector<std::string> words = sample_tokens(m, SmoothingOptions{}, rng, 9);
  REQUIRE(words.size() == 9);
  CHECK(words[0] == "a");
  CHECK(words[1] == "b");
  for (const std::string& w : words) CHECK((w == "a" || w == "b"));
  // A model with no word has nothing to draw.
  const NgramModel empty = build_ngram_model({}, 2);
  CHECK(sample_tokens(empty, SmoothingOptions{}, rng, 3).empty());
}
