#include "ml/prob/mle.hpp"

#include <cassert>
#include <cmath>

#include "ml/prob/gauss2d.hpp"

namespace ll::prob {

double gaussian1_log_pdf(double x, const Gaussian1& g) {
  assert(g.sd > 0 && "a Gaussian needs sd > 0");
  const double z = (x - g.mean) / g.sd;
  return -0.5 * kLog2Pi - std::log(g.sd) - 0.5 * z * z;
}

double gaussian1_average_log_likelihood(const double* xs, size_t n, const Gaussian1& g) {
  if (n == 0) return NAN;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += gaussian1_log_pdf(xs[i], g);
  return sum / double(n);
}

Gaussian1Fit fit_gaussian1_mle(const double* xs, size_t n, double min_sd) {
  Gaussian1Fit fit;
  if (n == 0) {
    fit.message = "No samples: the likelihood is the same for every θ, so there is nothing to maximise.";
    return fit;
  }
  double mean = 0;
  for (size_t i = 0; i < n; ++i) mean += xs[i];
  mean /= double(n);
  double var = 0;
  for (size_t i = 0; i < n; ++i) var += (xs[i] - mean) * (xs[i] - mean);
  var /= double(n);
  fit.ok = true;
  fit.g = {mean, std::sqrt(var)};
  if (fit.g.sd < min_sd) {
    fit.floored = true;
    fit.message = n == 1 ? "One sample has zero spread: shrinking sd towards 0 raises its likelihood without bound, "
                           "so the maximum does not exist. sd is held at " + std::to_string(min_sd) + "."
                         : "All samples are equal (zero variance): the likelihood grows without bound as sd → 0, "
                           "so sd is held at " + std::to_string(min_sd) + ".";
    fit.g.sd = min_sd;
  }
  return fit;
}

std::vector<double> fit_categorical(const std::vector<long>& counts, double pseudo_count) {
  assert(!counts.empty() && pseudo_count >= 0);
  double total = 0;
  for (long c : counts) {
    assert(c >= 0);
    total += double(c) + pseudo_count;
  }
  std::vector<double> theta(counts.size(), 1.0 / double(counts.size()));
  if (total == 0) return theta;
  for (size_t k = 0; k < counts.size(); ++k) theta[k] = (double(counts[k]) + pseudo_count) / total;
  return theta;
}

double categorical_average_log_likelihood(const std::vector<long>& counts, const std::vector<double>& theta) {
  assert(counts.size() == theta.size());
  double n = 0, sum = 0;
  for (size_t k = 0; k < counts.size(); ++k) {
    n += double(counts[k]);
    if (counts[k] > 0) sum += double(counts[k]) * std::log(theta[k]);
  }
  return n > 0 ? sum / n : NAN;
}

double categorical_entropy(const std::vector<double>& p) {
  double h = 0;
  for (double v : p)
    if (v > 0) h -= v * std::log(v);
  return h;
}

double categorical_kl(const std::vector<double>& p, const std::vector<double>& q) {
  assert(p.size() == q.size());
  double kl = 0;
  for (size_t k = 0; k < p.size(); ++k) {
    if (p[k] == 0) continue;
    if (q[k] == 0) return INFINITY;
    kl += p[k] * std::log(p[k] / q[k]);
  }
  return kl;
}

std::vector<double> categorical_along(const std::vector<double>& base, size_t k, double t) {
  assert(k < base.size() && base[k] < 1);
  std::vector<double> q(base.size());
  const double rest = 1 - base[k];
  for (size_t j = 0; j < base.size(); ++j) q[j] = j == k ? t : base[j] * (1 - t) / rest;
  return q;
}

}  // namespace ll::prob
