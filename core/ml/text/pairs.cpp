#include "ml/text/pairs.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "ml/rng.hpp"

namespace ll::text {

std::vector<SkipGramPair> skip_gram_pairs(int sentence_length, int window) {
  assert(window >= 1 && sentence_length >= 0);
  std::vector<SkipGramPair> pairs;
  for (int c = 0; c < sentence_length; ++c)
    for (int o = std::max(0, c - window); o <= std::min(sentence_length - 1, c + window); ++o)
      if (o != c) pairs.push_back({c, o});
  return pairs;
}

std::vector<CbowExample> cbow_examples(int sentence_length, int window) {
  assert(window >= 1 && sentence_length >= 0);
  std::vector<CbowExample> examples;
  for (int c = 0; c < sentence_length; ++c) {
    CbowExample example;
    example.center = c;
    for (int o = std::max(0, c - window); o <= std::min(sentence_length - 1, c + window); ++o)
      if (o != c) example.context.push_back(o);
    if (!example.context.empty()) examples.push_back(std::move(example));
  }
  return examples;
}

std::vector<double> softmax(const std::vector<double>& logits) {
  assert(!logits.empty() && "softmax of nothing");
  const double largest = *std::max_element(logits.begin(), logits.end());
  std::vector<double> p(logits.size());  // [n]
  double total = 0;
  for (size_t i = 0; i < logits.size(); ++i) total += p[i] = std::exp(logits[i] - largest);
  for (double& v : p) v /= total;  // total ≥ 1: the largest term is exp(0)
  return p;
}

SoftmaxOverVocab skip_gram_softmax(const Eigen::MatrixXd& center_vectors, const Eigen::MatrixXd& outside_vectors,
                                   int center) {
  assert(center_vectors.rows() == outside_vectors.rows() && center_vectors.cols() == outside_vectors.cols());
  assert(center >= 0 && center < center_vectors.rows() && "skip_gram_softmax: centre outside the vocabulary");
  const Eigen::VectorXd scores = outside_vectors * center_vectors.row(center).transpose();  // [vocab]
  SoftmaxOverVocab result;
  result.logits.assign(scores.data(), scores.data() + scores.size());
  result.probabilities = softmax(result.logits);
  const double largest = scores.maxCoeff();
  result.log_normalizer = largest + std::log((scores.array() - largest).exp().sum());
  return result;
}

Eigen::MatrixXd seeded_vectors(int rows, int dim, uint64_t seed, double scale) {
  Rng rng(seed);
  Eigen::MatrixXd vectors(rows, dim);  // [rows × dim], filled row by row for a stable order
  for (int r = 0; r < rows; ++r)
    for (int d = 0; d < dim; ++d) vectors(r, d) = scale * rng.normal();
  return vectors;
}

}  // namespace ll::text
