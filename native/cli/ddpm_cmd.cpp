// latentlab ddpm train and latentlab sample ddpm: the MNIST DDPM of core/ml/gen/ddpm_mnist.
#include <cstdio>
#include <string>

#include "cli.hpp"
#include "io/assets.hpp"
#include "ml/gen/ddpm_mnist.hpp"
#include "ml/gen/digit_classifier.hpp"
#include "ml/thread_pool.hpp"
#include "common.hpp"

namespace ll::cli {

namespace {

constexpr const char* kDdpmAsset = "ddpm_mnist.safetensors";
constexpr long kCheckpointEvery = 100;

constexpr const char* kDdpmUsage =
    "usage:\n"
    "  latentlab ddpm train [--steps 12000] [--channels 16] [--classes 0|10] [--from FILE] [--lr 1e-3]\n"
    "                       [--no-film] [--seed 1] [--threads N] --out MODEL.safetensors\n"
    "      trains the U-Net (epsilon prediction, linear schedule, T = 1000) on the 8000 train digits with\n"
    "      batch 32, Adam (--lr) with cosine decay to 10% over --steps, gradient clipping 1, EMA 0.999;\n"
    "      --classes 10: conditional on the digit, 10% of rows trained as \"no class\" for guidance;\n"
    "      --from: start a conditional run from an unconditional model's EMA weights;\n"
    "      --no-film: no FiLM in the blocks (as the shipped model's unconditional ancestor);\n"
    "      saves MODEL every 100 steps and continues from MODEL when it holds a shorter run\n"
    "  latentlab sample ddpm [--model FILE] [--n 1000] [--sampler ddim|ddpm] [--steps 25] [--seed 1]\n"
    "                        [--class C] [--guidance 2] [--no-ema] --out FILE.npy [--png GRID.png]\n"
    "      reverse chains from x_T ~ N(0, I) with the EMA weights (--no-ema: the last weights; default\n"
    "      model: the shipped ddpm_mnist.safetensors): DDIM (eta 0) over --steps evenly spaced steps, or\n"
    "      DDPM's ancestral chain over all T; writes uint8 (N, 28, 28). A conditional model draws\n"
    "      sample i as digit i mod 10 (--class C: all as C), with classifier-free guidance W\n"
    "      (1: the conditional model alone)\n";

int fail(const std::string& message) {
  std::fprintf(stderr, "latentlab ddpm: %s\n", message.c_str());
  return 2;
}

SafetensorsStatus load_ddpm_file(const std::string& path, gen::DdpmTrainer& t, bool* has_optimizer_state) {
  return load_model_file(path, [&](const uint8_t* b, size_t n) { return gen::load_ddpm(b, n, t, has_optimizer_state); });
}

int run_train(const Args& args) {
  gen::DdpmConfig config;
  gen::DdpmTrainConfig train;
  long threads = 0;
  std::string out, from;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--no-film") {
      config.unet.film = false;
      continue;
    }
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kDdpmUsage);
    const std::string& v = args[++i];
    long n = 0;
    if (a == "--steps" && parse_long(v, 1, 10000000, n)) train.total_steps = n;
    else if (a == "--channels" && parse_long(v, 8, 256, n) && n % 8 == 0) config.unet.channels = int(n);
    else if (a == "--classes" && parse_long(v, 0, 10, n) && (n == 0 || n == 10)) config.unet.classes = int(n);
    else if (a == "--lr" && parse_double(v, 1e-6, 1.0, train.lr)) continue;
    else if (a == "--seed" && parse_long(v, 0, 2147483647, n)) train.seed = uint64_t(n);
    else if (a == "--threads" && parse_long(v, 1, 64, n)) threads = n;
    else if (a == "--from") from = v;
    else if (a == "--out") out = v;
    else return fail("bad option " + a + " " + v + " (channels: a multiple of 8; classes: 0 or 10)\n" + kDdpmUsage);
  }
  if (out.empty()) return fail("--out MODEL.safetensors is required\n" + std::string(kDdpmUsage));
  if (!from.empty() && config.unet.classes == 0) return fail("--from starts a conditional run: add --classes 10");
  if (threads > 0) set_compute_threads(int(threads));
  MnistData data;
  const std::string problem = load_digits(data);
  if (!problem.empty()) return fail(problem);

  gen::DdpmTrainer trainer = gen::make_ddpm_trainer(config, train);
  const std::string not_resumable = resume_run(out, trainer, load_ddpm_file, [&](const gen::DdpmTrainer& r) {
    return r.config.unet.channels == config.unet.channels && r.config.unet.classes == config.unet.classes &&
           r.config.unet.film == config.unet.film && r.train.seed == train.seed;
  });
  if (!not_resumable.empty()) return fail(not_resumable);
  if (trainer.step > 0) {
    // A longer run stretches the cosine schedule.
    trainer.train.total_steps = train.total_steps;
    trainer.opt.schedule.total_steps = train.total_steps;
    std::fprintf(stderr, "resuming %s at step %ld\n", out.c_str(), trainer.step);
  } else if (!from.empty()) {
    gen::DdpmTrainer unconditional;
    const SafetensorsStatus s = load_ddpm_file(from, unconditional, nullptr);
    if (!s.ok()) return fail("cannot load " + from + ": " + s.message);
    if (unconditional.config.unet.classes != 0 || unconditional.config.unet.channels != config.unet.channels)
      return fail(from + " is not an unconditional DDPM of " + std::to_string(config.unet.channels) + " channels");
    trainer = gen::condition_on_classes(unconditional, config.unet.classes, train);
    trainer.origin = from + " step " + std::to_string(unconditional.step);
    std::fprintf(stderr, "starting from the EMA weights of %s\n", trainer.origin.c_str());
  }
  std::fprintf(stderr, "DDPM %s, %ld steps of batch %d, %zu parameters, %d threads\n",
               gen::unet_architecture(config.unet).c_str(), train.total_steps, train.batch_size,
               trainer.net.store.values.size(), compute_threads());
  const long first = trainer.step;
  double smoothed = 0;
  const std::string stopped = run_training(
      trainer, train.total_steps, kCheckpointEvery, out,
      [&] {
        if (!gen::ddpm_train_step(trainer, data.train.images.data(), data.train.labels.data(), data.train.count()))
          return false;
        smoothed = trainer.step == first + 1 ? trainer.last_loss : 0.98 * smoothed + 0.02 * trainer.last_loss;
        return true;
      },
      [&] {
        char line[32];
        std::snprintf(line, sizeof line, "loss %.4f", smoothed);
        return std::string(line);
      },
      [&] { return gen::save_ddpm(trainer, true); });
  if (!stopped.empty()) return fail(stopped);
  return 0;
}

}  // namespace

int run_ddpm(const Args& args) {
  if (args.size() >= 1 && args[0] == "train") return run_train(Args(args.begin() + 1, args.end()));
  const bool help = args.size() >= 1 && args[0] == "help";
  std::fputs(kDdpmUsage, help ? stdout : stderr);
  return help ? 0 : 2;
}

int run_sample_ddpm(const Args& args) {
  std::string model = default_asset_dir() + "/" + kDdpmAsset, out, png, sampler = "ddim";
  long n = 1000, seed = 1, steps = gen::kDdimStepsDefault, digit = -1;
  double guidance = gen::kGuidanceDefault;
  bool use_ema = true;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--no-ema") {
      use_ema = false;
      continue;
    }
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kDdpmUsage);
    const std::string& v = args[++i];
    if (a == "--model") model = v;
    else if (a == "--out") out = v;
    else if (a == "--png") png = v;
    else if (a == "--sampler" && (v == "ddim" || v == "ddpm")) sampler = v;
    else if (a == "--n" && parse_long(v, 1, 100000, n)) continue;
    else if (a == "--seed" && parse_long(v, 0, 2147483647, seed)) continue;
    else if (a == "--steps" && parse_long(v, 1, 100000, steps)) continue;
    else if (a == "--class" && parse_long(v, 0, 9, digit)) continue;
    else if (a == "--guidance" && parse_double(v, 0, 20, guidance)) continue;
    else return fail("bad option " + a + " " + v + "\n" + kDdpmUsage);
  }
  if (out.empty()) return fail("--out FILE.npy is required\n" + std::string(kDdpmUsage));
  gen::DdpmTrainer trainer;
  const SafetensorsStatus s = load_ddpm_file(model, trainer, nullptr);
  if (!s.ok()) return fail("cannot load " + model + ": " + s.message);
  if (!use_ema) trainer.ema = trainer.net.store.values;  // sample with the last weights instead
  if (sampler == "ddim" && steps > trainer.config.timesteps)
    return fail("--steps must be at most T = " + std::to_string(trainer.config.timesteps));
  const bool conditional = trainer.config.unet.classes > 0;
  if (digit >= 0 && !conditional) return fail(model + " is unconditional: it cannot draw a chosen --class");
  const double wall0 = wall_seconds();
  nn::Mat images(n, gen::kDigitPixels);
  constexpr int kBatch = 100;  // chains run in batches, with progress
  ProgressLine progress;
  for (long first = 0; first < n; first += kBatch) {
    const int count = int(std::min<long>(kBatch, n - first));
    std::vector<int> classes;
    for (long i = first; conditional && i < first + count; ++i) classes.push_back(int(digit >= 0 ? digit : i % 10));
    images.middleRows(first, count) = gen::ddpm_sample(trainer, count, sampler == "ddim", int(steps),
                                                       uint64_t(seed) * 1000003u + uint64_t(first), classes, guidance);
    char text[160];
    std::snprintf(text, sizeof text, "%s  %ld/%ld samples  %.0fs", progress_bar(double(first + count) / double(n)).c_str(),
                  first + count, n, wall_seconds() - wall0);
    progress.update(double(first + count) / double(n), text);
  }
  progress.finish();
  const std::string error = write_digit_samples(images, out, png);
  if (!error.empty()) return fail(error);
  std::fprintf(stderr, "wrote %ld %s samples (%ld steps) of %s (step %ld) to %s\n", n, sampler.c_str(),
               sampler == "ddim" ? steps : long(trainer.config.timesteps), model.c_str(), trainer.step, out.c_str());
  if (conditional) std::fprintf(stderr, "digit i mod 10 (or --class), classifier-free guidance %g\n", guidance);
  return 0;
}

}  // namespace ll::cli
