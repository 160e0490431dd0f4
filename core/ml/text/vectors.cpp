#include "ml/text/vectors.hpp"

#include <cassert>
#include <cmath>

namespace ll::text {

Eigen::VectorXd one_hot(int id, int size) {
  assert(size > 0 && id >= 0 && id < size && "one_hot: id outside the vocabulary");
  Eigen::VectorXd e = Eigen::VectorXd::Zero(size);  // [size]
  e[id] = 1;
  return e;
}

double cosine_similarity(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  assert(a.size() == b.size() && "cosine_similarity: vectors of different length");
  const double norms = a.norm() * b.norm();
  return norms == 0 ? NAN : a.dot(b) / norms;
}

Eigen::VectorXd embedding_product(const Eigen::VectorXd& x, const Eigen::MatrixXd& W) {
  assert(x.size() == W.rows() && "embedding_product: x must have one entry per row of W");
  Eigen::VectorXd product = W.transpose() * x;  // [dim]
  assert(product.size() == W.cols());
  return product;
}

}  // namespace ll::text
