#pragma once
// KL divergence in 1-D: the closed form between Gaussians, a numeric version between any two
// densities tabulated on a grid, and fitting one Gaussian q to a target p by minimising
// KL(p‖q) (covers every mode: mean-seeking) or KL(q‖p) (avoids where p is small: mode-seeking).
#include <string>
#include <vector>

#include "ml/optim.hpp"
#include "ml/prob/mle.hpp"

namespace ll::prob {

// KL(N(m1, s1²) ‖ N(m2, s2²)) = log(s2/s1) + (s1² + (m1 − m2)²)/(2 s2²) − ½, in nats.
double kl_gaussian1(const Gaussian1& p, const Gaussian1& q);

// n equally spaced points x_i = lo + i·dx from lo to hi; integrals use the trapezoid rule.
struct Grid1 {
  double lo = -6, hi = 6;
  int n = 601;
  double dx() const { return (hi - lo) / (n - 1); }
  double x(int i) const { return lo + i * dx(); }
};

// A mixture Σ w_k N(m_k, s_k²) in 1-D (weights are normalised when evaluated).
struct Mixture1 {
  std::vector<double> weights, means, sds;
};
double mixture1_log_pdf(const Mixture1& m, double x);

std::vector<double> log_density_on_grid(const Mixture1& m, const Grid1& g);
std::vector<double> log_density_on_grid(const Gaussian1& q, const Grid1& g);

// ∫ p (log p − log q) dx from log densities on the same grid (so tails that underflow as
// densities stay exact as logs). Cells where p = 0 contribute 0; +inf if q = 0 where p > 0.
double kl_numeric(const std::vector<double>& log_p, const std::vector<double>& log_q, const Grid1& g);

enum class KlDirection {
  Forward,  // KL(p‖q): q pays wherever p has mass it misses → q spreads over all modes
  Reverse,  // KL(q‖p): q pays for mass where p is small → q sits inside one mode
};
const char* kl_direction_name(KlDirection d);  // "KL(p‖q)" or "KL(q‖p)"

// Gradient descent with Adam on (mean, log sd) of q against a fixed target p on a grid, the
// gradient by central differences of kl_numeric. One struct per fit so a lesson can animate it.
struct KlFit {
  KlDirection direction = KlDirection::Forward;
  double params[2] = {0, 0};  // mean, log sd
  double adam_m[2] = {0, 0}, adam_v[2] = {0, 0};
  long step = 0;
  OptimizerConfig config;
  double kl = 0;         // at params
  std::vector<double> history;  // kl after each step, history[0] at the start
  Gaussian1 q() const;
};

KlFit start_kl_fit(KlDirection direction, Gaussian1 start, const std::vector<double>& log_p, const Grid1& g,
                   double lr = 0.05);
// One step; returns false (and changes nothing) if the gradient is not finite.
bool kl_fit_step(KlFit& fit, const std::vector<double>& log_p, const Grid1& g);

}  // namespace ll::prob
