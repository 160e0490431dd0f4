#include "viz/colormap.hpp"

#include <algorithm>
#include <cmath>

namespace ll::viz {

namespace {

// Evenly spaced control points, linearly interpolated in RGB.
template <int N> Rgb8 interpolate(const Rgb8 (&stops)[N], double t) {
  const double x = t * (N - 1);
  const int i = std::min(int(x), N - 2);
  const double f = x - i;
  auto mix = [f](uint8_t a, uint8_t b) { return uint8_t(std::lround(a + (b - a) * f)); };
  return {mix(stops[i].r, stops[i + 1].r), mix(stops[i].g, stops[i + 1].g), mix(stops[i].b, stops[i + 1].b)};
}

// matplotlib's viridis sampled at t = 0, 0.1, …, 1.
constexpr Rgb8 kViridis[] = {{68, 1, 84},    {72, 36, 117},  {65, 68, 135},  {53, 95, 141},
                             {42, 120, 142}, {33, 145, 140}, {34, 168, 132}, {68, 191, 112},
                             {122, 209, 81}, {189, 223, 38}, {253, 231, 37}};

// matplotlib's coolwarm sampled at t = 0, 0.25, 0.5, 0.75, 1.
constexpr Rgb8 kCoolWarm[] = {{59, 76, 192}, {123, 159, 249}, {221, 220, 220}, {244, 154, 123}, {180, 4, 38}};

constexpr Rgb8 kTab10[] = {{31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
                           {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};

}  // namespace

Rgb8 colormap(Colormap cm, double t) {
  if (std::isnan(t)) return kNanColor;
  t = std::clamp(t, 0.0, 1.0);
  switch (cm) {
    case Colormap::Viridis:
      return interpolate(kViridis, t);
    case Colormap::Diverging:
      return interpolate(kCoolWarm, t);
    case Colormap::Grayscale:
      break;
  }
  const auto v = uint8_t(std::lround(255 * t));
  return {v, v, v};
}

Rgb8 category_color(int i) {
  const int n = int(sizeof kTab10 / sizeof kTab10[0]);
  return kTab10[((i % n) + n) % n];
}

}  // namespace ll::viz
