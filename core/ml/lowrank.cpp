#include "ml/lowrank.hpp"

#include <algorithm>

#include "ml/check.hpp"

namespace ll {

Svd svd_of(const Eigen::MatrixXd& a) {
  Eigen::BDCSVD<Eigen::MatrixXd> bdc(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
  Svd s{bdc.matrixU(), bdc.singularValues(), bdc.matrixV()};
  const long r = std::min(a.rows(), a.cols());
  LL_CHECK(s.sigma.size() == r && s.u.cols() == r && s.v.cols() == r, "svd_of: thin factors");
  return s;
}

Eigen::MatrixXd svd_reconstruct(const Svd& s, int k) {
  LL_CHECK(k >= 0 && k <= s.sigma.size(), "svd_reconstruct: 0 ≤ k ≤ rank");
  return s.u.leftCols(k) * s.sigma.head(k).asDiagonal() * s.v.leftCols(k).transpose();  // [m × n]
}

double dropped_energy(const Eigen::VectorXd& sigma, int k) {
  LL_CHECK(k >= 0 && k <= sigma.size(), "dropped_energy: 0 ≤ k ≤ rank");
  return sigma.tail(sigma.size() - k).squaredNorm();
}

double squared_frobenius_distance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  LL_CHECK(a.rows() == b.rows() && a.cols() == b.cols(), "squared_frobenius_distance: same shape");
  return (a - b).squaredNorm();
}

long low_rank_storage(long m, long n, int k) { return long(k) * (m + n + 1); }

double pca_residual(const Pca& pca, int k) {
  LL_CHECK(k >= 0 && k <= pca.dim, "pca_residual: 0 ≤ k ≤ dim");
  // The tail sum directly (not total − head), so small residuals keep their precision.
  return pca.eigenvalues.tail(pca.dim - k).sum();
}

void pca_project(const Pca& pca, const float* x, int k, float* code) {
  LL_CHECK(k >= 0 && k <= pca.dim, "pca_project: 0 ≤ k ≤ dim");
  const Eigen::Map<const Eigen::VectorXf> xv(x, pca.dim);
  Eigen::Map<Eigen::VectorXf>(code, k) = pca.components.leftCols(k).transpose() * (xv - pca.mean);  // [k]
}

void pca_reconstruct(const Pca& pca, const float* code, int k, float* x_hat) {
  LL_CHECK(k >= 0 && k <= pca.dim, "pca_reconstruct: 0 ≤ k ≤ dim");
  const Eigen::Map<const Eigen::VectorXf> c(code, k);
  Eigen::Map<Eigen::VectorXf>(x_hat, pca.dim) = pca.mean + pca.components.leftCols(k) * c;  // [dim]
}

PcaFitter pca_begin(const float* data, long rows, int dim) {
  LL_CHECK(data && rows >= 2 && dim >= 1, "pca_begin: at least two rows of dim ≥ 1");
  PcaFitter f;
  f.data = data;
  f.rows = rows;
  f.dim = dim;
  const Eigen::Map<const RowMatrixXf> x(data, rows, dim);
  f.mean = (x.cast<double>().colwise().sum() / double(rows)).transpose().cast<float>();  // [dim]
  f.scatter = Eigen::MatrixXd::Zero(dim, dim);
  return f;
}

bool pca_accumulate(PcaFitter& f, long max_rows) {
  // Blocks of float rows (the fast GEMM) summed into a double scatter matrix.
  constexpr long kBlock = 256;
  long budget = std::max(1L, max_rows);
  Eigen::MatrixXf block_scatter(f.dim, f.dim);
  while (f.next_row < f.rows && budget > 0) {
    const long n = std::min({kBlock, budget, f.rows - f.next_row});
    const Eigen::Map<const RowMatrixXf> x(f.data + size_t(f.next_row) * size_t(f.dim), n, f.dim);
    const RowMatrixXf centred = x.rowwise() - f.mean.transpose();  // [n × dim]
    block_scatter.setZero();
    block_scatter.selfadjointView<Eigen::Lower>().rankUpdate(centred.transpose());
    f.scatter.triangularView<Eigen::Lower>() += block_scatter.cast<double>();
    f.next_row += n;
    budget -= n;
  }
  return f.next_row == f.rows;
}

Pca pca_finish(const PcaFitter& f) {
  LL_CHECK(f.next_row == f.rows, "pca_finish: pca_accumulate has not seen every row");
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(f.scatter, Eigen::ComputeEigenvectors);  // reads the lower triangle
  LL_CHECK(eig.info() == Eigen::Success, "pca_finish: eigendecomposition failed");
  Pca pca;
  pca.dim = f.dim;
  pca.samples = f.rows;
  pca.mean = f.mean;
  // Eigen sorts ascending; principal axes go by descending variance.
  pca.eigenvalues = eig.eigenvalues().reverse().cwiseMax(0.0);                   // [dim]
  pca.components = eig.eigenvectors().rowwise().reverse().cast<float>();         // [dim × dim]
  pca.total_scatter = f.scatter.diagonal().sum();
  LL_CHECK_SHAPE(pca.components, f.dim, f.dim, "pca_finish: components");
  return pca;
}

Pca pca_fit(const float* data, long rows, int dim) {
  PcaFitter f = pca_begin(data, rows, dim);
  pca_accumulate(f, rows);
  return pca_finish(f);
}

Eigen::VectorXd principal_angle_cosines(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  LL_CHECK(a.rows() == b.rows() && a.cols() >= 1 && b.cols() >= 1, "principal_angle_cosines: same row count");
  const Eigen::MatrixXd qa = Eigen::HouseholderQR<Eigen::MatrixXd>(a).householderQ() *
                             Eigen::MatrixXd::Identity(a.rows(), a.cols());  // [m × ka] orthonormal
  const Eigen::MatrixXd qb = Eigen::HouseholderQR<Eigen::MatrixXd>(b).householderQ() *
                             Eigen::MatrixXd::Identity(b.rows(), b.cols());  // [m × kb]
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(qa.transpose() * qb);
  return svd.singularValues().cwiseMin(1.0);
}

}  // namespace ll
