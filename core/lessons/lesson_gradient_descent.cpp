// [gradient-descent] Plain gradient descent, momentum and Adam walking down the course's
// surfaces: the saddle J = x² − 2y², an elongated bowl, Rosenbrock's valley, Himmelblau.
// Click the map to place the start; the update rule is shown with the live numbers.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/rng.hpp"
#include "ml/surfaces.hpp"
#include "viz/colormap.hpp"
#include "viz/contour.hpp"

namespace ll::ui {

namespace {

constexpr long kMaxSteps = 20000;  // keeps paths (and memory) bounded on a run left going
constexpr int kGridSamples = 140;  // per axis, for the heat map and contours

struct Track {
  OptimizerKind kind;
  bool enabled = true;
  DescentRun run;
  std::vector<double> losses;  // J(θ) after each step, losses[0] at the start
};

class GradientDescentLesson : public Lesson {
 public:
  GradientDescentLesson() {
    for (OptimizerKind kind : {OptimizerKind::GradientDescent, OptimizerKind::Momentum, OptimizerKind::Adam}) {
      tracks_.emplace_back();
      tracks_.back().kind = kind;
    }
    select_surface(*find_surface("rosenbrock"));
  }

  const char* id() const override { return "gradient-descent"; }
  const char* title() const override { return tr("lessons.gradient_descent"); }
  const char* group() const override { return tr("groups.foundations"); }
  bool has_training() const override { return true; }

  TrainingStatus training() const override {
    const Track* t = primary();
    return {running_, t ? t->run.step : 0, t ? t->losses.back() : NAN};
  }
  void set_running(bool running) override {
    running_ = running && !all_stopped();
    carry_ = 0;
  }
  void step_once() override {
    running_ = false;
    step_all();
  }
  void reseed(uint64_t seed) override { rng_.reseed(seed); }

  void advance(double budget_ms) override {
    if (!running_) return;
    // Steps follow wall time (steps_per_second), so the animation speed does not depend on fps.
    carry_ += ImGui::GetIO().DeltaTime * steps_per_second_;
    const long steps = std::min(long(carry_), 2000L);
    carry_ -= double(long(carry_));
    for (long i = 0; i < steps && running_; ++i) step_all();
  }

  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override { ShowLessonGradientDescent(); }

 private:
  const Track* primary() const {
    for (const Track& t : tracks_)
      if (t.enabled) return &t;
    return nullptr;
  }
  bool all_stopped() const {
    for (const Track& t : tracks_)
      if (t.enabled && !t.run.diverged && t.run.step < kMaxSteps) return false;
    return true;
  }
  OptimizerConfig config_for(OptimizerKind kind) const {
    OptimizerConfig c;
    c.kind = kind;
    c.lr = kind == OptimizerKind::Adam ? adam_lr_ : lr_;
    c.momentum = momentum_;
    c.beta1 = beta1_;
    c.beta2 = beta2_;
    return c;
  }
  void reset_runs() {
    for (Track& t : tracks_) {
      t.run = start_descent(config_for(t.kind), start_);
      t.losses.assign(1, surface_value(surface_->id, start_));
    }
    stopped_note_ = false;
  }
  void step_all() {
    for (Track& t : tracks_) {
      if (!t.enabled || t.run.step >= kMaxSteps) continue;
      if (descent_step(t.run, surface_->id)) t.losses.push_back(surface_value(surface_->id, t.run.theta));
    }
    if (all_stopped()) {
      running_ = false;
      stopped_note_ = true;
    }
  }
  void select_surface(const Surface& s) {
    surface_ = &s;
    start_ = s.default_start;
    lr_ = s.default_lr;
    running_ = false;
    build_map();
    reset_runs();
  }
  void build_map();
  void set_start(Vec2 p) {
    start_ = p;
    running_ = false;
    reset_runs();
  }
  void ShowLessonGradientDescent();
  void show_controls();
  void show_update_rules();
  void show_map();
  void show_loss_plot();

  const Surface* surface_ = nullptr;
  std::vector<Track> tracks_;
  Vec2 start_;
  double lr_ = 0.001, adam_lr_ = 0.05, momentum_ = 0.9, beta1_ = 0.9, beta2_ = 0.999;
  double steps_per_second_ = 60;
  bool running_ = false;
  double carry_ = 0;
  bool stopped_note_ = false;  // all runs stopped: say so under the update rules
  Rng rng_{1};
  // The map: display values (log-compressed where J ≥ 0) and contour lines.
  std::vector<float> heat_;
  std::vector<viz::Segment> contours_;
  bool signed_map_ = false;  // the saddle goes below zero: diverging colours, linear scale
};

// The catalogue keys of the optimizers' and the surfaces' names as shown: the core names
// (optimizer_name, Surface::name) stay English for state() and the commands.
const char* optimizer_key(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::GradientDescent: return "gd.opt_gd";
    case OptimizerKind::Momentum: return "gd.opt_momentum";
    case OptimizerKind::Adam: return "gd.opt_adam";
  }
  return "gd.opt_gd";
}
const char* surface_key(SurfaceId id) {
  switch (id) {
    case SurfaceId::Saddle: return "gd.surface_saddle";
    case SurfaceId::Bowl: return "gd.surface_bowl";
    case SurfaceId::Rosenbrock: return "gd.surface_rosenbrock";
    case SurfaceId::Himmelblau: return "gd.surface_himmelblau";
  }
  return "gd.surface_bowl";
}

ImU32 track_color(OptimizerKind kind) {
  const viz::Rgb8 c = viz::category_color(int(kind));
  return IM_COL32(c.r, c.g, c.b, 255);
}

void GradientDescentLesson::build_map() {
  const Surface& s = *surface_;
  const SurfaceId sid = s.id;
  const viz::Grid grid = viz::sample_grid([sid](double x, double y) { return surface_value(sid, {x, y}); },
                                          kGridSamples, kGridSamples, s.x_min, s.x_max, s.y_min, s.y_max);
  double lo = grid.values[0], hi = grid.values[0];
  for (double v : grid.values) lo = std::min(lo, v), hi = std::max(hi, v);
  signed_map_ = lo < 0;
  heat_.resize(grid.values.size());
  // The widget draws row 0 at the top, the grid has row 0 at y_min: flip rows.
  for (int r = 0; r < grid.rows; ++r)
    for (int c = 0; c < grid.cols; ++c) {
      const double v = grid.at(c, r);
      heat_[size_t(grid.rows - 1 - r) * grid.cols + c] = float(signed_map_ ? v : std::log10(1 + v));
    }
  contours_.clear();
  const std::vector<double> levels = signed_map_ ? viz::contour_levels(lo, hi, 16, false)
                                                 : viz::contour_levels(std::max(hi * 1e-5, 1e-3), hi, 14, true);
  for (double level : levels) {
    const auto segs = viz::contour_segments(grid, level);
    contours_.insert(contours_.end(), segs.begin(), segs.end());
  }
}

CommandResult GradientDescentLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "gd") return {};
  auto number = [](const std::string& s, double& out) {
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return !s.empty() && end == s.c_str() + s.size() && std::isfinite(out);
  };
  const std::string usage =
      "usage: gd surface saddle|bowl|rosenbrock|himmelblau | gd lr A | gd adam-lr A | gd start X Y | "
      "gd random-start | gd reset | gd optimizer gd|momentum|adam on|off | gd speed STEPS_PER_SECOND";
  double a = 0, b = 0;
  if (w.size() == 3 && w[1] == "surface") {
    const Surface* s = find_surface(w[2]);
    if (!s) return {false, "no surface '" + w[2] + "'"};
    select_surface(*s);
    return {true, std::string("surface ") + s->name};
  }
  if (w.size() == 3 && (w[1] == "lr" || w[1] == "adam-lr")) {
    if (!number(w[2], a) || !(a > 0 && a <= 10)) return {false, "the learning rate must be in (0, 10]"};
    (w[1] == "lr" ? lr_ : adam_lr_) = a;
    reset_runs();
    return {true, w[1] + " " + w[2]};
  }
  if (w.size() == 4 && w[1] == "start") {
    if (!number(w[2], a) || !number(w[3], b)) return {false, "usage: gd start X Y"};
    set_start({a, b});
    return {true, "start placed"};
  }
  if (w.size() == 2 && w[1] == "random-start") {
    set_start({rng_.uniform(surface_->x_min, surface_->x_max), rng_.uniform(surface_->y_min, surface_->y_max)});
    return {true, "random start"};
  }
  if (w.size() == 2 && w[1] == "reset") {
    running_ = false;
    reset_runs();
    return {true, "reset"};
  }
  if (w.size() == 4 && w[1] == "optimizer" && (w[3] == "on" || w[3] == "off")) {
    for (Track& t : tracks_) {
      const char* key = t.kind == OptimizerKind::GradientDescent ? "gd"
                        : t.kind == OptimizerKind::Momentum      ? "momentum"
                                                                 : "adam";
      if (w[2] == key) {
        t.enabled = w[3] == "on";
        return {true, w[2] + " " + w[3]};
      }
    }
    return {false, "no optimizer '" + w[2] + "' (gd, momentum, adam)"};
  }
  if (w.size() == 3 && w[1] == "speed") {
    if (!number(w[2], a) || !(a >= 1 && a <= 5000)) return {false, "speed must be 1–5000 steps per second"};
    steps_per_second_ = a;
    return {true, "speed " + w[2]};
  }
  return {false, usage};
}

nlohmann::json GradientDescentLesson::state() const {
  nlohmann::json tracks = nlohmann::json::array();
  for (const Track& t : tracks_) {
    tracks.push_back({{"optimizer", optimizer_name(t.kind)},
                      {"enabled", t.enabled},
                      {"step", t.run.step},
                      {"theta", {t.run.theta.x, t.run.theta.y}},
                      {"loss", t.losses.back()},
                      {"diverged", t.run.diverged},
                      {"message", t.run.message}});
  }
  return {{"surface", surface_->key}, {"lr", lr_}, {"adam_lr", adam_lr_}, {"start", {start_.x, start_.y}},
          {"tracks", tracks}};
}

void GradientDescentLesson::show_controls() {
  const Surface* chosen = surface_;
  NextControlWidth(trl("gd.surface"), 12);
  if (BeginFittedCombo(trl("gd.surface"), tr(surface_key(surface_->id)))) {
    for (const Surface& s : all_surfaces())
      if (ImGui::Selectable(trl(surface_key(s.id)), &s == surface_)) chosen = &s;
    ImGui::EndCombo();
  }
  if (chosen != surface_) select_surface(*chosen);
  TextDisabledWrapped(surface_->formula);

  float lr_log = float(std::log10(lr_)), adam_log = float(std::log10(adam_lr_));
  char value[32];
  NextControlWidth(trl("gd.lr_gd_momentum"), 12);
  if (ImGui::SliderFloat(trl("gd.lr_gd_momentum"), &lr_log, -4, 0, "")) lr_ = std::pow(10.0, lr_log), reset_runs();
  std::snprintf(value, sizeof value, "%.4g", lr_);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("gd.help_lr"));
  NextControlWidth(trl("gd.lr_adam"), 12);
  if (ImGui::SliderFloat(trl("gd.lr_adam"), &adam_log, -4, 0, "")) adam_lr_ = std::pow(10.0, adam_log), reset_runs();
  std::snprintf(value, sizeof value, "%.4g", adam_lr_);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("gd.help_adam_lr"));

  float mu = float(momentum_), b1 = float(beta1_);
  NextControlWidth("μ", 8);
  if (ImGui::SliderFloat("μ", &mu, 0, 0.99f, "%.2f")) momentum_ = mu, reset_runs();
  HelpMarker(tr("gd.help_momentum"));
  NextControlWidth("β₁", 8, true);
  if (ImGui::SliderFloat("β₁", &b1, 0, 0.99f, "%.2f")) beta1_ = b1, reset_runs();

  bool first = true;
  for (Track& t : tracks_) {
    if (!first) SameLineIfFits(CheckboxWidth(trl(optimizer_key(t.kind))));
    first = false;
    ImGui::PushStyleColor(ImGuiCol_CheckMark, track_color(t.kind));
    ImGui::PushStyleColor(ImGuiCol_Text, track_color(t.kind));
    ImGui::Checkbox(trl(optimizer_key(t.kind)), &t.enabled);
    ImGui::PopStyleColor(2);
  }

  if (ImGui::Button(running_ ? trl("gd.pause") : trl("gd.run"))) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("gd.step")));
  if (ImGui::Button(trl("gd.step"))) step_once();
  SameLineIfFits(ButtonWidth(trl("gd.reset")));
  if (ImGui::Button(trl("gd.reset"))) running_ = false, reset_runs();
  SameLineIfFits(ButtonWidth(trl("gd.random_start")));
  if (ImGui::Button(trl("gd.random_start")))
    set_start({rng_.uniform(surface_->x_min, surface_->x_max), rng_.uniform(surface_->y_min, surface_->y_max)});
  float speed = float(steps_per_second_);
  NextControlWidth(trl("gd.steps_per_second"), 8, true);
  if (ImGui::SliderFloat(trl("gd.steps_per_second"), &speed, 1, 2000, "%.0f", ImGuiSliderFlags_Logarithmic))
    steps_per_second_ = speed;
  TextDisabledWrapped(tr("gd.click_hint"));
}

void GradientDescentLesson::show_update_rules() {
  {
    for (const Track& t : tracks_) {
      if (!t.enabled) continue;
      const DescentRun& r = t.run;
      const Vec2 g = surface_gradient(surface_->id, r.theta);
      ImGui::Separator();
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(track_color(t.kind)), "%s", tr(optimizer_key(t.kind)));
      SameLineIfFits(Em(5));
      ImGui::TextDisabled("%s", trf("gd.step_n", r.step).c_str());
      const double a = r.config.lr;
      switch (t.kind) {
        case OptimizerKind::GradientDescent:
          ImGui::TextWrapped("θ ← θ − α∇J(θ)");
          ImGui::TextWrapped("∇J(θ) = (%.3f, %.3f)", g.x, g.y);
          ImGui::TextWrapped("θ = (%.4f, %.4f) − %.3g·∇J", r.theta.x, r.theta.y, a);
          ImGui::TextWrapped("   = (%.4f, %.4f)", r.theta.x - a * g.x, r.theta.y - a * g.y);
          break;
        case OptimizerKind::Momentum: {
          const double vx = r.config.momentum * r.m[0] + g.x, vy = r.config.momentum * r.m[1] + g.y;
          ImGui::TextWrapped("v ← μv + ∇J(θ);   θ ← θ − αv");
          ImGui::TextWrapped("∇J(θ) = (%.3f, %.3f)", g.x, g.y);
          ImGui::TextWrapped("v = %.2f·(%.3f, %.3f) + ∇J", r.config.momentum, r.m[0], r.m[1]);
          ImGui::TextWrapped("   = (%.3f, %.3f)", vx, vy);
          ImGui::TextWrapped("θ = (%.4f, %.4f) − %.3g·v", r.theta.x, r.theta.y, a);
          ImGui::TextWrapped("   = (%.4f, %.4f)", r.theta.x - a * vx, r.theta.y - a * vy);
          break;
        }
        case OptimizerKind::Adam: {
          ImGui::TextWrapped("m ← β₁m + (1−β₁)g");
          ImGui::TextWrapped("v ← β₂v + (1−β₂)g²");
          ImGui::TextWrapped("θ ← θ − α m̂ / (√v̂ + ε)");
          ImGui::TextWrapped("g = ∇J(θ) = (%.3f, %.3f)", g.x, g.y);
          ImGui::TextWrapped("m = (%.3f, %.3f)", r.m[0], r.m[1]);
          ImGui::TextWrapped("v = (%.3g, %.3g)", r.v[0], r.v[1]);
          // The step about to be taken, with the bias-corrected moments of step t = r.step + 1.
          const OptimizerConfig& c = r.config;
          const double t1 = double(r.step + 1), bc1 = 1 - std::pow(c.beta1, t1), bc2 = 1 - std::pow(c.beta2, t1);
          const double gs[2] = {g.x, g.y}, th[2] = {r.theta.x, r.theta.y};
          double next[2];
          for (int i = 0; i < 2; ++i) {
            const double m = c.beta1 * r.m[i] + (1 - c.beta1) * gs[i], v = c.beta2 * r.v[i] + (1 - c.beta2) * gs[i] * gs[i];
            next[i] = th[i] - a * (m / bc1) / (std::sqrt(v / bc2) + c.eps);
          }
          ImGui::TextWrapped("θ = (%.4f, %.4f)", th[0], th[1]);
          ImGui::TextWrapped("   − %.3g·m̂/(√v̂+ε)", a);
          ImGui::TextWrapped("   = (%.4f, %.4f)", next[0], next[1]);
          break;
        }
      }
      ImGui::TextWrapped("J(θ) = %.6g   |∇J| = %.4g", t.losses.back(), std::hypot(g.x, g.y));
      if (r.diverged) {
        // The core's message (state()) in the interface's language: a run that diverged has taken
        // at least one step; one that could not start has taken none.
        const std::string message = r.step > 0 ? trf("gd.diverged", tr(optimizer_key(t.kind)), r.step)
                                               : trf("gd.cannot_start", tr(optimizer_key(t.kind)));
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.35f, 0.3f, 1));
        ImGui::TextWrapped("%s", message.c_str());
        ImGui::PopStyleColor();
      }
    }
  }
  if (stopped_note_) ImGui::TextWrapped("%s", trf("gd.all_stopped", kMaxSteps).c_str());
}

void GradientDescentLesson::show_map() {
  HeatMapOptions opt;
  opt.x_min = surface_->x_min;
  opt.x_max = surface_->x_max;
  opt.y_min = surface_->y_min;
  opt.y_max = surface_->y_max;
  opt.colormap = signed_map_ ? viz::Colormap::Diverging : viz::Colormap::Viridis;
  opt.colorbar_label = signed_map_ ? "J" : "log₁₀(1+J)";
  opt.size = FitFigure({1.15f});
  const HeatMapResult map = HeatMap("J map", heat_.data(), kGridSamples, kGridSamples, opt);
  MainFigure("contour map");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(map.transform.pixel_min, map.transform.pixel_max, true);
  const ImU32 contour_color = IM_COL32(255, 255, 255, 70);
  for (const viz::Segment& s : contours_)
    dl->AddLine(map.transform.to_pixel(s.x0, s.y0), map.transform.to_pixel(s.x1, s.y1), contour_color, 1.0f);
  for (const Vec2& m : surface_->minima) {
    const ImVec2 p = map.transform.to_pixel(m.x, m.y);
    const float r = ImGui::GetFontSize() * 0.35f;
    dl->AddLine(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), IM_COL32(255, 255, 255, 220), 2);
    dl->AddLine(ImVec2(p.x - r, p.y + r), ImVec2(p.x + r, p.y - r), IM_COL32(255, 255, 255, 220), 2);
  }
  std::vector<ImVec2> points;
  for (const Track& t : tracks_) {
    if (!t.enabled) continue;
    points.clear();
    for (const Vec2& p : t.run.path) points.push_back(map.transform.to_pixel(p.x, p.y));
    dl->AddPolyline(points.data(), int(points.size()), track_color(t.kind), 0, 2.0f);
    dl->AddCircleFilled(points.back(), ImGui::GetFontSize() * 0.3f, track_color(t.kind));
  }
  const ImVec2 s = map.transform.to_pixel(start_.x, start_.y);
  dl->AddCircle(s, ImGui::GetFontSize() * 0.45f, IM_COL32(255, 255, 255, 255), 0, 2.0f);
  dl->PopClipRect();
  if (map.clicked) set_start({map.clicked_x, map.clicked_y});
}

void GradientDescentLesson::show_loss_plot() {
  std::vector<LineSeries> series;
  for (const Track& t : tracks_) {
    if (!t.enabled) continue;
    LineSeries s;
    s.ys = t.losses.data();
    s.count = int(t.losses.size());
    s.label = tr(optimizer_key(t.kind));
    s.color = track_color(t.kind);
    series.push_back(s);
  }
  PlotOptions po;
  po.title = tr("gd.loss_title");
  po.x_label = tr("gd.axis_step");
  po.log_y = !signed_map_;
  po.size = FitFigure({1.4f, 1, false});
  LinePlot("loss", series.data(), int(series.size()), po);
}

void GradientDescentLesson::ShowLessonGradientDescent() {
  LessonPanes(
      [this] {
        ImGui::TextWrapped("%s", tr("gd.intro"));
        show_controls();
        show_update_rules();
        show_loss_plot();
      },
      [this] { show_map(); });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_gradient_descent() { return std::make_unique<GradientDescentLesson>(); }

}  // namespace ll::ui
