// latentlab in the browser: the app shell in a WebGL2 canvas, plus the functions behind
// window.latentlab (state, open, command). They run on the browser's main thread, the
// same thread as the frame loop, so they need no locking.
#include <emscripten.h>
#include <emscripten/html5.h>
#include <emscripten/threading.h>

#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "host/sdl_gl_host.hpp"
#include "io/assets.hpp"
#include "lessons/app.hpp"
#include "imgui.h"
#include "lessons/file_hooks.hpp"
#include "lessons/fonts.hpp"

namespace {

ll::host::SdlGlHost host;
ll::ui::App* app = nullptr;
std::string reply;  // the last string handed to JS; valid until the next call

// A parameter of the address's hash ("#lesson=vae&lang=zh"), or null.
EM_JS(char*, hash_param, (const char* name), {
  const value = new URLSearchParams(location.hash.slice(1)).get(UTF8ToString(name));
  return value === null ? 0 : stringToNewUTF8(value);
});

// Sets one parameter of the hash and keeps the others.
EM_JS(void, set_hash_param, (const char* name, const char* value), {
  const params = new URLSearchParams(location.hash.slice(1));
  params.set(UTF8ToString(name), UTF8ToString(value));
  history.replaceState(null, "", "#" + params.toString());
});

// The interface language: the one the user chose last on this site (localStorage), else the
// browser's (any zh* among navigator.languages gives Chinese).
EM_JS(char*, remembered_or_browser_language, (), {
  let chosen = null;
  try { chosen = localStorage.getItem("latentlab.lang"); } catch (e) {}
  if (chosen) return stringToNewUTF8(chosen);
  const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
  return stringToNewUTF8(langs.some((l) => /^zh($|-|_)/i.test(l)) ? "zh" : "en");
});

EM_JS(void, remember_language, (const char* code), {
  const lang = UTF8ToString(code);
  try { localStorage.setItem("latentlab.lang", lang); } catch (e) {}
  document.documentElement.lang = lang === "zh" ? "zh-CN" : lang;
  if (new URLSearchParams(location.hash.slice(1)).has("lang")) {
    const params = new URLSearchParams(location.hash.slice(1));
    params.set("lang", lang);
    history.replaceState(null, "", "#" + params.toString());
  }
});

std::string take_js_string(char* s) {
  std::string out = s ? s : "";
  free(s);
  return out;
}

// Creates the canvas's WebGL2 context for SDL (-sGL_PREINITIALIZED_CONTEXT) with the
// attributes ImGui needs and no more, and one it cannot ask for through SDL: the canvas
// keeps its pixels between frames, so a frame redraws only the part that changed.
// 1 when the context keeps them, 0 when it does not, -1 when there is no WebGL2 at all.
EM_JS(int, create_preserving_context, (), {
  const gl = Module.canvas.getContext('webgl2', {alpha: false, depth: false, stencil: false, antialias: false,
                                                 preserveDrawingBuffer: true});
  if (!gl) return -1;
  Module.preinitializedWebGLContext = gl;
  return gl.getContextAttributes().preserveDrawingBuffer ? 1 : 0;
});

// The browser's Fullscreen API on the whole page (the canvas follows the page's size).
EM_JS(void, request_page_fullscreen, (int on), {
  if (on && !document.fullscreenElement && document.documentElement.requestFullscreen)
    document.documentElement.requestFullscreen().catch(() => {});
  if (!on && document.fullscreenElement) document.exitFullscreen().catch(() => {});
});
EM_JS(int, page_fullscreen, (), { return document.fullscreenElement ? 1 : 0; });

EM_JS(int, page_width, (), { return window.innerWidth; });
EM_JS(int, page_height, (), { return window.innerHeight; });
EM_JS(void, announce_ready, (), {
  if (Module.onLatentlabReady) Module.onLatentlabReady();
});

// Assets (assets/<name> beside the page) are fetched on first use, in the background: the
// loader answers kAssetPending until the bytes arrive, then hands them out from memory.
struct FetchedAsset {
  bool done = false;
  std::string bytes, error;
};
std::mutex assets_mutex;
std::map<std::string, FetchedAsset> assets;

void asset_arrived(void* name, void* data, int size) {
  std::lock_guard<std::mutex> lock(assets_mutex);
  FetchedAsset& a = assets[*static_cast<std::string*>(name)];
  a.bytes.assign(static_cast<const char*>(data), size_t(size));
  a.done = true;
  delete static_cast<std::string*>(name);
}

void asset_failed(void* name) {
  std::lock_guard<std::mutex> lock(assets_mutex);
  const std::string& n = *static_cast<std::string*>(name);
  assets[n] = {true, "", "could not fetch assets/" + n + " from the server (is the file on the site?)"};
  delete static_cast<std::string*>(name);
}

std::string fetch_asset(const std::string& name, std::string& bytes) {
  std::lock_guard<std::mutex> lock(assets_mutex);
  auto it = assets.find(name);
  if (it == assets.end()) {
    // Fetches start on the main thread; a worker asking first waits for the UI to ask too.
    if (!emscripten_is_main_runtime_thread()) return ll::kAssetPending;
    assets[name] = {};
    emscripten_async_wget_data(("assets/" + name).c_str(), new std::string(name), asset_arrived, asset_failed);
    return ll::kAssetPending;
  }
  if (!it->second.done) return ll::kAssetPending;
  if (it->second.error.empty()) bytes = it->second.bytes;
  return it->second.error;
}

// Files from and to the user: a download of the bytes, and the browser's file picker. The
// picked file arrives in ll_file_opened (on the UI thread), matched to its request by id.
EM_JS(void, download_bytes, (const char* name, const uint8_t* data, int size), {
  // slice() copies out of the (possibly shared) heap: a Blob cannot take a SharedArrayBuffer.
  const blob = new Blob([HEAPU8.slice(data, data + size)], {type: "application/octet-stream"});
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
});

EM_JS(void, pick_file, (const char* accept, int request), {
  const input = document.createElement("input");
  input.type = "file";
  input.accept = UTF8ToString(accept);
  input.onchange = () => {
    const file = input.files && input.files[0];
    if (!file) return;
    file.arrayBuffer().then((buffer) => {
      const bytes = new Uint8Array(buffer);
      const data = _malloc(Math.max(1, bytes.length));
      HEAPU8.set(bytes, data);
      const name = stringToNewUTF8(file.name);
      _ll_file_opened(request, name, data, bytes.length);
      _free(name);
      _free(data);
    });
  };
  input.click();
});

std::map<int, ll::ui::OpenedFileFn> open_requests;
int next_open_request = 1;

void install_file_hooks() {
  ll::ui::set_file_hooks(
      [](const std::string& name, const std::vector<uint8_t>& bytes) {
        download_bytes(name.c_str(), bytes.data(), int(bytes.size()));
        return std::string();
      },
      [](const std::string& accept, ll::ui::OpenedFileFn on_open) {
        const int request = next_open_request++;
        open_requests[request] = std::move(on_open);
        pick_file(accept.c_str(), request);
      });
}

// Text fields and input methods: a canvas cannot take text from an input method, so while an
// ImGui text field is active the page focuses a text area of its own kept at the caret
// (loader.js): it shows the text being composed there, hands the committed text to
// ll_text_input, and opens a tablet's on-screen keyboard.
EM_JS(void, show_text_field, (int active, int x, int y, int font_px), {
  if (Module.latentlabTextField) Module.latentlabTextField(active !== 0, x, y, font_px);
});

struct TextField {
  bool active = false;
  int x = -1, y = -1, font_px = 0;
  bool operator!=(const TextField& o) const { return active != o.active || x != o.x || y != o.y || font_px != o.font_px; }
} text_field_shown;

void frame() {
  host.set_window_size(page_width(), page_height());
  app->set_fullscreen_state(page_fullscreen() != 0);
  host.poll_events();
  host.render_frame(*app);
  const ImVec2 caret = host.text_caret();
  const TextField now{host.text_field_active(), int(caret.x), int(caret.y), int(ImGui::GetFontSize())};
  if (now != text_field_shown) {
    text_field_shown = now;
    show_text_field(now.active, now.x, now.y, now.font_px);
  }
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* ll_state() {
  if (!app) return "{}";
  nlohmann::json s = app->state();
  s["drawn_frames"] = host.drawn_frames();
  s["partial_frames"] = host.partial_frames();
  s["drawn_pixels"] = host.drawn_pixels();
  // The WASM heap: bytes malloc has handed out, and the linear memory's size (which never shrinks).
  const struct mallinfo m = mallinfo();
  s["wasm_heap"] = {{"used", size_t(m.uordblks)}, {"size", size_t(EM_ASM_INT({ return HEAPU8.length; }))}};
  // Strings from files or typed text may hold invalid UTF-8: replaced, never thrown across to JS.
  reply = s.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return reply.c_str();
}

EMSCRIPTEN_KEEPALIVE void ll_file_opened(int request, const char* name, const uint8_t* data, int size) {
  auto it = open_requests.find(request);
  if (it == open_requests.end()) return;
  ll::ui::OpenedFileFn on_open = std::move(it->second);
  open_requests.erase(it);
  on_open(name, std::vector<uint8_t>(data, data + size));
}

EMSCRIPTEN_KEEPALIVE void ll_redraw() { host.request_full_redraw(); }

// Text committed by an input method or pasted, for the active text field.
EMSCRIPTEN_KEEPALIVE void ll_text_input(const char* utf8) {
  if (!app || !ImGui::GetCurrentContext()) return;
  ll::ui::use_glyphs(utf8);
  ImGui::GetIO().AddInputCharactersUTF8(utf8);
}

EMSCRIPTEN_KEEPALIVE int ll_open(const char* id) { return app && app->open(id) ? 1 : 0; }

EMSCRIPTEN_KEEPALIVE const char* ll_command(const char* text) {
  const ll::ui::CommandResult r = app ? app->command(text) : ll::ui::CommandResult{false, "app not started"};
  reply = nlohmann::json{{"ok", r.ok}, {"message", r.message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return reply.c_str();
}

}  // extern "C"

int main() {
#if LATENTLAB_THREADS
  const ll::ui::AppInfo info{"mt", int(std::max(1u, std::thread::hardware_concurrency()))};
#else
  const ll::ui::AppInfo info{"st", 1};
#endif
  ll::set_asset_loader(fetch_asset);
  install_file_hooks();
  app = new ll::ui::App(info, ll::ui::make_lessons());
  if (const std::string id = take_js_string(hash_param("lesson")); !id.empty()) app->open(id);
  // #lang= in a link wins over the remembered or browser language, for this visit.
  const std::string remembered = take_js_string(remembered_or_browser_language());
  if (!app->set_language(remembered).ok) app->set_language("en");
  if (const std::string linked = take_js_string(hash_param("lang")); !linked.empty()) {
    const ll::ui::CommandResult r = app->set_language(linked);
    if (!r.ok) std::fprintf(stderr, "latentlab: #lang=: %s\n", r.message.c_str());
  }
  app->on_lesson_opened = [](const std::string& id) { set_hash_param("lesson", id.c_str()); };
  app->on_language_changed = [](const std::string& code) { remember_language(code.c_str()); };
  app->request_fullscreen = [](bool on) { request_page_fullscreen(on ? 1 : 0); };

  ll::host::WindowConfig window{"latentlab", page_width(), page_height()};
  window.skip_unchanged_frames = true;
  window.redraw_changed_region = create_preserving_context() == 1;
  const std::string error = host.init(window);
  if (!error.empty()) {
    std::fprintf(stderr, "latentlab: %s\n", error.c_str());
    EM_ASM({ if (Module.onLatentlabError) Module.onLatentlabError(UTF8ToString($0)); }, error.c_str());
    return 1;
  }
  announce_ready();
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
