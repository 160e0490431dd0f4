#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "viz/axis.hpp"
#include "viz/colormap.hpp"

using ll::viz::Axis;

namespace {

// True when v is m × 10^k for m in {1, 2, 5} (up to rounding).
bool is_1_2_5(double v) {
  const double k = std::floor(std::log10(std::fabs(v)) + 1e-9);
  const double m = std::fabs(v) / std::pow(10.0, k);
  return std::fabs(m - 1) < 1e-9 || std::fabs(m - 2) < 1e-9 || std::fabs(m - 5) < 1e-9;
}

}  // namespace

TEST_CASE("axis: linear mapping, normal and inverted pixel ranges", "[viz]") {
  const Axis a{-1, 3, false};
  CHECK(ll::viz::to_pixel(a, -1, 100, 500) == Approx(100));
  CHECK(ll::viz::to_pixel(a, 3, 100, 500) == Approx(500));
  CHECK(ll::viz::to_pixel(a, 0, 100, 500) == Approx(200));
  CHECK(ll::viz::to_pixel(a, 5, 100, 500) == Approx(700));  // outside the range extrapolates
  // A y axis: data grows upward, pixels grow downward.
  CHECK(ll::viz::to_pixel(a, -1, 400, 0) == Approx(400));
  CHECK(ll::viz::to_pixel(a, 3, 400, 0) == Approx(0));
  CHECK(ll::viz::to_pixel(a, 2, 400, 0) == Approx(100));
  CHECK(std::isnan(ll::viz::to_pixel(a, NAN, 0, 1)));
}

TEST_CASE("axis: log mapping puts decades at equal distances", "[viz]") {
  const Axis a{1e-3, 10, true};
  CHECK(ll::viz::to_pixel(a, 1e-3, 0, 400) == Approx(0));
  CHECK(ll::viz::to_pixel(a, 1e-2, 0, 400) == Approx(100));
  CHECK(ll::viz::to_pixel(a, 1, 0, 400) == Approx(300));
  CHECK(ll::viz::to_pixel(a, 10, 0, 400) == Approx(400));
  CHECK(ll::viz::to_pixel(a, 0.1, 400, 0) == Approx(200));
  // Non-positive values are clamped to a tiny positive: finite and far below the range.
  const double p = ll::viz::to_pixel(a, -5, 0, 400);
  CHECK(std::isfinite(p));
  CHECK(p < -10000);
  CHECK(ll::viz::to_pixel(a, 0, 0, 400) == Approx(p));
}

TEST_CASE("axis: to_data inverts to_pixel", "[viz]") {
  const Axis axes[] = {{-2.5, 7, false}, {0, 1e-6, false}, {1e-4, 1e3, true}, {3, 40, true}};
  for (const Axis& a : axes) {
    for (double t : {0.0, 0.13, 0.5, 0.77, 1.0}) {
      const double v = a.log ? a.min * std::pow(a.max / a.min, t) : a.min + t * (a.max - a.min);
      for (auto [p0, p1] : {std::pair{20.0, 620.0}, std::pair{480.0, 30.0}}) {
        const double px = ll::viz::to_pixel(a, v, p0, p1);
        CHECK(ll::viz::to_data(a, px, p0, p1) == Approx(v).epsilon(1e-9).margin(1e-15));
      }
    }
  }
  CHECK(ll::viz::to_data(Axis{2, 5, false}, 300, 0, 600) == Approx(3.5));
  CHECK(ll::viz::to_data(Axis{1, 100, true}, 50, 100, 0) == Approx(10));
  CHECK(ll::viz::to_data(Axis{2, 5, false}, 7, 10, 10) == 2);  // degenerate pixel range
}

TEST_CASE("axis: a precomputed AxisMap agrees with to_pixel", "[viz]") {
  for (const Axis& a : {Axis{-4, 9, false}, Axis{0.02, 3e4, true}, Axis{5, 5, false}}) {
    const ll::viz::AxisMap m = ll::viz::axis_map(a, 700, 40);
    for (double v : {-3.0, 0.05, 1.0, 7.5, 2e4}) {
      if (a.log && v <= 0) continue;
      CHECK(m.to_pixel(v) == Approx(ll::viz::to_pixel(a, v, 700, 40)));
    }
  }
  const ll::viz::AxisMap m = ll::viz::axis_map({1, 1000, true}, 0, 300);
  CHECK(m.to_pixel(10) == Approx(100));
  CHECK(m.to_pixel(100) == Approx(200));
}

TEST_CASE("axis: degenerate and invalid ranges are made usable", "[viz]") {
  const Axis flat = ll::viz::sanitized({3, 3, false});
  CHECK(flat.min < 3);
  CHECK(flat.max > 3);
  const Axis zero = ll::viz::sanitized({0, 0, false});
  CHECK(zero.min == -1);
  CHECK(zero.max == 1);
  const Axis swapped = ll::viz::sanitized({5, 1, false});
  CHECK(swapped.min == 1);
  CHECK(swapped.max == 5);
  const Axis nan = ll::viz::sanitized({NAN, 4, false});
  CHECK(nan.min == 0);
  CHECK(nan.max == 1);
  const Axis log_flat = ll::viz::sanitized({0.5, 0.5, true});
  CHECK(log_flat.min == Approx(0.05));
  CHECK(log_flat.max == Approx(5));
  const Axis log_zero_min = ll::viz::sanitized({0, 100, true});
  CHECK(log_zero_min.min == Approx(0.1));
  CHECK(log_zero_min.max == 100);
  const Axis log_negative = ll::viz::sanitized({-3, -1, true});
  CHECK(log_negative.min == 1);
  CHECK(log_negative.max == 10);
  // Mapping on a degenerate axis stays finite.
  CHECK(std::isfinite(ll::viz::to_pixel({2, 2, false}, 2, 0, 100)));
  CHECK(ll::viz::to_pixel({2, 2, false}, 2, 0, 100) == Approx(50));
}

TEST_CASE("ticks: linear ticks are nice steps inside the range", "[viz]") {
  struct Case {
    Axis axis;
    int max_count;
  };
  const Case cases[] = {{{0, 1, false}, 6},    {{-3.7, 12.2, false}, 8}, {{0.0013, 0.0061, false}, 5},
                        {{995, 1003, false}, 5}, {{-1e6, 3e6, false}, 9},  {{0.1, 0.35, false}, 10}};
  for (const Case& c : cases) {
    const std::vector<double> ticks = ll::viz::nice_ticks(c.axis, c.max_count);
    INFO("range [" << c.axis.min << ", " << c.axis.max << "] max " << c.max_count);
    REQUIRE(ticks.size() >= 2);
    CHECK(int(ticks.size()) <= c.max_count);
    const double span = c.axis.max - c.axis.min;
    const double step = ticks[1] - ticks[0];
    CHECK(step > 0);
    CHECK(is_1_2_5(step));
    // Not needlessly sparse: the span holds at least a third of the allowed ticks.
    CHECK(span / step >= (c.max_count - 1) / 3.0);
    for (size_t i = 0; i < ticks.size(); ++i) {
      CHECK(ticks[i] >= c.axis.min - 1e-12 * span);
      CHECK(ticks[i] <= c.axis.max + 1e-12 * span);
      CHECK(std::fabs(std::remainder(ticks[i], step)) < 1e-9 * step);  // multiples of the step
      if (i > 0) CHECK(ticks[i] - ticks[i - 1] == Approx(step));
    }
  }
  const auto unit = ll::viz::nice_ticks({0, 1, false}, 6);
  REQUIRE(unit.size() == 6);
  CHECK(unit[0] == 0);
  CHECK(unit[3] == Approx(0.6));
  CHECK(unit[5] == 1);
}

TEST_CASE("ticks: log ticks are decades, with 2 and 5 when there is room", "[viz]") {
  const auto wide = ll::viz::nice_ticks({1e-6, 1e3, true}, 10);
  REQUIRE(wide.size() == 10);
  for (size_t i = 0; i < wide.size(); ++i) CHECK(wide[i] == Approx(std::pow(10.0, int(i) - 6)));

  const auto very_wide = ll::viz::nice_ticks({1e-12, 1e12, true}, 6);
  CHECK(very_wide.size() >= 2);
  CHECK(very_wide.size() <= 6);
  for (double t : very_wide) {
    const double k = std::log10(t);
    CHECK(k == Approx(std::round(k)).margin(1e-9));  // decades only
    CHECK(t >= 1e-12 * (1 - 1e-9));
    CHECK(t <= 1e12 * (1 + 1e-9));
  }

  const auto narrow = ll::viz::nice_ticks({0.3, 40, true}, 10);
  const std::vector<double> expected = {0.5, 1, 2, 5, 10, 20};
  REQUIRE(narrow.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) CHECK(narrow[i] == Approx(expected[i]));

  // Inside one decade there are no two 1/2/5 ticks: linear ticks are used instead.
  const auto within = ll::viz::nice_ticks({2.2, 4.8, true}, 6);
  REQUIRE(within.size() >= 2);
  for (double t : within) {
    CHECK(t >= 2.2);
    CHECK(t <= 4.8);
  }
}

TEST_CASE("ticks: labels are short and consistent", "[viz]") {
  CHECK(ll::viz::format_tick(0) == "0");
  CHECK(ll::viz::format_tick(0.5) == "0.5");
  CHECK(ll::viz::format_tick(1) == "1");
  CHECK(ll::viz::format_tick(-2.5) == "-2.5");
  CHECK(ll::viz::format_tick(250) == "250");
  CHECK(ll::viz::format_tick(1e-3) == "0.001");
  CHECK(ll::viz::format_tick(1e-4) == "1e-4");
  CHECK(ll::viz::format_tick(2.5e6) == "2.5e6");
  CHECK(ll::viz::format_tick(1.0 / 3) == "0.3333");
  CHECK(ll::viz::format_tick(NAN) == "nan");
  // With a step: floating error is hidden and neighbours stay distinct.
  CHECK(ll::viz::format_tick(0.1 + 0.2, 0.1) == "0.3");
  CHECK(ll::viz::format_tick(1000.5, 0.5) == "1000.5");
  CHECK(ll::viz::format_tick(1e-17, 0.1) == "0");
  CHECK(ll::viz::format_tick(1.5e-3, 5e-4) == "1.5e-3");
  const auto labels = ll::viz::tick_labels(ll::viz::nice_ticks({0, 0.002, false}, 5));
  REQUIRE(labels.size() == 5);
  CHECK(labels[0] == "0");
  CHECK(labels[1] == "5e-4");
  CHECK(labels[2] == "1e-3");
  CHECK(labels[4] == "2e-3");
  const auto decades = ll::viz::tick_labels({0.01, 0.1, 1, 10, 100});
  CHECK(decades == std::vector<std::string>{"0.01", "0.1", "1", "10", "100"});
}

TEST_CASE("auto_range: pads the finite data and ignores NaN and inf", "[viz]") {
  const double inf = std::numeric_limits<double>::infinity();
  const double v[] = {NAN, 2, -inf, 6, inf, 4, NAN};
  const Axis a = ll::viz::auto_range(v, 7, false, 0.1);
  CHECK_FALSE(a.log);
  CHECK(a.min == Approx(1.6));
  CHECK(a.max == Approx(6.4));
  const Axis unpadded = ll::viz::auto_range(v, 7, false, 0);
  CHECK(unpadded.min == 2);
  CHECK(unpadded.max == 6);

  const float f[] = {NAN, 0.25f, 0.75f};
  const Axis af = ll::viz::auto_range(f, 3, false, 0);
  CHECK(af.min == Approx(0.25));
  CHECK(af.max == Approx(0.75));

  // Log: non-positive values are skipped and padding is in decades.
  const double l[] = {-1, 0, 1e-2, 1e2, NAN};
  const Axis al = ll::viz::auto_range(l, 5, true, 0.25);
  CHECK(al.log);
  CHECK(al.min == Approx(1e-3));
  CHECK(al.max == Approx(1e3));

  const double nothing[] = {NAN, inf};
  const Axis empty = ll::viz::auto_range(nothing, 2, false);
  CHECK(empty.min == 0);
  CHECK(empty.max == 1);
  const Axis empty_log = ll::viz::auto_range(l, 2, true);
  CHECK(empty_log.min == 1);
  CHECK(empty_log.max == 10);

  const double same[] = {5, 5, NAN};
  const Axis widened = ll::viz::auto_range(same, 3, false, 0);
  CHECK(widened.min < 5);
  CHECK(widened.max > 5);
}

TEST_CASE("colormap: endpoints, midpoints, clamping and NaN", "[viz]") {
  using ll::viz::Colormap;
  using ll::viz::Rgb8;
  auto same = [](Rgb8 a, Rgb8 b) { return a.r == b.r && a.g == b.g && a.b == b.b; };

  // Viridis: dark purple → teal → yellow.
  CHECK(same(ll::viz::colormap(Colormap::Viridis, 0), Rgb8{68, 1, 84}));
  CHECK(same(ll::viz::colormap(Colormap::Viridis, 0.5), Rgb8{33, 145, 140}));
  CHECK(same(ll::viz::colormap(Colormap::Viridis, 1), Rgb8{253, 231, 37}));
  const Rgb8 q = ll::viz::colormap(Colormap::Viridis, 0.25);  // between the 0.2 and 0.3 stops
  CHECK(int(q.r) == Approx((65 + 53) / 2.0).margin(1));
  CHECK(int(q.g) == Approx((68 + 95) / 2.0).margin(1));
  CHECK(int(q.b) == Approx((135 + 141) / 2.0).margin(1));
  // Viridis gets brighter monotonically (green channel as a proxy).
  for (int i = 1; i <= 20; ++i)
    CHECK(ll::viz::colormap(Colormap::Viridis, i / 20.0).g > ll::viz::colormap(Colormap::Viridis, (i - 1) / 20.0).g);

  // Diverging: blue end, light neutral centre, red end.
  const Rgb8 lo = ll::viz::colormap(Colormap::Diverging, 0);
  const Rgb8 mid = ll::viz::colormap(Colormap::Diverging, 0.5);
  const Rgb8 hi = ll::viz::colormap(Colormap::Diverging, 1);
  CHECK(lo.b > lo.r);
  CHECK(hi.r > hi.b);
  CHECK(mid.r > 200);
  CHECK(std::abs(int(mid.r) - int(mid.b)) < 8);

  CHECK(same(ll::viz::colormap(Colormap::Grayscale, 0), Rgb8{0, 0, 0}));
  CHECK(same(ll::viz::colormap(Colormap::Grayscale, 1), Rgb8{255, 255, 255}));
  CHECK(int(ll::viz::colormap(Colormap::Grayscale, 0.5).r) == Approx(127.5).margin(0.5));

  for (Colormap cm : {Colormap::Viridis, Colormap::Diverging, Colormap::Grayscale}) {
    CHECK(same(ll::viz::colormap(cm, -3), ll::viz::colormap(cm, 0)));
    CHECK(same(ll::viz::colormap(cm, 7), ll::viz::colormap(cm, 1)));
    CHECK(same(ll::viz::colormap(cm, NAN), ll::viz::kNanColor));
  }
}

TEST_CASE("colormap: ten distinct category colours, repeating", "[viz]") {
  using ll::viz::category_color;
  for (int i = 0; i < 10; ++i)
    for (int j = i + 1; j < 10; ++j) {
      const auto a = category_color(i), b = category_color(j);
      CHECK(std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b) > 40);
    }
  CHECK(category_color(13).r == category_color(3).r);
  CHECK(category_color(13).g == category_color(3).g);
  CHECK(category_color(-1).b == category_color(9).b);
  CHECK(category_color(-1).r == category_color(9).r);
}
