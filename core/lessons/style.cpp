#include <cstddef>
#include <cstdio>

#include "imgui.h"
#include "io/safetensors.hpp"
#include "lessons/app.hpp"
#include "lessons/file_hooks.hpp"
#include "lessons/layout.hpp"
#include "lessons/i18n.hpp"

namespace ll::ui {

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
  ImGui::TextDisabled("%s %ld%s", step_name, step, running ? "" : tr("common.paused_suffix"));
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
  SameLineIfFits(ButtonWidth(trl("common.reset_diverged")));
  if (ImGui::Button(trl("common.reset_diverged"))) choice = DivergedChoice::Reset;
  return choice;
}

void LoadModelFileRow(const char* id, const char* accept, char* path, size_t path_size, const ModelFileFn& on_open) {
  ImGui::PushID(id);
  if (file_hooks_set()) {
    if (ImGui::Button(trl("common.load_a_file")))
      open_file_with_hook(accept, [on_open](const std::string& name, std::vector<uint8_t> bytes) {
        on_open(name, std::move(bytes), "");
      });
  } else {
    NextControlWidth(trl("common.path"), 16);
    ImGui::InputText(trl("common.path"), path, path_size);
    SameLineIfFits(ButtonWidth(trl("common.load")));
    if (ImGui::Button(trl("common.load"))) {
      std::vector<uint8_t> bytes;
      const SafetensorsStatus s = read_file_bytes(path, bytes);
      on_open(path, std::move(bytes), s.ok() ? "" : s.message);
    }
  }
  ImGui::PopID();
}

}  // namespace ll::ui
