#include "viz/image_grid.hpp"

#include <algorithm>
#include <cmath>

#include "ml/check.hpp"

namespace ll {

std::vector<uint8_t> to_bytes(const float* values, size_t count) {
  std::vector<uint8_t> bytes(count);
  for (size_t i = 0; i < count; ++i)
    bytes[i] = uint8_t(std::lround(std::clamp(std::isfinite(values[i]) ? values[i] : 0.0f, 0.0f, 1.0f) * 255.0f));
  return bytes;
}

GreyImage tile_images(const float* images, int count, int side, int columns, int gap, uint8_t background) {
  LL_CHECK(count > 0 && side > 0 && columns > 0 && gap >= 0, "tile_images: positive count, side and columns");
  columns = std::min(columns, count);
  const int rows = (count + columns - 1) / columns;
  GreyImage grid;
  grid.width = columns * side + (columns + 1) * gap;
  grid.height = rows * side + (rows + 1) * gap;
  grid.pixels.assign(size_t(grid.width) * size_t(grid.height), background);
  for (int k = 0; k < count; ++k) {
    const std::vector<uint8_t> tile = to_bytes(images + size_t(k) * side * side, size_t(side) * side);
    const int x0 = gap + (k % columns) * (side + gap), y0 = gap + (k / columns) * (side + gap);
    for (int y = 0; y < side; ++y)
      std::copy_n(tile.begin() + y * side, side, grid.pixels.begin() + long(y0 + y) * grid.width + x0);
  }
  return grid;
}

}  // namespace ll
