#include "ml/gen/ddpm_mnist.hpp"

#include <algorithm>
#include <cmath>

#include "ml/check.hpp"
#include "ml/gen/digit_classifier.hpp"
#include "ml/nn/checkpoint.hpp"
#include "ml/nn/losses.hpp"

namespace ll::gen {

namespace {

std::string ddpm_architecture(const DdpmConfig& c) {
  return "ddpm-mnist-v1 " + unet_architecture(c.unet) + " T " + std::to_string(c.timesteps) + " " +
         schedule_name(c.schedule);
}

nn::Optimizer make_adam(const nn::ParamStore& store, const DdpmTrainConfig& t) {
  OptimizerConfig c;
  c.kind = OptimizerKind::Adam;
  c.lr = t.lr;
  nn::Optimizer opt = nn::make_optimizer(store, c);
  opt.clip_norm = t.clip_norm;
  opt.schedule = {LrScheduleKind::Cosine, 0, t.total_steps, 0.1};
  return opt;
}

}  // namespace

DdpmTrainer make_ddpm_trainer(const DdpmConfig& config, const DdpmTrainConfig& train) {
  LL_CHECK(config.timesteps >= 2 && train.batch_size > 0 && train.lr > 0 && train.total_steps > 0,
           "make_ddpm_trainer: T >= 2, batch > 0, lr > 0, steps > 0");
  DdpmTrainer t;
  t.config = config;
  t.train = train;
  t.net = make_unet(config.unet);
  t.schedule = make_noise_schedule(config.schedule, config.timesteps);
  Rng rng(train.seed);
  nn::init_params(t.net.store, rng);
  t.opt = make_adam(t.net.store, train);
  t.ema = t.net.store.values;
  return t;
}

DdpmTrainer condition_on_classes(const DdpmTrainer& unconditional, int classes, const DdpmTrainConfig& train) {
  LL_CHECK(unconditional.config.unet.classes == 0 && classes > 0, "condition_on_classes: an unconditional model");
  DdpmConfig config = unconditional.config;
  config.unet.classes = classes;
  config.unet.film = true;
  DdpmTrainer t = make_ddpm_trainer(config, train);
  const nn::ParamStore& from = unconditional.net.store;
  for (const nn::ParamView& v : t.net.store.views) {
    const nn::ParamId id = nn::find_param(from, v.name);
    if (id < 0) continue;  // FiLM (zero) and the class rows (random) keep their initial values
    const nn::ParamView& w = from.views[size_t(id)];
    LL_CHECK(w.shape == v.shape, "condition_on_classes: a shared parameter changed shape");
    std::copy_n(unconditional.ema.begin() + std::ptrdiff_t(w.offset), v.size, t.net.store.values.begin() + std::ptrdiff_t(v.offset));
  }
  // "No class" starts as a zero row: with FiLM at zero, the unconditional prediction is the
  // ancestor's. The class rows start random, as in a fresh model: a zero start would leave the
  // class signal too weak to learn from (zero times zero in the path to the feature maps).
  const nn::ParamId table = t.net.class_embed.table;
  nn::param_matrix(t.net.store, table).row(classes).setZero();
  t.ema = t.net.store.values;
  return t;
}

double ddpm_loss(Unet& net, const NoiseSchedule& schedule, const nn::Mat& x0, const std::vector<int>& t,
                 const nn::Mat& eps, bool backward, const std::vector<int>& class_ids) {
  LL_CHECK_SHAPE(eps, x0.rows(), x0.cols(), "ddpm_loss: ε must match x₀");
  nn::Mat xt(x0.rows(), x0.cols()), deps;
  for (Eigen::Index i = 0; i < x0.rows(); ++i)
    q_sample(schedule, t[size_t(i)], x0.row(i).data(), eps.row(i).data(), xt.row(i).data(), int(x0.cols()));
  const double loss = nn::mse_loss(unet_forward(net, xt, t, class_ids), eps, backward ? &deps : nullptr);
  if (backward) unet_backward(net, deps);
  return loss;
}

bool ddpm_train_step(DdpmTrainer& t, const float* images, const uint8_t* labels, int count) {
  LL_CHECK(count > 0, "ddpm_train_step: no train digits");
  const int classes = t.config.unet.classes;
  LL_CHECK(classes == 0 || labels, "ddpm_train_step: a conditional net needs the labels");
  Rng rng(t.train.seed, uint64_t(t.step) + 1);
  const int b = t.train.batch_size;
  nn::Mat x0(b, kDigitPixels), eps(b, kDigitPixels);
  std::vector<int> steps(static_cast<size_t>(b)), picked(static_cast<size_t>(b));
  for (int i = 0; i < b; ++i) {
    picked[size_t(i)] = int(rng.below(uint32_t(count)));
    const float* image = images + size_t(picked[size_t(i)]) * kDigitPixels;
    for (int p = 0; p < kDigitPixels; ++p) x0(i, p) = 2.0f * image[p] - 1.0f;
    steps[size_t(i)] = int(rng.below(uint32_t(t.config.timesteps)));
  }
  fill_normal(rng, eps.data(), int(eps.size()));
  std::vector<int> class_ids;
  if (classes > 0) {
    for (int i = 0; i < b; ++i) {
      const int label = labels[picked[size_t(i)]];
      LL_CHECK(label >= 0 && label < classes, "ddpm_train_step: a label outside the model's classes");
      class_ids.push_back(rng.uniform() < t.train.label_dropout ? classes : label);
    }
  }
  nn::zero_grads(t.net.store);
  const double loss = ddpm_loss(t.net, t.schedule, x0, steps, eps, true, class_ids);
  const nn::FiniteCheck finite = nn::check_finite(t.net.store, t.step, loss);
  if (!finite.ok) {
    t.error = finite.message;
    return false;
  }
  nn::apply_optimizer(t.net.store, t.opt);
  ema_update(t.ema.data(), t.net.store.values.data(), t.ema.size(), t.train.ema_decay);
  t.last_loss = loss;
  ++t.step;
  return true;
}

std::vector<uint8_t> save_ddpm(const DdpmTrainer& t, bool with_optimizer) {
  nn::ModelInfo info;
  info.architecture = ddpm_architecture(t.config);
  info.hyperparameters = {{"channels", std::to_string(t.config.unet.channels)},
                          {"time_dim", std::to_string(t.config.unet.time_dim)},
                          {"classes", std::to_string(t.config.unet.classes)},
                          {"film", t.config.unet.film ? "1" : "0"},
                          {"label_dropout", std::to_string(t.train.label_dropout)},
                          {"origin", t.origin},
                          {"timesteps", std::to_string(t.config.timesteps)},
                          {"schedule", schedule_name(t.config.schedule)},
                          {"batch_size", std::to_string(t.train.batch_size)},
                          {"lr", std::to_string(t.train.lr)},
                          {"total_steps", std::to_string(t.train.total_steps)},
                          {"clip_norm", std::to_string(t.train.clip_norm)},
                          {"ema_decay", std::to_string(t.train.ema_decay)},
                          {"seed", std::to_string(t.train.seed)},
                          {"step", std::to_string(t.step)}};
  return nn::save_checkpoint_parts({{"unet", &t.net.store, with_optimizer ? &t.opt : nullptr, &t.ema}}, info);
}

SafetensorsStatus load_ddpm(const uint8_t* bytes, size_t size, DdpmTrainer& out, bool* has_optimizer_state) {
  nn::Hyperparameters hyper;
  SafetensorsStatus status = nn::read_hyperparameters(bytes, size, hyper);
  if (!status.ok()) return status;
  double channels, time_dim, timesteps, batch, lr, total, clip, ema, seed, step;
  if (!(hyper.number("channels", channels) && hyper.number("time_dim", time_dim) &&
        hyper.number("timesteps", timesteps) && hyper.number("batch_size", batch) && hyper.number("lr", lr) &&
        hyper.number("total_steps", total) && hyper.number("clip_norm", clip) && hyper.number("ema_decay", ema) &&
        hyper.number("seed", seed) && hyper.number("step", step)))
    return {SafetensorsError::BadEntry, "not a latentlab DDPM file (its hyperparameters are missing)"};
  // Files from before class conditioning and FiLM have none of these entries: unconditional, no FiLM.
  double classes = 0, label_dropout = DdpmTrainConfig().label_dropout;
  if (!hyper.text("classes").empty() && !hyper.number("classes", classes))
    return {SafetensorsError::BadEntry, "the DDPM file's class count is not a number"};
  if (!hyper.text("label_dropout").empty() && !hyper.number("label_dropout", label_dropout))
    return {SafetensorsError::BadEntry, "the DDPM file's label dropout is not a number"};
  // Every number is checked as a double before a cast (a huge or negative value must not
  // reach int/long/uint64 conversions) and against the documented limits (ddpm_mnist.hpp).
  SafetensorsStatus bad;
  if (!(nn::whole_number(hyper, "channels", 8, kMaxDdpmChannels, channels, bad) &&
        nn::whole_number(hyper, "time_dim", 1, kMaxDdpmTimeDim, time_dim, bad) &&
        nn::whole_number(hyper, "timesteps", 2, kMaxDdpmTimesteps, timesteps, bad) &&
        nn::whole_number(hyper, "batch_size", 1, kMaxDdpmBatch, batch, bad) &&
        nn::whole_number(hyper, "total_steps", 1, 2147483647, total, bad) &&
        nn::whole_number(hyper, "seed", 0, 18446744073709549568.0, seed, bad) &&
        nn::whole_number(hyper, "step", 0, 2147483647, step, bad) &&
        (hyper.text("classes").empty() || nn::whole_number(hyper, "classes", 0, kMaxDdpmClasses, classes, bad))))
    return bad;
  if (int(channels) % 8 != 0) return {SafetensorsError::BadEntry, "the DDPM file's channels must be a multiple of 8"};
  if (!(std::isfinite(lr) && lr > 0 && std::isfinite(clip) && label_dropout >= 0 && label_dropout <= 1 && ema >= 0 &&
        ema < 1))
    return {SafetensorsError::BadEntry, "the DDPM file's hyperparameters are out of range (lr > 0, finite clip_norm, "
                                        "label_dropout in [0, 1], ema_decay in [0, 1))"};
  DdpmConfig config;
  config.unet.channels = int(channels);
  config.unet.time_dim = int(time_dim);
  config.unet.classes = int(classes);
  config.unet.film = hyper.text("film") == "1";
  config.timesteps = int(timesteps);
  const std::string schedule = hyper.text("schedule");
  if (schedule == schedule_name(ScheduleKind::Linear)) config.schedule = ScheduleKind::Linear;
  else if (schedule == schedule_name(ScheduleKind::Cosine)) config.schedule = ScheduleKind::Cosine;
  else return {SafetensorsError::BadEntry, "unknown noise schedule '" + schedule + "'"};
  DdpmTrainConfig train;
  train.batch_size = int(batch);
  train.lr = lr;
  train.total_steps = long(total);
  train.clip_norm = clip;
  train.ema_decay = ema;
  train.seed = uint64_t(seed);
  train.label_dropout = label_dropout;
  // The U-Net's two down-sampling convolutions and its class and time rows, before they are allocated.
  const uint64_t c = uint64_t(channels), td = uint64_t(time_dim);
  const uint64_t least = 54 * c * c + (uint64_t(classes) + 1) * td + td * td;
  status = nn::check_holds_parameters(hyper, least, "channels " + std::to_string(c) + ", time_dim " + std::to_string(td) +
                                                        ", classes " + std::to_string(config.unet.classes));
  if (!status.ok()) return status;
  DdpmTrainer t = make_ddpm_trainer(config, train);
  nn::LoadedCheckpoint loaded;
  status = nn::load_checkpoint_parts(bytes, size, ddpm_architecture(config), {{"unet", &t.net.store, &t.opt, &t.ema}},
                                     &loaded);
  if (!status.ok()) return status;
  t.step = long(step);
  t.origin = hyper.text("origin");
  if (has_optimizer_state) *has_optimizer_state = loaded.has_optimizer_state;
  out = std::move(t);
  return {};
}

DdpmChain start_chain(const DdpmTrainer& model, int n, bool ddim, int steps, double eta, uint64_t seed) {
  LL_CHECK(n > 0, "start_chain: n > 0");
  DdpmChain c;
  c.ddim = ddim;
  c.eta = eta;
  c.timesteps = sampling_timesteps(model.config.timesteps, ddim ? steps : model.config.timesteps);
  c.rng.reseed(seed, 0x64646d);
  c.x.resize(n, kDigitPixels);
  fill_normal(c.rng, c.x.data(), int(c.x.size()));
  c.x0_hat = nn::Mat::Zero(n, kDigitPixels);
  return c;
}

namespace {

// ε̂ of chains [first, first + count) at step t: unconditional, conditional, or guided (both
// predictions from one forward over those chains stacked twice, with their classes and with
// "no class").
nn::Mat predict_noise(Unet& net, const DdpmChain& c, int t, Eigen::Index first, Eigen::Index count) {
  LL_CHECK(c.class_ids.empty() || (net.config.classes > 0 && c.class_ids.size() == size_t(c.x.rows())),
           "chain_step: class ids only for a conditional model, one per chain");
  const auto x = c.x.middleRows(first, count);
  std::vector<int> ids;
  if (!c.class_ids.empty()) ids.assign(c.class_ids.begin() + first, c.class_ids.begin() + first + count);
  if (ids.empty() || c.guidance == 1.0) return unet_forward(net, x, std::vector<int>(size_t(count), t), ids);
  nn::Mat both(2 * count, x.cols());
  both.topRows(count) = x;
  both.bottomRows(count) = x;
  ids.resize(size_t(2 * count), net.config.classes);
  const nn::Mat& eps = unet_forward(net, both, std::vector<int>(size_t(2 * count), t), ids);
  const float w = float(c.guidance);
  return eps.bottomRows(count) + w * (eps.topRows(count) - eps.bottomRows(count));
}

}  // namespace

void chain_step(Unet& net, const NoiseSchedule& schedule, DdpmChain& c, int max_chains) {
  if (c.done()) return;
  const int t = c.timesteps[size_t(c.next)];
  const int t_prev = c.next + 1 < int(c.timesteps.size()) ? c.timesteps[size_t(c.next) + 1] : -1;
  const bool noisy = c.ddim ? c.eta > 0 : t > 0;
  if (c.chains_done == 0 && noisy) {  // the whole step's noise, drawn once, so parts add up to the step
    c.z.resize(c.x.rows(), c.x.cols());
    fill_normal(c.rng, c.z.data(), int(c.z.size()));
  }
  const Eigen::Index first = c.chains_done;
  const Eigen::Index count = max_chains > 0 ? std::min<Eigen::Index>(max_chains, c.x.rows() - first) : c.x.rows() - first;
  const nn::Mat eps = predict_noise(net, c, t, first, count);
  // Pixels live in [−1, 1]: x̂₀ is clipped there and ε̂ recomputed from the clipped x̂₀ (as the
  // DDPM reference sampler does). Early on, x̂₀ = (x_t − √(1−ᾱ_t) ε̂)/√ᾱ_t divides by √ᾱ_t ≈ 0.006,
  // and unclipped errors would saturate whole images.
  const float root_ab = float(std::sqrt(schedule.alpha_bars[size_t(t)]));
  const float root_one_minus_ab = float(std::sqrt(1.0 - schedule.alpha_bars[size_t(t)]));
  std::vector<float> eps_clipped(kDigitPixels);
  for (Eigen::Index k = 0; k < count; ++k) {
    const Eigen::Index i = first + k;
    float* x = c.x.row(i).data();
    float* x0 = c.x0_hat.row(i).data();
    predict_x0(schedule, t, x, eps.row(k).data(), x0, kDigitPixels);
    for (int p = 0; p < kDigitPixels; ++p) {
      x0[p] = std::clamp(x0[p], -1.0f, 1.0f);
      eps_clipped[size_t(p)] = (x[p] - root_ab * x0[p]) / root_one_minus_ab;
    }
    const float* noise = noisy ? c.z.row(i).data() : nullptr;
    if (c.ddim) ddim_step(schedule, t, t_prev, c.eta, x, eps_clipped.data(), noise, x, kDigitPixels);
    else ddpm_step(schedule, t, x, eps_clipped.data(), noise, x, kDigitPixels);
  }
  c.chains_done = int(first + count);
  if (c.chains_done == c.x.rows()) {
    c.chains_done = 0;
    ++c.next;
  }
}

nn::Mat chain_images(const nn::Mat& x) { return ((x.array() + 1.0f) * 0.5f).cwiseMax(0.0f).cwiseMin(1.0f).matrix(); }

EmaWeights::EmaWeights(DdpmTrainer& trainer) : trainer_(trainer) { trainer_.net.store.values.swap(trainer_.ema); }
EmaWeights::~EmaWeights() { trainer_.net.store.values.swap(trainer_.ema); }

nn::Mat ddpm_sample(DdpmTrainer& model, int n, bool ddim, int steps, uint64_t seed, const std::vector<int>& class_ids,
                    double guidance) {
  EmaWeights ema(model);
  DdpmChain chain = start_chain(model, n, ddim, steps, 0.0, seed);
  chain.class_ids = class_ids;
  chain.guidance = guidance;
  while (!chain.done()) chain_step(model.net, model.schedule, chain);
  return chain_images(chain.x);
}

}  // namespace ll::gen
