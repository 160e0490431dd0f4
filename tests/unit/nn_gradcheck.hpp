#pragma once
// Central-difference gradient checking for the nn tests: the layers run in float, so the
// check perturbs by h, uses the perturbation actually stored in float, evaluates the scalar
// loss in double, and compares whole gradient vectors by relative error
// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖).
#include <cmath>
#include <cstddef>
#include <functional>

#include "ml/nn/params.hpp"
#include "ml/rng.hpp"

namespace ll::nn::test {

inline double gradient_relative_error(float* values, const float* analytic, size_t n,
                                      const std::function<double()>& loss, float h = 1e-2f) {
  double diff2 = 0, analytic2 = 0, numeric2 = 0;
  for (size_t i = 0; i < n; ++i) {
    const float saved = values[i];
    const float plus = saved + h, minus = saved - h;
    values[i] = plus;
    const double loss_plus = loss();
    values[i] = minus;
    const double loss_minus = loss();
    values[i] = saved;
    const double numeric = (loss_plus - loss_minus) / (double(plus) - double(minus));
    diff2 += (numeric - analytic[i]) * (numeric - analytic[i]);
    analytic2 += double(analytic[i]) * analytic[i];
    numeric2 += numeric * numeric;
  }
  const double scale = std::sqrt(analytic2) + std::sqrt(numeric2);
  return scale == 0 ? 0 : std::sqrt(diff2) / scale;
}

// Σ y ⊙ r in double: a scalar whose gradient with respect to y is r.
inline double project(const Mat& y, const Mat& r) {
  double sum = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) sum += double(y.data()[i]) * r.data()[i];
  return sum;
}

// Uniform in [lo, hi], away from zero by at least `gap` (kinks of ReLU-like functions).
inline Mat random_mat(Rng& rng, Eigen::Index rows, Eigen::Index cols, float lo = -1, float hi = 1, float gap = 0) {
  Mat m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    float v;
    do v = float(rng.uniform(lo, hi));
    while (std::fabs(v) < gap);
    m.data()[i] = v;
  }
  return m;
}

}  // namespace ll::nn::test
