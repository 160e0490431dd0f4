// [overview] The four families of deep generative models side by side, drawn as box diagrams
// (GAN: z → G → G(z) → D ← x; VAE: x → q(z|x) → z → p(x|z) → x′; flow: x ⇄ f / f⁻¹ ⇄ z;
// diffusion: a noising chain and its learned reverse), each with the one line it optimises and
// a button that opens its lesson (disabled, "coming", while that lesson does not exist yet).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/i18n.hpp"

namespace ll::ui {

namespace {

using namespace prob_ui;

struct Node {
  const char* label;
  int col;            // column of the diagram, left to right
  float y;            // centre, in units of the panel's height
  bool model = true;  // a learned network (filled with the family colour) or a variable
};

struct Edge {
  int from, to;
  bool curved_back = false;     // drawn below the boxes (the reverse direction)
  const char* label = nullptr;  // small text beside the arrow
};

struct Family {
  const char* state_name;  // in state() and command messages, English: "GAN", "Flow", ...
  const char* name;        // shown: short, beside its diagram
  const char* long_name;   // shown: in the list of objectives
  const char* lesson_id;
  const char* objective;   // one line: what it optimises
  const char* detail;      // tooltip
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  int color;
  float height_em;  // the diagram's height at full text size, in font heights
};

// In the current language: built again each frame it is drawn, so a language switch shows at once.
std::vector<Family> families() {
  return {
      {"GAN", tr("overview.gan"), tr("overview.gan_long"), "gan", tr("overview.gan_objective"),
       tr("overview.gan_detail"),
       {{"z", 0, 0.22f, false}, {"G", 1, 0.22f}, {"G(z)", 2, 0.22f, false},
        {tr("overview.node_data"), 2, 0.78f, false}, {"D", 3, 0.5f}, {tr("overview.node_p_real"), 4, 0.5f, false}},
       {{0, 1}, {1, 2}, {2, 4, false, tr("overview.edge_fake")}, {3, 4, false, tr("overview.edge_real")}, {4, 5}},
       0, 5.4f},
      {"VAE", tr("overview.vae"), tr("overview.vae_long"), "vae", tr("overview.vae_objective"),
       tr("overview.vae_detail"),
       {{"x", 0, 0.5f, false}, {"q(z|x)", 1, 0.5f}, {"z", 2, 0.5f, false},
        {"p(x|z)", 3, 0.5f}, {"x′", 4, 0.5f, false}},
       {{0, 1}, {1, 2}, {2, 3}, {3, 4}},
       1, 2.2f},
      {"Flow", tr("overview.flow"), tr("overview.flow_long"), "flow", tr("overview.flow_objective"),
       tr("overview.flow_detail"),
       {{"x", 0, 0.42f, false}, {"f  /  f⁻¹", 1, 0.42f}, {"z", 2, 0.42f, false}},
       {{0, 1, false, "f"}, {1, 2}, {2, 1, true, tr("overview.edge_sample")}, {1, 0, true}},
       2, 5.0f},
      {"Diffusion", tr("overview.diffusion"), tr("overview.diffusion_long"), "diffusion",
       tr("overview.diffusion_objective"), tr("overview.diffusion_detail"),
       {{"x₀", 0, 0.42f, false}, {"x₁", 1, 0.42f, false}, {"…", 2, 0.42f, false},
        {"x_{T−1}", 3, 0.42f, false}, {"x_T", 4, 0.42f, false}},
       {{0, 1, false, tr("overview.edge_add_noise")}, {1, 2}, {2, 3}, {3, 4}, {4, 3, true, tr("overview.edge_denoise")},
        {3, 2, true}, {2, 1, true}, {1, 0, true}},
       3, 5.0f},
  };
}

// The diagrams are drawn at a text scale s of the font (1 = the UI's text size), so that all
// four fit the figure's space on a projector as on a laptop.
constexpr float kColumnGapEm = 1.3f;  // between box columns, room for an arrow
constexpr float kNameGapEm = 0.8f;    // after the family's name at the panel's left

ImVec2 text_size(const char* text, float font_px) {
  return ImGui::GetFont()->CalcTextSizeA(font_px, FLT_MAX, 0, text);
}

int column_count(const Family& f) {
  int n = 0;
  for (const Node& node : f.nodes) n = std::max(n, node.col + 1);
  return n;
}

// Width of each column's boxes at text size font_px.
std::vector<float> column_widths(const Family& f, float font_px) {
  std::vector<float> w(size_t(column_count(f)), 0.0f);
  for (const Node& n : f.nodes) w[size_t(n.col)] = std::max(w[size_t(n.col)], text_size(n.label, font_px).x + font_px);
  return w;
}

float names_width(const std::vector<Family>& fams, float font_px) {
  float w = 0;
  for (const Family& f : fams) w = std::max(w, text_size(f.name, font_px).x);
  return w + kNameGapEm * font_px;
}

// The width the diagram needs at text scale 1, in pixels (the name column excluded).
float diagram_width(const Family& f) {
  const float fs = ImGui::GetFontSize();
  float w = 0;
  for (float c : column_widths(f, fs)) w += c;
  return w + kColumnGapEm * fs * float(column_count(f));
}

void draw_arrow_scaled(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 color, float thickness, float font_px) {
  const float dx = to.x - from.x, dy = to.y - from.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1) return;
  const float ux = dx / len, uy = dy / len, head = std::min(font_px * 0.5f, len * 0.6f);
  const ImVec2 base(to.x - ux * head, to.y - uy * head);
  dl->AddLine(from, base, color, thickness);
  dl->AddTriangleFilled(to, ImVec2(base.x - uy * head * 0.5f, base.y + ux * head * 0.5f),
                        ImVec2(base.x + uy * head * 0.5f, base.y - ux * head * 0.5f), color);
}

// One family's diagram in the rectangle origin…origin+size: its name at the left, then its
// columns of boxes spread over the rest, all text at font_px.
void draw_family_diagram(const Family& f, ImVec2 origin, ImVec2 size, float name_w, float font_px) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* font = ImGui::GetFont();
  const float fs = font_px;
  const ImU32 accent = category_u32(f.color, 255), fill = category_u32(f.color, 70);
  const ImU32 line = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 back = category_u32(f.color, 200);
  const float thick = std::max(1.5f, fs * 0.09f);
  dl->AddRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), ImGui::GetColorU32(ImGuiCol_Border),
              ImGui::GetFontSize() * 0.3f);
  const ImVec2 name_size = text_size(f.name, fs);
  dl->AddText(font, fs, ImVec2(origin.x + fs * 0.4f, origin.y + 0.5f * (size.y - name_size.y)), accent, f.name);

  const std::vector<float> cols = column_widths(f, fs);
  float used = 0;
  for (float c : cols) used += c;
  const float left = origin.x + name_w, width = size.x - name_w;
  const float gap = std::max(0.0f, (width - used) / float(cols.size()));
  std::vector<float> col_x(cols.size());
  float x = left + 0.5f * gap;
  for (size_t c = 0; c < cols.size(); ++c) {
    col_x[c] = x + 0.5f * cols[c];
    x += cols[c] + gap;
  }
  std::vector<ImVec2> centre(f.nodes.size()), half(f.nodes.size());
  for (size_t i = 0; i < f.nodes.size(); ++i) {
    const Node& n = f.nodes[i];
    centre[i] = ImVec2(col_x[size_t(n.col)], origin.y + n.y * size.y);
    half[i] = ImVec2(text_size(n.label, fs).x * 0.5f + fs * 0.5f, fs * 0.75f);
  }
  // Arrows run from box edge to box edge; reverse arrows (f⁻¹, denoising) run under the boxes.
  auto edge_point = [](ImVec2 c, ImVec2 h, float dx, float dy) {
    const float tx = std::fabs(dx) > 1e-6f ? h.x / std::fabs(dx) : 1e9f, ty = std::fabs(dy) > 1e-6f ? h.y / std::fabs(dy) : 1e9f;
    const float t = std::min(tx, ty);
    return ImVec2(c.x + dx * t, c.y + dy * t);
  };
  for (const Edge& e : f.edges) {
    const ImVec2 ca = centre[size_t(e.from)], cb = centre[size_t(e.to)];
    if (e.curved_back) {
      const float y = std::max(ca.y + half[size_t(e.from)].y, cb.y + half[size_t(e.to)].y) + fs * 0.6f;
      const float nudge = (cb.x < ca.x ? 1.0f : -1.0f) * fs * 0.35f;  // keeps a node's in and out lines apart
      const ImVec2 start(ca.x - nudge, ca.y + half[size_t(e.from)].y), end(cb.x + nudge, cb.y + half[size_t(e.to)].y);
      const ImVec2 a(start.x, y), b(end.x, y);
      dl->AddLine(start, a, back, thick);
      dl->AddLine(a, b, back, thick);
      draw_arrow_scaled(dl, b, end, back, thick, fs);
      if (e.label) {
        const ImVec2 ts = text_size(e.label, fs);
        dl->AddText(font, fs, ImVec2(0.5f * (a.x + b.x - ts.x), y + fs * 0.1f), back, e.label);
      }
      continue;
    }
    const float dx = cb.x - ca.x, dy = cb.y - ca.y, len = std::sqrt(dx * dx + dy * dy);
    if (len < 1) continue;
    const ImVec2 a = edge_point(ca, half[size_t(e.from)], dx / len, dy / len);
    const ImVec2 b = edge_point(cb, half[size_t(e.to)], -dx / len, -dy / len);
    draw_arrow_scaled(dl, a, b, line, thick, fs);
    if (!e.label) continue;
    const ImVec2 ts = text_size(e.label, fs), mid(0.5f * (a.x + b.x), 0.5f * (a.y + b.y));
    if (std::fabs(dy) < 0.2f * std::fabs(dx)) {
      // Above the boxes' top edge, so a label longer than its arrow still reads.
      dl->AddText(font, fs, ImVec2(mid.x - 0.5f * ts.x, mid.y - fs * 0.8f - ts.y), line, e.label);
    } else {
      // Beside a slanted arrow, on its right-hand side (away from where it starts).
      const float nx = std::fabs(dy) / len, ny = (dy > 0 ? -1.0f : 1.0f) * std::fabs(dx) / len;
      const ImVec2 p(mid.x + nx * fs * 0.3f, mid.y + ny * fs * 0.3f);
      dl->AddText(font, fs, ImVec2(p.x, ny < 0 ? p.y - ts.y : p.y), line, e.label);
    }
  }
  for (size_t i = 0; i < f.nodes.size(); ++i) {
    const ImVec2 lo(centre[i].x - half[i].x, centre[i].y - half[i].y);
    const ImVec2 hi(centre[i].x + half[i].x, centre[i].y + half[i].y);
    const bool model = f.nodes[i].model;
    dl->AddRectFilled(lo, hi, model ? fill : ImGui::GetColorU32(ImGuiCol_FrameBg), fs * 0.3f);
    dl->AddRect(lo, hi, model ? accent : ImGui::GetColorU32(ImGuiCol_Border), fs * 0.3f, 0, std::max(1.5f, fs * 0.08f));
    const ImVec2 ts = text_size(f.nodes[i].label, fs);
    dl->AddText(font, fs, ImVec2(0.5f * (lo.x + hi.x - ts.x), 0.5f * (lo.y + hi.y - ts.y)), line, f.nodes[i].label);
  }
}

class OverviewLesson : public Lesson {
 public:
  const char* id() const override { return "overview"; }
  const char* title() const override { return tr("lessons.overview"); }
  const char* group() const override { return tr("groups.generative"); }
  void show() override { ShowLessonOverview(); }

  CommandResult command(const std::vector<std::string>& w) override {
    if (w[0] != "overview") return {};
    if (w.size() == 3 && w[1] == "open") {
      for (const Family& f : families_)
        if (w[2] == f.lesson_id) return open_family(f);
      return {false, "no family with lesson '" + w[2] + "' (gan, vae, flow, diffusion)"};
    }
    return {false, "usage: overview open gan|vae|flow|diffusion"};
  }

  nlohmann::json state() const override {
    nlohmann::json fams = nlohmann::json::array();
    for (const Family& f : families_)
      fams.push_back({{"name", f.state_name}, {"lesson", f.lesson_id}, {"available", available(f)}});
    return {{"families", fams}};
  }

 private:
  bool available(const Family& f) const { return has_lesson && has_lesson(f.lesson_id); }
  CommandResult open_family(const Family& f) {
    if (!available(f) || !open_lesson) return {false, std::string("the ") + f.state_name + " lesson is coming"};
    open_lesson(f.lesson_id);
    return {true, std::string("opened ") + f.lesson_id};
  }

  // The four diagrams, one under another or two by two (whichever lets their text be larger),
  // filling the space left; a click on a diagram opens its lesson.
  void show_diagrams() {
    const float fs = ImGui::GetFontSize(), gap = ImGui::GetStyle().ItemSpacing.y;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float avail_h = std::max(Em(10), avail.y - gap);
    const float name_w1 = names_width(families_, fs) / fs;  // in font heights at scale 1
    float widest = 0;
    for (const Family& f : families_) widest = std::max(widest, diagram_width(f) / fs + name_w1);
    // Text scale that fits, for one column and for two.
    float sum_h = 0;
    for (const Family& f : families_) sum_h += f.height_em;
    const float rows2_h = std::max(families_[0].height_em, families_[1].height_em) +
                          std::max(families_[2].height_em, families_[3].height_em);
    const float s1 = std::min(avail.x / (widest * fs), (avail_h - 3 * gap) / (sum_h * fs));
    const float s2 = std::min((avail.x - gap) * 0.5f / (widest * fs), (avail_h - gap) / (rows2_h * fs));
    const int cols = s2 >= s1 ? 2 : 1;
    const float scale = std::clamp(std::max(s1, s2), 0.45f, 1.3f);
    const float font_px = fs * scale, name_w = names_width(families_, font_px);
    const float panel_w = cols == 2 ? (avail.x - gap) * 0.5f : avail.x;

    // Rows at the diagrams' heights for this text size, stretched (up to half as much again)
    // into the height left over.
    const int rows = int(families_.size()) / cols;
    std::vector<float> row_hs;
    float rows_sum = 0;
    for (size_t i = 0; i < families_.size(); i += size_t(cols)) {
      float row_h = 0;
      for (size_t j = i; j < i + size_t(cols) && j < families_.size(); ++j)
        row_h = std::max(row_h, families_[j].height_em * font_px);
      row_hs.push_back(row_h);
      rows_sum += row_h;
    }
    const float stretch = std::clamp((avail_h - float(rows - 1) * gap) / rows_sum, 1.0f, 1.5f);

    ImGui::BeginGroup();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    float y = origin.y;
    for (size_t i = 0; i < families_.size(); i += size_t(cols)) {
      const float row_h = std::floor(row_hs[i / size_t(cols)] * stretch);
      for (size_t j = i; j < i + size_t(cols) && j < families_.size(); ++j) {
        const Family& f = families_[j];
        const ImVec2 p(origin.x + float(j - i) * (panel_w + gap), y);
        ImGui::SetCursorScreenPos(p);
        ImGui::InvisibleButton(f.lesson_id, ImVec2(panel_w, row_h));
        if (ImGui::IsItemClicked()) open_family(f);
        if (ImGui::IsItemHovered()) {
          ImGui::BeginTooltip();
          ImGui::PushTextWrapPos(Em(30));
          ImGui::TextUnformatted(f.detail);
          ImGui::TextDisabled("%s", available(f) ? tr("overview.click_to_open") : tr("overview.lesson_coming"));
          ImGui::PopTextWrapPos();
          ImGui::EndTooltip();
        }
        draw_family_diagram(f, p, ImVec2(panel_w, row_h), name_w, font_px);
      }
      y += row_h + gap;
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(ImVec2(avail.x, y - gap - origin.y));
    ImGui::EndGroup();
    MainFigure("four families");
  }

  // The families' objectives and buttons, beside the diagrams.
  void show_objectives() {
    for (const Family& f : families_) {
      ImGui::PushStyleColor(ImGuiCol_Text, category_u32(f.color));
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(f.long_name);
      ImGui::PopStyleColor();
      const bool ok = available(f);
      ImGui::PushID(f.lesson_id);
      SameLineIfFits(ButtonWidth(trl("overview.open_lesson")));
      ImGui::BeginDisabled(!ok);
      if (ImGui::Button(trl("overview.open_lesson"))) open_family(f);
      ImGui::EndDisabled();
      if (!ok && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr("overview.coming"));
      ImGui::PopID();
      HelpMarker(f.detail);
      ImGui::TextWrapped("%s", f.objective);
    }
  }

  void ShowLessonOverview() {
    families_ = families();
    LessonPanes(
        [this] {
          ImGui::TextWrapped("%s", tr("overview.intro"));
          show_objectives();
          SectionHeading(tr("overview.underneath"));
          const struct {
            const char* id;
            const char* label;
          } basics[] = {{"bayes", trl("overview.basics_bayes")},
                        {"mle-kl", trl("overview.basics_mle_kl")},
                        {"gmm", trl("overview.basics_gmm")}};
          bool first = true;
          for (const auto& b : basics) {
            if (!first) SameLineIfFits(ButtonWidth(b.label));
            first = false;
            const bool ok = has_lesson && has_lesson(b.id);
            ImGui::BeginDisabled(!ok);
            if (ImGui::Button(b.label) && open_lesson) open_lesson(b.id);
            ImGui::EndDisabled();
          }
          TextDisabledWrapped(tr("overview.basics_note"));
        },
        [this] { show_diagrams(); });
  }

  std::vector<Family> families_ = families();
};

}  // namespace

std::unique_ptr<Lesson> make_lesson_overview() { return std::make_unique<OverviewLesson>(); }

}  // namespace ll::ui
