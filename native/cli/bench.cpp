// Benchmarks of the core's kernels. Each figure is a speed (higher is better), the best
// of several timed repetitions, so native and WASM runs compare as a ratio.
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "ml/check.hpp"
#include "ml/gemm.hpp"
#include "ml/gen/dcgan.hpp"
#include "ml/gen/ddpm_mnist.hpp"
#include "ml/nn/nn.hpp"
#include "ml/rng.hpp"
#include "ml/surfaces.hpp"
#include "ml/word2vec/word2vec.hpp"

namespace ll::cli {

namespace {

struct Figure {
  std::string name, unit;
  double value;
};

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

// " t4" when the nn layers run on more than one thread, so figures stay comparable by name.
std::string threads_suffix() {
  const int n = compute_threads();
  return n > 1 ? " t" + std::to_string(n) : "";
}

// Reference figures (not our kernels) carry this prefix; bench-compare lists them apart.
constexpr const char* kEigenPrefix = "eigen alone: ";

// Runs `op` (which does `work` units per call) repeatedly; returns the best units/second.
double best_rate(const std::function<void()>& op, double work, double seconds_per_rep, int reps) {
  double best = 0;
  for (int r = 0; r < reps; ++r) {
    long calls = 0;
    const double t0 = now_seconds();
    double elapsed = 0;
    do {
      op();
      ++calls;
      elapsed = now_seconds() - t0;
    } while (elapsed < seconds_per_rep);
    best = std::max(best, work * double(calls) / elapsed);
  }
  return best;
}

nn::Mat random_matrix(Rng& rng, int rows, int cols) {
  nn::Mat m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform_f() - 0.5f;
  return m;
}

// The core's GEMM (ml/gemm.hpp), which every nn layer uses.
Figure bench_gemm(int n, double seconds, int reps) {
  Rng rng(7);
  const nn::Mat a = random_matrix(rng, n, n), b = random_matrix(rng, n, n);
  nn::Mat c(n, n);
  const double rate = best_rate(
      [&] { gemm(Transpose::No, Transpose::No, n, n, n, a.data(), n, b.data(), n, c.data(), n); }, 2.0 * n * n * n,
      seconds, reps);
  return {"gemm " + std::to_string(n) + "x" + std::to_string(n) + " f32" + threads_suffix(), "GFLOP/s", rate * 1e-9};
}

// Eigen's own product on the same shape: the reference our GEMM is measured against.
Figure bench_eigen_gemm(int n, double seconds, int reps) {
  Rng rng(7);
  const nn::Mat a = random_matrix(rng, n, n), b = random_matrix(rng, n, n);
  nn::Mat c(n, n);
  const double rate = best_rate([&] { c.noalias() = a * b; }, 2.0 * n * n * n, seconds, reps);
  return {std::string(kEigenPrefix) + "gemm " + std::to_string(n) + "x" + std::to_string(n) + " f32", "GFLOP/s",
          rate * 1e-9};
}

Figure bench_descent(double seconds, int reps) {
  OptimizerConfig config;
  config.kind = OptimizerKind::Adam;
  config.lr = 0.01;
  const double steps_per_call = 10000;
  const double rate = best_rate(
      [&] {
        DescentRun run = start_descent(config, {-1.5, 2.5});
        run.path.reserve(size_t(steps_per_call) + 1);
        for (int i = 0; i < steps_per_call; ++i) descent_step(run, SurfaceId::Rosenbrock);
      },
      steps_per_call, seconds, reps);
  return {"adam steps on rosenbrock", "Msteps/s", rate * 1e-6};
}

Figure bench_rng_normal(double seconds, int reps) {
  Rng rng(3);
  double sink = 0;
  const double per_call = 1 << 16;
  const double rate = best_rate(
      [&] {
        for (int i = 0; i < per_call; ++i) sink += rng.normal();
      },
      per_call, seconds, reps);
  if (sink == 12345.678) std::puts("");  // keeps the loop from being optimised away
  return {"rng normal draws", "M/s", rate * 1e-6};
}

// --- numeric core (ml/nn) -------------------------------------------------------------

// Our dense layer on a 1024x1024 GEMM (bias included): compare with "gemm 1024x1024 f32".
Figure bench_dense_1024(double seconds, int reps) {
  Rng rng(11);
  nn::ParamStore store;
  const nn::Dense layer = nn::make_dense(store, "fc", 1024, 1024);
  nn::init_params(store, rng);
  const nn::Mat x = random_matrix(rng, 1024, 1024);
  nn::Mat y;
  const double rate = best_rate([&] { nn::dense_forward(store, layer, x, y); }, 2.0 * 1024 * 1024 * 1024, seconds, reps);
  return {"dense forward 1024" + threads_suffix(), "GFLOP/s", rate * 1e-9};
}

// 3x3 convolution, 32 → 32 channels on 28x28, batch 16, forward and backward.
Figure bench_conv3x3(bool backward, double seconds, int reps) {
  Rng rng(13);
  nn::ParamStore store;
  const nn::Conv2D conv = nn::make_conv2d(store, "conv", 32, 32, 28, 28);
  nn::init_params(store, rng);
  const nn::Mat x = random_matrix(rng, 16, conv.in_size()), dy = random_matrix(rng, 16, conv.out_size());
  nn::Mat y, dx;
  const double flops = 2.0 * 16 * 32 * 32 * 9 * 28 * 28 * (backward ? 2 : 1);
  const double rate = best_rate(
      [&] {
        if (backward) nn::conv2d_backward(store, conv, x, dy, &dx);
        else nn::conv2d_forward(store, conv, x, y);
      },
      flops, seconds, reps);
  return {std::string("conv3x3 28x28x32 b16 ") + (backward ? "bwd" : "fwd") + threads_suffix(), "GFLOP/s", rate * 1e-9};
}

// One Adam step of a 784-256-256-10 ReLU MLP with softmax cross-entropy, batch 64.
Figure bench_mlp_step(double seconds, int reps) {
  Rng rng(17);
  nn::ParamStore store;
  nn::Mlp mlp = nn::make_mlp(store, "mlp", {784, 256, 256, 10}, nn::Activation::ReLU);
  nn::init_params(store, rng);
  OptimizerConfig config;
  config.kind = OptimizerKind::Adam;
  config.lr = 1e-3;
  nn::Optimizer opt = nn::make_optimizer(store, config);
  const nn::Mat x = random_matrix(rng, 64, 784);
  std::vector<int> labels(64);
  for (int& l : labels) l = int(rng.below(10));
  nn::Mat grad;
  const double rate = best_rate(
      [&] {
        nn::zero_grads(store);
        nn::softmax_cross_entropy(nn::mlp_forward(store, mlp, x), labels, &grad);
        nn::mlp_backward(store, mlp, grad, nullptr);
        nn::apply_optimizer(store, opt);
      },
      1, seconds, reps);
  return {"mlp 784-256-256-10 b64 step" + threads_suffix(), "steps/s", rate};
}

// One Adam step of a small conv net on 28x28 digits-sized input, batch 32:
// conv 1→16 stride 2 (14x14), SiLU, conv 16→32 stride 2 (7x7), SiLU, dense 1568→10.
Figure bench_convnet_step(double seconds, int reps) {
  Rng rng(19);
  nn::ParamStore store;
  const nn::Conv2D c1 = nn::make_conv2d(store, "c1", 1, 16, 28, 28, 3, 2, 1);
  const nn::Conv2D c2 = nn::make_conv2d(store, "c2", 16, 32, c1.out_h, c1.out_w, 3, 2, 1);
  const nn::Dense fc = nn::make_dense(store, "fc", c2.out_size(), 10);
  nn::init_params(store, rng);
  OptimizerConfig config;
  config.kind = OptimizerKind::Adam;
  config.lr = 1e-3;
  nn::Optimizer opt = nn::make_optimizer(store, config);
  const nn::Mat x = random_matrix(rng, 32, c1.in_size());
  std::vector<int> labels(32);
  for (int& l : labels) l = int(rng.below(10));
  nn::Mat h1, a1, h2, a2, logits, g, da2, dh2, da1, dh1;
  const double rate = best_rate(
      [&] {
        nn::zero_grads(store);
        nn::conv2d_forward(store, c1, x, h1);
        nn::activation_forward(nn::Activation::SiLU, h1, a1);
        nn::conv2d_forward(store, c2, a1, h2);
        nn::activation_forward(nn::Activation::SiLU, h2, a2);
        nn::dense_forward(store, fc, a2, logits);
        nn::softmax_cross_entropy(logits, labels, &g);
        nn::dense_backward(store, fc, a2, g, &da2);
        nn::activation_backward(nn::Activation::SiLU, h2, da2, dh2);
        nn::conv2d_backward(store, c2, a1, dh2, &da1);
        nn::activation_backward(nn::Activation::SiLU, h1, da1, dh1);
        nn::conv2d_backward(store, c1, x, dh1, nullptr);
        nn::apply_optimizer(store, opt);
      },
      1, seconds, reps);
  return {"convnet b32 step" + threads_suffix(), "steps/s", rate};
}

// Sampling with the shipped models' architectures (speed does not depend on the weights): the
// page's 16 guided DDIM digits of the conditional DDPM, and a batch of 100 GAN digits.
Figure bench_ddim16(double seconds, int reps) {
  gen::DdpmConfig config;
  config.unet.classes = 10;
  gen::DdpmTrainer model = gen::make_ddpm_trainer(config, gen::DdpmTrainConfig{});
  std::vector<int> classes(16);
  for (int i = 0; i < 16; ++i) classes[size_t(i)] = i % 10;
  const double rate = best_rate(
      [&] { gen::ddpm_sample(model, 16, true, gen::kDdimStepsPage, 1, classes, gen::kGuidanceDefault); }, 1, seconds,
      reps);
  return {"ddim 16 digits x " + std::to_string(gen::kDdimStepsPage) + " guided steps" + threads_suffix(), "runs/s",
          rate};
}

Figure bench_gan100(double seconds, int reps) {
  gen::GanTrainer model = gen::make_gan_trainer(gen::GanConfig{}, gen::GanTrainConfig{});
  const nn::Mat z = gen::gan_latents(model.model.config, 100, 1);
  std::vector<int> labels(100);
  for (int i = 0; i < 100; ++i) labels[size_t(i)] = i % 10;
  nn::Mat images;
  const double rate = best_rate([&] { gen::gan_generate(model.model, &model.generator_ema, z, labels, images); }, 100,
                                seconds, reps);
  return {"gan digits" + threads_suffix(), "digits/s", rate};
}

// word2vec skip-gram with negative sampling at the lesson's settings (dim 50, window 5, 5
// negatives, sample 1e-3), one worker on the calling thread, over a synthetic corpus: 200,000
// tokens of 5,000 words drawn by Zipf's law, in lines of 10.
Figure bench_word2vec(double seconds, int reps) {
  const std::string text = w2v::zipf_text(5000, 200000, 10, 11);
  w2v::Corpus corpus;
  std::string error = w2v::build_corpus(text, 1, corpus);
  LL_CHECK(error.empty(), "bench word2vec: the synthetic corpus was refused");
  w2v::Config config;
  config.dim = 50;
  config.sample = 1e-3;
  config.min_count = 1;
  config.threads = 1;
  config.lr = 0.05;
  config.epochs = 1000;  // more words than the timed repetitions train
  w2v::TrainerPtr trainer = w2v::make_trainer(std::move(corpus), config, error);
  LL_CHECK(trainer != nullptr, "bench word2vec: the trainer was refused");
  constexpr uint64_t kChunk = 20000;
  const double rate = best_rate([&] { w2v::train_worker(*trainer, 0, kChunk); }, kChunk, seconds, reps);
  return {"word2vec sg ns dim 50 one worker", "words/s", rate};
}

std::map<std::string, Figure> read_tsv(const std::string& path, bool& ok) {
  std::map<std::string, Figure> figures;
  std::ifstream in(path);
  ok = bool(in);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    Figure f;
    std::string value;
    if (std::getline(fields, f.name, '\t') && std::getline(fields, value, '\t') && std::getline(fields, f.unit)) {
      f.value = std::strtod(value.c_str(), nullptr);
      figures[f.name] = f;
    }
  }
  return figures;
}

}  // namespace

int run_bench(const Args& args) {
  std::string tsv;
  bool quick = false;
  int threads = 1;  // nn layers' compute pool; 1 keeps native and WASM figures comparable
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--tsv" && i + 1 < args.size()) tsv = args[++i];
    else if (args[i] == "--quick") quick = true;
    else if (args[i] == "--threads" && i + 1 < args.size()) threads = std::atoi(args[++i].c_str());
    else { std::fprintf(stderr, "latentlab bench: unknown option %s\n", args[i].c_str()); return 2; }
  }
  const double seconds = quick ? 0.05 : 0.4;
  const int reps = quick ? 1 : 3;
  std::vector<Figure> figures = {bench_eigen_gemm(256, seconds, reps), bench_eigen_gemm(1024, seconds, reps),
                                  bench_descent(seconds, reps), bench_rng_normal(seconds, reps)};
  set_compute_threads(threads);
  for (Figure f : {bench_gemm(256, seconds, reps), bench_gemm(1024, seconds, reps), bench_dense_1024(seconds, reps),
                   bench_conv3x3(false, seconds, reps), bench_conv3x3(true, seconds, reps),
                   bench_mlp_step(seconds, reps), bench_convnet_step(seconds, reps), bench_ddim16(seconds, reps),
                   bench_gan100(seconds, reps), bench_word2vec(seconds, reps)})
    figures.push_back(f);
  std::FILE* out = tsv.empty() ? nullptr : std::fopen(tsv.c_str(), "w");
  if (!tsv.empty() && !out) { std::fprintf(stderr, "latentlab bench: cannot write %s\n", tsv.c_str()); return 1; }
  for (const Figure& f : figures) {
    std::printf("%-28s %10.3f %s\n", f.name.c_str(), f.value, f.unit.c_str());
    if (out) std::fprintf(out, "%s\t%.6g\t%s\n", f.name.c_str(), f.value, f.unit.c_str());
  }
  if (out) std::fclose(out);
  return 0;
}

int run_bench_compare(const Args& args) {
  if (args.size() != 2) { std::fprintf(stderr, "usage: latentlab bench-compare NATIVE.tsv WASM.tsv\n"); return 2; }
  bool native_ok = false, wasm_ok = false;
  const auto native = read_tsv(args[0], native_ok), wasm = read_tsv(args[1], wasm_ok);
  if (!native_ok || !wasm_ok) { std::fprintf(stderr, "bench-compare: cannot read both files\n"); return 1; }
  const auto is_reference = [](const std::string& name) { return name.rfind(kEigenPrefix, 0) == 0; };
  std::printf("\n| benchmark | native | WASM | WASM/native |\n|---|---:|---:|---:|\n");
  for (const auto& [name, n] : native) {
    const auto w = wasm.find(name);
    if (w == wasm.end() || is_reference(name)) continue;
    std::printf("| %s | %.3f %s | %.3f %s | %.2f |\n", name.c_str(), n.value, n.unit.c_str(), w->second.value,
                w->second.unit.c_str(), n.value > 0 ? w->second.value / n.value : 0.0);
  }
  // Our GEMM against Eigen's on the same shape, on each target (same thread count only).
  std::printf("\n| GEMM, ours vs Eigen alone | native ours / Eigen | WASM ours / Eigen |\n|---|---:|---:|\n");
  for (const auto& [name, eigen_native] : native) {
    if (!is_reference(name)) continue;
    const std::string ours = name.substr(std::char_traits<char>::length(kEigenPrefix));
    const auto ours_native = native.find(ours), ours_wasm = wasm.find(ours), eigen_wasm = wasm.find(name);
    if (ours_native == native.end() || ours_wasm == wasm.end() || eigen_wasm == wasm.end()) continue;
    std::printf("| %s | %.1f / %.1f = %.2f | %.1f / %.1f = %.2f |\n", ours.c_str(), ours_native->second.value,
                eigen_native.value, ours_native->second.value / eigen_native.value, ours_wasm->second.value,
                eigen_wasm->second.value, ours_wasm->second.value / eigen_wasm->second.value);
  }
  return 0;
}

}  // namespace ll::cli
