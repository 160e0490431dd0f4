#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

#include "ml/gen/ddpm_mnist.hpp"
#include "ml/gen/digit_classifier.hpp"

using namespace ll::gen;
using ll::nn::Mat;

namespace {

DdpmConfig tiny_ddpm() {
  DdpmConfig c;
  c.unet.channels = 8;
  c.unet.time_dim = 16;
  c.timesteps = 50;
  return c;
}

std::vector<float> blob_digits(int count, uint64_t seed) {
  ll::Rng rng(seed);
  std::vector<float> images(size_t(count) * kDigitPixels, 0.0f);
  for (int k = 0; k < count; ++k) {
    const int cx = 8 + int(rng.below(12)), cy = 8 + int(rng.below(12));
    for (int y = 0; y < kDigitSide; ++y)
      for (int x = 0; x < kDigitSide; ++x)
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < 20) images[size_t(k) * kDigitPixels + y * kDigitSide + x] = 1;
  }
  return images;
}

}  // namespace

TEST_CASE("ddpm u-net: the ε-prediction loss matches central differences", "[ddpm]") {
  DdpmTrainer t = make_ddpm_trainer(tiny_ddpm(), DdpmTrainConfig{});
  ll::Rng rng(3);
  Mat x0(2, kDigitPixels), eps(2, kDigitPixels);
  for (Eigen::Index i = 0; i < x0.size(); ++i) x0.data()[i] = float(rng.uniform(-1, 1));
  fill_normal(rng, eps.data(), int(eps.size()));
  const std::vector<int> steps = {3, 41};
  ll::nn::zero_grads(t.net.store);
  ddpm_loss(t.net, t.schedule, x0, steps, eps, true);
  CHECK(t.net.eps.rows() == 2);
  CHECK(t.net.eps.cols() == kDigitPixels);
  int agree = 0;
  const int samples = 200;
  for (int k = 0; k < samples; ++k) {
    const size_t i = rng.below(uint32_t(t.net.store.values.size()));
    const double analytic = t.net.store.grads[i];
    float& v = t.net.store.values[i];
    const float saved = v, h = 1e-3f;
    v = saved + h;
    const double plus = ddpm_loss(t.net, t.schedule, x0, steps, eps, false);
    v = saved - h;
    const double minus = ddpm_loss(t.net, t.schedule, x0, steps, eps, false);
    v = saved;
    const double numeric = (plus - minus) / (2.0 * h);
    agree += std::abs(numeric - analytic) <= 0.05 * std::max(std::abs(numeric), std::abs(analytic)) + 1e-5;
  }
  CHECK(double(agree) / samples >= 0.97);
}

TEST_CASE("ddpm: training resumes exactly, sampling is deterministic for a seed", "[ddpm]") {
  const std::vector<float> images = blob_digits(20, 4);
  DdpmTrainConfig train;
  train.batch_size = 3;
  DdpmTrainer straight = make_ddpm_trainer(tiny_ddpm(), train);
  REQUIRE(ddpm_train_step(straight, images.data(), 20));
  const std::vector<uint8_t> saved = save_ddpm(straight, true);
  REQUIRE(ddpm_train_step(straight, images.data(), 20));
  DdpmTrainer resumed;
  bool has_state = false;
  REQUIRE(load_ddpm(saved.data(), saved.size(), resumed, &has_state).ok());
  CHECK(has_state);
  REQUIRE(ddpm_train_step(resumed, images.data(), 20));
  CHECK(resumed.net.store.values == straight.net.store.values);
  CHECK(resumed.ema == straight.ema);
  CHECK(resumed.step == 2);

  const Mat a = ddpm_sample(straight, 2, true, 5, 9), b = ddpm_sample(straight, 2, true, 5, 9);
  const Mat c = ddpm_sample(straight, 2, true, 5, 10);
  CHECK(a == b);
  CHECK((a - c).cwiseAbs().maxCoeff() > 1e-3);
  CHECK(a.minCoeff() >= 0.0f);
  CHECK(a.maxCoeff() <= 1.0f);
  // A DDPM chain visits all T steps; DDIM the requested few, from T − 1 down to 0.
  const DdpmChain full = start_chain(straight, 1, false, 0, 0, 1), few = start_chain(straight, 1, true, 5, 0, 1);
  CHECK(full.timesteps.size() == 50);
  CHECK(few.timesteps.size() == 5);
  CHECK(few.timesteps.front() == 49);
  CHECK(few.timesteps.back() == 0);
  // The EMA weights are back in place after sampling.
  CHECK(resumed.net.store.values == straight.net.store.values);
}

TEST_CASE("ddpm: a short run lowers the loss; bad files are refused", "[ddpm]") {
  const std::vector<float> images = blob_digits(64, 5);
  DdpmTrainConfig train;
  train.batch_size = 8;
  train.lr = 3e-3;
  DdpmTrainer t = make_ddpm_trainer(tiny_ddpm(), train);
  // The same fixed batch before and after: training must lower its loss.
  ll::Rng rng(6);
  Mat x0(8, kDigitPixels), eps(8, kDigitPixels);
  for (int i = 0; i < 8; ++i)
    for (int p = 0; p < kDigitPixels; ++p) x0(i, p) = 2 * images[size_t(i) * kDigitPixels + p] - 1;
  fill_normal(rng, eps.data(), int(eps.size()));
  const std::vector<int> steps = {5, 10, 15, 20, 25, 30, 35, 40};
  const double before = ddpm_loss(t.net, t.schedule, x0, steps, eps, false);
  for (int i = 0; i < 30; ++i) REQUIRE(ddpm_train_step(t, images.data(), 64));
  const double after = ddpm_loss(t.net, t.schedule, x0, steps, eps, false);
  CHECK(after < 0.8 * before);

  const std::vector<uint8_t> bytes = save_ddpm(t, false);
  DdpmTrainer out = make_ddpm_trainer(tiny_ddpm(), train);
  const std::vector<float> kept = out.net.store.values;
  const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + long(bytes.size() / 3));
  CHECK_FALSE(load_ddpm(cut.data(), cut.size(), out).ok());
  const std::vector<uint8_t> classifier = save_digit_classifier(make_digit_classifier(), ClassifierTrainConfig{}, 0);
  const ll::SafetensorsStatus s = load_ddpm(classifier.data(), classifier.size(), out);
  CHECK(s.message.find("not a latentlab DDPM") != std::string::npos);
  CHECK(out.net.store.values == kept);
}
