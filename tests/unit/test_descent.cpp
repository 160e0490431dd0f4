#include <catch2/catch.hpp>

#include <cmath>

#include "ml/optim.hpp"
#include "ml/surfaces.hpp"

namespace {

// Central-difference gradient with relative error, as every gradient in the core is checked.
double gradient_relative_error(ll::SurfaceId s, ll::Vec2 p) {
  const double h = 1e-5;
  const ll::Vec2 g = ll::surface_gradient(s, p);
  const double nx = (ll::surface_value(s, {p.x + h, p.y}) - ll::surface_value(s, {p.x - h, p.y})) / (2 * h);
  const double ny = (ll::surface_value(s, {p.x, p.y + h}) - ll::surface_value(s, {p.x, p.y - h})) / (2 * h);
  const double diff = std::hypot(g.x - nx, g.y - ny), scale = std::hypot(g.x, g.y) + std::hypot(nx, ny);
  return scale == 0 ? 0 : diff / scale;
}

}  // namespace

TEST_CASE("surfaces: analytic gradients match central differences", "[descent]") {
  const ll::Vec2 points[] = {{-1.5, 2.5}, {0.3, -0.7}, {1.2, 1.1}, {-2.0, 0.5}, {3.1, 1.9}};
  for (const ll::Surface& s : ll::all_surfaces()) {
    for (ll::Vec2 p : points) {
      INFO(s.key << " at (" << p.x << ", " << p.y << ")");
      CHECK(gradient_relative_error(s.id, p) < 1e-7);
    }
  }
}

TEST_CASE("surfaces: listed minima have zero gradient", "[descent]") {
  for (const ll::Surface& s : ll::all_surfaces()) {
    for (ll::Vec2 m : s.minima) {
      const ll::Vec2 g = ll::surface_gradient(s.id, m);
      INFO(s.key);
      CHECK(std::hypot(g.x, g.y) < 1e-4);
    }
  }
  CHECK(ll::find_surface("rosenbrock") != nullptr);
  CHECK(ll::find_surface("nope") == nullptr);
}

TEST_CASE("gradient descent: one step is θ − α∇J(θ)", "[descent]") {
  ll::OptimizerConfig c;
  c.lr = 0.1;
  ll::DescentRun run = ll::start_descent(c, {1.0, 1.0});
  REQUIRE(ll::descent_step(run, ll::SurfaceId::Bowl));  // ∇J = (2x, 20y) = (2, 20)
  CHECK(run.theta.x == Approx(1.0 - 0.1 * 2));
  CHECK(run.theta.y == Approx(1.0 - 0.1 * 20));
  CHECK(run.path.size() == 2);
}

TEST_CASE("momentum: velocity accumulates gradients", "[descent]") {
  ll::OptimizerConfig c;
  c.kind = ll::OptimizerKind::Momentum;
  c.lr = 0.01;
  c.momentum = 0.9;
  ll::DescentRun run = ll::start_descent(c, {1.0, 0.0});
  ll::descent_step(run, ll::SurfaceId::Bowl);  // v = 2, x = 1 − 0.02
  CHECK(run.theta.x == Approx(0.98));
  ll::descent_step(run, ll::SurfaceId::Bowl);  // v = 0.9·2 + 2·0.98, x = 0.98 − 0.01·v
  CHECK(run.theta.x == Approx(0.98 - 0.01 * (1.8 + 1.96)));
}

TEST_CASE("adam: three steps match hand-computed values", "[descent]") {
  ll::OptimizerConfig c;
  c.kind = ll::OptimizerKind::Adam;
  c.lr = 0.1;
  double theta[1] = {1.0}, m[1] = {0}, v[1] = {0};
  ll::OptimizerState<double> s{m, v, 0};
  // J = θ², ∇J = 2θ. With bias correction the first step is −α·sign(g) (up to ε).
  double grad[1] = {2 * theta[0]};
  ll::optimizer_step(theta, grad, 1, s, c);
  CHECK(theta[0] == Approx(0.9).epsilon(1e-9));
  // Step 2 by hand: g = 1.8, m = 0.9·0.2 + 0.1·1.8 = 0.36, v = 0.999·0.004 + 0.001·3.24 = 0.007236
  grad[0] = 2 * theta[0];
  ll::optimizer_step(theta, grad, 1, s, c);
  const double m_hat2 = 0.36 / (1 - 0.81), v_hat2 = 0.007236 / (1 - 0.998001);
  const double theta2 = 0.9 - 0.1 * m_hat2 / (std::sqrt(v_hat2) + 1e-8);
  CHECK(theta[0] == Approx(theta2).epsilon(1e-9));
  // Step 3 by hand.
  const double g3 = 2 * theta2, m3 = 0.9 * 0.36 + 0.1 * g3, v3 = 0.999 * 0.007236 + 0.001 * g3 * g3;
  grad[0] = 2 * theta[0];
  ll::optimizer_step(theta, grad, 1, s, c);
  const double theta3 = theta2 - 0.1 * (m3 / (1 - 0.729)) / (std::sqrt(v3 / (1 - std::pow(0.999, 3))) + 1e-8);
  CHECK(theta[0] == Approx(theta3).epsilon(1e-9));
  CHECK(s.step == 3);
}

TEST_CASE("descent: every optimizer reaches the bowl's minimum", "[descent]") {
  for (auto kind : {ll::OptimizerKind::GradientDescent, ll::OptimizerKind::Momentum, ll::OptimizerKind::Adam}) {
    ll::OptimizerConfig c;
    c.kind = kind;
    c.lr = kind == ll::OptimizerKind::Adam ? 0.05 : 0.02;
    ll::DescentRun run = ll::start_descent(c, {-1.8, 1.2});
    for (int i = 0; i < 2000; ++i) ll::descent_step(run, ll::SurfaceId::Bowl);
    INFO(ll::optimizer_name(kind));
    CHECK(ll::surface_value(ll::SurfaceId::Bowl, run.theta) < 1e-4);
  }
}

TEST_CASE("descent: Adam finds Rosenbrock's minimum at (1, 1)", "[descent]") {
  ll::OptimizerConfig c;
  c.kind = ll::OptimizerKind::Adam;
  c.lr = 0.02;
  ll::DescentRun run = ll::start_descent(c, {-1.5, 2.5});
  for (int i = 0; i < 20000; ++i) ll::descent_step(run, ll::SurfaceId::Rosenbrock);
  CHECK(run.theta.x == Approx(1.0).margin(0.02));
  CHECK(run.theta.y == Approx(1.0).margin(0.04));
}

TEST_CASE("descent: the saddle escapes along y, and a too-large step diverges with a message", "[descent]") {
  ll::OptimizerConfig c;
  c.lr = 0.05;
  ll::DescentRun run = ll::start_descent(c, {-1.8, 0.05});
  for (int i = 0; i < 30; ++i) ll::descent_step(run, ll::SurfaceId::Saddle);
  CHECK(std::fabs(run.theta.x) < 0.1);  // x contracts toward the saddle point
  CHECK(std::fabs(run.theta.y) > 0.5);  // y grows away from it
  CHECK(!run.diverged);

  c.lr = 1.5;  // |1 − 2α·10| > 1 on the bowl's steep axis
  ll::DescentRun wild = ll::start_descent(c, {1.0, 1.0});
  long steps = 0;
  while (ll::descent_step(wild, ll::SurfaceId::Bowl)) ++steps;
  CHECK(wild.diverged);
  CHECK(steps < 100);
  CHECK(wild.message.find("diverged at step") != std::string::npos);
  CHECK(std::isfinite(wild.theta.x));
  CHECK(std::isfinite(wild.theta.y));
  CHECK_FALSE(ll::descent_step(wild, ll::SurfaceId::Bowl));
}
