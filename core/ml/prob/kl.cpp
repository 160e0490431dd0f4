#include "ml/prob/kl.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "ml/prob/gauss2d.hpp"

namespace ll::prob {

double kl_gaussian1(const Gaussian1& p, const Gaussian1& q) {
  assert(p.sd > 0 && q.sd > 0);
  const double d = p.mean - q.mean;
  return std::log(q.sd / p.sd) + (p.sd * p.sd + d * d) / (2 * q.sd * q.sd) - 0.5;
}

double mixture1_log_pdf(const Mixture1& m, double x) {
  assert(m.weights.size() == m.means.size() && m.means.size() == m.sds.size() && !m.weights.empty());
  double total = 0;
  for (double w : m.weights) total += w;
  std::vector<double> terms(m.weights.size());
  for (size_t k = 0; k < m.weights.size(); ++k)
    terms[k] = m.weights[k] > 0 ? std::log(m.weights[k] / total) + gaussian1_log_pdf(x, {m.means[k], m.sds[k]})
                                : -INFINITY;
  return log_sum_exp(terms.data(), terms.size());
}

std::vector<double> log_density_on_grid(const Mixture1& m, const Grid1& g) {
  std::vector<double> out(size_t(g.n));
  for (int i = 0; i < g.n; ++i) out[size_t(i)] = mixture1_log_pdf(m, g.x(i));
  return out;
}

std::vector<double> log_density_on_grid(const Gaussian1& q, const Grid1& g) {
  assert(q.sd > 0);
  std::vector<double> out(size_t(g.n));
  const double log_norm = -0.5 * kLog2Pi - std::log(q.sd), inv_sd = 1 / q.sd;  // once, not per point
  for (int i = 0; i < g.n; ++i) {
    const double z = (g.x(i) - q.mean) * inv_sd;
    out[size_t(i)] = log_norm - 0.5 * z * z;
  }
  return out;
}

double kl_numeric(const std::vector<double>& log_p, const std::vector<double>& log_q, const Grid1& g) {
  assert(log_p.size() == size_t(g.n) && log_q.size() == size_t(g.n) && g.n >= 2);
  double sum = 0;
  for (int i = 0; i < g.n; ++i) {
    const double lp = log_p[size_t(i)], lq = log_q[size_t(i)];
    if (lp == -INFINITY) continue;
    if (lq == -INFINITY) return INFINITY;
    const double term = std::exp(lp) * (lp - lq);
    sum += (i == 0 || i == g.n - 1) ? 0.5 * term : term;
  }
  return sum * g.dx();
}

const char* kl_direction_name(KlDirection d) { return d == KlDirection::Forward ? "KL(p‖q)" : "KL(q‖p)"; }

Gaussian1 KlFit::q() const { return {params[0], std::exp(params[1])}; }

namespace {

double kl_at(KlDirection direction, double mean, double log_sd, const std::vector<double>& log_p, const Grid1& g) {
  const std::vector<double> log_q = log_density_on_grid(Gaussian1{mean, std::exp(log_sd)}, g);
  return direction == KlDirection::Forward ? kl_numeric(log_p, log_q, g) : kl_numeric(log_q, log_p, g);
}

}  // namespace

KlFit start_kl_fit(KlDirection direction, Gaussian1 start, const std::vector<double>& log_p, const Grid1& g,
                   double lr) {
  assert(start.sd > 0);
  KlFit fit;
  fit.direction = direction;
  fit.params[0] = start.mean;
  fit.params[1] = std::log(start.sd);
  fit.config.kind = OptimizerKind::Adam;
  fit.config.lr = lr;
  fit.kl = kl_at(direction, fit.params[0], fit.params[1], log_p, g);
  fit.history.assign(1, fit.kl);
  return fit;
}

bool kl_fit_step(KlFit& fit, const std::vector<double>& log_p, const Grid1& g) {
  const double h = 1e-5;
  double grad[2];
  for (int j = 0; j < 2; ++j) {
    double plus[2] = {fit.params[0], fit.params[1]}, minus[2] = {fit.params[0], fit.params[1]};
    plus[j] += h;
    minus[j] -= h;
    grad[j] = (kl_at(fit.direction, plus[0], plus[1], log_p, g) - kl_at(fit.direction, minus[0], minus[1], log_p, g)) /
              (2 * h);
  }
  if (!std::isfinite(grad[0]) || !std::isfinite(grad[1])) return false;
  OptimizerState<double> state{fit.adam_m, fit.adam_v, fit.step};
  optimizer_step(fit.params, grad, 2, state, fit.config);
  fit.step = state.step;
  // Keep q narrower than the grid is wide and wider than a few cells, where the numeric KL is accurate.
  fit.params[1] = std::clamp(fit.params[1], std::log(3 * g.dx()), std::log(0.25 * (g.hi - g.lo)));
  fit.kl = kl_at(fit.direction, fit.params[0], fit.params[1], log_p, g);
  fit.history.push_back(fit.kl);
  return true;
}

}  // namespace ll::prob
