#pragma once
// DDPM on the MNIST digits: ε-prediction training of the U-Net (ml/gen/unet.hpp) with the
// schedules and reverse steps of ml/gen/diffusion.hpp, an EMA of the weights for sampling,
// checkpoints that resume exactly (every draw of step t comes from a generator seeded by
// (seed, t)), and a step-by-step sampler (DDPM's ancestral chain or DDIM with few steps)
// that lessons animate and the CLI runs to the end.
#include <cstdint>
#include <string>
#include <vector>

#include "io/safetensors.hpp"
#include "ml/gen/diffusion.hpp"
#include "ml/gen/unet.hpp"
#include "ml/nn/train.hpp"

namespace ll::gen {

// Sampler defaults for the shipped conditional model. On 300 DDIM samples each, 10, 15, 25 and 50
// steps scored alike (Fréchet 45–47, 91–93 % confidently classified); guidance 2 beat 1 (70 % →
// 93 % recognised as the digit asked for) and 3 (Fréchet 46 → 87: less variety).
constexpr int kDdimStepsDefault = 25;   // latentlab sample ddpm
constexpr int kDdimStepsPage = 10;      // the diffusion lesson: 16 guided digits in under 3 s in the browser
constexpr double kGuidanceDefault = 2;

// Limits a DDPM file's hyperparameters must keep (load_ddpm refuses others, naming the limit).
constexpr double kMaxDdpmChannels = 256, kMaxDdpmTimeDim = 1024, kMaxDdpmTimesteps = 100000, kMaxDdpmBatch = 4096,
                 kMaxDdpmClasses = 1000;

struct DdpmConfig {
  UnetConfig unet;
  int timesteps = 1000;
  ScheduleKind schedule = ScheduleKind::Linear;
};

struct DdpmTrainConfig {
  int batch_size = 32;
  double lr = 1e-3;           // Adam, cosine decay over total_steps to 10%
  long total_steps = 12000;
  double clip_norm = 1.0;
  double ema_decay = 0.999;
  double label_dropout = 0.1;  // conditional nets: the share of rows trained as "no class"
  uint64_t seed = 1;
};

struct DdpmTrainer {
  DdpmConfig config;
  DdpmTrainConfig train;
  Unet net;
  NoiseSchedule schedule;
  nn::Optimizer opt;
  std::vector<float> ema;  // [param count] the weights samples are drawn with
  long step = 0;
  double last_loss = 0;
  std::string origin;      // where a warm-started run began, e.g. "ddpm_mnist.safetensors step 14000"
  std::string error;       // why training stopped, "" while healthy
};
DdpmTrainer make_ddpm_trainer(const DdpmConfig& config, const DdpmTrainConfig& train);  // seeded weights
// A class-conditional trainer with FiLM that starts from an unconditional model's EMA weights:
// every parameter they share is copied; FiLM (when the ancestor had none) and the "no class"
// row start at zero, so its unconditional prediction is at first exactly the ancestor's; the
// class rows start random; Adam starts afresh at step 0.
DdpmTrainer condition_on_classes(const DdpmTrainer& unconditional, int classes, const DdpmTrainConfig& train);

// The ε-prediction loss mean((ε̂(x_t, t) − ε)²) with x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε, x₀ in
// [−1, 1]; with backward the U-Net's gradients are added. class_ids as for unet_forward.
double ddpm_loss(Unet& net, const NoiseSchedule& schedule, const nn::Mat& x0, const std::vector<int>& t,
                 const nn::Mat& eps, bool backward, const std::vector<int>& class_ids = {});
// One Adam update on a batch of the `count` train digits ([count][784] in [0, 1]) and their
// labels (used by conditional nets only; may be null otherwise). False (with trainer.error) on a
// non-finite loss or gradient, the weights left as before.
bool ddpm_train_step(DdpmTrainer& trainer, const float* images, const uint8_t* labels, int count);

std::vector<uint8_t> save_ddpm(const DdpmTrainer& trainer, bool with_optimizer);
SafetensorsStatus load_ddpm(const uint8_t* bytes, size_t size, DdpmTrainer& out, bool* has_optimizer_state = nullptr);

// A reverse chain x_T → x₀ in progress.
struct DdpmChain {
  bool ddim = true;
  double eta = 0;               // DDIM only: 0 deterministic, 1 DDPM-like noise
  std::vector<int> timesteps;   // visited, T−1 … 0
  int next = 0;                 // index into timesteps of the step still to take
  nn::Mat x;                    // [n, 784] the current x_t (x₀ when done), in data units [−1, 1]
  nn::Mat x0_hat;               // [n, 784] the x₀ the last ε̂ implied
  // Conditional models: the class of each chain (empty: no class) and the classifier-free
  // guidance scale w, ε̂ = ε̂(∅) + w (ε̂(class) − ε̂(∅)): 1 is the plain conditional model, larger
  // values trade variety for clearer digits. Set both before the first step.
  std::vector<int> class_ids;
  double guidance = 1;
  int chains_done = 0;          // chains that took the step under way (a step split over frames)
  nn::Mat z;                    // that step's noise
  Rng rng;
  bool done() const { return next >= int(timesteps.size()); }
};
// n chains from x_T ~ N(0, I) for a seed; DDPM visits every one of the T steps, DDIM
// `steps` evenly spaced ones.
DdpmChain start_chain(const DdpmTrainer& model, int n, bool ddim, int steps, double eta, uint64_t seed);
// One reverse step with the network as it is (install the EMA weights first to sample with
// them, see EmaWeights); x̂₀ is clipped to the pixel range [−1, 1]. With max_chains > 0 only the
// next max_chains chains take it (a single-thread page spreads a step over frames); `next`
// advances once all have, and the result is the same as the whole step at once.
void chain_step(Unet& net, const NoiseSchedule& schedule, DdpmChain& chain, int max_chains = 0);
// Pixels in [0, 1] from data units.
nn::Mat chain_images(const nn::Mat& x);

// Swaps the EMA weights into the network for its lifetime (sampling), then back.
class EmaWeights {
 public:
  explicit EmaWeights(DdpmTrainer& trainer);
  ~EmaWeights();
  EmaWeights(const EmaWeights&) = delete;
  EmaWeights& operator=(const EmaWeights&) = delete;

 private:
  DdpmTrainer& trainer_;
};

// n samples in [0, 1] with the EMA weights, run to the end (class_ids and guidance as in DdpmChain).
nn::Mat ddpm_sample(DdpmTrainer& model, int n, bool ddim, int steps, uint64_t seed,
                    const std::vector<int>& class_ids = {}, double guidance = 1);

}  // namespace ll::gen
