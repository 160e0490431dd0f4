#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "imgui.h"
#include "io/mnist.hpp"
#include "lessons/app.hpp"
#include "io/npy.hpp"
#include "ml/vae.hpp"
#include "nn_gradcheck.hpp"

namespace {

using ll::vae::Mat;

void fill_param(ll::vae::Vae& vae, const std::string& name, std::vector<float> values) {
  const ll::nn::ParamId id = ll::nn::find_param(vae.store, name);
  REQUIRE(id >= 0);
  const ll::nn::ParamView& view = vae.store.views[size_t(id)];
  // A copy first: assign(n, values[0]) would read the element it frees (libc++ reallocates first).
  if (values.size() == 1) values = std::vector<float>(view.size, values[0]);
  REQUIRE(values.size() == view.size);
  std::memcpy(ll::nn::param_data(vae.store, id), values.data(), values.size() * sizeof(float));
}

// Synthetic "digits": each image is one of four bar patterns (rows or columns of a 28×28
// frame) with grey levels and pixel noise, so a VAE has structure to learn without the asset.
std::vector<float> synthetic_images(int count, uint64_t seed) {
  ll::Rng rng(seed);
  std::vector<float> images(size_t(count) * ll::vae::kPixels);
  for (int i = 0; i < count; ++i) {
    const int pattern = int(rng.below(4));
    for (int r = 0; r < 28; ++r)
      for (int c = 0; c < 28; ++c) {
        const bool on = pattern == 0 ? (r >= 10 && r < 16) : pattern == 1 ? (c >= 10 && c < 16)
                        : pattern == 2 ? (r == c || r == c + 1) : (r + c == 27 || r + c == 28);
        const float v = on ? float(0.7 + 0.3 * rng.uniform()) : float(0.05 * rng.uniform());
        images[size_t(i) * ll::vae::kPixels + size_t(r * 28 + c)] = v;
      }
  }
  return images;
}

bool same_values(const ll::nn::ParamStore& a, const ll::nn::ParamStore& b) {
  return a.values.size() == b.values.size() &&
         std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("vae: loss terms of a tiny network with set weights match a hand computation", "[vae]") {
  // latent 2, hidden 1. Encoder weights 0, so [μ | log σ²] = its output bias = [0.5, −1 | 0, log 4].
  // Decoder: h = relu(z₀) (weight [1, 0]), logits = 1·h − 0.5 for every pixel.
  ll::vae::Vae vae = ll::vae::make_vae({2, 1}, 1);
  fill_param(vae, "encoder.0.weight", {0.0f});
  fill_param(vae, "encoder.0.bias", {0.0f});
  fill_param(vae, "encoder.1.weight", {0.0f});
  fill_param(vae, "encoder.1.bias", {0.5f, -1.0f, 0.0f, float(std::log(4.0))});
  fill_param(vae, "decoder.0.weight", {1.0f, 0.0f});
  fill_param(vae, "decoder.0.bias", {0.0f});
  fill_param(vae, "decoder.1.weight", {1.0f});
  fill_param(vae, "decoder.1.bias", {-0.5f});

  ll::vae::VaeBatch batch;
  batch.x = Mat::Constant(1, ll::vae::kPixels, 0.25f);
  batch.eps.resize(1, 2);
  batch.eps << 1.0f, 0.5f;  // z = μ + σε = (0.5 + 1·1, −1 + 2·0.5) = (1.5, 0)
  const ll::vae::VaeLoss loss = ll::vae::vae_loss(vae, batch, 0.5, false);

  CHECK(batch.z(0, 0) == Approx(1.5f));
  CHECK(batch.z(0, 1) == Approx(0.0f).margin(1e-6));
  CHECK(batch.logits(0, 0) == Approx(1.0f));  // 1.5 − 0.5
  // BCE(logit 1, target 0.25) = log(1 + e) − 0.25 per pixel, summed over 784 pixels.
  const double reconstruction = 784 * (std::log1p(std::exp(1.0)) - 0.25);
  // KL = ½ Σ (μ² + σ² − 1 − log σ²) = ½(0.25 + 1 − 1 − 0) + ½(1 + 4 − 1 − log 4).
  const double kl = 0.5 * 0.25 + 0.5 * (4.0 - std::log(4.0));
  CHECK(loss.reconstruction == Approx(reconstruction).epsilon(1e-5));
  CHECK(loss.kl == Approx(kl).epsilon(1e-6));
  CHECK(loss.total == Approx(reconstruction + 0.5 * kl).epsilon(1e-5));
}

TEST_CASE("vae: gradient of reconstruction + β·KL matches central differences", "[vae]") {
  ll::vae::Vae vae = ll::vae::make_vae({2, 8}, 3);
  ll::Rng rng(11);
  ll::vae::VaeBatch batch;
  batch.x = ll::nn::test::random_mat(rng, 3, ll::vae::kPixels, 0.0f, 1.0f);
  ll::vae::draw_eps(rng, 3, 2, batch.eps);  // fixed ε: the loss is a plain function of θ
  const double beta = 0.7;
  ll::nn::zero_grads(vae.store);
  ll::vae::vae_loss(vae, batch, beta, true);
  const std::vector<float> analytic = vae.store.grads;

  auto loss = [&] { return ll::vae::vae_loss(vae, batch, beta, false).total; };
  for (const char* name : {"encoder.0.weight", "encoder.1.weight", "encoder.1.bias", "decoder.0.weight",
                           "decoder.0.bias", "decoder.1.bias"}) {
    const ll::nn::ParamId id = ll::nn::find_param(vae.store, name);
    REQUIRE(id >= 0);
    const ll::nn::ParamView& view = vae.store.views[size_t(id)];
    // A few entries: the first 24 (encoder.0.weight's hit pixels of the first hidden units).
    const size_t n = std::min<size_t>(view.size, 24);
    INFO(name);
    CHECK(ll::nn::test::gradient_relative_error(vae.store.values.data() + view.offset,
                                                analytic.data() + view.offset, n, loss, 1e-2f) < 2e-3);
  }
}

TEST_CASE("vae: save then load gives identical outputs, and training resumes exactly", "[vae]") {
  const std::vector<float> images = synthetic_images(40, 5);
  ll::vae::VaeTrainConfig settings;
  settings.batch_size = 10;
  settings.epochs = 4;
  settings.seed = 9;
  const ll::vae::VaeConfig config{2, 16};

  ll::vae::VaeTrainer straight = ll::vae::make_vae_trainer(config, settings, 40);
  for (int s = 0; s < 8; ++s) REQUIRE(ll::vae::vae_train_step(straight, images.data()));

  ll::vae::VaeTrainer first = ll::vae::make_vae_trainer(config, settings, 40);
  for (int s = 0; s < 4; ++s) REQUIRE(ll::vae::vae_train_step(first, images.data()));
  REQUIRE(first.epoch == 1);
  const std::vector<uint8_t> bytes = ll::vae::save_vae(first, true);
  ll::vae::LoadedVae loaded;
  const ll::SafetensorsStatus status = ll::vae::load_vae(bytes.data(), bytes.size(), &config, 40, loaded);
  REQUIRE(status.ok());
  CHECK(loaded.has_optimizer_state);
  CHECK(loaded.trainer.epoch == 1);
  CHECK(loaded.trainer.step == 4);
  CHECK(same_values(loaded.trainer.model.store, first.model.store));

  const ll::vae::VaeLoss a = ll::vae::vae_evaluate(first.model, images.data(), 40);
  const ll::vae::VaeLoss b = ll::vae::vae_evaluate(loaded.trainer.model, images.data(), 40);
  CHECK(a.reconstruction == b.reconstruction);
  CHECK(a.kl == b.kl);

  for (int s = 0; s < 4; ++s) REQUIRE(ll::vae::vae_train_step(loaded.trainer, images.data()));
  CHECK(same_values(loaded.trainer.model.store, straight.model.store));
}

TEST_CASE("vae: another latent size, another model or a corrupt file is refused and loses nothing", "[vae]") {
  const std::vector<float> images = synthetic_images(10, 2);
  ll::vae::VaeTrainConfig settings;
  settings.batch_size = 5;
  const ll::vae::VaeTrainer latent2 = ll::vae::make_vae_trainer({2, 16}, settings, 10);
  const std::vector<uint8_t> bytes = ll::vae::save_vae(latent2, false);

  ll::vae::LoadedVae target;
  target.trainer.step = 123;  // a model the user has: must survive every failed load
  const ll::vae::VaeConfig latent16{16, 16};
  ll::SafetensorsStatus s = ll::vae::load_vae(bytes.data(), bytes.size(), &latent16, 10, target);
  CHECK(s.error == ll::SafetensorsError::ArchitectureMismatch);
  CHECK(s.message.find("latent 2") != std::string::npos);
  CHECK(s.message.find("latent 16") != std::string::npos);

  ll::nn::ParamStore other;
  ll::nn::make_dense(other, "fc", 3, 2);
  const std::vector<uint8_t> mlp = ll::nn::save_checkpoint(other, {"mlp-3-2", {}}, nullptr);
  s = ll::vae::load_vae(mlp.data(), mlp.size(), nullptr, 10, target);
  CHECK(s.error == ll::SafetensorsError::ArchitectureMismatch);
  CHECK(s.message.find("not a VAE") != std::string::npos);

  std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + long(bytes.size() / 2));
  s = ll::vae::load_vae(cut.data(), cut.size(), nullptr, 10, target);
  CHECK_FALSE(s.ok());
  CHECK_FALSE(s.message.empty());
  CHECK(target.trainer.step == 123);

  // Without an expected size the file's own architecture is used.
  REQUIRE(ll::vae::load_vae(bytes.data(), bytes.size(), nullptr, 10, target).ok());
  CHECK(target.trainer.model.config.latent == 2);
  CHECK_FALSE(target.has_optimizer_state);
  CHECK(same_values(target.trainer.model.store, latent2.model.store));
}

TEST_CASE("vae: a two-layer model has its own architecture, round-trips and is refused as a one-layer one", "[vae]") {
  const std::vector<float> images = synthetic_images(20, 4);
  ll::vae::VaeTrainConfig settings;
  settings.batch_size = 10;
  const ll::vae::VaeConfig deep{2, 8, 2};
  CHECK(ll::vae::vae_architecture(deep) == "vae-784-8x2-2");
  CHECK(ll::vae::vae_architecture({2, 8, 1}) == "vae-784-8-2");
  CHECK_FALSE(ll::vae::validate_vae_config({2, 8, 3}).empty());
  ll::vae::VaeTrainer trainer = ll::vae::make_vae_trainer(deep, settings, 20);
  CHECK(trainer.model.encoder.layers.size() == 3);  // 784 → 8 → 8 → 4
  CHECK(trainer.model.decoder.layers.size() == 3);  // 2 → 8 → 8 → 784
  for (int s = 0; s < 3; ++s) REQUIRE(ll::vae::vae_train_step(trainer, images.data()));
  const std::vector<uint8_t> bytes = ll::vae::save_vae(trainer, true);

  ll::vae::LoadedVae loaded;
  const ll::vae::VaeConfig shallow{2, 8, 1};
  const ll::SafetensorsStatus refused = ll::vae::load_vae(bytes.data(), bytes.size(), &shallow, 20, loaded);
  CHECK(refused.error == ll::SafetensorsError::ArchitectureMismatch);
  CHECK(refused.message.find("depth 2") != std::string::npos);
  REQUIRE(ll::vae::load_vae(bytes.data(), bytes.size(), nullptr, 20, loaded).ok());
  CHECK(loaded.trainer.model.config.depth == 2);
  CHECK(loaded.trainer.step == 3);
  CHECK(same_values(loaded.trainer.model.store, trainer.model.store));
  const ll::vae::VaeLoss a = ll::vae::vae_evaluate(trainer.model, images.data(), 20);
  const ll::vae::VaeLoss b = ll::vae::vae_evaluate(loaded.trainer.model, images.data(), 20);
  CHECK(a.total == b.total);
}

TEST_CASE("vae: a short training run lowers the held-out loss", "[vae]") {
  std::vector<float> train, heldout;
  int train_count = 400, heldout_count = 200;
  std::string source = "synthetic bars";
#ifdef LATENTLAB_MNIST_ASSET
  ll::MnistData data;
  if (ll::load_mnist_file(LATENTLAB_MNIST_ASSET, data).ok()) {
    train.assign(data.train.images.begin(), data.train.images.begin() + long(train_count) * ll::vae::kPixels);
    heldout.assign(data.heldout.images.begin(), data.heldout.images.begin() + long(heldout_count) * ll::vae::kPixels);
    source = "MNIST";
  }
#endif
  if (train.empty()) {
    train = synthetic_images(train_count, 21);
    heldout = synthetic_images(heldout_count, 22);
  }
  INFO(source);
  ll::vae::VaeTrainConfig settings;
  settings.batch_size = 50;
  settings.lr = 2e-3;
  ll::vae::VaeTrainer t = ll::vae::make_vae_trainer({2, 64}, settings, train_count);
  const ll::vae::VaeLoss before = ll::vae::vae_evaluate(t.model, heldout.data(), heldout_count);
  while (t.epoch < 4) REQUIRE(ll::vae::vae_train_step(t, train.data()));
  const ll::vae::VaeLoss after = ll::vae::vae_evaluate(t.model, heldout.data(), heldout_count);
  CHECK(t.step == 4 * 8);
  CHECK(after.total < 0.75 * before.total);
  CHECK(after.kl > 0);
  CHECK(std::isfinite(after.total));
}

TEST_CASE("vae: a diverging learning rate is caught and the last good model kept", "[vae]") {
  const std::vector<float> images = synthetic_images(40, 3);
  ll::vae::VaeTrainConfig settings;
  settings.batch_size = 10;
  ll::vae::VaeTrainer t = ll::vae::make_vae_trainer({2, 16}, settings, 40);
  std::vector<float> kept = t.model.store.values;  // the guard keeps the model every 10 updates
  REQUIRE(ll::vae::vae_train_step(t, images.data()));
  ll::vae::set_learning_rate(t, 1e6);
  bool caught = false;
  for (int s = 0; s < 50 && !caught; ++s) {
    caught = !ll::vae::vae_train_step(t, images.data());
    if (!caught && t.step % 10 == 0) kept = t.model.store.values;
  }
  REQUIRE(caught);
  CHECK(t.error.find("put back") != std::string::npos);  // and names what was not finite
  CHECK(t.model.store.values == kept);
  CHECK(std::all_of(t.model.store.values.begin(), t.model.store.values.end(), [](float v) { return std::isfinite(v); }));
}

TEST_CASE("vae: samples are probabilities and interpolation runs between the two codes", "[vae]") {
  ll::vae::Vae vae = ll::vae::make_vae({16, 32}, 4);
  ll::Rng rng(6);
  Mat pixels;
  ll::vae::vae_sample(vae, rng, 5, pixels);
  REQUIRE(pixels.rows() == 5);
  REQUIRE(pixels.cols() == ll::vae::kPixels);
  CHECK(pixels.minCoeff() >= 0.0f);
  CHECK(pixels.maxCoeff() <= 1.0f);

  const std::vector<float> images = synthetic_images(2, 8);
  Mat z, mu, logvar;
  ll::vae::vae_interpolate(vae, images.data(), images.data() + ll::vae::kPixels, 5, z);
  ll::vae::vae_encode(vae, images.data(), 2, mu, logvar);
  REQUIRE(z.rows() == 5);
  CHECK((z.row(0) - mu.row(0)).norm() < 1e-6f);
  CHECK((z.row(4) - mu.row(1)).norm() < 1e-6f);
  CHECK((z.row(2) - 0.5f * (mu.row(0) + mu.row(1))).norm() < 1e-5f);
}

TEST_CASE("npy: uint8 arrays in NumPy's format 1.0", "[vae]") {
  const std::vector<uint8_t> data = {1, 2, 3, 4, 5, 6};
  const std::vector<uint8_t> bytes = ll::encode_npy_u8(data, {2, 3});
  REQUIRE(bytes.size() == 128 + 6);  // magic + version + length + header = 128 (a multiple of 64), then the data
  CHECK(std::memcmp(bytes.data(), "\x93NUMPY\x01\x00", 8) == 0);
  const size_t header_len = size_t(bytes[8]) | size_t(bytes[9]) << 8;
  CHECK(header_len == 128 - 10);
  const std::string header(bytes.begin() + 10, bytes.begin() + 10 + long(header_len));
  CHECK(header.rfind("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", 0) == 0);
  CHECK(header.back() == '\n');
  CHECK(std::vector<uint8_t>(bytes.end() - 6, bytes.end()) == data);

  const std::vector<uint8_t> one = ll::encode_npy_u8({7}, {1});
  const std::string one_header(one.begin() + 10, one.end() - 1);
  CHECK(one_header.find("'shape': (1,)") != std::string::npos);
  CHECK(one.size() % 64 == 1);
}

TEST_CASE("vae: a minibatch in pieces (frame budgets) gives the same update as in one go", "[vae]") {
  const std::vector<float> images = synthetic_images(30, 12);
  ll::vae::VaeTrainConfig settings;
  settings.batch_size = 15;
  ll::vae::VaeTrainer whole = ll::vae::make_vae_trainer({2, 16}, settings, 30);
  ll::vae::VaeTrainer pieces = ll::vae::make_vae_trainer({2, 16}, settings, 30);
  for (int s = 0; s < 3; ++s) REQUIRE(ll::vae::vae_train_step(whole, images.data()));
  int calls = 0;
  while (pieces.step < 3) {
    REQUIRE(ll::vae::vae_train_rows(pieces, images.data(), 4) != ll::vae::TrainProgress::NotFinite);
    ++calls;
  }
  CHECK(calls == 3 * 4);  // 15 rows in pieces of 4, 4, 4, 3
  CHECK(pieces.last.total == Approx(whole.last.total).epsilon(1e-5));
  double max_diff = 0;
  for (size_t i = 0; i < whole.model.store.values.size(); ++i)
    max_diff = std::max(max_diff, double(std::fabs(whole.model.store.values[i] - pieces.model.store.values[i])));
  CHECK(max_diff < 1e-4);
  CHECK(pieces.model.store.values != ll::vae::make_vae_trainer({2, 16}, settings, 30).model.store.values);
}

#ifdef LATENTLAB_MNIST_ASSET
namespace {

// Frames without a window until done() holds (the lesson may train on a worker thread). A
// deadline in seconds, not a frame count, so a loaded machine slows the test instead of failing it.
bool frames_until(ll::ui::App& app, const std::function<bool(const nlohmann::json&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    app.rebuild_fonts_if_needed();
    ImGui::NewFrame();
    app.frame();
    ImGui::Render();
    if (done(app.state()["lesson"])) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

}  // namespace

TEST_CASE("vae lesson: trains by steps, switches latent size, refuses a file of another latent size", "[vae]") {
  ImGui::CreateContext();
  ImGui::GetIO().DisplaySize = ImVec2(1600, 1000);
  ImGui::GetIO().DeltaTime = 1.0f / 60;
  ImGui::GetIO().IniFilename = nullptr;
  {
    ll::ui::App app({"native", 1}, ll::ui::make_lessons());
    REQUIRE(app.open("vae"));
    REQUIRE(frames_until(app, [](const nlohmann::json& s) { return s["data"] == "loaded" && s["latent"] == 2; }));
    for (int i = 0; i < 3; ++i) REQUIRE(app.command("train step").ok);
    REQUIRE(frames_until(app, [](const nlohmann::json& s) { return s["step"] == 3; }));
    auto s = app.state()["lesson"];
    REQUIRE(s.contains("loss"));
    CHECK(s["loss"]["total"].get<double>() ==
          Approx(s["loss"]["reconstruction"].get<double>() + s["loss"]["kl"].get<double>()));
    CHECK(s["loss"]["reconstruction"].get<double>() > 0);
    REQUIRE(frames_until(app, [](const nlohmann::json& st) { return st["scatter_points"] == 2000; }));

    CHECK(app.command("vae beta 0.5").ok);
    CHECK_FALSE(app.command("vae beta -1").ok);
    CHECK_FALSE(app.command("vae lr 5").ok);
    CHECK_FALSE(app.command("vae latent 3").ok);
    CHECK_FALSE(app.command("vae input 99999").ok);
    REQUIRE(frames_until(app, [](const nlohmann::json& st) { return st["beta"] == 0.5; }));

    const std::string path = "vae_lesson_test.safetensors";
    CHECK(app.command("vae save " + path).ok);
    REQUIRE(frames_until(app, [&](const nlohmann::json&) {
      std::FILE* f = std::fopen(path.c_str(), "rb");
      if (f) std::fclose(f);
      return f != nullptr;
    }));
    CHECK(app.command("vae latent 16").ok);
    REQUIRE(frames_until(app, [](const nlohmann::json& st) { return st["latent"] == 16 && st["step"] == 0; }));
    CHECK(app.command("vae load " + path).ok);
    REQUIRE(frames_until(app, [](const nlohmann::json& st) {
      return st.contains("message") && st["message"].get<std::string>().find("could not load") != std::string::npos;
    }));
    s = app.state()["lesson"];
    CHECK(s["latent"] == 16);  // the current model is kept
    CHECK(s["message"].get<std::string>().find("latent 2") != std::string::npos);
    CHECK(app.command("vae latent 2").ok);
    CHECK(app.command("vae load " + path).ok);
    REQUIRE(frames_until(app, [](const nlohmann::json& st) { return st["latent"] == 2 && st["step"] == 3; }));
    // A CLI model of the same latent size but another width and depth replaces the lesson's.
    ll::vae::VaeTrainConfig deep_settings;
    const ll::vae::VaeTrainer deep = ll::vae::make_vae_trainer({2, 16, 2}, deep_settings, 10);
    REQUIRE(ll::vae::save_vae_file(path, deep, true).ok());
    CHECK(app.command("vae load " + path).ok);
    REQUIRE(frames_until(app, [](const nlohmann::json& st) { return st["depth"] == 2 && st["hidden"] == 16; }));
    CHECK(app.state()["lesson"]["latent"] == 2);
    std::remove(path.c_str());
  }
  ImGui::DestroyContext();
}
#endif
