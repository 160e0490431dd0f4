#pragma once
// A linear autoencoder, x̂ = W_dec (W_enc x + b) + c, trained on the squared error
// ‖x̂ − x‖² by minibatch Adam with explicit gradients. Its optimum spans the same subspace as
// the top-k principal components (Baldi & Hornik 1989), so its reconstruction error as k grows
// meets PCA's: the lesson shows both, the tests check it.
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "ml/optim.hpp"
#include "ml/rng.hpp"

namespace ll {

// All parameters in one buffer: [W_enc (k × d, row-major) | b (k) | W_dec (d × k, column-major) | c (d)].
// Row i of W_enc is the filter of code unit i; column j of W_dec is the image unit j adds.
struct LinearAutoencoder {
  int dim = 0, code = 0;      // d, k
  std::vector<float> params;  // [k·d + k + d·k + d]
  size_t size() const { return params.size(); }
};

using EncoderMap = Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
using DecoderMap = Eigen::Map<Eigen::MatrixXf>;
using ConstEncoderMap = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
using ConstDecoderMap = Eigen::Map<const Eigen::MatrixXf>;

size_t linear_ae_param_count(int dim, int code);
// Views into a buffer of linear_ae_param_count floats (parameters or their gradients).
EncoderMap encoder_weights(float* buffer, int dim, int code);    // [k × d]
Eigen::Map<Eigen::VectorXf> encoder_bias(float* buffer, int dim, int code);   // [k]
DecoderMap decoder_weights(float* buffer, int dim, int code);    // [d × k]
Eigen::Map<Eigen::VectorXf> decoder_bias(float* buffer, int dim, int code);   // [d]

// Small random weights (N(0, 1/d) encoder, N(0, 1/k) decoder), zero biases.
LinearAutoencoder make_linear_autoencoder(int dim, int code, Rng& rng);

// Mean over the batch of ‖x̂ − x‖² (summed over the d features); writes its gradient into
// grad [size()]. batch: [batch_size × d] row-major.
double linear_ae_loss_and_gradient(const LinearAutoencoder& ae, const float* batch, int batch_size, float* grad);
// Sum over rows of ‖x̂ − x‖², in row blocks; data [rows × d] row-major.
double linear_ae_squared_error(const LinearAutoencoder& ae, const float* data, long rows);
// x_hat [d] from x [d].
void linear_ae_reconstruct(const LinearAutoencoder& ae, const float* x, float* x_hat);

// Minibatch training over a data set in shuffled epochs, in pieces of a few batches.
struct LinearAeTrainer {
  LinearAutoencoder ae;
  OptimizerConfig optimizer;      // Adam by default; optimizer.lr follows the schedule below
  double base_lr = 5e-3;
  double lr_halving_epochs = 8;   // lr = base_lr · 2^(−epoch / lr_halving_epochs): minibatch noise fades
  std::vector<float> grad, m, v;  // [ae.size()] gradient and Adam moments
  OptimizerState<float> state;
  int batch_size = 100;
  Rng rng;
  std::vector<int> order;         // this epoch's shuffled row order
  long position = 0;              // next index into order
  long epoch = 0;                 // completed epochs
  long steps = 0;
  double epoch_loss_sum = 0;      // Σ batch loss · batch size, this epoch so far
  double last_epoch_loss = NAN;   // mean ‖x̂ − x‖² per row over the last completed epoch (before each update)
  double last_batch_loss = NAN;   // mean ‖x̂ − x‖² per row of the last batch, before its update
  std::vector<float> batch;       // [batch_size × d] gathered rows
  // The last good model (NaN guard): parameters and Adam state, copied every few steps.
  std::vector<float> good_params, good_m, good_v;
  long good_steps = -1;           // state.step of that copy; −1: none yet
};

LinearAeTrainer make_linear_ae_trainer(int dim, int code, long rows, uint64_t seed, double base_lr = 5e-3,
                                       int batch_size = 100);
// Runs up to `batches` minibatch steps over data [rows × d]; returns the number run. Stops early
// at the end of an epoch so callers can evaluate between epochs; returns −1 when a batch loss
// is not finite (diverged: too high a learning rate, or non-finite data), without applying that
// update, or when an update left a parameter non-finite: the last good parameters and Adam
// state (at most a few steps old) are put back.
long linear_ae_train(LinearAeTrainer& t, const float* data, long rows, long batches);

}  // namespace ll
