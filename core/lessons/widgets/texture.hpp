#pragma once
// Textures for widgets that show images (heat maps, image grids). The host (desktop or
// web) installs a backend that owns the GPU side; without one, widgets draw rectangles.
#include "imgui.h"

namespace ll::ui {

struct TextureBackend {
  // An RGBA8 image of w×h pixels, rows top to bottom.
  ImTextureID (*create)(int w, int h, const unsigned char* rgba) = nullptr;
  void (*update)(ImTextureID id, int w, int h, const unsigned char* rgba) = nullptr;  // same size as created
  void (*destroy)(ImTextureID id) = nullptr;
};

void set_texture_backend(const TextureBackend& backend);
const TextureBackend& texture_backend();

}  // namespace ll::ui
