// Benchmarks of the core's kernels. Each figure is a speed (higher is better), the best
// of several timed repetitions, so native and WASM runs compare as a ratio.
#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "ml/rng.hpp"
#include "ml/surfaces.hpp"

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

Figure bench_gemm(int n, double seconds, int reps) {
  Rng rng(7);
  Eigen::MatrixXf a(n, n), b(n, n), c(n, n);
  for (int i = 0; i < n * n; ++i) a.data()[i] = rng.uniform_f() - 0.5f, b.data()[i] = rng.uniform_f() - 0.5f;
  const double flops = 2.0 * n * n * n;
  const double rate = best_rate([&] { c.noalias() = a * b; }, flops, seconds, reps);
  return {"gemm " + std::to_string(n) + "x" + std::to_string(n) + " f32", "GFLOP/s", rate * 1e-9};
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
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--tsv" && i + 1 < args.size()) tsv = args[++i];
    else if (args[i] == "--quick") quick = true;
    else { std::fprintf(stderr, "latentlab bench: unknown option %s\n", args[i].c_str()); return 2; }
  }
  const double seconds = quick ? 0.05 : 0.4;
  const int reps = quick ? 1 : 3;
  std::vector<Figure> figures = {bench_gemm(256, seconds, reps), bench_gemm(1024, seconds, reps),
                                  bench_descent(seconds, reps), bench_rng_normal(seconds, reps)};
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
  std::printf("\n| benchmark | native | WASM | WASM/native |\n|---|---:|---:|---:|\n");
  for (const auto& [name, n] : native) {
    const auto w = wasm.find(name);
    if (w == wasm.end()) continue;
    std::printf("| %s | %.3f %s | %.3f %s | %.2f |\n", name.c_str(), n.value, n.unit.c_str(), w->second.value,
                w->second.unit.c_str(), n.value > 0 ? w->second.value / n.value : 0.0);
  }
  return 0;
}

}  // namespace ll::cli
