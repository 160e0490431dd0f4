#pragma once
// Plot axes as pure math: data value ↔ pixel mapping, "nice" tick positions, tick labels and
// automatic ranges. The ImGui widgets (lessons/widgets/plot.hpp) draw with these; keeping the
// math here makes it testable without a UI.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace ll::viz {

// A log axis cannot place values ≤ 0. The mapping clamps them to this tiny positive number so
// the result stays finite (far below the visible range); widgets skip such points instead.
constexpr double kLogFloor = 1e-300;

struct Axis {
  double min = 0, max = 1;
  bool log = false;  // log10 scale
};

// The axis made usable for drawing:
//  - non-finite bounds → [0, 1] (linear) or [1, 10] (log);
//  - min > max → swapped;
//  - log with max ≤ 0 → [1, 10]; log with min ≤ 0 → min = max / 1000 (three decades);
//  - min == max → widened: v ± 10 % of |v| (± 1 for 0) on linear axes, [v/10, v·10] on log axes.
Axis sanitized(const Axis& axis);

// Data value → pixel coordinate, with axis.min at pixel p0 and axis.max at pixel p1. p1 < p0 is
// fine (a y axis growing upward on screen). NaN maps to NaN; on log axes values ≤ 0 are
// clamped to kLogFloor. The axis is sanitized first.
double to_pixel(const Axis& axis, double value, double p0, double p1);

// The same mapping with the sanitizing and the range's logs done once, for many points.
struct AxisMap {
  double lo = 0;     // axis.min, as log10 on log axes
  double scale = 1;  // pixels per unit (per decade on log axes)
  double p0 = 0;
  bool log = false;
  double to_pixel(double value) const {
    return p0 + ((log ? std::log10(std::max(value, kLogFloor)) : value) - lo) * scale;
  }
};
AxisMap axis_map(const Axis& axis, double p0, double p1);

// Inverse of to_pixel. A degenerate pixel range (p0 == p1) gives axis.min.
double to_data(const Axis& axis, double pixel, double p0, double p1);

// At most max_count (below 2 counts as 2) tick values inside the sanitized axis range, ascending.
// Linear axes: multiples of a 1, 2 or 5 × 10^k step. Log axes: 1, 2, 5 × 10^k when that many
// fit, else every decade (or every n-th decade); a log range too narrow for two such ticks
// gets linear ticks.
std::vector<double> nice_ticks(const Axis& axis, int max_count);

// A short tick label. With step > 0 (the spacing of evenly spaced ticks) the label shows just
// enough digits to tell neighbouring ticks apart; without, up to 4 significant digits.
// Trailing zeros are dropped ("0.5", "1", "250"). Magnitudes ≥ 1e5 or < 1e-3 (judged by the
// step when given, so a whole axis uses one notation) use exponent form: "1e-4", "2.5e6".
std::string format_tick(double value, double step = 0);

// Labels for a list of ticks: evenly spaced ticks share a step (format_tick(v, step)),
// otherwise (log decades) each is formatted on its own.
std::vector<std::string> tick_labels(const std::vector<double>& ticks);

// A range covering the finite values (on log axes: the finite positive values), widened by
// `pad` × span on each side (the span measured in decades on log axes) so points do not sit on
// the frame. No usable values → [0, 1] or [1, 10]; a single distinct value is widened as in
// sanitized() before padding.
Axis auto_range(const double* values, size_t n, bool log, double pad = 0.05);
Axis auto_range(const float* values, size_t n, bool log, double pad = 0.05);

}  // namespace ll::viz
