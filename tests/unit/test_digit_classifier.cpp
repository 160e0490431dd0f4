#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "ml/gen/digit_classifier.hpp"

using namespace ll::gen;

namespace {

// 1-D feature rows drawn from N(mean, sd²) with a fixed seed.
ll::nn::Mat gaussian_rows(int n, int dims, double mean, double sd, uint64_t seed) {
  ll::Rng rng(seed);
  ll::nn::Mat m(n, dims);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.normal(mean, sd));
  return m;
}

// Every stride-th image of a split (the asset stores digits class by class), with labels.
struct Subset {
  std::vector<float> images;
  std::vector<uint8_t> labels;
  int count() const { return int(labels.size()); }
};
Subset every_nth(const ll::MnistSplit& split, int stride) {
  Subset s;
  for (int i = 0; i < split.count(); i += stride) {
    s.images.insert(s.images.end(), split.image(i), split.image(i) + split.pixels);
    s.labels.push_back(split.labels[size_t(i)]);
  }
  return s;
}

}  // namespace

TEST_CASE("frechet distance: zero for equal statistics, closed form for Gaussians", "[classifier]") {
  const FeatureStats a = feature_stats(gaussian_rows(4000, 3, 0.0, 1.0, 1));
  CHECK(frechet_distance(a, a) == Approx(0).margin(1e-9));
  // Diagonal Gaussians: ‖μ₁ − μ₂‖² + Σ (σ₁ − σ₂)² = 3·1² + 3·(2 − 1)² = 6.
  const FeatureStats b = feature_stats(gaussian_rows(4000, 3, 1.0, 2.0, 2));
  CHECK(frechet_distance(a, b) == Approx(6.0).epsilon(0.1));
  CHECK(frechet_distance(a, b) == Approx(frechet_distance(b, a)).epsilon(1e-6));  // symmetric
}

TEST_CASE("npy: uint8 arrays round-trip; other dtypes and bad sizes are explained", "[classifier]") {
  const std::vector<uint8_t> data = {0, 1, 2, 250, 251, 252};
  const std::vector<uint8_t> bytes = ll::encode_npy_u8(data, {2, 3});
  std::vector<uint8_t> back;
  std::vector<int64_t> shape;
  REQUIRE(ll::decode_npy_u8(bytes.data(), bytes.size(), back, shape).empty());
  CHECK(back == data);
  CHECK(shape == std::vector<int64_t>{2, 3});

  CHECK(ll::decode_npy_u8(bytes.data(), bytes.size() - 1, back, shape).find("needs 6") != std::string::npos);
  std::vector<uint8_t> floats = bytes;
  const std::string header(floats.begin(), floats.end());
  floats[header.find("|u1") + 1] = 'f';  // '|f1' is not uint8
  CHECK(ll::decode_npy_u8(floats.data(), floats.size(), back, shape).find("not uint8") != std::string::npos);
  const uint8_t junk[16] = {'P', 'K'};
  CHECK(ll::decode_npy_u8(junk, sizeof junk, back, shape).find("not a .npy") != std::string::npos);
  CHECK(back == data);  // failures leave the output alone
}

#ifdef LATENTLAB_MNIST_ASSET
TEST_CASE("digit classifier: a short run learns, saves, reloads and judges samples", "[classifier]") {
  ll::MnistData data;
  REQUIRE(ll::load_mnist_file(LATENTLAB_MNIST_ASSET, data).ok());
  const Subset train = every_nth(data.train, 13), heldout = every_nth(data.heldout, 6);  // 616 and 334 digits
  DigitClassifier model = make_digit_classifier();
  ClassifierTrainConfig config;
  config.epochs = 2;
  REQUIRE(train_digit_classifier(model, config, train.images.data(), train.labels.data(), train.count()).empty());
  const double accuracy = classifier_accuracy(model, heldout.images.data(), heldout.labels.data(), heldout.count());
  CHECK(accuracy > 0.6);  // chance is 0.1

  const std::vector<uint8_t> saved = save_digit_classifier(model, config, accuracy);
  DigitClassifier loaded = make_digit_classifier();
  REQUIRE(load_digit_classifier(saved.data(), saved.size(), loaded).ok());
  CHECK(loaded.store.values == model.store.values);
  const std::vector<uint8_t> cut(saved.begin(), saved.begin() + long(saved.size() / 2));
  CHECK_FALSE(load_digit_classifier(cut.data(), cut.size(), loaded).ok());

  // Judging train digits against themselves: every one has a copy at distance 0.
  ll::nn::Mat probs, features;
  classify_digits(model, train.images.data(), train.count(), probs, features);
  const FeatureStats train_stats = feature_stats(features);
  const SampleReport copies =
      report_samples(model, train.images.data(), 200, train.images.data(), train.count(), train_stats);
  CHECK(copies.median_nearest_train < 1e-2);
  CHECK(std::accumulate(copies.histogram.begin(), copies.histogram.end(), 0) == 200);
  // Real held-out digits are new images (far from every train digit), of every class.
  const SampleReport real = report_samples(model, heldout.images.data(), heldout.count(), train.images.data(),
                                           train.count(), train_stats);
  CHECK(real.median_nearest_train > 3.0);
  CHECK(*std::min_element(real.histogram.begin(), real.histogram.end()) > 0);
  // Noise is far from digits in feature space; held-out digits are close.
  std::vector<float> noise(size_t(heldout.count()) * kDigitPixels);
  ll::Rng rng(4);
  for (float& v : noise) v = rng.uniform_f();
  const SampleReport junk =
      report_samples(model, noise.data(), heldout.count(), train.images.data(), train.count(), train_stats);
  CHECK(junk.frechet > 3 * real.frechet);
}
#endif
