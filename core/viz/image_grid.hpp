#pragma once
// Square grey images (digits, samples, chains) tiled into one picture, for PNG files and
// textures: `columns` images per row, `gap` pixels of background between them.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ll {

struct GreyImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // [height][width], 0 = black
};

// images: count × side² floats in [0, 1] (clamped), row-major, top row first.
GreyImage tile_images(const float* images, int count, int side, int columns, int gap = 2, uint8_t background = 40);
// The same values as bytes: round(clamp(v, 0, 1) · 255), what the .npy sample files hold.
std::vector<uint8_t> to_bytes(const float* values, size_t count);

}  // namespace ll
