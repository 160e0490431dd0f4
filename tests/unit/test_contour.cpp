#include <catch2/catch.hpp>

#include <cmath>

#include "viz/contour.hpp"

TEST_CASE("contour: the level-1 line of x² + y² is the unit circle", "[contour]") {
  const auto grid = ll::viz::sample_grid([](double x, double y) { return x * x + y * y; }, 81, 81, -2, 2, -2, 2);
  const auto segments = ll::viz::contour_segments(grid, 1.0);
  REQUIRE(segments.size() > 40);
  double total_length = 0;
  for (const auto& s : segments) {
    CHECK(std::hypot(s.x0, s.y0) == Approx(1.0).margin(0.01));
    CHECK(std::hypot(s.x1, s.y1) == Approx(1.0).margin(0.01));
    total_length += std::hypot(s.x1 - s.x0, s.y1 - s.y0);
  }
  CHECK(total_length == Approx(2 * M_PI).epsilon(0.01));
}

TEST_CASE("contour: no segments where the level is out of range or values are not finite", "[contour]") {
  auto grid = ll::viz::sample_grid([](double x, double y) { return x + y; }, 10, 10, 0, 1, 0, 1);
  CHECK(ll::viz::contour_segments(grid, 5.0).empty());
  CHECK(ll::viz::contour_segments(grid, -1.0).empty());
  for (double& v : grid.values) v = NAN;
  CHECK(ll::viz::contour_segments(grid, 1.0).empty());
}

TEST_CASE("contour: saddle cells give two separate segments", "[contour]") {
  // Row-major: high at (0,0) and (1,1), low at (1,0) and (0,1).
  const ll::viz::Grid g{2, 2, 0, 1, 0, 1, {1, 0, 0, 1}};
  const auto segments = ll::viz::contour_segments(g, 0.5);
  CHECK(segments.size() == 2);
}

TEST_CASE("contour: levels are inside the range, geometric when asked", "[contour]") {
  const auto lin = ll::viz::contour_levels(0, 10, 5, false);
  REQUIRE(lin.size() == 5);
  CHECK(lin[0] == Approx(1));
  CHECK(lin[4] == Approx(9));
  const auto geo = ll::viz::contour_levels(1, 1e4, 4, true);
  REQUIRE(geo.size() == 4);
  for (size_t i = 1; i < geo.size(); ++i) CHECK(geo[i] / geo[i - 1] == Approx(10));
  CHECK(ll::viz::contour_levels(5, 1, 3, false).empty());
}
