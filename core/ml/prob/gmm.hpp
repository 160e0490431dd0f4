#pragma once
// A Gaussian mixture in 2-D, p(x) = Σ_k π_k N(x; μ_k, Σ_k), fitted by EM with full
// covariances; k-means as its hard-assignment limit; sampling from the fitted model.
// Degenerate cases are repaired and reported, never fatal: a covariance that collapses
// (a component on one point or a line) has its eigenvalues floored, and a component that
// gets no responsibility is re-seeded at the worst-explained point.
#include <string>
#include <vector>

#include "ml/prob/gauss2d.hpp"
#include "ml/rng.hpp"

namespace ll::prob {

struct Gmm2 {
  std::vector<double> weights;        // [K] π_k, sum 1
  std::vector<Gaussian2> components;  // [K]
  int k() const { return int(weights.size()); }
};

enum class GmmInit {
  RandomPoints,  // means at K distinct random data points, covariances = the data's
  KMeansPlusPlus // means by k-means++ seeding (spread out), covariances = the data's
};

// Variances are floored at variance_floor_fraction × the data's mean variance, and at least at
// kMinVariance, since a zero-spread component would have an unbounded likelihood.
constexpr double kMinVariance = 1e-4;

struct GmmConfig {
  int k = 3;
  GmmInit init = GmmInit::KMeansPlusPlus;
  double variance_floor_fraction = 1e-3;
};

struct EmStepReport {
  double log_likelihood = 0;      // average log p(x_i) under the updated model
  std::vector<int> floored;       // components whose covariance was regularised
  std::vector<int> reseeded;      // components that had no points and were re-seeded
  std::string message;            // plain-language account of the above ("" when all normal)
};

struct GmmFit {
  GmmConfig config;
  Gmm2 model;
  std::vector<double> responsibilities;  // [n × K] row-major, r_ik = P(z = k | x_i)
  std::vector<double> log_likelihood;    // average log-likelihood per point after each EM step; [0] = at init
  int iteration = 0;
  double variance_floor = 1e-9;
  std::string message;  // the latest repair, or why the fit cannot start
  bool ok = false;      // false when there are no points to fit
};

// Initialises the fit (and computes responsibilities and log_likelihood[0]). K is clamped to
// [1, n] for n ≥ 1 points with a message; zero points give ok = false with a message.
GmmFit start_gmm(const std::vector<Point2>& points, const GmmConfig& config, Rng& rng);
// One EM iteration: E-step (responsibilities under the current model), M-step (weights, means,
// covariances from them), then the new responsibilities and log-likelihood.
EmStepReport em_step(GmmFit& fit, const std::vector<Point2>& points);

// Average log p(x) and the E-step, available on their own.
double gmm_average_log_likelihood(const Gmm2& model, const std::vector<Point2>& points);
double gmm_log_pdf(const Gmm2& model, Point2 x);
// Fills r [n × K]; returns the average log-likelihood.
double gmm_responsibilities(const Gmm2& model, const std::vector<Point2>& points, std::vector<double>& r);

// Draws n points; `components` (if not null) receives each point's component z.
std::vector<Point2> sample_gmm(const Gmm2& model, int n, Rng& rng, std::vector<int>* components = nullptr);

// ---- k-means ------------------------------------------------------------------------------

struct KMeans {
  std::vector<Point2> centers;   // [K]
  std::vector<int> assignment;   // [n]
  std::vector<double> inertia;   // mean squared distance to the assigned centre, per iteration
  int iteration = 0;
  std::string message;
};

// k-means++ seeding: each next centre drawn with probability ∝ squared distance to the nearest.
std::vector<Point2> kmeans_plus_plus(const std::vector<Point2>& points, int k, Rng& rng);
KMeans start_kmeans(const std::vector<Point2>& points, int k, Rng& rng);
// Assign each point to its nearest centre, then move centres to their points' means. A centre
// left with no points jumps to the point farthest from its centre. Returns true if any
// assignment changed (false: converged).
bool kmeans_step(KMeans& km, const std::vector<Point2>& points);

}  // namespace ll::prob
