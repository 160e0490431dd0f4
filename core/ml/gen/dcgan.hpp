#pragma once
// A DCGAN for the MNIST digits, on the numeric core, optionally conditional on the class.
//   generator:     [z | one-hot(y)] → dense → C×7×7 → GN, ReLU → convᵀ 4×4/2 → C/2×14×14
//                  → GN, ReLU → convᵀ 4×4/2 → 1×28×28 → tanh (pixels in [−1, 1])
//   discriminator: [x | one-hot(y) as 10 constant planes] → conv 4×4/2 → D×14×14, LeakyReLU
//                  → conv 4×4/2 → 2D×7×7 → GN, LeakyReLU → dense → 1 logit
// Training follows the recipe that keeps a GAN stable: the non-saturating generator loss,
// one-sided label smoothing (real target 0.9), Adam with β₁ = 0.5 for both players, and an
// EMA of the generator's weights for sampling. Every random draw of step t comes from a
// generator seeded by (seed, t), so a run resumed from a checkpoint continues exactly.
#include <cstdint>
#include <string>
#include <vector>

#include "io/safetensors.hpp"
#include "ml/nn/sequential.hpp"
#include "ml/nn/train.hpp"

namespace ll::gen {

struct GanConfig {
  int latent = 64;
  bool conditional = true;
  int generator_channels = 64;      // C
  int discriminator_channels = 32;  // D
};
// Limits a GAN file's hyperparameters must keep (load_gan refuses others, naming the limit).
constexpr double kMaxGanLatent = 1024, kMaxGanChannels = 1024, kMaxGanBatch = 4096;
// Names the sizes, so a file of another shape is refused with a clear message.
std::string gan_architecture(const GanConfig& config);

struct Gan {
  GanConfig config;
  nn::ParamStore generator_store, discriminator_store;
  nn::Sequential generator;      // [B, latent (+10)] → [B, 784] in [−1, 1]
  nn::Sequential discriminator;  // [B, 784 (+10·784)] → [B, 1] logit of "real"
};
Gan make_gan(const GanConfig& config);  // parameters zero: init or load them

struct GanTrainConfig {
  int batch_size = 64;
  double lr = 2e-4;
  double beta1 = 0.5;
  float real_target = 0.9f;  // one-sided label smoothing
  double ema_decay = 0.999;
  uint64_t seed = 1;
};

struct GanStats {
  double discriminator_loss = 0, generator_loss = 0;
  double real_score = 0, fake_score = 0;  // D's mean probability of "real" on real and on generated digits
};

struct GanTrainer {
  Gan model;
  GanTrainConfig config;
  nn::Optimizer generator_opt, discriminator_opt;
  std::vector<float> generator_ema;  // [generator param count]
  long step = 0;
  GanStats last;
  std::string error;  // why training stopped (non-finite values), "" while healthy
};
GanTrainer make_gan_trainer(const GanConfig& model, const GanTrainConfig& config);  // seeded initial weights

// The two players' losses on a batch (pixels in [−1, 1]); with backward their gradients
// are added to the stores' grads. D: BCE of real → real_target and fake → 0 over the 2B
// rows (stats gets D's mean scores). G (non-saturating): BCE of D(G(z)) → 1; its backward
// also leaves D's gradients touched, which the discriminator's next update zeroes first.
double discriminator_loss(Gan& model, const nn::Mat& real, const std::vector<int>& real_labels, const nn::Mat& fake,
                          const std::vector<int>& fake_labels, float real_target, bool backward,
                          GanStats* stats = nullptr);
double generator_loss(Gan& model, const nn::Mat& z, const std::vector<int>& labels, bool backward);

// One discriminator update and one generator update on a batch drawn from `count` train
// digits ([count][784] in [0, 1]) and their labels. False (with trainer.error) on a
// non-finite loss or gradient; the parameters are then those before this step.
bool gan_train_step(GanTrainer& trainer, const float* images, const uint8_t* labels, int count);

// Latent codes z ~ N(0, I) [n, latent] for a seed.
nn::Mat gan_latents(const GanConfig& config, int n, uint64_t seed);
// Images [n, 784] in [0, 1] from codes and classes (ignored when unconditional); given
// ema_weights the generator runs on those averaged weights (what sampling uses).
void gan_generate(Gan& model, const std::vector<float>* ema_weights, const nn::Mat& z, const std::vector<int>& labels,
                  nn::Mat& images);

// Checkpoint: both players, their optimizers, the generator's EMA, the step and settings.
std::vector<uint8_t> save_gan(const GanTrainer& trainer, bool with_optimizer);
// Reads the configuration from the file's metadata and rebuilds the trainer; `out` is
// unchanged on error.
SafetensorsStatus load_gan(const uint8_t* bytes, size_t size, GanTrainer& out, bool* has_optimizer_state = nullptr);

}  // namespace ll::gen
