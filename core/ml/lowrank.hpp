#pragma once
// Low-rank views of data: the SVD of a matrix (an image) and its rank-k reconstructions, PCA of
// a data set (rows = samples) through the eigendecomposition of its centred scatter matrix,
// and principal angles between subspaces. Eckart–Young: the rank-k truncation is the best
// rank-k approximation, and its squared Frobenius error is the sum of the dropped σᵢ².
#include <Eigen/Dense>

namespace ll {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A = U Σ Vᵀ with r = min(m, n) singular values.
struct Svd {
  Eigen::MatrixXd u;      // [m × r]
  Eigen::VectorXd sigma;  // [r] descending, ≥ 0
  Eigen::MatrixXd v;      // [n × r]
};

Svd svd_of(const Eigen::MatrixXd& a);
// A_k = U_k Σ_k V_kᵀ, 0 ≤ k ≤ r.
Eigen::MatrixXd svd_reconstruct(const Svd& s, int k);
// Σ_{i ≥ k} σᵢ²: the squared Frobenius error of the rank-k truncation.
double dropped_energy(const Eigen::VectorXd& sigma, int k);
double squared_frobenius_distance(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);
// Numbers stored for a rank-k factorisation of an m × n matrix: k columns of U and V, k σ's.
long low_rank_storage(long m, long n, int k);

// PCA of `samples` points of `dim` features, fitted by the eigendecomposition of the centred
// scatter matrix S = (X − 1μᵀ)ᵀ(X − 1μᵀ), whose eigenvalues are the squared singular values of
// the centred data matrix.
struct Pca {
  int dim = 0;
  long samples = 0;
  Eigen::VectorXf mean;          // [dim] μ
  Eigen::MatrixXf components;    // [dim × dim] column i = i-th principal axis (unit), by descending variance
  Eigen::VectorXd eigenvalues;   // [dim] λᵢ = σᵢ² of the centred data, descending, clamped ≥ 0
  double total_scatter = 0;      // Σλᵢ = ‖X − 1μᵀ‖²_F
};

// Σ_{i ≥ k} λᵢ: squared Frobenius error of reconstructing the training data from k components.
double pca_residual(const Pca& pca, int k);
// code[k] = V_kᵀ (x − μ);  x[dim]
void pca_project(const Pca& pca, const float* x, int k, float* code);
// x_hat[dim] = μ + V_k code
void pca_reconstruct(const Pca& pca, const float* code, int k, float* x_hat);

// The fit in pieces, so a lesson can spread it over frames: pca_begin computes the mean,
// pca_accumulate adds up to max_rows centred rows to the scatter matrix (true once all are in),
// pca_finish runs the eigendecomposition (the one step that cannot be cut: about 0.3 s
// natively for dim 784).
struct PcaFitter {
  const float* data = nullptr;  // [rows × dim] row-major, must outlive the fitter
  long rows = 0;
  int dim = 0;
  long next_row = 0;
  Eigen::VectorXf mean;     // [dim]
  Eigen::MatrixXd scatter;  // [dim × dim] lower triangle accumulated
};
PcaFitter pca_begin(const float* data, long rows, int dim);
bool pca_accumulate(PcaFitter& fitter, long max_rows);
Pca pca_finish(const PcaFitter& fitter);
Pca pca_fit(const float* data, long rows, int dim);

// Cosines of the principal angles between span(a) and span(b) (columns; same row count),
// descending; all 1 when the spans agree. Length min(rank a, rank b) over the given columns.
Eigen::VectorXd principal_angle_cosines(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);

}  // namespace ll
