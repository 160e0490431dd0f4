#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "ml/linear_ae.hpp"
#include "ml/lowrank.hpp"
#include "ml/rng.hpp"

namespace {

Eigen::MatrixXd random_matrix(int rows, int cols, ll::Rng& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = rng.normal();
  return m;
}

Eigen::MatrixXd random_rotation(int n, ll::Rng& rng) {
  return Eigen::HouseholderQR<Eigen::MatrixXd>(random_matrix(n, n, rng)).householderQ();
}

// rows points x = offset + R·diag(stddevs)·ε, ε ~ N(0, I) (plus isotropic noise), row-major floats.
std::vector<float> gaussian_points(long rows, const Eigen::MatrixXd& rotation, const std::vector<double>& stddevs,
                                   const Eigen::VectorXd& offset, double noise, ll::Rng& rng) {
  const int dim = int(rotation.rows());
  std::vector<float> data(size_t(rows) * dim);
  Eigen::VectorXd latent(stddevs.size());
  for (long r = 0; r < rows; ++r) {
    for (size_t i = 0; i < stddevs.size(); ++i) latent[Eigen::Index(i)] = stddevs[i] * rng.normal();
    const Eigen::VectorXd x = offset + rotation.leftCols(Eigen::Index(stddevs.size())) * latent;
    for (int j = 0; j < dim; ++j) data[size_t(r) * dim + j] = float(x[j] + noise * rng.normal());
  }
  return data;
}

}  // namespace

TEST_CASE("svd: the rank-k error is the sum of the dropped squared singular values", "[mnist]") {
  ll::Rng rng(5);
  const Eigen::MatrixXd a = random_matrix(28, 20, rng);
  const ll::Svd s = ll::svd_of(a);
  REQUIRE(s.sigma.size() == 20);
  for (int i = 1; i < 20; ++i) CHECK(s.sigma[i] <= s.sigma[i - 1]);
  for (int k = 0; k <= 20; ++k) {
    INFO("k = " << k);
    const double error = ll::squared_frobenius_distance(a, ll::svd_reconstruct(s, k));
    CHECK(error == Approx(ll::dropped_energy(s.sigma, k)).epsilon(1e-9).margin(1e-9));
  }
  CHECK(ll::dropped_energy(s.sigma, 0) == Approx(a.squaredNorm()).epsilon(1e-12));
  // A rank-3 matrix is rebuilt exactly from 3 components.
  const Eigen::MatrixXd low = random_matrix(28, 3, rng) * random_matrix(3, 28, rng);
  const ll::Svd ls = ll::svd_of(low);
  CHECK(ls.sigma[3] < 1e-10 * ls.sigma[0]);
  CHECK(ll::squared_frobenius_distance(low, ll::svd_reconstruct(ls, 3)) < 1e-18 * low.squaredNorm() + 1e-20);
  CHECK(ll::low_rank_storage(28, 28, 5) == 5 * 57);
}

TEST_CASE("pca: recovers the axes and variances of an anisotropic Gaussian", "[mnist]") {
  ll::Rng rng(11);
  const Eigen::MatrixXd rotation = random_rotation(3, rng);
  const std::vector<double> stddevs = {3.0, 1.0, 0.3};
  const Eigen::VectorXd offset = Eigen::Vector3d(1.0, -2.0, 0.5);
  const long n = 4000;
  const std::vector<float> data = gaussian_points(n, rotation, stddevs, offset, 0.0, rng);
  const ll::Pca pca = ll::pca_fit(data.data(), n, 3);
  for (int i = 0; i < 3; ++i) {
    INFO("axis " << i);
    const double alignment = std::abs(pca.components.col(i).cast<double>().dot(rotation.col(i)));
    CHECK(alignment > 0.995);
    CHECK(pca.eigenvalues[i] / double(n - 1) == Approx(stddevs[size_t(i)] * stddevs[size_t(i)]).epsilon(0.08));
    CHECK(pca.mean[i] == Approx(offset[i]).margin(0.12));
  }
}

TEST_CASE("pca: eigenvalues are the centred data's squared singular values; pieces equal one pass", "[mnist]") {
  ll::Rng rng(3);
  const long n = 60;
  const int dim = 7;
  std::vector<float> data(size_t(n) * dim);
  for (float& v : data) v = float(rng.uniform());
  const ll::Pca pca = ll::pca_fit(data.data(), n, dim);

  const Eigen::Map<const ll::RowMatrixXf> x(data.data(), n, dim);
  const Eigen::MatrixXd centred = (x.rowwise() - pca.mean.transpose()).cast<double>();
  const ll::Svd s = ll::svd_of(centred);
  for (int i = 0; i < dim; ++i) CHECK(pca.eigenvalues[i] == Approx(s.sigma[i] * s.sigma[i]).epsilon(1e-5));
  CHECK(pca.total_scatter == Approx(centred.squaredNorm()).epsilon(1e-6));

  // Reconstructing every row from k components leaves exactly the dropped eigenvalues.
  std::vector<float> code(dim), rebuilt(dim);
  for (int k = 0; k <= dim; ++k) {
    double error = 0;
    for (long r = 0; r < n; ++r) {
      ll::pca_project(pca, data.data() + r * dim, k, code.data());
      ll::pca_reconstruct(pca, code.data(), k, rebuilt.data());
      for (int j = 0; j < dim; ++j) error += std::pow(double(rebuilt[j]) - data[size_t(r * dim + j)], 2);
    }
    INFO("k = " << k);
    CHECK(error == Approx(ll::pca_residual(pca, k)).epsilon(1e-4).margin(1e-6));
  }

  ll::PcaFitter fitter = ll::pca_begin(data.data(), n, dim);
  int calls = 0;
  while (!ll::pca_accumulate(fitter, 7)) ++calls;
  CHECK(calls == 8);  // 60 rows in pieces of 7
  const ll::Pca pieces = ll::pca_finish(fitter);
  for (int i = 0; i < dim; ++i) CHECK(pieces.eigenvalues[i] == Approx(pca.eigenvalues[i]).epsilon(1e-6));
}

TEST_CASE("principal angles: equal spans have cosines 1, orthogonal spans 0", "[mnist]") {
  ll::Rng rng(2);
  const Eigen::MatrixXd q = random_rotation(6, rng);
  const Eigen::MatrixXd mixed = q.leftCols(2) * random_matrix(2, 2, rng);  // same span, other basis
  const Eigen::VectorXd same = ll::principal_angle_cosines(q.leftCols(2), mixed);
  CHECK(same.minCoeff() == Approx(1.0).epsilon(1e-9));
  const Eigen::VectorXd orthogonal = ll::principal_angle_cosines(q.leftCols(2), q.middleCols(2, 2));
  CHECK(orthogonal.maxCoeff() < 1e-9);
}

TEST_CASE("linear autoencoder: gradient matches central differences", "[mnist]") {
  ll::Rng rng(9);
  const int dim = 6, code = 2, batch = 5;
  ll::LinearAutoencoder ae = ll::make_linear_autoencoder(dim, code, rng);
  for (float& p : ae.params) p += float(0.3 * rng.normal());  // biases too
  std::vector<float> x(size_t(batch) * dim);
  for (float& v : x) v = float(rng.normal());
  std::vector<float> grad(ae.size()), unused(ae.size());
  ll::linear_ae_loss_and_gradient(ae, x.data(), batch, grad.data());
  // The loss is quadratic in any one parameter, so central differences are exact up to rounding.
  const float h = 1e-2f;
  double diff = 0, scale = 0;
  for (size_t i = 0; i < ae.size(); ++i) {
    const float saved = ae.params[i];
    ae.params[i] = saved + h;
    const double up = ll::linear_ae_loss_and_gradient(ae, x.data(), batch, unused.data());
    ae.params[i] = saved - h;
    const double down = ll::linear_ae_loss_and_gradient(ae, x.data(), batch, unused.data());
    ae.params[i] = saved;
    const double numeric = (up - down) / (2 * double(h));
    diff += std::pow(numeric - grad[i], 2);
    scale += std::pow(numeric, 2) + std::pow(double(grad[i]), 2);
  }
  CHECK(std::sqrt(diff / scale) < 1e-4);
}

TEST_CASE("linear autoencoder: training meets PCA's error and subspace on low-rank data", "[mnist]") {
  ll::Rng rng(21);
  const int dim = 20, code = 3;
  const long n = 1000;
  Eigen::VectorXd offset(dim);
  for (int j = 0; j < dim; ++j) offset[j] = rng.uniform(-1, 1);
  const std::vector<float> data = gaussian_points(n, random_rotation(dim, rng), {3.0, 2.0, 1.0}, offset, 0.05, rng);
  const ll::Pca pca = ll::pca_fit(data.data(), n, dim);

  ll::LinearAeTrainer t = ll::make_linear_ae_trainer(dim, code, n, 4, 3e-2, 10);
  t.lr_halving_epochs = 10;
  const double before = ll::linear_ae_squared_error(t.ae, data.data(), n);
  while (t.epoch < 60) REQUIRE(ll::linear_ae_train(t, data.data(), n, 1000) > 0);
  const double after = ll::linear_ae_squared_error(t.ae, data.data(), n);
  const double pca_error = ll::pca_residual(pca, code);
  INFO("AE error " << after << ", PCA error " << pca_error << ", before " << before);
  CHECK(after >= pca_error * 0.999);      // PCA is optimal
  CHECK(after <= pca_error * 1.02);       // and the AE gets there
  CHECK(after < 0.5 * ll::pca_residual(pca, code - 1));
  CHECK(t.last_epoch_loss == Approx(after / double(n)).epsilon(0.2));

  float* params = t.ae.params.data();
  const Eigen::MatrixXd decoder = ll::decoder_weights(params, dim, code).cast<double>();
  const Eigen::MatrixXd top = pca.components.leftCols(code).cast<double>();
  const Eigen::VectorXd cosines = ll::principal_angle_cosines(decoder, top);
  INFO("smallest principal-angle cosine " << cosines.minCoeff());
  CHECK(cosines.minCoeff() > 0.999);
}
