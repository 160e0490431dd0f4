#include "ml/prob/classify2d.hpp"

#include <cassert>
#include <cmath>

namespace ll::prob {

namespace {

double sigmoid(double z) {
  // Both branches avoid exp overflow.
  if (z >= 0) return 1 / (1 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1 + e);
}

}  // namespace

GenerativeClassifier fit_generative_classifier(const std::vector<Point2>& points, const std::vector<int>& labels,
                                               bool shared_covariance, double variance_floor) {
  assert(points.size() == labels.size());
  GenerativeClassifier c;
  c.shared_covariance = shared_covariance;
  std::vector<Point2> by_class[2];
  for (size_t i = 0; i < points.size(); ++i) by_class[labels[i] == 1 ? 1 : 0].push_back(points[i]);
  const double n = double(points.size());
  for (int k = 0; k < 2; ++k) {
    const auto& pts = by_class[k];
    c.prior[k] = n > 0 ? double(pts.size()) / n : 0.5;
    if (pts.empty()) {
      c.class_density[k] = Gaussian2{};
      c.message += "Class " + std::to_string(k) + " has no points: its prior is 0 and its density a placeholder. ";
      continue;
    }
    c.class_density[k] = fit_gaussian2(pts.data(), pts.size());
  }
  if (shared_covariance && !by_class[0].empty() && !by_class[1].empty()) {
    // The pooled within-class covariance, weighted by class size.
    Cov2 pooled{0, 0, 0};
    for (int k = 0; k < 2; ++k) {
      const Cov2& s = c.class_density[k].cov;
      pooled.xx += c.prior[k] * s.xx;
      pooled.xy += c.prior[k] * s.xy;
      pooled.yy += c.prior[k] * s.yy;
    }
    c.class_density[0].cov = c.class_density[1].cov = pooled;
  }
  for (int k = 0; k < 2; ++k) {
    if (by_class[k].empty()) continue;
    if (floor_eigenvalues(c.class_density[k].cov, variance_floor))
      c.message += "Class " + std::to_string(k) + "'s points have (almost) no spread in some direction, so its " +
                   "covariance is singular; its variances were floored at " + std::to_string(variance_floor) + ". ";
  }
  return c;
}

double generative_p1(const GenerativeClassifier& c, Point2 x) {
  if (c.prior[1] == 0) return 0;
  if (c.prior[0] == 0) return 1;
  const double l0 = std::log(c.prior[0]) + gaussian2_log_pdf(c.class_density[0], x);
  const double l1 = std::log(c.prior[1]) + gaussian2_log_pdf(c.class_density[1], x);
  return sigmoid(l1 - l0);
}

double logistic_p1(const LogisticRegression2& m, Point2 x) { return sigmoid(m.w[0] * x.x + m.w[1] * x.y + m.b); }

double logistic_loss(const LogisticRegression2& m, const std::vector<Point2>& points, const std::vector<int>& labels) {
  if (points.empty()) return 0;
  double sum = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const double z = m.w[0] * points[i].x + m.w[1] * points[i].y + m.b;
    // −log σ(z) = log(1 + e^−z), computed stably; −log(1 − σ(z)) = log(1 + e^z).
    const double s = labels[i] == 1 ? -z : z;
    sum += s > 0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s));
  }
  return sum / double(points.size());
}

double logistic_step(LogisticRegression2& m, const std::vector<Point2>& points, const std::vector<int>& labels,
                     double lr, double l2) {
  assert(points.size() == labels.size());
  const double loss = logistic_loss(m, points, labels);
  if (points.empty()) return loss;
  double gw0 = 0, gw1 = 0, gb = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const double err = logistic_p1(m, points[i]) - (labels[i] == 1 ? 1.0 : 0.0);  // ∂loss/∂z
    gw0 += err * points[i].x;
    gw1 += err * points[i].y;
    gb += err;
  }
  const double inv_n = 1.0 / double(points.size());
  m.w[0] -= lr * (gw0 * inv_n + l2 * m.w[0]);
  m.w[1] -= lr * (gw1 * inv_n + l2 * m.w[1]);
  m.b -= lr * gb * inv_n;
  ++m.step;
  return loss;
}

}  // namespace ll::prob
