#include <cstddef>
#include <cstdio>

#include "imgui.h"
#include "io/safetensors.hpp"
#include "lessons/app.hpp"
#include "lessons/file_hooks.hpp"
#include "lessons/layout.hpp"

extern const unsigned char ll_font_dejavu_sans[];
extern const std::size_t ll_font_dejavu_sans_size;

namespace ll::ui {

constexpr float kBaseFontPixels = 17.0f;

void apply_theme(Theme theme, float font_scale) {
  ImGuiStyle style;
  if (theme == Theme::Dark) {
    ImGui::StyleColorsDark(&style);
  } else {
    ImGui::StyleColorsLight(&style);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
  }
  style.WindowRounding = 0;
  style.FrameRounding = 3;
  style.GrabRounding = 3;
  style.ItemSpacing = ImVec2(8, 6);
  style.ScaleAllSizes(font_scale);
  ImGui::GetStyle() = style;
}

void build_font_atlas(float font_scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  // Latin, Greek (with ᾱ from Greek Extended), sub/superscripts, arrows and math operators:
  // enough for θ ← θ − α∇J(θ).
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x1D00, 0x1DBF, 0x1F00, 0x1FFF, 0x2000, 0x206F, 0x2070, 0x209F,
                                   0x2100, 0x214F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // the bytes are static
  config.OversampleH = 2;
  io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(ll_font_dejavu_sans), int(ll_font_dejavu_sans_size),
                                 kBaseFontPixels * font_scale, &config, ranges);
  io.Fonts->Build();
}

void HelpMarker(const char* text) {
  SameLineIfFits(TextWidth("(?)"));
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void SectionHeading(const char* text) {
  ImGui::Spacing();
  ImGui::TextWrapped("%s", text);
  ImGui::Separator();
}

void TrainingStatusLine(const char* step_name, long step, bool running, double per_second, const char* rate_unit) {
  ImGui::TextDisabled("%s %ld%s", step_name, step, running ? "" : " (paused)");
  if (running) {
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.0f %s", per_second, rate_unit);
    SameLineIfFits(TextWidth(rate));
    ImGui::TextDisabled("%s", rate);
  }
}

DivergedChoice DivergedNotice(const std::string& message, const char* lower_label) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.55f, 0.3f, 1));
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
  DivergedChoice choice = DivergedChoice::None;
  if (ImGui::Button(lower_label)) choice = DivergedChoice::LowerLearningRate;
  SameLineIfFits(ButtonWidth("Reset##diverged"));
  if (ImGui::Button("Reset##diverged")) choice = DivergedChoice::Reset;
  return choice;
}

void LoadModelFileRow(const char* id, const char* accept, char* path, size_t path_size, const ModelFileFn& on_open) {
  ImGui::PushID(id);
  if (file_hooks_set()) {
    if (ImGui::Button("Load a file…"))
      open_file_with_hook(accept, [on_open](const std::string& name, std::vector<uint8_t> bytes) {
        on_open(name, std::move(bytes), "");
      });
  } else {
    NextControlWidth("path", 16);
    ImGui::InputText("path", path, path_size);
    SameLineIfFits(ButtonWidth("Load"));
    if (ImGui::Button("Load")) {
      std::vector<uint8_t> bytes;
      const SafetensorsStatus s = read_file_bytes(path, bytes);
      on_open(path, std::move(bytes), s.ok() ? "" : s.message);
    }
  }
  ImGui::PopID();
}

}  // namespace ll::ui
