#include "host/sdl_gl_host.hpp"

#include <SDL.h>

#include <algorithm>
#include <cstring>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "lessons/widgets/texture.hpp"

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#include <SDL_opengl.h>
#endif

namespace ll::host {

namespace {

// Set whenever a texture's pixels change: the same draw lists then show something new.
bool textures_changed = true;

// 64-bit multiply-xor hash, 8 bytes at a time (a frame's draw lists are a few hundred KB).
uint64_t hash_bytes(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  auto mix = [&h](uint64_t word) {
    h = (h ^ word) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
  };
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    mix(word);
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p + i, n - i);
  mix(tail ^ (uint64_t(n) << 56));
  return h;
}

// What a frame would put on the canvas: its geometry, commands, textures and clip rects.
uint64_t draw_data_hash(const ImDrawData& d) {
  const float frame[6] = {d.DisplayPos.x, d.DisplayPos.y, d.DisplaySize.x, d.DisplaySize.y,
                          d.FramebufferScale.x, d.FramebufferScale.y};
  uint64_t h = hash_bytes(0x6c61746e, frame, sizeof frame);
  for (int i = 0; i < d.CmdListsCount; ++i) {
    const ImDrawList& list = *d.CmdLists[i];
    h = hash_bytes(h, list.VtxBuffer.Data, size_t(list.VtxBuffer.Size) * sizeof(ImDrawVert));
    h = hash_bytes(h, list.IdxBuffer.Data, size_t(list.IdxBuffer.Size) * sizeof(ImDrawIdx));
    h = hash_bytes(h, list.CmdBuffer.Data, size_t(list.CmdBuffer.Size) * sizeof(ImDrawCmd));
  }
  return h;
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
  textures_changed = true;
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(id));
}

void update_texture(ImTextureID tex, int w, int h, const unsigned char* rgba) {
  glBindTexture(GL_TEXTURE_2D, GLuint(reinterpret_cast<intptr_t>(tex)));
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  textures_changed = true;
}

void destroy_texture(ImTextureID tex) {
  GLuint id = GLuint(reinterpret_cast<intptr_t>(tex));
  glDeleteTextures(1, &id);
  textures_changed = true;
}

}  // namespace

std::string SdlGlHost::init(const WindowConfig& config) {
  skip_unchanged_frames_ = config.skip_unchanged_frames;
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
  if (!ImGui_ImplSDL2_InitForOpenGL(window_, gl_context_)) return "ImGui SDL2 backend failed to start";
  if (!ImGui_ImplOpenGL3_Init(glsl_version)) return "ImGui OpenGL3 backend failed to start";
  ui::set_texture_backend({create_texture, update_texture, destroy_texture});
  return {};
}

bool SdlGlHost::poll_events() {
  bool open = true;
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
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
    textures_changed = true;
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  app.frame();
  ImGui::Render();
  if (skip_unchanged_frames_) {
    const uint64_t hash = draw_data_hash(*ImGui::GetDrawData());
    if (!capture && !textures_changed && hash == drawn_hash_) return;
    drawn_hash_ = hash;
  }
  textures_changed = false;
  ++drawn_frames_;
  const ImGuiIO& io = ImGui::GetIO();
  glViewport(0, 0, int(io.DisplaySize.x * io.DisplayFramebufferScale.x),
             int(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (capture) read_pixels(*capture);
  SDL_GL_SwapWindow(window_);
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

void SdlGlHost::shutdown() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  if (gl_context_) SDL_GL_DeleteContext(gl_context_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

}  // namespace ll::host
