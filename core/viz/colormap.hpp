#pragma once
// Colour maps for heat maps and images, and a categorical palette for classes and series.
#include <cstdint>

namespace ll::viz {

struct Rgb8 {
  uint8_t r, g, b;
};

enum class Colormap {
  Viridis,    // sequential, perceptually uniform, readable in greyscale and by colour-blind viewers
  Diverging,  // blue – light grey – red (Moreland's cool-warm) for signed values around a centre
  Grayscale,  // black → white, for images such as digits
};

// The colour shown for NaN: a neutral grey that reads as "no value" on every map.
constexpr Rgb8 kNanColor{128, 128, 128};

// t in [0, 1] (clamped) → colour; NaN → kNanColor.
Rgb8 colormap(Colormap cm, double t);

// Ten distinct colours (matplotlib's tab10), i taken modulo 10 (negative i too); readable on
// both the dark and the light theme.
Rgb8 category_color(int i);

}  // namespace ll::viz
