#pragma once
// A 2-D toy GAN trained live: MLP generator z → x (z ~ N(0, I) of 1…16 dimensions, x in 2-D)
// and MLP discriminator x → logit, each with its own Adam (β₁ = 0.5) and learning rate.
// The objective is min_G max_D V(D, G) = E_data[log D(x)] + E_z[log(1 − D(G(z)))]; D minimises
// its binary cross-entropy (real labels optionally smoothed to 1 − s), G the non-saturating
// −log D(G(z)) or, to show why it is not used, the saturating log(1 − D(G(z))).
#include <string>
#include <vector>

#include "ml/nn/nn.hpp"
#include "ml/prob/gauss2d.hpp"

namespace ll::gen {

enum class GeneratorLoss { NonSaturating, Saturating };

struct ToyGanConfig {
  int latent = 2;           // z dimensions, 1…16
  int hidden = 64;          // width of the two hidden layers of G and of D
  double g_lr = 1e-3, d_lr = 1e-3;
  int d_steps = 1;          // discriminator updates per generator update, 1…10
  double label_smoothing = 0;  // real target 1 − s, s in [0, 0.5]
  GeneratorLoss g_loss = GeneratorLoss::NonSaturating;
  int batch = 128;
};

// D's loss: BCE(real logits, 1 − s) + BCE(fake logits, 0), each a mean over its batch.
// Gradients per logit written when the pointers are set.
double discriminator_loss(const nn::Mat& real_logits, const nn::Mat& fake_logits, double label_smoothing,
                          nn::Mat* d_real, nn::Mat* d_fake);
// G's loss on D's logits for generated points: non-saturating mean −log σ(l) = BCE(l, 1), or
// saturating mean log(1 − σ(l)) = −mean softplus(l).
double generator_loss(const nn::Mat& fake_logits, GeneratorLoss kind, nn::Mat* d_fake);

struct ToyGan {
  ToyGanConfig config;
  nn::ParamStore g_store, d_store;
  nn::Mlp generator;      // [B, latent] → [B, 2]
  nn::Mlp discriminator;  // [B, 2] → [B, 1] logits
  nn::Optimizer g_opt, d_opt;
  nn::LastGood g_good, d_good;
  long step = 0;                  // generator updates (one "iteration" = d_steps D updates + 1 G update)
  std::vector<double> d_losses;   // [step] D's loss of the iteration's last D update
  std::vector<double> g_losses;   // [step] G's loss
  bool diverged = false;
  std::string message;
};

// Clamps to workable values; learning rates to (0, 1].
ToyGanConfig clamp_config(ToyGanConfig c);
ToyGan make_toy_gan(const ToyGanConfig& config, Rng& rng);
// d_steps discriminator updates then one generator update on fresh minibatches. False (with
// diverged and message set, both networks back at their last good parameters) when a loss,
// gradient or parameter is not finite.
bool toy_gan_train_step(ToyGan& gan, const std::vector<prob::Point2>& data, Rng& rng);
// Live changes that keep the networks: learning rates, D steps, smoothing, G loss. Clears a
// divergence so training can continue from the last good parameters.
void update_toy_gan_settings(ToyGan& gan, const ToyGanConfig& config);

// n generated points from z ~ N(0, I) drawn from a fresh Rng(seed).
std::vector<prob::Point2> toy_gan_generate(ToyGan& gan, int n, uint64_t seed);
// D(x) = σ(logit) on a res × res grid over [−extent, extent]², row 0 at the top.
std::vector<float> toy_gan_decision_grid(ToyGan& gan, int res, double extent);

// Mode coverage: each generated point goes to the part (label) of its nearest data point;
// a part is covered when it receives at least half its share of the data. Returns the number
// of covered parts (of `parts`).
int covered_modes(const std::vector<prob::Point2>& generated, const std::vector<prob::Point2>& data,
                  const std::vector<int>& labels, int parts);

}  // namespace ll::gen
