#include "ml/prob/gmm.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace ll::prob {

namespace {

double squared_distance(Point2 a, Point2 b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

std::string join_components(const std::vector<int>& ks) {
  std::string s;
  for (size_t i = 0; i < ks.size(); ++i) s += (i ? ", " : "") + std::to_string(ks[i] + 1);
  return s;
}

// The E-step core: fills log π_k + log N(x_i; μ_k, Σ_k) for one point.
void component_log_terms(const Gmm2& model, Point2 x, double* terms) {
  for (int k = 0; k < model.k(); ++k)
    terms[k] = model.weights[size_t(k)] > 0
                   ? std::log(model.weights[size_t(k)]) + gaussian2_log_pdf(model.components[size_t(k)], x)
                   : -INFINITY;
}

}  // namespace

double gmm_log_pdf(const Gmm2& model, Point2 x) {
  std::vector<double> terms(size_t(model.k()));
  component_log_terms(model, x, terms.data());
  return log_sum_exp(terms.data(), terms.size());
}

double gmm_average_log_likelihood(const Gmm2& model, const std::vector<Point2>& points) {
  if (points.empty()) return NAN;
  double sum = 0;
  for (Point2 p : points) sum += gmm_log_pdf(model, p);
  return sum / double(points.size());
}

double gmm_responsibilities(const Gmm2& model, const std::vector<Point2>& points, std::vector<double>& r) {
  const size_t K = size_t(model.k());
  r.resize(points.size() * K);  // [n × K]
  double sum = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    double* row = &r[i * K];
    component_log_terms(model, points[i], row);
    const double log_px = log_sum_exp(row, K);
    for (size_t k = 0; k < K; ++k) row[k] = std::exp(row[k] - log_px);
    sum += log_px;
  }
  return points.empty() ? NAN : sum / double(points.size());
}

std::vector<Point2> kmeans_plus_plus(const std::vector<Point2>& points, int k, Rng& rng) {
  assert(!points.empty() && k >= 1);
  std::vector<Point2> centers;
  centers.push_back(points[rng.below(uint32_t(points.size()))]);
  std::vector<double> nearest(points.size());
  while (int(centers.size()) < k) {
    double total = 0;
    for (size_t i = 0; i < points.size(); ++i) {
      double best = INFINITY;
      for (Point2 c : centers) best = std::min(best, squared_distance(points[i], c));
      nearest[i] = best;
      total += best;
    }
    // All points coincide with a centre (duplicates): any point will do.
    const size_t pick = total > 0 ? rng.categorical(nearest.data(), nearest.size()) : rng.below(uint32_t(points.size()));
    centers.push_back(points[pick]);
  }
  return centers;
}

namespace {

bool finite_point(Point2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

bool finite_model(const Gmm2& m) {
  for (size_t k = 0; k < m.components.size(); ++k) {
    const Gaussian2& g = m.components[k];
    if (!std::isfinite(m.weights[k]) || !finite_point(g.mean) || !std::isfinite(g.cov.xx) ||
        !std::isfinite(g.cov.xy) || !std::isfinite(g.cov.yy))
      return false;
  }
  return true;
}

}  // namespace

GmmFit start_gmm(const std::vector<Point2>& points, const GmmConfig& config, Rng& rng) {
  GmmFit fit;
  fit.config = config;
  if (points.empty()) {
    fit.message = "No points to fit: add points (click the plot) or load a preset.";
    return fit;
  }
  for (size_t i = 0; i < points.size(); ++i)
    if (!finite_point(points[i])) {
      fit.message = "Point " + std::to_string(i) + " is not a finite number: remove it to fit.";
      return fit;
    }
  int k = std::max(1, config.k);
  if (size_t(k) > points.size()) {
    k = int(points.size());
    fit.message = "K = " + std::to_string(config.k) + " is more components than the " +
                  std::to_string(points.size()) + " points; using K = " + std::to_string(k) + ".";
  }
  fit.config.k = k;
  const Gaussian2 all = fit_gaussian2(points.data(), points.size());
  fit.variance_floor = std::max(kMinVariance, config.variance_floor_fraction * 0.5 * (all.cov.xx + all.cov.yy));
  Cov2 start_cov = all.cov;
  if (floor_eigenvalues(start_cov, fit.variance_floor) && fit.message.empty())
    fit.message = "The points have no spread in some direction, so their covariance is singular; every "
                  "covariance is kept at least " + std::to_string(fit.variance_floor) + " along each axis.";

  std::vector<Point2> means;
  if (config.init == GmmInit::KMeansPlusPlus) {
    means = kmeans_plus_plus(points, k, rng);
  } else {
    std::vector<size_t> order(points.size());
    std::iota(order.begin(), order.end(), size_t(0));
    rng.shuffle(order.data(), order.size());
    for (int j = 0; j < k; ++j) means.push_back(points[order[size_t(j)]]);
  }
  fit.model.weights.assign(size_t(k), 1.0 / k);
  fit.model.components.resize(size_t(k));
  for (int j = 0; j < k; ++j) fit.model.components[size_t(j)] = {means[size_t(j)], start_cov};
  fit.log_likelihood.assign(1, gmm_responsibilities(fit.model, points, fit.responsibilities));
  if (!finite_model(fit.model) || !std::isfinite(fit.log_likelihood[0])) {
    fit.message = "The points are too far apart for double precision (their spread is not finite): nothing to fit.";
    return fit;
  }
  fit.ok = true;
  return fit;
}

EmStepReport em_step(GmmFit& fit, const std::vector<Point2>& points) {
  EmStepReport report;
  if (!fit.ok || points.empty()) {
    report.log_likelihood = NAN;
    report.message = fit.message.empty() ? "Nothing to fit." : fit.message;
    return report;
  }
  const size_t n = points.size(), K = size_t(fit.model.k());
  if (fit.responsibilities.size() != n * K) {
    report.log_likelihood = NAN;
    report.message = "The points changed since the fit started: restart the fit.";
    return report;
  }
  for (size_t i = 0; i < n; ++i)
    if (!finite_point(points[i])) {
      report.log_likelihood = NAN;
      report.message = fit.message = "Point " + std::to_string(i) + " is not a finite number: the fit is kept.";
      return report;
    }
  // The last good fit, put back if this step leaves anything non-finite (points so far apart
  // that their squares overflow).
  const Gmm2 last_model = fit.model;
  const std::vector<double> last_responsibilities = fit.responsibilities;
  const Gaussian2 all = fit_gaussian2(points.data(), n);
  // M-step, one component at a time, from the responsibilities r [n × K] of the last E-step.
  std::vector<double> column(n);
  for (size_t k = 0; k < K; ++k) {
    double nk = 0;
    for (size_t i = 0; i < n; ++i) nk += column[i] = fit.responsibilities[i * K + k];
    if (nk < 1e-10 * double(n)) {
      report.reseeded.push_back(int(k));
      continue;
    }
    Gaussian2 g = fit_gaussian2_weighted(points.data(), column.data(), n);
    if (floor_eigenvalues(g.cov, fit.variance_floor)) report.floored.push_back(int(k));
    fit.model.components[k] = g;
    fit.model.weights[k] = nk / double(n);
  }
  // A component no point belongs to would stay dead; restart it on the worst-explained point.
  for (int k : report.reseeded) {
    size_t worst = 0;
    double worst_lp = INFINITY;
    for (size_t i = 0; i < n; ++i) {
      const double lp = gmm_log_pdf(fit.model, points[i]);
      if (lp < worst_lp) worst_lp = lp, worst = i;
    }
    Cov2 cov = all.cov;
    floor_eigenvalues(cov, fit.variance_floor);
    fit.model.components[size_t(k)] = {points[worst], cov};
    fit.model.weights[size_t(k)] = 1.0 / double(n);
  }
  double total = 0;
  for (double w : fit.model.weights) total += w;
  for (double& w : fit.model.weights) w /= total;

  report.log_likelihood = gmm_responsibilities(fit.model, points, fit.responsibilities);
  if (!finite_model(fit.model) || !std::isfinite(report.log_likelihood)) {
    fit.model = last_model;
    fit.responsibilities = last_responsibilities;
    report.log_likelihood = NAN;
    report.floored.clear();
    report.reseeded.clear();
    report.message = fit.message =
        "This EM step gave a non-finite mean, covariance or likelihood (points too far apart for double "
        "precision?); the last good fit is kept.";
    return report;
  }
  fit.log_likelihood.push_back(report.log_likelihood);
  ++fit.iteration;
  if (!report.reseeded.empty())
    report.message += "Component " + join_components(report.reseeded) +
                      " had no points (its total responsibility was 0), so it was re-seeded at the point the model "
                      "explained worst; the log-likelihood may dip this step. ";
  if (!report.floored.empty())
    report.message += "Component " + join_components(report.floored) +
                      " shrank onto a point or a line, where the likelihood grows without bound; its variances "
                      "were floored at " + std::to_string(fit.variance_floor) + ". ";
  if (!report.message.empty()) fit.message = report.message;
  return report;
}

std::vector<Point2> sample_gmm(const Gmm2& model, int n, Rng& rng, std::vector<int>* components) {
  assert(model.k() >= 1 && n >= 0);
  std::vector<Point2> out(static_cast<size_t>(n));
  if (components) components->resize(size_t(n));
  for (int i = 0; i < n; ++i) {
    const size_t z = rng.categorical(model.weights.data(), model.weights.size());
    out[size_t(i)] = sample_gaussian2(model.components[z], rng);
    if (components) (*components)[size_t(i)] = int(z);
  }
  return out;
}

namespace {

// Assigns every point to its nearest centre; returns the mean squared distance and whether
// any assignment changed.
double assign_nearest(KMeans& km, const std::vector<Point2>& points, bool& changed) {
  changed = false;
  double sum = 0;
  km.assignment.resize(points.size(), -1);
  for (size_t i = 0; i < points.size(); ++i) {
    int best = 0;
    double best_d = INFINITY;
    for (size_t c = 0; c < km.centers.size(); ++c) {
      const double d = squared_distance(points[i], km.centers[c]);
      if (d < best_d) best_d = d, best = int(c);
    }
    if (km.assignment[i] != best) changed = true;
    km.assignment[i] = best;
    sum += best_d;
  }
  return points.empty() ? NAN : sum / double(points.size());
}

}  // namespace

KMeans start_kmeans(const std::vector<Point2>& points, int k, Rng& rng) {
  KMeans km;
  if (points.empty()) {
    km.message = "No points to cluster.";
    return km;
  }
  k = std::clamp(k, 1, int(points.size()));
  km.centers = kmeans_plus_plus(points, k, rng);
  bool changed = false;
  km.inertia.assign(1, assign_nearest(km, points, changed));
  return km;
}

bool kmeans_step(KMeans& km, const std::vector<Point2>& points) {
  if (points.empty() || km.centers.empty()) return false;
  assert(km.assignment.size() == points.size() && "points changed since start_kmeans: restart");
  const size_t K = km.centers.size();
  std::vector<Point2> sums(K, Point2{0, 0});
  std::vector<long> counts(K, 0);
  for (size_t i = 0; i < points.size(); ++i) {
    const size_t c = size_t(km.assignment[i]);
    sums[c].x += points[i].x;
    sums[c].y += points[i].y;
    ++counts[c];
  }
  std::vector<int> emptied;
  for (size_t c = 0; c < K; ++c) {
    if (counts[c] > 0) {
      km.centers[c] = {sums[c].x / double(counts[c]), sums[c].y / double(counts[c])};
      continue;
    }
    // Jump to the point farthest from its own centre.
    size_t far = 0;
    double far_d = -1;
    for (size_t i = 0; i < points.size(); ++i) {
      const double d = squared_distance(points[i], km.centers[size_t(km.assignment[i])]);
      if (d > far_d) far_d = d, far = i;
    }
    km.centers[c] = points[far];
    emptied.push_back(int(c));
  }
  km.message = emptied.empty() ? "" : "Centre " + join_components(emptied) +
                                          " had no points and jumped to the point farthest from its centre.";
  bool changed = false;
  km.inertia.push_back(assign_nearest(km, points, changed));
  ++km.iteration;
  return changed || !emptied.empty();
}

}  // namespace ll::prob
