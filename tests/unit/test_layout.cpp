// Every lesson laid out at the window sizes and font scales of the rooms it is used in: no text
// cut at an edge, no text over text, no items past a window's right edge, and in the presenter
// view the lesson's main figure wholly on screen and large.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "headless_imgui.hpp"
#include "imgui_internal.h"
#include "lessons/layout.hpp"
#include "lessons/layout_check.hpp"

namespace {

std::string describe(const ll::ui::LayoutReport& r) {
  std::string s = "cut " + std::to_string(r.cut_text) + ", overlapping " + std::to_string(r.overlapping_text) +
                  ", overflowing windows " + std::to_string(r.overflowing_windows) + ", main figure '" + r.main_figure +
                  "' visible " + (r.main_figure_visible ? "yes" : "no") + " share " + std::to_string(r.main_figure_share);
  for (const std::string& p : r.problems) s += "\n  " + p;
  return s;
}

void set_room(HeadlessImGui& ui, ll::ui::App& app, const LayoutRoom& room) {
  ImGui::GetIO().DisplaySize = ImVec2(room.width, room.height);
  REQUIRE(app.command("font " + std::to_string(room.font)).ok);
  REQUIRE(app.command(room.presenter ? "presenter on" : "presenter off").ok);
}

}  // namespace

TEST_CASE("layout check: finds cut, overlapping and overflowing text in a frame made to have them", "[layout]") {
  HeadlessImGui ui(ImVec2(400, 300));
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  ui.frames(app, 1);  // builds the app's font atlas
  auto frame = [&](auto draw) {
    ImGui::NewFrame();
    ll::ui::clear_main_figure();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(200, 200));
    ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoDecoration);
    draw();
    ImGui::End();
    ImGui::Render();
    return ll::ui::check_layout();
  };
  const auto clean = frame([] {
    ImGui::TextUnformatted("short");
    ll::ui::TextEllipsis("a title far too long for a window two hundred pixels wide");
    ImGui::Button("figure", ImVec2(100, 100));
    ll::ui::MainFigure("the button");
  });
  INFO(describe(clean));
  CHECK(clean.clean());
  CHECK(clean.text_runs == 3);
  CHECK(clean.main_figure_visible);
  CHECK(clean.main_figure_share == Approx(100.0 * 100 / (400 * 300)));

  const auto bad = frame([] {
    ImGui::TextUnformatted("a line of text far too long for a window two hundred pixels wide");
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddText(p, IM_COL32_WHITE, "over");
    ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 3, p.y + 2), IM_COL32_WHITE, "over");
    ImGui::Dummy(ImVec2(10, ImGui::GetFontSize() * 2));
    // ImGui clips a combo's preview on the CPU: the cut glyph's coordinates are cut too.
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4);
    if (ImGui::BeginCombo("##combo", "a preview far too long")) ImGui::EndCombo();
    ImGui::Dummy(ImVec2(10, ImGui::GetFontSize() * 8));
    ImGui::Button("figure", ImVec2(100, 100));
    ll::ui::MainFigure("the button");
  });
  INFO(describe(bad));
  CHECK(bad.cut_text == 2);
  CHECK(bad.overlapping_text == 1);
  CHECK(bad.overflowing_windows == 1);
  CHECK_FALSE(bad.main_figure_visible);  // below the window's bottom edge
  REQUIRE(bad.problems.size() >= 3);
  CHECK(bad.problems[0].find("cut: 'a line of text") == 0);
  CHECK(bad.problems[1].find("cut: 'a prev") == 0);  // the glyphs left of the cut
}

TEST_CASE("layout check: text in a window that scrolls from the next frame on is not lost", "[layout]") {
  HeadlessImGui ui(ImVec2(400, 300));
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  ui.frames(app, 1);  // builds the app's font atlas
  auto frame = [&](int lines, ImGuiWindowFlags child_flags) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(300, 300));
    ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::BeginChild("table", ImVec2(200, 100), false, child_flags);
    for (int i = 0; i < lines; ++i) ImGui::Text("row %d", i);
    ImGui::EndChild();
    ImGui::End();
    ImGui::Render();
    return ll::ui::check_layout();
  };
  frame(1, 0);
  // The rows arrive: this frame's child has no scroll range yet, the next has.
  CHECK(frame(20, 0).cut_text == 0);
  CHECK(frame(20, 0).cut_text == 0);
  // A child that never scrolls loses them.
  frame(1, ImGuiWindowFlags_NoScrollbar);
  CHECK(frame(20, ImGuiWindowFlags_NoScrollbar).cut_text == 1);
}

TEST_CASE("layout: helpers fit figures, controls and titles to the space available", "[layout]") {
  HeadlessImGui ui(ImVec2(800, 600));
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(800, 600));
  ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoDecoration);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 square = ll::ui::FitFigure({});
  CHECK(square.x == square.y);
  CHECK(square.y <= avail.y);
  const ImVec2 half = ll::ui::FitFigure({2.0f, 0.5f});
  CHECK(half.x <= avail.x * 0.5f);
  CHECK(half.x == Approx(2 * half.y).margin(1));
  const ImVec2 floor = ll::ui::FitFigure({1.0f, 0.01f});  // 1 % of the width is under the minimum
  CHECK(floor.x == Approx(ll::ui::Em(8)).margin(1));
  CHECK(ll::ui::ControlWidth("label", 100) <= avail.x - ll::ui::TextWidth("label"));
  CHECK(ll::ui::ControlWidth("label", 5) == Approx(ll::ui::Em(5)));
  const std::string shortened = ll::ui::Ellipsized("θ ← θ − α∇J(θ) over a long line of words", ll::ui::Em(6));
  CHECK(ImGui::CalcTextSize(shortened.c_str()).x <= ll::ui::Em(6));
  CHECK(shortened.substr(shortened.size() - 3) == "…");
  CHECK(ll::ui::Ellipsized("fits", 500) == "fits");
  ImGui::End();
  ImGui::Render();
}

// One section per lesson: `latentlab_tests "layout: every lesson*" -c <lesson-id>` checks one.
TEST_CASE("layout: every lesson fits every room; the presenter view shows the main figure", "[layout][lessons]") {
  HeadlessImGui ui;
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  const auto lessons = app.state()["lessons"];
  for (const auto& lesson : lessons) {
    const std::string id = lesson["id"];
    DYNAMIC_SECTION(id) {
      REQUIRE(app.open(id));
      // Lessons with tabs: each tab is a view of its own, with its own main figure.
      std::vector<std::string> views{""};
      for (const auto& [lesson_id, command] : kLessonViewCommands)
        if (id == lesson_id) views.push_back(command);
      for (const std::string& view : views) {
      for (const LayoutRoom& room : kLayoutRooms) {
        if (!view.empty()) REQUIRE(app.command(view).ok);
        set_room(ui, app, room);
        ui.frames(app, 3);  // child windows size their scroll areas from the frame before
        const ll::ui::LayoutReport r = ll::ui::check_layout();
        INFO(id << (view.empty() ? "" : " (" + view + ")") << " at " << room.name << ": " << describe(r));
        CHECK(r.clean());
        CHECK(r.text_runs > 0);
        CHECK(r.main_figure_declared);
        if (room.presenter) {
          CHECK(r.main_figure_visible);
          CHECK(r.main_figure_share >= 0.2f);
        }
      }
      }
    }
  }
}

TEST_CASE("layout: tiny windows and every font scale draw without a crash; too small asks for more room", "[layout]") {
  HeadlessImGui ui;
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  const auto lessons = app.state()["lessons"];
  for (const ImVec2 size : {ImVec2(320, 240), ImVec2(480, 320), ImVec2(700, 400)})
    for (const float font : {1.0f, 1.75f, 2.5f}) {
      ImGui::GetIO().DisplaySize = size;
      REQUIRE(app.command("font " + std::to_string(font)).ok);
      for (const auto& lesson : lessons) {
        REQUIRE(app.open(lesson["id"].get<std::string>()));
        ui.frames(app, 2);
      }
      const auto state = app.state();
      INFO(size.x << "x" << size.y << "@" << font);
      CHECK(state["layout"]["text_runs"].get<int>() > 0);
    }
  // 320×240 is below the minimum: one message, no lesson.
  ImGui::GetIO().DisplaySize = ImVec2(320, 240);
  REQUIRE(app.command("font 1").ok);
  ui.frames(app, 2);
  CHECK_FALSE(app.state()["layout"]["main_figure_visible"].get<bool>());
  CHECK(app.state()["layout"]["main_figure"] == "");
}

TEST_CASE("app: presenter view, lesson list and full screen through commands and state", "[layout][app]") {
  HeadlessImGui ui(ImVec2(1280, 720));
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  ui.frames(app, 1);
  CHECK(app.state()["presenter"] == false);
  CHECK(app.state()["list_shown"] == true);  // 1280 px at 1×: room for the list
  CHECK(app.command("presenter on").ok);
  CHECK(app.state()["presenter"] == true);
  CHECK(app.state()["list_shown"] == false);
  CHECK(app.command("list show").ok);
  CHECK(app.state()["list_shown"] == true);
  CHECK(app.command("presenter off").ok);
  CHECK_FALSE(app.command("presenter maybe").ok);
  CHECK(app.command("font 2").ok);
  ui.frames(app, 1);
  CHECK(app.state()["list_shown"] == false);  // auto: 1280 px at 2× leaves too little beside the list

  const auto no_host = app.command("fullscreen on");
  CHECK_FALSE(no_host.ok);
  bool asked = false;
  app.request_fullscreen = [&](bool on) { asked = on; };
  CHECK(app.command("fullscreen on").ok);
  CHECK(asked);
  app.set_fullscreen_state(true);
  CHECK(app.state()["fullscreen"] == true);
}

namespace {

// The app's window whose name ends with `/<child>_…` (ImGui names child windows parent/child_ID).
ImGuiWindow* child_window(const char* child) {
  for (ImGuiWindow* w : GImGui->Windows)
    if (w->Active && std::string(w->Name).find(std::string("/") + child + "_") != std::string::npos) return w;
  return nullptr;
}

}  // namespace

TEST_CASE("app: a finger dragged over text scrolls the pane under it; a mouse does not", "[layout][app]") {
  HeadlessImGui ui(ImVec2(1280, 720));
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  REQUIRE(app.open("gradient-descent"));
  REQUIRE(app.command("font 2.5").ok);
  REQUIRE(app.command("presenter on").ok);
  ui.frames(app, 3);
  ImGuiWindow* controls = child_window("controls");
  REQUIRE(controls != nullptr);
  REQUIRE(controls->ScrollMax.y > 0);  // at 2.5× the controls are longer than the screen
  ImGuiIO& io = ImGui::GetIO();
  // Over the lesson's first line of text, then 200 px up.
  const ImVec2 start(controls->Pos.x + ll::ui::Em(1), controls->Pos.y + ll::ui::Em(1));
  auto drag = [&](bool touch) {
    app.set_touch_pointer(touch);
    io.MousePos = start;
    ui.frames(app, 1);
    io.MouseDown[0] = true;
    ui.frames(app, 1);
    for (int i = 1; i <= 4; ++i) {
      io.MousePos = ImVec2(start.x, start.y - 50.0f * i);
      ui.frames(app, 1);
    }
    io.MouseDown[0] = false;
    ui.frames(app, 2);
    return child_window("controls")->Scroll.y;
  };
  const auto before = app.state()["lesson"];
  CHECK(drag(false) == 0);
  const float scrolled = drag(true);
  CHECK(scrolled == Approx(std::min(200.0f, controls->ScrollMax.y)).margin(2));
  CHECK(app.state()["lesson"]["start"] == before["start"]);  // nothing under the finger changed
}
