// latentlab: the command-line tool (train, sample, evaluate, benchmark).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli.hpp"
#include "ml/surfaces.hpp"

namespace {

constexpr const char* kUsage =
    "usage: latentlab <command> [options]\n"
    "\n"
    "  descend [--surface saddle|bowl|rosenbrock|himmelblau] [--optimizer gd|momentum|adam]\n"
    "          [--lr A] [--steps N] [--start X,Y] [--every K]\n"
    "                      run an optimizer on a 2-D surface; prints step, θ and J(θ) as TSV\n"
    "  bench [--quick] [--tsv FILE] [--threads N]\n"
    "                      time the core's kernels (./lab bench runs this natively and as WASM);\n"
    "                      --threads: threads of the nn layers (default 1)\n"
    "  bench-compare NATIVE.tsv WASM.tsv\n"
    "                      the WASM/native ratio of each benchmark figure\n"
    "  word2vec train|eval ...\n"
    "                      train word vectors, or score them on analogies (latentlab word2vec help)\n"
    "  lm eval --corpus tang|song|FILE [--tokenize auto|char|space] [--k K] [--discount D]\n"
    "                      held-out perplexity of n-gram language models, every order and smoothing\n"
    "  vae train|eval ...  train a VAE on the MNIST digits, or print its held-out -ELBO (latentlab vae help)\n"
    "  sample vae --model MODEL.safetensors --n N --seed S --out FILE.npy\n"
    "                      decode N draws from N(0, I) into uint8 (N, 28, 28)\n"
    "  gan train ...       train the MNIST DCGAN (latentlab gan help)\n"
    "  sample gan [--model FILE] [--n 1000] [--seed S] [--class C] --out FILE.npy [--png GRID.png]\n"
    "                      generate digits with the (shipped) GAN\n"
    "  ddpm train ...      train the MNIST DDPM's U-Net (latentlab ddpm help)\n"
    "  sample ddpm [--model FILE] [--n 1000] [--sampler ddim|ddpm] [--steps 50] [--seed S] --out FILE.npy\n"
    "                      reverse diffusion chains with the (shipped) DDPM\n"
    "  classifier train [--epochs 12] [--seed 1] --out FILE.safetensors\n"
    "                      train the digit classifier that judges generated samples\n"
    "  eval samples --in FILE.npy [--classifier FILE.safetensors]\n"
    "                      label histogram, confident share, Frechet distance and nearest-train distance\n"
    "                      of uint8 (N, 28, 28) digit samples, beside the real held-out digits\n"
    "  help                this text\n";

bool parse_double(const std::string& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

int fail(const std::string& message) {
  std::fprintf(stderr, "latentlab: %s\n", message.c_str());
  return 2;
}

int run_descend(const ll::cli::Args& args) {
  const ll::Surface* surface = ll::find_surface("rosenbrock");
  ll::OptimizerConfig config;
  config.kind = ll::OptimizerKind::Adam;
  double lr = -1, steps = 1000, every = 100;
  ll::Vec2 start = surface->default_start;
  bool start_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return fail("option " + a + " needs a value");
    const std::string& v = args[++i];
    if (a == "--surface") {
      surface = ll::find_surface(v);
      if (!surface) return fail("unknown surface '" + v + "' (saddle, bowl, rosenbrock, himmelblau)");
    } else if (a == "--optimizer") {
      if (v == "gd") config.kind = ll::OptimizerKind::GradientDescent;
      else if (v == "momentum") config.kind = ll::OptimizerKind::Momentum;
      else if (v == "adam") config.kind = ll::OptimizerKind::Adam;
      else return fail("unknown optimizer '" + v + "' (gd, momentum, adam)");
    } else if (a == "--lr") {
      if (!parse_double(v, lr) || !(lr > 0)) return fail("--lr needs a positive number");
    } else if (a == "--steps") {
      if (!parse_double(v, steps) || steps < 1 || steps > 1e8) return fail("--steps needs 1..1e8");
    } else if (a == "--every") {
      if (!parse_double(v, every) || every < 1) return fail("--every needs a positive integer");
    } else if (a == "--start") {
      const size_t comma = v.find(',');
      if (comma == std::string::npos || !parse_double(v.substr(0, comma), start.x) ||
          !parse_double(v.substr(comma + 1), start.y))
        return fail("--start needs X,Y");
      start_given = true;
    } else {
      return fail("unknown option " + a + "\n" + kUsage);
    }
  }
  if (!start_given) start = surface->default_start;
  config.lr = lr > 0 ? lr : surface->default_lr;
  ll::DescentRun run = ll::start_descent(config, start);
  std::printf("step\tx\ty\tJ\n0\t%.9g\t%.9g\t%.9g\n", start.x, start.y, ll::surface_value(surface->id, start));
  for (long s = 1; s <= long(steps); ++s) {
    if (!ll::descent_step(run, surface->id)) {
      std::fprintf(stderr, "latentlab: %s\n", run.message.c_str());
      return 1;
    }
    if (s % long(every) == 0 || s == long(steps))
      std::printf("%ld\t%.9g\t%.9g\t%.9g\n", s, run.theta.x, run.theta.y, ll::surface_value(surface->id, run.theta));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  const ll::cli::Args args(argv + 2, argv + argc);
  if (command == "descend") return run_descend(args);
  if (command == "bench") return ll::cli::run_bench(args);
  if (command == "bench-compare") return ll::cli::run_bench_compare(args);
  if (command == "word2vec") return ll::cli::run_word2vec(args);
  if (command == "lm") return ll::cli::run_lm(args);
  if (command == "vae") return ll::cli::run_vae(args);
  if (command == "classifier") return ll::cli::run_classifier(args);
  if (command == "gan") return ll::cli::run_gan(args);
  if (command == "ddpm") return ll::cli::run_ddpm(args);
  if (command == "sample" && !args.empty() && args[0] == "ddpm")
    return ll::cli::run_sample_ddpm(ll::cli::Args(args.begin() + 1, args.end()));
  if (command == "sample" && !args.empty() && args[0] == "gan")
    return ll::cli::run_sample_gan(ll::cli::Args(args.begin() + 1, args.end()));
  if (command == "eval") return ll::cli::run_eval_command(args);
  if (command == "sample" && !args.empty() && args[0] == "vae")
    return ll::cli::run_sample_vae(ll::cli::Args(args.begin() + 1, args.end()));
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "latentlab: unknown command '%s'\n%s", command.c_str(), kUsage);
  return 2;
}
