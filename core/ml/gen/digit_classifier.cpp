#include "ml/gen/digit_classifier.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "ml/check.hpp"
#include "ml/gemm.hpp"
#include "ml/nn/checkpoint.hpp"
#include "ml/nn/losses.hpp"

namespace ll::gen {

namespace {

constexpr int kEvalBatch = 256;

// Copies a digit moved by (dx, dy) pixels, zero-filling what comes in from outside.
void shifted_digit(const float* src, int dx, int dy, float* dst) {
  for (int y = 0; y < kDigitSide; ++y)
    for (int x = 0; x < kDigitSide; ++x) {
      const int sx = x - dx, sy = y - dy;
      const bool inside = sx >= 0 && sx < kDigitSide && sy >= 0 && sy < kDigitSide;
      dst[y * kDigitSide + x] = inside ? src[sy * kDigitSide + sx] : 0.0f;
    }
}

nn::Mat rows_of(const float* images, int first, int count) {
  nn::Mat x(count, kDigitPixels);
  std::copy(images + size_t(first) * kDigitPixels, images + size_t(first + count) * kDigitPixels, x.data());
  return x;
}

}  // namespace

DigitClassifier make_digit_classifier() {
  DigitClassifier m;
  nn::Sequential& net = m.net;
  const nn::Conv2D c1 = nn::add_conv(net, m.store, "conv1", 1, 32, kDigitSide, kDigitSide, 3, 1, 1);
  nn::add_activation(net, nn::Activation::ReLU);
  const nn::Conv2D c2 = nn::add_conv(net, m.store, "conv2", 32, 32, c1.out_h, c1.out_w, 3, 2, 1);  // 14×14
  nn::add_activation(net, nn::Activation::ReLU);
  const nn::Conv2D c3 = nn::add_conv(net, m.store, "conv3", 32, 32, c2.out_h, c2.out_w, 3, 2, 1);  // 7×7
  nn::add_activation(net, nn::Activation::ReLU);
  nn::add_dense(net, m.store, "fc1", c3.out_size(), kClassifierFeatures);
  nn::add_activation(net, nn::Activation::ReLU);
  m.feature_stage = int(net.stages.size()) - 1;
  nn::add_dense(net, m.store, "fc2", kClassifierFeatures, kDigitClasses);
  return m;
}

std::string train_digit_classifier(DigitClassifier& model, const ClassifierTrainConfig& config, const float* images,
                                   const uint8_t* labels, int count,
                                   const std::function<void(int epoch, int epochs, double loss)>& progress) {
  LL_CHECK(count > 0 && config.batch_size > 0 && config.epochs > 0, "train_digit_classifier: empty run");
  Rng rng(config.seed);
  nn::init_params(model.store, rng);
  OptimizerConfig adam;
  adam.kind = OptimizerKind::Adam;
  adam.lr = config.lr;
  nn::Optimizer opt = nn::make_optimizer(model.store, adam);
  const int batches = (count + config.batch_size - 1) / config.batch_size;
  opt.schedule = {LrScheduleKind::Cosine, 0, long(config.epochs) * batches, 0.05};

  std::vector<int> order(static_cast<size_t>(count));
  std::iota(order.begin(), order.end(), 0);
  nn::Mat x, dlogits;
  std::vector<int> batch_labels;
  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    rng.shuffle(order.data(), order.size());
    double loss_sum = 0;
    for (int b = 0; b < batches; ++b) {
      const int first = b * config.batch_size, n = std::min(config.batch_size, count - first);
      x.resize(n, kDigitPixels);
      batch_labels.resize(size_t(n));
      for (int i = 0; i < n; ++i) {
        const int index = order[size_t(first + i)];
        const int span = 2 * config.max_shift + 1;
        const int dx = int(rng.below(uint32_t(span))) - config.max_shift, dy = int(rng.below(uint32_t(span))) - config.max_shift;
        shifted_digit(images + size_t(index) * kDigitPixels, dx, dy, x.row(i).data());
        batch_labels[size_t(i)] = labels[index];
      }
      nn::zero_grads(model.store);
      const double loss = nn::softmax_cross_entropy(nn::sequential_forward(model.store, model.net, x), batch_labels,
                                                    &dlogits);
      nn::sequential_backward(model.store, model.net, dlogits, nullptr);
      const nn::FiniteCheck finite = nn::check_finite(model.store, opt.step, loss);
      if (!finite.ok) return finite.message;
      nn::apply_optimizer(model.store, opt);
      loss_sum += loss * n;
    }
    if (progress) progress(epoch + 1, config.epochs, loss_sum / count);
  }
  return "";
}

void classify_digits(DigitClassifier& model, const float* images, int count, nn::Mat& probs, nn::Mat& features) {
  probs.resize(count, kDigitClasses);
  features.resize(count, kClassifierFeatures);
  nn::Mat batch_probs;
  for (int first = 0; first < count; first += kEvalBatch) {
    const int n = std::min(kEvalBatch, count - first);
    nn::softmax_rows(nn::sequential_forward(model.store, model.net, rows_of(images, first, n)), batch_probs);
    probs.middleRows(first, n) = batch_probs;
    features.middleRows(first, n) = nn::stage_output(model.net, model.feature_stage);
  }
}

double classifier_accuracy(DigitClassifier& model, const float* images, const uint8_t* labels, int count) {
  nn::Mat probs, features;
  classify_digits(model, images, count, probs, features);
  int correct = 0;
  for (int i = 0; i < count; ++i) {
    Eigen::Index best = 0;
    probs.row(i).maxCoeff(&best);
    correct += int(best) == labels[i];
  }
  return count > 0 ? double(correct) / count : 0.0;
}

std::vector<uint8_t> save_digit_classifier(const DigitClassifier& model, const ClassifierTrainConfig& config,
                                           double heldout_accuracy) {
  nn::ModelInfo info;
  info.architecture = kClassifierArchitecture;
  info.hyperparameters = {{"epochs", std::to_string(config.epochs)},
                          {"batch_size", std::to_string(config.batch_size)},
                          {"lr", std::to_string(config.lr)},
                          {"max_shift", std::to_string(config.max_shift)},
                          {"seed", std::to_string(config.seed)},
                          {"heldout_accuracy", std::to_string(heldout_accuracy)}};
  return nn::save_checkpoint(model.store, info, nullptr);
}

SafetensorsStatus load_digit_classifier(const uint8_t* bytes, size_t size, DigitClassifier& model) {
  return nn::load_checkpoint(bytes, size, kClassifierArchitecture, model.store, nullptr);
}

FeatureStats feature_stats(const nn::Mat& features) {
  LL_CHECK(features.rows() > 1, "feature_stats: needs at least two rows");
  const Eigen::MatrixXd f = features.cast<double>();
  FeatureStats s;
  s.mean = f.colwise().mean().transpose();
  const Eigen::MatrixXd centered = f.rowwise() - s.mean.transpose();
  s.covariance = centered.transpose() * centered / double(f.rows() - 1);
  return s;
}

double frechet_distance(const FeatureStats& a, const FeatureStats& b) {
  LL_CHECK(a.mean.size() == b.mean.size(), "frechet_distance: feature sizes differ");
  // Tr((Σ₁Σ₂)^½) = Tr((Σ₁^½ Σ₂ Σ₁^½)^½), whose argument is symmetric PSD: two eigensolves.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> first(a.covariance);
  const Eigen::VectorXd root_values = first.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  const Eigen::MatrixXd root_a = first.eigenvectors() * root_values.asDiagonal() * first.eigenvectors().transpose();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> middle(root_a * b.covariance * root_a, Eigen::EigenvaluesOnly);
  const double trace_root = middle.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
  return (a.mean - b.mean).squaredNorm() + a.covariance.trace() + b.covariance.trace() - 2.0 * trace_root;
}

SampleReport report_samples(DigitClassifier& model, const float* images, int count, const float* train_images,
                            int train_count, const FeatureStats& train_features) {
  LL_CHECK(count > 1 && train_count > 0, "report_samples: needs samples and train digits");
  SampleReport r;
  r.count = count;
  nn::Mat probs, features;
  classify_digits(model, images, count, probs, features);
  int confident = 0;
  for (int i = 0; i < count; ++i) {
    Eigen::Index best = 0;
    const double top = probs.row(i).maxCoeff(&best);
    ++r.histogram[size_t(best)];
    r.labels.push_back(int(best));
    confident += top >= kConfidentProbability;
    r.mean_top_probability += top / count;
  }
  r.confident_share = double(confident) / count;
  r.frechet = frechet_distance(feature_stats(features), train_features);

  // ‖x − t‖² = ‖x‖² + ‖t‖² − 2 x·t, the dot products by GEMM in blocks of samples.
  const Eigen::Map<const nn::Mat> train(train_images, train_count, kDigitPixels);
  const Eigen::VectorXf train_norms = train.rowwise().squaredNorm();
  std::vector<double> nearest(static_cast<size_t>(count));
  nn::Mat dots(kEvalBatch, train_count);
  for (int first = 0; first < count; first += kEvalBatch) {
    const int n = std::min(kEvalBatch, count - first);
    const float* x = images + size_t(first) * kDigitPixels;
    gemm(Transpose::No, Transpose::Yes, n, train_count, kDigitPixels, x, kDigitPixels, train_images, kDigitPixels,
         dots.data(), train_count);
    for (int i = 0; i < n; ++i) {
      const Eigen::Map<const Eigen::VectorXf> xi(x + size_t(i) * kDigitPixels, kDigitPixels);
      const float norm = xi.squaredNorm();
      float best = INFINITY;
      for (int t = 0; t < train_count; ++t) best = std::min(best, norm + train_norms[t] - 2.0f * dots(i, t));
      nearest[size_t(first + i)] = std::sqrt(std::max(0.0f, best));
    }
  }
  std::nth_element(nearest.begin(), nearest.begin() + count / 2, nearest.end());
  r.median_nearest_train = nearest[size_t(count / 2)];
  return r;
}

}  // namespace ll::gen
