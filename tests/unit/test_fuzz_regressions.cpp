// Inputs that crashed a parser, made it allocate gigabytes from a few header bytes, or hit
// undefined behaviour (found by the libFuzzer targets in tests/fuzz and by reading the
// parsers for them), replayed through the same entry points: each must now be refused with a
// message that names the field or the limit. Natively and in WASM (same source).
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/npy.hpp"
#include "io/safetensors.hpp"
#include "ml/gen/dcgan.hpp"
#include "ml/gen/ddpm_mnist.hpp"
#include "ml/nn/checkpoint.hpp"
#include "ml/vae.hpp"
#include "ml/word2vec/formats.hpp"

namespace {

std::vector<uint8_t> from_hex(const char* hex) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (const char* p = hex; p[0] && p[1]; p += 2) out.push_back(uint8_t(nibble(p[0]) << 4 | nibble(p[1])));
  return out;
}

// A safetensors file with one small F32 tensor and the given metadata (a model file whose
// header declares a model its tensors cannot hold).
std::vector<uint8_t> model_file(const std::map<std::string, std::string>& metadata) {
  static const float x[4] = {1, 2, 3, 4};
  return ll::encode_safetensors({{"x", {4}, x}}, metadata);
}

std::string hyper_json(const std::map<std::string, std::string>& h) {
  std::string s = "{";
  for (const auto& [k, v] : h) s += (s.size() > 1 ? "," : "") + ("\"" + k + "\":\"" + v + "\"");
  return s + "}";
}

std::map<std::string, std::string> gan_hyper(const std::string& key, const std::string& value) {
  std::map<std::string, std::string> h = {{"latent", "2"},       {"conditional", "1"}, {"generator_channels", "16"},
                                          {"discriminator_channels", "4"}, {"batch_size", "64"},  {"lr", "0.0002"},
                                          {"beta1", "0.5"},      {"real_target", "0.9"}, {"ema_decay", "0.999"},
                                          {"seed", "1"},         {"step", "0"}};
  h[key] = value;
  return h;
}

std::map<std::string, std::string> ddpm_hyper(const std::string& key, const std::string& value) {
  std::map<std::string, std::string> h = {{"channels", "8"},   {"time_dim", "8"},      {"timesteps", "10"},
                                          {"schedule", "linear"}, {"batch_size", "32"}, {"lr", "0.001"},
                                          {"total_steps", "100"}, {"clip_norm", "1"},   {"ema_decay", "0.999"},
                                          {"seed", "1"},       {"step", "0"},          {"classes", "10"}};
  h[key] = value;
  return h;
}

std::string gan_error(const std::map<std::string, std::string>& hyper) {
  const auto bytes = model_file({{"format", "latentlab-checkpoint"}, {"format_version", "1"},
                                 {"architecture", "dcgan"}, {"hyperparameters", hyper_json(hyper)}});
  ll::gen::GanTrainer t;
  const ll::SafetensorsStatus s = ll::gen::load_gan(bytes.data(), bytes.size(), t);
  CHECK_FALSE(s.ok());
  return s.message;
}

std::string ddpm_error(const std::map<std::string, std::string>& hyper) {
  const auto bytes = model_file({{"format", "latentlab-checkpoint"}, {"format_version", "1"},
                                 {"architecture", "unet"}, {"hyperparameters", hyper_json(hyper)}});
  ll::gen::DdpmTrainer t;
  const ll::SafetensorsStatus s = ll::gen::load_ddpm(bytes.data(), bytes.size(), t);
  CHECK_FALSE(s.ok());
  return s.message;
}

}  // namespace

TEST_CASE("fuzz regressions: word2vec headers that promise more than the file holds", "[fuzz]") {
  ll::w2v::WordVectors out = ll::w2v::make_word_vectors({"keep"}, 1, {1});
  // "100000000 100000": 10^13 floats reserved from 17 bytes before.
  const std::string text_error = ll::w2v::read_word2vec_text("100000000 100000\na 1\n", out);
  CHECK_THAT(text_error, Catch::Contains("header says 100000000 words") || Catch::Contains("values, the header says 100000"));
  const std::string bin_error = ll::w2v::read_word2vec_binary("100000000 100000\nab \x01\x02\x03", out);
  CHECK_THAT(bin_error, Catch::Contains("truncated binary") && Catch::Contains("of 100000000"));
  CHECK_THAT(ll::w2v::read_word2vec_binary("99999999 99999\n", out), Catch::Contains("truncated binary"));
  // Over the documented limits: named.
  CHECK_THAT(ll::w2v::read_word2vec_text("100000001 3\n", out), Catch::Contains("1 to 100000000"));
  CHECK_THAT(ll::w2v::read_word2vec_binary("3 100001\n", out), Catch::Contains("1 to 100000"));
  CHECK(out.words == std::vector<std::string>{"keep"});
}

TEST_CASE("fuzz regressions: an Embedding Projector vectors.tsv row of only tabs", "[fuzz]") {
  // fuzz_projector_tsv: a vectors.tsv of one tab made a 0-dimensional table, and the
  // LL_CHECK in make_word_vectors aborted the process.
  const std::vector<uint8_t> crash = from_hex("09002d3100352d31");  // "\t" NUL "-1" NUL "5-1"
  const std::string all(crash.begin(), crash.end());
  ll::w2v::WordVectors out = ll::w2v::make_word_vectors({"keep"}, 1, {1});
  const std::string error = ll::w2v::read_projector_tsv(all.substr(0, 1), all.substr(2), out);
  CHECK_THAT(error, Catch::Contains("vectors.tsv line 1") && Catch::Contains("no values"));
  CHECK_THAT(ll::w2v::read_projector_tsv("1\t\t2\n\t\n", "a\nb\n", out), Catch::Contains("line 2"));
  CHECK(out.words == std::vector<std::string>{"keep"});
}

TEST_CASE("fuzz regressions: .npy shapes whose element count overflows or exceeds the data", "[fuzz]") {
  std::vector<uint8_t> data;
  std::vector<int64_t> shape;
  auto npy = [](const std::string& header_dict, size_t version) {
    std::string header = header_dict;
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::vector<uint8_t> b = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(version), 0};
    b.push_back(uint8_t(header.size()));
    b.push_back(uint8_t(header.size() >> 8));
    if (version == 2) b.push_back(0), b.push_back(0);
    b.insert(b.end(), header.begin(), header.end());
    return b;
  };
  // 2^62 · 4 wraps int64 (undefined behaviour) to 0 elements, which matched the empty data.
  const auto wrap = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 1);
  CHECK_THAT(ll::decode_npy_u8(wrap.data(), wrap.size(), data, shape), Catch::Contains("declares more elements"));
  const auto big = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1000000, 1000000), }", 1);
  CHECK_THAT(ll::decode_npy_u8(big.data(), big.size(), data, shape), Catch::Contains("declares more elements"));
  // A version 2 header length of 0xffffffff: wrapped a 32-bit size_t (WASM) past the check.
  const auto v2 = from_hex("934e554d50590200ffffffff7b7d");
  CHECK_THAT(ll::decode_npy_u8(v2.data(), v2.size(), data, shape), Catch::Contains("header length 4294967295"));
  const auto cut = from_hex("934e554d5059020000ff00");  // version 2 cut inside its 4-byte length
  CHECK_THAT(ll::decode_npy_u8(cut.data(), cut.size(), data, shape), Catch::Contains("truncated"));
}

TEST_CASE("fuzz regressions: safetensors header length and offsets past any buffer", "[fuzz]") {
  ll::SafetensorsView view;
  std::vector<uint8_t> huge = from_hex("0000000001000000");  // 2^32 + ... header length: over the 100 MB limit
  huge.resize(64, ' ');
  const ll::SafetensorsStatus s = ll::parse_safetensors(huge.data(), huge.size(), view);
  CHECK_FALSE(s.ok());
  CHECK_THAT(s.message, Catch::Contains("over the limit of 100000000"));
  // Offsets beyond 2^32 that a 32-bit size_t (WASM) wrapped onto the file's first bytes.
  const std::string header = R"({"x":{"dtype":"U8","shape":[4],"data_offsets":[4294967296,4294967300]}})";
  std::vector<uint8_t> file(8);
  for (int i = 0; i < 8; ++i) file[size_t(i)] = uint8_t(uint64_t(header.size()) >> (8 * i));
  file.insert(file.end(), header.begin(), header.end());
  file.insert(file.end(), 8, 0);
  const ll::SafetensorsStatus o = ll::parse_safetensors(file.data(), file.size(), view);
  CHECK(o.error == ll::SafetensorsError::OffsetsOutOfRange);
  CHECK_THAT(o.message, Catch::Contains("out of range") || Catch::Contains("past any buffer"));
}

TEST_CASE("fuzz regressions: GAN files with absurd or oversized hyperparameters", "[fuzz]") {
  // Before: int(1e300) (undefined behaviour), or a 1024 × 1024-channel generator (gigabytes
  // of weights, Adam state and EMA) allocated for a file of a few hundred bytes.
  CHECK_THAT(gan_error(gan_hyper("latent", "1e300")), Catch::Contains("'latent'") && Catch::Contains("1 to 1024"));
  CHECK_THAT(gan_error(gan_hyper("seed", "-5")), Catch::Contains("'seed'"));
  CHECK_THAT(gan_error(gan_hyper("step", "1e19")), Catch::Contains("'step'"));
  CHECK_THAT(gan_error(gan_hyper("batch_size", "nan")), Catch::Contains("'batch_size'"));
  CHECK_THAT(gan_error(gan_hyper("real_target", "1e300")), Catch::Contains("real_target"));
  auto big = gan_hyper("latent", "1024");
  big["generator_channels"] = "1024";
  big["discriminator_channels"] = "1024";
  CHECK_THAT(gan_error(big), Catch::Contains("generator_channels 1024") && Catch::Contains("tensors hold only 16 bytes"));
}

TEST_CASE("fuzz regressions: DDPM files with absurd or oversized hyperparameters", "[fuzz]") {
  CHECK_THAT(ddpm_error(ddpm_hyper("channels", "1e300")), Catch::Contains("'channels'") && Catch::Contains("8 to 256"));
  CHECK_THAT(ddpm_error(ddpm_hyper("total_steps", "1e30")), Catch::Contains("'total_steps'"));
  CHECK_THAT(ddpm_error(ddpm_hyper("classes", "-1")), Catch::Contains("'classes'"));
  CHECK_THAT(ddpm_error(ddpm_hyper("seed", "inf")), Catch::Contains("'seed'"));
  auto big = ddpm_hyper("channels", "256");
  big["time_dim"] = "1024";
  big["classes"] = "1000";
  CHECK_THAT(ddpm_error(big), Catch::Contains("channels 256") && Catch::Contains("tensors hold only 16 bytes"));
}

TEST_CASE("fuzz regressions: a VAE file that names a far larger VAE than it holds", "[fuzz]") {
  const auto bytes = model_file({{"format", "latentlab-checkpoint"}, {"format_version", "1"},
                                 {"architecture", "vae-784-4096x2-256"}, {"hyperparameters", "{}"}});
  ll::vae::LoadedVae loaded;
  const ll::SafetensorsStatus s = ll::vae::load_vae(bytes.data(), bytes.size(), nullptr, 100, loaded);
  CHECK_FALSE(s.ok());
  CHECK_THAT(s.message, Catch::Contains("hidden 4096, depth 2") && Catch::Contains("tensors hold only 16 bytes"));
}
