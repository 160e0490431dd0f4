#pragma once
// Non-linear autoencoders on 28×28 digits, x → code → x̂, on the numeric core's layers:
//   Dense: 784 → hidden (ReLU) → code  |  code → hidden (ReLU) → 784 logits
//   Conv:  1×28×28 → conv 3×3 s2 (C, ReLU) → 14×14 → conv 3×3 s2 (2C, ReLU) → 7×7 → dense → code
//          code → dense (2C·7·7, ReLU) → conv-transpose 4×4 s2 (C, ReLU) → 14×14
//               → conv-transpose 4×4 s2 (1) → 28×28 logits
// The code is linear (no activation), the output is sigmoid(logits). Trained on the binary
// cross-entropy of the grayscale pixels summed over the 784 pixels (nats per digit); the
// squared error ‖x̂ − x‖² per digit is reported too, to set beside PCA and the linear AE.
// All parameters sit in one nn::ParamStore.
#include <cstdint>
#include <string>
#include <vector>

#include "ml/nn/nn.hpp"
#include "ml/rng.hpp"

namespace ll::ae {

using nn::Mat;

constexpr int kSide = 28;
constexpr int kPixels = kSide * kSide;

enum class AeKind { Dense, Conv };
const char* ae_kind_name(AeKind kind);  // "dense", "conv"

struct AeConfig {
  AeKind kind = AeKind::Dense;
  int code = 8;       // code size k
  int hidden = 256;   // Dense: width of the hidden layers
  int channels = 8;   // Conv: C, channels of the first convolution (the second has 2C)
};
// "" or why the sizes are not allowed.
std::string validate_ae_config(const AeConfig& config);

// Activations of the last forward pass, kept for backward. Dense uses enc/dec Mlps' own.
struct ConvActivations {
  Mat x;        // [B, 784]
  Mat h1, a1;   // [B, C·14·14] conv1 pre-activation and ReLU
  Mat h2, a2;   // [B, 2C·7·7]
  Mat d0, b0;   // [B, 2C·7·7] decoder dense pre-activation and ReLU
  Mat d1, b1;   // [B, C·14·14] first transposed conv pre-activation and ReLU
};

struct Autoencoder {
  AeConfig config;
  nn::ParamStore store;
  nn::Mlp encoder, decoder;              // Dense kind
  nn::Conv2D conv1, conv2;               // Conv kind: encoder convolutions
  nn::Dense to_code, from_code;          // Conv kind: 2C·7·7 → code, code → 2C·7·7
  nn::ConvTranspose2D deconv1, deconv2;  // Conv kind: 7×7 → 14×14 → 28×28
  ConvActivations conv;                  // Conv kind: activations for backward
  Mat code;                              // [B, code] of the last forward pass
  Mat logits;                            // [B, 784] of the last forward pass
};

// Builds the model and fills its parameters from seed (asserts a valid config).
Autoencoder make_autoencoder(const AeConfig& config, uint64_t seed);

// x [B, 784] → ae.code [B, k].
const Mat& ae_encode(Autoencoder& ae, const Mat& x);
// code [B, k] → ae.logits [B, 784].
const Mat& ae_decode_logits(Autoencoder& ae, const Mat& code);
// code [B, k] → pixel probabilities sigmoid(logits) [B, 784].
void ae_decode(Autoencoder& ae, const Mat& code, Mat& pixels);

struct AeLoss {
  double bce = 0;            // mean over the batch of Σ_pixels BCE(x, logits), nats
  double squared_error = 0;  // mean over the batch of ‖sigmoid(logits) − x‖²
};
// Forward pass on x [B, 784]; when backward is true, ADDS ∂bce/∂parameters into
// ae.store.grads (call nn::zero_grads first).
AeLoss ae_loss(Autoencoder& ae, const Mat& x, bool backward);
// Mean loss over count images [count, 784] (row-major), in batches.
AeLoss ae_evaluate(Autoencoder& ae, const float* images, int count);

// Minibatch Adam over count images, shuffled per epoch.
struct AeTrainer {
  Autoencoder model;
  nn::Optimizer optimizer;
  nn::LastGood last_good;    // parameters of the last finite step (NaN guard)
  int batch_size = 64;
  int count = 0;             // images in the training set
  uint64_t seed = 1;
  std::vector<int> order;    // [count] this epoch's order
  int cursor = 0;            // next position in order
  long epoch = 0;            // completed epochs
  long step = 0;             // completed updates
  double last_loss = NAN;    // BCE per digit of the last batch, before its update
  std::string error;         // set when a step was not finite (the model was kept)
  Mat batch;                 // [batch_size, 784]
};
AeTrainer make_ae_trainer(const AeConfig& config, double lr, int count, uint64_t seed, int batch_size = 64);
// One minibatch update from images [count, 784]. False when the loss or a gradient is not
// finite: the last good parameters are put back and error explains.
bool ae_train_step(AeTrainer& trainer, const float* images);
void set_ae_learning_rate(AeTrainer& trainer, double lr);

// A Gaussian fitted to codes [n, k]: mean and the Cholesky factor of the covariance (with a
// small ridge so it exists), so x = mean + L·ε draws codes that look like the data's.
struct CodeGaussian {
  Eigen::RowVectorXf mean;  // [k]
  Eigen::MatrixXf chol;     // [k, k] lower triangular, L·Lᵀ = covariance + ridge·I
};
CodeGaussian fit_code_gaussian(const Mat& codes);
// n codes [n, k]: from N(0, I) when gaussian is null, else from the fitted Gaussian.
void draw_codes(Rng& rng, int n, int code_size, const CodeGaussian* gaussian, Mat& codes);

}  // namespace ll::ae
