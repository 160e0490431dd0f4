#include "ml/prob/gauss2d.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace ll::prob {

CovAxes cov_axes(const Cov2& c) {
  const double mid = 0.5 * (c.xx + c.yy);
  const double half_gap = std::sqrt(0.25 * (c.xx - c.yy) * (c.xx - c.yy) + c.xy * c.xy);
  CovAxes a;
  a.major = mid + half_gap;
  a.minor = mid - half_gap;
  a.angle = 0.5 * std::atan2(2 * c.xy, c.xx - c.yy);
  return a;
}

Cov2 cov_from_axes(const CovAxes& a) {
  const double co = std::cos(a.angle), si = std::sin(a.angle);
  Cov2 c;
  c.xx = a.major * co * co + a.minor * si * si;
  c.yy = a.major * si * si + a.minor * co * co;
  c.xy = (a.major - a.minor) * co * si;
  return c;
}

bool floor_eigenvalues(Cov2& c, double floor) {
  assert(floor > 0 && "the eigenvalue floor must be positive");
  if (!(std::isfinite(c.xx) && std::isfinite(c.xy) && std::isfinite(c.yy))) {
    c = Cov2{floor, 0, floor};
    return true;
  }
  CovAxes a = cov_axes(c);
  if (a.minor >= floor) return false;
  a.major = std::max(a.major, floor);
  a.minor = floor;
  c = cov_from_axes(a);
  return true;
}

double gaussian2_log_pdf(const Gaussian2& g, Point2 p) {
  const double det = g.cov.det();
  assert(det > 0 && "gaussian2_log_pdf needs a positive definite covariance");
  const double dx = p.x - g.mean.x, dy = p.y - g.mean.y;
  // (Σ⁻¹ = [[yy, −xy], [−xy, xx]] / det)
  const double mahalanobis = (g.cov.yy * dx * dx - 2 * g.cov.xy * dx * dy + g.cov.xx * dy * dy) / det;
  return -kLog2Pi - 0.5 * std::log(det) - 0.5 * mahalanobis;
}

Gaussian2 fit_gaussian2_weighted(const Point2* points, const double* weights, size_t n) {
  double total = 0, mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    total += weights[i];
    mx += weights[i] * points[i].x;
    my += weights[i] * points[i].y;
  }
  assert(total > 0 && "fit_gaussian2_weighted needs a positive total weight");
  Gaussian2 g;
  g.mean = {mx / total, my / total};
  double xx = 0, xy = 0, yy = 0;
  for (size_t i = 0; i < n; ++i) {
    const double dx = points[i].x - g.mean.x, dy = points[i].y - g.mean.y;
    xx += weights[i] * dx * dx;
    xy += weights[i] * dx * dy;
    yy += weights[i] * dy * dy;
  }
  g.cov = {xx / total, xy / total, yy / total};
  return g;
}

Gaussian2 fit_gaussian2(const Point2* points, size_t n) {
  assert(n >= 1 && "fit_gaussian2 needs at least one point");
  const std::vector<double> ones(n, 1.0);
  return fit_gaussian2_weighted(points, ones.data(), n);
}

Point2 sample_gaussian2(const Gaussian2& g, Rng& rng) {
  // Σ = L·Lᵀ with L = [[a, 0], [b, c]].
  const double a = std::sqrt(std::max(g.cov.xx, 0.0));
  const double b = a > 0 ? g.cov.xy / a : 0;
  const double c = std::sqrt(std::max(g.cov.yy - b * b, 0.0));
  const double e1 = rng.normal(), e2 = rng.normal();
  return {g.mean.x + a * e1, g.mean.y + b * e1 + c * e2};
}

std::vector<Point2> ellipse_points(const Gaussian2& g, double n_sigma, int segments) {
  assert(segments >= 3);
  const CovAxes a = cov_axes(g.cov);
  const double r1 = n_sigma * std::sqrt(std::max(a.major, 0.0)), r2 = n_sigma * std::sqrt(std::max(a.minor, 0.0));
  const double co = std::cos(a.angle), si = std::sin(a.angle);
  std::vector<Point2> out(size_t(segments) + 1);
  for (int i = 0; i <= segments; ++i) {
    const double t = 2 * kPi * (i % segments) / segments;
    const double u = r1 * std::cos(t), v = r2 * std::sin(t);
    out[size_t(i)] = {g.mean.x + co * u - si * v, g.mean.y + si * u + co * v};
  }
  return out;
}

double log_sum_exp(const double* v, size_t n) {
  double hi = -INFINITY;
  for (size_t i = 0; i < n; ++i) hi = std::max(hi, v[i]);
  if (!std::isfinite(hi)) return hi;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += std::exp(v[i] - hi);
  return hi + std::log(sum);
}

}  // namespace ll::prob
