#pragma once
// Two ways to get P(y|x) for two classes in 2-D.
//  Generative: model P(x, y) = P(y)·N(x; μ_y, Σ_y), fitted in closed form (class frequencies,
//  class means and covariances), then Bayes' rule gives P(y=1|x).
//  Discriminative: model P(y=1|x) = σ(w·x + b) directly (logistic regression), fitted by
//  gradient steps on the mean cross-entropy.
#include <string>
#include <vector>

#include "ml/prob/gauss2d.hpp"

namespace ll::prob {

struct GenerativeClassifier {
  double prior[2] = {0.5, 0.5};  // P(y)
  Gaussian2 class_density[2];    // P(x|y)
  bool shared_covariance = false;  // LDA (linear boundary) instead of QDA (quadratic)
  std::string message;             // what was regularised, or why a class fell back
};

// labels in {0, 1}. A class with no points keeps prior 0 and a unit Gaussian at the origin; a
// class with one point (or points on a line) gets its covariance floored at `variance_floor`.
// All of it is named in `message`.
GenerativeClassifier fit_generative_classifier(const std::vector<Point2>& points, const std::vector<int>& labels,
                                               bool shared_covariance, double variance_floor = 1e-3);
double generative_p1(const GenerativeClassifier& c, Point2 x);  // P(y=1|x) by Bayes' rule

struct LogisticRegression2 {
  double w[2] = {0, 0}, b = 0;
  long step = 0;
};

double logistic_p1(const LogisticRegression2& m, Point2 x);  // σ(w·x + b)
// Mean cross-entropy −(1/n)Σ[y log p + (1−y) log(1−p)] in nats; 0 for no points.
double logistic_loss(const LogisticRegression2& m, const std::vector<Point2>& points, const std::vector<int>& labels);
// One full-batch gradient step with learning rate lr and L2 penalty ½λ|w|² (keeps w finite on
// separable data). Returns the loss before the step.
double logistic_step(LogisticRegression2& m, const std::vector<Point2>& points, const std::vector<int>& labels,
                     double lr, double l2 = 1e-3);

// Fraction of points whose label matches p(x) > 0.5.
template <class P1> double classification_accuracy(P1 p1, const std::vector<Point2>& points,
                                                   const std::vector<int>& labels) {
  if (points.empty()) return 0;
  size_t right = 0;
  for (size_t i = 0; i < points.size(); ++i) right += (p1(points[i]) > 0.5) == (labels[i] == 1);
  return double(right) / double(points.size());
}

}  // namespace ll::prob
