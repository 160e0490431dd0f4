#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iomanip>

#include "io/assets.hpp"
#include "ml/gen/dcgan.hpp"
#include "ml/gen/digit_classifier.hpp"

using namespace ll::gen;
using ll::nn::Mat;

namespace {

GanConfig tiny_config() {
  GanConfig c;
  c.latent = 3;
  c.generator_channels = 16;
  c.discriminator_channels = 4;
  return c;
}

// Central differences on `samples` randomly chosen parameters of a store: the share of them
// whose analytic gradient agrees with the numeric one (5% relative, 1e-5 absolute). A share,
// not one norm, because ReLU kinks crossed by the perturbation spoil a coordinate or two.
double sampled_gradient_agreement(ll::nn::ParamStore& store, const std::function<double()>& loss, int samples,
                                  uint64_t seed) {
  ll::Rng rng(seed);
  int agree = 0;
  for (int k = 0; k < samples; ++k) {
    const size_t i = rng.below(uint32_t(store.values.size()));
    const double analytic = store.grads[i];
    float& v = store.values[i];
    const float saved = v, h = 1e-3f;
    v = saved + h;
    const double plus = loss();
    v = saved - h;
    const double minus = loss();
    v = saved;
    const double numeric = (plus - minus) / (2.0 * h);
    agree += std::abs(numeric - analytic) <= 0.05 * std::max(std::abs(numeric), std::abs(analytic)) + 1e-5;
  }
  return double(agree) / samples;
}

std::vector<float> synthetic_digits(int count, uint64_t seed) {
  ll::Rng rng(seed);
  std::vector<float> images(size_t(count) * kDigitPixels);
  for (float& p : images) p = rng.uniform_f() < 0.2f ? 1.0f : 0.0f;
  return images;
}

}  // namespace

TEST_CASE("dcgan: both players' losses match central differences", "[gan]") {
  GanTrainer t = make_gan_trainer(tiny_config(), GanTrainConfig{});
  Gan& m = t.model;
  const Mat z = gan_latents(m.config, 2, 5);
  const std::vector<int> labels = {3, 7};
  const Mat real = (Eigen::Map<const Mat>(synthetic_digits(2, 6).data(), 2, kDigitPixels).array() * 2 - 1).matrix();
  Mat fake;
  gan_generate(m, nullptr, z, labels, fake);
  fake = (fake.array() * 2 - 1).matrix();

  ll::nn::zero_grads(m.discriminator_store);
  discriminator_loss(m, real, labels, fake, {1, 2}, 0.9f, true);
  const auto d_loss = [&] { return discriminator_loss(m, real, labels, fake, {1, 2}, 0.9f, false); };
  CHECK(sampled_gradient_agreement(m.discriminator_store, d_loss, 200, 7) >= 0.97);

  ll::nn::zero_grads(m.generator_store);
  generator_loss(m, z, labels, true);
  const auto g_loss = [&] { return generator_loss(m, z, labels, false); };
  CHECK(sampled_gradient_agreement(m.generator_store, g_loss, 200, 8) >= 0.97);
}

TEST_CASE("dcgan: a run resumed from its checkpoint continues exactly", "[gan]") {
  const std::vector<float> images = synthetic_digits(40, 9);
  std::vector<uint8_t> labels(40);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = uint8_t(i % 10);
  GanTrainConfig config;
  config.batch_size = 4;
  GanTrainer straight = make_gan_trainer(tiny_config(), config);
  REQUIRE(gan_train_step(straight, images.data(), labels.data(), 40));
  REQUIRE(gan_train_step(straight, images.data(), labels.data(), 40));
  const std::vector<uint8_t> saved = save_gan(straight, true);
  REQUIRE(gan_train_step(straight, images.data(), labels.data(), 40));

  GanTrainer resumed;
  bool has_state = false;
  REQUIRE(load_gan(saved.data(), saved.size(), resumed, &has_state).ok());
  CHECK(has_state);
  CHECK(resumed.step == 2);
  REQUIRE(gan_train_step(resumed, images.data(), labels.data(), 40));
  CHECK(resumed.model.generator_store.values == straight.model.generator_store.values);
  CHECK(resumed.model.discriminator_store.values == straight.model.discriminator_store.values);
  CHECK(resumed.generator_ema == straight.generator_ema);
  CHECK(std::isfinite(straight.last.generator_loss));
  CHECK(straight.last.real_score > 0.0);
  CHECK(straight.last.real_score < 1.0);
}

TEST_CASE("dcgan: sampling is seeded, conditional and in [0, 1]; bad files are refused", "[gan]") {
  GanTrainer t = make_gan_trainer(tiny_config(), GanTrainConfig{});
  Mat a, b, c;
  const Mat z = gan_latents(t.model.config, 3, 11);
  gan_generate(t.model, &t.generator_ema, z, {0, 1, 2}, a);
  gan_generate(t.model, &t.generator_ema, gan_latents(t.model.config, 3, 11), {0, 1, 2}, b);
  gan_generate(t.model, &t.generator_ema, z, {5, 5, 5}, c);
  CHECK(a == b);
  CHECK((a - c).cwiseAbs().maxCoeff() > 1e-4);  // the class changes the image
  CHECK(a.minCoeff() >= 0.0f);
  CHECK(a.maxCoeff() <= 1.0f);
  CHECK(a.cols() == kDigitPixels);

  const std::vector<uint8_t> bytes = save_gan(t, false);
  GanTrainer out = make_gan_trainer(tiny_config(), GanTrainConfig{});
  const std::vector<float> before = out.model.generator_store.values;
  const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + long(bytes.size() - 10));
  CHECK_FALSE(load_gan(cut.data(), cut.size(), out).ok());
  // A classifier checkpoint is a latentlab file, but not a GAN.
  const DigitClassifier classifier = make_digit_classifier();
  const std::vector<uint8_t> other = save_digit_classifier(classifier, ClassifierTrainConfig{}, 0.0);
  const ll::SafetensorsStatus s = load_gan(other.data(), other.size(), out);
  CHECK_FALSE(s.ok());
  CHECK(s.message.find("not a latentlab GAN") != std::string::npos);
  CHECK(out.model.generator_store.values == before);
}

TEST_CASE("dcgan: the shipped checkpoint, written natively, gives pinned samples on every target", "[gan]") {
  std::string bytes;
  const std::string error = ll::load_asset("gan_mnist.safetensors", bytes);
  if (!error.empty()) {
    WARN("no shipped GAN in the asset directory: " << error);
    return;
  }
  GanTrainer t;
  REQUIRE(load_gan(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), t).ok());
  Mat images;
  gan_generate(t.model, &t.generator_ema, gan_latents(t.model.config, 3, 1), {0, 4, 7}, images);
  // From the native build; the WASM build reads the same file and must agree to 1e-5.
  const double pinned_means[3] = {0.21630405, 0.184158126, 0.108986382};
  const float pinned_pixels[3] = {0.952712059f, 0.605098605f, 0.859564424f};  // pixel 300 (row 10, column 20)
  for (int i = 0; i < 3; ++i) {
    INFO(std::setprecision(9) << "image " << i << " mean " << images.row(i).cast<double>().mean() << " pixel "
                              << images(i, 300));
    CHECK(images.row(i).cast<double>().mean() == Approx(pinned_means[i]).margin(1e-5));
    CHECK(images(i, 300) == Approx(pinned_pixels[i]).margin(1e-5));
  }
}
