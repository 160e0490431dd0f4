#pragma once
// Drawing helpers shared by the probability lessons (bayes, mle-kl, gmm, flow, overview):
// overlays on a plot's data area (curves, ellipses, crosses, points), arrows and boxes for
// diagrams, category colours, and whole-string number parsing for commands.
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/widgets/plot.hpp"
#include "ml/prob/datasets2d.hpp"
#include "ml/prob/gauss2d.hpp"

namespace ll::ui::prob_ui {

ImU32 category_u32(int k, int alpha = 255);
// Colour of a soft assignment: the category colours mixed by weights[0 … k−1] (summing to 1).
ImU32 mixed_category_u32(const double* weights, int k, int alpha = 255);

// Data-space overlays, clipped to the plot's data area.
void draw_data_polyline(const PlotTransform& t, const std::vector<prob::Point2>& points, ImU32 color,
                        float thickness);
void draw_data_ellipse(const PlotTransform& t, const prob::Gaussian2& g, double n_sigma, ImU32 color,
                       float thickness);
void draw_data_cross(const PlotTransform& t, prob::Point2 p, ImU32 color);
// Filled dots with a dark rim; labels[i] (if given) picks category colours, else all get single_color.
void draw_data_points(const PlotTransform& t, const std::vector<prob::Point2>& points, const int* labels,
                      ImU32 single_color, float radius_em);
// A vertical line at data x across the plot (marks an argmax).
void draw_data_vline(const PlotTransform& t, double x, ImU32 color, float thickness);

// Diagram pieces in pixels.
void draw_arrow(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 color, float thickness);
void draw_box(ImDrawList* dl, ImVec2 min, ImVec2 max, const char* label, ImU32 fill, ImU32 border);

// The catalogue key of a 2-D data set's name ("data2d.moons"; prob::Dataset2dInfo::name is
// the English name that commands and state() use): tr() it for text, trl() for a label.
const char* dataset_key(prob::Dataset2d kind);
const char* dataset_name(prob::Dataset2d kind);  // tr(dataset_key(kind))
// A combo of the 2-D data sets (prob::all_datasets2d()) at the next control width; `index`
// picks one. True when the user picked one (the same one again too: a fresh draw).
bool DatasetCombo(const char* label, int& index);

// Whole-string number parse; false for junk ("1.5x", "") or non-finite values.
bool parse_number(const std::string& s, double& out);

}  // namespace ll::ui::prob_ui
