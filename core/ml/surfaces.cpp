#include "ml/surfaces.hpp"

#include <cmath>
#include <cstdio>

namespace ll {

const std::vector<Surface>& all_surfaces() {
  static const std::vector<Surface> surfaces = {
      {SurfaceId::Saddle, "saddle", "Saddle", "J = x² − 2y²", -2, 2, -2, 2, {-1.8, 0.05}, 0.05, {}},
      {SurfaceId::Bowl, "bowl", "Elongated bowl", "J = x² + 10y²", -2, 2, -2, 2, {-1.8, 1.2}, 0.09, {{0, 0}}},
      {SurfaceId::Rosenbrock, "rosenbrock", "Rosenbrock", "J = (1 − x)² + 100(y − x²)²", -2, 2, -1, 3,
       {-1.5, 2.5}, 0.001, {{1, 1}}},
      {SurfaceId::Himmelblau, "himmelblau", "Himmelblau (four minima)", "J = (x² + y − 11)² + (x + y² − 7)²", -5, 5,
       -5, 5, {0, 0}, 0.01, {{3, 2}, {-2.805118, 3.131312}, {-3.779310, -3.283186}, {3.584428, -1.848126}}},
  };
  return surfaces;
}

const Surface* find_surface(const std::string& key) {
  for (const Surface& s : all_surfaces())
    if (key == s.key) return &s;
  return nullptr;
}

double surface_value(SurfaceId s, Vec2 p) {
  const double x = p.x, y = p.y;
  switch (s) {
    case SurfaceId::Saddle: return x * x - 2 * y * y;
    case SurfaceId::Bowl: return x * x + 10 * y * y;
    case SurfaceId::Rosenbrock: return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    case SurfaceId::Himmelblau: {
      const double a = x * x + y - 11, b = x + y * y - 7;
      return a * a + b * b;
    }
  }
  return 0;
}

Vec2 surface_gradient(SurfaceId s, Vec2 p) {
  const double x = p.x, y = p.y;
  switch (s) {
    case SurfaceId::Saddle: return {2 * x, -4 * y};
    case SurfaceId::Bowl: return {2 * x, 20 * y};
    case SurfaceId::Rosenbrock: return {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
    case SurfaceId::Himmelblau: {
      const double a = x * x + y - 11, b = x + y * y - 7;
      return {4 * x * a + 2 * b, 2 * a + 4 * y * b};
    }
  }
  return {};
}

DescentRun start_descent(const OptimizerConfig& config, Vec2 start) {
  DescentRun run;
  run.config = config;
  run.theta = start;
  run.path.push_back(start);
  if (!std::isfinite(start.x) || !std::isfinite(start.y) || !std::isfinite(config.lr)) {
    // A NaN start or rate has nothing to descend from: the run stops before its first step.
    run.diverged = true;
    run.message = std::string(optimizer_name(config.kind)) +
                  " cannot start: the start point or the learning rate is not a finite number";
  }
  return run;
}

bool descent_step(DescentRun& run, SurfaceId surface) {
  if (run.diverged) return false;
  const Vec2 g = surface_gradient(surface, run.theta);
  double theta[2] = {run.theta.x, run.theta.y};
  const double grad[2] = {g.x, g.y};
  OptimizerState<double> state{run.m.data(), run.v.data(), run.step};
  optimizer_step(theta, grad, 2, state, run.config);
  run.step = state.step;
  const Vec2 next{theta[0], theta[1]};
  const double j = surface_value(surface, next);
  constexpr double kEscape = 1e6;  // far outside every view: treat as divergence
  if (!std::isfinite(j) || std::fabs(next.x) > kEscape || std::fabs(next.y) > kEscape) {
    run.diverged = true;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s diverged at step %ld (|θ| > 1e6 or J not finite): lower the learning rate",
                  optimizer_name(run.config.kind), run.step);
    run.message = buf;
    return false;
  }
  run.theta = next;
  run.path.push_back(next);
  return true;
}

}  // namespace ll
