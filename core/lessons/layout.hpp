#pragma once
// Layout from the space available, in units of the font height: every lesson sizes its
// figures, rows of controls and titles through these helpers, so the same code fits a
// 1024×600 laptop at 1× and a 1280×720 projector at 2.5×. No lesson does pixel arithmetic.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"

namespace ll::ui {

// n font heights, in pixels.
inline float Em(float n = 1) { return ImGui::GetFontSize() * n; }

// The lesson's region split into a column of controls and the figures. Wide regions put them
// side by side (controls in their own scrolling column, figures in the rest); narrow ones stack
// them in one scrolling column, figures first, so the picture the class should see leads.
// `controls` draws the lesson's explanation and settings, `figures` its plots.
void LessonPanes(const std::function<void()>& controls, const std::function<void()>& figures);

// Size of a figure with the given width/height aspect that fits the space left in the
// current region: at most its available width (times `width_share`, for figures meant to sit
// side by side) and, when `fit_height`, the visible height below the cursor less `reserve_em`
// font heights (for text that must stay in view under it). Never smaller than `min_em` font
// heights on its shorter side, nor larger than `max_em` on its longer one.
struct FigureFit {
  float aspect = 1.0f;       // width / height
  float width_share = 1.0f;  // of the available width
  bool fit_height = true;
  float reserve_em = 0;
  float min_em = 8, max_em = 60;
};
ImVec2 FitFigure(const FigureFit& fit);  // never wider than the available width

// A figure as wide as the region, `aspect` times wider than tall but never under `min_em` font
// heights tall (FitFigure keeps the aspect and would stay short instead).
ImVec2 WideFigure(float aspect, float min_em = 9);

// A framed empty figure of the given aspect (sized as FitFigure would) with a short note in its
// centre: where a figure will be once its data has loaded.
void FigurePlaceholder(const char* note, float aspect);

// Rows of items that wrap: call before an item of the given width (ButtonWidth, CheckboxWidth,
// NextControlWidth, …) instead of ImGui::SameLine(); it stays on the last item's line only
// when it fits there. Returns whether it did.
bool SameLineIfFits(float width);

// Widths of common items, for SameLineIfFits and SetNextItemWidth.
float ButtonWidth(const char* label);  // a button or a checkbox-sized frame with this label
float CheckboxWidth(const char* label);
float TextWidth(const char* text);
// The frame width for a labelled control (slider, combo, input): `preferred_em` font heights,
// less when the row's available width cannot hold it, its label and a "(?)" help marker, never
// under `min_em`.
float ControlWidth(const char* label, float preferred_em, float min_em = 4);
// SetNextItemWidth(ControlWidth(…)); with `same_line`, first puts the control on the last
// item's line when at least a short frame and its label fit there.
void NextControlWidth(const char* label, float preferred_em, bool same_line = false, float min_em = 4);

// Text shortened with "…" to `max_width` (the available width when ≤ 0); the full text as a
// tooltip when shortened.
void TextEllipsis(const char* text, float max_width = 0);
// The longest prefix of `text` that, followed by "…", fits in `max_width` (the whole text if it fits).
std::string Ellipsized(const char* text, float max_width);

// Combo boxes whose preview is shortened with "…" to fit the frame (ImGui would cut it at
// the arrow). Same arguments as ImGui::BeginCombo and ImGui::Combo.
bool BeginFittedCombo(const char* label, const char* preview);
bool FittedCombo(const char* label, int* current, const char* const items[], int count);
bool FittedCombo(const char* label, int* current, const char* items_separated_by_zeros);

// Greyed text wrapped at the region's edge (notes and hints under controls).
void TextDisabledWrapped(const char* text);
// Formatted text wrapped at spaces only: ImGui's wrapping also breaks after '.' and ',', which
// splits a number such as 1.892 across two lines.
void FormulaText(const char* format, ...) IM_FMTARGS(1);

// Figures side by side, all as tall as the row allows (each as wide as its width/height aspect
// says) when that is at least `min_em` font heights; otherwise one under another at the full
// width. Each figure is drawn by its function, given its size.
void FigureRow(const std::vector<std::pair<float, std::function<void(ImVec2)>>>& figures, float min_em = 10);

// The lesson's main figure: call right after drawing it (its item is the last one), every
// frame it is shown. The layout check reports whether it was fully visible and its share of
// the screen.
void MainFigure(const char* name);

}  // namespace ll::ui
