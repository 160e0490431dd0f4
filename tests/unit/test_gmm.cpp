#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "ml/prob/datasets2d.hpp"
#include "ml/prob/gmm.hpp"
#include "ml/rng.hpp"

using namespace ll::prob;

namespace {

std::vector<Point2> blobs(int n, uint64_t seed) {
  ll::Rng rng(seed);
  return make_dataset2d(Dataset2d::ThreeGaussians, n, 0.1, rng).points;
}

}  // namespace

TEST_CASE("gmm: EM's log-likelihood never decreases on a seeded data set", "[prob]") {
  const std::vector<Point2> pts = blobs(600, 11);
  for (int k : {2, 3, 5}) {
    for (GmmInit init : {GmmInit::RandomPoints, GmmInit::KMeansPlusPlus}) {
      ll::Rng rng(5);
      GmmFit fit = start_gmm(pts, {k, init, 1e-3}, rng);
      REQUIRE(fit.ok);
      for (int it = 0; it < 60; ++it) {
        const EmStepReport r = em_step(fit, pts);
        REQUIRE(r.reseeded.empty());
      }
      INFO("K = " << k);
      REQUIRE(fit.log_likelihood.size() == 61);
      for (size_t i = 1; i < fit.log_likelihood.size(); ++i)
        CHECK(fit.log_likelihood[i] >= fit.log_likelihood[i - 1] - 1e-12);
      CHECK(fit.log_likelihood.back() > fit.log_likelihood.front() + 0.1);
    }
  }
}

TEST_CASE("gmm: EM recovers a known three-component mixture", "[prob]") {
  const Mixture2Truth truth = three_gaussians_truth(0.1);
  const std::vector<Point2> pts = blobs(4000, 21);
  ll::Rng rng(2);
  GmmFit fit = start_gmm(pts, {3, GmmInit::KMeansPlusPlus, 1e-3}, rng);
  for (int it = 0; it < 300; ++it) {
    em_step(fit, pts);
    const size_t t = fit.log_likelihood.size();
    if (fit.log_likelihood[t - 1] - fit.log_likelihood[t - 2] < 1e-9) break;
  }
  INFO("EM iterations: " << fit.iteration);
  for (size_t t = 0; t < 3; ++t) {
    // The fitted component nearest to true component t.
    size_t best = 0;
    double best_d = INFINITY;
    for (size_t k = 0; k < 3; ++k) {
      const Point2 m = fit.model.components[k].mean;
      const double d = std::hypot(m.x - truth.components[t].mean.x, m.y - truth.components[t].mean.y);
      if (d < best_d) best_d = d, best = k;
    }
    INFO("true component " << t);
    const Gaussian2& g = fit.model.components[best];
    CHECK(best_d < 0.06);
    CHECK(fit.model.weights[best] == Approx(truth.weights[t]).margin(0.025));
    CHECK(g.cov.xx == Approx(truth.components[t].cov.xx).margin(0.05));
    CHECK(g.cov.xy == Approx(truth.components[t].cov.xy).margin(0.05));
    CHECK(g.cov.yy == Approx(truth.components[t].cov.yy).margin(0.05));
  }
}

TEST_CASE("gmm: no points, one point, duplicates and an empty component are handled", "[prob]") {
  ll::Rng rng(1);
  const GmmFit empty = start_gmm({}, {3, GmmInit::KMeansPlusPlus, 1e-3}, rng);
  CHECK_FALSE(empty.ok);
  CHECK(empty.message.find("No points") != std::string::npos);

  const std::vector<Point2> one = {{0.5, -0.5}};
  GmmFit single = start_gmm(one, {3, GmmInit::KMeansPlusPlus, 1e-3}, rng);
  REQUIRE(single.ok);
  CHECK(single.model.k() == 1);
  CHECK(single.message.find("using K = 1") != std::string::npos);
  const EmStepReport r1 = em_step(single, one);
  CHECK(std::isfinite(r1.log_likelihood));
  CHECK(r1.floored.size() == 1);
  CHECK(r1.message.find("floored") != std::string::npos);

  // Four copies of two points: every component collapses onto a point.
  const std::vector<Point2> dup = {{0, 0}, {0, 0}, {1, 1}, {1, 1}};
  GmmFit pair = start_gmm(dup, {2, GmmInit::KMeansPlusPlus, 1e-3}, rng);
  for (int it = 0; it < 20; ++it) em_step(pair, dup);
  CHECK(std::isfinite(pair.log_likelihood.back()));
  for (const Gaussian2& g : pair.model.components) CHECK(g.cov.det() > 0);

  // A component far away from every point gets no responsibility: it is re-seeded.
  const std::vector<Point2> pts = blobs(300, 4);
  GmmFit fit = start_gmm(pts, {3, GmmInit::KMeansPlusPlus, 1e-3}, rng);
  fit.model.components[2].mean = {100, 100};
  fit.model.components[2].cov = {0.01, 0, 0.01};
  gmm_responsibilities(fit.model, pts, fit.responsibilities);
  const EmStepReport r = em_step(fit, pts);
  REQUIRE(r.reseeded.size() == 1);
  CHECK(r.reseeded[0] == 2);
  CHECK(r.message.find("had no points") != std::string::npos);
  CHECK(std::hypot(fit.model.components[2].mean.x, fit.model.components[2].mean.y) < 10);
  CHECK(std::isfinite(r.log_likelihood));
}

TEST_CASE("gmm: samples follow the fitted weights and means", "[prob]") {
  Gmm2 model;
  model.weights = {0.7, 0.3};
  model.components = {{{-2, 0}, {0.5, 0.2, 0.4}}, {{3, 1}, {0.2, 0, 0.2}}};
  ll::Rng rng(9);
  std::vector<int> z;
  const std::vector<Point2> xs = sample_gmm(model, 20000, rng, &z);
  double count0 = 0, mx = 0, my = 0, cxy = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (z[i] != 0) continue;
    count0 += 1;
    mx += xs[i].x;
    my += xs[i].y;
  }
  mx /= count0, my /= count0;
  for (size_t i = 0; i < xs.size(); ++i)
    if (z[i] == 0) cxy += (xs[i].x - mx) * (xs[i].y - my);
  CHECK(count0 / 20000 == Approx(0.7).margin(0.01));
  CHECK(mx == Approx(-2).margin(0.02));
  CHECK(my == Approx(0).margin(0.02));
  CHECK(cxy / count0 == Approx(0.2).margin(0.02));
  // The density integrates to about 1 over a wide grid.
  double mass = 0;
  const double h = 0.05;
  for (double x = -8; x < 8; x += h)
    for (double y = -6; y < 6; y += h) mass += std::exp(gmm_log_pdf(model, {x + h / 2, y + h / 2})) * h * h;
  CHECK(mass == Approx(1.0).margin(1e-3));
}

TEST_CASE("kmeans: inertia never rises, converges, and empty clusters recover", "[prob]") {
  const std::vector<Point2> pts = blobs(500, 8);
  ll::Rng rng(3);
  KMeans km = start_kmeans(pts, 3, rng);
  bool changed = true;
  for (int it = 0; it < 100 && changed; ++it) changed = kmeans_step(km, pts);
  CHECK_FALSE(changed);
  for (size_t i = 1; i < km.inertia.size(); ++i) CHECK(km.inertia[i] <= km.inertia[i - 1] + 1e-12);
  // Force a centre no point is nearest to.
  km.centers[1] = {50, 50};
  bool ignore = false;
  for (size_t i = 0; i < pts.size(); ++i) km.assignment[i] = km.assignment[i] == 1 ? 0 : km.assignment[i];
  ignore = kmeans_step(km, pts);
  CHECK(ignore);
  CHECK(km.message.find("no points") != std::string::npos);
  CHECK(std::hypot(km.centers[1].x, km.centers[1].y) < 10);
}
