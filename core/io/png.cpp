#include "io/png.hpp"

#include <cassert>
#include <cstdio>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBIW_ASSERT(x) assert(x)
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace ll {

namespace {
void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}
}  // namespace

std::vector<uint8_t> encode_png(const uint8_t* pixels, int w, int h, int channels) {
  assert(w > 0 && h > 0 && (channels == 1 || channels == 3 || channels == 4) && "encode_png shape");
  std::vector<uint8_t> out;
  stbi_write_png_to_func(append_bytes, &out, w, h, channels, pixels, w * channels);
  return out;
}

std::string write_png(const std::string& path, const uint8_t* pixels, int w, int h, int channels) {
  const std::vector<uint8_t> png = encode_png(pixels, w, h, channels);
  if (png.empty()) return "PNG encoding failed";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return "cannot open " + path + " for writing";
  const size_t written = std::fwrite(png.data(), 1, png.size(), f);
  const bool closed = std::fclose(f) == 0;
  if (written != png.size() || !closed) return "short write to " + path;
  return {};
}

}  // namespace ll
