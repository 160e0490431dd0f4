#include "lessons/prob_draw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "lessons/i18n.hpp"
#include "lessons/layout.hpp"
#include "viz/colormap.hpp"

namespace ll::ui::prob_ui {

ImU32 category_u32(int k, int alpha) {
  const viz::Rgb8 c = viz::category_color(k);
  return IM_COL32(c.r, c.g, c.b, alpha);
}

ImU32 mixed_category_u32(const double* weights, int k, int alpha) {
  double r = 0, g = 0, b = 0;
  for (int j = 0; j < k; ++j) {
    const viz::Rgb8 c = viz::category_color(j);
    r += weights[j] * c.r;
    g += weights[j] * c.g;
    b += weights[j] * c.b;
  }
  auto channel = [](double v) { return int(std::clamp(v, 0.0, 255.0) + 0.5); };
  return IM_COL32(channel(r), channel(g), channel(b), alpha);
}

namespace {

// Pixel position, kept within float range for points far outside the axes.
ImVec2 clipped_pixel(const PlotTransform& t, prob::Point2 p) {
  const ImVec2 q = t.to_pixel(p.x, p.y);
  const float lim = 1e6f;
  return ImVec2(std::clamp(q.x, -lim, lim), std::clamp(q.y, -lim, lim));
}

}  // namespace

void draw_data_polyline(const PlotTransform& t, const std::vector<prob::Point2>& points, ImU32 color,
                        float thickness) {
  if (points.size() < 2) return;
  std::vector<ImVec2> px(points.size());
  for (size_t i = 0; i < points.size(); ++i) px[i] = clipped_pixel(t, points[i]);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(t.pixel_min, t.pixel_max, true);
  dl->AddPolyline(px.data(), int(px.size()), color, 0, thickness);
  dl->PopClipRect();
}

void draw_data_ellipse(const PlotTransform& t, const prob::Gaussian2& g, double n_sigma, ImU32 color,
                       float thickness) {
  draw_data_polyline(t, prob::ellipse_points(g, n_sigma, 64), color, thickness);
}

void draw_data_cross(const PlotTransform& t, prob::Point2 p, ImU32 color) {
  const ImVec2 c = clipped_pixel(t, p);
  const float r = ImGui::GetFontSize() * 0.45f, w = std::max(2.0f, ImGui::GetFontSize() * 0.14f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(t.pixel_min, t.pixel_max, true);
  const ImU32 halo = IM_COL32(0, 0, 0, 160);
  dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), halo, w + 2);
  dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), halo, w + 2);
  dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), color, w);
  dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), color, w);
  dl->PopClipRect();
}

void draw_data_points(const PlotTransform& t, const std::vector<prob::Point2>& points, const int* labels,
                      ImU32 single_color, float radius_em) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float r = std::max(1.5f, radius_em * ImGui::GetFontSize());
  dl->PushClipRect(t.pixel_min, t.pixel_max, true);
  for (size_t i = 0; i < points.size(); ++i) {
    if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y)) continue;
    const ImVec2 c = clipped_pixel(t, points[i]);
    if (!t.contains(c)) continue;
    const ImU32 color = labels ? category_u32(labels[i], 230) : single_color;
    dl->AddCircleFilled(c, r + 1, IM_COL32(0, 0, 0, 110), 10);
    dl->AddCircleFilled(c, r, color, 10);
  }
  dl->PopClipRect();
}

void draw_data_vline(const PlotTransform& t, double x, ImU32 color, float thickness) {
  if (!std::isfinite(x)) return;
  const float px = t.to_pixel(x, 0).x;
  if (px < t.pixel_min.x || px > t.pixel_max.x) return;
  ImGui::GetWindowDrawList()->AddLine(ImVec2(px, t.pixel_min.y), ImVec2(px, t.pixel_max.y), color, thickness);
}

void draw_arrow(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 color, float thickness) {
  const float dx = to.x - from.x, dy = to.y - from.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1) return;
  const float ux = dx / len, uy = dy / len, head = ImGui::GetFontSize() * 0.5f;
  const ImVec2 base(to.x - ux * head, to.y - uy * head);
  dl->AddLine(from, base, color, thickness);
  dl->AddTriangleFilled(to, ImVec2(base.x - uy * head * 0.5f, base.y + ux * head * 0.5f),
                        ImVec2(base.x + uy * head * 0.5f, base.y - ux * head * 0.5f), color);
}

void draw_box(ImDrawList* dl, ImVec2 min, ImVec2 max, const char* label, ImU32 fill, ImU32 border) {
  const float rounding = ImGui::GetFontSize() * 0.3f;
  dl->AddRectFilled(min, max, fill, rounding);
  dl->AddRect(min, max, border, rounding, 0, std::max(1.5f, ImGui::GetFontSize() * 0.08f));
  const ImVec2 ts = ImGui::CalcTextSize(label);
  dl->AddText(ImVec2(0.5f * (min.x + max.x - ts.x), 0.5f * (min.y + max.y - ts.y)), ImGui::GetColorU32(ImGuiCol_Text),
              label);
}

bool parse_number(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out);
}

const char* dataset_key(prob::Dataset2d kind) {
  switch (kind) {
    case prob::Dataset2d::TwoMoons: return "data2d.moons";
    case prob::Dataset2d::Rings: return "data2d.rings";
    case prob::Dataset2d::ThreeGaussians: return "data2d.blobs";
    case prob::Dataset2d::EightGaussians: return "data2d.circle8";
  }
  return "data2d.blobs";
}

const char* dataset_name(prob::Dataset2d kind) { return tr(dataset_key(kind)); }

bool DatasetCombo(const char* label, int& index) {
  const auto& sets = prob::all_datasets2d();
  bool changed = false;
  if (BeginFittedCombo(label, dataset_name(sets[size_t(index)].kind))) {
    for (size_t i = 0; i < sets.size(); ++i)
      if (ImGui::Selectable(trl(dataset_key(sets[i].kind)), int(i) == index)) index = int(i), changed = true;
    ImGui::EndCombo();
  }
  return changed;
}

}  // namespace ll::ui::prob_ui
