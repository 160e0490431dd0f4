#pragma once
// Contour lines of a scalar field sampled on a regular grid (marching squares).
#include <cstddef>
#include <vector>

namespace ll::viz {

struct Segment { double x0, y0, x1, y1; };  // in data coordinates

struct Grid {
  int cols = 0, rows = 0;                        // samples along x and y
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;  // grid spans this rectangle
  std::vector<double> values;                    // [rows * cols], row r at y_min + r·dy
  double x_at(int c) const { return x_min + (x_max - x_min) * c / (cols - 1); }
  double y_at(int r) const { return y_min + (y_max - y_min) * r / (rows - 1); }
  double at(int c, int r) const { return values[size_t(r) * cols + c]; }
};

// Samples f on a cols×rows grid over the rectangle.
template <class F> Grid sample_grid(F f, int cols, int rows, double x_min, double x_max, double y_min, double y_max) {
  Grid g{cols, rows, x_min, x_max, y_min, y_max, {}};
  g.values.resize(size_t(cols) * rows);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) g.values[size_t(r) * cols + c] = f(g.x_at(c), g.y_at(r));
  return g;
}

// Segments where the field crosses `level`, linearly interpolated along cell edges.
std::vector<Segment> contour_segments(const Grid& grid, double level);

// `count` levels between lo and hi; geometric spacing when `log_spaced` (lo > 0), so
// steep valleys such as Rosenbrock's still show rings near the minimum.
std::vector<double> contour_levels(double lo, double hi, int count, bool log_spaced);

}  // namespace ll::viz
