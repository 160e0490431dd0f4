#pragma once
// Plot widgets drawn with ImDrawList: line plots, scatter plots, heat maps and image grids.
// Each reserves its area like a normal widget (so SameLine, groups and tables work), takes its
// colours from the current ImGui style (dark and light themes) and sizes text, margins, lines
// and points from ImGui::GetFontSize() (so the font scale enlarges plots for projectors).
//
// Sizes: a component ≤ 0 means "fill the available width" (x) or "default height" (y).
// Data pointers are only read during the call.
#include <cmath>

#include "imgui.h"
#include "viz/axis.hpp"
#include "viz/colormap.hpp"

namespace ll::ui {

// Data ↔ screen mapping of a plot's data area, returned so lessons can draw on top of a plot
// (contours, trajectories) and turn mouse positions into data coordinates.
struct PlotTransform {
  viz::Axis x, y;
  ImVec2 pixel_min, pixel_max;  // the data area on screen; data y grows upward on screen

  // Far outside the axes the result can exceed float range: clip to the area before drawing
  // data that can diverge.
  ImVec2 to_pixel(double data_x, double data_y) const;
  double data_x(float pixel_x) const;
  double data_y(float pixel_y) const;
  bool contains(ImVec2 pixel) const;
};

struct PlotResult {
  PlotTransform transform;
  bool hovered = false;                 // the mouse is over the data area
  bool clicked = false;                 // left button pressed over the data area this frame
  double clicked_x = 0, clicked_y = 0;  // where, in data coordinates
};
using HeatMapResult = PlotResult;

struct PlotOptions {
  ImVec2 size = ImVec2(0, 0);
  const char* title = nullptr;
  const char* x_label = nullptr;  // under the x tick labels
  const char* y_label = nullptr;  // above the y axis, left of the title
  bool log_x = false, log_y = false;
  // Fixed range per side; NaN = from the data.
  double x_min = NAN, x_max = NAN, y_min = NAN, y_max = NAN;
  bool legend = true;  // shown when at least two series (or categories) have names
};

struct LineSeries {
  const double* xs = nullptr;  // null: x is the index 0, 1, 2, …
  const double* ys = nullptr;  // NaN/inf (and ≤ 0 on a log axis) break the line
  int count = 0;
  const char* label = nullptr;  // legend and tooltip
  ImU32 color = 0;              // 0: viz::category_color(series index)
};

// Several series over shared axes. x is fitted to the data exactly, y with a little padding.
PlotResult LinePlot(const char* id, const LineSeries* series, int count, const PlotOptions& options);

struct ScatterPoints {
  const double* xs = nullptr;
  const double* ys = nullptr;
  int count = 0;
  // Point colour: colors[i] if given, else category_color(categories[i]), else category 0.
  const ImU32* colors = nullptr;
  const int* categories = nullptr;
  const char* const* labels = nullptr;  // text drawn beside each point (word vectors); null entries skipped
  // Legend entries for categories 0 … category_count−1 (digit classes).
  const char* const* category_names = nullptr;
  int category_count = 0;
  float radius = 0.22f;  // in font heights
};

struct ScatterResult : PlotResult {
  int hovered_point = -1;  // the point under the mouse
  int clicked_point = -1;  // the point clicked this frame
};

ScatterResult ScatterPlot(const char* id, const ScatterPoints& points, const PlotOptions& options);

struct HeatMapOptions {
  ImVec2 size = ImVec2(0, 0);
  const char* title = nullptr;
  const char* x_label = nullptr;
  const char* y_label = nullptr;
  const char* colorbar_label = nullptr;  // above the colour bar
  // The data rectangle the grid covers: cols × rows equal cells, row 0 at the top (y_max).
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  // Value range mapped onto the colour map; NaN = finite min/max of the values.
  double v_min = NAN, v_max = NAN;
  viz::Colormap colormap = viz::Colormap::Viridis;
  bool colorbar = true;
};

// values: rows × cols, row-major. NaN cells show viz::kNanColor.
HeatMapResult HeatMap(const char* id, const float* values, int cols, int rows, const HeatMapOptions& options);

struct ImageGridOptions {
  int columns = 0;         // 0: as many as fit the available width
  float cell_size = 3.5f;  // the longer image side, in font heights
  float v_min = 0, v_max = 1;  // value range mapped black → white (or through the colour map)
  viz::Colormap colormap = viz::Colormap::Grayscale;  // Diverging suits signed weights
  const char* const* captions = nullptr;  // one per image (null entries allowed), centred below it
  const ImU32* caption_colors = nullptr;  // one per image; default: the text colour
  int selected = -1;                      // framed with the accent colour
};

struct ImageGridResult {
  int hovered = -1;  // image under the mouse, or -1
  int clicked = -1;  // image clicked this frame, or -1
};

// The image side, in font heights, at which `columns` images and ImageGrid's gaps fill `width`
// pixels, kept between `min_em` and `max_em`.
float ImageGridCellEm(float width, int columns, float min_em, float max_em);
// The image side, in font heights, for a grid of columns × rows images (with captions or not)
// that fits `width_share` of the available width and, with `fit_height`, the visible height
// below the cursor; at least `min_em` where the height is the limit, never wider than the region.
float FitImageGridCellEm(int columns, int rows, bool captions, bool fit_height, float min_em, float max_em,
                         float width_share = 1);

// count images of width × height values each (row-major, row 0 at the top), one after another.
ImageGridResult ImageGrid(const char* id, const float* pixels, int count, int width, int height,
                          const ImageGridOptions& options);

}  // namespace ll::ui
