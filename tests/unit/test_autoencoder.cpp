#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "headless_imgui.hpp"
#include "imgui.h"
#include "lessons/app.hpp"
#include "ml/autoencoder.hpp"
#include "nn_gradcheck.hpp"

namespace {

using ll::ae::Mat;

// Synthetic "digits": one of four bar patterns per image with grey levels and pixel noise,
// so an autoencoder has structure to learn without the MNIST asset.
Mat bar_images(int count, uint64_t seed) {
  ll::Rng rng(seed);
  Mat images(count, ll::ae::kPixels);
  for (int i = 0; i < count; ++i) {
    const int pattern = int(rng.below(4));
    const int offset = int(rng.below(6));
    for (int r = 0; r < 28; ++r)
      for (int c = 0; c < 28; ++c) {
        const bool on = pattern == 0 ? (r >= 8 + offset && r < 14 + offset)
                        : pattern == 1 ? (c >= 8 + offset && c < 14 + offset)
                        : pattern == 2 ? (r == c || r == c + 1) : (r + c == 27 || r + c == 28);
        images(i, r * 28 + c) = on ? float(0.7 + 0.3 * rng.uniform()) : float(0.05 * rng.uniform());
      }
  }
  return images;
}

// Relative error of the analytic gradient of the BCE against central differences, over the
// first `per_view` entries of every parameter.
// Biases start at zero, which puts pre-activations on ReLU's kink; random ones move them off.
double worst_gradient_error(ll::ae::Autoencoder& model, const Mat& x, size_t per_view, double tolerance) {
  ll::Rng rng(17);
  for (const ll::nn::ParamView& view : model.store.views)
    if (view.shape.size() == 1)
      for (size_t i = 0; i < view.size; ++i) model.store.values[view.offset + i] = float(rng.uniform(-0.3, 0.3));
  ll::nn::zero_grads(model.store);
  ll::ae::ae_loss(model, x, true);
  const std::vector<float> analytic = model.store.grads;
  double worst = 0;
  for (size_t v = 0; v < model.store.views.size(); ++v) {
    const ll::nn::ParamView& view = model.store.views[v];
    const size_t n = std::min(per_view, view.size);
    const double error = ll::nn::test::gradient_relative_error(
        model.store.values.data() + view.offset, analytic.data() + view.offset, n,
        [&] { return ll::ae::ae_loss(model, x, false).bce; }, 3e-3f);
    INFO(view.name << ": relative error " << error);
    CHECK(error < tolerance);
    worst = std::max(worst, error);
  }
  return worst;
}

}  // namespace

TEST_CASE("autoencoder: the conv model's layers have the planned shapes", "[autoencoder]") {
  ll::ae::AeConfig config;
  config.kind = ll::ae::AeKind::Conv;
  config.code = 5;
  config.channels = 4;
  ll::ae::Autoencoder model = ll::ae::make_autoencoder(config, 3);
  CHECK(model.conv1.out_h == 14);
  CHECK(model.conv1.out_size() == 4 * 14 * 14);
  CHECK(model.conv2.out_size() == 8 * 7 * 7);
  CHECK(model.to_code.in == 8 * 7 * 7);
  CHECK(model.deconv1.out_size() == 4 * 14 * 14);
  CHECK(model.deconv2.out_size() == ll::ae::kPixels);
  const std::vector<int> conv1_shape = {4, 1, 3, 3};
  CHECK(model.store.views[size_t(model.conv1.weight)].shape == conv1_shape);

  const Mat x = bar_images(3, 1);
  const Mat& code = ll::ae::ae_encode(model, x);
  CHECK(code.rows() == 3);
  CHECK(code.cols() == 5);
  Mat pixels;
  ll::ae::ae_decode(model, code, pixels);
  CHECK(pixels.rows() == 3);
  CHECK(pixels.cols() == ll::ae::kPixels);
  CHECK(pixels.minCoeff() > 0);
  CHECK(pixels.maxCoeff() < 1);
  CHECK_FALSE(ll::ae::validate_ae_config({ll::ae::AeKind::Conv, 0, 1, 4}).empty());
  CHECK_FALSE(ll::ae::validate_ae_config({ll::ae::AeKind::Conv, 4, 1, 0}).empty());
}

TEST_CASE("autoencoder: dense and conv gradients match central differences", "[autoencoder]") {
  // Random pixels: a bar image's flat background gives many units the same pre-activation, and
  // a kink within reach of the differences for all of them at once.
  ll::Rng rng(5);
  const Mat x = ll::nn::test::random_mat(rng, 2, ll::ae::kPixels, 0, 1);
  ll::ae::AeConfig dense;
  dense.code = 3;
  dense.hidden = 6;
  ll::ae::Autoencoder dense_model = ll::ae::make_autoencoder(dense, 11);
  CHECK(worst_gradient_error(dense_model, x, 24, 2e-2) < 2e-2);

  ll::ae::AeConfig conv;
  conv.kind = ll::ae::AeKind::Conv;
  conv.code = 3;
  conv.channels = 2;
  ll::ae::Autoencoder conv_model = ll::ae::make_autoencoder(conv, 12);
  // Each conv parameter reaches hundreds of ReLU units, so a few kinks fall within ±h: a looser
  // bound, still far below the O(1) error of a wrong cache or a missing backward.
  CHECK(worst_gradient_error(conv_model, x, 24, 8e-2) < 8e-2);
}

TEST_CASE("autoencoder: a short training run lowers the held-out loss of both kinds", "[autoencoder]") {
  const Mat train = bar_images(256, 21), heldout = bar_images(100, 22);
  for (ll::ae::AeKind kind : {ll::ae::AeKind::Dense, ll::ae::AeKind::Conv}) {
    INFO(ll::ae::ae_kind_name(kind));
    ll::ae::AeConfig config;
    config.kind = kind;
    config.code = 4;
    config.hidden = 32;
    config.channels = 4;
    ll::ae::AeTrainer t = ll::ae::make_ae_trainer(config, 3e-3, int(train.rows()), 7, 32);
    const ll::ae::AeLoss before = ll::ae::ae_evaluate(t.model, heldout.data(), int(heldout.rows()));
    for (int s = 0; s < 60; ++s) REQUIRE(ll::ae::ae_train_step(t, train.data()));
    const ll::ae::AeLoss after = ll::ae::ae_evaluate(t.model, heldout.data(), int(heldout.rows()));
    CHECK(t.epoch == 7);  // 60 steps of 32 over 256 images
    CHECK(after.bce < 0.8 * before.bce);
    CHECK(after.squared_error < 0.5 * before.squared_error);
  }
}

TEST_CASE("autoencoder: a non-finite step puts the last good model back", "[autoencoder]") {
  const Mat train = bar_images(64, 31);
  ll::ae::AeTrainer t = ll::ae::make_ae_trainer({ll::ae::AeKind::Dense, 2, 8, 1}, 1e-3, 64, 3, 32);
  REQUIRE(ll::ae::ae_train_step(t, train.data()));
  const std::vector<float> kept = t.model.store.values;
  ll::nn::keep_last_good(t.last_good, t.model.store, t.optimizer);
  ll::ae::set_ae_learning_rate(t, NAN);
  CHECK_FALSE(ll::ae::ae_train_step(t, train.data()));
  CHECK(t.error.find("not finite") != std::string::npos);
  CHECK(t.model.store.values == kept);
  CHECK(t.step == 1);
}

TEST_CASE("autoencoder: codes drawn from the fitted Gaussian have the codes' mean and covariance", "[autoencoder]") {
  ll::Rng rng(9);
  Mat codes(4000, 2);  // correlated codes with mean (3, −1)
  for (int r = 0; r < codes.rows(); ++r) {
    const float a = float(rng.normal()), b = float(rng.normal());
    codes(r, 0) = 3 + 2 * a;
    codes(r, 1) = -1 + a + 0.5f * b;
  }
  const ll::ae::CodeGaussian g = ll::ae::fit_code_gaussian(codes);
  CHECK(g.mean(0) == Approx(3).margin(0.1));
  CHECK(g.mean(1) == Approx(-1).margin(0.05));
  Mat drawn;
  ll::ae::draw_codes(rng, 4000, 2, &g, drawn);
  const Eigen::RowVectorXf mean = drawn.colwise().mean();
  const Eigen::MatrixXf centered = drawn.rowwise() - mean;
  const Eigen::MatrixXf cov = centered.transpose() * centered / float(drawn.rows() - 1);
  CHECK(mean(0) == Approx(3).margin(0.15));
  CHECK(cov(0, 0) == Approx(4).epsilon(0.1));
  CHECK(cov(0, 1) == Approx(2).epsilon(0.1));
  CHECK(cov(1, 1) == Approx(1.25).epsilon(0.1));
  Mat standard;
  ll::ae::draw_codes(rng, 4000, 2, nullptr, standard);
  CHECK(standard.colwise().mean().norm() < 0.1);
}

#ifdef LATENTLAB_MNIST_ASSET
TEST_CASE("autoencoder lesson: dense and conv models train headless and lower the held-out loss", "[autoencoder]") {
  HeadlessImGui imgui;
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  REQUIRE(app.open("autoencoder"));
  // The non-linear models need only the digits, not the PCA the linear view waits for.
  for (int i = 0; i < 100 && app.state()["lesson"]["data"] != "loaded"; ++i) imgui.frames(app, 1);
  REQUIRE(app.state()["lesson"]["data"] == "loaded");
  CHECK(app.state()["lesson"]["model"] == "linear");
  CHECK_FALSE(app.command("ae model mlp").ok);
  CHECK_FALSE(app.command("ae code 0").ok);
  CHECK_FALSE(app.command("ae draw").ok);

  REQUIRE(app.command("ae model dense").ok);
  REQUIRE(app.command("ae code 4").ok);
  imgui.frames(app, 2);
  auto s = app.state()["lesson"];
  CHECK(s["model"] == "dense");
  CHECK(s["code_size"] == 4);
  for (int i = 0; i < 3; ++i) REQUIRE(app.command("train step").ok);
  CHECK(app.state()["training"]["autoencoder"]["step"] == 3);
  REQUIRE(app.command("train start").ok);
  // Train until the second held-out evaluation (step 100) is in.
  for (int i = 0; i < 2000 && app.state()["lesson"].value("heldout_evaluations", 0) < 2; ++i) imgui.frames(app, 1);
  s = app.state()["lesson"];
  REQUIRE(s.value("heldout_evaluations", 0) >= 2);
  CHECK(s["heldout_loss"].get<double>() < 0.7 * s["heldout_first_loss"].get<double>());
  CHECK(s["train_loss"].get<double>() > 0);
  CHECK(s["random_nn_distance_prior"].get<double>() > 0);
  CHECK(s["reconstruction_nn_distance"].get<double>() > 0);
  CHECK(app.command("ae draw").ok);
  REQUIRE(app.command("train stop").ok);

  REQUIRE(app.command("ae model conv").ok);
  for (int i = 0; i < 200 && app.state()["lesson"].value("heldout_evaluations", 0) < 1; ++i) imgui.frames(app, 1);
  s = app.state()["lesson"];
  CHECK(s["model"] == "conv");
  CHECK(s["steps"] == 0);
  CHECK(s.value("heldout_evaluations", 0) == 1);  // the untrained model's
  for (int i = 0; i < 5; ++i) REQUIRE(app.command("train step").ok);
  CHECK(app.state()["lesson"]["steps"] == 5);
  CHECK(app.command("ae reset").ok);
  CHECK(app.state()["lesson"]["steps"] == 0);
  REQUIRE(app.command("ae model linear").ok);
  CHECK(app.state()["lesson"]["models"].size() == 6);
  imgui.frames(app, 2);
  CHECK(app.state()["lesson"]["model"] == "linear");
}
#endif
