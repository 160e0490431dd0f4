#include "lessons/layout_check.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include "imgui.h"
#include "imgui_internal.h"
#include "ml/text/tokenize.hpp"

namespace ll::ui {

namespace {

struct MainFigureRecord {
  bool declared = false;
  std::string name;
  ImVec2 min, max, clip_min, clip_max;
};
MainFigureRecord main_figure;

constexpr size_t kMaxProblems = 12;

// Glyphs are found in the draw data by their texture coordinates: a glyph quad's first vertex
// carries its glyph's (U0, V0) and its third (U1, V1).
uint64_t uv_key(float u, float v) {
  uint32_t a, b;
  std::memcpy(&a, &u, 4);
  std::memcpy(&b, &v, 4);
  return uint64_t(a) << 32 | b;
}

struct GlyphQuad {
  ImVec2 min, max;  // on screen
  ImVec4 clip;      // its command's clip rectangle
  int run = -1;
};

struct Run {
  std::string text;
  ImVec4 rect{FLT_MAX, FLT_MAX, -FLT_MAX, -FLT_MAX};  // min x, min y, max x, max y of its glyphs
  int draw_list = 0;
  float line_y = 0, pen_end = 0, scale = 0;
  bool cut = false;
};

// A glyph that ImGui clipped on the CPU lost more than anti-aliasing fringes at its left or right.
bool clipped_x_cut(const GlyphQuad& whole, ImVec2 drawn_min, ImVec2 drawn_max, float tol) {
  return drawn_min.x > whole.min.x + tol || drawn_max.x < whole.max.x - tol;
}

void add_problem(LayoutReport& r, std::string text) {
  if (r.problems.size() < kMaxProblems) r.problems.push_back(std::move(text));
}

// The first 60 bytes or so, never cut inside a UTF-8 sequence.
std::string in_quotes(const std::string& s) {
  if (s.size() <= 60) return "'" + s + "'";
  size_t end = 60;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return "'" + s.substr(0, end) + "…'";
}

}  // namespace

void clear_main_figure() { main_figure = {}; }

void record_main_figure(const char* name, ImVec2 min, ImVec2 max, ImVec2 clip_min, ImVec2 clip_max) {
  main_figure = {true, name, min, max, clip_min, clip_max};
}

nlohmann::json LayoutReport::to_json() const {
  return {{"text_runs", text_runs},
          {"cut_text", cut_text},
          {"overlapping_text", overlapping_text},
          {"overflowing_windows", overflowing_windows},
          {"main_figure", main_figure},
          {"main_figure_visible", main_figure_visible},
          {"main_figure_share", main_figure_share},
          {"problems", problems}};
}

LayoutReport check_layout() {
  LayoutReport report;
  ImGuiContext* ctx = ImGui::GetCurrentContext();
  ImDrawData* data = ctx ? ImGui::GetDrawData() : nullptr;
  if (!data || !data->Valid) return report;
  ImGuiContext& g = *ctx;
  const ImVec2 display = ImGui::GetIO().DisplaySize;

  std::unordered_map<uint64_t, const ImFontGlyph*> glyphs;
  // Glyphs by the cells of a grid over the atlas their texture rectangles touch, to find the
  // glyph a quad came from when ImGui clipped it on the CPU (then its coordinates are cut too).
  constexpr int kUvGrid = 64;
  std::vector<std::vector<const ImFontGlyph*>> glyph_cells(kUvGrid * kUvGrid);
  auto uv_cell = [](float u) { return std::clamp(int(u * kUvGrid), 0, kUvGrid - 1); };
  for (const ImFont* font : ImGui::GetIO().Fonts->Fonts)
    for (const ImFontGlyph& glyph : font->Glyphs) {
      glyphs.emplace(uv_key(glyph.U0, glyph.V0), &glyph);
      if (!glyph.Visible) continue;
      for (int cy = uv_cell(glyph.V0); cy <= uv_cell(glyph.V1); ++cy)
        for (int cx = uv_cell(glyph.U0); cx <= uv_cell(glyph.U1); ++cx) glyph_cells[size_t(cy * kUvGrid + cx)].push_back(&glyph);
    }
  // A quad whose texture rectangle lies inside a glyph's but is smaller: a glyph cut by ImGui's
  // CPU clipping (clipped buttons, combo previews, slider values).
  auto cut_glyph = [&](ImVec2 uv0, ImVec2 uv1) -> const ImFontGlyph* {
    const float eps = 1e-6f;
    for (const ImFontGlyph* g : glyph_cells[size_t(uv_cell(uv0.y) * kUvGrid + uv_cell(uv0.x))])
      if (uv0.x >= g->U0 - eps && uv0.y >= g->V0 - eps && uv1.x <= g->U1 + eps && uv1.y <= g->V1 + eps &&
          (uv0.x > g->U0 + eps || uv0.y > g->V0 + eps || uv1.x < g->U1 - eps || uv1.y < g->V1 - eps))
        return g;
    return nullptr;
  };

  // Which window drew each list: vertical cuts count only where the window cannot scroll to
  // them, and overlaps only within one root window (a tooltip over text is no overlap).
  std::unordered_map<const ImDrawList*, const ImGuiWindow*> window_of;
  for (const ImGuiWindow* w : g.Windows)
    if (w->Active) window_of[w->DrawList] = w;

  std::vector<Run> runs;
  std::vector<GlyphQuad> quads;
  std::vector<const ImGuiWindow*> root_of_list(size_t(data->CmdListsCount), nullptr);
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    auto w = window_of.find(list);
    const ImGuiWindow* window = w == window_of.end() ? nullptr : w->second;
    root_of_list[size_t(l)] = window ? window->RootWindow : nullptr;
    // Text cut at a bottom or top edge is only lost if no window around it scrolls to it.
    // A window scrolls from the frame after its content outgrows it: in the frame that grows it
    // (a table filling when its data arrives) ScrollMax is still 0, yet nothing is lost.
    bool can_scroll_y = false;
    for (const ImGuiWindow* w = window; w && !can_scroll_y; w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr)
      can_scroll_y = w->ScrollMax.y > 0 ||
                     (!(w->Flags & ImGuiWindowFlags_NoScrollbar) && w->DC.CursorMaxPos.y > w->InnerRect.Max.y + 0.5f);
    int current_run = -1;
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback || cmd.TextureId != ImGui::GetIO().Fonts->TexID) continue;
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
      for (unsigned i = 0; i + 6 <= cmd.ElemCount;) {
        const unsigned v = idx[i];
        const bool quad_pattern = idx[i + 1] == v + 1 && idx[i + 2] == v + 2 && idx[i + 3] == v &&
                                  idx[i + 4] == v + 2 && idx[i + 5] == v + 3;
        auto found = quad_pattern ? glyphs.find(uv_key(vtx[v].uv.x, vtx[v].uv.y)) : glyphs.end();
        const bool whole = found != glyphs.end() && vtx[v + 2].uv.x == found->second->U1 && vtx[v + 2].uv.y == found->second->V1;
        const ImFontGlyph* clipped = quad_pattern && !whole ? cut_glyph(vtx[v].uv, vtx[v + 2].uv) : nullptr;
        if (!whole && !clipped) {
          i += 3;
          continue;
        }
        i += 6;
        const ImFontGlyph& glyph = whole ? *found->second : *clipped;
        GlyphQuad q{vtx[v].pos, vtx[v + 2].pos, cmd.ClipRect};
        if (clipped) {
          // Where the whole glyph would have been: its texture rectangle maps onto the quad.
          const float su = (q.max.x - q.min.x) / std::max(1e-9f, vtx[v + 2].uv.x - vtx[v].uv.x);
          const float sv = (q.max.y - q.min.y) / std::max(1e-9f, vtx[v + 2].uv.y - vtx[v].uv.y);
          q.min = ImVec2(q.min.x - (vtx[v].uv.x - glyph.U0) * su, q.min.y - (vtx[v].uv.y - glyph.V0) * sv);
          q.max = ImVec2(q.max.x + (glyph.U1 - vtx[v + 2].uv.x) * su, q.max.y + (glyph.V1 - vtx[v + 2].uv.y) * sv);
        }
        const float gh = glyph.Y1 - glyph.Y0, gw = glyph.X1 - glyph.X0;
        const float scale = gh > 0 ? (q.max.y - q.min.y) / gh : gw > 0 ? (q.max.x - q.min.x) / gw : 1;
        const float line_y = q.min.y - glyph.Y0 * scale, pen = q.min.x - glyph.X0 * scale;
        const float font_px = ImGui::GetIO().Fonts->Fonts[0]->FontSize * scale;
        // A glyph continues the run when it sits on the same line just after the previous one.
        bool continues = false;
        if (current_run >= 0) {
          const Run& r = runs[size_t(current_run)];
          continues = r.draw_list == l && std::fabs(r.line_y - line_y) < 1.0f && std::fabs(r.scale - scale) < 1e-3f &&
                      pen > r.pen_end - 0.5f * font_px && pen < r.pen_end + 1.2f * font_px;
        }
        if (!continues) {
          current_run = int(runs.size());
          runs.push_back({"", ImVec4(FLT_MAX, FLT_MAX, -FLT_MAX, -FLT_MAX), l, line_y, pen, scale, false});
        }
        Run& run = runs[size_t(current_run)];
        if (continues && pen > run.pen_end + 0.2f * font_px) run.text += ' ';
        text::append_utf8(run.text, glyph.Codepoint);
        run.pen_end = pen + glyph.AdvanceX * scale;
        run.rect = ImVec4(std::min(run.rect.x, q.min.x), std::min(run.rect.y, q.min.y), std::max(run.rect.z, q.max.x),
                          std::max(run.rect.w, q.max.y));

        const float tol = 1.0f + 0.05f * font_px;
        const bool outside_x = q.max.x <= q.clip.x || q.min.x >= q.clip.z;
        const bool outside_y = q.max.y <= q.clip.y || q.min.y >= q.clip.w;
        if (outside_x || outside_y) continue;  // not on screen at all
        if (q.min.x < q.clip.x - tol || q.max.x > q.clip.z + tol) run.cut = true;
        if (clipped && (clipped_x_cut(q, vtx[v].pos, vtx[v + 2].pos, tol))) run.cut = true;
        if (!can_scroll_y && (q.min.y < q.clip.y - tol || q.max.y > q.clip.w + tol)) run.cut = true;
        q.run = current_run;
        quads.push_back(q);
      }
    }
  }
  report.text_runs = int(runs.size());
  for (const Run& r : runs) {
    report.runs.push_back(r.text);
    report.run_rects.push_back(r.rect);
  }
  for (const Run& r : runs)
    if (r.cut) {
      ++report.cut_text;
      add_problem(report, "cut: " + in_quotes(r.text));
    }

  // Overlaps: visible parts of glyphs of different runs (same root window) that intersect
  // by more than anti-aliasing fringes; found through a grid of cells.
  constexpr float kCell = 48;
  std::unordered_map<uint64_t, std::vector<int>> cells;
  std::set<std::pair<int, int>> pairs;
  for (int i = 0; i < int(quads.size()); ++i) {
    GlyphQuad& q = quads[size_t(i)];
    q.min = ImVec2(std::max(q.min.x, q.clip.x), std::max(q.min.y, q.clip.y));
    q.max = ImVec2(std::min(q.max.x, q.clip.z), std::min(q.max.y, q.clip.w));
    const int cx0 = int(std::floor(q.min.x / kCell)), cx1 = int(std::floor(q.max.x / kCell));
    const int cy0 = int(std::floor(q.min.y / kCell)), cy1 = int(std::floor(q.max.y / kCell));
    for (int cy = cy0; cy <= cy1; ++cy)
      for (int cx = cx0; cx <= cx1; ++cx) {
        std::vector<int>& cell = cells[uint64_t(uint32_t(cx)) << 32 | uint32_t(cy)];
        for (int j : cell) {
          const GlyphQuad& o = quads[size_t(j)];
          if (o.run == q.run) continue;
          const Run &ra = runs[size_t(q.run)], &rb = runs[size_t(o.run)];
          if (root_of_list[size_t(ra.draw_list)] != root_of_list[size_t(rb.draw_list)]) continue;
          const float w = std::min(q.max.x, o.max.x) - std::max(q.min.x, o.min.x);
          const float h = std::min(q.max.y, o.max.y) - std::max(q.min.y, o.min.y);
          if (w < 2 || h < 2) continue;
          const float smaller = std::min((q.max.x - q.min.x) * (q.max.y - q.min.y), (o.max.x - o.min.x) * (o.max.y - o.min.y));
          if (w * h < 0.15f * smaller) continue;
          const std::pair<int, int> p(std::min(q.run, o.run), std::max(q.run, o.run));
          if (pairs.insert(p).second)
            add_problem(report, "overlap: " + in_quotes(runs[size_t(p.first)].text) + " × " + in_quotes(runs[size_t(p.second)].text));
        }
        cell.push_back(i);
      }
  }
  report.overlapping_text = int(pairs.size());

  for (const ImGuiWindow* w : g.Windows) {
    if (!w->Active || w->Hidden || w->ScrollbarX) continue;
    const float past = w->DC.CursorMaxPos.x - w->InnerRect.Max.x;
    if (past > 1.5f) {
      ++report.overflowing_windows;
      add_problem(report, "overflow: window '" + std::string(w->Name) + "' has items " + std::to_string(int(past)) +
                              " px past its right edge");
    }
  }

  if (main_figure.declared) {
    const MainFigureRecord& m = main_figure;
    report.main_figure_declared = true;
    report.main_figure = m.name;
    const float tol = 1.5f;
    report.main_figure_visible = m.min.x >= std::max(0.0f, m.clip_min.x) - tol &&
                                 m.min.y >= std::max(0.0f, m.clip_min.y) - tol &&
                                 m.max.x <= std::min(display.x, m.clip_max.x) + tol &&
                                 m.max.y <= std::min(display.y, m.clip_max.y) + tol;
    const float area = std::max(0.0f, m.max.x - m.min.x) * std::max(0.0f, m.max.y - m.min.y);
    report.main_figure_share = display.x > 0 && display.y > 0 ? area / (display.x * display.y) : 0;
  }
  return report;
}

}  // namespace ll::ui
