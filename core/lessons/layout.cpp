#include "lessons/layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "imgui_internal.h"
#include "lessons/layout_check.hpp"

namespace ll::ui {

namespace {

// Below this width (in font heights) the controls and figures no longer sit side by side.
constexpr float kPanesMinWidthEm = 27;

}  // namespace

void LessonPanes(const std::function<void()>& controls, const std::function<void()>& figures) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (avail.x >= Em(kPanesMinWidthEm)) {
    const float controls_w = std::clamp(avail.x * 0.36f, Em(14), Em(22));
    ImGui::BeginChild("controls", ImVec2(controls_w, 0), false);
    controls();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("figures", ImVec2(0, 0), false);
    figures();
    ImGui::EndChild();
  } else {
    figures();
    ImGui::Separator();
    controls();
  }
}

ImVec2 FitFigure(const FigureFit& fit) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  float w = std::max(1.0f, avail.x * fit.width_share);
  if (fit.fit_height) w = std::min(w, std::max(1.0f, avail.y - Em(fit.reserve_em)) * fit.aspect);
  float h = w / fit.aspect;
  const float shorter = std::min(w, h), longer = std::max(w, h);
  float k = 1;
  if (shorter < Em(fit.min_em)) k = Em(fit.min_em) / shorter;
  if (longer * k > Em(fit.max_em)) k = Em(fit.max_em) / longer;
  if (w * k > avail.x) k = std::max(1.0f, avail.x) / w;  // the minimum gives way to the region's edge
  return ImVec2(std::floor(w * k), std::floor(h * k));
}

ImVec2 WideFigure(float aspect, float min_em) {
  const float w = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  return ImVec2(std::floor(w), std::floor(std::max(w / aspect, Em(min_em))));
}

void FigurePlaceholder(const char* note, float aspect) {
  const ImVec2 size = FitFigure({aspect});
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::Dummy(size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), ImGui::GetColorU32(ImGuiCol_Border));
  const ImVec2 t = ImGui::CalcTextSize(note);
  if (t.x < size.x)
    dl->AddText(ImVec2(p.x + (size.x - t.x) * 0.5f, p.y + (size.y - t.y) * 0.5f), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                note);
}

bool SameLineIfFits(float width) {
  const float right = ImGui::GetContentRegionMaxAbs().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width > right) return false;
  ImGui::SameLine();
  return true;
}

bool BeginFittedCombo(const char* label, const char* preview) {
  const float room = ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - 2 * ImGui::GetStyle().FramePadding.x;
  return ImGui::BeginCombo(label, Ellipsized(preview, room).c_str());
}

bool FittedCombo(const char* label, int* current, const char* const items[], int count) {
  const bool open = BeginFittedCombo(label, *current >= 0 && *current < count ? items[*current] : "");
  if (!open) return false;
  bool changed = false;
  for (int i = 0; i < count; ++i)
    if (ImGui::Selectable(items[i], i == *current) && i != *current) *current = i, changed = true;
  ImGui::EndCombo();
  return changed;
}

bool FittedCombo(const char* label, int* current, const char* items_separated_by_zeros) {
  std::vector<const char*> items;
  for (const char* p = items_separated_by_zeros; *p; p += std::strlen(p) + 1) items.push_back(p);
  return FittedCombo(label, current, items.data(), int(items.size()));
}

void TextDisabledWrapped(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

float TextWidth(const char* text) { return ImGui::CalcTextSize(text, nullptr, true).x; }

float ButtonWidth(const char* label) { return TextWidth(label) + 2 * ImGui::GetStyle().FramePadding.x; }

float CheckboxWidth(const char* label) {
  const float text = TextWidth(label);
  return ImGui::GetFrameHeight() + (text > 0 ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0);
}

float ControlWidth(const char* label, float preferred_em, float min_em) {
  const float text = TextWidth(label);
  const float label_w = text > 0 ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0;
  // Room for a HelpMarker after the label, which most controls have: it then stays on the line.
  const float help_w = ImGui::GetStyle().ItemSpacing.x + TextWidth("(?)");
  return std::max(Em(min_em), std::min(Em(preferred_em), ImGui::GetContentRegionAvail().x - label_w - help_w));
}

void NextControlWidth(const char* label, float preferred_em, bool same_line, float min_em) {
  if (same_line) {
    const float text = TextWidth(label);
    SameLineIfFits(Em(std::min(preferred_em, 6.0f)) + (text > 0 ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0));
  }
  ImGui::SetNextItemWidth(ControlWidth(label, preferred_em, min_em));
}

std::string Ellipsized(const char* text, float max_width) {
  const char* end = text + std::strlen(text);
  if (ImGui::CalcTextSize(text, end).x <= max_width) return std::string(text, end);
  const float room = max_width - ImGui::CalcTextSize("…").x;
  // Longest prefix ending on a UTF-8 character boundary that fits the room.
  const char* best = text;
  for (const char* p = text; p < end;) {
    const char* next = p + 1;
    while (next < end && (static_cast<unsigned char>(*next) & 0xC0) == 0x80) ++next;
    if (ImGui::CalcTextSize(text, next).x > room) break;
    best = p = next;
  }
  while (best > text && best[-1] == ' ') --best;
  return std::string(text, best) + "…";
}

void TextEllipsis(const char* text, float max_width) {
  if (max_width <= 0) max_width = ImGui::GetContentRegionAvail().x;
  if (ImGui::CalcTextSize(text).x <= max_width) {
    ImGui::TextUnformatted(text);
    return;
  }
  ImGui::TextUnformatted(Ellipsized(text, max_width).c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

void FormulaText(const char* format, ...) {
  char buffer[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  const float width = std::max(ImGui::GetContentRegionAvail().x, 1.0f);
  const std::string text = buffer;
  std::string line;
  bool started = false;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    const std::string candidate = started ? line + " " + word : word;
    if (started && !line.empty() && ImGui::CalcTextSize(candidate.c_str()).x > width) {
      ImGui::TextUnformatted(line.c_str());
      line = word;
    } else {
      line = candidate;
    }
    started = true;
    start = end + 1;
  }
  if (ImGui::CalcTextSize(line.c_str()).x > width) ImGui::TextWrapped("%s", line.c_str());  // one word too long
  else ImGui::TextUnformatted(line.c_str());
}

void FigureRow(const std::vector<std::pair<float, std::function<void(ImVec2)>>>& figures, float min_em) {
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  float aspects = 0;
  for (const auto& f : figures) aspects += f.first;
  const float room = ImGui::GetContentRegionAvail().x - spacing * float(figures.size() - 1);
  const float h = std::floor(std::min(room / aspects, Em(40)));
  bool first = true;
  for (const auto& f : figures) {
    if (h >= Em(min_em)) {
      if (!first) ImGui::SameLine();
      f.second(ImVec2(std::floor(f.first * h), h));
    } else {
      f.second(FitFigure({f.first, 1, false}));
    }
    first = false;
  }
}

void MainFigure(const char* name) {
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  record_main_figure(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), window->ClipRect.Min, window->ClipRect.Max);
}

}  // namespace ll::ui
