#include "ml/gen/diffusion.hpp"

#include <algorithm>
#include <cmath>

#include "ml/check.hpp"

namespace ll::gen {

namespace {
constexpr double kPi = 3.14159265358979323846;

void check_t(const NoiseSchedule& s, int t, const char* what) {
  LL_CHECK(t >= 0 && t < s.steps(), what);
}
}  // namespace

const char* schedule_name(ScheduleKind kind) { return kind == ScheduleKind::Linear ? "linear" : "cosine"; }

NoiseSchedule make_noise_schedule(ScheduleKind kind, int steps) {
  LL_CHECK(steps >= 2, "make_noise_schedule: need at least 2 steps");
  NoiseSchedule s;
  s.kind = kind;
  s.betas.resize(size_t(steps));
  if (kind == ScheduleKind::Linear) {
    const double scale = 1000.0 / steps;
    const double first = std::min(0.999, scale * 1e-4), last = std::min(0.999, scale * 0.02);
    for (int t = 0; t < steps; ++t) s.betas[size_t(t)] = first + (last - first) * t / (steps - 1);
  } else {
    const double offset = 0.008;
    auto f = [&](double t) {
      const double c = std::cos((t / steps + offset) / (1 + offset) * kPi / 2);
      return c * c;
    };
    for (int t = 0; t < steps; ++t) s.betas[size_t(t)] = std::min(0.999, 1 - f(t + 1) / f(t));
  }
  s.alphas.resize(size_t(steps));
  s.alpha_bars.resize(size_t(steps));
  double bar = 1;
  for (int t = 0; t < steps; ++t) {
    s.alphas[size_t(t)] = 1 - s.betas[size_t(t)];
    bar *= s.alphas[size_t(t)];
    s.alpha_bars[size_t(t)] = bar;
  }
  return s;
}

void q_sample(const NoiseSchedule& s, int t, const float* x0, const float* eps, float* out, int n) {
  check_t(s, t, "q_sample: t out of range");
  const double a = std::sqrt(s.alpha_bars[size_t(t)]), b = std::sqrt(1 - s.alpha_bars[size_t(t)]);
  for (int i = 0; i < n; ++i) out[i] = float(a * x0[i] + b * eps[i]);
}

void q_step(const NoiseSchedule& s, int t, const float* x_prev, const float* eps, float* out, int n) {
  check_t(s, t, "q_step: t out of range");
  const double a = std::sqrt(s.alphas[size_t(t)]), b = std::sqrt(s.betas[size_t(t)]);
  for (int i = 0; i < n; ++i) out[i] = float(a * x_prev[i] + b * eps[i]);
}

double posterior_mean_variance(const NoiseSchedule& s, int t, const float* x0, const float* xt, float* mean, int n) {
  check_t(s, t, "posterior_mean_variance: t out of range");
  const double beta = s.betas[size_t(t)], bar = s.alpha_bars[size_t(t)], bar_prev = s.alpha_bar_prev(t);
  const double c0 = std::sqrt(bar_prev) * beta / (1 - bar);
  const double ct = std::sqrt(s.alphas[size_t(t)]) * (1 - bar_prev) / (1 - bar);
  for (int i = 0; i < n; ++i) mean[i] = float(c0 * x0[i] + ct * xt[i]);
  return (1 - bar_prev) / (1 - bar) * beta;
}

void predict_x0(const NoiseSchedule& s, int t, const float* xt, const float* eps_hat, float* x0_hat, int n) {
  check_t(s, t, "predict_x0: t out of range");
  const double bar = s.alpha_bars[size_t(t)];
  const double a = 1 / std::sqrt(bar), b = std::sqrt(1 - bar) / std::sqrt(bar);
  for (int i = 0; i < n; ++i) x0_hat[i] = float(a * xt[i] - b * eps_hat[i]);
}

void ddpm_step(const NoiseSchedule& s, int t, const float* xt, const float* eps_hat, const float* z, float* out, int n) {
  check_t(s, t, "ddpm_step: t out of range");
  LL_CHECK(t == 0 || z, "ddpm_step: noise z is needed for t > 0");
  const double beta = s.betas[size_t(t)], bar = s.alpha_bars[size_t(t)], bar_prev = s.alpha_bar_prev(t);
  const double inv_sqrt_alpha = 1 / std::sqrt(s.alphas[size_t(t)]);
  const double eps_coef = beta / std::sqrt(1 - bar);
  const double sigma = t > 0 ? std::sqrt((1 - bar_prev) / (1 - bar) * beta) : 0.0;
  for (int i = 0; i < n; ++i) {
    const double mean = inv_sqrt_alpha * (xt[i] - eps_coef * eps_hat[i]);
    out[i] = float(t > 0 ? mean + sigma * z[i] : mean);
  }
}

void ddim_step(const NoiseSchedule& s, int t, int t_prev, double eta, const float* xt, const float* eps_hat,
               const float* z, float* out, int n) {
  check_t(s, t, "ddim_step: t out of range");
  LL_CHECK(t_prev >= -1 && t_prev < t, "ddim_step: need −1 ≤ t_prev < t");
  LL_CHECK(eta >= 0, "ddim_step: η must be ≥ 0");
  const double bar = s.alpha_bars[size_t(t)], bar_prev = t_prev >= 0 ? s.alpha_bars[size_t(t_prev)] : 1.0;
  const double sigma = eta * std::sqrt((1 - bar_prev) / (1 - bar)) * std::sqrt(std::max(0.0, 1 - bar / bar_prev));
  LL_CHECK(sigma == 0 || z, "ddim_step: noise z is needed when σ > 0");
  const double dir = std::sqrt(std::max(0.0, 1 - bar_prev - sigma * sigma));
  const double sqrt_bar = std::sqrt(bar), sqrt_one_minus_bar = std::sqrt(1 - bar), sqrt_bar_prev = std::sqrt(bar_prev);
  for (int i = 0; i < n; ++i) {
    const double x0_hat = (xt[i] - sqrt_one_minus_bar * eps_hat[i]) / sqrt_bar;
    const double next = sqrt_bar_prev * x0_hat + dir * eps_hat[i];
    out[i] = float(sigma > 0 ? next + sigma * z[i] : next);
  }
}

std::vector<int> sampling_timesteps(int steps, int k) {
  LL_CHECK(steps >= 1 && k >= 1 && k <= steps, "sampling_timesteps: need 1 ≤ K ≤ T");
  std::vector<int> ts(static_cast<size_t>(k));
  // t_i = round(i·(T−1)/(K−1)) for i = K−1 … 0; with K = 1 only the last step T−1.
  for (int i = 0; i < k; ++i) {
    const int j = k - 1 - i;
    ts[size_t(i)] = k == 1 ? steps - 1 : int(std::lround(double(j) * (steps - 1) / (k - 1)));
  }
  return ts;
}

void fill_normal(Rng& rng, float* out, int n) {
  for (int i = 0; i < n; ++i) out[i] = float(rng.normal());
}

}  // namespace ll::gen
