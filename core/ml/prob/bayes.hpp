#pragma once
// Bayes' rule, P(θ|x) = P(x|θ)·P(θ) / P(x), for the two classroom cases: the bias of a coin
// (Beta prior × binomial likelihood, conjugate, plus the same update done numerically on a grid
// so every term can be shown) and a diagnostic test (prevalence, sensitivity, specificity).
#include <string>
#include <vector>

namespace ll::prob {

// ---- Coin: θ = P(heads), prior Beta(a, b) -------------------------------------------------

struct BetaDist {
  double a = 1, b = 1;  // both > 0
};

double beta_log_pdf(double theta, const BetaDist& d);  // −inf outside (0, 1) unless a or b is 1 at the edge
double beta_mean(const BetaDist& d);
double beta_sd(const BetaDist& d);
// The mode (a−1)/(a+b−2) when a, b > 1; otherwise NaN (the density peaks at an edge or is flat).
double beta_mode(const BetaDist& d);

// Conjugate update: Beta(a, b) after `heads` and `tails` is Beta(a + heads, b + tails).
BetaDist beta_posterior(const BetaDist& prior, long heads, long tails);

// log P(x) for one ordered sequence with `heads` and `tails`: log B(a+h, b+t) − log B(a, b).
double beta_bernoulli_log_evidence(const BetaDist& prior, long heads, long tails);

// The update done by brute force on θ grid points (cell centres (i+½)/n), with each factor kept.
struct GridPosterior {
  std::vector<double> theta;       // [n] grid points
  std::vector<double> prior;       // [n] P(θ) density
  std::vector<double> likelihood;  // [n] P(x|θ) = θ^h (1−θ)^t
  std::vector<double> posterior;   // [n] P(θ|x) density = P(x|θ)P(θ)/P(x)
  double evidence = 0;             // P(x) = ∫ P(x|θ)P(θ) dθ (midpoint rule)
};
GridPosterior grid_posterior(const BetaDist& prior, long heads, long tails, int n);

// ---- Diagnostic test ----------------------------------------------------------------------

struct DiagnosticTest {
  double prevalence = 0.01;   // P(D)
  double sensitivity = 0.9;   // P(+|D)
  double specificity = 0.95;  // P(−|¬D)
};

struct DiagnosticPosterior {
  // The joint P(D, result) over the four cells; they sum to 1.
  double true_positive = 0, false_positive = 0, false_negative = 0, true_negative = 0;
  double p_positive = 0;               // P(+) = TP + FP, the evidence for a positive result
  double p_disease_given_positive = 0; // P(D|+) = P(+|D)P(D)/P(+); NaN when P(+) = 0
  double p_disease_given_negative = 0; // P(D|−); NaN when P(−) = 0
  std::string message;                 // why a posterior is undefined or inputs were clamped
};

// Probabilities outside [0, 1] (or NaN) are clamped into it and named in `message`.
DiagnosticPosterior diagnose(DiagnosticTest test);

// P(D | `positives` positive results in a row), each test independent given D: the posterior of
// one test becomes the prior of the next.
std::vector<double> repeated_positive_posteriors(DiagnosticTest test, int positives);

}  // namespace ll::prob
