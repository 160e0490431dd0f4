#pragma once
// A dense variational autoencoder (Kingma & Welling 2014) on 28×28 grayscale digits:
//   encoder  x [784] → hidden (ReLU) → [μ | log σ²]  (2·latent)
//   z = μ + σ·ε, ε ~ N(0, I)                          (reparameterisation, ε from ll::Rng)
//   decoder  z [latent] → hidden (ReLU) → 784 logits  p(x|z) = Π Bernoulli(sigmoid(logit))
// Loss per digit (nats) = reconstruction + β·KL, where reconstruction is the binary
// cross-entropy of the grayscale pixels summed over the 784 pixels and KL is the analytic
// KL(N(μ, σ²) ‖ N(0, I)); with β = 1 this is the negative ELBO. Both terms are reported.
// All parameters sit in one nn::ParamStore; checkpoints are safetensors with the
// architecture "vae-784-<hidden>-<latent>" and, for resuming, the Adam state.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/safetensors.hpp"
#include "ml/nn/nn.hpp"
#include "ml/rng.hpp"

namespace ll::vae {

using nn::Mat;

constexpr int kPixels = 784;  // 28 × 28, the digits' size

struct VaeConfig {
  int latent = 16;   // 2 (a plottable latent plane) or 16
  int hidden = 512;  // width of the encoder's and the decoder's hidden layers
  int depth = 1;     // hidden layers in the encoder and in the decoder (1 or 2)
};

struct Vae {
  VaeConfig config;
  nn::ParamStore store;
  nn::Mlp encoder;  // kPixels → hidden (× depth) → 2·latent: columns [0, latent) μ, [latent, 2·latent) log σ²
  nn::Mlp decoder;  // latent → hidden (× depth) → kPixels logits
};

// Builds the model and fills its parameters from seed (asserts a valid config).
Vae make_vae(const VaeConfig& config, uint64_t seed);
// "vae-784-<hidden>-<latent>" (depth 1) or "vae-784-<hidden>x<depth>-<latent>"; what a
// checkpoint must carry to load into this model.
std::string vae_architecture(const VaeConfig& config);
// Checks sizes a user typed: "" or why they are not allowed.
std::string validate_vae_config(const VaeConfig& config);

struct VaeLoss {
  double reconstruction = 0;  // mean over the batch of Σ_pixels BCE(x, logits), nats
  double kl = 0;              // mean over the batch of KL(q(z|x) ‖ N(0, I)), nats
  double total = 0;           // reconstruction + β·kl (the trained objective)
};

// Activations of one batch, kept for backward.
struct VaeBatch {
  Mat x;        // [B, kPixels] grayscale targets in [0, 1]
  Mat mu;       // [B, latent]
  Mat logvar;   // [B, latent] log σ²
  Mat eps;      // [B, latent] the ε drawn for this batch
  Mat z;        // [B, latent] μ + σ·ε
  Mat logits;   // [B, kPixels]
};

// Fills batch.eps with N(0, 1) draws (row by row, so a seed fixes every row's ε).
void draw_eps(Rng& rng, int rows, int latent, Mat& eps);
// Forward pass on batch.x with the ε already in batch.eps (zeros give z = μ). When
// backward is true, ADDS grad_scale·∂loss/∂parameters into vae.store.grads (call
// nn::zero_grads first); grad_scale = rows/B lets part-batches add up to one batch's gradient.
VaeLoss vae_loss(Vae& vae, VaeBatch& batch, double beta, bool backward, double grad_scale = 1.0);

// Encodes count images (row-major [count, kPixels]) into mu, logvar [count, latent].
void vae_encode(Vae& vae, const float* images, int count, Mat& mu, Mat& logvar);
// Decodes z [n, latent] into pixel probabilities sigmoid(logits) [n, kPixels].
void vae_decode(Vae& vae, const Mat& z, Mat& pixels);
// n images decoded from z ~ N(0, I) drawn from rng: [n, kPixels] probabilities.
void vae_sample(Vae& vae, Rng& rng, int n, Mat& pixels);
// steps ≥ 2 latent points on the straight line from the μ of image a to the μ of image b.
void vae_interpolate(Vae& vae, const float* image_a, const float* image_b, int steps, Mat& z);

// Negative ELBO on a data set with β = 1, averaged over its images: one ε sample per image
// drawn from Rng(eps_seed) in image order (an unbiased estimate of −ELBO), in batches.
constexpr uint64_t kEvalEpsSeed = 20241;
VaeLoss vae_evaluate(Vae& vae, const float* images, int count, uint64_t eps_seed = kEvalEpsSeed);
// The same in pieces (a UI evaluates a few hundred images per frame): the mean loss of
// count images with ε drawn from eps_rng, which carries on to the next piece.
VaeLoss vae_evaluate_part(Vae& vae, const float* images, int count, Rng& eps_rng);

// ---------------------------------------------------------------------------------------
// Training: minibatch Adam over a data set of count images, shuffled per epoch.
struct VaeTrainConfig {
  int batch_size = 100;
  double lr = 1e-3;
  double beta = 1;
  double kl_warmup_epochs = 0;    // > 0: β rises linearly from 0 over this many epochs
  long epochs = 0;                // > 0: cosine decay of lr over this many epochs; 0: constant lr
  double final_lr_fraction = 0.1; // lr at the end of the cosine decay, as a fraction of lr
  double weight_decay = 0;        // decoupled (AdamW), applied as lr·weight_decay·θ per step
  uint64_t seed = 1;              // initialisation, shuffling and ε
};

struct VaeTrainer {
  Vae model;
  VaeTrainConfig config;
  nn::Optimizer optimizer;
  nn::LastGood last_good;   // parameters of the last finite step (NaN guard)
  int count = 0;            // images in the training set
  std::vector<int> order;   // [count] this epoch's order
  int cursor = 0;           // next position in order
  long epoch = 0;           // completed epochs
  long step = 0;            // completed updates
  VaeLoss last;             // loss of the last batch
  std::string error;        // set when a step was not finite (the model was kept)
  int rows_done = 0;        // rows of the current minibatch already in the gradient
  VaeLoss partial;          // their share of the minibatch loss
  Mat batch_eps;            // [batch rows, latent] ε of the current minibatch
  VaeBatch batch;
};

VaeTrainer make_vae_trainer(const VaeConfig& model, const VaeTrainConfig& config, int count);
long steps_per_epoch(const VaeTrainer& trainer);
// One minibatch update from images [count, kPixels]. Returns false when the loss or a gradient
// is not finite: the last good parameters and optimizer state are put back, error explains.
bool vae_train_step(VaeTrainer& trainer, const float* images);
// The same minibatch in pieces of at most max_rows rows (gradient accumulation), so a frame
// budget is kept whatever the batch size; the update happens when the last piece is in.
enum class TrainProgress { Partial, Stepped, NotFinite };
TrainProgress vae_train_rows(VaeTrainer& trainer, const float* images, int max_rows);
// The β of the next update: config.beta, ramped up during the KL warm-up.
double current_beta(const VaeTrainer& trainer);
// Changes the base learning rate (the next steps use it; the schedule keeps its shape).
void set_learning_rate(VaeTrainer& trainer, double lr);

// ---------------------------------------------------------------------------------------
// Checkpoints. The architecture decides the shapes; hyperparameters carry the training
// settings and progress (epoch, step) so a run resumes where it stopped.
std::vector<uint8_t> save_vae(const VaeTrainer& trainer, bool with_optimizer);
SafetensorsStatus save_vae_file(const std::string& path, const VaeTrainer& trainer, bool with_optimizer);

struct LoadedVae {
  VaeTrainer trainer;      // model, settings and progress from the file
  bool has_optimizer_state = false;
};
// Reads any VAE checkpoint (its own latent and hidden sizes). When expected is given, a file of
// another size is refused with a message naming both. count: the training set's size.
SafetensorsStatus load_vae(const uint8_t* bytes, size_t size, const VaeConfig* expected, int count,
                           LoadedVae& out);
SafetensorsStatus load_vae_file(const std::string& path, const VaeConfig* expected, int count, LoadedVae& out);

}  // namespace ll::vae
