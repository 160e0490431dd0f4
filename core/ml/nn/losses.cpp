#include "ml/nn/losses.hpp"

#include <cmath>

#include "ml/check.hpp"
#include "ml/nn/layers.hpp"

namespace ll::nn {

namespace {

// The factor that turns a sum over all elements into the requested reduction.
double reduction_scale(const Mat& m, Reduction r) {
  return r == Reduction::Mean ? 1.0 / double(m.size()) : 1.0 / double(m.rows());
}

}  // namespace

double mse_loss(const Mat& pred, const Mat& target, Mat* dpred, Reduction reduction) {
  LL_CHECK_SHAPE(target, pred.rows(), pred.cols(), "mse_loss: target must match pred");
  LL_CHECK(pred.size() > 0, "mse_loss: empty input");
  const double scale = reduction_scale(pred, reduction);
  double sum = 0;
  for (Eigen::Index i = 0; i < pred.size(); ++i) {
    const double d = double(pred.data()[i]) - target.data()[i];
    sum += d * d;
  }
  if (dpred) *dpred = (pred - target) * float(2 * scale);
  return sum * scale;
}

double bce_with_logits_loss(const Mat& logits, const Mat& target, Mat* dlogits, Reduction reduction) {
  LL_CHECK_SHAPE(target, logits.rows(), logits.cols(), "bce_with_logits_loss: target must match logits");
  LL_CHECK(logits.size() > 0, "bce_with_logits_loss: empty input");
  const double scale = reduction_scale(logits, reduction);
  if (dlogits) dlogits->resize(logits.rows(), logits.cols());
  double sum = 0;
  for (Eigen::Index i = 0; i < logits.size(); ++i) {
    const double z = logits.data()[i], t = target.data()[i];
    sum += std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::fabs(z)));
    if (dlogits) dlogits->data()[i] = float((stable_sigmoid(float(z)) - t) * scale);
  }
  return sum * scale;
}

void softmax_rows(const Mat& logits, Mat& probs) {
  probs.resize(logits.rows(), logits.cols());
  for (Eigen::Index r = 0; r < logits.rows(); ++r) {
    const float max = logits.row(r).maxCoeff();
    probs.row(r) = (logits.row(r).array() - max).exp().matrix();
    probs.row(r) /= probs.row(r).sum();
  }
}

double softmax_cross_entropy(const Mat& logits, const std::vector<int>& labels, Mat* dlogits) {
  LL_CHECK(logits.rows() == Eigen::Index(labels.size()) && logits.rows() > 0,
           "softmax_cross_entropy: one label per logits row");
  const Eigen::Index rows = logits.rows(), classes = logits.cols();
  if (dlogits) dlogits->resize(rows, classes);
  double sum = 0;
  for (Eigen::Index r = 0; r < rows; ++r) {
    const int label = labels[size_t(r)];
    LL_CHECK(label >= 0 && label < classes, "softmax_cross_entropy: label out of range");
    const double max = logits.row(r).maxCoeff();
    double exp_sum = 0;
    for (Eigen::Index c = 0; c < classes; ++c) exp_sum += std::exp(logits(r, c) - max);
    const double log_sum_exp = max + std::log(exp_sum);
    sum += log_sum_exp - logits(r, label);
    if (dlogits)
      for (Eigen::Index c = 0; c < classes; ++c)
        (*dlogits)(r, c) = float((std::exp(logits(r, c) - log_sum_exp) - (c == label ? 1.0 : 0.0)) / double(rows));
  }
  return sum / double(rows);
}

double gaussian_kl_loss(const Mat& mu, const Mat& logvar, Mat* dmu, Mat* dlogvar) {
  LL_CHECK_SHAPE(logvar, mu.rows(), mu.cols(), "gaussian_kl_loss: logvar must match mu");
  LL_CHECK(mu.rows() > 0, "gaussian_kl_loss: empty input");
  const double scale = 1.0 / double(mu.rows());
  double sum = 0;
  for (Eigen::Index i = 0; i < mu.size(); ++i) {
    const double m = mu.data()[i], lv = logvar.data()[i];
    sum += 0.5 * (m * m + std::exp(lv) - 1.0 - lv);
  }
  if (dmu) *dmu = mu * float(scale);
  if (dlogvar) *dlogvar = ((logvar.array().exp() - 1.0f) * float(0.5 * scale)).matrix();
  return sum * scale;
}

double accuracy(const Mat& logits, const std::vector<int>& labels) {
  LL_CHECK(logits.rows() == Eigen::Index(labels.size()) && logits.rows() > 0, "accuracy: one label per row");
  int correct = 0;
  for (Eigen::Index r = 0; r < logits.rows(); ++r) {
    Eigen::Index best = 0;
    logits.row(r).maxCoeff(&best);
    correct += int(best) == labels[size_t(r)];
  }
  return double(correct) / double(logits.rows());
}

}  // namespace ll::nn
