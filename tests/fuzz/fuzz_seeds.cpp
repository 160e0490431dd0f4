// Writes the seed corpora of the fuzz targets: small valid files of every format, made by
// the project's own writers (nothing large is committed). Usage: latentlab_fuzz_seeds DIR
// writes DIR/<target>/seed-N for every target.
#include <cstdio>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "fuzz_models.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "io/safetensors.hpp"
#include "ml/gen/dcgan.hpp"
#include "ml/gen/ddpm_mnist.hpp"
#include "ml/gen/digit_classifier.hpp"
#include "ml/nn/checkpoint.hpp"
#include "ml/nn/train.hpp"
#include "ml/vae.hpp"
#include "ml/word2vec/formats.hpp"

namespace {

std::string root;
int written = 0;

void put(const std::string& target, const std::string& name, const void* data, size_t size) {
  const std::string dir = root + "/" + target;
  mkdir(root.c_str(), 0755);
  mkdir(dir.c_str(), 0755);
  const std::string path = dir + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || (size && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
  ++written;
}
void put(const std::string& target, const std::string& name, const std::vector<uint8_t>& b) {
  put(target, name, b.data(), b.size());
}
void put(const std::string& target, const std::string& name, const std::string& s) { put(target, name, s.data(), s.size()); }

ll::w2v::WordVectors small_vectors() {
  return ll::w2v::make_word_vectors({"king", "queen", "man", "woman"}, 3,
                                    {0.5f, -1, 2, 0.25f, 1e-3f, -2, 3, 4, 5, -0.5f, 0, 1});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  root = argv[1];

  // Generic safetensors and the small checkpoint, with and without Adam state.
  ll::nn::ParamStore store = fuzz::small_store();
  ll::Rng rng(1);
  ll::nn::init_params(store, rng);
  ll::nn::Optimizer opt = ll::nn::make_optimizer(store, ll::OptimizerConfig{});
  const ll::nn::ModelInfo info{fuzz::kSmallArchitecture, {{"hidden", "4"}, {"lr", "0.001"}}};
  const auto with_opt = ll::nn::save_checkpoint(store, info, &opt), weights = ll::nn::save_checkpoint(store, info, nullptr);
  for (const char* t : {"safetensors", "checkpoint"}) {
    put(t, "seed-adam", with_opt);
    put(t, "seed-weights", weights);
  }
  const float two[2] = {1, 2};
  put("safetensors", "seed-plain", ll::encode_safetensors({{"x", {2}, two}, {"y", {1, 1}, two}}, {{"k", "v"}}));
  put("safetensors", "seed-empty", ll::encode_safetensors({}, {}));

  // Model files, as small as each architecture allows.
  for (int depth : {1, 2}) {
    ll::vae::VaeConfig c;
    c.latent = 2;
    c.hidden = 8;
    c.depth = depth;
    const ll::vae::VaeTrainer t = ll::vae::make_vae_trainer(c, ll::vae::VaeTrainConfig{}, 100);
    put("vae", "seed-depth" + std::to_string(depth), ll::vae::save_vae(t, depth == 1));
  }
  for (bool conditional : {false, true}) {
    ll::gen::GanConfig c;
    c.latent = 2;
    c.conditional = conditional;
    c.generator_channels = 16;
    c.discriminator_channels = 4;
    const ll::gen::GanTrainer t = ll::gen::make_gan_trainer(c, ll::gen::GanTrainConfig{});
    put("gan", std::string("seed-") + (conditional ? "conditional" : "plain"), ll::gen::save_gan(t, conditional));
  }
  for (int classes : {0, 10}) {
    ll::gen::DdpmConfig c;
    c.unet.channels = 8;
    c.unet.time_dim = 8;
    c.unet.classes = classes;
    c.timesteps = 10;
    const ll::gen::DdpmTrainer t = ll::gen::make_ddpm_trainer(c, ll::gen::DdpmTrainConfig{});
    put("ddpm", "seed-classes" + std::to_string(classes), ll::gen::save_ddpm(t, classes == 0));
  }
  const ll::gen::DigitClassifier classifier = ll::gen::make_digit_classifier();
  put("digit_classifier", "seed-zero", ll::gen::save_digit_classifier(classifier, ll::gen::ClassifierTrainConfig{}, 0.5));

  // Arrays and the MNIST asset.
  put("npy", "seed-1d", ll::encode_npy_u8({1, 2, 3}, {3}));
  put("npy", "seed-3d", ll::encode_npy_u8(std::vector<uint8_t>(2 * 3 * 4, 7), {2, 3, 4}));
  put("npy", "seed-empty", ll::encode_npy_u8({}, {0, 28, 28}));
  {
    std::vector<uint8_t> m(ll::kMnistMagic, ll::kMnistMagic + 8);
    auto u32 = [&](uint32_t v) {
      for (int i = 0; i < 4; ++i) m.push_back(uint8_t(v >> (8 * i)));
    };
    u32(ll::kMnistVersion), u32(3), u32(2), u32(2), u32(2);
    for (uint8_t label : {1, 7, 9}) m.push_back(label);
    for (int i = 0; i < 3 * 4; ++i) m.push_back(uint8_t(i * 20));
    put("mnist", "seed-3x2x2", m);
  }

  // Word vectors in the three formats.
  const ll::w2v::WordVectors v = small_vectors();
  put("word2vec_text", "seed", ll::w2v::write_word2vec_text(v));
  put("word2vec_text", "seed-crlf", std::string("2 2\r\nthe 0.1 -0.2\r\nof 1e-3 4\r\n"));
  put("word2vec_binary", "seed", ll::w2v::write_word2vec_binary(v));
  put("projector_tsv", "seed", ll::w2v::write_projector_vectors(v) + std::string(1, '\0') + ll::w2v::write_projector_metadata(v));

  // Text: plain, sentences, UTF-8, and what the check refuses.
  put("text", "seed-sentences", std::string("The cat sat on the mat. The dog didn't!\nIs it 42?\n"));
  put("text", "seed-utf8", std::string("caf\xc3\xa9 na\xc3\xafve \xe2\x80\x94 \xf0\x9f\x98\x80 words words words\n"));
  put("text", "seed-bad-utf8", std::string("abc \xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80\n"));
  put("text", "seed-nul", std::string("abc\0def", 7));
  // "中文 word2vec 很好。¥😀" in GB18030: two-byte, four-byte BMP and supplementary sequences.
  put("text", "seed-gb18030",
      std::string("\xD6\xD0\xCE\xC4 word2vec \xBA\xDC\xBA\xC3\xA1\xA3\x81\x30\x84\x36\x94\x39\xFC\x36\xD6\xD0\xCE\xC4"
                  "\xD6\xD0\xCE\xC4\xD6\xD0\xCE\xC4\xD6\xD0\xCE\xC4\n"));

  // Commands, as the page's hook and the end-to-end tests send them.
  const char* commands[] = {
      "open gradient-descent\ngd surface rosenbrock\ngd lr 0.01\ngd start 1 -1\ntrain step\ntrain start\ntrain stop",
      "open one-hot-vs-distributed\nonehot words hotel motel\nonehot dim 3\nonehot corpus the cat sat\nonehot reset",
      "open cooccurrence\ncooc window 3\ncooc ppmi on\ncooc corpus I like deep learning. I like NLP.\ncooc reset",
      "open language-model\nlm order 3\nlm smoothing kn\nlm text Sam I am. I am Sam.\nlm sentence I am Sam\nlm sample",
      "open skip-gram-pairs\npairs window 2\npairs centre 1\npairs mode cbow\npairs sentence the quick brown fox",
      "open bayes\nbayes prior 2 3\nbayes flip 10\nbayes test 0.01 0.9 0.95\nbayes add 0.5 0.5 1\nbayes tab classify",
      "open mle-kl\nmle truth 1 2\nmle samples 50\nmle target 3 0.5 0.3\nmle tab kl",
      "open gmm\ngmm k 3\ngmm preset moons\ngmm points 100\ngmm add 0.1 0.2\ntrain step\ngmm sample 10",
      "open flow\nflow layers 2\nflow hidden 8\nflow points 100\ntrain step",
      "open gan\ngan data rings\ngan latent 4\ngan d-steps 2\ntrain step\ngan sample 3\ngan class 4",
      "open diffusion\ndiffusion schedule cosine\ndiffusion steps 50\ndiffusion t 10\ntrain step\ndiffusion sample",
      "open svd\nsvd k 5\nsvd digit 3\nsvd index 7",
      "open autoencoder\nae k 4\nae lr 0.01\nae model dense\nae code 3",
      "open vae\nvae latent 2\nvae beta 0.5\nvae input 3\nvae digits 1 2",
      "open word2vec\nw2v text the king and the queen\nw2v set dim 8\nw2v nearest king\nw2v analogy man king woman",
      "seed 7\ntheme light\nfont 1.5\npresenter on\nlist hide\nhelp\nopen overview\noverview open vae"};
  int n = 0;
  for (const char* c : commands) put("command", "seed-" + std::to_string(n++), std::string(c));

  std::printf("%d seed files in %s\n", written, root.c_str());
  return 0;
}
