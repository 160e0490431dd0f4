#pragma once
// Maximum likelihood for a 1-D Gaussian and a categorical distribution, and the average
// log-likelihood as a function of a parameter (the curve whose peak is the estimate).
#include <cstddef>
#include <string>
#include <vector>

namespace ll::prob {

struct Gaussian1 {
  double mean = 0, sd = 1;
};

double gaussian1_log_pdf(double x, const Gaussian1& g);  // sd > 0

// (1/n) Σ log N(x_i; mean, sd); NaN for n = 0.
double gaussian1_average_log_likelihood(const double* xs, size_t n, const Gaussian1& g);

struct Gaussian1Fit {
  Gaussian1 g;
  bool ok = false;      // false: n = 0 (nothing to fit)
  bool floored = false; // the sample variance was (near) 0, where the likelihood has no maximum
  std::string message;
};

// The closed form: mean = x̄, sd² = (1/n)Σ(x − x̄)² (the biased estimate maximises the
// likelihood). Zero variance (one point, or all equal) would give sd = 0 and likelihood +∞;
// sd is floored at `min_sd` instead and the message says why.
Gaussian1Fit fit_gaussian1_mle(const double* xs, size_t n, double min_sd = 1e-3);

// Categorical over K outcomes. counts[k] ≥ 0. The MLE is counts / n; with `pseudo_count` > 0
// each count gets that many extra observations (Laplace smoothing), so unseen outcomes keep
// a non-zero probability. Empty input gives the uniform distribution.
std::vector<double> fit_categorical(const std::vector<long>& counts, double pseudo_count = 0);
// (1/n) Σ_k counts[k]·log θ_k; −inf if an observed outcome has θ_k = 0; NaN for n = 0.
double categorical_average_log_likelihood(const std::vector<long>& counts, const std::vector<double>& theta);
// Entropy H(p) = −Σ p log p in nats.
double categorical_entropy(const std::vector<double>& p);
// KL(p‖q) = Σ p log(p/q) in nats; +inf if q_k = 0 where p_k > 0.
double categorical_kl(const std::vector<double>& p, const std::vector<double>& q);

// A categorical moved along one coordinate: θ_k = t and the others rescaled to keep their
// proportions to each other (base must have base_k < 1). Used to draw likelihood curves.
std::vector<double> categorical_along(const std::vector<double>& base, size_t k, double t);

}  // namespace ll::prob
