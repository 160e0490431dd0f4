// [flow] A RealNVP-style normalising flow trained live on 2-D data. Shows the change of
// variables log p(x) = log N(f(x); 0, I) + log|det ∂f/∂x| with live numbers, the learned
// density as a heat map, samples x = f⁻¹(z), the data pushed into the base space, and a grid
// of the base space pushed through f⁻¹ so the learned warp is visible. Trained by maximum
// likelihood with Adam in time slices of the frame loop; the pictures refresh in slices too.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/sliced_training.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/prob/datasets2d.hpp"
#include "ml/prob/flow2d.hpp"
#include "ml/rng.hpp"

namespace ll::ui {

namespace {

using namespace prob_ui;
using prob::Point2;

constexpr double kView = 3.5;       // x-space plots show [−kView, kView]²
constexpr double kZView = 3.5;      // z-space plot
constexpr int kDensityRes = 72;     // heat map cells per side
constexpr int kHeldoutPoints = 500;
constexpr int kHeldoutEvery = 50;   // steps between held-out evaluations
constexpr long kMaxSteps = 50000;
constexpr int kSamples = 600;
constexpr int kGridLines = 13;      // per direction, z from −3 to 3
constexpr int kGridLineSegments = 48;


// The pictures of one parameter snapshot, built a piece at a time so no frame waits for them.
struct Pictures {
  std::vector<float> density;                   // [kDensityRes²], row 0 at the top
  std::vector<Point2> samples;                  // x = f⁻¹(z), z ~ N(0, I)
  std::vector<Point2> data_in_z;                // f(x) for the training points
  std::vector<std::vector<Point2>> grid_lines;  // base-space lines mapped by f⁻¹
  long step = -1;
};


class FlowLesson : public SlicedTrainingLesson {
 public:
  FlowLesson() { reset(); }

  const char* id() const override { return "flow"; }
  const char* title() const override { return tr("lessons.flow"); }
  const char* group() const override { return tr("groups.probability"); }
  void advance(double budget_ms) override;

  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override {
    mark_shown();
    ShowLessonFlow();
  }

 private:
  bool can_train() const override { return !train_.empty() && !trainer_.diverged && trainer_.step < kMaxSteps; }
  long trained_steps() const override { return trainer_.step; }
  double recent_loss() const override { return recent_mean(trainer_.train_nll); }
  void reset() override {
    Rng data_rng(seed_, 0x666c6f77);
    const prob::Dataset2d kind = prob::all_datasets2d()[size_t(dataset_)].kind;
    train_ = prob::make_dataset2d(kind, n_train_, noise_, data_rng).points;
    heldout_ = prob::make_dataset2d(kind, kHeldoutPoints, noise_, data_rng).points;
    train_rng_.reseed(seed_, 0x747261696e);
    trainer_ = prob::start_flow_training(config_, train_, train_rng_, lr_, batch_);
    prob::record_heldout(trainer_, heldout_);
    running_ = false;
    shown_ = Pictures{};
    restart_pictures();
  }
  void train_one() override {
    if (!prob::flow_train_step(trainer_, train_, train_rng_)) {
      running_ = false;
      return;
    }
    if (trainer_.step % kHeldoutEvery == 0) prob::record_heldout(trainer_, heldout_);
    if (trainer_.step >= kMaxSteps) running_ = false;
  }
  void restart_pictures() {
    next_ = Pictures{};
    next_.step = trainer_.step;
    next_.density.resize(size_t(kDensityRes) * kDensityRes);
    snapshot_ = trainer_.flow;  // the pictures show one consistent set of parameters
    rows_done_ = 0;
    pictures_busy_ = true;
  }
  // One small unit of picture work; true when the snapshot's pictures are complete.
  bool picture_work();

  void ShowLessonFlow();
  void show_controls();
  void show_samples(ImVec2 size);
  void show_density(ImVec2 size);
  void show_base_space(ImVec2 size);
  void show_formula();
  void show_nll_plot();

  // Data and model settings.
  int dataset_ = 0;  // index into all_datasets2d()
  int n_train_ = 1000;
  double noise_ = 0.08;
  prob::FlowConfig config_{6, 24, 2.0};
  double lr_ = 3e-3;
  int batch_ = 128;

  std::vector<Point2> train_, heldout_;
  Rng train_rng_{1};
  prob::FlowTrainer trainer_;

  prob::Flow2d snapshot_;
  Pictures shown_, next_;
  int rows_done_ = 0;
  bool pictures_busy_ = false;  // next_ is being built

  // The point under the mouse on the density map, for the change-of-variables readout.
  bool probe_valid_ = false;
  Point2 probe_;
};

bool FlowLesson::picture_work() {
  if (rows_done_ < kDensityRes) {
    const double cell = 2 * kView / kDensityRes;
    const int r = rows_done_++;
    const double y = kView - (r + 0.5) * cell;
    for (int c = 0; c < kDensityRes; ++c)
      next_.density[size_t(r) * kDensityRes + size_t(c)] =
          float(std::exp(prob::flow_log_density(snapshot_, {-kView + (c + 0.5) * cell, y})));
    return false;
  }
  if (next_.data_in_z.size() < train_.size()) {
    const size_t end = std::min(train_.size(), next_.data_in_z.size() + 100);
    for (size_t i = next_.data_in_z.size(); i < end; ++i) next_.data_in_z.push_back(prob::flow_forward(snapshot_, train_[i]));
    return false;
  }
  if (next_.samples.empty()) {
    Rng sample_rng(seed_ + 17, 0x73616d70);  // the same z every refresh, so samples move smoothly
    next_.samples = prob::flow_sample(snapshot_, kSamples, sample_rng);
    return false;
  }
  if (next_.grid_lines.size() < size_t(2 * kGridLines)) {
    const int j = int(next_.grid_lines.size());
    const bool vertical = j < kGridLines;
    const double c = -3.0 + 6.0 * (j % kGridLines) / (kGridLines - 1);
    std::vector<Point2> line(size_t(kGridLineSegments) + 1);
    for (int s = 0; s <= kGridLineSegments; ++s) {
      const double u = -3.0 + 6.0 * s / kGridLineSegments;
      line[size_t(s)] = prob::flow_inverse(snapshot_, vertical ? Point2{c, u} : Point2{u, c});
    }
    next_.grid_lines.push_back(std::move(line));
    return false;
  }
  return true;
}

void FlowLesson::advance(double budget_ms) {
  const Clock::time_point start = Clock::now();
  train_slice(start, budget_ms, 0.6);  // the pictures get the rest of the slice
  if (!take_shown()) return;
  if (!pictures_busy_) {
    if (shown_.step == trainer_.step && !shown_.density.empty()) return;
    restart_pictures();
  }
  while (ms_since(start) < budget_ms) {
    if (picture_work()) {
      shown_ = std::move(next_);
      pictures_busy_ = false;
      break;
    }
  }
}

CommandResult FlowLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "flow") return {};
  double a = 0;
  if (w.size() == 3 && w[1] == "data") {
    const prob::Dataset2dInfo* d = prob::find_dataset2d(w[2]);
    if (!d) return {false, "no data set '" + w[2] + "' (moons, rings, blobs, circle8)"};
    dataset_ = int(d - prob::all_datasets2d().data());
    reset();
    return {true, "data " + w[2]};
  }
  if (w.size() == 3 && w[1] == "layers") {
    if (!parse_number(w[2], a) || a != std::floor(a) || a < 1 || a > 16) return {false, "layers: 1 to 16"};
    config_.layers = int(a);
    reset();
    return {true, "layers " + w[2]};
  }
  if (w.size() == 3 && w[1] == "hidden") {
    if (!parse_number(w[2], a) || a != std::floor(a) || a < 2 || a > 128) return {false, "hidden: 2 to 128"};
    config_.hidden = int(a);
    reset();
    return {true, "hidden " + w[2]};
  }
  if (w.size() == 3 && w[1] == "lr") {
    if (!parse_number(w[2], a) || !(a > 0 && a <= 1)) return {false, "lr must be in (0, 1]"};
    lr_ = a;
    trainer_.optimizer.lr = a;
    return {true, "lr " + w[2]};
  }
  if (w.size() == 3 && w[1] == "batch") {
    if (!parse_number(w[2], a) || a != std::floor(a) || a < 1 || a > 4096) return {false, "batch: 1 to 4096"};
    batch_ = trainer_.batch = int(a);
    return {true, "batch " + w[2]};
  }
  if (w.size() == 3 && w[1] == "points") {
    if (!parse_number(w[2], a) || a != std::floor(a) || a < 10 || a > 10000) return {false, "points: 10 to 10000"};
    n_train_ = int(a);
    reset();
    return {true, "points " + w[2]};
  }
  if (w.size() == 2 && w[1] == "reset") {
    reset();
    return {true, "reset"};
  }
  return {false, "usage: flow data moons|rings|blobs|circle8 | flow layers N | flow hidden N | flow lr A | "
                 "flow batch N | flow points N | flow reset"};
}

nlohmann::json FlowLesson::state() const {
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  return {{"data", prob::all_datasets2d()[size_t(dataset_)].key},
          {"step", trainer_.step},
          {"train_nll", num(recent_loss())},
          {"heldout_nll", num(trainer_.heldout_nll.empty() ? NAN : trainer_.heldout_nll.back())},
          {"heldout_nll_start", num(trainer_.heldout_nll.empty() ? NAN : trainer_.heldout_nll.front())},
          {"layers", config_.layers},
          {"hidden", config_.hidden},
          {"parameters", prob::flow_parameter_count(trainer_.flow)},
          {"lr", lr_},
          {"batch", batch_},
          {"pictures_step", shown_.step},
          {"diverged", trainer_.diverged},
          {"message", trainer_.message}};
}

void FlowLesson::show_controls() {
  NextControlWidth(trl("flow.data"), 10);
  if (DatasetCombo(trl("flow.data"), dataset_)) reset();
  NextControlWidth(trl("flow.points"), 6, true);
  if (ImGui::SliderInt(trl("flow.points"), &n_train_, 100, 5000, "%d", ImGuiSliderFlags_Logarithmic))
    n_train_ = std::clamp(n_train_, 100, 5000), reset();
  float noise = float(noise_);
  NextControlWidth(trl("flow.noise"), 6, true);
  if (ImGui::SliderFloat(trl("flow.noise"), &noise, 0.01f, 0.3f, "%.2f")) noise_ = std::clamp(double(noise), 0.01, 0.3), reset();
  NextControlWidth(trl("flow.layers"), 5, true);
  if (ImGui::SliderInt(trl("flow.layers"), &config_.layers, 1, 12)) config_.layers = std::clamp(config_.layers, 1, 12), reset();
  HelpMarker(tr("flow.help_layers"));
  NextControlWidth(trl("flow.hidden"), 5, true);
  if (ImGui::SliderInt(trl("flow.hidden"), &config_.hidden, 4, 64)) config_.hidden = std::clamp(config_.hidden, 4, 64), reset();
  HelpMarker(tr("flow.help_hidden"));

  float lr_log = float(std::log10(lr_));
  NextControlWidth(trl("flow.learning_rate"), 8);
  if (ImGui::SliderFloat(trl("flow.learning_rate"), &lr_log, -4, -1, "")) {
    lr_ = std::pow(10.0, std::clamp(double(lr_log), -4.0, -1.0));
    trainer_.optimizer.lr = lr_;
  }
  char value[32];
  std::snprintf(value, sizeof value, "%.2g", lr_);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("flow.help_learning_rate"));
  NextControlWidth(trl("flow.batch"), 6, true);
  if (ImGui::SliderInt(trl("flow.batch"), &batch_, 8, 512, "%d", ImGuiSliderFlags_Logarithmic))
    batch_ = trainer_.batch = std::clamp(batch_, 8, 512);
  if (ImGui::Button(running_ ? trl("flow.pause") : trl("flow.train"))) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("flow.step")));
  if (ImGui::Button(trl("flow.step"))) step_once();
  SameLineIfFits(ButtonWidth(trl("flow.reset")));
  if (ImGui::Button(trl("flow.reset"))) reset();
  SameLineIfFits(TextWidth((std::string(tr("flow.step_name")) + " 00000" + tr("common.paused_suffix")).c_str()));
  TrainingStatusLine(tr("flow.step_name"), trainer_.step, running_, steps_per_second_, tr("flow.steps_per_second"));
  if (!trainer_.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.55f, 0.3f, 1));
    ImGui::TextWrapped("%s", trf("flow.training_stopped", trainer_.message.c_str()).c_str());
    ImGui::PopStyleColor();
  }
}

void FlowLesson::show_samples(ImVec2 size) {
  const ImU32 grid_color = IM_COL32(150, 150, 150, 120), sample_color = category_u32(1, 200);
  // Data, samples and the base grid pushed through f⁻¹.
  std::vector<double> xs(train_.size()), ys(train_.size());
  for (size_t i = 0; i < train_.size(); ++i) xs[i] = train_[i].x, ys[i] = train_[i].y;
  ScatterPoints sp;
  sp.xs = xs.data();
  sp.ys = ys.data();
  sp.count = int(train_.size());
  sp.radius = 0.12f;
  PlotOptions po;
  po.size = size;
  po.title = tr("flow.samples_title");
  po.x_min = po.y_min = -kView;
  po.x_max = po.y_max = kView;
  const ScatterResult r = ScatterPlot("flow-data", sp, po);
  MainFigure("data, samples and the warped grid");
  for (const auto& line : shown_.grid_lines) draw_data_polyline(r.transform, line, grid_color, 1.0f);
  draw_data_points(r.transform, shown_.samples, nullptr, sample_color, 0.13f);
}

void FlowLesson::show_density(ImVec2 size) {
  HeatMapOptions ho;
  ho.size = size;
  // Shortened to the data area's width, so it never runs under the colour bar's label.
  const std::string title = Ellipsized(tr("flow.density_title"), size.x - Em(7));
  ho.title = title.c_str();
  ho.colorbar_label = "p(x)";
  ho.x_min = ho.y_min = -kView;
  ho.x_max = ho.y_max = kView;
  ho.v_min = 0;
  if (shown_.density.empty()) {
    const std::vector<float> blank(size_t(kDensityRes) * kDensityRes, NAN);
    HeatMap("flow-density", blank.data(), kDensityRes, kDensityRes, ho);
    return;
  }
  const HeatMapResult r = HeatMap("flow-density", shown_.density.data(), kDensityRes, kDensityRes, ho);
  probe_valid_ = r.hovered;
  if (r.hovered) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    probe_ = {r.transform.data_x(m.x), r.transform.data_y(m.y)};
  }
  draw_data_points(r.transform, heldout_, nullptr, IM_COL32(255, 255, 255, 90), 0.07f);
  if (probe_valid_) draw_data_cross(r.transform, probe_, IM_COL32(255, 255, 255, 255));
}

void FlowLesson::show_base_space(ImVec2 size) {
  // The base space: data pushed forward should look like N(0, I).
  const ImU32 grid_color = IM_COL32(150, 150, 150, 120), sample_color = category_u32(1, 200);
  std::vector<double> zx(shown_.data_in_z.size()), zy(shown_.data_in_z.size());
  for (size_t i = 0; i < zx.size(); ++i) zx[i] = shown_.data_in_z[i].x, zy[i] = shown_.data_in_z[i].y;
  ScatterPoints sp;
  sp.xs = zx.data();
  sp.ys = zy.data();
  sp.count = int(zx.size());
  sp.radius = 0.12f;
  PlotOptions po;
  po.size = size;
  po.title = tr("flow.base_space_title");
  po.x_min = po.y_min = -kZView;
  po.x_max = po.y_max = kZView;
  const ScatterResult r = ScatterPlot("flow-z", sp, po);
  for (int j = 0; j < kGridLines; ++j) {
    const double c = -3.0 + 6.0 * j / (kGridLines - 1);
    draw_data_polyline(r.transform, {{c, -3}, {c, 3}}, grid_color, 1.0f);
    draw_data_polyline(r.transform, {{-3, c}, {3, c}}, grid_color, 1.0f);
  }
  for (double s : {1.0, 2.0, 3.0}) draw_data_ellipse(r.transform, {{0, 0}, {s * s, 0, s * s}}, 1.0, sample_color, 2.0f);
  if (probe_valid_) draw_data_cross(r.transform, prob::flow_forward(trainer_.flow, probe_), IM_COL32(255, 255, 255, 255));
}

void FlowLesson::show_formula() {
  ImGui::TextWrapped("log p(x) = log N(f(x); 0, I) + log |det ∂f/∂x|");
  HelpMarker(tr("flow.help_formula"));
  const Point2 x = probe_valid_ ? probe_ : (train_.empty() ? Point2{0, 0} : train_[0]);
  double log_det = 0;
  const Point2 z = prob::flow_forward(trainer_.flow, x, &log_det);
  const double log_base = -prob::kLog2Pi - 0.5 * (z.x * z.x + z.y * z.y);
  const std::string probe = probe_valid_ ? trf("flow.probe_mouse", x.x, x.y, z.x, z.y)
                                         : trf("flow.probe_data_point", x.x, x.y, z.x, z.y);
  ImGui::TextWrapped("%s", probe.c_str());
  ImGui::TextWrapped("log p(x) = %.3f + %.3f = %.3f   (p(x) = %.4g)", log_base, log_det, log_base + log_det,
                     std::exp(log_base + log_det));
  TextDisabledWrapped(tr("flow.training_note"));
}

void FlowLesson::show_nll_plot() {
  std::vector<double> heldout_x(trainer_.heldout_steps.begin(), trainer_.heldout_steps.end());
  LineSeries series[2];
  series[0].ys = trainer_.train_nll.data();
  series[0].count = int(trainer_.train_nll.size());
  series[0].label = tr("flow.legend_minibatch");
  series[1].xs = heldout_x.data();
  series[1].ys = trainer_.heldout_nll.data();
  series[1].count = int(trainer_.heldout_nll.size());
  series[1].label = tr("flow.legend_heldout");
  PlotOptions po;
  po.title = tr("flow.nll_title");
  po.x_label = tr("flow.step_axis");
  po.size = FitFigure({1.4f, 1, false});
  LinePlot("flow-nll", series, 2, po);
}

void FlowLesson::ShowLessonFlow() {
  LessonPanes(
      [this] {
        ImGui::TextWrapped("%s", tr("flow.intro"));
        show_controls();
        ImGui::Separator();
        show_formula();
        show_nll_plot();
      },
      [this] {
        show_samples(FitFigure({1}));
        FigureRow({{1.12f, [this](ImVec2 s) { show_density(s); }}, {1.0f, [this](ImVec2 s) { show_base_space(s); }}});
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_flow() { return std::make_unique<FlowLesson>(); }

}  // namespace ll::ui
