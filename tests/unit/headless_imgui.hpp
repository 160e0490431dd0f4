#pragma once
// Draws real frames without a window: the lessons' show() and advance() run as in the app.
#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/lesson.hpp"

struct HeadlessImGui {
  explicit HeadlessImGui(ImVec2 display = ImVec2(1600, 1000), float framebuffer_scale = 1) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = display;
    io.DisplayFramebufferScale = ImVec2(framebuffer_scale, framebuffer_scale);
    io.DeltaTime = 1.0f / 60;
    io.IniFilename = nullptr;
    // The default font atlas, built as a renderer backend would (the app rebuilds its own).
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;
  void frames(ll::ui::App& app, int n) {
    for (int i = 0; i < n; ++i) {
      app.rebuild_fonts_if_needed();
      ImGui::NewFrame();
      app.frame();
      ImGui::Render();
    }
  }
  // One frame of a lesson on its own in a window.
  void frame(ll::ui::Lesson& lesson) {
    ImGui::NewFrame();
    lesson.advance(8.0);
    ImGui::Begin("lesson");
    lesson.show();
    ImGui::End();
    ImGui::Render();
  }
};
