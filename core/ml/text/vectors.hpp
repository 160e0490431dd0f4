#pragma once
// One-hot word vectors and what they cannot express: every two distinct words are orthogonal.
// A dense embedding matrix W gives each word a row; one-hot(w) × W picks that row.
#include <Eigen/Core>

namespace ll::text {

// e_id: [size], a single 1 at id.
Eigen::VectorXd one_hot(int id, int size);

// a·b / (|a| |b|); NaN when either vector is all zeros (the angle is undefined).
double cosine_similarity(const Eigen::VectorXd& a, const Eigen::VectorXd& b);

// The full product xᵀ W for x [vocab] and W [vocab × dim] → [dim]; with x = one_hot(id)
// it equals row id of W, which is why an embedding layer is implemented as a row lookup.
Eigen::VectorXd embedding_product(const Eigen::VectorXd& x, const Eigen::MatrixXd& W);

}  // namespace ll::text
