// [diffusion] Denoising diffusion on 2-D data: the forward process q(x_t | x_0) with a t slider
// and the ᾱ_t curves of the linear and cosine schedules; a toy ε-prediction MLP trained live
// (loss curve) in time slices of the frame loop; reverse sampling x_T → x_0 animated step by
// step with DDPM or DDIM (and the x̂_0 each step implies); the learned score field as arrows.
// Below, the MNIST digits: their forward process and the shipped DDPM's reverse chains
// (lessons/ddpm_digits_panel).
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
#include "lessons/ddpm_digits_panel.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/sliced_training.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/gen/toy_diffusion.hpp"
#include "ml/prob/datasets2d.hpp"
#include "ml/rng.hpp"

namespace ll::ui {

namespace {

using namespace prob_ui;
using prob::Point2;

constexpr double kView = 3.5;          // x plots show [−kView, kView]²
constexpr int kFieldRes = 21;          // arrows per side
constexpr int kDataPoints = 1000;
constexpr double kDataNoise = 0.08;
constexpr int kChainPoints = 500;
constexpr long kMaxSteps = 200000;
constexpr double kFieldEveryMs = 150;  // refresh of the arrows while training


// A thin arrow whose head scales with its length (the field has many short ones).
void draw_small_arrow(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 color) {
  const float dx = to.x - from.x, dy = to.y - from.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1.5f) {
    dl->AddCircleFilled(from, 1.2f, color);
    return;
  }
  const float ux = dx / len, uy = dy / len, head = std::min(len * 0.4f, ImGui::GetFontSize() * 0.35f);
  const ImVec2 base(to.x - ux * head, to.y - uy * head);
  dl->AddLine(from, base, color, 1.2f);
  dl->AddTriangleFilled(to, ImVec2(base.x - uy * head * 0.5f, base.y + ux * head * 0.5f),
                        ImVec2(base.x + uy * head * 0.5f, base.y - ux * head * 0.5f), color);
}

ScatterResult scatter(const char* id, const std::vector<Point2>& points, const char* title, ImVec2 size, ImU32 color) {
  std::vector<double> xs(points.size()), ys(points.size());
  std::vector<ImU32> colors(points.size(), color);
  for (size_t i = 0; i < points.size(); ++i) xs[i] = points[i].x, ys[i] = points[i].y;
  ScatterPoints sp;
  sp.xs = xs.data();
  sp.ys = ys.data();
  sp.colors = colors.data();
  sp.count = int(points.size());
  sp.radius = 0.12f;
  PlotOptions po;
  po.size = size;
  po.title = title;
  po.x_min = po.y_min = -kView;
  po.x_max = po.y_max = kView;
  return ScatterPlot(id, sp, po);
}


std::vector<Point2> rows_to_points(const nn::Mat& m) {
  std::vector<Point2> p(static_cast<size_t>(m.rows()));
  for (Eigen::Index i = 0; i < m.rows(); ++i) p[size_t(i)] = {m(i, 0), m(i, 1)};
  return p;
}

class DiffusionLesson : public SlicedTrainingLesson {
 public:
  DiffusionLesson() { reset(); }

  const char* id() const override { return "diffusion"; }
  const char* title() const override { return tr("lessons.diffusion"); }
  const char* group() const override { return tr("groups.generative"); }
  void advance(double budget_ms) override;
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override {
    mark_shown();
    ShowLessonDiffusion();
  }

 private:
  bool can_train() const override { return !model_.diverged && model_.step < kMaxSteps; }
  long trained_steps() const override { return model_.step; }
  double recent_loss() const override { return recent_mean(model_.losses); }
  const prob::Dataset2dInfo& dataset() const { return prob::all_datasets2d()[size_t(dataset_)]; }
  int steps() const { return model_.schedule.steps(); }
  void reset() override {
    Rng data_rng(seed_, 0x64696664);
    data_ = prob::make_dataset2d(dataset().kind, kDataPoints, kDataNoise, data_rng).points;
    forward_noise_.resize(data_.size());  // fixed ε per point, so the t slider moves points smoothly
    for (Point2& e : forward_noise_) e = {data_rng.normal(), data_rng.normal()};
    Rng init_rng(seed_, 0x64696669);
    model_ = gen::make_toy_diffusion(config_, init_rng);
    config_ = model_.config;
    train_rng_.reseed(seed_, 0x64696674);
    for (int k = 0; k < 2; ++k) {
      const gen::NoiseSchedule s = gen::make_noise_schedule(k == 0 ? gen::ScheduleKind::Linear : gen::ScheduleKind::Cosine,
                                                            config_.steps);
      alpha_bar_curves_[k] = s.alpha_bars;
    }
    t_ = std::clamp(t_, 0, steps() - 1);
    ddim_k_ = std::clamp(ddim_k_, 1, steps());
    running_ = false;
    chain_active_ = playing_ = false;
    refresh_field();
  }
  void train_one() override {
    if (!gen::toy_diffusion_train_step(model_, data_, train_rng_) || model_.step >= kMaxSteps) running_ = false;
  }
  void refresh_field() {
    field_ = gen::toy_score_field(model_, t_, kFieldRes, kView);
    field_step_ = model_.step;
    field_t_ = t_;
    last_field_ = Clock::now();
  }
  void start_chain() {
    chain_ = gen::start_sampling(model_, sampler_, ddim_k_, eta_, kChainPoints, seed_ + chain_count_++);
    chain_active_ = playing_ = true;
  }
  void finish_chain() {
    if (!chain_active_) start_chain();
    while (!chain_.done()) gen::sampling_step(model_, chain_);
    playing_ = false;
  }
  void lower_learning_rate() { gen::set_toy_diffusion_lr(model_, model_.config.lr / 10), config_.lr = model_.config.lr; }

  void ShowLessonDiffusion();
  void show_controls();
  void show_forward_controls();
  void show_forward(ImVec2 size);
  void show_alpha_bar();
  void show_loss();
  void show_sampler_controls();
  void show_chain(ImVec2 size);
  void show_x0_hat(ImVec2 size);
  void show_field(ImVec2 size);

  int dataset_ = int(prob::Dataset2d::TwoMoons);
  gen::ToyDiffusionConfig config_;

  std::vector<Point2> data_, forward_noise_;
  gen::ToyDiffusion model_;
  Rng train_rng_{1};
  std::vector<double> alpha_bar_curves_[2];  // linear, cosine at the current T

  int t_ = 30;  // the forward process' and the arrows' time

  gen::Sampler sampler_ = gen::Sampler::Ddim;
  int ddim_k_ = 20;
  double eta_ = 0;
  int steps_per_frame_ = 1;  // animation speed
  gen::SamplingChain chain_;
  bool chain_active_ = false, playing_ = false;
  uint64_t chain_count_ = 0;

  std::vector<Point2> field_;
  long field_step_ = -1;
  int field_t_ = -1;
  Clock::time_point last_field_ = Clock::now();
  DdpmDigitsPanel digits_;
};

void DiffusionLesson::advance(double budget_ms) {
  const Clock::time_point start = Clock::now();
  const bool visible = take_shown();
  train_slice(start, budget_ms, 0.6);
  if (!visible) return;
  digits_.advance(std::max(1.0, budget_ms - ms_since(start)));
  if (playing_ && chain_active_) {
    for (int i = 0; i < steps_per_frame_ && !chain_.done() && (i == 0 || ms_since(start) < budget_ms); ++i)
      gen::sampling_step(model_, chain_);
    if (chain_.done()) playing_ = false;
  }
  const bool stale = field_step_ != model_.step || field_t_ != t_;
  if (stale && (field_t_ != t_ || !running_ || ms_since(last_field_) > kFieldEveryMs)) refresh_field();
}

CommandResult DiffusionLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "diffusion") return {};
  double a = 0;
  const bool has_number = w.size() == 3 && parse_number(w[2], a);
  const bool is_int = has_number && a == std::floor(a);
  if (w.size() == 3 && w[1] == "data") {
    const prob::Dataset2dInfo* d = prob::find_dataset2d(w[2]);
    if (!d) return {false, "no data set '" + w[2] + "' (moons, rings, blobs, circle8)"};
    dataset_ = int(d - prob::all_datasets2d().data());
    reset();
    return {true, "data " + w[2]};
  }
  if (w.size() == 3 && w[1] == "schedule") {
    if (w[2] != "linear" && w[2] != "cosine") return {false, "schedule: linear or cosine"};
    config_.schedule = w[2] == "linear" ? gen::ScheduleKind::Linear : gen::ScheduleKind::Cosine;
    reset();
    return {true, "schedule " + w[2]};
  }
  if (w.size() == 3 && w[1] == "steps") {
    if (!is_int || a < 10 || a > 1000) return {false, "steps (T): 10 to 1000"};
    config_.steps = int(a);
    reset();
    return {true, "T " + w[2]};
  }
  if (w.size() == 3 && w[1] == "lr") {
    if (!has_number || !(a > 0 && a <= 1)) return {false, "lr must be in (0, 1]"};
    gen::set_toy_diffusion_lr(model_, a);
    config_.lr = model_.config.lr;
    return {true, "lr " + w[2]};
  }
  if (w.size() == 3 && w[1] == "t") {
    if (!is_int || a < 0 || a >= steps()) return {false, "t: 0 to T−1 = " + std::to_string(steps() - 1)};
    t_ = int(a);
    refresh_field();
    return {true, "t " + w[2]};
  }
  if (w.size() == 3 && w[1] == "sampler") {
    if (w[2] != "ddpm" && w[2] != "ddim") return {false, "sampler: ddpm or ddim"};
    sampler_ = w[2] == "ddpm" ? gen::Sampler::Ddpm : gen::Sampler::Ddim;
    return {true, "sampler " + w[2]};
  }
  if (w.size() == 3 && w[1] == "ddim-steps") {
    if (!is_int || a < 1 || a > steps()) return {false, "ddim-steps: 1 to T = " + std::to_string(steps())};
    ddim_k_ = int(a);
    return {true, "ddim-steps " + w[2]};
  }
  if (w.size() == 3 && w[1] == "eta") {
    if (!has_number || a < 0 || a > 1) return {false, "eta: 0 to 1"};
    eta_ = a;
    return {true, "eta " + w[2]};
  }
  if (w.size() == 2 && w[1] == "sample") {
    start_chain();
    return {true, "sampling started"};
  }
  if (w.size() == 2 && w[1] == "sample-step") {
    if (!chain_active_ || chain_.done()) start_chain();
    playing_ = false;
    gen::sampling_step(model_, chain_);
    return {true, "sampling step"};
  }
  if (w.size() == 2 && w[1] == "sample-all") {
    finish_chain();
    return {true, "sampled"};
  }
  if (w.size() == 2 && w[1] == "lower-lr") {
    lower_learning_rate();
    return {true, "learning rate divided by 10"};
  }
  if (w.size() == 2 && w[1] == "reset") {
    reset();
    return {true, "reset"};
  }
  const CommandResult digits = digits_.command(w);
  if (digits.ok || !digits.message.empty()) return digits;
  return {false, "usage: diffusion data moons|rings|blobs|circle8 | diffusion schedule linear|cosine | "
                 "diffusion steps T | diffusion lr A | diffusion t N | diffusion sampler ddpm|ddim | "
                 "diffusion ddim-steps K | diffusion eta E | diffusion sample | diffusion sample-step | "
                 "diffusion sample-all | diffusion lower-lr | diffusion reset | diffusion digit N | "
                 "diffusion digit-t T | diffusion chain ddim|ddpm [K] | diffusion chain-finish | "
                 "diffusion chain-cancel | diffusion chain-png | diffusion load-model PATH | diffusion class C|all | "
                 "diffusion guidance W"};
}

nlohmann::json DiffusionLesson::state() const {
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  nlohmann::json chain = nullptr;
  if (chain_active_) {
    double mx = 0, my = 0;
    for (Eigen::Index i = 0; i < chain_.x.rows(); ++i) mx += chain_.x(i, 0), my += chain_.x(i, 1);
    chain = {{"step", chain_.next},
             {"total", chain_.timesteps.size()},
             {"t", chain_.current_t()},
             {"done", chain_.done()},
             {"mean_x", num(mx / double(chain_.x.rows()))},
             {"mean_y", num(my / double(chain_.x.rows()))}};
  }
  nlohmann::json s = {{"data", dataset().key},
          {"step", model_.step},
          {"loss", num(recent_loss())},
          {"schedule", gen::schedule_name(config_.schedule)},
          {"T", steps()},
          {"lr", config_.lr},
          {"hidden", config_.hidden},
          {"t", t_},
          {"alpha_bar_t", model_.schedule.alpha_bars[size_t(t_)]},
          {"sampler", sampler_ == gen::Sampler::Ddpm ? "ddpm" : "ddim"},
          {"ddim_steps", ddim_k_},
          {"eta", eta_},
          {"chain", chain},
          {"field_step", field_step_},
          {"diverged", model_.diverged},
          {"message", model_.message}};
  s.update(digits_.state());
  return s;
}

void DiffusionLesson::show_controls() {
  NextControlWidth(trl("diffusion.data"), 9);
  if (DatasetCombo(trl("diffusion.data"), dataset_)) reset();
  int kind = int(config_.schedule);
  const char* schedules[] = {tr("diffusion.schedule_linear"), tr("diffusion.schedule_cosine")};
  NextControlWidth(trl("diffusion.schedule"), 6, true);
  if (FittedCombo(trl("diffusion.schedule"), &kind, schedules, 2)) config_.schedule = gen::ScheduleKind(kind), reset();
  HelpMarker(tr("diffusion.help_schedule"));
  NextControlWidth("T", 6, true);
  if (ImGui::SliderInt("T", &config_.steps, 10, 1000, "%d", ImGuiSliderFlags_Logarithmic))
    config_.steps = std::clamp(config_.steps, 10, 1000), reset();
  HelpMarker(tr("diffusion.help_steps"));
  float lr_log = float(std::log10(config_.lr));
  NextControlWidth(trl("diffusion.learning_rate"), 7);
  if (ImGui::SliderFloat(trl("diffusion.learning_rate"), &lr_log, -5, 0, "")) {
    gen::set_toy_diffusion_lr(model_, std::pow(10.0, std::clamp(double(lr_log), -5.0, 0.0)));
    config_.lr = model_.config.lr;
  }
  char value[32];
  std::snprintf(value, sizeof value, "%.1e", config_.lr);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("diffusion.help_learning_rate"));
  if (ImGui::Button(running_ ? trl("diffusion.pause") : trl("diffusion.train"))) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("diffusion.step")));
  if (ImGui::Button(trl("diffusion.step"))) step_once();
  SameLineIfFits(ButtonWidth(trl("diffusion.reset")));
  if (ImGui::Button(trl("diffusion.reset"))) reset();
  SameLineIfFits(TextWidth((std::string(tr("diffusion.step_name")) + " 000000" + tr("common.paused_suffix")).c_str()));
  TrainingStatusLine(tr("diffusion.step_name"), model_.step, running_, steps_per_second_, tr("diffusion.steps_per_second"));
  if (model_.diverged) {
    const DivergedChoice choice = DivergedNotice(trf("diffusion.diverged", model_.message.c_str()), trl("diffusion.lower_lr"));
    if (choice == DivergedChoice::LowerLearningRate) lower_learning_rate();
    if (choice == DivergedChoice::Reset) reset();
  }
}

void DiffusionLesson::show_forward_controls() {
  NextControlWidth("t##forward", 12);
  if (ImGui::SliderInt("t##forward", &t_, 0, steps() - 1)) t_ = std::clamp(t_, 0, steps() - 1);
  const double bar = model_.schedule.alpha_bars[size_t(t_)];
  ImGui::TextWrapped("ᾱ_t = %.4f", bar);
  ImGui::TextWrapped("x_t = %.3f·x₀ + %.3f·ε", std::sqrt(bar), std::sqrt(1 - bar));
  HelpMarker(tr("diffusion.help_forward"));
}

void DiffusionLesson::show_forward(ImVec2 size) {
  // x_t for every data point, each with its own fixed ε.
  std::vector<Point2> xt(data_.size());
  for (size_t i = 0; i < data_.size(); ++i) {
    const float x0[2] = {float(data_[i].x), float(data_[i].y)};
    const float eps[2] = {float(forward_noise_[i].x), float(forward_noise_[i].y)};
    float out[2];
    gen::q_sample(model_.schedule, t_, x0, eps, out, 2);
    xt[i] = {out[0], out[1]};
  }
  const std::string title = trf("diffusion.forward_title", t_);
  scatter("diffusion-forward", xt, title.c_str(), size, category_u32(0, 200));
}

void DiffusionLesson::show_alpha_bar() {
  // ᾱ_t of both schedules, with the current t.
  std::vector<double> ts(alpha_bar_curves_[0].size());
  for (size_t i = 0; i < ts.size(); ++i) ts[i] = double(i);
  const double marker_x[2] = {double(t_), double(t_)}, marker_y[2] = {0, 1};
  LineSeries series[3];
  series[0].xs = series[1].xs = ts.data();
  series[0].ys = alpha_bar_curves_[0].data();
  series[1].ys = alpha_bar_curves_[1].data();
  series[0].count = series[1].count = int(ts.size());
  series[0].label = tr("diffusion.legend_linear");
  series[1].label = tr("diffusion.legend_cosine");
  series[2].xs = marker_x;
  series[2].ys = marker_y;
  series[2].count = 2;
  series[2].label = "t";
  series[2].color = IM_COL32(200, 200, 200, 200);
  PlotOptions po;
  po.title = tr("diffusion.alpha_bar_title");
  po.x_label = "t";
  po.size = FitFigure({1.4f, 1, false});
  po.y_min = 0;
  po.y_max = 1;
  LinePlot("diffusion-alpha-bar", series, 3, po);
}

void DiffusionLesson::show_loss() {
  LineSeries loss;
  loss.ys = model_.losses.data();
  loss.count = int(model_.losses.size());
  loss.label = "‖ε − ε_θ(x_t, t)‖²";
  PlotOptions po;
  po.title = tr("diffusion.loss_title");
  po.x_label = tr("diffusion.step_axis");
  po.size = FitFigure({1.4f, 1, false});
  po.legend = false;
  po.log_y = true;  // a blow-up at a large learning rate would flatten the rest
  LinePlot("diffusion-loss", &loss, 1, po);
}

void DiffusionLesson::show_sampler_controls() {
  int kind = int(sampler_);
  NextControlWidth(trl("diffusion.sampler"), 5);
  if (FittedCombo(trl("diffusion.sampler"), &kind, "DDPM\0DDIM\0")) sampler_ = gen::Sampler(kind);
  HelpMarker(tr("diffusion.help_sampler"));
  if (sampler_ == gen::Sampler::Ddim) {
    NextControlWidth(trl("diffusion.ddim_steps"), 6, true);
    if (ImGui::SliderInt(trl("diffusion.ddim_steps"), &ddim_k_, 1, steps())) ddim_k_ = std::clamp(ddim_k_, 1, steps());
    float eta = float(eta_);
    NextControlWidth("η", 5, true);
    if (ImGui::SliderFloat("η", &eta, 0, 1, "%.2f")) eta_ = std::clamp(double(eta), 0.0, 1.0);
    HelpMarker(tr("diffusion.help_eta"));
  }
  if (ImGui::Button(trl("diffusion.sample"))) start_chain();
  if (chain_active_) {
    const char* play = playing_ ? trl("diffusion.chain_pause") : trl("diffusion.chain_play");
    SameLineIfFits(ButtonWidth(play));
    if (ImGui::Button(play) && !chain_.done()) playing_ = !playing_;
    SameLineIfFits(ButtonWidth(trl("diffusion.chain_step")));
    if (ImGui::Button(trl("diffusion.chain_step"))) playing_ = false, gen::sampling_step(model_, chain_);
    SameLineIfFits(ButtonWidth(trl("diffusion.to_x0")));
    if (ImGui::Button(trl("diffusion.to_x0"))) finish_chain();
  }
  NextControlWidth(trl("diffusion.steps_per_frame"), 5, true);
  if (ImGui::SliderInt(trl("diffusion.steps_per_frame"), &steps_per_frame_, 1, 20))
    steps_per_frame_ = std::clamp(steps_per_frame_, 1, 20);
  if (chain_active_) {
    const std::string line = chain_.done()
                                  ? trf("diffusion.chain_done", chain_.timesteps.size(), chain_.timesteps.size())
                                  : trf("diffusion.chain_progress", chain_.next, chain_.timesteps.size(), chain_.current_t());
    SameLineIfFits(TextWidth(line.c_str()));
    ImGui::TextDisabled("%s", line.c_str());
  }
  ImGui::TextWrapped("%s", tr("diffusion.arrows"));
  HelpMarker(tr("diffusion.help_arrows"));
  ImGui::TextWrapped("%s", tr("diffusion.predicted_x0"));
  HelpMarker(tr("diffusion.help_predicted_x0"));
}

void DiffusionLesson::show_chain(ImVec2 size) {
  // The chain's current points over the data (grey).
  const ImU32 data_color = IM_COL32(150, 150, 150, 90), chain_color = category_u32(1, 220);
  static const std::vector<Point2> none;
  const std::vector<Point2> current = chain_active_ ? rows_to_points(chain_.x) : none;
  const std::string title = !chain_active_ ? std::string(tr("diffusion.chain_title_idle"))
                            : chain_.done() ? std::string(tr("diffusion.chain_title_done"))
                                            : trf("diffusion.chain_title_step", chain_.current_t());
  const ScatterResult r = scatter("diffusion-chain", data_, title.c_str(), size, data_color);
  MainFigure("the reverse chain");
  draw_data_points(r.transform, current, nullptr, chain_color, 0.12f);
}

void DiffusionLesson::show_x0_hat(ImVec2 size) {
  // The x̂₀ the chain's current step implies.
  const ImU32 data_color = IM_COL32(150, 150, 150, 90), x0_color = category_u32(2, 220);
  static const std::vector<Point2> none;
  const std::vector<Point2> x0_hat = chain_active_ ? rows_to_points(chain_.x0_hat) : none;
  const ScatterResult r0 = scatter("diffusion-x0", data_, tr("diffusion.x0_title"), size, data_color);
  draw_data_points(r0.transform, x0_hat, nullptr, x0_color, 0.12f);
}

void DiffusionLesson::show_field(ImVec2 size) {
  // The learned score field at t over the data.
  const ImU32 data_color = IM_COL32(150, 150, 150, 90);
  const std::string title = trf("diffusion.field_title", field_t_);
  const ScatterResult r = scatter("diffusion-field", data_, title.c_str(), size, data_color);
  double max_len = 0;
  for (const Point2& s : field_) max_len = std::max(max_len, std::hypot(s.x, s.y));
  const float cell = (r.transform.pixel_max.x - r.transform.pixel_min.x) / kFieldRes;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double step = 2 * kView / kFieldRes;
  for (int row = 0; row < kFieldRes && max_len > 0 && std::isfinite(max_len); ++row)
    for (int c = 0; c < kFieldRes; ++c) {
      const Point2& s = field_[size_t(row) * kFieldRes + size_t(c)];
      const ImVec2 from = r.transform.to_pixel(-kView + (c + 0.5) * step, kView - (row + 0.5) * step);
      const double k = 0.9 * cell / max_len;  // longest arrow: 0.9 cells; screen y grows downward
      draw_small_arrow(dl, from, ImVec2(from.x + float(k * s.x), from.y - float(k * s.y)), IM_COL32(255, 200, 80, 230));
    }
}

void DiffusionLesson::ShowLessonDiffusion() {
  LessonPanes(
      [this] {
        ImGui::TextWrapped("%s", tr("diffusion.intro"));
        show_controls();
        SectionHeading(tr("diffusion.reverse_heading"));
        show_sampler_controls();
        SectionHeading(tr("diffusion.forward_heading"));
        show_forward_controls();
        show_alpha_bar();
        show_loss();
      },
      [this] {
        show_chain(FitFigure({1}));
        FigureRow({{1.0f, [this](ImVec2 s) { show_x0_hat(s); }}, {1.0f, [this](ImVec2 s) { show_field(s); }}});
        show_forward(FitFigure({1, 0.5f, false}));
        digits_.show();
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_diffusion() { return std::make_unique<DiffusionLesson>(); }

}  // namespace ll::ui
