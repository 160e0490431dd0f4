// Generative models' core: DDPM/DDIM math, the toy 2-D diffusion and the toy 2-D GAN.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "ml/gen/diffusion.hpp"
#include "ml/gen/toy_diffusion.hpp"
#include "ml/gen/toy_gan.hpp"
#include "ml/prob/datasets2d.hpp"
#include "nn_gradcheck.hpp"

using namespace ll;
using namespace ll::gen;

namespace {

struct Moments2 {
  double mean_x = 0, mean_y = 0, var_x = 0, var_y = 0;
};
Moments2 moments(const std::vector<prob::Point2>& p) {
  Moments2 m;
  for (const auto& q : p) m.mean_x += q.x, m.mean_y += q.y;
  m.mean_x /= double(p.size());
  m.mean_y /= double(p.size());
  for (const auto& q : p) m.var_x += (q.x - m.mean_x) * (q.x - m.mean_x), m.var_y += (q.y - m.mean_y) * (q.y - m.mean_y);
  m.var_x /= double(p.size());
  m.var_y /= double(p.size());
  return m;
}

// n points from N((mx, my), diag(sx², sy²)).
std::vector<prob::Point2> gaussian_points(int n, double mx, double my, double sx, double sy, uint64_t seed) {
  Rng rng(seed);
  std::vector<prob::Point2> p(static_cast<size_t>(n));
  for (auto& q : p) q = {mx + sx * rng.normal(), my + sy * rng.normal()};
  return p;
}

}  // namespace

TEST_CASE("noise schedules: beta in (0, 1), alpha-bar decreasing in (0, 1) and ending near 0", "[gen]") {
  for (ScheduleKind kind : {ScheduleKind::Linear, ScheduleKind::Cosine})
    for (int steps : {10, 100, 1000}) {
      INFO(schedule_name(kind) << " T=" << steps);
      const NoiseSchedule s = make_noise_schedule(kind, steps);
      REQUIRE(s.steps() == steps);
      for (int t = 0; t < steps; ++t) {
        CHECK(s.betas[size_t(t)] > 0);
        CHECK(s.betas[size_t(t)] < 1);
        CHECK(s.alphas[size_t(t)] == Approx(1 - s.betas[size_t(t)]));
        CHECK(s.alpha_bars[size_t(t)] > 0);
        CHECK(s.alpha_bars[size_t(t)] < s.alpha_bar_prev(t));
      }
      CHECK(s.alpha_bars[0] > 0.9);
      CHECK(s.alpha_bars.back() < 0.01);
    }
  // The schedules differ: cosine keeps more signal half way.
  const NoiseSchedule lin = make_noise_schedule(ScheduleKind::Linear, 1000), cos = make_noise_schedule(ScheduleKind::Cosine, 1000);
  CHECK(cos.alpha_bars[499] > lin.alpha_bars[499] + 0.2);
  CHECK(lin.betas[0] == Approx(1e-4));
  CHECK(lin.betas[999] == Approx(0.02));
}

TEST_CASE("closed-form q(x_t|x_0) matches iterating q(x_t|x_{t-1}) in mean and variance", "[gen]") {
  for (ScheduleKind kind : {ScheduleKind::Linear, ScheduleKind::Cosine}) {
    const NoiseSchedule s = make_noise_schedule(kind, 50);
    // Analytically: the recursion mean_t = √α_t mean_{t−1}, var_t = α_t var_{t−1} + β_t from
    // (x_0, 0) gives (√ᾱ_t x_0, 1 − ᾱ_t).
    double mean = 1, var = 0;
    for (int t = 0; t < s.steps(); ++t) {
      mean *= std::sqrt(s.alphas[size_t(t)]);
      var = s.alphas[size_t(t)] * var + s.betas[size_t(t)];
      CHECK(mean == Approx(std::sqrt(s.alpha_bars[size_t(t)])).epsilon(1e-9));
      CHECK(var == Approx(1 - s.alpha_bars[size_t(t)]).epsilon(1e-9));
    }
    // By sampling: many chains from one x_0, iterated t+1 times vs one closed-form draw.
    const int n = 20000;
    const float x0 = 1.5f;
    Rng rng(7);
    std::vector<float> chain(static_cast<size_t>(n), x0), eps(static_cast<size_t>(n)), closed(static_cast<size_t>(n));
    const std::vector<float> start(size_t(n), x0);
    int t = 0;
    for (int check_t : {0, 4, 19, 49}) {
      for (; t <= check_t; ++t) {
        fill_normal(rng, eps.data(), n);
        q_step(s, t, chain.data(), eps.data(), chain.data(), n);
      }
      fill_normal(rng, eps.data(), n);
      q_sample(s, check_t, start.data(), eps.data(), closed.data(), n);
      auto stats = [&](const std::vector<float>& v, double& m, double& var_out) {
        m = 0, var_out = 0;
        for (float x : v) m += x;
        m /= n;
        for (float x : v) var_out += (x - m) * (x - m);
        var_out /= n;
      };
      double m_iter, v_iter, m_closed, v_closed;
      stats(chain, m_iter, v_iter);
      stats(closed, m_closed, v_closed);
      const double true_mean = std::sqrt(s.alpha_bars[size_t(check_t)]) * x0, true_var = 1 - s.alpha_bars[size_t(check_t)];
      INFO(schedule_name(kind) << " t=" << check_t);
      // Standard error of the mean √(var/n) ≤ 0.007; of the variance ≈ var·√(2/n) = 1% of var.
      CHECK(std::fabs(m_iter - true_mean) < 0.03);
      CHECK(std::fabs(m_closed - true_mean) < 0.03);
      CHECK(std::fabs(m_iter - m_closed) < 0.04);
      CHECK(v_iter == Approx(true_var).epsilon(0.06));
      CHECK(v_closed == Approx(true_var).epsilon(0.06));
    }
  }
}

TEST_CASE("posterior q(x_{t-1}|x_t,x_0) matches a hand-computed case", "[gen]") {
  NoiseSchedule s;  // β = (0.1, 0.2): α = (0.9, 0.8), ᾱ = (0.9, 0.72)
  s.betas = {0.1, 0.2};
  s.alphas = {0.9, 0.8};
  s.alpha_bars = {0.9, 0.72};
  const float x0[2] = {1.0f, -2.0f}, xt[2] = {2.0f, 0.5f};
  float mean[2];
  // t = 1: μ̃ = √0.9·0.2/0.28 x_0 + √0.8·0.1/0.28 x_t, β̃ = 0.1/0.28·0.2.
  const double var = posterior_mean_variance(s, 1, x0, xt, mean, 2);
  CHECK(var == Approx(0.0714285714));
  const double c0 = 0.948683298 * 0.2 / 0.28, ct = 0.894427191 * 0.1 / 0.28;
  CHECK(mean[0] == Approx(c0 * 1 + ct * 2).epsilon(1e-6));
  CHECK(mean[1] == Approx(c0 * -2 + ct * 0.5).epsilon(1e-6));
  CHECK(mean[0] == Approx(1.3165076).epsilon(1e-6));
  // t = 0: the posterior is the data itself.
  CHECK(posterior_mean_variance(s, 0, x0, xt, mean, 2) == 0);
  CHECK(mean[0] == Approx(1.0));
  CHECK(mean[1] == Approx(-2.0));
}

TEST_CASE("DDPM and DDIM steps on known cases", "[gen]") {
  const NoiseSchedule s = make_noise_schedule(ScheduleKind::Cosine, 100);
  Rng rng(11);
  const int n = 6;
  std::vector<float> x0(n), eps(n), xt(n), out(n), expect(n), mean(n), x0_hat(n);
  fill_normal(rng, x0.data(), n);
  fill_normal(rng, eps.data(), n);
  for (int t : {0, 10, 60, 99}) {
    INFO("t=" << t);
    q_sample(s, t, x0.data(), eps.data(), xt.data(), n);
    // With the true ε, x̂_0 and one DDIM (η = 0) step to the data recover x_0 exactly.
    predict_x0(s, t, xt.data(), eps.data(), x0_hat.data(), n);
    ddim_step(s, t, -1, 0.0, xt.data(), eps.data(), nullptr, out.data(), n);
    for (int i = 0; i < n; ++i) {
      CHECK(x0_hat[size_t(i)] == Approx(x0[size_t(i)]).margin(2e-4));
      CHECK(out[size_t(i)] == Approx(x0[size_t(i)]).margin(2e-4));
    }
    // A DDIM step to t' < t with the true ε lands on the same ε's closed form at t'. Near
    // t = T−1, ᾱ_t ≈ 1e-5 and x̂_0 magnifies x_t's float rounding by 1/√ᾱ_t: a wider margin.
    if (t > 5) {
      ddim_step(s, t, 5, 0.0, xt.data(), eps.data(), nullptr, out.data(), n);
      q_sample(s, 5, x0.data(), eps.data(), expect.data(), n);
      for (int i = 0; i < n; ++i) CHECK(out[size_t(i)] == Approx(expect[size_t(i)]).margin(t == 99 ? 1e-3 : 1e-4));
    }
    // DDPM's mean (z = 0) is the posterior mean at x̂_0.
    const std::vector<float> zero(n, 0.0f);
    ddpm_step(s, t, xt.data(), eps.data(), zero.data(), out.data(), n);
    posterior_mean_variance(s, t, x0_hat.data(), xt.data(), mean.data(), n);
    for (int i = 0; i < n; ++i) CHECK(out[size_t(i)] == Approx(mean[size_t(i)]).margin(1e-4));
  }
  // DDIM with η = 1 has DDPM's posterior standard deviation: z enters scaled by √β̃_t.
  const int t = 40;
  q_sample(s, t, x0.data(), eps.data(), xt.data(), n);
  std::vector<float> zero(n, 0.0f), one(n, 1.0f), a(n), b(n);
  ddim_step(s, t, t - 1, 1.0, xt.data(), eps.data(), zero.data(), a.data(), n);
  ddim_step(s, t, t - 1, 1.0, xt.data(), eps.data(), one.data(), b.data(), n);
  const double posterior_std = std::sqrt((1 - s.alpha_bars[t - 1]) / (1 - s.alpha_bars[t]) * s.betas[t]);
  CHECK(b[0] - a[0] == Approx(posterior_std).epsilon(1e-3));
}

TEST_CASE("sampling timesteps run from T-1 down to 0", "[gen]") {
  const std::vector<int> all = sampling_timesteps(10, 10);
  CHECK(all == std::vector<int>({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  const std::vector<int> few = sampling_timesteps(100, 5);
  CHECK(few == std::vector<int>({99, 74, 50, 25, 0}));  // lround(49.5) = 50
  CHECK(sampling_timesteps(100, 1) == std::vector<int>({99}));
}

TEST_CASE("toy diffusion: sampling is deterministic for a seed", "[gen]") {
  ToyDiffusionConfig c;
  c.steps = 30;
  c.hidden = 16;
  Rng init(3), data_rng(4);
  ToyDiffusion model = make_toy_diffusion(c, init);
  const auto data = gaussian_points(200, 1, 0, 0.5, 0.5, 5);
  for (int i = 0; i < 20; ++i) REQUIRE(toy_diffusion_train_step(model, data, data_rng));
  for (Sampler sampler : {Sampler::Ddpm, Sampler::Ddim}) {
    const auto a = toy_sample(model, sampler, 10, 0.5, 50, 9), b = toy_sample(model, sampler, 10, 0.5, 50, 9);
    const auto other = toy_sample(model, sampler, 10, 0.5, 50, 10);
    bool same = true, differ = false;
    for (size_t i = 0; i < a.size(); ++i) {
      same = same && a[i].x == b[i].x && a[i].y == b[i].y;
      differ = differ || a[i].x != other[i].x;
    }
    CHECK(same);
    CHECK(differ);
  }
  // Two models from the same seeds train identically.
  Rng init2(3), data_rng2(4);
  ToyDiffusion twin = make_toy_diffusion(c, init2);
  for (int i = 0; i < 20; ++i) toy_diffusion_train_step(twin, data, data_rng2);
  CHECK(twin.store.values == model.store.values);
}

TEST_CASE("toy diffusion learns a 2-D Gaussian: samples' mean and spread near the data's", "[gen]") {
  ToyDiffusionConfig c;
  c.steps = 50;
  c.hidden = 48;
  c.batch = 128;
  c.lr = 3e-3;
  Rng init(1), train(2);
  ToyDiffusion model = make_toy_diffusion(c, init);
  const auto data = gaussian_points(2000, 1.0, -0.5, 0.6, 0.3, 3);
  for (int i = 0; i < 700; ++i) REQUIRE(toy_diffusion_train_step(model, data, train));
  CHECK(model.losses.back() < model.losses.front());
  for (Sampler sampler : {Sampler::Ddpm, Sampler::Ddim}) {
    INFO((sampler == Sampler::Ddpm ? "DDPM" : "DDIM 20 steps"));
    const Moments2 m = moments(toy_sample(model, sampler, 20, 0.0, 1000, 4));
    CHECK(m.mean_x == Approx(1.0).margin(0.12));
    CHECK(m.mean_y == Approx(-0.5).margin(0.12));
    // Measured natively: DDPM sd (0.59, 0.25), DDIM (0.56, 0.20); few-step DDIM runs a little narrow.
    const double sd_margin = sampler == Sampler::Ddpm ? 0.12 : 0.15;
    CHECK(std::sqrt(m.var_x) == Approx(0.6).margin(sd_margin));
    CHECK(std::sqrt(m.var_y) == Approx(0.3).margin(sd_margin));
  }
  // The score field points toward the data from far away at a small t.
  const std::vector<prob::Point2> field = toy_score_field(model, 2, 5, 3.0);
  CHECK(field[0].x > 0);                      // top-left cell (−2.4, 2.4): right …
  CHECK(field[0].y < 0);                      // … and down
  CHECK(field[24].x < 0);                     // bottom-right cell (2.4, −2.4): left
}

TEST_CASE("toy diffusion: a non-finite loss is reported and the last good parameters kept", "[gen]") {
  ToyDiffusionConfig c;
  c.steps = 20;
  c.hidden = 8;
  Rng init(1), train(2);
  ToyDiffusion model = make_toy_diffusion(c, init);
  auto data = gaussian_points(50, 0, 0, 1, 1, 3);
  REQUIRE(toy_diffusion_train_step(model, data, train));
  const std::vector<float> before = model.store.values;
  for (auto& p : data) p.x = NAN;
  CHECK_FALSE(toy_diffusion_train_step(model, data, train));
  CHECK(model.diverged);
  CHECK(model.message.find("loss is NaN") != std::string::npos);
  CHECK(model.store.values == before);
  CHECK(model.step == 1);
  CHECK_FALSE(toy_diffusion_train_step(model, data, train));  // stays stopped until the user acts
  set_toy_diffusion_lr(model, 1e-4);
  CHECK_FALSE(model.diverged);
}

TEST_CASE("GAN losses: gradients match central differences", "[gen]") {
  Rng rng(21);
  nn::Mat real = nn::test::random_mat(rng, 7, 1, -3, 3), fake = nn::test::random_mat(rng, 5, 1, -3, 3);
  nn::Mat d_real, d_fake, g_fake;
  for (double smoothing : {0.0, 0.1}) {
    discriminator_loss(real, fake, smoothing, &d_real, &d_fake);
    auto d_loss = [&] { return discriminator_loss(real, fake, smoothing, nullptr, nullptr); };
    CHECK(nn::test::gradient_relative_error(real.data(), d_real.data(), 7, d_loss, 1e-3f) < 1e-3);
    CHECK(nn::test::gradient_relative_error(fake.data(), d_fake.data(), 5, d_loss, 1e-3f) < 1e-3);
  }
  for (GeneratorLoss kind : {GeneratorLoss::NonSaturating, GeneratorLoss::Saturating}) {
    generator_loss(fake, kind, &g_fake);
    auto g_loss = [&] { return generator_loss(fake, kind, nullptr); };
    CHECK(nn::test::gradient_relative_error(fake.data(), g_fake.data(), 5, g_loss, 1e-3f) < 1e-3);
  }
  // The values: −log σ(0) = log 2; the saturating loss is log(1 − ½) = −log 2 at logit 0.
  const nn::Mat zero = nn::Mat::Zero(3, 1);
  CHECK(generator_loss(zero, GeneratorLoss::NonSaturating, nullptr) == Approx(std::log(2.0)));
  CHECK(generator_loss(zero, GeneratorLoss::Saturating, nullptr) == Approx(-std::log(2.0)));
  CHECK(discriminator_loss(zero, zero, 0, nullptr, nullptr) == Approx(2 * std::log(2.0)));

  // End to end: G's parameter gradient through D, as the trainer computes it.
  ToyGanConfig c;
  c.hidden = 6;
  c.latent = 3;
  Rng init(5);
  ToyGan gan = make_toy_gan(c, init);
  const nn::Mat z = nn::test::random_mat(rng, 4, 3);
  auto loss_of_g = [&] {
    const nn::Mat x = nn::mlp_forward(gan.g_store, gan.generator, z);
    return generator_loss(nn::mlp_forward(gan.d_store, gan.discriminator, x), GeneratorLoss::NonSaturating, nullptr);
  };
  nn::zero_grads(gan.g_store);
  const nn::Mat x = nn::mlp_forward(gan.g_store, gan.generator, z);
  nn::Mat d_logits, d_x;
  generator_loss(nn::mlp_forward(gan.d_store, gan.discriminator, x), GeneratorLoss::NonSaturating, &d_logits);
  nn::mlp_backward(gan.d_store, gan.discriminator, d_logits, &d_x);
  nn::mlp_backward(gan.g_store, gan.generator, d_x, nullptr);
  CHECK(nn::test::gradient_relative_error(gan.g_store.values.data(), gan.g_store.grads.data(),
                                          gan.g_store.values.size(), loss_of_g, 1e-3f) < 2e-2);
}

TEST_CASE("toy GAN learns a 2-D Gaussian's mean and spread", "[gen]") {
  ToyGanConfig c;
  c.hidden = 32;
  c.batch = 64;
  c.g_lr = c.d_lr = 2e-3;
  Rng init(1), train(2);
  ToyGan gan = make_toy_gan(c, init);
  const auto data = gaussian_points(1000, 1.5, -1.0, 0.5, 0.5, 3);
  const Moments2 start = moments(toy_gan_generate(gan, 1000, 4));
  for (int i = 0; i < 600; ++i) REQUIRE(toy_gan_train_step(gan, data, train));
  const Moments2 end = moments(toy_gan_generate(gan, 1000, 4));
  const double start_dist = std::hypot(start.mean_x - 1.5, start.mean_y + 1.0);
  const double end_dist = std::hypot(end.mean_x - 1.5, end.mean_y + 1.0);
  INFO("mean (" << end.mean_x << ", " << end.mean_y << ") sd (" << std::sqrt(end.var_x) << ", " << std::sqrt(end.var_y) << ")");
  CHECK(end_dist < 0.3);
  CHECK(end_dist < 0.3 * start_dist);
  CHECK(std::sqrt(end.var_x) == Approx(0.5).margin(0.25));
  CHECK(std::sqrt(end.var_y) == Approx(0.5).margin(0.25));
  CHECK(gan.d_losses.size() == 600);
  CHECK(std::isfinite(gan.g_losses.back()));
  // D's decision on a grid is a probability everywhere.
  for (float d : toy_gan_decision_grid(gan, 8, 3.0)) {
    CHECK(d >= 0);
    CHECK(d <= 1);
  }
}

TEST_CASE("toy GAN: divergence is reported, last good parameters kept, settings clamped", "[gen]") {
  ToyGanConfig c;
  c.hidden = 8;
  c.d_steps = 99;
  c.d_lr = -1;
  c.label_smoothing = 3;
  Rng init(1), train(2);
  ToyGan gan = make_toy_gan(c, init);
  CHECK(gan.config.d_steps == 10);
  CHECK(gan.config.d_lr > 0);
  CHECK(gan.config.label_smoothing == 0.5);
  auto data = gaussian_points(50, 0, 0, 1, 1, 3);
  REQUIRE(toy_gan_train_step(gan, data, train));
  const std::vector<float> g_before = gan.g_store.values, d_before = gan.d_store.values;
  data[0].x = data[1].x = INFINITY;
  for (auto& p : data) p.y = NAN;
  CHECK_FALSE(toy_gan_train_step(gan, data, train));
  CHECK(gan.diverged);
  CHECK(gan.message.find("discriminator") != std::string::npos);
  CHECK(gan.g_store.values == g_before);
  CHECK(gan.d_store.values == d_before);
  CHECK(gan.step == 1);
}

TEST_CASE("mode coverage counts the data's parts that generated points reach", "[gen]") {
  Rng rng(8);
  const prob::LabeledPoints2 data = prob::make_dataset2d(prob::Dataset2d::EightGaussians, 400, 0.05, rng);
  CHECK(covered_modes(data.points, data.points, data.labels, 8) == 8);
  std::vector<prob::Point2> one_mode;
  for (size_t i = 0; i < data.points.size(); ++i)
    if (data.labels[i] == 3) one_mode.push_back(data.points[i]);
  CHECK(covered_modes(one_mode, data.points, data.labels, 8) == 1);
}
