#include "viz/contour.hpp"

#include <cassert>
#include <cmath>

namespace ll::viz {

namespace {
// Point on the edge between two samples where the field equals level.
void edge_point(double xa, double ya, double va, double xb, double yb, double vb, double level, double& x,
                double& y) {
  const double t = (va == vb) ? 0.5 : (level - va) / (vb - va);
  x = xa + t * (xb - xa);
  y = ya + t * (yb - ya);
}
}  // namespace

std::vector<Segment> contour_segments(const Grid& g, double level) {
  assert(g.cols >= 2 && g.rows >= 2 && g.values.size() == size_t(g.cols) * g.rows && "contour grid shape");
  std::vector<Segment> out;
  for (int r = 0; r + 1 < g.rows; ++r) {
    for (int c = 0; c + 1 < g.cols; ++c) {
      // Corners counter-clockwise from bottom-left: 0 (c,r) 1 (c+1,r) 2 (c+1,r+1) 3 (c,r+1).
      const double xs[4] = {g.x_at(c), g.x_at(c + 1), g.x_at(c + 1), g.x_at(c)};
      const double ys[4] = {g.y_at(r), g.y_at(r), g.y_at(r + 1), g.y_at(r + 1)};
      const double vs[4] = {g.at(c, r), g.at(c + 1, r), g.at(c + 1, r + 1), g.at(c, r + 1)};
      if (!std::isfinite(vs[0]) || !std::isfinite(vs[1]) || !std::isfinite(vs[2]) || !std::isfinite(vs[3])) continue;
      int mask = 0;
      for (int k = 0; k < 4; ++k)
        if (vs[k] >= level) mask |= 1 << k;
      if (mask == 0 || mask == 15) continue;
      // Crossing points on the edges k → k+1 whose ends differ in side.
      double px[4], py[4];
      int n = 0;
      for (int k = 0; k < 4; ++k) {
        const int k1 = (k + 1) % 4;
        if (((mask >> k) & 1) != ((mask >> k1) & 1)) {
          edge_point(xs[k], ys[k], vs[k], xs[k1], ys[k1], vs[k1], level, px[n], py[n]);
          ++n;
        }
      }
      if (n == 2) {
        out.push_back({px[0], py[0], px[1], py[1]});
      } else if (n == 4) {
        // Saddle cell: decide the pairing by the centre value.
        const double centre = 0.25 * (vs[0] + vs[1] + vs[2] + vs[3]);
        const bool centre_high = centre >= level;
        const bool corner0_high = (mask & 1) != 0;
        if (centre_high == corner0_high) {
          out.push_back({px[0], py[0], px[1], py[1]});
          out.push_back({px[2], py[2], px[3], py[3]});
        } else {
          out.push_back({px[0], py[0], px[3], py[3]});
          out.push_back({px[1], py[1], px[2], py[2]});
        }
      }
    }
  }
  return out;
}

std::vector<double> contour_levels(double lo, double hi, int count, bool log_spaced) {
  std::vector<double> levels;
  if (count <= 0 || !(hi > lo)) return levels;
  if (log_spaced && lo > 0) {
    const double ratio = std::pow(hi / lo, 1.0 / count);
    for (int i = 0; i < count; ++i) levels.push_back(lo * std::pow(ratio, i + 0.5));
  } else {
    for (int i = 0; i < count; ++i) levels.push_back(lo + (hi - lo) * (i + 0.5) / count);
  }
  return levels;
}

}  // namespace ll::viz
