#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "ml/rng.hpp"
#include "ml/text/cooccurrence.hpp"
#include "ml/text/pairs.hpp"
#include "ml/text/vectors.hpp"

using namespace ll::text;

namespace {

const char* const kCourseCorpus = "I like deep learning. I like NLP. I enjoy flying.";

double count(const Eigen::MatrixXd& X, const Vocab& v, const char* a, const char* b) {
  REQUIRE(v.id(a) >= 0);
  REQUIRE(v.id(b) >= 0);
  return X(v.id(a), v.id(b));
}

}  // namespace

TEST_CASE("one-hot: distinct words are orthogonal, one-hot x W is a row of W", "[text]") {
  const int vocab = 5;
  CHECK(cosine_similarity(one_hot(1, vocab), one_hot(3, vocab)) == 0.0);
  CHECK(cosine_similarity(one_hot(2, vocab), one_hot(2, vocab)) == Approx(1.0));
  CHECK(one_hot(4, vocab).sum() == 1.0);
  CHECK(one_hot(4, vocab)[4] == 1.0);
  CHECK(std::isnan(cosine_similarity(Eigen::VectorXd::Zero(3), Eigen::VectorXd::Ones(3))));
  Eigen::VectorXd a(2), b(2);
  a << 1, 0;
  b << 1, 1;
  CHECK(cosine_similarity(a, b) == Approx(std::sqrt(0.5)));

  const Eigen::MatrixXd W = seeded_vectors(vocab, 3, 7, 1.0);
  for (int id = 0; id < vocab; ++id) {
    const Eigen::VectorXd row = embedding_product(one_hot(id, vocab), W);
    REQUIRE(row.size() == 3);
    CHECK((row - W.row(id).transpose()).norm() == 0.0);
  }
}

TEST_CASE("cooccurrence: course corpus counts match the hand-counted table", "[text]") {
  // The course's table counts "." as a word: with the sentence end as a word and window 1,
  // I–like 2, I–enjoy 1, like–deep 1, like–NLP 1, deep–learning 1, enjoy–flying 1, and the
  // sentence end beside learning, NLP and flying once each.
  const SentenceCorpus corpus = sentence_corpus(split_sentences(kCourseCorpus), true);
  const Vocab& v = corpus.vocab;
  REQUIRE(v.size() == 8);
  const Eigen::MatrixXd X = cooccurrence_matrix(corpus.sentences, v.size(), 1);
  CHECK(count(X, v, "i", "like") == 2);
  CHECK(count(X, v, "i", "enjoy") == 1);
  CHECK(count(X, v, "like", "deep") == 1);
  CHECK(count(X, v, "like", "nlp") == 1);
  CHECK(count(X, v, "deep", "learning") == 1);
  CHECK(count(X, v, "enjoy", "flying") == 1);
  CHECK(count(X, v, "learning", "</s>") == 1);
  CHECK(count(X, v, "nlp", "</s>") == 1);
  CHECK(count(X, v, "flying", "</s>") == 1);
  CHECK(count(X, v, "i", "</s>") == 0);  // windows do not cross the sentence end
  CHECK(count(X, v, "i", "deep") == 0);
  CHECK(X.sum() == 20);
  CHECK((X - X.transpose()).cwiseAbs().maxCoeff() == 0);

  // Window 2 without the end word: "I like deep learning" adds I–deep and like–learning.
  const SentenceCorpus words = sentence_corpus(split_sentences(kCourseCorpus), false);
  const Eigen::MatrixXd X2 = cooccurrence_matrix(words.sentences, words.vocab.size(), 2);
  CHECK(count(X2, words.vocab, "i", "like") == 2);
  CHECK(count(X2, words.vocab, "i", "deep") == 1);
  CHECK(count(X2, words.vocab, "i", "learning") == 0);
  CHECK(count(X2, words.vocab, "like", "learning") == 1);
  CHECK(count(X2, words.vocab, "i", "flying") == 1);
  CHECK(X2.sum() == 22);

  // Keeping only the 2 most frequent words (i, like): rarer words are skipped but keep their place.
  const Eigen::MatrixXd top2 = cooccurrence_matrix(words.sentences, 2, 2);
  CHECK(top2(0, 1) == 2);
  CHECK(top2.sum() == 4);
}

TEST_CASE("ppmi: hand example", "[text]") {
  // Rows sum to 4 and 4, columns to 6 and 2, N = 8.
  Eigen::MatrixXd C(2, 2);
  C << 4, 0, 2, 2;
  const Eigen::MatrixXd P = ppmi(C);
  CHECK(P(0, 0) == Approx(std::log2(4.0 / 3.0)));  // 4·8 / (4·6)
  CHECK(P(0, 1) == 0.0);                          // never seen together
  CHECK(P(1, 0) == 0.0);                          // log₂(2/3) < 0, clipped
  CHECK(P(1, 1) == Approx(1.0));                  // log₂(2·8 / (4·2))
}

TEST_CASE("svd: reconstruction, orthonormal factors and Eckart-Young error", "[text]") {
  const SentenceCorpus corpus = sentence_corpus(split_sentences(kCourseCorpus), true);
  const Eigen::MatrixXd X = cooccurrence_matrix(corpus.sentences, corpus.vocab.size(), 1);
  const Svd s = svd(X);
  const int r = int(s.sigma.size());
  REQUIRE(r == 8);
  CHECK((reconstruct(s, r) - X).cwiseAbs().maxCoeff() < 1e-10);
  CHECK((s.U.transpose() * s.U - Eigen::MatrixXd::Identity(r, r)).cwiseAbs().maxCoeff() < 1e-10);
  CHECK((s.Vt * s.Vt.transpose() - Eigen::MatrixXd::Identity(r, r)).cwiseAbs().maxCoeff() < 1e-10);
  for (int k = 1; k < r; ++k) CHECK(s.sigma[k - 1] >= s.sigma[k]);
  for (int k = 0; k <= r; ++k) {
    const double tail = s.sigma.tail(r - k).squaredNorm();
    CHECK((reconstruct(s, k) - X).squaredNorm() == Approx(tail).margin(1e-9));
  }
  for (int k = 0; k < r; ++k) {
    Eigen::Index largest = 0;
    s.U.col(k).cwiseAbs().maxCoeff(&largest);
    CHECK(s.U(largest, k) > 0);
  }
  const Eigen::MatrixXd xy = word_coordinates(s, 2, true);
  REQUIRE(xy.rows() == 8);
  REQUIRE(xy.cols() == 2);
  CHECK(xy(0, 1) == Approx(s.U(0, 1) * s.sigma[1]));
}

TEST_CASE("pairs: exact skip-gram pairs and CBOW examples for a short sentence", "[text]") {
  using Pair = std::pair<int, int>;
  auto as_pairs = [](const std::vector<SkipGramPair>& pairs) {
    std::vector<Pair> out;
    for (const SkipGramPair& p : pairs) out.emplace_back(p.center, p.context);
    return out;
  };
  CHECK(as_pairs(skip_gram_pairs(4, 1)) == std::vector<Pair>{{0, 1}, {1, 0}, {1, 2}, {2, 1}, {2, 3}, {3, 2}});
  CHECK(as_pairs(skip_gram_pairs(4, 2)) ==
        std::vector<Pair>{{0, 1}, {0, 2}, {1, 0}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {2, 3}, {3, 1}, {3, 2}});
  // A window wider than the sentence: every ordered pair once.
  CHECK(skip_gram_pairs(3, 10).size() == 6);
  CHECK(skip_gram_pairs(1, 2).empty());
  // "the quick brown fox jumps over the lazy dog", window 2: 2·(2+3) + 5·4 = 30 pairs.
  CHECK(skip_gram_pairs(9, 2).size() == 30);

  const std::vector<CbowExample> cbow = cbow_examples(3, 1);
  REQUIRE(cbow.size() == 3);
  CHECK(cbow[0].center == 0);
  CHECK(cbow[0].context == std::vector<int>{1});
  CHECK(cbow[1].context == std::vector<int>{0, 2});
  CHECK(cbow[2].context == std::vector<int>{1});
  CHECK(cbow_examples(1, 3).empty());
}

TEST_CASE("softmax: sums to 1, stable for large logits, matches u_o . v_c", "[text]") {
  const std::vector<double> small = softmax({0, 1, 2});
  const std::vector<double> large = softmax({1000, 1001, 1002});
  const std::vector<double> very_negative = softmax({-1000, -1001, -1002});
  double sum = 0;
  for (size_t i = 0; i < 3; ++i) {
    CHECK(std::isfinite(large[i]));
    CHECK(large[i] == Approx(small[i]));
    sum += large[i];
  }
  CHECK(sum == Approx(1.0));
  CHECK(small[2] == Approx(std::exp(2.0) / (1 + std::exp(1.0) + std::exp(2.0))));
  CHECK(very_negative[0] == Approx(small[2]));

  const Eigen::MatrixXd v = seeded_vectors(6, 4, 3, 0.5), u = seeded_vectors(6, 4, 4, 0.5);
  const SoftmaxOverVocab p = skip_gram_softmax(v, u, 2);
  REQUIRE(p.probabilities.size() == 6);
  double total = 0, direct_normalizer = 0;
  for (int w = 0; w < 6; ++w) {
    CHECK(p.logits[size_t(w)] == Approx(u.row(w).dot(v.row(2))));
    total += p.probabilities[size_t(w)];
    direct_normalizer += std::exp(p.logits[size_t(w)]);
  }
  CHECK(total == Approx(1.0));
  CHECK(p.log_normalizer == Approx(std::log(direct_normalizer)));
  CHECK(p.probabilities[1] == Approx(std::exp(p.logits[1] - p.log_normalizer)));

  // Vectors so long that exp(u·v) overflows a double: still a distribution.
  const SoftmaxOverVocab huge = skip_gram_softmax(v * 60, u * 60, 2);
  double huge_total = 0;
  for (double q : huge.probabilities) {
    CHECK(std::isfinite(q));
    huge_total += q;
  }
  CHECK(huge_total == Approx(1.0));
  CHECK(std::isfinite(huge.log_normalizer));
}

TEST_CASE("seeded vectors: same seed, same vectors", "[text]") {
  CHECK(seeded_vectors(3, 2, 9, 1.0) == seeded_vectors(3, 2, 9, 1.0));
  CHECK(seeded_vectors(3, 2, 9, 1.0) != seeded_vectors(3, 2, 10, 1.0));
}
