#pragma once
// Draws real frames without a window: the lessons' show() and advance() run as in the app.
#include "imgui.h"
#include "lessons/app.hpp"

struct HeadlessImGui {
  HeadlessImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60;
    io.IniFilename = nullptr;
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
  void frames(ll::ui::App& app, int n) {
    for (int i = 0; i < n; ++i) {
      app.rebuild_fonts_if_needed();
      ImGui::NewFrame();
      app.frame();
      ImGui::Render();
    }
  }
};
