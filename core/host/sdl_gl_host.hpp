#pragma once
// An SDL2 window with an OpenGL context (GL 3.0 on the desktop, ES 3.0 / WebGL2 on the
// web) running the app shell through Dear ImGui's SDL and OpenGL3 backends. Both front
// ends drive it; only their main loops differ.
#include <cstdint>
#include <string>
#include <vector>

#include "host/redraw_region.hpp"
#include "lessons/app.hpp"

struct SDL_Window;
struct SDL_Cursor;

namespace ll::host {

struct WindowConfig {
  const char* title = "latentlab";
  int width = 1280, height = 800;
  // Leave the canvas as it is when a frame would draw exactly what it shows (same draw
  // lists, no texture changed): the web build, where every drawn frame costs the browser's
  // compositor, and software WebGL takes whole cores from training threads. The desktop
  // keeps drawing: its buffer swap paces the loop.
  bool skip_unchanged_frames = false;
  // Redraw only the boxes that changed since the last drawn frame. Only for a canvas that
  // keeps its pixels between frames (WebGL's preserveDrawingBuffer).
  bool redraw_changed_region = false;
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
  // Frames actually drawn (fewer than app frames when unchanged ones are skipped), and
  // those of them that redrew only the boxes that changed.
  uint64_t drawn_frames() const { return drawn_frames_; }
  uint64_t partial_frames() const { return partial_frames_; }
  // Framebuffer pixels redrawn over all drawn frames (a whole frame counts all of them).
  uint64_t drawn_pixels() const { return drawn_pixels_; }
  // The next drawn frame redraws the whole canvas (the e2e tests compare the two).
  void request_full_redraw() { full_redraw_requested_ = true; }
  void set_window_size(int w, int h);
  // The desktop window's full screen (the web page uses the browser's Fullscreen API).
  void set_fullscreen(bool on);
  bool fullscreen() const;
  void shutdown();
  // Where ImGui's text caret is (its top left, in window coordinates) and how tall its line
  // is, while a text field is active: the input method's window opens there.
  bool text_field_active() const;
  ImVec2 text_caret() const;

 private:
  void read_pixels(Capture& capture) const;
  void update_cursor();
  void warm_up_redraw_diff(ImDrawData& draw_data);
  SDL_Window* window_ = nullptr;
  SDL_Cursor* cursors_[9] = {};  // one per ImGuiMouseCursor (ImGuiMouseCursor_COUNT)
  int shown_cursor_ = -2;        // the ImGuiMouseCursor last set (-2: none yet)
  void* gl_context_ = nullptr;
  bool skip_unchanged_frames_ = false;
  bool redraw_changed_region_ = false;
  bool full_redraw_requested_ = false;
  bool touch_pointer_ = false;  // the last mouse event came from a touch
  std::string composition_;     // desktop: the text an input method is composing, drawn at the caret
  ImVec2 text_input_rect_at_{-1, -1};
  int redraw_warm_ups_left_ = 30;  // web: idle frames that warm the diff (warm_up_redraw_diff)
  FrameRecord drawn_;  // the frame on the canvas
  FrameRecord frame_;  // the frame being drawn
  uint64_t drawn_frames_ = 0;
  uint64_t partial_frames_ = 0;
  uint64_t drawn_pixels_ = 0;
};

}  // namespace ll::host
