// latentlab desktop: the lessons in an SDL2 + OpenGL window.
//   latentlab_desktop [--lesson ID] [--lang en|zh] [--font SCALE] [--size WxH] [--command TEXT]...
// The language: --lang, else the one last chosen in the app (settings.hpp), else the locale's.
//   latentlab_desktop --smoke-frames N --screenshot FILE.png   (renders N frames, saves the last, exits)
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "host/sdl_gl_host.hpp"
#include "io/png.hpp"
#include "lessons/app.hpp"
#include "settings.hpp"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: latentlab_desktop [--lesson ID] [--lang en|zh] [--font SCALE] [--size WxH] [--command TEXT]...\n"
               "                         [--smoke-frames N --screenshot FILE.png]\n");
}

// A rendered UI has text, panels and plots: many distinct colours. A failed render is one colour.
size_t distinct_colours(const std::vector<uint8_t>& rgba) {
  std::set<uint32_t> colours;
  for (size_t i = 0; i + 3 < rgba.size() && colours.size() < 1000; i += 4 * 7)
    colours.insert(uint32_t(rgba[i]) | uint32_t(rgba[i + 1]) << 8 | uint32_t(rgba[i + 2]) << 16);
  return colours.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::string lesson = "gradient-descent", screenshot, lang;
  std::vector<std::string> commands;
  long smoke_frames = 0;
  int width = 1280, height = 800;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--lesson" && has_value) lesson = argv[++i];
    else if (a == "--lang" && has_value) lang = argv[++i];
    else if (a == "--font" && has_value) commands.push_back(std::string("font ") + argv[++i]);
    else if (a == "--command" && has_value) commands.push_back(argv[++i]);
    else if (a == "--size" && has_value) {
      if (std::sscanf(argv[++i], "%dx%d", &width, &height) != 2 || width < 1 || height < 1 || width > 16384 ||
          height > 16384) {
        std::fprintf(stderr, "latentlab: --size takes WIDTHxHEIGHT in pixels, e.g. 1280x720\n");
        return 2;
      }
    }
    else if (a == "--smoke-frames" && has_value) smoke_frames = std::atol(argv[++i]);
    else if (a == "--screenshot" && has_value) screenshot = argv[++i];
    else { usage(); return 2; }
  }

  ll::ui::App app({"native", int(std::max(1u, std::thread::hardware_concurrency()))}, ll::ui::make_lessons());
  if (!app.open(lesson)) {
    std::fprintf(stderr, "latentlab: no lesson '%s'\n", lesson.c_str());
    return 2;
  }
  const std::string settings_file = ll::desktop::settings_path();
  std::string warning;
  ll::desktop::Settings settings = ll::desktop::load_settings(settings_file, warning);
  if (!warning.empty()) {
    // Reported, and replaced by a good file at once: the next start is quiet.
    std::fprintf(stderr, "latentlab: %s\n", warning.c_str());
    std::string error;
    if (!ll::desktop::save_settings(settings_file, settings, error)) std::fprintf(stderr, "latentlab: %s\n", error.c_str());
  }
  const std::string language = !lang.empty() ? lang : !settings.lang.empty() ? settings.lang : ll::desktop::locale_language();
  if (const ll::ui::CommandResult r = app.set_language(language); !r.ok) {
    std::fprintf(stderr, "latentlab: --lang: %s\n", r.message.c_str());
    return 2;
  }
  // A language chosen in the app is remembered for the next start.
  app.on_language_changed = [&](const std::string& code) {
    settings.lang = code;
    std::string error;
    if (!ll::desktop::save_settings(settings_file, settings, error)) std::fprintf(stderr, "latentlab: %s\n", error.c_str());
  };
  for (const std::string& c : commands) {
    const ll::ui::CommandResult r = app.command(c);
    if (!r.ok) { std::fprintf(stderr, "latentlab: %s\n", r.message.c_str()); return 2; }
  }

  ll::host::SdlGlHost host;
  const std::string error = host.init({"latentlab", width, height});
  if (!error.empty()) {
    std::fprintf(stderr, "latentlab: %s\n", error.c_str());
    return 1;
  }
  if (smoke_frames > 0 && app.find(lesson)->has_training()) app.command("train start");
  app.request_fullscreen = [&host](bool on) { host.set_fullscreen(on); };

  ll::host::Capture capture;
  for (long frame = 1; host.poll_events(); ++frame) {
    const bool last = smoke_frames > 0 && frame >= smoke_frames;
    app.set_fullscreen_state(host.fullscreen());
    host.render_frame(app, last ? &capture : nullptr);
    if (last) break;
  }
  host.shutdown();
  if (smoke_frames == 0) return 0;

  if (!capture.ok) { std::fprintf(stderr, "smoke: could not read the framebuffer back\n"); return 1; }
  const size_t colours = distinct_colours(capture.rgba);
  if (!screenshot.empty()) {
    const std::string werr = ll::write_png(screenshot, capture.rgba.data(), capture.w, capture.h, 4);
    if (!werr.empty()) { std::fprintf(stderr, "smoke: %s\n", werr.c_str()); return 1; }
  }
  const ll::ui::Lesson* active = app.find(lesson);
  const long step = active->has_training() ? active->training().step : 0;
  std::printf("smoke: %ld frames, %dx%d, %zu colours sampled, training step %ld, screenshot %s\n", smoke_frames,
              capture.w, capture.h, colours, step, screenshot.empty() ? "(none)" : screenshot.c_str());
  if (colours < 20) { std::fprintf(stderr, "smoke: the frame is nearly uniform: nothing was drawn\n"); return 1; }
  if (active->has_training() && step == 0) { std::fprintf(stderr, "smoke: training did not advance\n"); return 1; }
  return 0;
}
