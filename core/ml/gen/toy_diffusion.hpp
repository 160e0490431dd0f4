#pragma once
// A 2-D toy diffusion model trained live: an MLP ε_θ([x_t | emb(t)]) → ε̂ on points, trained
// on ‖ε − ε̂‖² with x_t from the closed form q(x_t | x_0), sampled with DDPM or DDIM one step
// at a time (the lesson animates the chain), and read out as a denoising field on a grid.
#include <string>
#include <vector>

#include "ml/gen/diffusion.hpp"
#include "ml/nn/nn.hpp"
#include "ml/prob/gauss2d.hpp"

namespace ll::gen {

struct ToyDiffusionConfig {
  ScheduleKind schedule = ScheduleKind::Linear;
  int steps = 100;      // T
  int hidden = 64;      // width of the three hidden layers (SiLU)
  int time_dim = 16;    // sinusoidal embedding of t, even
  double lr = 2e-3;     // Adam
  int batch = 128;
};

struct ToyDiffusion {
  ToyDiffusionConfig config;
  NoiseSchedule schedule;
  nn::ParamStore store;
  nn::Mlp net;  // [B, 2 + time_dim] → [B, 2]
  nn::Optimizer opt;
  nn::LastGood good;
  long step = 0;
  std::vector<double> losses;  // [step] minibatch ‖ε − ε̂‖² per coordinate
  bool diverged = false;
  std::string message;  // why training stopped, empty otherwise
};

// Clamps the config to workable values (T 2…1000, hidden 4…256, batch 1…4096, lr (0, 1]).
ToyDiffusionConfig clamp_config(ToyDiffusionConfig c);
ToyDiffusion make_toy_diffusion(const ToyDiffusionConfig& config, Rng& rng);
// ε̂ for points x [B, 2] all at time t; writes eps_hat [B, 2].
void toy_predict_eps(ToyDiffusion& model, const nn::Mat& x, int t, nn::Mat& eps_hat);
// One Adam step on a random minibatch of data; false (and diverged, message set, last good
// parameters restored) when the loss or a gradient is not finite.
bool toy_diffusion_train_step(ToyDiffusion& model, const std::vector<prob::Point2>& data, Rng& rng);
// Changes the learning rate of a running model (and clears a divergence so training can go on).
void set_toy_diffusion_lr(ToyDiffusion& model, double lr);

// A reverse chain x_T → x_0 of many points, advanced one step at a time.
enum class Sampler { Ddpm, Ddim };
struct SamplingChain {
  Sampler sampler = Sampler::Ddpm;
  double eta = 0;               // DDIM only
  std::vector<int> timesteps;   // visited, from T−1 down to 0
  size_t next = 0;              // index of the next step in timesteps
  nn::Mat x;                    // [N, 2] current points (x_T at the start)
  nn::Mat x0_hat;               // [N, 2] the data the last ε̂ implies
  Rng rng{1};
  bool done() const { return next >= timesteps.size(); }
  int current_t() const { return done() ? -1 : timesteps[next]; }  // the t of x now
};
// DDPM visits all T steps; DDIM visits k evenly spaced ones (1 ≤ k ≤ T).
SamplingChain start_sampling(const ToyDiffusion& model, Sampler sampler, int k, double eta, int n, uint64_t seed);
void sampling_step(ToyDiffusion& model, SamplingChain& chain);
// Runs a chain to the end and returns x_0.
std::vector<prob::Point2> toy_sample(ToyDiffusion& model, Sampler sampler, int k, double eta, int n, uint64_t seed);

// The denoising field at time t on a res × res grid over [−extent, extent]² (row 0 at the
// top): the score estimate s(x) = −ε̂/√(1 − ᾱ_t) ≈ ∇ log q_t(x), as (dx, dy) per cell.
std::vector<prob::Point2> toy_score_field(ToyDiffusion& model, int t, int res, double extent);

}  // namespace ll::gen
