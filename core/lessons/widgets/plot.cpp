#include "lessons/widgets/plot.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "imgui_internal.h"
#include "lessons/layout.hpp"
#include "lessons/widgets/texture.hpp"
#include "viz/content_hash.hpp"
#include "lessons/i18n.hpp"

namespace ll::ui {

// ---------------------------------------------------------------------------------------------
// Textures: one per widget (keyed by its ImGui ID), re-uploaded only when its content changes.

namespace {

TextureBackend g_backend;

struct CachedTexture {
  ImTextureID id = nullptr;
  int w = 0, h = 0;
  uint64_t hash = 0;
  int last_frame = 0;
};
std::unordered_map<ImGuiID, CachedTexture> g_textures;

constexpr int kTextureIdleFrames = 600;  // a widget not drawn for this long (~10 s) gives its texture back
constexpr int kMaxTextureSide = 4096;    // beyond this (rare huge image grids) draw rectangles instead

void release_idle_textures(int frame) {
  for (auto it = g_textures.begin(); it != g_textures.end();) {
    if (frame - it->second.last_frame > kTextureIdleFrames) {
      if (it->second.id && g_backend.destroy) g_backend.destroy(it->second.id);
      it = g_textures.erase(it);
    } else {
      ++it;
    }
  }
}

// The texture of widget `key` showing content `hash`; fill(rgba) writes its w×h RGBA pixels and
// only runs when the content or size changed. Null without a backend (callers then draw cells).
template <class Fill> ImTextureID cached_texture(ImGuiID key, uint64_t hash, int w, int h, Fill fill) {
  if (!g_backend.create || w > kMaxTextureSide || h > kMaxTextureSide) return nullptr;
  const int frame = ImGui::GetFrameCount();
  release_idle_textures(frame);
  CachedTexture& t = g_textures[key];
  t.last_frame = frame;
  if (t.id && t.hash == hash && t.w == w && t.h == h) return t.id;
  std::vector<unsigned char> rgba(size_t(w) * h * 4);
  fill(rgba.data());
  if (t.id && t.w == w && t.h == h && g_backend.update) {
    g_backend.update(t.id, w, h, rgba.data());
  } else {
    if (t.id && g_backend.destroy) g_backend.destroy(t.id);
    t.id = g_backend.create(w, h, rgba.data());
    t.w = w;
    t.h = h;
  }
  t.hash = hash;
  return t.id;
}

}  // namespace

void set_texture_backend(const TextureBackend& backend) {
  // Textures made by the previous backend belong to it: release them through it.
  for (auto& entry : g_textures)
    if (entry.second.id && g_backend.destroy) g_backend.destroy(entry.second.id);
  g_textures.clear();
  g_backend = backend;
}

const TextureBackend& texture_backend() { return g_backend; }

// ---------------------------------------------------------------------------------------------
// PlotTransform

ImVec2 PlotTransform::to_pixel(double dx, double dy) const {
  return ImVec2(float(viz::to_pixel(x, dx, pixel_min.x, pixel_max.x)),
                float(viz::to_pixel(y, dy, pixel_max.y, pixel_min.y)));
}
double PlotTransform::data_x(float px) const { return viz::to_data(x, px, pixel_min.x, pixel_max.x); }
double PlotTransform::data_y(float py) const { return viz::to_data(y, py, pixel_max.y, pixel_min.y); }
bool PlotTransform::contains(ImVec2 p) const {
  return p.x >= pixel_min.x && p.x <= pixel_max.x && p.y >= pixel_min.y && p.y <= pixel_max.y;
}

// ---------------------------------------------------------------------------------------------
// Shared frame: layout, axes, legend.

namespace {

float em() { return ImGui::GetFontSize(); }

ImVec2 offset(ImVec2 p, float dx, float dy) { return ImVec2(p.x + dx, p.y + dy); }

ImU32 to_u32(viz::Rgb8 c) { return IM_COL32(c.r, c.g, c.b, 255); }

float text_width(const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; }

bool usable(double v, const viz::Axis& axis) { return std::isfinite(v) && (!axis.log || v > 0); }

// The transform's axes with their logs precomputed, for loops over many points.
struct PixelMaps {
  viz::AxisMap x, y;
};
PixelMaps pixel_maps(const PlotTransform& t) {
  return {viz::axis_map(t.x, t.pixel_min.x, t.pixel_max.x), viz::axis_map(t.y, t.pixel_max.y, t.pixel_min.y)};
}

// Non-positive components: the available width, or `default_height` font heights.
ImVec2 widget_size(ImVec2 size, float default_height) {
  const float avail = ImGui::GetContentRegionAvail().x;
  return ImVec2(size.x > 0 ? size.x : std::max(avail, em() * 8), size.y > 0 ? size.y : em() * default_height);
}

// A fixed bound (not NaN) replaces the one from the data.
viz::Axis with_fixed(viz::Axis a, double fixed_min, double fixed_max) {
  if (!std::isnan(fixed_min)) a.min = fixed_min;
  if (!std::isnan(fixed_max)) a.max = fixed_max;
  return viz::sanitized(a);
}

struct Frame {
  ImVec2 outer_min, outer_max;  // the whole widget
  PlotTransform t;              // its data area
  std::vector<double> x_ticks, y_ticks;
  std::vector<std::string> x_labels, y_labels;
  bool visible = false;  // not scrolled or clipped away: worth drawing
  bool hovered = false;  // mouse over the data area
  bool clicked = false;
  ImVec2 mouse;
};

struct FrameText {
  const char* title = nullptr;
  const char* x_label = nullptr;
  const char* y_label = nullptr;
  bool top_row = false;  // something else (a colour bar label) needs the row above the data
};

float tick_length() { return em() * 0.3f; }
float pad() { return em() * 0.3f; }

// The full text of a shortened label, when the mouse is over it.
void hover_tooltip(ImVec2 min, ImVec2 max, const char* text) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (m.x >= min.x && m.x < max.x && m.y >= min.y && m.y < max.y && ImGui::IsWindowHovered()) ImGui::SetTooltip("%s", text);
}

// Smallest screen distance between neighbouring ticks.
float min_tick_gap(const std::vector<double>& ticks, const viz::Axis& a, float p0, float p1) {
  float gap = 1e30f;
  for (size_t i = 1; i < ticks.size(); ++i)
    gap = std::min(gap, float(std::fabs(viz::to_pixel(a, ticks[i], p0, p1) - viz::to_pixel(a, ticks[i - 1], p0, p1))));
  return gap;
}

// Lays out title, tick labels and axis labels around the data area (leaving `right_extra`
// pixels on the right, for a colour bar), reserves the widget with an InvisibleButton (so it
// takes part in layout and owns clicks instead of the window dragging), and draws the data
// area's background and grid.
Frame begin_frame(const char* id, ImVec2 size, viz::Axis x, viz::Axis y, const FrameText& text, float right_extra) {
  const float fs = em();
  Frame f;
  f.outer_min = ImGui::GetCursorScreenPos();
  f.outer_max = offset(f.outer_min, size.x, size.y);
  f.t.x = viz::sanitized(x);
  f.t.y = viz::sanitized(y);

  // Vertical: the title row (or half a line for the top tick label), then the data, then
  // x tick labels and the x axis label.
  const bool top_row = text.title || text.y_label || text.top_row;
  // The title row ends where the top y tick label (centred on the data's top edge) begins.
  const float top = top_row ? fs * 1.5f + 2 * pad() : fs * 0.6f;
  const float bottom = tick_length() + pad() + fs + (text.x_label ? fs + pad() : 0) + pad();
  const float data_h = std::max(fs, size.y - top - bottom);
  f.y_ticks = viz::nice_ticks(f.t.y, int(data_h / (fs * 2.2f)) + 1);
  f.y_labels = viz::tick_labels(f.y_ticks);

  // Horizontal: y tick labels, the data, then room for the last x label's overhang.
  float y_label_w = 0;
  for (const std::string& s : f.y_labels) y_label_w = std::max(y_label_w, text_width(s));
  const float left = y_label_w + tick_length() + 2 * pad();
  const float data_w = std::max(fs, size.x - left - right_extra - fs * 0.8f);
  f.t.pixel_min = offset(f.outer_min, left, top);
  f.t.pixel_max = offset(f.t.pixel_min, data_w, data_h);

  // As many x ticks as fit with their labels side by side.
  for (int n = std::max(2, int(data_w / (fs * 3.5f)) + 1);; --n) {
    f.x_ticks = viz::nice_ticks(f.t.x, n);
    f.x_labels = viz::tick_labels(f.x_ticks);
    float widest = 0;
    for (const std::string& s : f.x_labels) widest = std::max(widest, text_width(s));
    if (n <= 2 || min_tick_gap(f.x_ticks, f.t.x, f.t.pixel_min.x, f.t.pixel_max.x) >= widest + fs) break;
  }

  ImGui::InvisibleButton(id, size);
  f.visible = ImGui::IsItemVisible();
  f.mouse = ImGui::GetIO().MousePos;
  f.hovered = ImGui::IsItemHovered() && f.t.contains(f.mouse);
  f.clicked = f.hovered && ImGui::IsItemClicked(ImGuiMouseButton_Left);
  if (!f.visible) return f;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(f.t.pixel_min, f.t.pixel_max, ImGui::GetColorU32(ImGuiCol_FrameBg));
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Text, 0.08f);
  for (double v : f.x_ticks) {
    const float px = f.t.to_pixel(v, f.t.y.min).x;
    dl->AddLine(ImVec2(px, f.t.pixel_min.y), ImVec2(px, f.t.pixel_max.y), grid);
  }
  for (double v : f.y_ticks) {
    const float py = f.t.to_pixel(f.t.x.min, v).y;
    dl->AddLine(ImVec2(f.t.pixel_min.x, py), ImVec2(f.t.pixel_max.x, py), grid);
  }
  return f;
}

// Frame, tick marks and all text; drawn after the data so the frame stays on top.
void draw_axes(const Frame& f, const FrameText& text) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = em();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 line_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImVec2 a = f.t.pixel_min, b = f.t.pixel_max;
  dl->AddRect(a, b, line_col);
  for (size_t i = 0; i < f.x_ticks.size(); ++i) {
    const float px = f.t.to_pixel(f.x_ticks[i], f.t.y.min).x;
    dl->AddLine(ImVec2(px, b.y), ImVec2(px, b.y + tick_length()), line_col);
    const float w = text_width(f.x_labels[i]);
    const float lx = std::max(f.outer_min.x, std::min(px - w / 2, f.outer_max.x - w));
    dl->AddText(ImVec2(lx, b.y + tick_length() + pad() * 0.5f), text_col, f.x_labels[i].c_str());
  }
  for (size_t i = 0; i < f.y_ticks.size(); ++i) {
    const float py = f.t.to_pixel(f.t.x.min, f.y_ticks[i]).y;
    dl->AddLine(ImVec2(a.x - tick_length(), py), ImVec2(a.x, py), line_col);
    const float w = text_width(f.y_labels[i]);
    dl->AddText(ImVec2(a.x - tick_length() - pad() - w, py - fs / 2), text_col, f.y_labels[i].c_str());
  }
  // Title and y label share the top row: the y label from the left edge, the title centred over
  // the data area in what is left; either is shortened with "…" (full text as a tooltip).
  const float top_y = f.outer_min.y + pad();
  float title_left = a.x;
  if (text.y_label) {
    const std::string shown = Ellipsized(text.y_label, f.outer_max.x - f.outer_min.x);
    dl->AddText(ImVec2(f.outer_min.x, top_y), text_col, shown.c_str());
    title_left = std::max(title_left, f.outer_min.x + text_width(shown) + fs);
    if (shown != text.y_label) hover_tooltip(f.outer_min, ImVec2(title_left, top_y + fs), text.y_label);
  }
  // A colour bar's label holds the top row right of the data area.
  const float title_right = text.top_row ? b.x : f.outer_max.x;
  if (text.title && title_left < title_right - fs) {
    const std::string shown = Ellipsized(text.title, title_right - title_left);
    const float w = text_width(shown);
    const float x = std::max(title_left, std::min((a.x + b.x - w) / 2, title_right - w));
    dl->AddText(ImVec2(x, top_y), text_col, shown.c_str());
    if (shown != text.title) hover_tooltip(ImVec2(x, top_y), ImVec2(x + w, top_y + fs), text.title);
  }
  if (text.x_label) {
    const std::string shown = Ellipsized(text.x_label, f.outer_max.x - f.outer_min.x);
    const float w = text_width(shown);
    const float x = std::max(f.outer_min.x, std::min((a.x + b.x - w) / 2, f.outer_max.x - w));
    dl->AddText(ImVec2(x, b.y + tick_length() + pad() * 1.5f + fs), text_col, shown.c_str());
  }
}

struct LegendEntry {
  const char* label;
  ImU32 color;
};

// A box of swatches and names in the corner of the data area that covers the fewest of the
// given data points (top right when tied); none when it would not fit. Returns its rectangle
// (empty when not drawn).
ImRect draw_legend(const PlotTransform& t, const std::vector<LegendEntry>& entries, bool line_swatches,
                   const std::vector<ImVec2>& points) {
  if (entries.size() < 2) return {};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = em(), row = fs * 1.15f, swatch = fs * 1.2f;
  float text_w = 0;
  for (const LegendEntry& e : entries) text_w = std::max(text_w, ImGui::CalcTextSize(e.label).x);
  const ImVec2 size(swatch + text_w + 3 * pad(), row * float(entries.size()) + 2 * pad());
  const float room_w = t.pixel_max.x - t.pixel_min.x - 2 * pad(), room_h = t.pixel_max.y - t.pixel_min.y - 2 * pad();
  if (size.x > room_w || size.y > room_h) return {};  // the hover tooltip still names each series
  const ImVec2 corners[4] = {ImVec2(t.pixel_max.x - size.x - pad(), t.pixel_min.y + pad()),
                             ImVec2(t.pixel_min.x + pad(), t.pixel_min.y + pad()),
                             ImVec2(t.pixel_max.x - size.x - pad(), t.pixel_max.y - size.y - pad()),
                             ImVec2(t.pixel_min.x + pad(), t.pixel_max.y - size.y - pad())};
  ImVec2 p0 = corners[0];
  size_t fewest = SIZE_MAX;
  for (const ImVec2& c : corners) {
    const ImRect box(c, offset(c, size.x, size.y));
    size_t covered = 0;
    for (const ImVec2& q : points) covered += box.Contains(q);
    if (covered < fewest) fewest = covered, p0 = c;
  }
  dl->AddRectFilled(p0, offset(p0, size.x, size.y), ImGui::GetColorU32(ImGuiCol_PopupBg, 0.85f));
  dl->AddRect(p0, offset(p0, size.x, size.y), ImGui::GetColorU32(ImGuiCol_Border));
  for (size_t i = 0; i < entries.size(); ++i) {
    const float cy = p0.y + pad() + row * (float(i) + 0.5f);
    const float x0 = p0.x + pad();
    if (line_swatches)
      dl->AddLine(ImVec2(x0, cy), ImVec2(x0 + swatch, cy), entries[i].color, std::max(1.0f, fs * 0.15f));
    else
      dl->AddCircleFilled(ImVec2(x0 + swatch / 2, cy), fs * 0.3f, entries[i].color, 12);
    dl->AddText(ImVec2(x0 + swatch + pad(), cy - fs / 2), ImGui::GetColorU32(ImGuiCol_Text), entries[i].label);
  }
  return ImRect(p0, offset(p0, size.x, size.y));
}

void tooltip_xy(double x, double y) {
  ImGui::Text("x = %s   y = %s", viz::format_tick(x).c_str(), viz::format_tick(y).c_str());
}

PlotResult result_of(const Frame& f) {
  PlotResult r;
  r.transform = f.t;
  r.hovered = f.hovered;
  r.clicked = f.clicked;
  if (f.clicked) {
    r.clicked_x = f.t.data_x(f.mouse.x);
    r.clicked_y = f.t.data_y(f.mouse.y);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Line plots

// Liang–Barsky: clips the segment (x0,y0)–(x1,y1) to the rectangle. False when it misses;
// otherwise the ends are moved inside and start_cut/end_cut say which ones moved.
bool clip_segment(double& x0, double& y0, double& x1, double& y1, ImVec2 lo, ImVec2 hi, bool& start_cut,
                  bool& end_cut) {
  const double dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - lo.x, hi.x - x0, y0 - lo.y, hi.y - y0};
  double t0 = 0, t1 = 1;
  for (int k = 0; k < 4; ++k) {
    if (p[k] == 0) {
      if (q[k] < 0) return false;  // parallel to this edge and outside it
      continue;
    }
    const double r = q[k] / p[k];
    if (p[k] < 0) {
      if (r > t1) return false;
      t0 = std::max(t0, r);
    } else {
      if (r < t0) return false;
      t1 = std::min(t1, r);
    }
  }
  start_cut = t0 > 0;
  end_cut = t1 < 1;
  x1 = x0 + t1 * dx;
  y1 = y0 + t1 * dy;
  x0 += t0 * dx;
  y0 += t0 * dy;
  return true;
}

// Draws a series as polylines, broken where points are unusable (NaN, ≤ 0 on a log axis) and
// where the line leaves the data area. Clipping happens in double precision first, so far-off
// points (a diverging loss) never reach ImDrawList as huge floats. Points closer than half a
// pixel to the last one kept are dropped: long runs stay cheap and the error is invisible.
void draw_line_series(ImDrawList* dl, const LineSeries& s, const PlotTransform& t, ImU32 color, float thickness) {
  const ImVec2 lo = offset(t.pixel_min, -thickness, -thickness), hi = offset(t.pixel_max, thickness, thickness);
  std::vector<ImVec2> run;
  bool open = false;  // the run ends at the previous point, so the next segment continues it
  bool has_skipped = false;
  ImVec2 skipped;
  auto flush = [&] {
    if (has_skipped) run.push_back(skipped);
    if (run.size() >= 2) dl->AddPolyline(run.data(), int(run.size()), color, 0, thickness);
    run.clear();
    has_skipped = open = false;
  };
  auto add = [&](double x, double y, bool keep) {
    const ImVec2 p(static_cast<float>(x), static_cast<float>(y));
    if (!keep && !run.empty()) {
      const float dx = p.x - run.back().x, dy = p.y - run.back().y;
      if (dx * dx + dy * dy < 0.25f) {
        skipped = p;
        has_skipped = true;
        return;
      }
    }
    run.push_back(p);
    has_skipped = false;
  };
  const PixelMaps map = pixel_maps(t);
  bool have_prev = false;
  double prev_x = 0, prev_y = 0;
  for (int i = 0; i < s.count; ++i) {
    const double x = s.xs ? s.xs[i] : double(i), y = s.ys[i];
    if (!usable(x, t.x) || !usable(y, t.y)) {
      flush();
      have_prev = false;
      continue;
    }
    const double px = map.x.to_pixel(x), py = map.y.to_pixel(y);
    if (have_prev) {
      double x0 = prev_x, y0 = prev_y, x1 = px, y1 = py;
      bool start_cut = false, end_cut = false;
      if (clip_segment(x0, y0, x1, y1, lo, hi, start_cut, end_cut)) {
        if (!open || start_cut) {
          flush();
          add(x0, y0, true);
        }
        add(x1, y1, end_cut);
        open = true;
        if (end_cut) flush();
      } else {
        flush();
      }
    }
    prev_x = px;
    prev_y = py;
    have_prev = true;
  }
  flush();
}

ImU32 series_color(const LineSeries& s, int index) { return s.color ? s.color : to_u32(viz::category_color(index)); }

}  // namespace

PlotResult LinePlot(const char* id, const LineSeries* series, int count, const PlotOptions& o) {
  const ImVec2 size = widget_size(o.size, 14);
  // Ranges from every usable point of every series.
  std::vector<double> xs, ys;
  const viz::Axis x_kind{0, 1, o.log_x}, y_kind{0, 1, o.log_y};
  for (int k = 0; k < count; ++k)
    for (int i = 0; i < series[k].count; ++i) {
      const double x = series[k].xs ? series[k].xs[i] : double(i), y = series[k].ys[i];
      if (!usable(x, x_kind) || !usable(y, y_kind)) continue;
      xs.push_back(x);
      ys.push_back(y);
    }
  const viz::Axis x_axis = with_fixed(viz::auto_range(xs.data(), xs.size(), o.log_x, 0), o.x_min, o.x_max);
  const viz::Axis y_axis = with_fixed(viz::auto_range(ys.data(), ys.size(), o.log_y), o.y_min, o.y_max);

  const FrameText text{o.title, o.x_label, o.y_label};
  const Frame f = begin_frame(id, size, x_axis, y_axis, text, 0);
  if (!f.visible) return result_of(f);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = em();
  const float thickness = std::max(1.0f, fs * 0.11f);
  dl->PushClipRect(f.t.pixel_min, f.t.pixel_max, true);
  for (int k = 0; k < count; ++k) draw_line_series(dl, series[k], f.t, series_color(series[k], k), thickness);

  // Hover: each series' point nearest the mouse horizontally, marked and listed.
  struct Readout {
    int series;
    double x, y;
  };
  std::vector<Readout> readouts;
  if (f.hovered) {
    const viz::AxisMap map_x = viz::axis_map(f.t.x, f.t.pixel_min.x, f.t.pixel_max.x);
    for (int k = 0; k < count; ++k) {
      const LineSeries& s = series[k];
      double best = fs * 2;  // pixels; further away the series is not read out
      Readout r{-1, 0, 0};
      for (int i = 0; i < s.count; ++i) {
        const double x = s.xs ? s.xs[i] : double(i);
        if (!usable(x, f.t.x) || !usable(s.ys[i], f.t.y)) continue;
        const double d = std::fabs(map_x.to_pixel(x) - f.mouse.x);
        if (d < best) best = d, r = {k, x, s.ys[i]};
      }
      if (r.series < 0) continue;
      readouts.push_back(r);
      const ImVec2 c = f.t.to_pixel(r.x, r.y);
      dl->AddCircleFilled(c, fs * 0.25f, series_color(s, k), 12);
      dl->AddCircle(c, fs * 0.25f, ImGui::GetColorU32(ImGuiCol_Text), 12, std::max(1.0f, fs * 0.08f));
    }
    // A vertical cursor line, to read all series at one x.
    dl->AddLine(ImVec2(f.mouse.x, f.t.pixel_min.y), ImVec2(f.mouse.x, f.t.pixel_max.y),
                ImGui::GetColorU32(ImGuiCol_Text, 0.3f));
  }
  dl->PopClipRect();

  if (o.legend) {
    std::vector<LegendEntry> entries;
    std::vector<ImVec2> points;
    for (int k = 0; k < count; ++k) {
      if (series[k].label) entries.push_back({series[k].label, series_color(series[k], k)});
      const int stride = std::max(1, series[k].count / 500);  // enough to see where the lines run
      for (int i = 0; i < series[k].count; i += stride) {
        const double x = series[k].xs ? series[k].xs[i] : double(i), y = series[k].ys[i];
        if (usable(x, f.t.x) && usable(y, f.t.y)) points.push_back(f.t.to_pixel(x, y));
      }
    }
    draw_legend(f.t, entries, true, points);
  }
  draw_axes(f, text);

  if (f.hovered) {
    ImGui::BeginTooltip();
    tooltip_xy(f.t.data_x(f.mouse.x), f.t.data_y(f.mouse.y));
    for (const Readout& r : readouts) {
      const LineSeries& s = series[r.series];
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(series_color(s, r.series)), "%s", s.label ? s.label : tr("common.series"));
      ImGui::SameLine();
      ImGui::Text("(%s, %s)", viz::format_tick(r.x).c_str(), viz::format_tick(r.y).c_str());
    }
    ImGui::EndTooltip();
  }
  return result_of(f);
}

// ---------------------------------------------------------------------------------------------
// Scatter plots

namespace {

ImU32 point_color(const ScatterPoints& p, int i) {
  if (p.colors) return p.colors[i];
  return to_u32(viz::category_color(p.categories ? p.categories[i] : 0));
}

}  // namespace

ScatterResult ScatterPlot(const char* id, const ScatterPoints& p, const PlotOptions& o) {
  const ImVec2 size = widget_size(o.size, 18);
  const viz::Axis x_axis = with_fixed(viz::auto_range(p.xs, size_t(std::max(0, p.count)), o.log_x), o.x_min, o.x_max);
  const viz::Axis y_axis = with_fixed(viz::auto_range(p.ys, size_t(std::max(0, p.count)), o.log_y), o.y_min, o.y_max);
  const FrameText text{o.title, o.x_label, o.y_label};
  const Frame f = begin_frame(id, size, x_axis, y_axis, text, 0);
  ScatterResult result;
  static_cast<PlotResult&>(result) = result_of(f);
  if (!f.visible) return result;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = em();
  const float r = std::max(1.5f, p.radius * fs);
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  float best = (r + fs * 0.3f) * (r + fs * 0.3f);  // squared pick distance
  const PixelMaps map = pixel_maps(f.t);
  dl->PushClipRect(f.t.pixel_min, f.t.pixel_max, true);
  for (int i = 0; i < p.count; ++i) {
    if (!usable(p.xs[i], f.t.x) || !usable(p.ys[i], f.t.y)) continue;
    const ImVec2 c(float(map.x.to_pixel(p.xs[i])), float(map.y.to_pixel(p.ys[i])));
    if (c.x < f.t.pixel_min.x - r || c.x > f.t.pixel_max.x + r || c.y < f.t.pixel_min.y - r ||
        c.y > f.t.pixel_max.y + r)
      continue;
    dl->AddCircleFilled(c, r, point_color(p, i), 12);
    if (f.hovered) {
      const float dx = c.x - f.mouse.x, dy = c.y - f.mouse.y;
      if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, result.hovered_point = i;
    }
  }
  if (result.hovered_point >= 0)
    dl->AddCircle(f.t.to_pixel(p.xs[result.hovered_point], p.ys[result.hovered_point]), r + fs * 0.15f, text_col, 12,
                  std::max(1.0f, fs * 0.1f));
  dl->PopClipRect();
  if (f.clicked) result.clicked_point = result.hovered_point;

  std::vector<ImRect> taken;  // the legend and the labels placed so far
  if (o.legend && p.category_names) {
    std::vector<LegendEntry> entries;
    for (int c = 0; c < p.category_count; ++c)
      if (p.category_names[c]) entries.push_back({p.category_names[c], to_u32(viz::category_color(c))});
    std::vector<ImVec2> pixels;
    for (int i = 0; i < p.count; ++i)
      if (usable(p.xs[i], f.t.x) && usable(p.ys[i], f.t.y))
        pixels.emplace_back(float(map.x.to_pixel(p.xs[i])), float(map.y.to_pixel(p.ys[i])));
    taken.push_back(draw_legend(f.t, entries, false, pixels));
  }
  // Labels after all points, so no point hides a word: right of the point, else left of it,
  // else left out (the point's tooltip names it) rather than drawn over another label.
  for (int i = 0; p.labels && i < p.count; ++i) {
    if (!p.labels[i] || !usable(p.xs[i], f.t.x) || !usable(p.ys[i], f.t.y)) continue;
    const ImVec2 c(float(map.x.to_pixel(p.xs[i])), float(map.y.to_pixel(p.ys[i])));
    if (!f.t.contains(c)) continue;
    const ImVec2 size = ImGui::CalcTextSize(p.labels[i]);
    const float gap = r + fs * 0.15f;
    for (const float x : {c.x + gap, c.x - gap - size.x}) {
      const ImRect box(ImVec2(x, c.y - fs / 2), ImVec2(x + size.x, c.y + fs / 2));
      const bool inside = box.Min.x >= f.t.pixel_min.x && box.Max.x <= f.t.pixel_max.x &&
                          box.Min.y >= f.t.pixel_min.y && box.Max.y <= f.t.pixel_max.y;
      if (!inside || std::any_of(taken.begin(), taken.end(), [&](const ImRect& t) { return t.Overlaps(box); }))
        continue;
      dl->AddText(box.Min, text_col, p.labels[i]);
      taken.push_back(box);
      break;
    }
  }
  draw_axes(f, text);

  if (f.hovered) {
    ImGui::BeginTooltip();
    const int h = result.hovered_point;
    if (h >= 0) {
      if (p.labels && p.labels[h]) ImGui::TextUnformatted(p.labels[h]);
      if (p.categories && p.category_names && p.categories[h] >= 0 && p.categories[h] < p.category_count &&
          p.category_names[p.categories[h]])
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(point_color(p, h)), "%s", p.category_names[p.categories[h]]);
      tooltip_xy(p.xs[h], p.ys[h]);
    } else {
      tooltip_xy(f.t.data_x(f.mouse.x), f.t.data_y(f.mouse.y));
    }
    ImGui::EndTooltip();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Heat maps

namespace {

// Fraction of the value range, for the colour map (NaN stays NaN → kNanColor).
double unit(const viz::Axis& range, double v) { return (v - range.min) / (range.max - range.min); }

ImU32 value_color(viz::Colormap cm, const viz::Axis& range, double v) {
  return to_u32(viz::colormap(cm, unit(range, v)));
}

void write_rgba(unsigned char* out, viz::Rgb8 c) {
  out[0] = c.r;
  out[1] = c.g;
  out[2] = c.b;
  out[3] = 255;
}

uint64_t content_hash(const float* values, size_t n, const viz::Axis& range, viz::Colormap cm, int w, int h) {
  const double params[2] = {range.min, range.max};
  const int dims[3] = {int(cm), w, h};
  uint64_t hash = viz::hash_bytes(viz::kContentHashSeed, params, sizeof params);
  hash = viz::hash_bytes(hash, dims, sizeof dims);
  return viz::hash_bytes(hash, values, n * sizeof(float));
}

// The colour bar's geometry, measured before the frame is laid out.
struct ColorBar {
  std::vector<double> ticks;
  std::vector<std::string> labels;
  float width = 0;  // bar, ticks and labels, with the gap to the data area
};

ColorBar measure_color_bar(const viz::Axis& range, float height) {
  const float fs = em();
  ColorBar bar;
  bar.ticks = viz::nice_ticks(range, int(height / (fs * 2.2f)) + 1);
  bar.labels = viz::tick_labels(bar.ticks);
  float label_w = 0;
  for (const std::string& s : bar.labels) label_w = std::max(label_w, text_width(s));
  bar.width = fs * 0.8f + fs * 0.9f + tick_length() + pad() + label_w;
  return bar;
}

void draw_color_bar(const ColorBar& bar, const Frame& f, const viz::Axis& range, viz::Colormap cm, const char* label) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = em();
  const float x0 = f.t.pixel_max.x + fs * 0.8f, x1 = x0 + fs * 0.9f;
  const float y_top = f.t.pixel_min.y, y_bottom = f.t.pixel_max.y;
  // Piecewise gradient: ImGui interpolates each piece linearly, close enough with 32 pieces.
  constexpr int kPieces = 32;
  for (int k = 0; k < kPieces; ++k) {
    const float ya = y_top + (y_bottom - y_top) * k / kPieces, yb = y_top + (y_bottom - y_top) * (k + 1) / kPieces;
    const ImU32 ca = to_u32(viz::colormap(cm, 1.0 - double(k) / kPieces));
    const ImU32 cb = to_u32(viz::colormap(cm, 1.0 - double(k + 1) / kPieces));
    dl->AddRectFilledMultiColor(ImVec2(x0, ya), ImVec2(x1, yb), ca, ca, cb, cb);
  }
  const ImU32 line_col = ImGui::GetColorU32(ImGuiCol_TextDisabled), text_col = ImGui::GetColorU32(ImGuiCol_Text);
  dl->AddRect(ImVec2(x0, y_top), ImVec2(x1, y_bottom), line_col);
  for (size_t i = 0; i < bar.ticks.size(); ++i) {
    const float y = float(viz::to_pixel(range, bar.ticks[i], y_bottom, y_top));
    dl->AddLine(ImVec2(x1, y), ImVec2(x1 + tick_length(), y), line_col);
    dl->AddText(ImVec2(x1 + tick_length() + pad(), y - fs / 2), text_col, bar.labels[i].c_str());
  }
  if (label) {
    const float left = f.t.pixel_max.x + pad();
    const std::string shown = Ellipsized(label, f.outer_max.x - left);
    const float w = text_width(shown);
    dl->AddText(ImVec2(std::max(left, std::min((x0 + x1 - w) / 2, f.outer_max.x - w)), f.outer_min.y + pad()), text_col,
                shown.c_str());
  }
}

}  // namespace

HeatMapResult HeatMap(const char* id, const float* values, int cols, int rows, const HeatMapOptions& o) {
  const ImVec2 size = widget_size(o.size, 18);
  const bool has_data = values && cols > 0 && rows > 0;
  const size_t n = has_data ? size_t(cols) * rows : 0;
  const viz::Axis range = with_fixed(viz::auto_range(values, n, false, 0), o.v_min, o.v_max);
  const ColorBar bar = o.colorbar ? measure_color_bar(range, size.y - em() * 3) : ColorBar{};
  const FrameText text{o.title, o.x_label, o.y_label, o.colorbar && o.colorbar_label};
  const ImGuiID key = ImGui::GetID(id);  // the widget's ID, names its texture
  const Frame f = begin_frame(id, size, {o.x_min, o.x_max, false}, {o.y_min, o.y_max, false}, text, bar.width);
  if (!f.visible) return result_of(f);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  // The grid's corners on screen (the data rect may be reversed or partly outside the axes).
  const ImVec2 g0 = f.t.to_pixel(o.x_min, o.y_max), g1 = f.t.to_pixel(o.x_max, o.y_min);
  if (has_data) {
    dl->PushClipRect(f.t.pixel_min, f.t.pixel_max, true);
    const ImTextureID tex = cached_texture(
        key, content_hash(values, n, range, o.colormap, cols, rows), cols, rows, [&](unsigned char* rgba) {
          for (size_t i = 0; i < n; ++i) write_rgba(rgba + 4 * i, viz::colormap(o.colormap, unit(range, values[i])));
        });
    if (tex) {
      dl->AddImage(tex, g0, g1);
    } else {
      for (int r = 0; r < rows; ++r) {
        const float ya = g0.y + (g1.y - g0.y) * r / rows, yb = g0.y + (g1.y - g0.y) * (r + 1) / rows;
        for (int c = 0; c < cols; ++c) {
          const float xa = g0.x + (g1.x - g0.x) * c / cols, xb = g0.x + (g1.x - g0.x) * (c + 1) / cols;
          dl->AddRectFilled(ImVec2(xa, ya), ImVec2(xb, yb),
                            value_color(o.colormap, range, values[size_t(r) * cols + c]));
        }
      }
    }
    dl->PopClipRect();
  }
  if (o.colorbar) draw_color_bar(bar, f, range, o.colormap, o.colorbar_label);
  draw_axes(f, text);

  if (f.hovered) {
    ImGui::BeginTooltip();
    const double x = f.t.data_x(f.mouse.x), y = f.t.data_y(f.mouse.y);
    tooltip_xy(x, y);
    const int c = int(std::floor((f.mouse.x - g0.x) / (g1.x - g0.x) * cols));
    const int r = int(std::floor((f.mouse.y - g0.y) / (g1.y - g0.y) * rows));
    if (has_data && c >= 0 && c < cols && r >= 0 && r < rows)
      ImGui::Text(tr("common.heatmap_value"), viz::format_tick(values[size_t(r) * cols + c]).c_str());
    ImGui::EndTooltip();
  }
  return result_of(f);
}

// ---------------------------------------------------------------------------------------------
// Image grids

namespace {
constexpr float kImageGapEm = 0.3f;   // between images of a grid
constexpr float kCaptionEm = 1.15f;   // a caption's row under an image, with its gap
}  // namespace

float ImageGridCellEm(float width, int columns, float min_em, float max_em) {
  return std::clamp(((width - 1) / em() + kImageGapEm) / float(std::max(1, columns)) - kImageGapEm, min_em, max_em);
}

float FitImageGridCellEm(int columns, int rows, bool captions, bool fit_height, float min_em, float max_em,
                         float width_share) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float across = (avail.x * width_share / em() + kImageGapEm) / float(std::max(1, columns)) - kImageGapEm;
  float cell = across;
  if (fit_height)
    cell = std::max(min_em, std::min(cell, (avail.y / em() + kImageGapEm) / float(std::max(1, rows)) - kImageGapEm -
                                               (captions ? kCaptionEm : 0)));
  return std::max(0.5f, std::floor(std::min({cell, across, max_em}) * 20) / 20);
}

ImageGridResult ImageGrid(const char* id, const float* pixels, int count, int width, int height,
                          const ImageGridOptions& o) {
  ImageGridResult result;
  if (!pixels || count <= 0 || width <= 0 || height <= 0) return result;
  const float fs = em();
  const float gap = fs * kImageGapEm;
  const float side = std::max(4.0f, o.cell_size * fs);
  const float img_w = side * float(width) / float(std::max(width, height));
  const float img_h = side * float(height) / float(std::max(width, height));
  const float caption_h = o.captions ? fs * kCaptionEm : 0;
  const float cell_w = img_w + gap, cell_h = img_h + caption_h + gap;
  const int columns = o.columns > 0 ? o.columns : std::max(1, int((ImGui::GetContentRegionAvail().x + gap) / cell_w));
  const int grid_cols = std::min(columns, count), grid_rows = (count + columns - 1) / columns;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImGuiID key = ImGui::GetID(id);
  ImGui::InvisibleButton(id, ImVec2(grid_cols * cell_w - gap, grid_rows * cell_h - gap));
  if (!ImGui::IsItemVisible()) return result;

  auto cell_origin = [&](int i) { return offset(origin, float(i % columns) * cell_w, float(i / columns) * cell_h); };
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsItemHovered()) {
    const int c = int((mouse.x - origin.x) / cell_w), r = int((mouse.y - origin.y) / cell_h);
    const int i = r * columns + c;
    const ImVec2 p = cell_origin(i);
    if (c >= 0 && c < columns && r >= 0 && i < count && mouse.x < p.x + img_w && mouse.y < p.y + img_h + caption_h)
      result.hovered = i;
  }
  if (result.hovered >= 0 && ImGui::IsItemClicked(ImGuiMouseButton_Left)) result.clicked = result.hovered;

  // Texture atlas: images in a near-square block, independent of the on-screen column count so
  // resizing the window does not re-upload.
  const int atlas_cols = int(std::ceil(std::sqrt(double(count))));
  const int atlas_rows = (count + atlas_cols - 1) / atlas_cols;
  const int atlas_w = atlas_cols * width, atlas_h = atlas_rows * height;
  const size_t image_n = size_t(width) * height;
  const viz::Axis range = viz::sanitized({o.v_min, o.v_max, false});
  const ImTextureID tex = cached_texture(
      key, content_hash(pixels, image_n * count, range, o.colormap, atlas_w, atlas_h), atlas_w, atlas_h,
      [&](unsigned char* rgba) {
        std::memset(rgba, 0, size_t(atlas_w) * atlas_h * 4);
        for (int i = 0; i < count; ++i)
          for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
              const size_t at =
                  (size_t((i / atlas_cols) * height + y) * atlas_w + size_t((i % atlas_cols) * width + x)) * 4;
              write_rgba(rgba + at,
                         viz::colormap(o.colormap, unit(range, pixels[image_n * i + size_t(y) * width + x])));
            }
      });

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const float px_w = img_w / float(width), px_h = img_h / float(height);
  for (int i = 0; i < count; ++i) {
    const ImVec2 p = cell_origin(i), q = offset(p, img_w, img_h);
    if (tex) {
      const float u0 = float(i % atlas_cols) / float(atlas_cols), v0 = float(i / atlas_cols) / float(atlas_rows);
      dl->AddImage(tex, p, q, ImVec2(u0, v0), ImVec2(u0 + 1.0f / float(atlas_cols), v0 + 1.0f / float(atlas_rows)));
    } else {
      for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
          dl->AddRectFilled(offset(p, x * px_w, y * px_h), offset(p, (x + 1) * px_w, (y + 1) * px_h),
                            value_color(o.colormap, range, pixels[image_n * i + size_t(y) * width + x]));
    }
    if (i == o.selected)
      dl->AddRect(offset(p, -gap * 0.5f, -gap * 0.5f), offset(q, gap * 0.5f, gap * 0.5f),
                  ImGui::GetColorU32(ImGuiCol_CheckMark), 0, 0, std::max(1.0f, fs * 0.15f));
    else if (i == result.hovered)
      dl->AddRect(offset(p, -1, -1), offset(q, 1, 1), ImGui::GetColorU32(ImGuiCol_Text, 0.6f));
    if (o.captions && o.captions[i]) {
      const std::string caption = Ellipsized(o.captions[i], img_w + gap * 0.5f);
      const float w = text_width(caption);
      dl->AddText(ImVec2(p.x + (img_w - w) / 2, q.y + gap * 0.25f), o.caption_colors ? o.caption_colors[i] : text_col,
                  caption.c_str());
    }
  }

  if (result.hovered >= 0) {
    const int i = result.hovered;
    const ImVec2 p = cell_origin(i);
    ImGui::BeginTooltip();
    ImGui::Text("#%d%s%s", i, o.captions && o.captions[i] ? "  " : "",
                o.captions && o.captions[i] ? o.captions[i] : "");
    const int x = int((mouse.x - p.x) / px_w), y = int((mouse.y - p.y) / px_h);
    if (x >= 0 && x < width && y >= 0 && y < height)
      ImGui::Text(tr("common.image_pixel"), x, y, viz::format_tick(pixels[image_n * i + size_t(y) * width + x]).c_str());
    ImGui::EndTooltip();
  }
  return result;
}

}  // namespace ll::ui
