#pragma once
// Checks a rendered frame's layout from its ImGui draw data: text cut at the edge of its clip
// region, text drawn over other text, content running past a window's right edge, and whether
// the lesson's main figure was fully visible. Used by the layout tests (headless, both
// targets) and by the running app's state().layout.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "imgui.h"

namespace ll::ui {

struct LayoutReport {
  int text_runs = 0;            // runs of glyphs on one line
  int cut_text = 0;             // runs cut at a visible edge of their clip region
  int overlapping_text = 0;     // pairs of runs drawn over each other
  int overflowing_windows = 0;  // windows whose items run past the right edge, with no scroll bar
  bool main_figure_declared = false;
  bool main_figure_visible = false;  // declared, and wholly inside its window's visible region
  float main_figure_share = 0;       // of the screen's area
  std::string main_figure;
  std::vector<std::string> problems;  // the first few, readable: "cut: 'α (GD, mom'"
  std::vector<std::string> runs;      // every run's text, in drawing order (not in to_json)
  std::vector<ImVec4> run_rects;      // and where it is on screen: min x, min y, max x, max y
  bool clean() const { return cut_text == 0 && overlapping_text == 0 && overflowing_windows == 0; }
  nlohmann::json to_json() const;
};

// The frame's main figure, recorded by MainFigure() (layout.hpp): its rectangle and the clip
// rectangle it was drawn in. Cleared at the start of every app frame.
void clear_main_figure();
void record_main_figure(const char* name, ImVec2 min, ImVec2 max, ImVec2 clip_min, ImVec2 clip_max);

// Checks the current ImGui context's last rendered frame (call after ImGui::Render()).
LayoutReport check_layout();

}  // namespace ll::ui
