#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <string>

#include "io/safetensors.hpp"
#include "ml/nn/checkpoint.hpp"
#include "ml/nn/layers.hpp"
#include "ml/nn/losses.hpp"

using ll::SafetensorsError;
using namespace ll::nn;

namespace {

// A file from a literal header and raw tensor bytes, for malformed cases.
std::vector<uint8_t> raw_file(const std::string& header, const std::vector<uint8_t>& data, uint64_t length_field) {
  std::string text;
  for (int i = 0; i < 8; ++i) text += char(uint8_t(length_field >> (8 * i)));
  text += header;
  text.append(data.begin(), data.end());
  return std::vector<uint8_t>(text.begin(), text.end());
}
std::vector<uint8_t> raw_file(const std::string& header, const std::vector<uint8_t>& data) {
  return raw_file(header, data, header.size());
}

SafetensorsError parse_error(const std::vector<uint8_t>& bytes) {
  ll::SafetensorsView view;
  const ll::SafetensorsStatus s = ll::parse_safetensors(bytes.data(), bytes.size(), view);
  INFO(s.message);
  CHECK(s.ok() == s.message.empty());
  return s.error;
}

// A tiny model: dense 3 → 4 → 2, with tanh between.
struct TinyModel {
  ParamStore store;
  Dense fc1, fc2;
  explicit TinyModel(int hidden = 4) {
    fc1 = make_dense(store, "fc1", 3, hidden);
    fc2 = make_dense(store, "fc2", hidden, 2);
  }
  Mat forward(const Mat& x) {
    Mat h1, a1, y;
    dense_forward(store, fc1, x, h1);
    activation_forward(Activation::Tanh, h1, a1);
    dense_forward(store, fc2, a1, y);
    return y;
  }
  void train_step(Optimizer& opt, const Mat& x, const Mat& target) {
    Mat h1, a1, y, dy, da1, dh1;
    zero_grads(store);
    dense_forward(store, fc1, x, h1);
    activation_forward(Activation::Tanh, h1, a1);
    dense_forward(store, fc2, a1, y);
    mse_loss(y, target, &dy);
    dense_backward(store, fc2, a1, dy, &da1);
    activation_backward(Activation::Tanh, h1, da1, dh1);
    dense_backward(store, fc1, x, dh1, nullptr);
    apply_optimizer(store, opt);
  }
};

Mat example_input() {
  Mat x(2, 3);
  x << 0.1f, -0.4f, 0.9f, 1.5f, 0.2f, -0.7f;
  return x;
}
Mat example_target() {
  Mat t(2, 2);
  t << 1, 0, -1, 0.5f;
  return t;
}

ll::OptimizerConfig adam_config() {
  ll::OptimizerConfig c;
  c.kind = ll::OptimizerKind::Adam;
  c.lr = 0.01;
  c.weight_decay = 0.01;
  return c;
}

const ModelInfo kInfo{"tiny-mlp", {{"hidden", "4"}, {"activation", "tanh"}}};

}  // namespace

TEST_CASE("safetensors: golden bytes of a tiny file", "[nn]") {
  const float values[2] = {1.0f, -2.0f};
  const std::vector<uint8_t> bytes = ll::encode_safetensors({{"a", {2}, values}}, {{"k", "v"}});
  const std::string header = R"({"__metadata__":{"k":"v"},"a":{"data_offsets":[0,8],"dtype":"F32","shape":[2]}} )";
  // Header length 80, little-endian; then the header; then 1.0f and -2.0f, little-endian.
  const std::vector<uint8_t> expected = raw_file(header, {0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0});
  CHECK(std::vector<uint8_t>(expected.begin(), expected.begin() + 8) == std::vector<uint8_t>{0x50, 0, 0, 0, 0, 0, 0, 0});
  CHECK(bytes == expected);

  ll::SafetensorsView view;
  REQUIRE(ll::parse_safetensors(bytes.data(), bytes.size(), view).ok());
  CHECK(view.metadata.at("k") == "v");
  REQUIRE(view.tensors.size() == 1);
  float back[2] = {0, 0};
  REQUIRE(ll::read_f32_tensor(view, "a", {2}, back).ok());
  CHECK(back[0] == 1.0f);
  CHECK(back[1] == -2.0f);
  CHECK(ll::read_f32_tensor(view, "a", {1, 2}, back).error == SafetensorsError::WrongShape);
  CHECK(ll::read_f32_tensor(view, "b", {2}, back).error == SafetensorsError::MissingTensor);
}

TEST_CASE("safetensors: every malformed file gets its error", "[nn]") {
  const std::vector<uint8_t> eight(8, 0);
  const std::string good = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  CHECK(parse_error(raw_file(good, eight)) == SafetensorsError::None);
  CHECK(parse_error({1, 2, 3, 4, 5}) == SafetensorsError::Truncated);
  CHECK(parse_error(raw_file(good, {0, 0, 0})) == SafetensorsError::Truncated);
  CHECK(parse_error(raw_file(good, eight, 5000)) == SafetensorsError::HeaderPastEnd);
  CHECK(parse_error(raw_file(good, eight, ~uint64_t(0))) == SafetensorsError::HeaderPastEnd);
  CHECK(parse_error(raw_file("{not json", eight)) == SafetensorsError::HeaderNotJson);
  CHECK(parse_error(raw_file("[1, 2]", eight)) == SafetensorsError::HeaderNotJson);
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                             std::vector<uint8_t>(12, 0))) == SafetensorsError::OffsetsOverlap);
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", eight)) ==
        SafetensorsError::OffsetsOutOfRange);
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", eight)) ==
        SafetensorsError::OffsetsOutOfRange);  // 8 bytes cannot hold 3 floats
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[4000,4008]}})", eight)) ==
        SafetensorsError::OffsetsOutOfRange);
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", eight)) ==
        SafetensorsError::BadEntry);
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[2]}})", eight)) == SafetensorsError::BadEntry);
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}})", eight)) ==
        SafetensorsError::BadEntry);
  CHECK(parse_error(raw_file(R"({"__metadata__":{"n":3}})", {})) == SafetensorsError::BadEntry);
  CHECK(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,8]}})",
                             eight)) == SafetensorsError::OffsetsOutOfRange);

  // A model-level check: a tensor is I32 where the model needs F32.
  TinyModel model;
  std::vector<uint8_t> wrong = save_checkpoint(model.store, kInfo, nullptr);
  std::string text(wrong.begin(), wrong.end());
  const size_t at = text.find(R"("fc2.bias":{"data_offsets":[)");
  REQUIRE(at != std::string::npos);
  const size_t dtype_at = text.find(R"("dtype":"F32")", at);
  REQUIRE(dtype_at != std::string::npos);
  // Same byte count ("I32" is also 4 bytes per element), so only the dtype is wrong.
  wrong[dtype_at + 9] = 'I';
  const ll::SafetensorsStatus s = load_checkpoint(wrong.data(), wrong.size(), "tiny-mlp", model.store, nullptr);
  CHECK(s.error == SafetensorsError::WrongDtype);
  CHECK(s.message == "tensor 'fc2.bias' is I32, expected F32");
}

TEST_CASE("safetensors: truncations and corruptions never crash", "[nn]") {
  TinyModel model;
  ll::Rng rng(3);
  init_params(model.store, rng);
  const std::vector<uint8_t> bytes = save_checkpoint(model.store, kInfo, nullptr);
  for (size_t n = 0; n < bytes.size(); ++n) {  // every strict prefix is an error
    ll::SafetensorsView view;
    INFO("prefix of " << n << " bytes");
    CHECK_FALSE(ll::parse_safetensors(bytes.data(), n, view).ok());
  }
  int loaded = 0;
  for (int trial = 0; trial < 300; ++trial) {  // random byte changes: an error or a clean load
    std::vector<uint8_t> bad = bytes;
    bad[rng.below(uint32_t(bad.size()))] = uint8_t(rng.below(256));
    TinyModel target;
    const ParamStore before = target.store;
    const ll::SafetensorsStatus s = load_checkpoint(bad.data(), bad.size(), "tiny-mlp", target.store, nullptr);
    if (s.ok()) ++loaded;
    else CHECK(target.store.values == before.values);  // a failed load changes nothing
  }
  CHECK(loaded < 300);
}

TEST_CASE("checkpoint: save, load, identical outputs, and training resumes exactly", "[nn]") {
  ll::Rng rng(17);
  TinyModel model;
  init_params(model.store, rng);
  Optimizer opt = make_optimizer(model.store, adam_config());
  opt.clip_norm = 5;
  opt.schedule.kind = ll::LrScheduleKind::Cosine;
  opt.schedule.total_steps = 50;
  const Mat x = example_input(), t = example_target();
  for (int i = 0; i < 5; ++i) model.train_step(opt, x, t);
  const std::vector<uint8_t> bytes = save_checkpoint(model.store, kInfo, &opt);

  TinyModel copy;
  ll::Rng other(99);
  init_params(copy.store, other);
  Optimizer copy_opt = make_optimizer(copy.store, ll::OptimizerConfig{});  // settings come from the file
  LoadedCheckpoint loaded;
  const ll::SafetensorsStatus s = load_checkpoint(bytes.data(), bytes.size(), "tiny-mlp", copy.store, &copy_opt, &loaded);
  REQUIRE(s.ok());
  CHECK(loaded.has_optimizer_state);
  CHECK(loaded.info.hyperparameters.at("hidden") == "4");
  CHECK(copy.forward(x) == model.forward(x));  // bit for bit
  CHECK(copy_opt.step == 5);
  CHECK(copy_opt.config.kind == ll::OptimizerKind::Adam);
  CHECK(copy_opt.schedule.total_steps == 50);
  for (int i = 0; i < 3; ++i) {
    model.train_step(opt, x, t);
    copy.train_step(copy_opt, x, t);
  }
  CHECK(copy.store.values == model.store.values);
  CHECK(copy_opt.m == opt.m);

  const std::string path = "latentlab_test_checkpoint.safetensors";
  REQUIRE(save_checkpoint_file(path, model.store, kInfo, &opt).ok());
  TinyModel from_file;
  REQUIRE(load_checkpoint_file(path, "tiny-mlp", from_file.store, nullptr).ok());
  std::remove(path.c_str());
  CHECK(from_file.forward(x) == model.forward(x));
  CHECK(load_checkpoint_file(path, "tiny-mlp", from_file.store, nullptr).error == SafetensorsError::Io);
}

TEST_CASE("checkpoint: wrong shape, missing tensor, version and architecture mismatches", "[nn]") {
  TinyModel model;
  ll::Rng rng(5);
  init_params(model.store, rng);
  const std::vector<uint8_t> bytes = save_checkpoint(model.store, kInfo, nullptr);

  TinyModel wider(5);
  ll::SafetensorsStatus s = load_checkpoint(bytes.data(), bytes.size(), "tiny-mlp", wider.store, nullptr);
  CHECK(s.error == SafetensorsError::WrongShape);
  CHECK(s.message == "tensor 'fc1.weight' has shape [4, 3], the model needs [5, 3]");

  ParamStore extra = model.store;
  add_param(extra, "fc3.bias", {2}, {});
  CHECK(load_checkpoint(bytes.data(), bytes.size(), "tiny-mlp", extra, nullptr).error == SafetensorsError::MissingTensor);

  s = load_checkpoint(bytes.data(), bytes.size(), "vae", model.store, nullptr);
  CHECK(s.error == SafetensorsError::ArchitectureMismatch);
  CHECK(s.message == "checkpoint is for 'tiny-mlp', the model is 'vae'");

  std::string text(bytes.begin(), bytes.end());
  const size_t at = text.find(R"("format_version":"1")");
  REQUIRE(at != std::string::npos);
  std::vector<uint8_t> newer = bytes;
  newer[at + 18] = '2';
  s = load_checkpoint(newer.data(), newer.size(), "tiny-mlp", model.store, nullptr);
  CHECK(s.error == SafetensorsError::VersionMismatch);
  CHECK(s.message == "checkpoint format version '2', this build reads version 1");

  const float one = 1.0f;
  const std::vector<uint8_t> plain = ll::encode_safetensors({{"fc1.weight", {1}, &one}}, {});
  CHECK(load_checkpoint(plain.data(), plain.size(), "tiny-mlp", model.store, nullptr).error ==
        SafetensorsError::VersionMismatch);

  Optimizer opt = make_optimizer(model.store, adam_config());
  opt.step = 9;
  REQUIRE(load_checkpoint(bytes.data(), bytes.size(), "tiny-mlp", model.store, &opt).ok());
  CHECK(opt.step == 0);  // weights-only file: fresh optimizer state
}

TEST_CASE("checkpoint: a seeded model's file is byte-identical on every target", "[nn]") {
  // A native checkpoint loads in the browser build unchanged: the FNV-1a hash of the file
  // bytes is pinned from the native build and must match in WASM.
  ll::Rng rng(71);
  TinyModel model;
  init_params(model.store, rng);
  Optimizer opt = make_optimizer(model.store, adam_config());
  const std::vector<uint8_t> bytes = save_checkpoint(model.store, kInfo, &opt);
  uint64_t hash = 1469598103934665603ull;
  for (uint8_t b : bytes) hash = (hash ^ b) * 1099511628211ull;
  CHECK(bytes.size() == 1608);
  CHECK(hash == 1981772344233234581ull);
}

TEST_CASE("checkpoint: a two-part model with optimizers and EMA round-trips", "[nn]") {
  ll::Rng rng(71);
  ParamStore g, d;
  const Dense g_layer = make_dense(g, "fc", 3, 4);
  const Dense d_layer = make_dense(d, "fc", 4, 1);  // same view names: the part prefixes keep them apart
  init_params(g, rng);
  init_params(d, rng);
  Optimizer g_opt = make_optimizer(g, adam_config()), d_opt = make_optimizer(d, adam_config());
  for (float& x : g.grads) x = 0.5f;
  for (float& x : d.grads) x = -0.25f;
  apply_optimizer(g, g_opt);
  apply_optimizer(d, d_opt);
  apply_optimizer(d, d_opt);
  WeightEma ema = make_weight_ema(g, 0.9);
  for (float& x : g.values) x += 1.0f;
  update_weight_ema(ema, g);
  ModelInfo info{"two-part-test", {}};
  const std::vector<uint8_t> bytes =
      save_checkpoint_parts({{"generator", &g, &g_opt, &ema.values}, {"discriminator", &d, &d_opt, nullptr}}, info);

  ParamStore g2, d2;
  make_dense(g2, "fc", 3, 4);
  make_dense(d2, "fc", 4, 1);
  Optimizer g2_opt = make_optimizer(g2, adam_config()), d2_opt = make_optimizer(d2, adam_config());
  std::vector<float> ema2, d_ema;
  LoadedCheckpoint loaded;
  REQUIRE(load_checkpoint_parts(bytes.data(), bytes.size(), "two-part-test",
                                {{"generator", &g2, &g2_opt, &ema2}, {"discriminator", &d2, &d2_opt, &d_ema}}, &loaded)
              .ok());
  CHECK(loaded.has_optimizer_state);
  CHECK(g2.values == g.values);
  CHECK(d2.values == d.values);
  CHECK(g2_opt.step == 1);
  CHECK(d2_opt.step == 2);
  CHECK(g2_opt.m == g_opt.m);
  CHECK(d2_opt.v == d_opt.v);
  CHECK(ema2 == ema.values);
  CHECK(d_ema == d.values);  // no EMA in the file for this part: it starts from the weights
  CHECK(g_layer.out == d_layer.in);

  // A part the file does not have is a clear error, and nothing is changed.
  ParamStore other;
  make_dense(other, "fc", 3, 4);
  const std::vector<float> before = other.values;
  const ll::SafetensorsStatus missing =
      load_checkpoint_parts(bytes.data(), bytes.size(), "two-part-test", {{"critic", &other, nullptr, nullptr}});
  CHECK(missing.error == SafetensorsError::MissingTensor);
  CHECK(missing.message.find("critic/fc.weight") != std::string::npos);
  CHECK(other.values == before);
}
