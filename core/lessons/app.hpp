#pragma once
// The app shell shared by the desktop and web front ends: lesson list on the left, the
// active lesson on the right, a menu bar with font scale, theme and seed, keyboard
// shortcuts, and the text commands behind the JS hook and the CLI.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/lesson.hpp"

namespace ll::ui {

enum class Theme { Dark, Light };

struct AppInfo {
  std::string build = "native";  // "native", "mt" (WASM threads) or "st" (WASM single thread)
  int threads = 1;               // worker threads available to training
};

class App {
 public:
  explicit App(AppInfo info, std::vector<std::unique_ptr<Lesson>> lessons);
  // Lessons hold links back to their App (Lesson::open_lesson), so it stays in place.
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Draws one frame of UI; call between ImGui::NewFrame() and ImGui::Render().
  void frame();
  // Font atlas and style follow the font scale; the host rebuilds its font texture
  // when this returns true, before the next NewFrame().
  bool rebuild_fonts_if_needed();

  bool open(const std::string& lesson_id);
  CommandResult command(const std::string& text);
  // The interface language ("en", "zh"): every string switches at once, nothing else changes.
  CommandResult set_language(const std::string& code);
  nlohmann::json state() const;

  const std::string& active_id() const;
  Lesson* find(const std::string& lesson_id) const;
  // Called after the active lesson changes (the web front end updates location.hash).
  std::function<void(const std::string&)> on_lesson_opened;
  // Called after the user or a command switches the language (the hosts remember the choice).
  std::function<void(const std::string&)> on_language_changed;
  // Full screen belongs to the host (the browser's Fullscreen API, the desktop window): the
  // app asks through request_fullscreen and the host reports the state every frame.
  std::function<void(bool)> request_fullscreen;
  void set_fullscreen_state(bool fullscreen) { fullscreen_ = fullscreen; }
  bool presenter() const { return presenter_; }
  // Whether the pointer is a finger (the host tells every frame): a finger dragged over
  // anything but a control scrolls the region under it, as on any touch screen.
  void set_touch_pointer(bool touch) { touch_pointer_ = touch; }

 private:
  void apply_style();
  void handle_shortcuts();
  void show_menu_bar();
  void show_lesson_list();
  void show_too_small(ImVec2 display);
  void touch_scroll();
  bool list_shown() const;
  void toggle_list();
  void toggle_fullscreen();
  CommandResult set_presenter(bool on);
  CommandResult set_font_scale(double scale);

  AppInfo info_;
  std::vector<std::unique_ptr<Lesson>> lessons_;
  size_t active_ = 0;
  Theme theme_ = Theme::Dark;
  float font_scale_ = 1.0f;
  // The presenter view: the lesson list hidden, a compact top bar with the lesson's title.
  bool presenter_ = false;
  bool fullscreen_ = false;
  bool touch_pointer_ = false;
  unsigned touch_scrolled_window_ = 0;  // ImGui ID of the window a finger drag scrolls, 0 when none
  // The lesson list: shown or hidden by the user (L), else shown when the window is wide enough.
  enum class ListChoice { Auto, Shown, Hidden } list_choice_ = ListChoice::Auto;
  bool fonts_dirty_ = true;
  uint64_t seed_ = 1;
  long frame_ = 0;
  float shown_fps_ = 0;       // the menu bar's frame rate, refreshed once a second
  double fps_shown_at_ = -1;
};

// Font scale limits for projectors.
constexpr float kMinFontScale = 1.0f, kMaxFontScale = 2.5f;
// The smallest window the lessons lay out in, in pixels and in font heights; below it the app
// asks for a larger window (or smaller text).
constexpr float kMinWindowWidth = 480, kMinWindowHeight = 320;
constexpr float kMinWindowWidthEm = 24, kMinWindowHeightEm = 13;

// Theme and fonts (style.cpp).
void apply_theme(Theme theme, float font_scale);
void HelpMarker(const char* text);
void SectionHeading(const char* text);  // a label over a separator line
// A training lesson's status on the current line: "step 120 (paused)", or while running
// "step 120  35 steps/s" with the rate's unit as given.
void TrainingStatusLine(const char* step_name, long step, bool running, double per_second, const char* rate_unit);
// A diverged run's message with its two ways out; returns which button was pressed.
enum class DivergedChoice { None, LowerLearningRate, Reset };
DivergedChoice DivergedNotice(const std::string& message, const char* lower_label);
// "Load a file…" through the page's file picker, or on the desktop a path field and a Load
// button; either way on_open gets the file's name and bytes (a desktop read error is passed
// on as `error`, with no bytes).
using ModelFileFn = std::function<void(const std::string& name, std::vector<uint8_t> bytes, const std::string& error)>;
void LoadModelFileRow(const char* id, const char* accept, char* path, size_t path_size, const ModelFileFn& on_open);

}  // namespace ll::ui
