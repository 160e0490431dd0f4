#include "lessons/app.hpp"

#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "imgui.h"
#include "imgui_internal.h"
#include "lessons/fonts.hpp"
#include "lessons/i18n.hpp"
#include "lessons/layout.hpp"
#include "lessons/layout_check.hpp"

namespace ll::ui {

namespace {

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Whole-string number parse; false for junk such as "1.5x" or "".
bool parse_number(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out);
}

nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

// Pasted text may hold characters the atlas lacks: they are asked for as they arrive.
const char* (*platform_get_clipboard)(void*) = nullptr;
const char* get_clipboard_asking_glyphs(void* user_data) {
  const char* text = platform_get_clipboard ? platform_get_clipboard(user_data) : nullptr;
  if (text) use_glyphs(text);
  return text;
}

}  // namespace

App::App(AppInfo info, std::vector<std::unique_ptr<Lesson>> lessons) : info_(std::move(info)), lessons_(std::move(lessons)) {
  assert(!lessons_.empty() && "the app needs at least one lesson");
  for (auto& lesson : lessons_) {
    lesson->reseed(seed_);
    lesson->open_lesson = [this](const std::string& id) { return open(id); };
    lesson->has_lesson = [this](const std::string& id) { return find(id) != nullptr; };
  }
  for (const Language& l : languages()) use_glyphs(l.name);
}

bool App::rebuild_fonts_if_needed() {
  if (ImGui::GetCurrentContext()) {
    ImGuiIO& io = ImGui::GetIO();
    if (io.GetClipboardTextFn != get_clipboard_asking_glyphs) {
      platform_get_clipboard = io.GetClipboardTextFn;
      io.GetClipboardTextFn = get_clipboard_asking_glyphs;
    }
    // Boxes drawn while new glyphs wait for the atlas are those glyphs' one frame; boxes drawn
    // with none waiting are characters no font has, or text that never asked for its glyphs.
    if (!glyphs_pending()) count_missing_glyph_boxes(ImGui::GetDrawData());
    // Typed and input-method text is drawn in the frame that receives it: its glyphs first.
    use_glyphs(io.InputQueueCharacters.Data, io.InputQueueCharacters.Size);
  }
  if (!fonts_dirty_ && !glyphs_pending()) return false;
  build_font_atlas(font_scale_);
  apply_theme(theme_, font_scale_);
  fonts_dirty_ = false;
  return true;
}

const std::string& App::active_id() const {
  static std::string id;
  id = lessons_[active_]->id();
  return id;
}

Lesson* App::find(const std::string& lesson_id) const {
  for (auto& lesson : lessons_)
    if (lesson_id == lesson->id()) return lesson.get();
  return nullptr;
}

bool App::open(const std::string& lesson_id) {
  for (size_t i = 0; i < lessons_.size(); ++i) {
    if (lesson_id == lessons_[i]->id()) {
      const bool changed = i != active_;
      active_ = i;
      if (changed && on_lesson_opened) on_lesson_opened(lesson_id);
      return true;
    }
  }
  return false;
}

CommandResult App::set_font_scale(double scale) {
  if (!(scale >= kMinFontScale && scale <= kMaxFontScale)) {
    std::ostringstream msg;
    msg << "font scale " << scale << " is outside " << kMinFontScale << "–" << kMaxFontScale;
    return {false, msg.str()};
  }
  font_scale_ = float(scale);
  fonts_dirty_ = true;
  return {true, "font scale " + std::to_string(scale)};
}

CommandResult App::set_language(const std::string& code) {
  if (!ll::ui::set_language(code)) return {false, "unknown language '" + code + "': choose one of " + language_codes()};
  for (const std::string& key : catalogue_keys()) use_glyphs(tr(key.c_str()));
  for (auto& lesson : lessons_) lesson->language_changed();
  if (on_language_changed) on_language_changed(code);
  return {true, "language " + code};
}

CommandResult App::command(const std::string& text) {
  use_glyphs(text);  // a command may carry words to show ("w2v nearest 国王")
  const std::vector<std::string> w = split_words(text);
  if (w.empty()) return {false, "empty command"};
  Lesson& lesson = *lessons_[active_];
  const std::string& verb = w[0];
  double number = 0;

  if (verb == "open") {
    if (w.size() != 2) return {false, "usage: open <lesson-id>"};
    return open(w[1]) ? CommandResult{true, "opened " + w[1]} : CommandResult{false, "no lesson '" + w[1] + "'"};
  }
  if (verb == "train") {
    if (!lesson.has_training()) return {false, std::string("lesson '") + lesson.id() + "' has nothing to train"};
    if (w.size() == 2 && w[1] == "start") return lesson.set_running(true), CommandResult{true, "training"};
    if (w.size() == 2 && w[1] == "stop") return lesson.set_running(false), CommandResult{true, "paused"};
    if (w.size() == 2 && w[1] == "step") return lesson.step_once(), CommandResult{true, "one step"};
    return {false, "usage: train start|stop|step"};
  }
  if (verb == "seed") {
    if (w.size() != 2 || !parse_number(w[1], number) || number < 0 || number != std::floor(number))
      return {false, "usage: seed <non-negative integer>"};
    seed_ = uint64_t(number);
    for (auto& l : lessons_) l->reseed(seed_);
    return {true, "seed " + w[1]};
  }
  if (verb == "theme") {
    if (w.size() == 2 && (w[1] == "dark" || w[1] == "light")) {
      theme_ = w[1] == "dark" ? Theme::Dark : Theme::Light;
      apply_theme(theme_, font_scale_);
      return {true, "theme " + w[1]};
    }
    return {false, "usage: theme dark|light"};
  }
  if (verb == "font") {
    if (w.size() != 2 || !parse_number(w[1], number)) return {false, "usage: font <scale 1–2.5>"};
    return set_font_scale(number);
  }
  if (verb == "presenter") {
    if (w.size() == 2 && (w[1] == "on" || w[1] == "off")) return set_presenter(w[1] == "on");
    return {false, "usage: presenter on|off"};
  }
  if (verb == "list") {
    if (w.size() == 2 && (w[1] == "show" || w[1] == "hide" || w[1] == "auto")) {
      list_choice_ = w[1] == "show" ? ListChoice::Shown : w[1] == "hide" ? ListChoice::Hidden : ListChoice::Auto;
      return {true, "lesson list " + w[1]};
    }
    return {false, "usage: list show|hide|auto"};
  }
  if (verb == "fullscreen") {
    if (w.size() == 2 && (w[1] == "on" || w[1] == "off")) {
      if (!request_fullscreen) return {false, "this front end has no full screen"};
      request_fullscreen(w[1] == "on");
      return {true, "full screen " + w[1] + " requested"};
    }
    return {false, "usage: fullscreen on|off"};
  }
  if (verb == "where") {
    // Where the last frame drew a text (for tests that click a control by its label):
    // "x0 y0 x1 y1" of the first run of glyphs that contains it.
    const std::string wanted = text.size() > 6 ? text.substr(text.find_first_not_of(' ', 5)) : "";
    if (wanted.empty()) return {false, "usage: where <text>"};
    const LayoutReport layout = check_layout();
    for (size_t i = 0; i < layout.runs.size(); ++i) {
      if (layout.runs[i].find(wanted) == std::string::npos) continue;
      const ImVec4 r = layout.run_rects[i];
      char box[96];
      std::snprintf(box, sizeof box, "%.0f %.0f %.0f %.0f", r.x, r.y, r.z, r.w);
      return {true, box};
    }
    return {false, "'" + wanted + "' was not drawn in the last frame"};
  }
  if (verb == "lang") {
    if (w.size() != 2) return {false, "usage: lang " + language_codes()};
    return set_language(w[1]);
  }
  if (verb == "help") {
    return {true,
            "open <id> | train start|stop|step | seed <n> | theme dark|light | font <1–2.5> | presenter on|off | "
            "list show|hide|auto | fullscreen on|off | lang en|zh | where <text> | lesson commands (see the lesson's help)"};
  }
  CommandResult lesson_result = lesson.command(w);
  if (lesson_result.ok || !lesson_result.message.empty()) return lesson_result;
  return {false, "unknown command '" + verb + "' (try: help)"};
}

nlohmann::json App::state() const {
  nlohmann::json s;
  s["lessons"] = nlohmann::json::array();
  s["training"] = nlohmann::json::object();
  for (auto& lesson : lessons_) {
    s["lessons"].push_back({{"id", lesson->id()}, {"title", lesson->title()}, {"group", lesson->group()}});
    if (lesson->has_training()) {
      const TrainingStatus t = lesson->training();
      s["training"][lesson->id()] = {{"running", t.running}, {"step", t.step}, {"loss", finite_or_null(t.loss)}};
    }
  }
  s["active"] = lessons_[active_]->id();
  s["lesson"] = lessons_[active_]->state();
  s["fps"] = ImGui::GetCurrentContext() ? ImGui::GetIO().Framerate : 0.0f;
  s["frame"] = frame_;
  s["build"] = info_.build;
  s["threads"] = info_.threads;
  s["theme"] = theme_ == Theme::Dark ? "dark" : "light";
  s["font_scale"] = font_scale_;
  s["seed"] = seed_;
  s["presenter"] = presenter_;
  s["fullscreen"] = fullscreen_;
  s["list_shown"] = list_shown();
  s["lang"] = language();
  const GlyphStats glyphs = glyph_stats();
  s["missing_glyphs"] = std::max(glyphs.missing, glyphs.most_boxes_in_a_frame);
  s["glyphs"] = {{"in_atlas", glyphs.glyphs},
                 {"atlas_width", glyphs.atlas_width},
                 {"atlas_height", glyphs.atlas_height},
                 {"atlas_bytes", glyphs.atlas_bytes},
                 {"no_font_has", glyphs.missing},
                 {"most_boxes_in_a_frame", glyphs.most_boxes_in_a_frame},
                 {"last_build_ms", glyphs.last_build_ms}};
  // The last rendered frame's layout (the draw data stays valid until the next frame starts).
  s["layout"] = check_layout().to_json();
  return s;
}

void App::handle_shortcuts() {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;  // typing in a field: keys belong to it
  Lesson& lesson = *lessons_[active_];
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    const ImWchar c = io.InputQueueCharacters[i];
    if (c == ' ' && lesson.has_training()) lesson.set_running(!lesson.training().running);
    if (c == '.' && lesson.has_training()) lesson.step_once();
    if (c == '+' || c == '=') set_font_scale(std::fmin(font_scale_ + 0.25, kMaxFontScale));
    if (c == '-') set_font_scale(std::fmax(font_scale_ - 0.25, kMinFontScale));
    if (c == 'l' || c == 'L') toggle_list();
    if (c == 'f' || c == 'F') toggle_fullscreen();
    if (c == 'p' || c == 'P') set_presenter(!presenter_);
  }
}

CommandResult App::set_presenter(bool on) {
  presenter_ = on;
  list_choice_ = on ? ListChoice::Hidden : ListChoice::Auto;
  return {true, on ? "presenter view on" : "presenter view off"};
}

// Shown by default while the lesson keeps at least 36 font heights of width beside it.
bool App::list_shown() const {
  if (list_choice_ != ListChoice::Auto) return list_choice_ == ListChoice::Shown;
  return !ImGui::GetCurrentContext() || ImGui::GetIO().DisplaySize.x >= Em(13 + 36);
}

void App::toggle_list() { list_choice_ = list_shown() ? ListChoice::Hidden : ListChoice::Shown; }

void App::toggle_fullscreen() {
  if (request_fullscreen) request_fullscreen(!fullscreen_);
}

// One line: the list button, the View menu, the lesson's title, and the frame rate where room is left.
void App::show_menu_bar() {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::Button("≡")) toggle_list();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("app.lesson_list_tooltip"));
  if (!presenter_) ImGui::TextUnformatted("latentlab");
  if (ImGui::BeginMenu(trl("app.view_menu"))) {
    ImGui::SetNextItemWidth(Em(8));
    float scale = font_scale_;
    ImGui::SliderFloat(trl("app.font_scale"), &scale, kMinFontScale, kMaxFontScale, "%.2fx");
    if (ImGui::IsItemDeactivatedAfterEdit()) set_font_scale(scale);  // rebuilding the atlas per drag frame is slow
    if (ImGui::MenuItem(trl("app.presenter_view"), "P", presenter_)) set_presenter(!presenter_);
    if (ImGui::MenuItem(trl("app.lesson_list"), "L", list_shown())) toggle_list();
    if (ImGui::MenuItem(trl("app.full_screen"), "F", fullscreen_, bool(request_fullscreen))) toggle_fullscreen();
    if (ImGui::MenuItem(theme_ == Theme::Dark ? trl("app.light_theme") : trl("app.dark_theme"))) {
      theme_ = theme_ == Theme::Dark ? Theme::Light : Theme::Dark;
      apply_theme(theme_, font_scale_);
    }
    for (const Language& l : languages())
      if (ImGui::MenuItem(l.name, nullptr, std::string(l.code) == language())) set_language(l.code);
    ImGui::SetNextItemWidth(Em(5));
    int seed = int(seed_);
    if (ImGui::InputInt(trl("app.seed"), &seed, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue) && seed >= 0)
      command("seed " + std::to_string(seed));
    ImGui::Separator();
    ImGui::PushTextWrapPos(Em(24));
    ImGui::TextUnformatted(tr("app.keys_help"));
    ImGui::PopTextWrapPos();
    ImGui::EndMenu();
  }
  // One click to the next language, named in its own language ("中文", "English").
  const std::vector<Language>& langs = languages();
  size_t current = 0;
  while (current < langs.size() && std::string(langs[current].code) != language()) ++current;
  const Language& next = langs[(current + 1) % langs.size()];
  if (ImGui::Button(next.name)) set_language(next.code);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("app.language_tooltip"));
  // Refreshed once a second: a figure that changes every frame would make every frame differ,
  // and the web host draws only frames that differ from the canvas.
  if (ImGui::GetTime() - fps_shown_at_ >= 1.0) {
    shown_fps_ = ImGui::GetIO().Framerate;
    fps_shown_at_ = ImGui::GetTime();
  }
  const std::string status =
      trf(info_.threads == 1 ? "app.status_one_thread" : "app.status_threads", shown_fps_, info_.build.c_str(), info_.threads);
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  float room = ImGui::GetContentRegionAvail().x - spacing;
  const float status_w = TextWidth(status.c_str());
  const bool status_fits = room >= status_w + Em(8);
  if (status_fits) room -= status_w + spacing;
  ImGui::Separator();
  TextEllipsis(lessons_[active_]->title(), room - spacing);
  if (status_fits) {
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - status_w);
    ImGui::TextDisabled("%s", status.c_str());
  }
  ImGui::EndMenuBar();
}

void App::show_lesson_list() {
  std::string group;
  const float width = ImGui::GetContentRegionAvail().x;
  for (size_t i = 0; i < lessons_.size(); ++i) {
    Lesson& lesson = *lessons_[i];
    if (group != lesson.group()) {
      group = lesson.group();
      if (i > 0) ImGui::Spacing();
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      TextEllipsis(group.c_str(), width);
      ImGui::PopStyleColor();
    }
    std::string label = lesson.title();
    if (lesson.has_training() && lesson.training().running) label += "  ●";
    const std::string shown = Ellipsized(label.c_str(), width);
    if (ImGui::Selectable((shown + "##" + lesson.id()).c_str(), i == active_)) open(lesson.id());
    if (shown != label && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", label.c_str());
  }
}

void App::touch_scroll() {
  ImGuiContext& g = *GImGui;
  if (!touch_pointer_ || !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    touch_scrolled_window_ = 0;
    return;
  }
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    // The innermost window under the finger that has something to scroll.
    ImGuiWindow* w = g.HoveredWindow;
    while (w && w->ScrollMax.y <= 0 && (w->Flags & ImGuiWindowFlags_ChildWindow)) w = w->ParentWindow;
    touch_scrolled_window_ = w && w->ScrollMax.y > 0 ? w->ID : 0;
    return;
  }
  ImGuiWindow* w = touch_scrolled_window_ ? ImGui::FindWindowByID(touch_scrolled_window_) : nullptr;
  if (!w) return;
  // A control being dragged (a slider, a plot taking clicks) keeps the finger; a window's
  // background (its move ID: these windows do not move) does not.
  const bool on_background = g.ActiveId == 0 || (g.ActiveIdWindow && g.ActiveId == g.ActiveIdWindow->MoveId);
  if (on_background && g.IO.MouseDelta.y != 0) ImGui::SetScrollY(w, w->Scroll.y - g.IO.MouseDelta.y);
}

void App::show_too_small(ImVec2 display) {
  ImGui::TextWrapped(tr("app.too_small"), display.x, display.y, std::max(kMinWindowWidth, Em(kMinWindowWidthEm)),
                     std::max(kMinWindowHeight, Em(kMinWindowHeightEm)));
}

void App::frame() {
  ++frame_;
  clear_main_figure();
  handle_shortcuts();
  touch_scroll();
  // Training slices: the active lesson gets most of the budget; paused lessons return at once.
  for (size_t i = 0; i < lessons_.size(); ++i) lessons_[i]->advance(i == active_ ? 8.0 : 2.0);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const bool too_small = display.x < std::max(kMinWindowWidth, Em(kMinWindowWidthEm)) ||
                         display.y < std::max(kMinWindowHeight, Em(kMinWindowHeightEm));
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (!too_small) flags |= ImGuiWindowFlags_MenuBar;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::Begin("latentlab", nullptr, flags);
  ImGui::PopStyleVar();
  if (too_small) {
    show_too_small(display);
    ImGui::End();
    return;
  }
  show_menu_bar();
  if (list_shown()) {
    ImGui::BeginChild("lesson-list", ImVec2(Em(13), 0), true);
    show_lesson_list();
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("lesson", ImVec2(0, 0), false);
  ImGui::PushID(lessons_[active_]->id());  // each lesson's panes keep their own scroll positions
  lessons_[active_]->show();
  ImGui::PopID();
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace ll::ui
