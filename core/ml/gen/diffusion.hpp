#pragma once
// DDPM (Ho et al. 2020) and DDIM (Song et al. 2021) math over plain float arrays, so the same
// code serves 2-D toy points now and flattened images later: noise schedules, the forward
// process q(x_t | x_{t−1}) and its closed form q(x_t | x_0), the posterior q(x_{t−1} | x_t, x_0),
// and the reverse steps of an ε-predicting model.
//
// Time index: t = 0 … T−1 in code is the paper's t = 1 … T. x_{−1} means the data x_0 of the
// paper, whose ᾱ is 1. So q_step at t = 0 noises the data once, and the last reverse step
// (t = 0) returns a sample of the data.
#include <string>
#include <vector>

#include "ml/rng.hpp"

namespace ll::gen {

enum class ScheduleKind { Linear, Cosine };
const char* schedule_name(ScheduleKind kind);

struct NoiseSchedule {
  ScheduleKind kind = ScheduleKind::Linear;
  std::vector<double> betas;       // [T] β_t, the variance added at step t
  std::vector<double> alphas;      // [T] α_t = 1 − β_t
  std::vector<double> alpha_bars;  // [T] ᾱ_t = Π_{s ≤ t} α_s, decreasing in (0, 1)
  int steps() const { return int(betas.size()); }
  double alpha_bar_prev(int t) const { return t > 0 ? alpha_bars[size_t(t) - 1] : 1.0; }  // ᾱ_{t−1}
};

// Linear: β from 1e-4 to 0.02 over 1000 steps, both ends scaled by 1000/T so a short schedule
// still ends near pure noise (Nichol & Dhariwal 2021). Cosine: ᾱ_t = f(t)/f(0),
// f(t) = cos²((t/T + s)/(1 + s)·π/2), s = 0.008, β clipped to 0.999. T ≥ 2.
NoiseSchedule make_noise_schedule(ScheduleKind kind, int steps);

// Closed form: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε. Arrays of n floats; out may alias x0.
void q_sample(const NoiseSchedule& s, int t, const float* x0, const float* eps, float* out, int n);
// One forward step: x_t = √α_t x_{t−1} + √β_t ε; out may alias x_prev.
void q_step(const NoiseSchedule& s, int t, const float* x_prev, const float* eps, float* out, int n);

// q(x_{t−1} | x_t, x_0) = N(μ̃, β̃_t I):  μ̃ = √ᾱ_{t−1} β_t/(1 − ᾱ_t) x_0 + √α_t (1 − ᾱ_{t−1})/(1 − ᾱ_t) x_t,
// β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t) β_t. Writes μ̃ to mean and returns β̃_t (0 at t = 0).
double posterior_mean_variance(const NoiseSchedule& s, int t, const float* x0, const float* xt, float* mean, int n);

// x̂_0 = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t, the data the model's ε̂ implies.
void predict_x0(const NoiseSchedule& s, int t, const float* xt, const float* eps_hat, float* x0_hat, int n);

// DDPM ancestral step: x_{t−1} = (x_t − β_t/√(1 − ᾱ_t) ε̂)/√α_t + σ_t z with σ_t² = β̃_t
// (the posterior variance); z is ignored at t = 0 (may be null there). out may alias xt.
void ddpm_step(const NoiseSchedule& s, int t, const float* xt, const float* eps_hat, const float* z, float* out, int n);

// DDIM step from t to t_prev < t (t_prev = −1: to the data):
// x_prev = √ᾱ_prev x̂_0 + √(1 − ᾱ_prev − σ²) ε̂ + σ z,
// σ = η √((1 − ᾱ_prev)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_prev). η = 0 is deterministic (z may be null);
// η = 1 matches DDPM's variance. out may alias xt.
void ddim_step(const NoiseSchedule& s, int t, int t_prev, double eta, const float* xt, const float* eps_hat,
               const float* z, float* out, int n);

// The K timesteps a sampler visits, from T−1 down to 0, evenly spaced (K = T: all of them).
std::vector<int> sampling_timesteps(int steps, int k);

// Fills n floats with N(0, 1) draws from rng.
void fill_normal(Rng& rng, float* out, int n);

}  // namespace ll::gen
