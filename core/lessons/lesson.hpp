#pragma once
// What the app shell knows of a lesson. Each lesson lives in its own lesson_<id>.cpp with
// one ShowLessonXxx() that draws it; training runs in small time slices from advance(),
// so the UI never waits on it.
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ll::ui {

struct CommandResult {
  bool ok = false;
  std::string message;
};

struct TrainingStatus {
  bool running = false;
  long step = 0;
  double loss = NAN;
};

class Lesson {
 public:
  virtual ~Lesson() = default;
  virtual const char* id() const = 0;       // used in #lesson=<id> and the JS hook
  virtual const char* title() const = 0;
  virtual const char* group() const = 0;    // heading in the lesson list
  virtual void show() = 0;                  // draws the lesson with ImGui (active lesson only)
  // Called every frame for every lesson; runs training for at most budget_ms.
  virtual void advance(double budget_ms) {}
  virtual bool has_training() const { return false; }
  virtual TrainingStatus training() const { return {}; }
  virtual void set_running(bool running) {}
  virtual void step_once() {}
  virtual void reseed(uint64_t seed) {}
  // Lesson-specific commands ("gd lr 0.01"); words[0] is the lesson's command word.
  virtual CommandResult command(const std::vector<std::string>& words) { return {false, ""}; }
  // Called on every lesson when the interface language changes. A lesson whose starting example
  // has a version in each language (Chinese text for the word lessons) switches to the new
  // language's version while the user has not yet opened the lesson or set its example.
  virtual void language_changed() {}
  // Extra state for automation, merged into state().lesson.
  virtual nlohmann::json state() const { return nlohmann::json::object(); }

  // Links to the other lessons, set by the App that owns this one (empty until then):
  // open_lesson(id) opens a lesson (false if there is none); has_lesson(id) tells if it exists.
  std::function<bool(const std::string&)> open_lesson, has_lesson;
};

// Lessons in the order of the course; defined in lessons.cpp.
std::vector<std::unique_ptr<Lesson>> make_lessons();

}  // namespace ll::ui
