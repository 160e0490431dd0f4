#pragma once
// 2-D points and Gaussians shared by the probability lessons: densities, covariance
// regularisation, sampling by Cholesky, and the ellipse a covariance draws.
#include <cstddef>
#include <string>
#include <vector>

#include "ml/rng.hpp"

namespace ll::prob {

constexpr double kPi = 3.14159265358979323846;
constexpr double kLog2Pi = 1.83787706640934548356;  // log(2π)

struct Point2 {
  double x = 0, y = 0;
};

// Symmetric 2×2 covariance [[xx, xy], [xy, yy]].
struct Cov2 {
  double xx = 1, xy = 0, yy = 1;
  double det() const { return xx * yy - xy * xy; }
};

struct Gaussian2 {
  Point2 mean;
  Cov2 cov;
};

// Eigen-decomposition of a covariance: variances along the principal axes (major ≥ minor)
// and the major axis' angle from +x in radians. Draws the nσ ellipse (radii n·√λ).
struct CovAxes {
  double major = 1, minor = 1;  // eigenvalues λ₁ ≥ λ₂
  double angle = 0;
};
CovAxes cov_axes(const Cov2& c);
// Rebuilds a covariance from its axes (inverse of cov_axes).
Cov2 cov_from_axes(const CovAxes& a);

// Lifts every eigenvalue below `floor` to `floor`. This is the maximum-likelihood covariance
// under the constraint λ ≥ floor, so EM stays monotone with it. Returns true if anything changed.
bool floor_eigenvalues(Cov2& c, double floor);

// log N(p; mean, cov). The covariance must be positive definite (det > 0).
double gaussian2_log_pdf(const Gaussian2& g, Point2 p);

// Mean and (biased, 1/n) covariance of points; n ≥ 1. With weights: Σw·p / Σw, Σw > 0.
Gaussian2 fit_gaussian2(const Point2* points, size_t n);
Gaussian2 fit_gaussian2_weighted(const Point2* points, const double* weights, size_t n);

// One draw: mean + L·ε with L the Cholesky factor of cov (positive semi-definite).
Point2 sample_gaussian2(const Gaussian2& g, Rng& rng);

// Points of the nσ ellipse, `segments` + 1 of them, closed (first == last).
std::vector<Point2> ellipse_points(const Gaussian2& g, double n_sigma, int segments);

// log Σ exp(v[i]) without overflow; −inf for an empty or all −inf input.
double log_sum_exp(const double* v, size_t n);

}  // namespace ll::prob
