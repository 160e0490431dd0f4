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
  // Leave the canvas as it is when a frame would draw exactly what it shows (same draw
  // lists, no texture changed): the web build, where every drawn frame costs the browser's
  // compositor, and software WebGL takes whole cores from training threads. The desktop
  // keeps drawing: its buffer swap paces the loop.
  bool skip_unchanged_frames = false;
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
  // Frames actually drawn (fewer than app frames when unchanged ones are skipped).
  uint64_t drawn_frames() const { return drawn_frames_; }
  void set_window_size(int w, int h);
  void shutdown();

 private:
  void read_pixels(Capture& capture) const;
  SDL_Window* window_ = nullptr;
  void* gl_context_ = nullptr;
  bool skip_unchanged_frames_ = false;
  uint64_t drawn_hash_ = 0;  // draw_data_hash of the frame on the canvas
  uint64_t drawn_frames_ = 0;
};

}  // namespace ll::host
