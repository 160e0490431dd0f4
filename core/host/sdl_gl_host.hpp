#pragma once
// An SDL2 window with an OpenGL context (GL 3.0 on the desktop, ES 3.0 / WebGL2 on the
// web) running the app shell through Dear ImGui's SDL and OpenGL3 backends. Both front
// ends drive it; only their main loops differ.
#include <cstdint>
#include <string>
#include <vector>

#include "lessons/app.hpp"

struct SDL_Window;

namespace ll::host {

struct WindowConfig {
  const char* title = "latentlab";
  int width = 1280, height = 800;
};

struct Capture {
  std::vector<uint8_t> rgba;  // [h][w][4], top row first
  int w = 0, h = 0;
  bool ok = false;
};

class SdlGlHost {
 public:
  // Returns an empty string on success, else what failed (SDL or GL message included).
  std::string init(const WindowConfig& config);
  // Polls events; false once the user closed the window.
  bool poll_events();
  // Draws one frame; with `capture`, also reads it back (before the buffer swap).
  void render_frame(ui::App& app, Capture* capture = nullptr);
  void set_window_size(int w, int h);
  void shutdown();

 private:
  void read_pixels(Capture& capture) const;
  SDL_Window* window_ = nullptr;
  void* gl_context_ = nullptr;
};

}  // namespace ll::host
