#include "ml/gen/dcgan.hpp"

#include <cmath>

#include "ml/check.hpp"
#include "ml/gen/digit_classifier.hpp"
#include "ml/nn/checkpoint.hpp"
#include "ml/nn/losses.hpp"

namespace ll::gen {

namespace {

constexpr int kNormGroups = 8;

int conditioning_size(const GanConfig& c) { return c.conditional ? kDigitClasses : 0; }

// Stream of the random generator for step t: every draw of a step is a function of (seed, t).
Rng step_rng(uint64_t seed, long step, uint64_t purpose) { return Rng(seed, uint64_t(step) * 4 + purpose); }

// [z | one-hot(y)], or z alone for an unconditional model.
void generator_input(const GanConfig& c, const nn::Mat& z, const std::vector<int>& labels, nn::Mat& input) {
  LL_CHECK(z.cols() == c.latent, "generator_input: z must be [B, latent]");
  input.setZero(z.rows(), c.latent + conditioning_size(c));
  input.leftCols(c.latent) = z;
  if (!c.conditional) return;
  LL_CHECK(labels.size() == size_t(z.rows()), "generator_input: one label per code");
  for (Eigen::Index i = 0; i < z.rows(); ++i) input(i, c.latent + labels[size_t(i)]) = 1.0f;
}

// Pixels in [−1, 1] followed, when conditional, by ten 28×28 planes: ones for the class.
void discriminator_input(const GanConfig& c, const nn::Mat& pixels, const std::vector<int>& labels, nn::Mat& input) {
  LL_CHECK(pixels.cols() == kDigitPixels, "discriminator_input: pixels must be [B, 784]");
  input.setZero(pixels.rows(), kDigitPixels * (1 + conditioning_size(c)));
  input.leftCols(kDigitPixels) = pixels;
  if (!c.conditional) return;
  for (Eigen::Index i = 0; i < pixels.rows(); ++i)
    input.row(i).segment(kDigitPixels * (1 + labels[size_t(i)]), kDigitPixels).setOnes();
}

nn::Optimizer adam(const nn::ParamStore& store, const GanTrainConfig& t) {
  OptimizerConfig c;
  c.kind = OptimizerKind::Adam;
  c.lr = t.lr;
  c.beta1 = t.beta1;
  return nn::make_optimizer(store, c);
}

double mean_sigmoid(const nn::Mat& logits, Eigen::Index first, Eigen::Index count) {
  double sum = 0;
  for (Eigen::Index i = first; i < first + count; ++i) sum += nn::stable_sigmoid(logits(i, 0));
  return sum / double(count);
}

}  // namespace

std::string gan_architecture(const GanConfig& c) {
  return "dcgan-mnist-v1 latent " + std::to_string(c.latent) + (c.conditional ? " conditional" : " unconditional") +
         " G" + std::to_string(c.generator_channels) + " D" + std::to_string(c.discriminator_channels);
}

Gan make_gan(const GanConfig& config) {
  LL_CHECK(config.latent > 0 && config.generator_channels >= 2 * kNormGroups &&
               config.generator_channels % (2 * kNormGroups) == 0,
           "make_gan: latent > 0 and generator channels a multiple of 16");
  LL_CHECK(config.discriminator_channels >= kNormGroups / 2 && config.discriminator_channels % (kNormGroups / 2) == 0,
           "make_gan: discriminator channels a multiple of 4");
  Gan gan;
  gan.config = config;
  const int c = config.generator_channels, d = config.discriminator_channels;
  nn::Sequential& g = gan.generator;
  nn::ParamStore& gs = gan.generator_store;
  nn::add_dense(g, gs, "fc", config.latent + conditioning_size(config), c * 7 * 7);
  nn::add_group_norm(g, gs, "norm1", c, kNormGroups, 7 * 7);
  nn::add_activation(g, nn::Activation::ReLU);
  nn::add_conv_transpose(g, gs, "up1", c, c / 2, 7, 7, 4, 2, 1);  // 14×14
  nn::add_group_norm(g, gs, "norm2", c / 2, kNormGroups, 14 * 14);
  nn::add_activation(g, nn::Activation::ReLU);
  nn::add_conv_transpose(g, gs, "up2", c / 2, 1, 14, 14, 4, 2, 1);  // 28×28
  nn::add_activation(g, nn::Activation::Tanh);

  nn::Sequential& dn = gan.discriminator;
  nn::ParamStore& ds = gan.discriminator_store;
  nn::add_conv(dn, ds, "conv1", 1 + conditioning_size(config), d, kDigitSide, kDigitSide, 4, 2, 1);  // 14×14
  nn::add_activation(dn, nn::Activation::LeakyReLU);
  nn::add_conv(dn, ds, "conv2", d, 2 * d, 14, 14, 4, 2, 1);  // 7×7
  nn::add_group_norm(dn, ds, "norm", 2 * d, kNormGroups / 2, 7 * 7);
  nn::add_activation(dn, nn::Activation::LeakyReLU);
  nn::add_dense(dn, ds, "fc", 2 * d * 7 * 7, 1);
  LL_CHECK(g.out_size() == kDigitPixels, "make_gan: the generator must make 28×28 images");
  return gan;
}

GanTrainer make_gan_trainer(const GanConfig& model, const GanTrainConfig& config) {
  LL_CHECK(config.batch_size > 0 && config.lr > 0 && config.ema_decay >= 0 && config.ema_decay < 1,
           "make_gan_trainer: batch > 0, lr > 0, EMA decay in [0, 1)");
  GanTrainer t;
  t.model = make_gan(model);
  t.config = config;
  Rng rng(config.seed);
  nn::init_params(t.model.generator_store, rng);
  nn::init_params(t.model.discriminator_store, rng);
  t.generator_opt = adam(t.model.generator_store, config);
  t.discriminator_opt = adam(t.model.discriminator_store, config);
  t.generator_ema = t.model.generator_store.values;
  return t;
}

nn::Mat gan_latents(const GanConfig& config, int n, uint64_t seed) {
  Rng rng(seed);
  nn::Mat z(n, config.latent);
  for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = float(rng.normal());
  return z;
}

void gan_generate(Gan& model, const std::vector<float>* ema_weights, const nn::Mat& z, const std::vector<int>& labels,
                  nn::Mat& images) {
  nn::Mat input;
  generator_input(model.config, z, labels, input);
  std::vector<float> trained;
  if (ema_weights) {
    LL_CHECK(ema_weights->size() == model.generator_store.values.size(), "gan_generate: EMA of another model");
    trained = model.generator_store.values;
    model.generator_store.values = *ema_weights;
  }
  images = nn::sequential_forward(model.generator_store, model.generator, input);
  if (ema_weights) model.generator_store.values = std::move(trained);
  images = (images.array() + 1.0f) * 0.5f;  // [−1, 1] → [0, 1]
}

double discriminator_loss(Gan& m, const nn::Mat& real, const std::vector<int>& real_labels, const nn::Mat& fake,
                          const std::vector<int>& fake_labels, float real_target, bool backward, GanStats* stats) {
  const Eigen::Index b = real.rows();
  LL_CHECK(fake.rows() == b, "discriminator_loss: as many generated as real digits");
  nn::Mat d_in_real, d_in_fake, dlogits;
  discriminator_input(m.config, real, real_labels, d_in_real);
  discriminator_input(m.config, fake, fake_labels, d_in_fake);
  nn::Mat both(2 * b, d_in_real.cols());
  both << d_in_real, d_in_fake;
  nn::Mat targets(2 * b, 1);
  targets.topRows(b).setConstant(real_target);
  targets.bottomRows(b).setZero();
  const nn::Mat& logits = nn::sequential_forward(m.discriminator_store, m.discriminator, both);
  if (stats) {
    stats->real_score = mean_sigmoid(logits, 0, b);
    stats->fake_score = mean_sigmoid(logits, b, b);
  }
  const double loss = nn::bce_with_logits_loss(logits, targets, backward ? &dlogits : nullptr);
  if (backward) nn::sequential_backward(m.discriminator_store, m.discriminator, dlogits, nullptr);
  return loss;
}

double generator_loss(Gan& m, const nn::Mat& z, const std::vector<int>& labels, bool backward) {
  nn::Mat g_in, d_in, dlogits, d_grad_in;
  generator_input(m.config, z, labels, g_in);
  const nn::Mat& fake = nn::sequential_forward(m.generator_store, m.generator, g_in);
  discriminator_input(m.config, fake, labels, d_in);
  const nn::Mat& logits = nn::sequential_forward(m.discriminator_store, m.discriminator, d_in);
  const double loss = nn::bce_with_logits_loss(logits, nn::Mat::Ones(z.rows(), 1), backward ? &dlogits : nullptr);
  if (!backward) return loss;
  // Through D to its input (D's own gradients are discarded by the caller), then through G.
  nn::sequential_backward(m.discriminator_store, m.discriminator, dlogits, &d_grad_in);
  nn::sequential_backward(m.generator_store, m.generator, d_grad_in.leftCols(kDigitPixels), nullptr);
  return loss;
}

bool gan_train_step(GanTrainer& t, const float* images, const uint8_t* labels, int count) {
  LL_CHECK(count > 0, "gan_train_step: no train digits");
  Gan& m = t.model;
  const GanConfig& c = m.config;
  const int b = t.config.batch_size;
  Rng rng = step_rng(t.config.seed, t.step, 0);
  const auto draw_codes = [&](nn::Mat& z, std::vector<int>& classes) {
    z.resize(b, c.latent);
    for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = float(rng.normal());
    classes.resize(size_t(b));
    for (int& y : classes) y = int(rng.below(kDigitClasses));
  };

  // Discriminator: real digits → real_target, generated ones → 0.
  nn::Mat real(b, kDigitPixels), z, g_in, fake;
  std::vector<int> real_labels(static_cast<size_t>(b)), fake_labels;
  for (int i = 0; i < b; ++i) {
    const int index = int(rng.below(uint32_t(count)));
    real.row(i) = Eigen::Map<const Eigen::RowVectorXf>(images + size_t(index) * kDigitPixels, kDigitPixels);
    real_labels[size_t(i)] = labels[index];
  }
  real = real.array() * 2.0f - 1.0f;
  draw_codes(z, fake_labels);
  generator_input(c, z, fake_labels, g_in);
  fake = nn::sequential_forward(m.generator_store, m.generator, g_in);
  const std::vector<float> d_before = m.discriminator_store.values;
  const nn::Optimizer d_opt_before = t.discriminator_opt;
  nn::zero_grads(m.discriminator_store);
  GanStats stats;
  stats.discriminator_loss =
      discriminator_loss(m, real, real_labels, fake, fake_labels, t.config.real_target, true, &stats);
  nn::FiniteCheck finite = nn::check_finite(m.discriminator_store, t.step, stats.discriminator_loss);
  if (!finite.ok) {
    t.error = "discriminator, " + finite.message;
    return false;
  }
  nn::apply_optimizer(m.discriminator_store, t.discriminator_opt);

  // Generator: make D call fresh samples real (the non-saturating loss).
  draw_codes(z, fake_labels);
  nn::zero_grads(m.generator_store);
  stats.generator_loss = generator_loss(m, z, fake_labels, true);
  finite = nn::check_finite(m.generator_store, t.step, stats.generator_loss);
  if (!finite.ok) {
    m.discriminator_store.values = d_before;  // keep the whole step or none of it
    t.discriminator_opt = d_opt_before;
    t.error = "generator, " + finite.message;
    return false;
  }
  nn::apply_optimizer(m.generator_store, t.generator_opt);
  ema_update(t.generator_ema.data(), m.generator_store.values.data(), t.generator_ema.size(), t.config.ema_decay);
  t.last = stats;
  ++t.step;
  return true;
}

std::vector<uint8_t> save_gan(const GanTrainer& t, bool with_optimizer) {
  const GanConfig& c = t.model.config;
  nn::ModelInfo info;
  info.architecture = gan_architecture(c);
  info.hyperparameters = {{"latent", std::to_string(c.latent)},
                          {"conditional", c.conditional ? "1" : "0"},
                          {"generator_channels", std::to_string(c.generator_channels)},
                          {"discriminator_channels", std::to_string(c.discriminator_channels)},
                          {"batch_size", std::to_string(t.config.batch_size)},
                          {"lr", std::to_string(t.config.lr)},
                          {"beta1", std::to_string(t.config.beta1)},
                          {"real_target", std::to_string(t.config.real_target)},
                          {"ema_decay", std::to_string(t.config.ema_decay)},
                          {"seed", std::to_string(t.config.seed)},
                          {"step", std::to_string(t.step)}};
  return nn::save_checkpoint_parts(
      {{"generator", &t.model.generator_store, with_optimizer ? &t.generator_opt : nullptr, &t.generator_ema},
       {"discriminator", &t.model.discriminator_store, with_optimizer ? &t.discriminator_opt : nullptr, nullptr}},
      info);
}

SafetensorsStatus load_gan(const uint8_t* bytes, size_t size, GanTrainer& out, bool* has_optimizer_state) {
  nn::Hyperparameters hyper;
  SafetensorsStatus status = nn::read_hyperparameters(bytes, size, hyper);
  if (!status.ok()) return status;
  double latent, conditional, gch, dch, batch, lr, beta1, real_target, ema_decay, seed, step;
  if (!(hyper.number("latent", latent) && hyper.number("conditional", conditional) &&
        hyper.number("generator_channels", gch) && hyper.number("discriminator_channels", dch) &&
        hyper.number("batch_size", batch) && hyper.number("lr", lr) && hyper.number("beta1", beta1) &&
        hyper.number("real_target", real_target) && hyper.number("ema_decay", ema_decay) &&
        hyper.number("seed", seed) && hyper.number("step", step)))
    return {SafetensorsError::BadEntry, "not a latentlab GAN file (its hyperparameters are missing)"};
  // Every number is checked as a double before a cast (a huge or negative value must not
  // reach int/uint64 conversions) and against the documented limits (dcgan.hpp).
  SafetensorsStatus bad;
  if (!(nn::whole_number(hyper, "latent", 1, kMaxGanLatent, latent, bad) &&
        nn::whole_number(hyper, "generator_channels", 16, kMaxGanChannels, gch, bad) &&
        nn::whole_number(hyper, "discriminator_channels", 4, kMaxGanChannels, dch, bad) &&
        nn::whole_number(hyper, "batch_size", 1, kMaxGanBatch, batch, bad) &&
        nn::whole_number(hyper, "seed", 0, 18446744073709549568.0, seed, bad) &&
        nn::whole_number(hyper, "step", 0, 2147483647, step, bad)))
    return bad;
  if (int(gch) % 16 != 0 || int(dch) % 4 != 0)
    return {SafetensorsError::BadEntry, "the GAN file's generator_channels must be a multiple of 16 and its "
                                        "discriminator_channels a multiple of 4"};
  if (!(std::isfinite(lr) && lr > 0 && beta1 >= 0 && beta1 < 1 && real_target >= 0 && real_target <= 1 &&
        ema_decay >= 0 && ema_decay < 1 && std::isfinite(conditional)))
    return {SafetensorsError::BadEntry, "the GAN file's hyperparameters are out of range (lr > 0, beta1 and ema_decay in "
                                        "[0, 1), real_target in [0, 1])"};
  GanConfig config;
  config.latent = int(latent);
  config.conditional = conditional != 0;
  config.generator_channels = int(gch);
  config.discriminator_channels = int(dch);
  GanTrainConfig train;
  train.batch_size = int(batch);
  train.lr = lr;
  train.beta1 = beta1;
  train.real_target = float(real_target);
  train.ema_decay = ema_decay;
  train.seed = uint64_t(seed);
  // The largest weights of both networks, before they are allocated.
  const uint64_t c = uint64_t(gch), d = uint64_t(dch);
  const uint64_t least = (uint64_t(latent) + uint64_t(conditioning_size(config))) * c * 49 + c * (c / 2) * 16 + d * 2 * d * 16;
  status = nn::check_holds_parameters(hyper, least, "latent " + std::to_string(config.latent) + ", generator_channels " +
                                                        std::to_string(c) + ", discriminator_channels " +
                                                        std::to_string(d));
  if (!status.ok()) return status;
  GanTrainer t = make_gan_trainer(config, train);
  nn::LoadedCheckpoint loaded;
  status = nn::load_checkpoint_parts(
      bytes, size, gan_architecture(config),
      {{"generator", &t.model.generator_store, &t.generator_opt, &t.generator_ema},
       {"discriminator", &t.model.discriminator_store, &t.discriminator_opt, nullptr}},
      &loaded);
  if (!status.ok()) return status;
  t.step = long(step);
  if (has_optimizer_state) *has_optimizer_state = loaded.has_optimizer_state;
  out = std::move(t);
  return {};
}

}  // namespace ll::gen
