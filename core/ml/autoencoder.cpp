#include "ml/autoencoder.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

#include "ml/check.hpp"

namespace ll::ae {

namespace {

constexpr int kEvalBatch = 250;           // images per forward pass when evaluating
constexpr long kKeepGoodEvery = 10;       // steps between copies of the last good model
constexpr float kCodeRidge = 1e-4f;       // added to the code covariance's diagonal

void relu(const Mat& x, Mat& y) { nn::activation_forward(nn::Activation::ReLU, x, y); }
void relu_backward(const Mat& x, const Mat& dy, Mat& dx) { nn::activation_backward(nn::Activation::ReLU, x, dy, dx); }

void conv_forward(Autoencoder& ae, const Mat& x) {
  ConvActivations& a = ae.conv;
  a.x = x;
  nn::conv2d_forward(ae.store, ae.conv1, a.x, a.h1);  // [B, C·14·14]
  relu(a.h1, a.a1);
  nn::conv2d_forward(ae.store, ae.conv2, a.a1, a.h2);  // [B, 2C·7·7]
  relu(a.h2, a.a2);
  nn::dense_forward(ae.store, ae.to_code, a.a2, ae.code);  // [B, k]
}

void conv_decode(Autoencoder& ae, const Mat& code) {
  ConvActivations& a = ae.conv;
  nn::dense_forward(ae.store, ae.from_code, code, a.d0);  // [B, 2C·7·7]
  relu(a.d0, a.b0);
  nn::conv_transpose2d_forward(ae.store, ae.deconv1, a.b0, a.d1);  // [B, C·14·14]
  relu(a.d1, a.b1);
  nn::conv_transpose2d_forward(ae.store, ae.deconv2, a.b1, ae.logits);  // [B, 784]
}

void conv_backward(Autoencoder& ae, const Mat& code, const Mat& dlogits) {
  ConvActivations& a = ae.conv;
  Mat d, g;
  nn::conv_transpose2d_backward(ae.store, ae.deconv2, a.b1, dlogits, &d);  // d [B, C·14·14]
  relu_backward(a.d1, d, g);
  nn::conv_transpose2d_backward(ae.store, ae.deconv1, a.b0, g, &d);  // d [B, 2C·7·7]
  relu_backward(a.d0, d, g);
  Mat dcode;  // [B, k]
  nn::dense_backward(ae.store, ae.from_code, code, g, &dcode);
  nn::dense_backward(ae.store, ae.to_code, a.a2, dcode, &d);  // d [B, 2C·7·7]
  relu_backward(a.h2, d, g);
  nn::conv2d_backward(ae.store, ae.conv2, a.a1, g, &d);  // d [B, C·14·14]
  relu_backward(a.h1, d, g);
  nn::conv2d_backward(ae.store, ae.conv1, a.x, g, nullptr);
}

void start_epoch(AeTrainer& t) {
  t.order.resize(size_t(t.count));
  for (int i = 0; i < t.count; ++i) t.order[size_t(i)] = i;
  Rng rng(t.seed * 0x9E3779B97F4A7C15ull + uint64_t(t.epoch) + 1);
  rng.shuffle(t.order.data(), t.order.size());
  t.cursor = 0;
}

}  // namespace

const char* ae_kind_name(AeKind kind) { return kind == AeKind::Dense ? "dense" : "conv"; }

std::string validate_ae_config(const AeConfig& c) {
  if (c.code < 1 || c.code > 256) return "code size must be 1..256";
  if (c.kind == AeKind::Dense && (c.hidden < 1 || c.hidden > 4096)) return "hidden size must be 1..4096";
  if (c.kind == AeKind::Conv && (c.channels < 1 || c.channels > 64)) return "channels must be 1..64";
  return "";
}

Autoencoder make_autoencoder(const AeConfig& config, uint64_t seed) {
  const std::string problem = validate_ae_config(config);
  LL_CHECK(problem.empty(), problem.c_str());
  Autoencoder ae;
  ae.config = config;
  const int k = config.code;
  if (config.kind == AeKind::Dense) {
    ae.encoder = nn::make_mlp(ae.store, "encoder", {kPixels, config.hidden, k});
    ae.decoder = nn::make_mlp(ae.store, "decoder", {k, config.hidden, kPixels});
  } else {
    const int c = config.channels;
    ae.conv1 = nn::make_conv2d(ae.store, "encoder.conv1", 1, c, kSide, kSide, 3, 2, 1);        // → C×14×14
    ae.conv2 = nn::make_conv2d(ae.store, "encoder.conv2", c, 2 * c, 14, 14, 3, 2, 1);          // → 2C×7×7
    ae.to_code = nn::make_dense(ae.store, "encoder.code", ae.conv2.out_size(), k);
    ae.from_code = nn::make_dense(ae.store, "decoder.dense", k, ae.conv2.out_size());
    ae.deconv1 = nn::make_conv_transpose2d(ae.store, "decoder.deconv1", 2 * c, c, 7, 7, 4, 2, 1);  // → C×14×14
    ae.deconv2 = nn::make_conv_transpose2d(ae.store, "decoder.deconv2", c, 1, 14, 14, 4, 2, 1);    // → 1×28×28
    LL_CHECK(ae.conv2.out_h == 7 && ae.deconv2.out_size() == kPixels, "make_autoencoder: conv shapes");
  }
  Rng rng(seed);
  nn::init_params(ae.store, rng);
  return ae;
}

const Mat& ae_encode(Autoencoder& ae, const Mat& x) {
  LL_CHECK(x.cols() == kPixels, "ae_encode: x must be [B, 784]");
  if (ae.config.kind == AeKind::Dense) ae.code = nn::mlp_forward(ae.store, ae.encoder, x);
  else conv_forward(ae, x);
  LL_CHECK_SHAPE(ae.code, x.rows(), ae.config.code, "ae_encode: code must be [B, k]");
  return ae.code;
}

const Mat& ae_decode_logits(Autoencoder& ae, const Mat& code) {
  LL_CHECK(code.cols() == ae.config.code, "ae_decode: code must be [B, k]");
  if (ae.config.kind == AeKind::Dense) ae.logits = nn::mlp_forward(ae.store, ae.decoder, code);
  else conv_decode(ae, code);
  LL_CHECK_SHAPE(ae.logits, code.rows(), kPixels, "ae_decode: logits must be [B, 784]");
  return ae.logits;
}

void ae_decode(Autoencoder& ae, const Mat& code, Mat& pixels) {
  nn::activation_forward(nn::Activation::Sigmoid, ae_decode_logits(ae, code), pixels);
}

AeLoss ae_loss(Autoencoder& ae, const Mat& x, bool backward) {
  ae_encode(ae, x);
  const Mat code = ae.code;  // the decoder's input, kept for its backward
  ae_decode_logits(ae, code);
  AeLoss loss;
  Mat dlogits;
  loss.bce = nn::bce_with_logits_loss(ae.logits, x, backward ? &dlogits : nullptr, nn::Reduction::BatchMean);
  Mat pixels;
  nn::activation_forward(nn::Activation::Sigmoid, ae.logits, pixels);
  loss.squared_error = double((pixels - x).squaredNorm()) / double(x.rows());
  if (!backward) return loss;
  if (ae.config.kind == AeKind::Dense) {
    Mat dcode;  // [B, k]
    nn::mlp_backward(ae.store, ae.decoder, dlogits, &dcode);
    nn::mlp_backward(ae.store, ae.encoder, dcode, nullptr);
  } else {
    conv_backward(ae, code, dlogits);
  }
  return loss;
}

AeLoss ae_evaluate(Autoencoder& ae, const float* images, int count) {
  LL_CHECK(count > 0, "ae_evaluate: no images");
  AeLoss sum;
  Mat x;
  for (int first = 0; first < count; first += kEvalBatch) {
    const int rows = std::min(kEvalBatch, count - first);
    x = Eigen::Map<const Mat>(images + size_t(first) * kPixels, rows, kPixels);
    const AeLoss l = ae_loss(ae, x, false);
    sum.bce += l.bce * rows;
    sum.squared_error += l.squared_error * rows;
  }
  sum.bce /= count;
  sum.squared_error /= count;
  return sum;
}

AeTrainer make_ae_trainer(const AeConfig& config, double lr, int count, uint64_t seed, int batch_size) {
  LL_CHECK(count > 0 && batch_size > 0, "make_ae_trainer: needs images and a positive batch size");
  AeTrainer t;
  t.model = make_autoencoder(config, seed);
  OptimizerConfig adam;
  adam.kind = OptimizerKind::Adam;
  adam.lr = lr;
  t.optimizer = nn::make_optimizer(t.model.store, adam);
  t.batch_size = batch_size;
  t.count = count;
  t.seed = seed;
  start_epoch(t);
  return t;
}

void set_ae_learning_rate(AeTrainer& t, double lr) { t.optimizer.config.lr = lr; }

bool ae_train_step(AeTrainer& t, const float* images) {
  if (t.last_good.step < 0) nn::keep_last_good(t.last_good, t.model.store, t.optimizer);
  const int rows = std::min(t.batch_size, t.count - t.cursor);
  t.batch.resize(rows, kPixels);
  for (int r = 0; r < rows; ++r) {
    const float* src = images + size_t(t.order[size_t(t.cursor + r)]) * kPixels;
    std::copy(src, src + kPixels, t.batch.row(r).data());
  }
  nn::zero_grads(t.model.store);
  const AeLoss loss = ae_loss(t.model, t.batch, true);
  nn::apply_optimizer(t.model.store, t.optimizer);
  const nn::FiniteCheck check = nn::check_finite(t.model.store, t.step, loss.bce);
  if (!check.ok) {
    const long kept = t.last_good.step;
    nn::restore_last_good(t.last_good, t.model.store, t.optimizer);
    t.error = check.message + "; the model of update " + std::to_string(kept) +
              " was put back (lower the learning rate or reset)";
    return false;
  }
  t.last_loss = loss.bce;
  t.error.clear();
  ++t.step;
  if (t.step % kKeepGoodEvery == 0) nn::keep_last_good(t.last_good, t.model.store, t.optimizer);
  t.cursor += rows;
  if (t.cursor >= t.count) {
    ++t.epoch;
    start_epoch(t);
  }
  return true;
}

CodeGaussian fit_code_gaussian(const Mat& codes) {
  LL_CHECK(codes.rows() >= 2, "fit_code_gaussian: needs at least two codes");
  const int k = int(codes.cols());
  CodeGaussian g;
  g.mean = codes.colwise().mean();
  const Eigen::MatrixXf centered = codes.rowwise() - g.mean;  // [n, k]
  Eigen::MatrixXf cov = centered.transpose() * centered / float(codes.rows() - 1);  // [k, k]
  cov.diagonal().array() += kCodeRidge;
  g.chol = Eigen::LLT<Eigen::MatrixXf>(cov).matrixL();
  LL_CHECK(g.chol.rows() == k && g.chol.cols() == k, "fit_code_gaussian: covariance must be [k, k]");
  return g;
}

void draw_codes(Rng& rng, int n, int code_size, const CodeGaussian* gaussian, Mat& codes) {
  codes.resize(n, code_size);
  for (int r = 0; r < n; ++r)
    for (int j = 0; j < code_size; ++j) codes(r, j) = float(rng.normal());
  if (!gaussian) return;
  LL_CHECK(gaussian->mean.size() == code_size, "draw_codes: the Gaussian has another code size");
  // Row form of mean + L·ε: code = ε·Lᵀ + mean.
  codes = (codes * gaussian->chol.transpose()).rowwise() + gaussian->mean;
}

}  // namespace ll::ae
