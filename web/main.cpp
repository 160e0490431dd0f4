// latentlab in the browser: the app shell in a WebGL2 canvas, plus the functions behind
// window.latentlab (state, open, command). They run on the browser's main thread, the
// same thread as the frame loop, so they need no locking.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "host/sdl_gl_host.hpp"
#include "lessons/app.hpp"

namespace {

ll::host::SdlGlHost host;
ll::ui::App* app = nullptr;
std::string reply;  // the last string handed to JS; valid until the next call

// The lesson named by #lesson=<id> in the address, or "".
EM_JS(char*, hash_lesson, (), {
  const m = /lesson=([A-Za-z0-9_-]+)/.exec(location.hash);
  return m ? stringToNewUTF8(m[1]) : 0;
});

EM_JS(void, set_hash_lesson, (const char* id), {
  history.replaceState(null, "", "#lesson=" + UTF8ToString(id));
});

EM_JS(int, page_width, (), { return window.innerWidth; });
EM_JS(int, page_height, (), { return window.innerHeight; });
EM_JS(void, announce_ready, (), {
  if (Module.onLatentlabReady) Module.onLatentlabReady();
});

void frame() {
  host.set_window_size(page_width(), page_height());
  host.poll_events();
  host.render_frame(*app);
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* ll_state() {
  reply = app ? app->state().dump() : "{}";
  return reply.c_str();
}

EMSCRIPTEN_KEEPALIVE int ll_open(const char* id) { return app && app->open(id) ? 1 : 0; }

EMSCRIPTEN_KEEPALIVE const char* ll_command(const char* text) {
  const ll::ui::CommandResult r = app ? app->command(text) : ll::ui::CommandResult{false, "app not started"};
  reply = nlohmann::json{{"ok", r.ok}, {"message", r.message}}.dump();
  return reply.c_str();
}

}  // extern "C"

int main() {
#if LATENTLAB_THREADS
  const ll::ui::AppInfo info{"mt", int(std::max(1u, std::thread::hardware_concurrency()))};
#else
  const ll::ui::AppInfo info{"st", 1};
#endif
  app = new ll::ui::App(info, ll::ui::make_lessons());
  if (char* id = hash_lesson()) {
    app->open(id);
    free(id);
  }
  app->on_lesson_opened = [](const std::string& id) { set_hash_lesson(id.c_str()); };

  const std::string error = host.init({"latentlab", page_width(), page_height()});
  if (!error.empty()) {
    std::fprintf(stderr, "latentlab: %s\n", error.c_str());
    EM_ASM({ if (Module.onLatentlabError) Module.onLatentlabError(UTF8ToString($0)); }, error.c_str());
    return 1;
  }
  announce_ready();
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
