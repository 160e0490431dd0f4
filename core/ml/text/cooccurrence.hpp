#pragma once
// Count-based word vectors: a symmetric-window co-occurrence matrix, its PPMI weighting and
// its SVD X = U Σ Vᵀ, whose top singular vectors place the words in a few dimensions.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "ml/text/tokenize.hpp"

namespace ll::text {

using Sentences = std::vector<std::vector<std::string>>;

// Sentences as word ids of one vocabulary (ids by descending count).
struct SentenceCorpus {
  Vocab vocab;
  std::vector<std::vector<int>> sentences;  // [sentence][position] → id
};

// With sentence_end_as_word each sentence gets a final "</s>" word (the course's "." column).
SentenceCorpus sentence_corpus(const Sentences& sentences, bool sentence_end_as_word = false);

// X [vocab × vocab]: X(i, j) = times word j occurs within `window` positions of word i, in the
// same sentence (windows never cross a sentence end). Symmetric, zero diagonal unless a word
// repeats near itself. window ≥ 1. Ids outside [0, vocab_size) (rare words left out of the
// table) are not counted but keep their place, so distances stay those of the text.
Eigen::MatrixXd cooccurrence_matrix(const std::vector<std::vector<int>>& sentences, int vocab_size, int window);

// Positive pointwise mutual information, log base 2:
//   PPMI(i, j) = max(0, log₂ (X(i,j) · N / (Σ_k X(i,k) · Σ_k X(k,j)))),  N = Σ X;  0 where X(i,j) = 0.
Eigen::MatrixXd ppmi(const Eigen::MatrixXd& counts);

// Thin SVD X = U Σ Vᵀ with U [rows × r], sigma [r] descending, Vt [r × cols], r = min(rows, cols).
// Each singular pair's sign is fixed (largest-magnitude entry of U's column positive) so the
// picture does not flip between builds.
struct Svd {
  Eigen::MatrixXd U;
  Eigen::VectorXd sigma;
  Eigen::MatrixXd Vt;
};
Svd svd(const Eigen::MatrixXd& X);

// U_k Σ_k V_kᵀ, the best rank-k approximation (Eckart–Young). 0 ≤ rank ≤ sigma.size().
Eigen::MatrixXd reconstruct(const Svd& s, int rank);

// Word coordinates [rows × dims]: the first `dims` columns of U, times σ when scale_by_sigma.
Eigen::MatrixXd word_coordinates(const Svd& s, int dims, bool scale_by_sigma);

}  // namespace ll::text
