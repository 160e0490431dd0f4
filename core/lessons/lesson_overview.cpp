// [overview] The four families of deep generative models side by side, drawn as box diagrams
// (GAN: z → G → G(z) → D ← x; VAE: x → q(z|x) → z → p(x|z) → x′; flow: x ⇄ f / f⁻¹ ⇄ z;
// diffusion: a noising chain and its learned reverse), each with the one line it optimises and
// a button that opens its lesson (disabled, "coming", while that lesson does not exist yet).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"

namespace ll::ui {

namespace {

using namespace prob_ui;

struct Node {
  const char* label;
  float x, y;         // centre, in units of the panel's width (x) and height (y)
  bool model = true;  // a learned network (filled with the family colour) or a variable
};

struct Edge {
  int from, to;
  bool curved_back = false;     // drawn below the boxes (the reverse direction)
  const char* label = nullptr;  // small text beside the arrow
};

struct Family {
  const char* name;
  const char* lesson_id;
  const char* objective;   // one line: what it optimises
  const char* detail;      // tooltip
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  int color;
};

std::vector<Family> families() {
  return {
      {"GAN", "gan",
       "min_G max_D  E[log D(x)] + E[log(1 − D(G(z)))]: a two-player game, no likelihood.",
       "The generator G turns noise z into samples G(z); the discriminator D scores real x against G(z). "
       "G improves by fooling D. Sharp samples, but no density p(x) and training can collapse onto a few modes.",
       {{"z ~ N(0, I)", 0.11f, 0.22f, false}, {"G", 0.33f, 0.22f}, {"G(z)", 0.52f, 0.22f, false},
        {"x (data)", 0.52f, 0.78f, false}, {"D", 0.73f, 0.5f}, {"p(real)", 0.92f, 0.5f, false}},
       {{0, 1}, {1, 2}, {2, 4, false, "fake"}, {3, 4, false, "real"}, {4, 5}},
       0},
      {"VAE", "vae",
       "max ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)) ≤ log p(x).",
       "An encoder q(z|x) maps data to a distribution over latent codes; a decoder p(x|z) maps codes back. "
       "Training maximises a lower bound on log p(x): reconstruct well, keep q close to the prior p(z).",
       {{"x", 0.07f, 0.5f, false}, {"encoder q(z|x)", 0.30f, 0.5f}, {"z", 0.52f, 0.5f, false},
        {"decoder p(x|z)", 0.74f, 0.5f}, {"x′", 0.94f, 0.5f, false}},
       {{0, 1}, {1, 2}, {2, 3}, {3, 4}},
       1},
      {"Flow", "flow",
       "max exact log p(x) = log p(f(x)) + log |det ∂f/∂x|.",
       "An invertible map f sends data x to Gaussian noise z; f⁻¹ turns noise into samples. The change of "
       "variables gives the exact likelihood, so training is plain maximum likelihood.",
       {{"x", 0.12f, 0.5f, false}, {"f  /  f⁻¹", 0.5f, 0.5f}, {"z ~ N(0, I)", 0.86f, 0.5f, false}},
       {{0, 1, false, "f"}, {1, 2}, {2, 1, true, "f⁻¹: sample"}, {1, 0, true}},
       2},
      {"Diffusion", "diffusion",
       "min E‖ε − ε_θ(x_t, t)‖²: learn to undo each small noising step (a weighted ELBO).",
       "A fixed chain q adds a little Gaussian noise per step until x_T is pure noise; a network learns the "
       "reverse steps p_θ(x_{t−1}|x_t) by predicting the noise that was added. Sampling runs the reverse chain.",
       {{"x₀ (data)", 0.09f, 0.5f, false}, {"x₁", 0.29f, 0.5f, false}, {"…", 0.45f, 0.5f, false},
        {"x_{T−1}", 0.63f, 0.5f, false}, {"x_T (noise)", 0.87f, 0.5f, false}},
       {{0, 1, false, "q: add noise"}, {1, 2}, {2, 3}, {3, 4}, {4, 3, true, "p_θ: denoise"}, {3, 2, true}, {2, 1, true},
        {1, 0, true}},
       3},
  };
}

void draw_family_diagram(const Family& f, ImVec2 origin, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  const ImU32 accent = category_u32(f.color, 255), fill = category_u32(f.color, 70);
  const ImU32 line = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 back = category_u32(f.color, 200);
  std::vector<ImVec2> centre(f.nodes.size()), half(f.nodes.size());
  for (size_t i = 0; i < f.nodes.size(); ++i) {
    const Node& n = f.nodes[i];
    centre[i] = ImVec2(origin.x + n.x * size.x, origin.y + n.y * size.y);
    const ImVec2 ts = ImGui::CalcTextSize(n.label);
    half[i] = ImVec2(ts.x * 0.5f + fs * 0.5f, fs * 0.8f);
  }
  // Arrows run from box edge to box edge; reverse arrows (f⁻¹, denoising) run under the boxes.
  auto edge_point = [](ImVec2 c, ImVec2 h, float dx, float dy) {
    const float tx = std::fabs(dx) > 1e-6f ? h.x / std::fabs(dx) : 1e9f, ty = std::fabs(dy) > 1e-6f ? h.y / std::fabs(dy) : 1e9f;
    const float t = std::min(tx, ty);
    return ImVec2(c.x + dx * t, c.y + dy * t);
  };
  for (const Edge& e : f.edges) {
    const ImVec2 ca = centre[size_t(e.from)], cb = centre[size_t(e.to)];
    ImVec2 a, b;
    if (e.curved_back) {
      const float y = std::max(ca.y + half[size_t(e.from)].y, cb.y + half[size_t(e.to)].y) + fs * 0.7f;
      const float nudge = (cb.x < ca.x ? 1.0f : -1.0f) * fs * 0.35f;  // keeps a node's in and out lines apart
      const ImVec2 start(ca.x - nudge, ca.y + half[size_t(e.from)].y), end(cb.x + nudge, cb.y + half[size_t(e.to)].y);
      a = ImVec2(start.x, y);
      b = ImVec2(end.x, y);
      dl->AddLine(start, a, back, std::max(1.5f, fs * 0.09f));
      dl->AddLine(a, b, back, std::max(1.5f, fs * 0.09f));
      draw_arrow(dl, b, end, back, std::max(1.5f, fs * 0.09f));
      if (e.label) {
        const ImVec2 ts = ImGui::CalcTextSize(e.label);
        dl->AddText(ImVec2(0.5f * (a.x + b.x - ts.x), y + fs * 0.15f), back, e.label);
      }
      continue;
    }
    const float dx = cb.x - ca.x, dy = cb.y - ca.y, len = std::sqrt(dx * dx + dy * dy);
    if (len < 1) continue;
    a = edge_point(ca, half[size_t(e.from)], dx / len, dy / len);
    b = edge_point(cb, half[size_t(e.to)], -dx / len, -dy / len);
    draw_arrow(dl, a, b, line, std::max(1.5f, fs * 0.09f));
    if (e.label) {
      const ImVec2 ts = ImGui::CalcTextSize(e.label);
      // Above the boxes' top edge, so a label longer than its arrow still reads.
      dl->AddText(ImVec2(0.5f * (a.x + b.x - ts.x), 0.5f * (a.y + b.y) - fs * 0.9f - ts.y), line, e.label);
    }
  }
  for (size_t i = 0; i < f.nodes.size(); ++i) {
    const ImVec2 lo(centre[i].x - half[i].x, centre[i].y - half[i].y);
    const ImVec2 hi(centre[i].x + half[i].x, centre[i].y + half[i].y);
    if (f.nodes[i].model)
      draw_box(dl, lo, hi, f.nodes[i].label, fill, accent);
    else
      draw_box(dl, lo, hi, f.nodes[i].label, ImGui::GetColorU32(ImGuiCol_FrameBg), ImGui::GetColorU32(ImGuiCol_Border));
  }
}

class OverviewLesson : public Lesson {
 public:
  const char* id() const override { return "overview"; }
  const char* title() const override { return "Four generative families"; }
  const char* group() const override { return "Generative models"; }
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
      fams.push_back({{"name", f.name}, {"lesson", f.lesson_id}, {"available", available(f)}});
    return {{"families", fams}};
  }

 private:
  bool available(const Family& f) const { return has_lesson && has_lesson(f.lesson_id); }
  CommandResult open_family(const Family& f) {
    if (!available(f) || !open_lesson) return {false, std::string("the ") + f.name + " lesson is coming"};
    open_lesson(f.lesson_id);
    return {true, std::string("opened ") + f.lesson_id};
  }

  void show_panel(const Family& f, float width, float height) {
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, category_u32(f.color));
    ImGui::TextUnformatted(f.name);
    ImGui::PopStyleColor();
    ImGui::SameLine();
    const bool ok = available(f);
    ImGui::BeginDisabled(!ok);
    const std::string button = std::string("Open lesson##") + f.lesson_id;
    if (ImGui::Button(button.c_str())) open_family(f);
    ImGui::EndDisabled();
    if (!ok && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("coming");
    HelpMarker(f.detail);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float diagram_h = std::max(ImGui::GetFontSize() * 5.5f, height - ImGui::GetFontSize() * 5);
    ImGui::GetWindowDrawList()->AddRect(origin, ImVec2(origin.x + width, origin.y + diagram_h),
                                        ImGui::GetColorU32(ImGuiCol_Border), ImGui::GetFontSize() * 0.3f);
    draw_family_diagram(f, origin, ImVec2(width, diagram_h));
    ImGui::Dummy(ImVec2(width, diagram_h));
    ImGui::PushTextWrapPos(ImGui::GetCursorPos().x + width);
    ImGui::TextWrapped("%s", f.objective);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
  }

  void ShowLessonOverview() {
    ImGui::TextWrapped(
        "Four ways to learn a model you can sample from. All turn simple noise z into data x; they differ in "
        "what they optimise and what they give you: a density (flow: exact; VAE: a bound), a sampler only (GAN), "
        "or a chain of small denoising steps (diffusion). Click a box's button to open its lesson.");
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = std::max(ImGui::GetFontSize() * 16, (ImGui::GetContentRegionAvail().x - spacing) * 0.5f);
    const float height = std::max(ImGui::GetFontSize() * 11, (ImGui::GetContentRegionAvail().y - ImGui::GetFontSize() * 6) * 0.5f);
    for (size_t i = 0; i < families_.size(); ++i) {
      if (i % 2 == 1) ImGui::SameLine(0, spacing);
      show_panel(families_[i], width, height);
    }
    SectionHeading("Underneath them all");
    const struct {
      const char* id;
      const char* label;
    } basics[] = {{"bayes", "Bayes' rule"}, {"mle-kl", "Maximum likelihood and KL"}, {"gmm", "Latent variables: mixtures"}};
    for (const auto& b : basics) {
      const bool ok = has_lesson && has_lesson(b.id);
      ImGui::BeginDisabled(!ok);
      if (ImGui::Button(b.label) && open_lesson) open_lesson(b.id);
      ImGui::EndDisabled();
      ImGui::SameLine();
    }
    ImGui::NewLine();
    ImGui::TextDisabled("Maximum likelihood = minimum KL(P_data ‖ P_θ); a latent z with p(x) = Σ_z p(z)p(x|z) is the "
                        "idea every family builds on.");
  }

  std::vector<Family> families_ = families();
};

}  // namespace

std::unique_ptr<Lesson> make_lesson_overview() { return std::make_unique<OverviewLesson>(); }

}  // namespace ll::ui
