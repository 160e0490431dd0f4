#include "ml/gen/toy_diffusion.hpp"

#include <algorithm>
#include <cmath>

#include "ml/check.hpp"

namespace ll::gen {

ToyDiffusionConfig clamp_config(ToyDiffusionConfig c) {
  c.steps = std::clamp(c.steps, 2, 1000);
  c.hidden = std::clamp(c.hidden, 4, 256);
  c.time_dim = std::clamp(c.time_dim / 2 * 2, 2, 64);
  c.batch = std::clamp(c.batch, 1, 4096);
  if (!(c.lr > 0)) c.lr = 1e-6;
  c.lr = std::min(c.lr, 1.0);
  return c;
}

ToyDiffusion make_toy_diffusion(const ToyDiffusionConfig& config, Rng& rng) {
  ToyDiffusion m;
  m.config = clamp_config(config);
  m.schedule = make_noise_schedule(m.config.schedule, m.config.steps);
  const int h = m.config.hidden;
  m.net = nn::make_mlp(m.store, "eps", {2 + m.config.time_dim, h, h, h, 2}, nn::Activation::SiLU);
  nn::init_params(m.store, rng);
  OptimizerConfig oc;
  oc.kind = OptimizerKind::Adam;
  oc.lr = m.config.lr;
  m.opt = nn::make_optimizer(m.store, oc);
  nn::keep_last_good(m.good, m.store, m.opt);
  return m;
}

namespace {

// Network input [x | emb(t)] for per-row times.
void net_input(const ToyDiffusion& m, const nn::Mat& x, const std::vector<float>& ts, nn::Mat& input) {
  nn::Mat emb;
  nn::sinusoidal_embedding(ts, m.config.time_dim, emb);  // [B, time_dim]
  nn::concat_columns(x, emb, input);                       // [B, 2 + time_dim]
}

}  // namespace

void toy_predict_eps(ToyDiffusion& model, const nn::Mat& x, int t, nn::Mat& eps_hat) {
  LL_CHECK(x.cols() == 2, "toy_predict_eps: x must be [B, 2]");
  nn::Mat input;
  net_input(model, x, std::vector<float>(size_t(x.rows()), float(t)), input);
  eps_hat = nn::mlp_forward(model.store, model.net, input);
  LL_CHECK_SHAPE(eps_hat, x.rows(), 2, "toy_predict_eps: ε̂ must be [B, 2]");
}

bool toy_diffusion_train_step(ToyDiffusion& model, const std::vector<prob::Point2>& data, Rng& rng) {
  if (model.diverged || data.empty()) return false;
  const int b = model.config.batch, steps = model.schedule.steps();
  nn::Mat xt(b, 2), eps(b, 2);  // [B, 2]
  std::vector<float> ts(static_cast<size_t>(b));
  for (int i = 0; i < b; ++i) {
    const prob::Point2& p = data[rng.below(uint32_t(data.size()))];
    const int t = int(rng.below(uint32_t(steps)));
    ts[size_t(i)] = float(t);
    const float x0[2] = {float(p.x), float(p.y)};
    eps(i, 0) = float(rng.normal());
    eps(i, 1) = float(rng.normal());
    q_sample(model.schedule, t, x0, &eps(i, 0), &xt(i, 0), 2);
  }
  nn::Mat input, deps;
  net_input(model, xt, ts, input);
  nn::zero_grads(model.store);
  const nn::Mat& eps_hat = nn::mlp_forward(model.store, model.net, input);
  const double loss = nn::mse_loss(eps_hat, eps, &deps);
  nn::mlp_backward(model.store, model.net, deps, nullptr);
  const nn::FiniteCheck ok = nn::check_finite(model.store, model.step + 1, loss);
  if (!ok.ok) {
    nn::restore_last_good(model.good, model.store, model.opt);
    model.diverged = true;
    model.message = ok.message + "; kept the last good parameters. Lower the learning rate or reset.";
    return false;
  }
  nn::apply_optimizer(model.store, model.opt);
  // Parameters can overflow in the update itself; check once more before keeping them.
  const nn::FiniteCheck after = nn::check_finite(model.store, model.step + 1, 0);
  if (!after.ok) {
    nn::restore_last_good(model.good, model.store, model.opt);
    model.diverged = true;
    model.message = after.message + "; kept the last good parameters. Lower the learning rate or reset.";
    return false;
  }
  nn::keep_last_good(model.good, model.store, model.opt);
  ++model.step;
  model.losses.push_back(loss);
  return true;
}

void set_toy_diffusion_lr(ToyDiffusion& model, double lr) {
  model.config.lr = model.opt.config.lr = lr > 0 ? std::min(lr, 1.0) : 1e-6;  // NaN → 1e-6
  model.diverged = false;
  model.message.clear();
}

SamplingChain start_sampling(const ToyDiffusion& model, Sampler sampler, int k, double eta, int n, uint64_t seed) {
  LL_CHECK(n >= 1, "start_sampling: need at least one point");
  SamplingChain c;
  c.sampler = sampler;
  c.eta = std::max(0.0, eta);
  const int steps = model.schedule.steps();
  c.timesteps = sampling_timesteps(steps, sampler == Sampler::Ddpm ? steps : std::clamp(k, 1, steps));
  c.rng.reseed(seed, 0x73616d706c65);
  c.x.resize(n, 2);  // [N, 2] x_T ~ N(0, I)
  fill_normal(c.rng, c.x.data(), int(c.x.size()));
  c.x0_hat = c.x;
  return c;
}

void sampling_step(ToyDiffusion& model, SamplingChain& chain) {
  if (chain.done()) return;
  const int t = chain.timesteps[chain.next];
  const int n = int(chain.x.size());
  nn::Mat eps_hat, z(chain.x.rows(), 2);  // [N, 2]
  toy_predict_eps(model, chain.x, t, eps_hat);
  predict_x0(model.schedule, t, chain.x.data(), eps_hat.data(), chain.x0_hat.data(), n);
  const bool noisy = chain.sampler == Sampler::Ddpm ? t > 0 : chain.eta > 0;
  if (noisy) fill_normal(chain.rng, z.data(), n);
  if (chain.sampler == Sampler::Ddpm) {
    ddpm_step(model.schedule, t, chain.x.data(), eps_hat.data(), z.data(), chain.x.data(), n);
  } else {
    const int t_prev = chain.next + 1 < chain.timesteps.size() ? chain.timesteps[chain.next + 1] : -1;
    ddim_step(model.schedule, t, t_prev, chain.eta, chain.x.data(), eps_hat.data(), z.data(), chain.x.data(), n);
  }
  ++chain.next;
}

std::vector<prob::Point2> toy_sample(ToyDiffusion& model, Sampler sampler, int k, double eta, int n, uint64_t seed) {
  SamplingChain chain = start_sampling(model, sampler, k, eta, n, seed);
  while (!chain.done()) sampling_step(model, chain);
  std::vector<prob::Point2> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out[size_t(i)] = {chain.x(i, 0), chain.x(i, 1)};
  return out;
}

std::vector<prob::Point2> toy_score_field(ToyDiffusion& model, int t, int res, double extent) {
  LL_CHECK(res >= 1 && t >= 0 && t < model.schedule.steps(), "toy_score_field: bad grid or t");
  nn::Mat grid(res * res, 2), eps_hat;  // [res², 2], row 0 at the top
  const double cell = 2 * extent / res;
  for (int r = 0; r < res; ++r)
    for (int c = 0; c < res; ++c) {
      grid(r * res + c, 0) = float(-extent + (c + 0.5) * cell);
      grid(r * res + c, 1) = float(extent - (r + 0.5) * cell);
    }
  toy_predict_eps(model, grid, t, eps_hat);
  const double scale = -1 / std::sqrt(1 - model.schedule.alpha_bars[size_t(t)]);
  std::vector<prob::Point2> field(size_t(res) * res);
  for (int i = 0; i < res * res; ++i) field[size_t(i)] = {scale * eps_hat(i, 0), scale * eps_hat(i, 1)};
  return field;
}

}  // namespace ll::gen
