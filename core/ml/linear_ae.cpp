#include "ml/linear_ae.hpp"

#include <algorithm>
#include <cmath>

#include "ml/check.hpp"

namespace ll {

namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

size_t encoder_bias_offset(int dim, int code) { return size_t(code) * dim; }
size_t decoder_weights_offset(int dim, int code) { return encoder_bias_offset(dim, code) + size_t(code); }
size_t decoder_bias_offset(int dim, int code) { return decoder_weights_offset(dim, code) + size_t(dim) * code; }

// The read-only views of a model's parameters.
struct Views {
  ConstEncoderMap w_enc;  // [k × d]
  Eigen::Map<const Eigen::VectorXf> b;  // [k]
  ConstDecoderMap w_dec;  // [d × k]
  Eigen::Map<const Eigen::VectorXf> c;  // [d]
};

Views views(const LinearAutoencoder& ae) {
  const float* p = ae.params.data();
  const int d = ae.dim, k = ae.code;
  return {ConstEncoderMap(p, k, d), Eigen::Map<const Eigen::VectorXf>(p + encoder_bias_offset(d, k), k),
          ConstDecoderMap(p + decoder_weights_offset(d, k), d, k),
          Eigen::Map<const Eigen::VectorXf>(p + decoder_bias_offset(d, k), d)};
}

// X̂ − X for a block of rows: [n × d].
RowMatrixF residual(const Views& w, const Eigen::Map<const RowMatrixF>& x, RowMatrixF* codes) {
  RowMatrixF z = (x * w.w_enc.transpose()).rowwise() + w.b.transpose();             // [n × k]
  RowMatrixF r = (z * w.w_dec.transpose()).rowwise() + w.c.transpose();             // [n × d]
  r -= x;
  if (codes) *codes = std::move(z);
  return r;
}

}  // namespace

size_t linear_ae_param_count(int dim, int code) { return decoder_bias_offset(dim, code) + size_t(dim); }

EncoderMap encoder_weights(float* buffer, int dim, int code) { return EncoderMap(buffer, code, dim); }
Eigen::Map<Eigen::VectorXf> encoder_bias(float* buffer, int dim, int code) {
  return Eigen::Map<Eigen::VectorXf>(buffer + encoder_bias_offset(dim, code), code);
}
DecoderMap decoder_weights(float* buffer, int dim, int code) {
  return DecoderMap(buffer + decoder_weights_offset(dim, code), dim, code);
}
Eigen::Map<Eigen::VectorXf> decoder_bias(float* buffer, int dim, int code) {
  return Eigen::Map<Eigen::VectorXf>(buffer + decoder_bias_offset(dim, code), dim);
}

LinearAutoencoder make_linear_autoencoder(int dim, int code, Rng& rng) {
  LL_CHECK(dim >= 1 && code >= 1 && code <= dim, "make_linear_autoencoder: 1 ≤ k ≤ d");
  LinearAutoencoder ae;
  ae.dim = dim;
  ae.code = code;
  ae.params.assign(linear_ae_param_count(dim, code), 0.0f);
  float* p = ae.params.data();
  EncoderMap w_enc = encoder_weights(p, dim, code);
  DecoderMap w_dec = decoder_weights(p, dim, code);
  const double enc_std = 1.0 / std::sqrt(double(dim)), dec_std = 1.0 / std::sqrt(double(code));
  for (int i = 0; i < code; ++i)
    for (int j = 0; j < dim; ++j) w_enc(i, j) = float(rng.normal(0, enc_std));
  for (int j = 0; j < code; ++j)
    for (int i = 0; i < dim; ++i) w_dec(i, j) = float(rng.normal(0, dec_std));
  return ae;
}

double linear_ae_loss_and_gradient(const LinearAutoencoder& ae, const float* batch, int batch_size, float* grad) {
  LL_CHECK(batch_size >= 1, "linear_ae_loss_and_gradient: empty batch");
  const int d = ae.dim, k = ae.code;
  const Views w = views(ae);
  const Eigen::Map<const RowMatrixF> x(batch, batch_size, d);  // [B × d]
  RowMatrixF z;
  const RowMatrixF r = residual(w, x, &z);                      // [B × d], z [B × k]
  const double loss = r.cast<double>().squaredNorm() / batch_size;
  const RowMatrixF g = r * (2.0f / float(batch_size));          // ∂L/∂x̂ [B × d]
  decoder_weights(grad, d, k) = g.transpose() * z;              // [d × k]
  decoder_bias(grad, d, k) = g.colwise().sum().transpose();     // [d]
  const RowMatrixF dz = g * w.w_dec;                            // ∂L/∂z [B × k]
  encoder_weights(grad, d, k) = dz.transpose() * x;             // [k × d]
  encoder_bias(grad, d, k) = dz.colwise().sum().transpose();    // [k]
  return loss;
}

double linear_ae_squared_error(const LinearAutoencoder& ae, const float* data, long rows) {
  constexpr long kBlock = 512;
  const Views w = views(ae);
  double total = 0;
  for (long first = 0; first < rows; first += kBlock) {
    const long n = std::min(kBlock, rows - first);
    const Eigen::Map<const RowMatrixF> x(data + size_t(first) * ae.dim, n, ae.dim);
    total += residual(w, x, nullptr).cast<double>().squaredNorm();
  }
  return total;
}

void linear_ae_reconstruct(const LinearAutoencoder& ae, const float* x, float* x_hat) {
  const Views w = views(ae);
  const Eigen::Map<const Eigen::VectorXf> xv(x, ae.dim);
  const Eigen::VectorXf z = w.w_enc * xv + w.b;                     // [k]
  Eigen::Map<Eigen::VectorXf>(x_hat, ae.dim) = w.w_dec * z + w.c;   // [d]
}

LinearAeTrainer make_linear_ae_trainer(int dim, int code, long rows, uint64_t seed, double base_lr, int batch_size) {
  LL_CHECK(rows >= 1 && batch_size >= 1, "make_linear_ae_trainer: rows and batch size ≥ 1");
  LinearAeTrainer t;
  t.rng.reseed(seed);
  t.ae = make_linear_autoencoder(dim, code, t.rng);
  t.optimizer.kind = OptimizerKind::Adam;
  t.base_lr = base_lr;
  t.optimizer.lr = base_lr;
  t.grad.assign(t.ae.size(), 0.0f);
  t.m.assign(t.ae.size(), 0.0f);
  t.v.assign(t.ae.size(), 0.0f);
  t.state = {t.m.data(), t.v.data(), 0};
  t.batch_size = int(std::min<long>(batch_size, rows));
  t.order.resize(size_t(rows));
  for (long i = 0; i < rows; ++i) t.order[size_t(i)] = int(i);
  t.rng.shuffle(t.order.data(), t.order.size());
  t.batch.resize(size_t(t.batch_size) * dim);
  return t;
}

namespace {

constexpr long kKeepGoodEvery = 10;  // steps between copies of the last good model

void keep_good(LinearAeTrainer& t) {
  t.good_params = t.ae.params;
  t.good_m = t.m;
  t.good_v = t.v;
  t.good_steps = t.state.step;
}

bool all_finite(const std::vector<float>& v) {
  for (float x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

}  // namespace

long linear_ae_train(LinearAeTrainer& t, const float* data, long rows, long batches) {
  LL_CHECK(long(t.order.size()) == rows, "linear_ae_train: the trainer was made for another row count");
  const int d = t.ae.dim;
  long done = 0;
  if (t.good_steps < 0) keep_good(t);
  while (done < batches) {
    const long n = std::min<long>(t.batch_size, rows - t.position);
    for (long i = 0; i < n; ++i)
      std::copy_n(data + size_t(t.order[size_t(t.position + i)]) * d, d, t.batch.data() + size_t(i) * d);
    const double loss = linear_ae_loss_and_gradient(t.ae, t.batch.data(), int(n), t.grad.data());
    if (!std::isfinite(loss)) return -1;
    t.optimizer.lr = t.base_lr * std::pow(0.5, double(t.epoch) / t.lr_halving_epochs);
    t.state.m = t.m.data();
    t.state.v = t.v.data();
    optimizer_step(t.ae.params.data(), t.grad.data(), t.ae.size(), t.state, t.optimizer);
    if (!all_finite(t.ae.params)) {
      // The update itself overflowed: back to the last good model.
      t.ae.params = t.good_params;
      t.m = t.good_m;
      t.v = t.good_v;
      t.state = {t.m.data(), t.v.data(), t.good_steps};
      return -1;
    }
    if (t.state.step % kKeepGoodEvery == 0) keep_good(t);
    t.last_batch_loss = loss;
    t.epoch_loss_sum += loss * double(n);
    t.position += n;
    ++t.steps;
    ++done;
    if (t.position == rows) {
      t.last_epoch_loss = t.epoch_loss_sum / double(rows);
      t.epoch_loss_sum = 0;
      t.position = 0;
      ++t.epoch;
      t.rng.shuffle(t.order.data(), t.order.size());
      break;
    }
  }
  return done;
}

}  // namespace ll
