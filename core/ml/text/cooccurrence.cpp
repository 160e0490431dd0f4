#include "ml/text/cooccurrence.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include <Eigen/SVD>

namespace ll::text {

SentenceCorpus sentence_corpus(const Sentences& sentences, bool sentence_end_as_word) {
  std::vector<std::string> all_tokens;
  for (const auto& sentence : sentences) {
    all_tokens.insert(all_tokens.end(), sentence.begin(), sentence.end());
    if (sentence_end_as_word) all_tokens.emplace_back(kSentenceEnd);
  }
  SentenceCorpus corpus;
  corpus.vocab = build_vocab(all_tokens);
  for (const auto& sentence : sentences) {
    std::vector<int> ids;
    for (const std::string& word : sentence) ids.push_back(corpus.vocab.id(word));
    if (sentence_end_as_word) ids.push_back(corpus.vocab.id(kSentenceEnd));
    corpus.sentences.push_back(std::move(ids));
  }
  return corpus;
}

Eigen::MatrixXd cooccurrence_matrix(const std::vector<std::vector<int>>& sentences, int vocab_size, int window) {
  assert(window >= 1 && "cooccurrence_matrix: window must be at least 1");
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(vocab_size, vocab_size);  // [vocab × vocab]
  for (const std::vector<int>& ids : sentences) {
    const int n = int(ids.size());
    for (int i = 0; i < n; ++i) {
      const int row = ids[size_t(i)];
      if (row < 0 || row >= vocab_size) continue;
      for (int j = std::max(0, i - window); j <= std::min(n - 1, i + window); ++j) {
        const int col = ids[size_t(j)];
        if (j != i && col >= 0 && col < vocab_size) X(row, col) += 1;
      }
    }
  }
  return X;
}

Eigen::MatrixXd ppmi(const Eigen::MatrixXd& counts) {
  const Eigen::VectorXd row_sums = counts.rowwise().sum();     // [rows]
  const Eigen::RowVectorXd col_sums = counts.colwise().sum();  // [cols]
  const double total = counts.sum();
  Eigen::MatrixXd weighted = Eigen::MatrixXd::Zero(counts.rows(), counts.cols());  // [rows × cols]
  for (Eigen::Index i = 0; i < counts.rows(); ++i)
    for (Eigen::Index j = 0; j < counts.cols(); ++j) {
      const double c = counts(i, j);
      if (c <= 0) continue;
      weighted(i, j) = std::max(0.0, std::log2(c * total / (row_sums[i] * col_sums[j])));
    }
  return weighted;
}

Svd svd(const Eigen::MatrixXd& X) {
  Eigen::BDCSVD<Eigen::MatrixXd> solver(X, Eigen::ComputeThinU | Eigen::ComputeThinV);
  Svd s;
  s.U = solver.matrixU();                  // [rows × r]
  s.sigma = solver.singularValues();       // [r]
  s.Vt = solver.matrixV().transpose();     // [r × cols]
  for (Eigen::Index k = 0; k < s.U.cols(); ++k) {
    Eigen::Index largest = 0;
    s.U.col(k).cwiseAbs().maxCoeff(&largest);
    if (s.U(largest, k) < 0) {
      s.U.col(k) *= -1;
      s.Vt.row(k) *= -1;
    }
  }
  assert(s.U.rows() == X.rows() && s.Vt.cols() == X.cols() && s.sigma.size() == s.U.cols());
  return s;
}

Eigen::MatrixXd reconstruct(const Svd& s, int rank) {
  assert(rank >= 0 && rank <= s.sigma.size() && "reconstruct: rank outside 0..r");
  Eigen::MatrixXd approx =
      s.U.leftCols(rank) * s.sigma.head(rank).asDiagonal() * s.Vt.topRows(rank);  // [rows × cols]
  return approx;
}

Eigen::MatrixXd word_coordinates(const Svd& s, int dims, bool scale_by_sigma) {
  assert(dims >= 0 && dims <= s.U.cols() && "word_coordinates: more dimensions than singular vectors");
  Eigen::MatrixXd coords = s.U.leftCols(dims);  // [rows × dims]
  if (scale_by_sigma) coords = coords * s.sigma.head(dims).asDiagonal();
  return coords;
}

}  // namespace ll::text
