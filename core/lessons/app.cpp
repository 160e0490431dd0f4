#include "lessons/app.hpp"

#include <cassert>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "imgui.h"

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

}  // namespace

App::App(AppInfo info, std::vector<std::unique_ptr<Lesson>> lessons) : info_(std::move(info)), lessons_(std::move(lessons)) {
  assert(!lessons_.empty() && "the app needs at least one lesson");
  for (auto& lesson : lessons_) {
    lesson->reseed(seed_);
    lesson->open_lesson = [this](const std::string& id) { return open(id); };
    lesson->has_lesson = [this](const std::string& id) { return find(id) != nullptr; };
  }
}

bool App::rebuild_fonts_if_needed() {
  if (!fonts_dirty_) return false;
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

CommandResult App::command(const std::string& text) {
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
  if (verb == "help") {
    return {true,
            "open <id> | train start|stop|step | seed <n> | theme dark|light | font <1–2.5> | "
            "lesson commands (see the lesson's help)"};
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
  }
}

void App::show_menu_bar() {
  if (!ImGui::BeginMenuBar()) return;
  ImGui::TextUnformatted("latentlab");
  ImGui::Separator();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  float scale = font_scale_;
  ImGui::SliderFloat("font", &scale, kMinFontScale, kMaxFontScale, "%.2fx");
  if (ImGui::IsItemDeactivatedAfterEdit()) set_font_scale(scale);  // rebuilding the atlas per drag frame is slow
  if (ImGui::Button(theme_ == Theme::Dark ? "Light theme" : "Dark theme")) {
    theme_ = theme_ == Theme::Dark ? Theme::Light : Theme::Dark;
    apply_theme(theme_, font_scale_);
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  int seed = int(seed_);
  if (ImGui::InputInt("seed", &seed, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue) && seed >= 0)
    command("seed " + std::to_string(seed));
  HelpMarker(
      "Shortcuts: Space runs or pauses the lesson's training, '.' takes one step, '+' and '-' change the "
      "font size. The seed fixes every random draw: same seed, same results on the desktop and in the browser.");
  ImGui::Separator();
  // Refreshed once a second: a figure that changes every frame would make every frame differ,
  // and the web host draws only frames that differ from the canvas.
  if (ImGui::GetTime() - fps_shown_at_ >= 1.0) {
    shown_fps_ = ImGui::GetIO().Framerate;
    fps_shown_at_ = ImGui::GetTime();
  }
  ImGui::Text("%.0f fps", shown_fps_);
  ImGui::TextDisabled("%s, %d thread%s", info_.build.c_str(), info_.threads, info_.threads == 1 ? "" : "s");
  ImGui::EndMenuBar();
}

void App::show_lesson_list() {
  std::string group;
  for (size_t i = 0; i < lessons_.size(); ++i) {
    Lesson& lesson = *lessons_[i];
    if (group != lesson.group()) {
      group = lesson.group();
      if (i > 0) ImGui::Spacing();
      ImGui::TextDisabled("%s", group.c_str());
    }
    std::string label = lesson.title();
    if (lesson.has_training() && lesson.training().running) label += "  ●";
    if (ImGui::Selectable((label + "##" + lesson.id()).c_str(), i == active_)) open(lesson.id());
  }
}

void App::frame() {
  ++frame_;
  handle_shortcuts();
  // Training slices: the active lesson gets most of the budget; paused lessons return at once.
  for (size_t i = 0; i < lessons_.size(); ++i) lessons_[i]->advance(i == active_ ? 8.0 : 2.0);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::Begin("latentlab", nullptr, flags);
  ImGui::PopStyleVar();
  show_menu_bar();
  ImGui::BeginChild("lesson-list", ImVec2(ImGui::GetFontSize() * 13, 0), true);
  show_lesson_list();
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("lesson", ImVec2(0, 0), false);
  lessons_[active_]->show();
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace ll::ui
