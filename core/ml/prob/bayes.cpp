#include "ml/prob/bayes.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace ll::prob {

namespace {

double log_beta_fn(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

// x·log(y) with the convention 0·log 0 = 0.
double xlogy(double x, double y) { return x == 0 ? 0.0 : x * std::log(y); }

}  // namespace

double beta_log_pdf(double theta, const BetaDist& d) {
  assert(d.a > 0 && d.b > 0 && "Beta parameters must be positive");
  if (theta < 0 || theta > 1) return -INFINITY;
  return xlogy(d.a - 1, theta) + xlogy(d.b - 1, 1 - theta) - log_beta_fn(d.a, d.b);
}

double beta_mean(const BetaDist& d) { return d.a / (d.a + d.b); }

double beta_sd(const BetaDist& d) {
  const double s = d.a + d.b;
  return std::sqrt(d.a * d.b / (s * s * (s + 1)));
}

double beta_mode(const BetaDist& d) { return d.a > 1 && d.b > 1 ? (d.a - 1) / (d.a + d.b - 2) : NAN; }

BetaDist beta_posterior(const BetaDist& prior, long heads, long tails) {
  assert(heads >= 0 && tails >= 0);
  return {prior.a + double(heads), prior.b + double(tails)};
}

double beta_bernoulli_log_evidence(const BetaDist& prior, long heads, long tails) {
  return log_beta_fn(prior.a + double(heads), prior.b + double(tails)) - log_beta_fn(prior.a, prior.b);
}

GridPosterior grid_posterior(const BetaDist& prior, long heads, long tails, int n) {
  assert(n >= 2);
  GridPosterior g;
  g.theta.resize(size_t(n));
  g.prior.resize(size_t(n));
  g.likelihood.resize(size_t(n));
  g.posterior.resize(size_t(n));
  const double dtheta = 1.0 / n;
  for (int i = 0; i < n; ++i) {
    const double t = (i + 0.5) * dtheta;
    g.theta[size_t(i)] = t;
    g.prior[size_t(i)] = std::exp(beta_log_pdf(t, prior));
    g.likelihood[size_t(i)] = std::exp(xlogy(double(heads), t) + xlogy(double(tails), 1 - t));
    g.evidence += g.likelihood[size_t(i)] * g.prior[size_t(i)] * dtheta;
  }
  for (int i = 0; i < n; ++i)
    g.posterior[size_t(i)] = g.evidence > 0 ? g.likelihood[size_t(i)] * g.prior[size_t(i)] / g.evidence : 0.0;
  return g;
}

DiagnosticPosterior diagnose(DiagnosticTest test) {
  DiagnosticPosterior r;
  auto clamp_probability = [&r](double& p, const char* name) {
    if (p >= 0 && p <= 1) return;
    const double was = p;
    p = std::isnan(p) ? 0.0 : std::clamp(p, 0.0, 1.0);
    r.message += std::string(name) + " " + std::to_string(was) + " is not a probability; used " +
                 std::to_string(p) + ". ";
  };
  clamp_probability(test.prevalence, "prevalence");
  clamp_probability(test.sensitivity, "sensitivity");
  clamp_probability(test.specificity, "specificity");
  r.true_positive = test.prevalence * test.sensitivity;
  r.false_negative = test.prevalence * (1 - test.sensitivity);
  r.false_positive = (1 - test.prevalence) * (1 - test.specificity);
  r.true_negative = (1 - test.prevalence) * test.specificity;
  r.p_positive = r.true_positive + r.false_positive;
  const double p_negative = r.false_negative + r.true_negative;
  r.p_disease_given_positive = r.p_positive > 0 ? r.true_positive / r.p_positive : NAN;
  r.p_disease_given_negative = p_negative > 0 ? r.false_negative / p_negative : NAN;
  if (r.p_positive == 0) r.message += "A positive result is impossible here (P(+) = 0), so P(D|+) is undefined. ";
  if (p_negative == 0) r.message += "A negative result is impossible here (P(−) = 0), so P(D|−) is undefined. ";
  return r;
}

std::vector<double> repeated_positive_posteriors(DiagnosticTest test, int positives) {
  std::vector<double> out;
  for (int i = 0; i < positives; ++i) {
    const DiagnosticPosterior r = diagnose(test);
    if (std::isnan(r.p_disease_given_positive)) break;
    out.push_back(r.p_disease_given_positive);
    test.prevalence = r.p_disease_given_positive;
  }
  return out;
}

}  // namespace ll::prob
