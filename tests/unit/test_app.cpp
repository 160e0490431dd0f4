#include <catch2/catch.hpp>

#include <set>

#include "imgui.h"
#include "lessons/app.hpp"

namespace {

// The app's commands and state need an ImGui context but no window.
struct ImGuiContextScope {
  ImGuiContextScope() { ImGui::CreateContext(); }
  ~ImGuiContextScope() { ImGui::DestroyContext(); }
};

}  // namespace

TEST_CASE("app: lessons are listed with unique ids and gradient-descent among them", "[app]") {
  ImGuiContextScope imgui;
  ll::ui::App app({"native", 2}, ll::ui::make_lessons());
  const auto state = app.state();
  REQUIRE(state["lessons"].size() >= 2);
  std::set<std::string> ids;
  for (const auto& l : state["lessons"]) ids.insert(l["id"].get<std::string>());
  CHECK(ids.size() == state["lessons"].size());
  CHECK(ids.count("gradient-descent") == 1);
  CHECK(state["active"] == "welcome");
  CHECK(state["build"] == "native");
}

TEST_CASE("app: open and commands change state; bad input is refused with a message", "[app]") {
  ImGuiContextScope imgui;
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  std::string opened;
  app.on_lesson_opened = [&](const std::string& id) { opened = id; };

  CHECK_FALSE(app.open("no-such-lesson"));
  CHECK(app.active_id() == "welcome");
  CHECK(app.open("gradient-descent"));
  CHECK(opened == "gradient-descent");

  CHECK(app.command("train step").ok);
  CHECK(app.state()["training"]["gradient-descent"]["step"] == 1);
  CHECK(app.command("train start").ok);
  CHECK(app.state()["training"]["gradient-descent"]["running"] == true);
  CHECK(app.command("train stop").ok);
  CHECK(app.state()["training"]["gradient-descent"]["running"] == false);

  CHECK(app.command("theme light").ok);
  CHECK(app.state()["theme"] == "light");
  CHECK(app.command("font 2").ok);
  CHECK(app.state()["font_scale"] == 2.0);

  const auto too_big = app.command("font 9");
  CHECK_FALSE(too_big.ok);
  CHECK(too_big.message.find("outside") != std::string::npos);
  CHECK(app.state()["font_scale"] == 2.0);
  CHECK_FALSE(app.command("font 1.5x").ok);
  CHECK_FALSE(app.command("seed -3").ok);
  CHECK(app.command("seed 17").ok);
  CHECK(app.state()["seed"] == 17);

  const auto unknown = app.command("frobnicate now");
  CHECK_FALSE(unknown.ok);
  CHECK(unknown.message.find("frobnicate") != std::string::npos);
  CHECK_FALSE(app.command("").ok);

  CHECK(app.open("welcome"));
  CHECK_FALSE(app.command("train start").ok);  // the welcome page trains nothing
}
