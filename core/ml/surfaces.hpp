#pragma once
// Two-parameter objective surfaces J(θ₁, θ₂) from the course, with analytic gradients,
// and a descent run that records an optimizer's trajectory on one of them.
#include <array>
#include <string>
#include <vector>

#include "ml/optim.hpp"

namespace ll {

struct Vec2 { double x = 0, y = 0; };

enum class SurfaceId { Saddle, Bowl, Rosenbrock, Himmelblau };

struct Surface {
  SurfaceId id;
  const char* key;      // used by commands and the CLI: "saddle", "bowl", ...
  const char* name;     // shown in the UI
  const char* formula;  // shown in the UI
  double x_min, x_max, y_min, y_max;  // the view that shows its structure
  Vec2 default_start;
  double default_lr;
  std::vector<Vec2> minima;  // empty for the saddle (unbounded below)
};

const std::vector<Surface>& all_surfaces();
const Surface* find_surface(const std::string& key);  // nullptr if unknown

double surface_value(SurfaceId s, Vec2 p);
Vec2 surface_gradient(SurfaceId s, Vec2 p);

// One optimizer walking down a surface, one step at a time.
struct DescentRun {
  OptimizerConfig config;
  Vec2 theta;
  std::array<double, 2> m{}, v{};
  long step = 0;
  std::vector<Vec2> path;   // θ after each step, path[0] = start
  bool diverged = false;    // θ or J(θ) left the finite range; the run stops there
  std::string message;      // why it stopped, for the UI
};

DescentRun start_descent(const OptimizerConfig& config, Vec2 start);
// Applies one update; returns false once the run has diverged (θ keeps its last finite value).
bool descent_step(DescentRun& run, SurfaceId surface);

}  // namespace ll
