#pragma once
// Draws real frames without a window: the lessons' show() and advance() run as in the app.
#include <utility>

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

// The commands that show a lesson's other tabs and models: each is a view of its own, with
// its own main figure, that the layout and language tests draw too.
inline const std::pair<const char*, const char*> kLessonViewCommands[] = {
    {"bayes", "bayes tab test"}, {"bayes", "bayes tab classify"}, {"mle-kl", "mle tab categorical"},
    {"mle-kl", "mle tab kl"}, {"word2vec", "w2v tab map"}, {"autoencoder", "ae model dense"},
    {"autoencoder", "ae model conv"}, {"vae", "vae latent 16"},
};

// The rooms a lesson is used in: a small laptop, the projector at 2× and 2.5× in the presenter
// view, a common laptop and a 1080p projector.
struct LayoutRoom {
  const char* name;
  float width, height, font;
  bool presenter;
};
inline const LayoutRoom kLayoutRooms[] = {
    {"1024x600@1", 1024, 600, 1, false},          {"1280x720@2 presenter", 1280, 720, 2, true},
    {"1280x720@2.5 presenter", 1280, 720, 2.5f, true}, {"1366x768@1", 1366, 768, 1, false},
    {"1920x1080@1.75", 1920, 1080, 1.75f, false},
};
