#include "host/sdl_gl_host.hpp"

#include <SDL.h>

#include <algorithm>
#include <cstring>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "lessons/fonts.hpp"
#include "lessons/widgets/texture.hpp"

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#include <SDL_opengl.h>
#endif

namespace ll::host {

namespace {

// Separate boxes a frame may redraw: a few strips (a progress bar, a text line, a list)
// rather than the box around all of them.
constexpr int kMaxRedrawBoxes = 6;

// Textures whose pixels changed since the last drawn frame: commands that sample them show
// something new with the same geometry. The font atlas counts as everything changed.
std::vector<ImTextureID> changed_textures;
bool all_textures_changed = true;

// ImGui reports the caret of the active text field through io.ImeSetInputScreenPosFn.
ImVec2 ime_caret(-1, -1);
void set_ime_caret(int x, int y) { ime_caret = ImVec2(float(x), float(y)); }

void mark_texture_changed(ImTextureID tex) {
  if (std::find(changed_textures.begin(), changed_textures.end(), tex) == changed_textures.end())
    changed_textures.push_back(tex);
}

ImTextureID create_texture(int w, int h, const unsigned char* rgba) {
  GLuint id = 0;
  glGenTextures(1, &id);
  glBindTexture(GL_TEXTURE_2D, id);
  // Nearest: image grids show pixels as pixels, heat maps show cells as cells.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  const auto tex = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(id));
  mark_texture_changed(tex);  // GL may hand out a deleted texture's id again
  return tex;
}

void update_texture(ImTextureID tex, int w, int h, const unsigned char* rgba) {
  glBindTexture(GL_TEXTURE_2D, GLuint(reinterpret_cast<intptr_t>(tex)));
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  mark_texture_changed(tex);
}

void destroy_texture(ImTextureID tex) {
  GLuint id = GLuint(reinterpret_cast<intptr_t>(tex));
  glDeleteTextures(1, &id);
}

// The system cursor for each ImGui cursor (ImGuiMouseCursor_ order).
constexpr SDL_SystemCursor kSystemCursors[ImGuiMouseCursor_COUNT] = {
    SDL_SYSTEM_CURSOR_ARROW,  SDL_SYSTEM_CURSOR_IBEAM,    SDL_SYSTEM_CURSOR_SIZEALL,
    SDL_SYSTEM_CURSOR_SIZENS, SDL_SYSTEM_CURSOR_SIZEWE,   SDL_SYSTEM_CURSOR_SIZENESW,
    SDL_SYSTEM_CURSOR_SIZENWSE, SDL_SYSTEM_CURSOR_HAND, SDL_SYSTEM_CURSOR_NO};
static_assert(ImGuiMouseCursor_COUNT == 9, "SdlGlHost::cursors_ holds one SDL cursor per ImGui cursor");

}  // namespace

std::string SdlGlHost::init(const WindowConfig& config) {
  skip_unchanged_frames_ = config.skip_unchanged_frames;
  redraw_changed_region_ = config.redraw_changed_region;
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) return std::string("SDL_Init failed: ") + SDL_GetError();
#if defined(__EMSCRIPTEN__)
  const char* glsl_version = "#version 300 es";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#else
  const char* glsl_version = "#version 130";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#endif
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8);
  const auto flags = SDL_WindowFlags(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  window_ = SDL_CreateWindow(config.title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, config.width,
                             config.height, flags);
  if (!window_) return std::string("SDL_CreateWindow failed: ") + SDL_GetError();
  gl_context_ = SDL_GL_CreateContext(window_);
  if (!gl_context_) return std::string("OpenGL context creation failed: ") + SDL_GetError();
  SDL_GL_MakeCurrent(window_, gl_context_);
  SDL_GL_SetSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout comes from the app, not from a file
  // The host sets the cursor only when ImGui's changes: the SDL backend sets it in every
  // frame, and on the web each time is a call to the page that restyles the canvas.
  io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
  for (int c = 0; c < ImGuiMouseCursor_COUNT; ++c) cursors_[c] = SDL_CreateSystemCursor(kSystemCursors[c]);
  if (!ImGui_ImplSDL2_InitForOpenGL(window_, gl_context_)) return "ImGui SDL2 backend failed to start";
  if (!ImGui_ImplOpenGL3_Init(glsl_version)) return "ImGui OpenGL3 backend failed to start";
  ui::set_texture_backend({create_texture, update_texture, destroy_texture});
  io.ImeSetInputScreenPosFn = set_ime_caret;
  return {};
}

bool SdlGlHost::text_field_active() const { return ImGui::GetCurrentContext() && ImGui::GetIO().WantTextInput; }

ImVec2 SdlGlHost::text_caret() const { return ime_caret; }

bool SdlGlHost::poll_events() {
  bool open = true;
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    // SDL turns touches into mouse events marked SDL_TOUCH_MOUSEID: a finger drags to scroll.
    if (event.type == SDL_MOUSEBUTTONDOWN) touch_pointer_ = event.button.which == SDL_TOUCH_MOUSEID;
    if (event.type == SDL_MOUSEMOTION) touch_pointer_ = event.motion.which == SDL_TOUCH_MOUSEID;
    // An input method's text being composed (desktop; the page has its own, see web/loader.js).
    if (event.type == SDL_TEXTEDITING) {
      composition_ = event.edit.text;
      ui::use_glyphs(composition_);
    }
    if (event.type == SDL_TEXTINPUT) composition_.clear();
    if (event.type == SDL_QUIT) open = false;
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
        event.window.windowID == SDL_GetWindowID(window_))
      open = false;
  }
  return open;
}

void SdlGlHost::render_frame(ui::App& app, Capture* capture) {
  if (app.rebuild_fonts_if_needed()) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    all_textures_changed = true;
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  app.set_touch_pointer(touch_pointer_);
  app.frame();
  if (!composition_.empty() && ImGui::GetIO().WantTextInput && ime_caret.x >= 0) {
    // What the input method is composing, underlined at the caret, over everything.
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    const ImVec2 size = ImGui::CalcTextSize(composition_.c_str());
    const ImVec2 p(ime_caret.x + 1, ime_caret.y);
    dl->AddRectFilled(p, ImVec2(p.x + size.x + 4, p.y + size.y + 2), ImGui::GetColorU32(ImGuiCol_PopupBg));
    dl->AddText(ImVec2(p.x + 2, p.y), ImGui::GetColorU32(ImGuiCol_Text), composition_.c_str());
    dl->AddLine(ImVec2(p.x + 2, p.y + size.y), ImVec2(p.x + 2 + size.x, p.y + size.y), ImGui::GetColorU32(ImGuiCol_Text));
  }
  ImGui::Render();
  if (ImGui::GetIO().WantTextInput && ime_caret.x >= 0 && (ime_caret.x != text_input_rect_at_.x || ime_caret.y != text_input_rect_at_.y)) {
    // The input method's candidate window opens below the caret's line.
    SDL_Rect caret{int(ime_caret.x), int(ime_caret.y), 1, int(ImGui::GetFontSize())};
    SDL_SetTextInputRect(&caret);
    text_input_rect_at_ = ime_caret;
  }
  update_cursor();
  ImDrawData& draw_data = *ImGui::GetDrawData();
  const int fb_width = int(draw_data.DisplaySize.x * draw_data.FramebufferScale.x);
  const int fb_height = int(draw_data.DisplaySize.y * draw_data.FramebufferScale.y);
  const PixelBox screen{0, 0, fb_width, fb_height};
  std::vector<PixelBox> regions = {screen};
  if (skip_unchanged_frames_ || redraw_changed_region_) {
    record_commands(draw_data, fb_width, fb_height, frame_);
    const bool all_new = capture || all_textures_changed || full_redraw_requested_ || fb_width != drawn_.width ||
                         fb_height != drawn_.height || draw_data.FramebufferScale.x != drawn_.scale.x ||
                         draw_data.FramebufferScale.y != drawn_.scale.y;
    if (!all_new && skip_unchanged_frames_ && same_picture(drawn_, frame_, changed_textures)) {
      warm_up_redraw_diff(draw_data);
      return;
    }
    if (redraw_changed_region_) {
      copy_geometry(draw_data, frame_);
      if (!all_new) regions = damaged_boxes(drawn_, frame_, changed_textures, kMaxRedrawBoxes);
    }
    std::swap(drawn_, frame_);
  }
  all_textures_changed = full_redraw_requested_ = false;
  changed_textures.clear();
  if (regions.empty() && skip_unchanged_frames_) return;  // what changed is not on the canvas
  if (regions.empty()) regions = {screen};
  ++drawn_frames_;
  for (const PixelBox& r : regions) drawn_pixels_ += uint64_t(r.area());
  const bool partial = !(regions.size() == 1 && regions[0] == screen);
  if (partial) {
    ++partial_frames_;
    clip_draw_data(draw_data, regions, fb_height);
    glEnable(GL_SCISSOR_TEST);
  }
  glViewport(0, 0, fb_width, fb_height);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  for (const PixelBox& r : regions) {
    if (partial) glScissor(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    glClear(GL_COLOR_BUFFER_BIT);
  }
  ImGui_ImplOpenGL3_RenderDrawData(&draw_data);
  if (partial) glDisable(GL_SCISSOR_TEST);
  if (capture) read_pixels(*capture);
  SDL_GL_SwapWindow(window_);
}

// V8 first runs WASM code in its baseline tier and optimizes a function on a background
// thread once it has run a while. The triangle diff first runs at length on the frame that
// answers a change to much of the UI, typically Train, and its optimization then took about
// 40 ms of CPU from the training threads in the first epoch (Chromium's trace). So the first
// idle frames diff the canvas against their own unchanged frame with scattered vertices
// recoloured, which the skipped frame no longer needs, as a changed frame would be diffed.
// Only the first vertices of one draw list a frame: recolouring the whole canvas cost 50 ms
// a frame on the diffusion lesson, which held a single-thread page's sampler for 1.5 s.
void SdlGlHost::warm_up_redraw_diff(ImDrawData& draw_data) {
#if defined(__EMSCRIPTEN__)
  if (!redraw_changed_region_ || redraw_warm_ups_left_ == 0 || draw_data.CmdListsCount == 0) return;
  --redraw_warm_ups_left_;
  constexpr int kRecolouredVertices = 4096;
  ImVector<ImDrawVert>& vertices = draw_data.CmdLists[redraw_warm_ups_left_ % draw_data.CmdListsCount]->VtxBuffer;
  for (int v = redraw_warm_ups_left_ % 37; v < std::min(vertices.Size, kRecolouredVertices); v += 37)
    vertices[v].col ^= 0x00010101;
  record_commands(draw_data, drawn_.width, drawn_.height, frame_);
  copy_geometry(draw_data, frame_);
  damaged_boxes(drawn_, frame_, {}, kMaxRedrawBoxes);
#else
  (void)draw_data;  // native code is compiled ahead of time
#endif
}

void SdlGlHost::set_fullscreen(bool on) {
  SDL_SetWindowFullscreen(window_, on ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
}

bool SdlGlHost::fullscreen() const {
  return window_ && (SDL_GetWindowFlags(window_) & SDL_WINDOW_FULLSCREEN_DESKTOP) == SDL_WINDOW_FULLSCREEN_DESKTOP;
}

void SdlGlHost::set_window_size(int w, int h) {
  int cw = 0, ch = 0;
  SDL_GetWindowSize(window_, &cw, &ch);
  if (cw != w || ch != h) SDL_SetWindowSize(window_, w, h);
}

void SdlGlHost::read_pixels(Capture& c) const {
  c.ok = false;
  SDL_GL_GetDrawableSize(window_, &c.w, &c.h);
  if (c.w <= 0 || c.h <= 0) return;
  std::vector<uint8_t> bottom_up(size_t(c.w) * c.h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, c.w, c.h, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  if (glGetError() != GL_NO_ERROR) return;
  c.rgba.resize(bottom_up.size());
  const size_t row = size_t(c.w) * 4;
  for (int y = 0; y < c.h; ++y) std::copy_n(&bottom_up[size_t(c.h - 1 - y) * row], row, &c.rgba[size_t(y) * row]);
  c.ok = true;
}

void SdlGlHost::update_cursor() {
  const ImGuiMouseCursor cursor = ImGui::GetMouseCursor();
  if (cursor == shown_cursor_) return;
  shown_cursor_ = cursor;
  if (cursor == ImGuiMouseCursor_None) {
    SDL_ShowCursor(SDL_FALSE);
    return;
  }
  SDL_Cursor* c = cursor >= 0 && cursor < ImGuiMouseCursor_COUNT ? cursors_[cursor] : nullptr;
  SDL_SetCursor(c ? c : cursors_[ImGuiMouseCursor_Arrow]);
  SDL_ShowCursor(SDL_TRUE);
}

void SdlGlHost::shutdown() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  for (SDL_Cursor*& c : cursors_) {
    if (c) SDL_FreeCursor(c);
    c = nullptr;
  }
  if (gl_context_) SDL_GL_DeleteContext(gl_context_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

}  // namespace ll::host
