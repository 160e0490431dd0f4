#pragma once
// The training examples word2vec draws from a sentence, and the full softmax it approximates.
//   skip-gram: each centre word predicts each word within `window` positions (one pair each);
//   CBOW:      the words within `window` positions together predict the centre word.
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace ll::text {

struct SkipGramPair {
  int center = 0, context = 0;  // positions in the sentence
};
// In sentence order: for each centre, its context positions left to right. window ≥ 1.
std::vector<SkipGramPair> skip_gram_pairs(int sentence_length, int window);

struct CbowExample {
  std::vector<int> context;  // positions, left to right
  int center = 0;
};
// One example per centre position that has at least one context word.
std::vector<CbowExample> cbow_examples(int sentence_length, int window);

// softmax(z)_i = exp(z_i − max z) / Σ_j exp(z_j − max z): the shift keeps exp from overflowing.
std::vector<double> softmax(const std::vector<double>& logits);

// P(o | c) = exp(u_o · v_c) / Σ_w exp(u_w · v_c) for one centre word c over the whole vocabulary.
// center_vectors V and outside_vectors U: [vocab × dim], row w is v_w / u_w.
struct SoftmaxOverVocab {
  std::vector<double> logits;         // [vocab] u_w · v_c
  std::vector<double> probabilities;  // [vocab] P(w | c), sums to 1
  double log_normalizer = 0;          // log Σ_w exp(u_w · v_c)
};
SoftmaxOverVocab skip_gram_softmax(const Eigen::MatrixXd& center_vectors, const Eigen::MatrixXd& outside_vectors,
                                   int center);

// Small deterministic vectors [rows × dim]: N(0, scale²) entries from ll::Rng(seed).
Eigen::MatrixXd seeded_vectors(int rows, int dim, uint64_t seed, double scale);

}  // namespace ll::text
