// latentlab vae train|eval and latentlab sample vae: the VAE of core/ml/vae on the MNIST asset.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli.hpp"
#include "common.hpp"
#include "io/assets.hpp"
#include "io/mnist.hpp"
#include "ml/vae.hpp"

namespace ll::cli {

namespace {

// Defaults per latent size, Adam at 2e-3 (batch 100) with a cosine decay to 5%. Latent 16: one
// hidden layer of 512, 70 epochs. Latent 2: two hidden layers of 512 in the encoder and the
// decoder, 60 epochs: a 2-D code needs a decoder that can bend the plane onto the digits, and
// the extra layer is worth ~12 nats of held-out −ELBO (one layer stalls near 162 however long
// it trains).
struct VaeDefaults {
  int depth;
  long epochs;
  double weight_decay;  // AdamW's, scaled by the learning rate
};
constexpr VaeDefaults kLatent2Defaults = {2, 60, 0.1};
constexpr VaeDefaults kLatent16Defaults = {1, 70, 0};
constexpr double kDefaultLr = 2e-3;
constexpr double kDefaultFinalLrFraction = 0.05;

constexpr const char* kVaeUsage =
    "usage:\n"
    "  latentlab vae train --latent 2|16 [--hidden 512] [--epochs N] [--seed 1] --out MODEL.safetensors\n"
    "      trains a dense VAE (Bernoulli decoder) on the 8000 train digits with Adam (lr 2e-3, batch 100,\n"
    "      cosine decay to 5%): latent 16: 784 → hidden → 16 → hidden → 784, 70 epochs by default;\n"
    "      latent 2: 784 → hidden → hidden → 2 → hidden → hidden → 784, 60 epochs by default. Saves MODEL\n"
    "      with its optimizer state after every epoch, and continues from MODEL when it already holds a\n"
    "      shorter run of the same model\n"
    "  latentlab vae eval --model MODEL.safetensors\n"
    "      prints heldout_neg_elbo <nats>: grayscale BCE summed over the 784 pixels plus the analytic KL,\n"
    "      averaged over the 2000 held-out digits, with one ε sample per digit (fixed seed)\n"
    "  latentlab sample vae --model MODEL.safetensors --n N --seed S --out FILE.npy\n"
    "      decodes N draws z ~ N(0, I) and writes their pixel probabilities as uint8 (N, 28, 28)\n";

int fail(const std::string& message) {
  std::fprintf(stderr, "latentlab vae: %s\n", message.c_str());
  return 2;
}

void draw_progress(ProgressLine& line, const vae::VaeTrainer& t, long epochs, double started) {
  const double total = double(epochs * vae::steps_per_epoch(t));
  const double fraction = total > 0 ? std::fmin(1.0, double(t.step) / total) : 1.0;
  char text[256];
  std::snprintf(text, sizeof text, "%s  epoch %ld/%ld  loss %.2f = rec %.2f + KL %.2f  %.0fs", progress_bar(fraction).c_str(),
                t.epoch + 1 > epochs ? epochs : t.epoch + 1, epochs, t.last.total, t.last.reconstruction, t.last.kl,
                wall_seconds() - started);
  line.update(fraction, text);
}

int run_train(const Args& args) {
  long latent = 0, hidden = 512, epochs = 0, seed = 1;
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kVaeUsage);
    const std::string& v = args[++i];
    if (a == "--latent") {
      if (!parse_long(v, 2, 16, latent) || (latent != 2 && latent != 16)) return fail("--latent must be 2 or 16");
    } else if (a == "--hidden") {
      if (!parse_long(v, 1, 4096, hidden)) return fail("--hidden needs 1..4096");
    } else if (a == "--epochs") {
      if (!parse_long(v, 1, 100000, epochs)) return fail("--epochs needs 1..100000");
    } else if (a == "--seed") {
      if (!parse_long(v, 0, 2147483647, seed)) return fail("--seed needs a non-negative integer");
    } else if (a == "--out") {
      out = v;
    } else {
      return fail("unknown option " + a + "\n" + kVaeUsage);
    }
  }
  if (latent == 0) return fail("--latent 2|16 is required\n" + std::string(kVaeUsage));
  const VaeDefaults defaults = latent == 2 ? kLatent2Defaults : kLatent16Defaults;
  if (epochs == 0) epochs = defaults.epochs;
  if (out.empty()) return fail("--out MODEL.safetensors is required\n" + std::string(kVaeUsage));

  MnistData data;
  const std::string problem = load_digits(data);
  if (!problem.empty()) return fail(problem);
  const float* images = data.train.images.data();

  const vae::VaeConfig config{int(latent), int(hidden), defaults.depth};
  vae::VaeTrainConfig settings;
  settings.epochs = epochs;
  settings.seed = uint64_t(seed);
  settings.lr = kDefaultLr;
  settings.final_lr_fraction = kDefaultFinalLrFraction;
  settings.weight_decay = defaults.weight_decay;
  vae::VaeTrainer trainer = vae::make_vae_trainer(config, settings, data.train.count());
  if (file_exists(out)) {
    vae::LoadedVae loaded;
    const SafetensorsStatus s = vae::load_vae_file(out, &config, data.train.count(), loaded);
    if (!s.ok())
      return fail(out + " exists but cannot be resumed (" + s.message + "); choose another --out or remove it");
    if (!loaded.has_optimizer_state) return fail(out + " has no optimizer state to resume from; choose another --out");
    if (loaded.trainer.config.seed != uint64_t(seed))
      return fail(out + " was trained with --seed " + std::to_string(loaded.trainer.config.seed) +
                  "; resume with that seed or choose another --out");
    trainer = std::move(loaded.trainer);
    trainer.config.epochs = epochs;  // a longer run stretches the cosine schedule
    trainer.optimizer.schedule.total_steps = epochs * vae::steps_per_epoch(trainer);
    std::fprintf(stderr, "resuming %s at epoch %ld (step %ld)\n", out.c_str(), trainer.epoch, trainer.step);
  }

  std::fprintf(stderr, "VAE latent %ld, %d hidden layer(s) of %ld, %ld epochs, batch %d, lr %g, %d threads\n", latent,
               config.depth, hidden, epochs, trainer.config.batch_size, trainer.config.lr, compute_threads());
  const double wall0 = wall_seconds(), cpu0 = cpu_seconds();
  ProgressLine progress;
  while (trainer.epoch < epochs) {
    const long epoch = trainer.epoch;
    while (trainer.epoch == epoch) {
      if (!vae::vae_train_step(trainer, images)) {
        progress.finish();
        return fail(trainer.error + "; " + out + " keeps the last completed epoch");
      }
      if (trainer.step % 10 == 0) draw_progress(progress, trainer, epochs, wall0);
    }
    const std::string error = save_file_atomically(out, vae::save_vae(trainer, true));
    if (!error.empty()) return progress.finish(), fail("cannot save " + out + ": " + error);
  }
  draw_progress(progress, trainer, epochs, wall0);
  progress.finish();
  const double wall = wall_seconds() - wall0, cpu = cpu_seconds() - cpu0;
  const vae::VaeLoss heldout = vae::vae_evaluate(trainer.model, data.heldout.images.data(), data.heldout.count());
  std::fprintf(stderr, "trained in %.1f s wall, %.1f s CPU; held-out −ELBO %.2f = rec %.2f + KL %.2f; saved %s\n", wall,
               cpu, heldout.total, heldout.reconstruction, heldout.kl, out.c_str());
  return 0;
}

int run_eval(const Args& args) {
  std::string model;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i + 1 >= args.size()) return fail("option " + args[i] + " needs a value\n" + kVaeUsage);
    if (args[i] == "--model") model = args[++i];
    else return fail("unknown option " + args[i] + "\n" + kVaeUsage);
  }
  if (model.empty()) return fail("--model MODEL.safetensors is required");
  MnistData data;
  const std::string problem = load_digits(data);
  if (!problem.empty()) return fail(problem);
  vae::LoadedVae loaded;
  const SafetensorsStatus s = vae::load_vae_file(model, nullptr, data.train.count(), loaded);
  if (!s.ok()) return fail("cannot load " + model + ": " + s.message);
  const vae::VaeLoss l = vae::vae_evaluate(loaded.trainer.model, data.heldout.images.data(), data.heldout.count());
  std::fprintf(stderr,
               "latent %d, %d hidden layer(s) of %d, %ld epochs trained; reconstruction %.3f + KL %.3f nats (one ε per "
               "digit)\n",
               loaded.trainer.model.config.latent, loaded.trainer.model.config.depth, loaded.trainer.model.config.hidden,
               loaded.trainer.epoch, l.reconstruction, l.kl);
  std::printf("heldout_neg_elbo %.3f\n", l.total);
  return 0;
}

}  // namespace

int run_vae(const Args& args) {
  if (args.empty() || args[0] == "help" || args[0] == "--help") {
    std::fputs(kVaeUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "train") return run_train(rest);
  if (args[0] == "eval") return run_eval(rest);
  return fail("unknown subcommand '" + args[0] + "'\n" + kVaeUsage);
}

int run_sample_vae(const Args& args) {
  std::string model, out;
  long n = -1, seed = -1;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value\n" + kVaeUsage);
    const std::string& v = args[++i];
    if (a == "--model") model = v;
    else if (a == "--out") out = v;
    else if (a == "--n") {
      if (!parse_long(v, 1, 20000, n)) return fail("--n needs 1..20000");
    } else if (a == "--seed") {
      if (!parse_long(v, 0, 2147483647, seed)) return fail("--seed needs a non-negative integer");
    } else {
      return fail("unknown option " + a + "\n" + kVaeUsage);
    }
  }
  if (model.empty() || out.empty() || n < 0 || seed < 0)
    return fail("sample vae needs --model, --n, --seed and --out\n" + std::string(kVaeUsage));
  vae::LoadedVae loaded;
  const SafetensorsStatus s = vae::load_vae_file(model, nullptr, 1, loaded);
  if (!s.ok()) return fail("cannot load " + model + ": " + s.message);
  Rng rng{uint64_t(seed)};
  vae::Mat pixels;  // [n, 784] probabilities
  vae::vae_sample(loaded.trainer.model, rng, int(n), pixels);
  const std::string error = write_digit_samples(pixels, out, "");
  if (!error.empty()) return fail(error);
  std::fprintf(stderr, "wrote %ld samples to %s\n", n, out.c_str());
  return 0;
}

}  // namespace ll::cli
