#include "viz/axis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ll::viz {

namespace {

// m × 10^e, computed as m / 10^-e for negative e so that e.g. 3 × 10^-1 is exactly the double
// nearest 0.3 (multiplying by 0.1 would not be).
double scaled_pow10(double m, int e) {
  const double p = std::pow(10.0, std::abs(e));
  return e >= 0 ? m * p : m / p;
}

// Where a value sits along the axis before the affine map to pixels.
double axis_coord(const Axis& a, double v) { return a.log ? std::log10(std::max(v, kLogFloor)) : v; }

// Degenerate linear range around v (see sanitized()).
void widen_linear(double v, double& lo, double& hi) {
  const double d = v == 0 ? 1.0 : 0.1 * std::fabs(v);
  lo = v - d;
  hi = v + d;
}

std::vector<double> linear_ticks(double lo, double hi, int max_count) {
  const double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span)) return {};
  // Smallest 1/2/5 × 10^e step that yields no more than max_count ticks.
  int e = int(std::floor(std::log10(span / max_count))) - 1;
  double m = 1;
  for (;; ++e) {
    bool found = false;
    for (double cand : {1.0, 2.0, 5.0}) {
      const double step = scaled_pow10(cand, e);
      if (std::floor(hi / step) - std::ceil(lo / step) + 1 <= max_count) {
        m = cand;
        found = true;
        break;
      }
    }
    if (found) break;
  }
  const double step = scaled_pow10(m, e);
  std::vector<double> ticks;
  const double tolerance = span * 1e-9;  // k·step may land an ulp outside the range
  // Counted loop: near 1e16 and beyond, ++k on a double would not advance.
  const double k0 = std::ceil(lo / step);
  const int n = int(std::floor(hi / step) - k0 + 1);
  for (int i = 0; i < n; ++i) {
    const double v = scaled_pow10((k0 + i) * m, e);
    if (v >= lo - tolerance && v <= hi + tolerance) ticks.push_back(v);
  }
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi, int max_count) {
  const int d0 = int(std::ceil(std::log10(lo) - 1e-9)), d1 = int(std::floor(std::log10(hi) + 1e-9));
  const double tolerance = 1e-9;  // relative, as ticks like 10^d are computed inexactly
  auto inside = [&](double v) { return v >= lo * (1 - tolerance) && v <= hi * (1 + tolerance); };
  // Few decades: 1, 2, 5 in each.
  std::vector<double> ticks;
  for (int d = d0 - 1; d <= d1; ++d)
    for (double m : {1.0, 2.0, 5.0}) {
      const double v = scaled_pow10(m, d);
      if (inside(v)) ticks.push_back(v);
    }
  if (int(ticks.size()) <= max_count) return ticks.size() >= 2 ? ticks : linear_ticks(lo, hi, max_count);
  // Many decades: every `stride`-th, at multiples of the stride so they do not shift when the
  // range moves.
  const int decades = d1 - d0 + 1;
  const int stride = (decades + max_count - 1) / max_count;
  ticks.clear();
  for (int d = d0; d <= d1; ++d)
    if (d % stride == 0) ticks.push_back(scaled_pow10(1, d));
  return ticks;
}

// "1.50" → "1.5", "2.000" → "2", "-0" → "0".
std::string trim_number(std::string s) {
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

template <class T> Axis auto_range_of(const T* values, size_t n, bool log, double pad) {
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; ++i) {
    double v = double(values[i]);
    if (!std::isfinite(v) || (log && v <= 0)) continue;
    if (log) v = std::log10(v);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo > hi) return log ? Axis{1, 10, true} : Axis{0, 1, false};
  if (lo == hi) {
    if (log) {
      lo -= 1;
      hi += 1;
    } else {
      widen_linear(lo, lo, hi);
    }
  }
  const double margin = pad * (hi - lo);
  lo -= margin;
  hi += margin;
  return log ? Axis{std::pow(10.0, lo), std::pow(10.0, hi), true} : Axis{lo, hi, false};
}

}  // namespace

Axis sanitized(const Axis& axis) {
  Axis a = axis;
  if (!std::isfinite(a.min) || !std::isfinite(a.max)) return a.log ? Axis{1, 10, true} : Axis{0, 1, false};
  if (a.min > a.max) std::swap(a.min, a.max);
  if (a.log) {
    if (a.max <= 0) return Axis{1, 10, true};
    if (a.min <= 0) a.min = a.max / 1000;
    if (a.min == a.max) {
      a.min /= 10;
      a.max *= 10;
    }
  } else if (a.min == a.max) {
    widen_linear(a.min, a.min, a.max);
  }
  return a;
}

AxisMap axis_map(const Axis& axis, double p0, double p1) {
  const Axis a = sanitized(axis);
  const double lo = axis_coord(a, a.min), hi = axis_coord(a, a.max);
  return {lo, (p1 - p0) / (hi - lo), p0, a.log};
}

double to_pixel(const Axis& axis, double value, double p0, double p1) { return axis_map(axis, p0, p1).to_pixel(value); }

double to_data(const Axis& axis, double pixel, double p0, double p1) {
  const Axis a = sanitized(axis);
  if (p0 == p1) return a.min;
  const double lo = axis_coord(a, a.min), hi = axis_coord(a, a.max);
  const double c = lo + (pixel - p0) / (p1 - p0) * (hi - lo);
  return a.log ? std::pow(10.0, c) : c;
}

std::vector<double> nice_ticks(const Axis& axis, int max_count) {
  const Axis a = sanitized(axis);
  max_count = std::max(2, max_count);
  return a.log ? log_ticks(a.min, a.max, max_count) : linear_ticks(a.min, a.max, max_count);
}

std::string format_tick(double value, double step) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0 || (step > 0 && std::fabs(value) < step * 1e-6)) return "0";
  const int e_value = int(std::floor(std::log10(std::fabs(value))));
  const int e_step = step > 0 ? int(std::floor(std::log10(step) + 1e-9)) : e_value - 3;
  const double magnitude = step > 0 ? step : std::fabs(value);
  const int digits = std::clamp(e_value - e_step + 1, 1, 17);  // significant digits
  char buf[64];
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, value);  // "-2.50e-04"
    const std::string s = buf;
    const size_t e = s.find('e');
    return trim_number(s.substr(0, e)) + "e" + std::to_string(std::atoi(s.c_str() + e + 1));
  }
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, digits - 1 - e_value), value);
  return trim_number(buf);
}

std::vector<std::string> tick_labels(const std::vector<double>& ticks) {
  double step = ticks.size() >= 2 ? ticks[1] - ticks[0] : 0;
  for (size_t i = 2; i < ticks.size() && step > 0; ++i)
    if (std::fabs((ticks[i] - ticks[i - 1]) - step) > 1e-6 * step) step = 0;  // not evenly spaced
  std::vector<std::string> labels;
  labels.reserve(ticks.size());
  for (double t : ticks) labels.push_back(format_tick(t, step));
  return labels;
}

Axis auto_range(const double* values, size_t n, bool log, double pad) { return auto_range_of(values, n, log, pad); }
Axis auto_range(const float* values, size_t n, bool log, double pad) { return auto_range_of(values, n, log, pad); }

}  // namespace ll::viz
