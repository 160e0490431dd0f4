#include "ml/gen/toy_gan.hpp"

#include <algorithm>
#include <cmath>

#include "ml/check.hpp"

namespace ll::gen {

double discriminator_loss(const nn::Mat& real_logits, const nn::Mat& fake_logits, double label_smoothing,
                          nn::Mat* d_real, nn::Mat* d_fake) {
  LL_CHECK(real_logits.cols() == 1 && fake_logits.cols() == 1, "discriminator_loss: logits must be [B, 1]");
  const nn::Mat real_target = nn::Mat::Constant(real_logits.rows(), 1, float(1 - label_smoothing));
  const nn::Mat fake_target = nn::Mat::Zero(fake_logits.rows(), 1);
  return nn::bce_with_logits_loss(real_logits, real_target, d_real) +
         nn::bce_with_logits_loss(fake_logits, fake_target, d_fake);
}

double generator_loss(const nn::Mat& fake_logits, GeneratorLoss kind, nn::Mat* d_fake) {
  LL_CHECK(fake_logits.cols() == 1, "generator_loss: logits must be [B, 1]");
  if (kind == GeneratorLoss::NonSaturating)
    return nn::bce_with_logits_loss(fake_logits, nn::Mat::Ones(fake_logits.rows(), 1), d_fake);
  // log(1 − σ(l)) = −softplus(l); its gradient −σ(l) vanishes where D confidently rejects (l ≪ 0).
  const double loss = -nn::bce_with_logits_loss(fake_logits, nn::Mat::Zero(fake_logits.rows(), 1), d_fake);
  if (d_fake) *d_fake = -*d_fake;
  return loss;
}

ToyGanConfig clamp_config(ToyGanConfig c) {
  c.latent = std::clamp(c.latent, 1, 16);
  c.hidden = std::clamp(c.hidden, 4, 256);
  c.d_steps = std::clamp(c.d_steps, 1, 10);
  c.batch = std::clamp(c.batch, 1, 4096);
  auto clamp_lr = [](double lr) { return lr > 0 ? std::min(lr, 1.0) : 1e-6; };
  c.g_lr = clamp_lr(c.g_lr);
  c.d_lr = clamp_lr(c.d_lr);
  c.label_smoothing = std::isfinite(c.label_smoothing) ? std::clamp(c.label_smoothing, 0.0, 0.5) : 0.0;
  return c;
}

namespace {

OptimizerConfig gan_adam(double lr) {
  OptimizerConfig oc;
  oc.kind = OptimizerKind::Adam;
  oc.lr = lr;
  oc.beta1 = 0.5;  // the DCGAN recipe: less momentum keeps the two players from overshooting
  return oc;
}

nn::Mat sample_latent(Rng& rng, int n, int latent) {
  nn::Mat z(n, latent);  // [n, latent]
  for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = float(rng.normal());
  return z;
}

nn::Mat data_batch(const std::vector<prob::Point2>& data, int n, Rng& rng) {
  nn::Mat x(n, 2);  // [n, 2]
  for (int i = 0; i < n; ++i) {
    const prob::Point2& p = data[rng.below(uint32_t(data.size()))];
    x(i, 0) = float(p.x);
    x(i, 1) = float(p.y);
  }
  return x;
}

bool fail(ToyGan& gan, const std::string& who, const nn::FiniteCheck& check) {
  nn::restore_last_good(gan.g_good, gan.g_store, gan.g_opt);
  nn::restore_last_good(gan.d_good, gan.d_store, gan.d_opt);
  gan.diverged = true;
  gan.message = who + " diverged at " + check.message +
                ". Kept the last good parameters; lower the learning rates or reset.";
  return false;
}

}  // namespace

ToyGan make_toy_gan(const ToyGanConfig& config, Rng& rng) {
  ToyGan gan;
  gan.config = clamp_config(config);
  const int h = gan.config.hidden;
  gan.generator = nn::make_mlp(gan.g_store, "generator", {gan.config.latent, h, h, 2}, nn::Activation::LeakyReLU);
  gan.discriminator = nn::make_mlp(gan.d_store, "discriminator", {2, h, h, 1}, nn::Activation::LeakyReLU);
  nn::init_params(gan.g_store, rng);
  nn::init_params(gan.d_store, rng);
  gan.g_opt = nn::make_optimizer(gan.g_store, gan_adam(gan.config.g_lr));
  gan.d_opt = nn::make_optimizer(gan.d_store, gan_adam(gan.config.d_lr));
  nn::keep_last_good(gan.g_good, gan.g_store, gan.g_opt);
  nn::keep_last_good(gan.d_good, gan.d_store, gan.d_opt);
  return gan;
}

bool toy_gan_train_step(ToyGan& gan, const std::vector<prob::Point2>& data, Rng& rng) {
  if (gan.diverged || data.empty()) return false;
  const ToyGanConfig& c = gan.config;
  const int b = c.batch;
  double d_loss = 0;
  for (int k = 0; k < c.d_steps; ++k) {
    // D sees a batch of real then generated points in one forward pass: [2B, 2] → [2B, 1].
    const nn::Mat fake = nn::mlp_forward(gan.g_store, gan.generator, sample_latent(rng, b, c.latent));  // [B, 2]
    nn::Mat both(2 * b, 2);
    both.topRows(b) = data_batch(data, b, rng);
    both.bottomRows(b) = fake;
    const nn::Mat logits = nn::mlp_forward(gan.d_store, gan.discriminator, both);  // [2B, 1]
    nn::Mat d_real, d_fake, d_logits(2 * b, 1);
    d_loss = discriminator_loss(logits.topRows(b), logits.bottomRows(b), c.label_smoothing, &d_real, &d_fake);
    d_logits.topRows(b) = d_real;
    d_logits.bottomRows(b) = d_fake;
    nn::zero_grads(gan.d_store);
    nn::mlp_backward(gan.d_store, gan.discriminator, d_logits, nullptr);
    const nn::FiniteCheck ok = nn::check_finite(gan.d_store, gan.step + 1, d_loss);
    if (!ok.ok) return fail(gan, "the discriminator", ok);
    nn::apply_optimizer(gan.d_store, gan.d_opt);
  }
  // G: gradients flow through D (whose own gradients are discarded) into G.
  const nn::Mat& fake = nn::mlp_forward(gan.g_store, gan.generator, sample_latent(rng, b, c.latent));  // [B, 2]
  const nn::Mat logits = nn::mlp_forward(gan.d_store, gan.discriminator, fake);                        // [B, 1]
  nn::Mat d_fake_logits, d_fake_points;
  const double g_loss = generator_loss(logits, c.g_loss, &d_fake_logits);
  nn::mlp_backward(gan.d_store, gan.discriminator, d_fake_logits, &d_fake_points);  // [B, 2]
  nn::zero_grads(gan.g_store);
  nn::mlp_backward(gan.g_store, gan.generator, d_fake_points, nullptr);
  const nn::FiniteCheck ok = nn::check_finite(gan.g_store, gan.step + 1, g_loss);
  if (!ok.ok) return fail(gan, "the generator", ok);
  nn::apply_optimizer(gan.g_store, gan.g_opt);
  // Parameters can overflow in the update itself; check once more before keeping them.
  const nn::FiniteCheck after_g = nn::check_finite(gan.g_store, gan.step + 1, 0);
  const nn::FiniteCheck after_d = nn::check_finite(gan.d_store, gan.step + 1, 0);
  if (!after_g.ok) return fail(gan, "the generator", after_g);
  if (!after_d.ok) return fail(gan, "the discriminator", after_d);
  nn::keep_last_good(gan.g_good, gan.g_store, gan.g_opt);
  nn::keep_last_good(gan.d_good, gan.d_store, gan.d_opt);
  ++gan.step;
  gan.d_losses.push_back(d_loss);
  gan.g_losses.push_back(g_loss);
  return true;
}

void update_toy_gan_settings(ToyGan& gan, const ToyGanConfig& config) {
  const ToyGanConfig c = clamp_config(config);
  gan.config.g_lr = gan.g_opt.config.lr = c.g_lr;
  gan.config.d_lr = gan.d_opt.config.lr = c.d_lr;
  gan.config.d_steps = c.d_steps;
  gan.config.label_smoothing = c.label_smoothing;
  gan.config.g_loss = c.g_loss;
  gan.config.batch = c.batch;
  gan.diverged = false;
  gan.message.clear();
}

std::vector<prob::Point2> toy_gan_generate(ToyGan& gan, int n, uint64_t seed) {
  LL_CHECK(n >= 1, "toy_gan_generate: n must be positive");
  Rng rng(seed, 0x7a);
  const nn::Mat& x = nn::mlp_forward(gan.g_store, gan.generator, sample_latent(rng, n, gan.config.latent));
  std::vector<prob::Point2> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out[size_t(i)] = {x(i, 0), x(i, 1)};
  return out;
}

std::vector<float> toy_gan_decision_grid(ToyGan& gan, int res, double extent) {
  LL_CHECK(res >= 1, "toy_gan_decision_grid: res must be positive");
  nn::Mat grid(res * res, 2);  // [res², 2], row 0 at the top
  const double cell = 2 * extent / res;
  for (int r = 0; r < res; ++r)
    for (int c = 0; c < res; ++c) {
      grid(r * res + c, 0) = float(-extent + (c + 0.5) * cell);
      grid(r * res + c, 1) = float(extent - (r + 0.5) * cell);
    }
  const nn::Mat& logits = nn::mlp_forward(gan.d_store, gan.discriminator, grid);  // [res², 1]
  std::vector<float> d(size_t(res) * res);
  for (int i = 0; i < res * res; ++i) d[size_t(i)] = nn::stable_sigmoid(logits(i, 0));
  return d;
}

int covered_modes(const std::vector<prob::Point2>& generated, const std::vector<prob::Point2>& data,
                  const std::vector<int>& labels, int parts) {
  LL_CHECK(labels.size() == data.size() && parts >= 1, "covered_modes: one label per data point");
  if (generated.empty() || data.empty()) return 0;
  std::vector<double> data_share(size_t(parts), 0), gen_share(size_t(parts), 0);
  for (int l : labels) data_share[size_t(l)] += 1.0 / double(data.size());
  for (const prob::Point2& g : generated) {
    size_t best = 0;
    double best_d2 = INFINITY;
    for (size_t i = 0; i < data.size(); ++i) {
      const double dx = data[i].x - g.x, dy = data[i].y - g.y, d2 = dx * dx + dy * dy;
      if (d2 < best_d2) best_d2 = d2, best = i;
    }
    gen_share[size_t(labels[best])] += 1.0 / double(generated.size());
  }
  int covered = 0;
  for (int k = 0; k < parts; ++k) covered += data_share[size_t(k)] > 0 && gen_share[size_t(k)] >= 0.5 * data_share[size_t(k)];
  return covered;
}

}  // namespace ll::gen
