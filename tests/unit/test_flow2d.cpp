#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "ml/prob/datasets2d.hpp"
#include "ml/prob/flow2d.hpp"
#include "ml/rng.hpp"

using namespace ll::prob;

namespace {

// A flow that is not the identity: output layers get random weights too.
Flow2d random_flow(int layers, int hidden, uint64_t seed) {
  ll::Rng rng(seed);
  const std::vector<Point2> data = make_dataset2d(Dataset2d::TwoMoons, 200, 0.1, rng).points;
  Flow2d f = make_flow2d({layers, hidden, 2.0}, data, rng);
  for (double& p : f.params) p += 0.3 * rng.normal();
  return f;
}

}  // namespace

TEST_CASE("flow: log-determinant matches a finite-difference Jacobian", "[prob]") {
  const Flow2d f = random_flow(5, 8, 3);
  const Point2 points[] = {{0.1, 0.2}, {-1.3, 0.7}, {1.8, -0.4}, {0.0, -1.1}};
  const double h = 1e-5;
  for (Point2 x : points) {
    double log_det = 0;
    flow_forward(f, x, &log_det);
    const Point2 xp = flow_forward(f, {x.x + h, x.y}), xm = flow_forward(f, {x.x - h, x.y});
    const Point2 yp = flow_forward(f, {x.x, x.y + h}), ym = flow_forward(f, {x.x, x.y - h});
    const double j00 = (xp.x - xm.x) / (2 * h), j10 = (xp.y - xm.y) / (2 * h);
    const double j01 = (yp.x - ym.x) / (2 * h), j11 = (yp.y - ym.y) / (2 * h);
    const double fd = std::log(std::fabs(j00 * j11 - j01 * j10));
    INFO("x = (" << x.x << ", " << x.y << ")");
    CHECK(log_det == Approx(fd).margin(1e-6));
    CHECK(std::fabs(log_det) > 0.05);  // the check is not vacuous
  }
}

TEST_CASE("flow: the inverse undoes the forward map", "[prob]") {
  const Flow2d f = random_flow(6, 8, 4);
  for (Point2 x : {Point2{0.3, -0.9}, Point2{-2.0, 1.5}, Point2{1.0, 1.0}}) {
    const Point2 back = flow_inverse(f, flow_forward(f, x));
    CHECK(back.x == Approx(x.x).margin(1e-10));
    CHECK(back.y == Approx(x.y).margin(1e-10));
  }
}

TEST_CASE("flow: NLL gradient matches central differences", "[prob]") {
  Flow2d f = random_flow(4, 6, 5);
  ll::Rng rng(6);
  const std::vector<Point2> batch = make_dataset2d(Dataset2d::Rings, 16, 0.1, rng).points;
  std::vector<double> grad(flow_parameter_count(f));
  flow_nll(f, batch.data(), batch.size(), grad.data());
  const double h = 1e-6;
  double worst = 0;
  for (size_t i = 0; i < f.params.size(); i += 3) {
    const double saved = f.params[i];
    f.params[i] = saved + h;
    const double up = flow_nll(f, batch.data(), batch.size());
    f.params[i] = saved - h;
    const double down = flow_nll(f, batch.data(), batch.size());
    f.params[i] = saved;
    const double numeric = (up - down) / (2 * h);
    const double rel = std::fabs(numeric - grad[i]) / std::max(1e-6, std::fabs(numeric) + std::fabs(grad[i]));
    worst = std::max(worst, rel);
  }
  CHECK(worst < 1e-5);
}

TEST_CASE("flow: density integrates to one and training raises held-out likelihood", "[prob]") {
  ll::Rng rng(12);
  const std::vector<Point2> train = make_dataset2d(Dataset2d::TwoMoons, 1000, 0.08, rng).points;
  const std::vector<Point2> heldout = make_dataset2d(Dataset2d::TwoMoons, 400, 0.08, rng).points;
  FlowTrainer t = start_flow_training({4, 16, 2.0}, train, rng, 5e-3, 64);
  const double before = record_heldout(t, heldout);
  for (int i = 0; i < 400; ++i) REQUIRE(flow_train_step(t, train, rng));
  const double after = record_heldout(t, heldout);
  CHECK(after < before - 0.25);
  CHECK(t.train_nll.size() == 400);
  // Change of variables keeps p(x) a density: ∫p ≈ 1 over a box holding the data.
  const int n = 120;
  const std::vector<float> p = flow_density_grid(t.flow, -5, 5, -5, 5, n, n);
  double mass = 0;
  for (float v : p) mass += v * (10.0 / n) * (10.0 / n);
  CHECK(mass == Approx(1.0).margin(0.03));
  // Samples land near the data: their held-out-style NLL under the model is finite and low.
  const std::vector<Point2> xs = flow_sample(t.flow, 200, rng);
  CHECK(flow_nll(t.flow, xs.data(), xs.size()) < after + 0.5);
}

TEST_CASE("flow: a non-finite input stops training with a message and keeps the parameters", "[prob]") {
  ll::Rng rng(1);
  std::vector<Point2> bad = make_dataset2d(Dataset2d::Rings, 50, 0.1, rng).points;
  FlowTrainer t = start_flow_training({2, 4, 2.0}, bad, rng, 1e-3, 400);
  bad[7] = {NAN, 0.0};
  const std::vector<double> before = t.flow.params;
  CHECK_FALSE(flow_train_step(t, bad, rng));
  CHECK(t.diverged);
  CHECK(t.message.find("diverged") != std::string::npos);
  CHECK(t.flow.params == before);
  FlowTrainer none = start_flow_training({2, 4, 2.0}, {}, rng);
  CHECK_FALSE(flow_train_step(none, {}, rng));
  CHECK_FALSE(none.message.empty());
}
