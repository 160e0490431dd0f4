#pragma once
// PNG encoding (stb_image_write from Debian's libstb-dev) to memory or to a file.
#include <cstdint>
#include <string>
#include <vector>

namespace ll {

// pixels: h rows of w·channels bytes, top row first; channels 1 (grey), 3 (RGB) or 4 (RGBA).
std::vector<uint8_t> encode_png(const uint8_t* pixels, int w, int h, int channels);
// Returns an empty string on success, else what went wrong.
std::string write_png(const std::string& path, const uint8_t* pixels, int w, int h, int channels);

}  // namespace ll
