#include "ml/vae.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "ml/check.hpp"

namespace ll::vae {

namespace {

constexpr int kEvalBatch = 250;  // images per forward pass when evaluating or encoding
constexpr long kKeepGoodEvery = 10;  // steps between copies of the last good model (NaN guard)

// splitmix64: decorrelated seeds for the ε of each step and the order of each epoch, so a
// resumed run draws exactly what an uninterrupted one would.
uint64_t mix(uint64_t a, uint64_t b) {
  uint64_t z = a * 0x9E3779B97F4A7C15ull + b + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void load_rows(const float* images, const int* indices, int rows, int first, Mat& x) {
  x.resize(rows, kPixels);
  for (int r = 0; r < rows; ++r) {
    const int i = indices ? indices[r] : first + r;
    std::copy(images + size_t(i) * kPixels, images + size_t(i + 1) * kPixels, x.row(r).data());
  }
}

void start_epoch(VaeTrainer& t) {
  t.order.resize(size_t(t.count));
  for (int i = 0; i < t.count; ++i) t.order[size_t(i)] = i;
  Rng rng(mix(t.config.seed, 0x5348554646ull + uint64_t(t.epoch)));
  rng.shuffle(t.order.data(), t.order.size());
  t.cursor = 0;
}

void apply_schedule(VaeTrainer& t) {
  t.optimizer.schedule = LrSchedule{};
  if (t.config.epochs > 0) {
    t.optimizer.schedule.kind = LrScheduleKind::Cosine;
    t.optimizer.schedule.total_steps = t.config.epochs * steps_per_epoch(t);
    t.optimizer.schedule.final_fraction = t.config.final_lr_fraction;
  }
}

bool parse_architecture(const std::string& text, VaeConfig& config) {
  int pixels = 0, hidden = 0, depth = 1, latent = 0, used = 0;
  const bool shallow = std::sscanf(text.c_str(), "vae-%d-%d-%d%n", &pixels, &hidden, &latent, &used) == 3 &&
                       used == int(text.size());
  used = 0;
  const bool deep = !shallow && std::sscanf(text.c_str(), "vae-%d-%dx%d-%d%n", &pixels, &hidden, &depth, &latent,
                                            &used) == 4 && used == int(text.size());
  if (!(shallow || deep) || pixels != kPixels) return false;
  config.hidden = hidden;
  config.depth = depth;
  config.latent = latent;
  return validate_vae_config(config).empty();
}

bool read_hyper(const std::map<std::string, std::string>& h, const char* key, double& out) {
  const auto it = h.find(key);
  if (it == h.end()) return false;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0' || !std::isfinite(v)) return false;
  out = v;
  return true;
}

std::string number_text(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

}  // namespace

std::string validate_vae_config(const VaeConfig& config) {
  if (config.latent < 1 || config.latent > 256) return "latent size must be 1..256";
  if (config.hidden < 1 || config.hidden > 4096) return "hidden size must be 1..4096";
  if (config.depth < 1 || config.depth > 2) return "depth must be 1 or 2";
  return "";
}

std::string vae_architecture(const VaeConfig& config) {
  const std::string width =
      std::to_string(config.hidden) + (config.depth > 1 ? "x" + std::to_string(config.depth) : std::string());
  return "vae-" + std::to_string(kPixels) + "-" + width + "-" + std::to_string(config.latent);
}

Vae make_vae(const VaeConfig& config, uint64_t seed) {
  const std::string problem = validate_vae_config(config);
  LL_CHECK(problem.empty(), problem.c_str());
  Vae vae;
  vae.config = config;
  std::vector<int> encoder_sizes = {kPixels}, decoder_sizes = {config.latent};
  for (int i = 0; i < config.depth; ++i) {
    encoder_sizes.push_back(config.hidden);
    decoder_sizes.push_back(config.hidden);
  }
  encoder_sizes.push_back(2 * config.latent);
  decoder_sizes.push_back(kPixels);
  vae.encoder = nn::make_mlp(vae.store, "encoder", encoder_sizes);
  vae.decoder = nn::make_mlp(vae.store, "decoder", decoder_sizes);
  Rng rng(seed);
  nn::init_params(vae.store, rng);
  return vae;
}

void draw_eps(Rng& rng, int rows, int latent, Mat& eps) {
  eps.resize(rows, latent);
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < latent; ++j) eps(r, j) = float(rng.normal());
}

VaeLoss vae_loss(Vae& vae, VaeBatch& b, double beta, bool backward, double grad_scale) {
  const int rows = int(b.x.rows()), latent = vae.config.latent;
  LL_CHECK_SHAPE(b.x, rows, kPixels, "vae_loss: x must be [B, 784]");
  LL_CHECK_SHAPE(b.eps, rows, latent, "vae_loss: eps must be [B, latent]");
  const Mat& stats = nn::mlp_forward(vae.store, vae.encoder, b.x);  // [B, 2·latent]
  b.mu = stats.leftCols(latent);
  b.logvar = stats.rightCols(latent);
  const Mat sigma = (b.logvar.array() * 0.5f).exp().matrix();  // [B, latent]
  b.z = b.mu + sigma.cwiseProduct(b.eps);
  b.logits = nn::mlp_forward(vae.store, vae.decoder, b.z);  // [B, 784]
  LL_CHECK_SHAPE(b.logits, rows, kPixels, "vae_loss: logits must be [B, 784]");

  VaeLoss loss;
  Mat dlogits, dmu_kl, dlogvar_kl;
  loss.reconstruction = nn::bce_with_logits_loss(b.logits, b.x, backward ? &dlogits : nullptr, nn::Reduction::BatchMean);
  loss.kl = nn::gaussian_kl_loss(b.mu, b.logvar, backward ? &dmu_kl : nullptr, backward ? &dlogvar_kl : nullptr);
  loss.total = loss.reconstruction + beta * loss.kl;
  if (!backward) return loss;

  if (grad_scale != 1.0) {
    dlogits *= float(grad_scale);
    dmu_kl *= float(grad_scale);
    dlogvar_kl *= float(grad_scale);
  }
  Mat dz;  // [B, latent]
  nn::mlp_backward(vae.store, vae.decoder, dlogits, &dz);
  // z = μ + exp(½ log σ²)·ε: ∂z/∂μ = 1, ∂z/∂log σ² = ½σε.
  Mat dstats(rows, 2 * latent);
  dstats.leftCols(latent) = dz + float(beta) * dmu_kl;
  dstats.rightCols(latent) =
      (dz.array() * sigma.array() * b.eps.array() * 0.5f).matrix() + float(beta) * dlogvar_kl;
  nn::mlp_backward(vae.store, vae.encoder, dstats, nullptr);
  return loss;
}

void vae_encode(Vae& vae, const float* images, int count, Mat& mu, Mat& logvar) {
  const int latent = vae.config.latent;
  mu.resize(count, latent);
  logvar.resize(count, latent);
  Mat x;
  for (int first = 0; first < count; first += kEvalBatch) {
    const int rows = std::min(kEvalBatch, count - first);
    load_rows(images, nullptr, rows, first, x);
    const Mat& stats = nn::mlp_forward(vae.store, vae.encoder, x);
    mu.middleRows(first, rows) = stats.leftCols(latent);
    logvar.middleRows(first, rows) = stats.rightCols(latent);
  }
}

void vae_decode(Vae& vae, const Mat& z, Mat& pixels) {
  LL_CHECK(z.cols() == vae.config.latent, "vae_decode: z must be [n, latent]");
  const Mat& logits = nn::mlp_forward(vae.store, vae.decoder, z);
  nn::activation_forward(nn::Activation::Sigmoid, logits, pixels);
  LL_CHECK_SHAPE(pixels, z.rows(), kPixels, "vae_decode: pixels must be [n, 784]");
}

void vae_sample(Vae& vae, Rng& rng, int n, Mat& pixels) {
  Mat z;
  draw_eps(rng, n, vae.config.latent, z);
  vae_decode(vae, z, pixels);
}

void vae_interpolate(Vae& vae, const float* image_a, const float* image_b, int steps, Mat& z) {
  LL_CHECK(steps >= 2, "vae_interpolate: needs at least the two end points");
  Mat pair(2, kPixels), mu, logvar;
  std::copy(image_a, image_a + kPixels, pair.row(0).data());
  std::copy(image_b, image_b + kPixels, pair.row(1).data());
  const Mat& stats = nn::mlp_forward(vae.store, vae.encoder, pair);
  mu = stats.leftCols(vae.config.latent);
  z.resize(steps, vae.config.latent);
  for (int s = 0; s < steps; ++s) {
    const float t = float(s) / float(steps - 1);
    z.row(s) = (1 - t) * mu.row(0) + t * mu.row(1);
  }
}

VaeLoss vae_evaluate(Vae& vae, const float* images, int count, uint64_t eps_seed) {
  Rng rng(eps_seed);
  return vae_evaluate_part(vae, images, count, rng);
}

VaeLoss vae_evaluate_part(Vae& vae, const float* images, int count, Rng& rng) {
  LL_CHECK(count > 0, "vae_evaluate: no images");
  VaeBatch b;
  double reconstruction = 0, kl = 0;
  for (int first = 0; first < count; first += kEvalBatch) {
    const int rows = std::min(kEvalBatch, count - first);
    load_rows(images, nullptr, rows, first, b.x);
    draw_eps(rng, rows, vae.config.latent, b.eps);
    const VaeLoss l = vae_loss(vae, b, 1.0, false);
    reconstruction += l.reconstruction * rows;
    kl += l.kl * rows;
  }
  VaeLoss mean;
  mean.reconstruction = reconstruction / count;
  mean.kl = kl / count;
  mean.total = mean.reconstruction + mean.kl;
  return mean;
}

// ---------------------------------------------------------------------------------------
VaeTrainer make_vae_trainer(const VaeConfig& model, const VaeTrainConfig& config, int count) {
  LL_CHECK(count > 0 && config.batch_size > 0, "make_vae_trainer: needs images and a positive batch size");
  VaeTrainer t;
  t.model = make_vae(model, config.seed);
  t.config = config;
  t.count = count;
  OptimizerConfig adam;
  adam.kind = OptimizerKind::Adam;
  adam.lr = config.lr;
  adam.weight_decay = config.weight_decay;
  t.optimizer = nn::make_optimizer(t.model.store, adam);
  apply_schedule(t);
  start_epoch(t);
  return t;
}

long steps_per_epoch(const VaeTrainer& t) { return (t.count + t.config.batch_size - 1) / t.config.batch_size; }

double current_beta(const VaeTrainer& t) {
  if (t.config.kl_warmup_epochs <= 0) return t.config.beta;
  const double progress = double(t.step) / (t.config.kl_warmup_epochs * double(steps_per_epoch(t)));
  return t.config.beta * std::min(1.0, progress);
}

void set_learning_rate(VaeTrainer& t, double lr) {
  t.config.lr = lr;
  t.optimizer.config.lr = lr;
}

bool vae_train_step(VaeTrainer& t, const float* images) {
  TrainProgress p;
  do p = vae_train_rows(t, images, t.config.batch_size);
  while (p == TrainProgress::Partial);
  return p == TrainProgress::Stepped;
}

TrainProgress vae_train_rows(VaeTrainer& t, const float* images, int max_rows) {
  LL_CHECK(max_rows > 0, "vae_train_rows: max_rows must be positive");
  if (t.cursor >= t.count) {
    ++t.epoch;
    start_epoch(t);
  }
  const int batch_rows = std::min(t.config.batch_size, t.count - t.cursor);
  const int latent = t.model.config.latent;
  if (t.rows_done == 0 || t.batch_eps.rows() != batch_rows || t.batch_eps.cols() != latent) {
    if (t.last_good.step < 0) nn::keep_last_good(t.last_good, t.model.store, t.optimizer);
    nn::zero_grads(t.model.store);
    t.rows_done = 0;
    t.partial = VaeLoss{};
    Rng eps_rng(mix(t.config.seed, uint64_t(t.step)));
    draw_eps(eps_rng, batch_rows, latent, t.batch_eps);
  }
  const int rows = std::min(max_rows, batch_rows - t.rows_done);
  load_rows(images, t.order.data() + t.cursor + t.rows_done, rows, 0, t.batch.x);
  t.batch.eps = t.batch_eps.middleRows(t.rows_done, rows);
  const double share = double(rows) / double(batch_rows);
  const VaeLoss piece = vae_loss(t.model, t.batch, current_beta(t), true, share);
  t.partial.reconstruction += piece.reconstruction * share;
  t.partial.kl += piece.kl * share;
  t.partial.total += piece.total * share;
  t.rows_done += rows;
  if (t.rows_done < batch_rows) return TrainProgress::Partial;
  t.rows_done = 0;

  // One check after the update covers the loss, the gradients and the updated parameters.
  nn::apply_optimizer(t.model.store, t.optimizer);
  const nn::FiniteCheck check = nn::check_finite(t.model.store, t.step, t.partial.total);
  if (!check.ok) {
    const long kept = t.last_good.step;
    nn::restore_last_good(t.last_good, t.model.store, t.optimizer);
    t.error = check.message + "; the model of update " + std::to_string(kept) +
              " was put back (lower the learning rate or reset)";
    return TrainProgress::NotFinite;
  }
  t.cursor += batch_rows;
  ++t.step;
  // Copying the model every step costs as much as a tenth of the step: every kKeepGoodEvery.
  if (t.step % kKeepGoodEvery == 0) nn::keep_last_good(t.last_good, t.model.store, t.optimizer);
  t.last = t.partial;
  t.error.clear();
  if (t.cursor >= t.count) {
    ++t.epoch;
    start_epoch(t);
  }
  return TrainProgress::Stepped;
}

// ---------------------------------------------------------------------------------------
std::vector<uint8_t> save_vae(const VaeTrainer& t, bool with_optimizer) {
  nn::ModelInfo info;
  info.architecture = vae_architecture(t.model.config);
  info.hyperparameters = {{"latent", std::to_string(t.model.config.latent)},
                          {"hidden", std::to_string(t.model.config.hidden)},
                          {"depth", std::to_string(t.model.config.depth)},
                          {"batch_size", std::to_string(t.config.batch_size)},
                          {"lr", number_text(t.config.lr)},
                          {"beta", number_text(t.config.beta)},
                          {"kl_warmup_epochs", number_text(t.config.kl_warmup_epochs)},
                          {"epochs", std::to_string(t.config.epochs)},
                          {"final_lr_fraction", number_text(t.config.final_lr_fraction)},
                          {"weight_decay", number_text(t.config.weight_decay)},
                          {"seed", std::to_string(t.config.seed)},
                          {"epoch", std::to_string(t.epoch)},
                          {"step", std::to_string(t.step)},
                          {"likelihood", "bernoulli (grayscale BCE over 784 pixels)"}};
  return nn::save_checkpoint(t.model.store, info, with_optimizer ? &t.optimizer : nullptr);
}

SafetensorsStatus save_vae_file(const std::string& path, const VaeTrainer& trainer, bool with_optimizer) {
  return write_file_bytes(path, save_vae(trainer, with_optimizer));
}

SafetensorsStatus load_vae(const uint8_t* bytes, size_t size, const VaeConfig* expected, int count, LoadedVae& out) {
  SafetensorsView view;
  SafetensorsStatus status = parse_safetensors(bytes, size, view);
  if (!status.ok()) return status;
  const auto arch = view.metadata.find("architecture");
  VaeConfig config;
  if (arch == view.metadata.end() || !parse_architecture(arch->second, config))
    return {SafetensorsError::ArchitectureMismatch,
            "not a VAE checkpoint: its architecture is '" + (arch == view.metadata.end() ? std::string("none") : arch->second) +
                "', a VAE's is 'vae-784-<hidden>[x<depth>]-<latent>'"};
  if (expected && (expected->latent != config.latent || expected->hidden != config.hidden ||
                   expected->depth != config.depth))
    return {SafetensorsError::ArchitectureMismatch,
            "the file holds a VAE with latent " + std::to_string(config.latent) + ", hidden " +
                std::to_string(config.hidden) + " and depth " + std::to_string(config.depth) +
                "; this model has latent " + std::to_string(expected->latent) + ", hidden " +
                std::to_string(expected->hidden) + " and depth " + std::to_string(expected->depth)};

  // The encoder's and decoder's 784-wide layers (and, two deep, their hidden-to-hidden layers)
  // must be in the file before a trainer of that size is allocated.
  uint64_t tensor_bytes = 0;
  for (const TensorEntry& e : view.tensors) tensor_bytes += e.end - e.begin;
  const uint64_t h = uint64_t(config.hidden);
  const uint64_t least = 2 * uint64_t(kPixels) * h + 2 * uint64_t(config.depth - 1) * h * h;
  if (tensor_bytes < 4 * least)
    return {SafetensorsError::Truncated, "the file declares a VAE (hidden " + std::to_string(config.hidden) + ", depth " +
                                             std::to_string(config.depth) + ") of at least " + std::to_string(least) +
                                             " parameters (" + std::to_string(4 * least) +
                                             " bytes) but its tensors hold only " + std::to_string(tensor_bytes) +
                                             " bytes"};

  // Build the trainer with the file's settings, then load weights and optimizer into it.
  VaeTrainConfig settings;
  double v = 0;
  nn::LoadedCheckpoint loaded;
  LoadedVae result;
  result.trainer = make_vae_trainer(config, settings, std::max(count, 1));
  status = nn::load_checkpoint(bytes, size, vae_architecture(config), result.trainer.model.store,
                               &result.trainer.optimizer, &loaded);
  if (!status.ok()) return status;
  VaeTrainer& t = result.trainer;
  const auto& hp = loaded.info.hyperparameters;
  // Settings out of range keep the defaults; counts are range-checked before their casts (a
  // long is 32 bits in WASM).
  constexpr double kMaxCount = 2147483647;
  if (read_hyper(hp, "batch_size", v) && v >= 1 && v <= 1e6) t.config.batch_size = int(v);
  if (read_hyper(hp, "lr", v) && v > 0) t.config.lr = v;
  if (read_hyper(hp, "beta", v) && v >= 0) t.config.beta = v;
  if (read_hyper(hp, "kl_warmup_epochs", v) && v >= 0) t.config.kl_warmup_epochs = v;
  if (read_hyper(hp, "epochs", v) && v >= 0 && v <= kMaxCount) t.config.epochs = long(v);
  if (read_hyper(hp, "final_lr_fraction", v) && v >= 0) t.config.final_lr_fraction = v;
  if (read_hyper(hp, "weight_decay", v) && v >= 0) t.config.weight_decay = v;
  if (read_hyper(hp, "seed", v) && v >= 0 && v < 18446744073709551616.0) t.config.seed = uint64_t(v);
  if (read_hyper(hp, "epoch", v) && v >= 0 && v <= kMaxCount) t.epoch = long(v);
  if (read_hyper(hp, "step", v) && v >= 0 && v <= kMaxCount) t.step = long(v);
  t.optimizer.config.weight_decay = t.config.weight_decay;
  if (!loaded.has_optimizer_state) {
    t.optimizer.config.lr = t.config.lr;
    apply_schedule(t);
  }
  start_epoch(t);
  t.last_good = nn::LastGood{};
  result.has_optimizer_state = loaded.has_optimizer_state;
  out = std::move(result);
  return {};
}

SafetensorsStatus load_vae_file(const std::string& path, const VaeConfig* expected, int count, LoadedVae& out) {
  std::vector<uint8_t> bytes;
  const SafetensorsStatus status = read_file_bytes(path, bytes);
  if (!status.ok()) return status;
  return load_vae(bytes.data(), bytes.size(), expected, count, out);
}

}  // namespace ll::vae
