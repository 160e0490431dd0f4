// [gmm] A latent-variable model, p(x) = Σ_z p(z)·p(x|z): a mixture of 2-D Gaussians fitted by
// EM. The E-step's responsibilities colour the points, the M-step's Gaussians are drawn as
// 1σ/2σ ellipses, the log-likelihood is plotted per iteration; k-means is the same loop with
// hard assignments. Click to add points, pick a preset, sample from the fitted model.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/prob/datasets2d.hpp"
#include "ml/prob/gmm.hpp"
#include "ml/rng.hpp"

namespace ll::ui {

namespace {

using namespace prob_ui;
using prob::Point2;

constexpr int kMaxK = 10;
constexpr int kMaxPoints = 5000;
constexpr double kMaxCoordinate = 1e6;  // `gmm add` refuses points farther out
constexpr double kView = 4.0;               // the plot shows [−kView, kView]²
constexpr double kConvergedDelta = 1e-7;    // EM stops when the average log-likelihood gains less
constexpr int kMaxIterations = 2000;

enum class Algorithm { EM, KMeans };

// The lesson's own notes under the fit, kept as what happened (not as text) so that they are drawn in
// the interface's language.
enum class Note { None, TooManyPoints, PointAdded, NoPoints, Converged, StepRefused };


// Components or centres, numbered from 1 as the table shows them: "1, 3" / "1、3".
std::string component_list(const std::vector<int>& ks) {
  std::string s;
  for (size_t i = 0; i < ks.size(); ++i) s += (i ? tr("gmm.list_separator") : "") + std::to_string(ks[i] + 1);
  return s;
}

class GmmLesson : public Lesson {
 public:
  GmmLesson() { load_preset(); }

  const char* id() const override { return "gmm"; }
  const char* title() const override { return tr("lessons.gmm"); }
  const char* group() const override { return tr("groups.probability"); }
  bool has_training() const override { return true; }

  TrainingStatus training() const override {
    if (algorithm_ == Algorithm::EM)
      return {running_, long(fit_.iteration), fit_.ok ? -fit_.log_likelihood.back() : NAN};
    return {running_, long(km_.iteration), km_.inertia.empty() ? NAN : km_.inertia.back()};
  }
  void set_running(bool running) override {
    running_ = running && !points_.empty();
    if (running_ && converged_) restart_fit();  // Run after convergence starts over from a fresh initialisation
    carry_ = 0;
  }
  void step_once() override {
    running_ = false;
    step();
  }
  void reseed(uint64_t seed) override {
    seed_ = seed;
    load_preset();
  }
  void advance(double budget_ms) override {
    if (!running_) return;
    carry_ += ImGui::GetIO().DeltaTime * iterations_per_second_;
    const int steps = std::min(int(carry_), 200);
    carry_ -= double(int(carry_));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < steps && running_; ++i) {
      step();
      if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() > budget_ms) break;
    }
  }

  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override { ShowLessonGmm(); }

 private:
  void load_preset() {
    Rng data_rng(seed_, 0x676d6d);
    points_.clear();
    if (preset_ >= 0) {
      const auto& info = prob::all_datasets2d()[size_t(preset_)];
      points_ = prob::make_dataset2d(info.kind, n_points_, noise_, data_rng).points;
    }
    samples_.clear();
    restart_fit();
  }
  void restart_fit() {
    Rng fit_rng(seed_ + uint64_t(restarts_), 0x656d);
    ++restarts_;
    fit_ = prob::start_gmm(points_, {k_, init_, 1e-3}, fit_rng);
    km_ = prob::start_kmeans(points_, k_, fit_rng);
    converged_ = false;
    running_ = running_ && !points_.empty();
    note_ = Note::None;
    // What the start had to adjust (the core's fit message, as data).
    k_reduced_ = fit_.ok && fit_.model.k() < k_;
    singular_start_ = false;
    if (fit_.ok) {
      prob::Cov2 all = prob::fit_gaussian2(points_.data(), points_.size()).cov;
      singular_start_ = prob::floor_eigenvalues(all, fit_.variance_floor);
    }
    reseeded_.clear();
    floored_.clear();
    km_emptied_.clear();
  }
  void add_point(Point2 p) {
    if (int(points_.size()) >= kMaxPoints) {
      note_ = Note::TooManyPoints;
      return;
    }
    points_.push_back(p);
    if (!fit_.ok || points_.size() <= size_t(fit_.model.k())) {
      restart_fit();
      return;
    }
    // Keep the current model; the E-step and the curves start again on the new data.
    fit_.log_likelihood.assign(1, prob::gmm_responsibilities(fit_.model, points_, fit_.responsibilities));
    int nearest = 0;
    double best = INFINITY;
    for (size_t c = 0; c < km_.centers.size(); ++c) {
      const double d = std::hypot(p.x - km_.centers[c].x, p.y - km_.centers[c].y);
      if (d < best) best = d, nearest = int(c);
    }
    km_.assignment.push_back(nearest);
    converged_ = false;
    note_ = Note::PointAdded;
  }
  void step() {
    if (points_.empty()) {
      running_ = false;
      note_ = Note::NoPoints;
      return;
    }
    if (algorithm_ == Algorithm::EM) {
      const prob::EmStepReport r = prob::em_step(fit_, points_);
      if (!std::isfinite(r.log_likelihood)) {
        // The step was refused or undone (the last good fit is kept): stop and say why.
        running_ = false;
        note_ = Note::StepRefused;
        refused_message_ = r.message;
        return;
      }
      if (!r.reseeded.empty() || !r.floored.empty()) reseeded_ = r.reseeded, floored_ = r.floored;
      const auto& ll = fit_.log_likelihood;
      const bool flat = ll.size() >= 2 && std::fabs(ll[ll.size() - 1] - ll[ll.size() - 2]) < kConvergedDelta;
      converged_ = (flat && r.reseeded.empty()) || fit_.iteration >= kMaxIterations;
    } else {
      // The centres no point is assigned to jump in this step (the core says so in English).
      std::vector<int> members(km_.centers.size(), 0);
      for (int c : km_.assignment)
        if (c >= 0 && c < int(members.size())) ++members[size_t(c)];
      km_emptied_.clear();
      for (size_t c = 0; c < members.size(); ++c)
        if (members[c] == 0) km_emptied_.push_back(int(c));
      converged_ = !prob::kmeans_step(km_, points_) || km_.iteration >= kMaxIterations;
    }
    if (converged_) {
      running_ = false;
      note_ = Note::Converged;
    }
  }
  void draw_samples() {
    if (!fit_.ok) return;
    Rng sample_rng(seed_ + 1000 + uint64_t(sample_draws_++), 0x73616d);
    samples_ = prob::sample_gmm(fit_.model, n_samples_, sample_rng, &sample_components_);
  }

  void ShowLessonGmm();
  void show_controls();
  void show_plot(ImVec2 size);
  void show_side_panel();
  std::vector<std::string> fit_messages() const;
  std::string note_text() const;

  std::vector<Point2> points_;
  int preset_ = 2;  // index into all_datasets2d(); −1 = empty
  int n_points_ = 400;
  double noise_ = 0.1;
  int k_ = 3;
  prob::GmmInit init_ = prob::GmmInit::KMeansPlusPlus;
  Algorithm algorithm_ = Algorithm::EM;
  prob::GmmFit fit_;
  prob::KMeans km_;
  bool running_ = false, converged_ = false;
  double carry_ = 0, iterations_per_second_ = 4;
  Note note_ = Note::None;
  std::string refused_message_;  // the core's reason when an EM step was refused (rare: non-finite numbers)
  // The core's fit message as data: what the start adjusted, what the latest EM step repaired, which
  // k-means centres had no points.
  bool k_reduced_ = false, singular_start_ = false;
  std::vector<int> reseeded_, floored_, km_emptied_;
  uint64_t seed_ = 1;
  int restarts_ = 0, sample_draws_ = 0;
  std::vector<Point2> samples_;
  std::vector<int> sample_components_;
  int n_samples_ = 400;
  bool show_ellipses_ = true;
  int inspected_ = -1;  // point whose E-step is spelled out
};

CommandResult GmmLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "gmm") return {};
  double a = 0, b = 0;
  if (w.size() == 3 && w[1] == "k") {
    if (!parse_number(w[2], a) || a != std::floor(a) || a < 1 || a > kMaxK)
      return {false, "K must be a whole number from 1 to " + std::to_string(kMaxK)};
    k_ = int(a);
    restart_fit();
    return {true, "K = " + w[2]};
  }
  if (w.size() == 3 && w[1] == "preset") {
    if (w[2] == "empty") {
      preset_ = -1;
    } else {
      const prob::Dataset2dInfo* d = prob::find_dataset2d(w[2]);
      if (!d) return {false, "no preset '" + w[2] + "' (moons, rings, blobs, circle8, empty)"};
      preset_ = int(d - prob::all_datasets2d().data());
    }
    load_preset();
    return {true, "preset " + w[2]};
  }
  if (w.size() == 3 && w[1] == "points") {
    if (!parse_number(w[2], a) || a < 1 || a > kMaxPoints) return {false, "points: 1 to " + std::to_string(kMaxPoints)};
    n_points_ = int(a);
    load_preset();
    return {true, "points " + w[2]};
  }
  if (w.size() == 3 && w[1] == "algorithm" && (w[2] == "em" || w[2] == "kmeans")) {
    algorithm_ = w[2] == "em" ? Algorithm::EM : Algorithm::KMeans;
    restart_fit();
    return {true, "algorithm " + w[2]};
  }
  if (w.size() == 3 && w[1] == "init" && (w[2] == "random" || w[2] == "kmeans++")) {
    init_ = w[2] == "random" ? prob::GmmInit::RandomPoints : prob::GmmInit::KMeansPlusPlus;
    restart_fit();
    return {true, "init " + w[2]};
  }
  if (w.size() == 4 && w[1] == "add") {
    if (!parse_number(w[2], a) || !parse_number(w[3], b)) return {false, "usage: gmm add X Y"};
    if (std::fabs(a) > kMaxCoordinate || std::fabs(b) > kMaxCoordinate)
      return {false, "gmm add: coordinates must be within ±1e6"};
    add_point({a, b});
    return {true, "point added"};
  }
  if (w.size() == 2 && w[1] == "restart") {
    restart_fit();
    return {true, "restarted"};
  }
  if (w.size() == 3 && w[1] == "sample") {
    if (!parse_number(w[2], a) || a < 1 || a > 20000) return {false, "sample: 1 to 20000 points"};
    if (!fit_.ok) return {false, "nothing fitted yet"};
    n_samples_ = int(a);
    draw_samples();
    return {true, "sampled " + w[2]};
  }
  if (w.size() == 3 && w[1] == "speed") {
    if (!parse_number(w[2], a) || a < 0.5 || a > 500) return {false, "speed: 0.5 to 500 iterations per second"};
    iterations_per_second_ = a;
    return {true, "speed " + w[2]};
  }
  return {false,
          "usage: gmm k N | gmm preset moons|rings|blobs|circle8|empty | gmm points N | gmm algorithm em|kmeans | "
          "gmm init random|kmeans++ | gmm add X Y | gmm restart | gmm sample N | gmm speed S"};
}

nlohmann::json GmmLesson::state() const {
  nlohmann::json weights = nlohmann::json::array(), means = nlohmann::json::array();
  for (int k = 0; fit_.ok && k < fit_.model.k(); ++k) {
    weights.push_back(fit_.model.weights[size_t(k)]);
    means.push_back({fit_.model.components[size_t(k)].mean.x, fit_.model.components[size_t(k)].mean.y});
  }
  const double ll = fit_.ok ? fit_.log_likelihood.back() : NAN;
  return {{"algorithm", algorithm_ == Algorithm::EM ? "em" : "kmeans"},
          {"iteration", algorithm_ == Algorithm::EM ? fit_.iteration : km_.iteration},
          {"log_likelihood", std::isfinite(ll) ? nlohmann::json(ll) : nlohmann::json()},
          {"inertia", km_.inertia.empty() ? nlohmann::json() : nlohmann::json(km_.inertia.back())},
          {"k", fit_.ok ? fit_.model.k() : k_},
          {"n_points", points_.size()},
          {"converged", converged_},
          {"weights", weights},
          {"means", means},
          {"samples", samples_.size()},
          {"message", fit_.message}};
}

void GmmLesson::show_controls() {
  NextControlWidth(trl("gmm.data"), 11);
  const char* preset_name = preset_ >= 0 ? tr(dataset_key(prob::all_datasets2d()[size_t(preset_)].kind))
                                         : tr("gmm.data_empty");
  if (BeginFittedCombo(trl("gmm.data"), preset_name)) {
    if (ImGui::Selectable(trl("gmm.data_empty"), preset_ < 0)) preset_ = -1, load_preset();
    for (size_t i = 0; i < prob::all_datasets2d().size(); ++i)
      if (ImGui::Selectable(trl(dataset_key(prob::all_datasets2d()[i].kind)), int(i) == preset_))
        preset_ = int(i), load_preset();
    ImGui::EndCombo();
  }
  NextControlWidth(trl("gmm.points"), 7, true);
  if (ImGui::SliderInt(trl("gmm.points"), &n_points_, 10, 2000, "%d", ImGuiSliderFlags_Logarithmic)) {
    n_points_ = std::clamp(n_points_, 10, 2000);
    load_preset();
  }
  float noise = float(noise_);
  NextControlWidth(trl("gmm.spread"), 6, true);
  if (ImGui::SliderFloat(trl("gmm.spread"), &noise, 0.0f, 0.4f, "%.2f"))
    noise_ = std::clamp(double(noise), 0.0, 0.4), load_preset();
  HelpMarker(tr("gmm.help_spread"));
  SameLineIfFits(ButtonWidth(trl("gmm.clear")));
  if (ImGui::Button(trl("gmm.clear"))) preset_ = -1, load_preset();

  int alg = int(algorithm_);
  if (ImGui::RadioButton(trl("gmm.em_soft"), &alg, 0)) algorithm_ = Algorithm::EM, restart_fit();
  SameLineIfFits(CheckboxWidth(trl("gmm.kmeans_hard")));
  if (ImGui::RadioButton(trl("gmm.kmeans_hard"), &alg, 1)) algorithm_ = Algorithm::KMeans, restart_fit();
  HelpMarker(tr("gmm.help_algorithm"));
  NextControlWidth("K", 6);
  if (ImGui::SliderInt("K", &k_, 1, kMaxK)) k_ = std::clamp(k_, 1, kMaxK), restart_fit();
  HelpMarker(tr("gmm.help_k"));
  int init = int(init_);
  const char* inits[] = {tr("gmm.init_random"), "k-means++"};
  NextControlWidth(trl("gmm.init"), 8, true);
  if (FittedCombo(trl("gmm.init"), &init, inits, 2)) init_ = prob::GmmInit(init), restart_fit();
  HelpMarker(tr("gmm.help_init"));
  SameLineIfFits(ButtonWidth(trl("gmm.restart")));
  if (ImGui::Button(trl("gmm.restart"))) restart_fit();

  if (ImGui::Button(running_ ? trl("gmm.pause") : trl("gmm.run"))) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("gmm.step")));
  if (ImGui::Button(trl("gmm.step"))) step_once();
  float speed = float(iterations_per_second_);
  NextControlWidth(trl("gmm.speed"), 7, true);
  if (ImGui::SliderFloat(trl("gmm.speed"), &speed, 0.5f, 200, "%.1f", ImGuiSliderFlags_Logarithmic))
    iterations_per_second_ = std::clamp(double(speed), 0.5, 500.0);
  ImGui::BeginDisabled(!fit_.ok || algorithm_ != Algorithm::EM);
  SameLineIfFits(ButtonWidth(trl("gmm.sample")));
  if (ImGui::Button(trl("gmm.sample"))) draw_samples();
  ImGui::EndDisabled();
  HelpMarker(tr("gmm.help_sample"));
  if (!samples_.empty()) {
    SameLineIfFits(ButtonWidth(trl("gmm.hide_samples")));
    if (ImGui::Button(trl("gmm.hide_samples"))) samples_.clear();
  }
  SameLineIfFits(CheckboxWidth(trl("gmm.ellipses")));
  ImGui::Checkbox(trl("gmm.ellipses"), &show_ellipses_);
  TextDisabledWrapped(tr("gmm.hint"));
}


void GmmLesson::show_plot(ImVec2 size) {
  const size_t n = points_.size();
  std::vector<double> xs(n), ys(n);
  std::vector<ImU32> colors(n);
  const int K = fit_.ok ? fit_.model.k() : 0;
  for (size_t i = 0; i < n; ++i) {
    xs[i] = points_[i].x;
    ys[i] = points_[i].y;
    if (algorithm_ == Algorithm::EM && fit_.ok)
      colors[i] = mixed_category_u32(&fit_.responsibilities[i * size_t(K)], K, 230);
    else if (algorithm_ == Algorithm::KMeans && i < km_.assignment.size())
      colors[i] = category_u32(km_.assignment[i], 230);
    else
      colors[i] = IM_COL32(200, 200, 200, 230);
  }
  ScatterPoints sp;
  sp.xs = xs.data();
  sp.ys = ys.data();
  sp.count = int(n);
  sp.colors = colors.data();
  sp.radius = 0.2f;
  PlotOptions po;
  po.size = size;
  po.title = algorithm_ == Algorithm::EM ? tr("gmm.plot_em_title") : tr("gmm.plot_kmeans_title");
  po.x_min = po.y_min = -kView;
  po.x_max = po.y_max = kView;
  const ScatterResult r = ScatterPlot("gmm-data", sp, po);
  MainFigure("data and components");
  const PlotTransform& t = r.transform;
  const float fs = ImGui::GetFontSize();
  if (!samples_.empty()) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(t.pixel_min, t.pixel_max, true);
    for (size_t i = 0; i < samples_.size(); ++i) {
      const ImVec2 c = t.to_pixel(samples_[i].x, samples_[i].y);
      if (t.contains(c)) dl->AddCircle(c, fs * 0.16f, category_u32(sample_components_[i], 200), 10, 1.5f);
    }
    dl->PopClipRect();
  }
  if (algorithm_ == Algorithm::EM && fit_.ok) {
    for (int k = 0; k < K && show_ellipses_; ++k) {
      const prob::Gaussian2& g = fit_.model.components[size_t(k)];
      const float w = std::max(1.5f, fs * 0.08f * float(1 + 2 * fit_.model.weights[size_t(k)]));
      draw_data_ellipse(t, g, 1.0, category_u32(k, 255), w);
      draw_data_ellipse(t, g, 2.0, category_u32(k, 150), std::max(1.0f, w * 0.6f));
    }
    for (int k = 0; k < K; ++k) draw_data_cross(t, fit_.model.components[size_t(k)].mean, category_u32(k));
  } else if (algorithm_ == Algorithm::KMeans) {
    for (size_t c = 0; c < km_.centers.size(); ++c) draw_data_cross(t, km_.centers[c], category_u32(int(c)));
  }
  if (r.hovered_point >= 0) inspected_ = r.hovered_point;
  if (r.clicked && r.clicked_point < 0) add_point({r.clicked_x, r.clicked_y});
}

// The core's fit message (English) in the interface's language, from what the fit reported as data.
std::vector<std::string> GmmLesson::fit_messages() const {
  std::vector<std::string> out;
  if (!fit_.ok) {
    out.push_back(points_.empty() ? std::string(tr("gmm.no_points")) : trf("gmm.fit_says", fit_.message.c_str()));
    return out;
  }
  if (algorithm_ == Algorithm::KMeans) {
    if (!km_emptied_.empty()) out.push_back(trf("gmm.centre_emptied", component_list(km_emptied_).c_str()));
    return out;
  }
  if (note_ == Note::StepRefused) return out;  // the note says why
  if (!reseeded_.empty()) out.push_back(trf("gmm.reseeded", component_list(reseeded_).c_str()));
  if (!floored_.empty())
    out.push_back(trf("gmm.floored", component_list(floored_).c_str(), fit_.variance_floor));
  if (!out.empty()) return out;
  if (k_reduced_) out.push_back(trf("gmm.k_reduced", k_, fit_.model.k()));
  else if (singular_start_) out.push_back(trf("gmm.singular_start", fit_.variance_floor));
  return out;
}

std::string GmmLesson::note_text() const {
  switch (note_) {
    case Note::None: return "";
    case Note::TooManyPoints: return trf("gmm.too_many_points", kMaxPoints);
    case Note::PointAdded: return tr("gmm.point_added");
    case Note::NoPoints: return tr("gmm.no_points");
    case Note::Converged:
      return trf("gmm.converged", algorithm_ == Algorithm::EM ? fit_.iteration : km_.iteration);
    case Note::StepRefused: return trf("gmm.step_refused", refused_message_.c_str());
  }
  return "";
}

void GmmLesson::show_side_panel() {
  if (!fit_.ok) {
    for (const std::string& m : fit_messages()) ImGui::TextWrapped("%s", m.c_str());
    return;
  }
  const int K = fit_.model.k();
  if (algorithm_ == Algorithm::EM) {
    ImGui::TextWrapped("%s", trf("gmm.iteration", fit_.iteration).c_str());
    ImGui::TextWrapped("%s", trf("gmm.average_ll", fit_.log_likelihood.back()).c_str());
    HelpMarker(tr("gmm.help_ll"));
    LineSeries s;
    s.ys = fit_.log_likelihood.data();
    s.count = int(fit_.log_likelihood.size());
    s.label = tr("gmm.legend_ll");
    PlotOptions po;
    po.title = tr("gmm.ll_title");
    po.x_label = tr("gmm.axis_iteration");
    po.size = FitFigure({1.6f, 1, false, 0, 5});
    LinePlot("gmm-ll", &s, 1, po);
  } else {
    ImGui::TextWrapped("%s", trf("gmm.iteration", km_.iteration).c_str());
    ImGui::TextWrapped("%s", trf("gmm.inertia_value", km_.inertia.empty() ? NAN : km_.inertia.back()).c_str());
    LineSeries s;
    s.ys = km_.inertia.data();
    s.count = int(km_.inertia.size());
    s.label = tr("gmm.legend_inertia");
    PlotOptions po;
    po.title = tr("gmm.inertia_title");
    po.x_label = tr("gmm.axis_iteration");
    po.size = FitFigure({1.6f, 1, false, 0, 5});
    LinePlot("km-inertia", &s, 1, po);
  }
  const std::vector<std::string> messages = fit_messages();
  if (!messages.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.3f, 1));
    for (const std::string& m : messages) ImGui::TextWrapped("%s", m.c_str());
    ImGui::PopStyleColor();
  }
  if (note_ != Note::None) ImGui::TextWrapped("%s", note_text().c_str());

  if (algorithm_ == Algorithm::EM) {
    SectionHeading(tr("gmm.e_step_heading"));
    ImGui::TextWrapped("r_ik = π_k N(x_i; μ_k, Σ_k) / Σ_j π_j N(x_i; μ_j, Σ_j)");
    const int i = inspected_ >= 0 && inspected_ < int(points_.size()) ? inspected_ : int(points_.size()) - 1;
    const Point2 x = points_[size_t(i)];
    ImGui::TextWrapped("%s", trf("gmm.point_at", i, x.x, x.y).c_str());
    double total = 0;
    std::vector<double> joint(static_cast<size_t>(K));
    for (int k = 0; k < K; ++k) {
      joint[size_t(k)] =
          fit_.model.weights[size_t(k)] * std::exp(prob::gaussian2_log_pdf(fit_.model.components[size_t(k)], x));
      total += joint[size_t(k)];
    }
    for (int k = 0; k < K; ++k) {
      const double pdf = std::exp(prob::gaussian2_log_pdf(fit_.model.components[size_t(k)], x));
      ImGui::PushStyleColor(ImGuiCol_Text, category_u32(k));
      ImGui::TextWrapped("k=%d: %.3f × %.4g = %.4g  → r = %.3f", k + 1, fit_.model.weights[size_t(k)], pdf,
                         joint[size_t(k)], fit_.responsibilities[size_t(i) * size_t(K) + size_t(k)]);
      ImGui::PopStyleColor();
    }
    ImGui::TextWrapped("p(x) = Σ = %.4g", total);

    SectionHeading(tr("gmm.m_step_heading"));
    ImGui::TextWrapped("N_k = Σ_i r_ik,  π_k = N_k / n,  μ_k = Σ_i r_ik x_i / N_k,  Σ_k = Σ_i r_ik (x_i−μ_k)(x_i−μ_k)^T / N_k");
    // Many columns for a narrow pane: the table scrolls sideways rather than cutting numbers.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float table_h = float(K + 1) * (ImGui::GetTextLineHeight() + 2 * style.CellPadding.y) +
                          style.ScrollbarSize + Em(0.5f);
    if (ImGui::BeginTable("components", 5,
                          ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX,
                          ImVec2(0, table_h))) {
      ImGui::TableSetupColumn("k");
      ImGui::TableSetupColumn("π_k");
      ImGui::TableSetupColumn("N_k");
      ImGui::TableSetupColumn("μ_k");
      ImGui::TableSetupColumn("Σ_k (xx, xy, yy)");
      ImGui::TableSetupScrollFreeze(1, 0);
      ImGui::TableHeadersRow();
      for (int k = 0; k < K; ++k) {
        const prob::Gaussian2& g = fit_.model.components[size_t(k)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(category_u32(k)), "%d", k + 1);
        ImGui::TableNextColumn();
        ImGui::Text("%.3f", fit_.model.weights[size_t(k)]);
        ImGui::TableNextColumn();
        ImGui::Text("%.1f", fit_.model.weights[size_t(k)] * double(points_.size()));
        ImGui::TableNextColumn();
        ImGui::Text("(%.2f, %.2f)", g.mean.x, g.mean.y);
        ImGui::TableNextColumn();
        ImGui::Text("%.3f, %.3f, %.3f", g.cov.xx, g.cov.xy, g.cov.yy);
      }
      ImGui::EndTable();
    }
  } else {
    SectionHeading(tr("gmm.kmeans_heading"));
    ImGui::TextWrapped("%s", tr("gmm.kmeans_text"));
  }
}

void GmmLesson::ShowLessonGmm() {
  LessonPanes(
      [this] {
        ImGui::TextWrapped("%s", tr("gmm.intro"));
        show_controls();
        ImGui::Separator();
        show_side_panel();
      },
      [this] { show_plot(FitFigure({1.0f})); });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_gmm() { return std::make_unique<GmmLesson>(); }

}  // namespace ll::ui
