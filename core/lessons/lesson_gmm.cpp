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
    note_.clear();
  }
  void add_point(Point2 p) {
    if (int(points_.size()) >= kMaxPoints) {
      note_ = "At most " + std::to_string(kMaxPoints) + " points.";
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
    note_ = "Point added: the fit continues from the current model (the curve restarts on the new data).";
  }
  void step() {
    if (points_.empty()) {
      running_ = false;
      note_ = "No points: click the plot to add some, or load a preset.";
      return;
    }
    if (algorithm_ == Algorithm::EM) {
      const prob::EmStepReport r = prob::em_step(fit_, points_);
      if (!std::isfinite(r.log_likelihood)) {
        // The step was refused or undone (the last good fit is kept): stop and say why.
        running_ = false;
        note_ = r.message;
        return;
      }
      const auto& ll = fit_.log_likelihood;
      const bool flat = ll.size() >= 2 && std::fabs(ll[ll.size() - 1] - ll[ll.size() - 2]) < kConvergedDelta;
      converged_ = (flat && r.reseeded.empty()) || fit_.iteration >= kMaxIterations;
    } else {
      converged_ = !prob::kmeans_step(km_, points_) || km_.iteration >= kMaxIterations;
    }
    if (converged_) {
      running_ = false;
      note_ = "Converged after " + std::to_string(algorithm_ == Algorithm::EM ? fit_.iteration : km_.iteration) +
              " iterations. Run again to restart from a new initialisation.";
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
  std::string note_;
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
  NextControlWidth("data", 11);
  const char* preset_name = preset_ >= 0 ? prob::all_datasets2d()[size_t(preset_)].name : "empty (click to add)";
  if (BeginFittedCombo("data", preset_name)) {
    if (ImGui::Selectable("empty (click to add)", preset_ < 0)) preset_ = -1, load_preset();
    for (size_t i = 0; i < prob::all_datasets2d().size(); ++i)
      if (ImGui::Selectable(prob::all_datasets2d()[i].name, int(i) == preset_)) preset_ = int(i), load_preset();
    ImGui::EndCombo();
  }
  NextControlWidth("points", 7, true);
  if (ImGui::SliderInt("points", &n_points_, 10, 2000, "%d", ImGuiSliderFlags_Logarithmic)) {
    n_points_ = std::clamp(n_points_, 10, 2000);
    load_preset();
  }
  float noise = float(noise_);
  NextControlWidth("spread", 6, true);
  if (ImGui::SliderFloat("spread", &noise, 0.0f, 0.4f, "%.2f")) noise_ = std::clamp(double(noise), 0.0, 0.4), load_preset();
  HelpMarker("Spread 0 puts points exactly on curves or on single spots: covariances collapse and the "
             "lesson shows how EM is kept from a singular (infinite-likelihood) solution.");
  SameLineIfFits(ButtonWidth("Clear"));
  if (ImGui::Button("Clear")) preset_ = -1, load_preset();

  int alg = int(algorithm_);
  if (ImGui::RadioButton("EM (soft)", &alg, 0)) algorithm_ = Algorithm::EM, restart_fit();
  SameLineIfFits(CheckboxWidth("k-means (hard)"));
  if (ImGui::RadioButton("k-means (hard)", &alg, 1)) algorithm_ = Algorithm::KMeans, restart_fit();
  HelpMarker("EM gives each point a responsibility r_ik for every component and fits full Gaussians. k-means is "
             "the limit where every covariance is a tiny equal circle: each point belongs wholly to the nearest "
             "centre, and only centres are fitted.");
  NextControlWidth("K", 6);
  if (ImGui::SliderInt("K", &k_, 1, kMaxK)) k_ = std::clamp(k_, 1, kMaxK), restart_fit();
  HelpMarker("The number of components z can take. More components never lower the best likelihood, so "
             "likelihood alone cannot choose K.");
  int init = int(init_);
  NextControlWidth("init", 8, true);
  if (FittedCombo("init", &init, "random points\0k-means++\0")) init_ = prob::GmmInit(init), restart_fit();
  HelpMarker("EM only climbs to a local maximum, so the start matters. Random points may put two means in one "
             "cluster; k-means++ spreads them out. Restart to try another start.");
  SameLineIfFits(ButtonWidth("Restart"));
  if (ImGui::Button("Restart")) restart_fit();

  if (ImGui::Button(running_ ? "Pause" : "Run")) set_running(!running_);
  SameLineIfFits(ButtonWidth("Step"));
  if (ImGui::Button("Step")) step_once();
  float speed = float(iterations_per_second_);
  NextControlWidth("iter/s", 7, true);
  if (ImGui::SliderFloat("iter/s", &speed, 0.5f, 200, "%.1f", ImGuiSliderFlags_Logarithmic))
    iterations_per_second_ = std::clamp(double(speed), 0.5, 500.0);
  ImGui::BeginDisabled(!fit_.ok || algorithm_ != Algorithm::EM);
  SameLineIfFits(ButtonWidth("Sample from the model"));
  if (ImGui::Button("Sample from the model")) draw_samples();
  ImGui::EndDisabled();
  HelpMarker("Ancestral sampling: draw z ~ Categorical(π), then x ~ N(μ_z, Σ_z). Samples are the hollow rings. "
             "A good fit's samples look like the data.");
  if (!samples_.empty()) {
    SameLineIfFits(ButtonWidth("Hide samples"));
    if (ImGui::Button("Hide samples")) samples_.clear();
  }
  SameLineIfFits(CheckboxWidth("ellipses"));
  ImGui::Checkbox("ellipses", &show_ellipses_);
  TextDisabledWrapped("Click the plot to add a point. Hover a point to see its E-step. Space: run/pause, '.': one step.");
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
  po.title = algorithm_ == Algorithm::EM ? "responsibilities; 1σ and 2σ ellipses" : "nearest centre";
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

void GmmLesson::show_side_panel() {
  if (!fit_.ok) {
    ImGui::TextWrapped("%s", fit_.message.c_str());
    return;
  }
  const int K = fit_.model.k();
  if (algorithm_ == Algorithm::EM) {
    ImGui::TextWrapped("iteration %d", fit_.iteration);
    ImGui::TextWrapped("average log-likelihood %.5f nats/point", fit_.log_likelihood.back());
    HelpMarker("(1/n) Σ_i log p(x_i), p(x) = Σ_k π_k N(x; μ_k, Σ_k). Each EM iteration can only raise it (EM "
               "maximises a lower bound that touches the log-likelihood at the current parameters).");
    LineSeries s;
    s.ys = fit_.log_likelihood.data();
    s.count = int(fit_.log_likelihood.size());
    s.label = "avg log p(x)";
    PlotOptions po;
    po.title = "log-likelihood per iteration";
    po.x_label = "iteration";
    po.size = FitFigure({1.6f, 1, false, 0, 5});
    LinePlot("gmm-ll", &s, 1, po);
  } else {
    ImGui::TextWrapped("iteration %d", km_.iteration);
    ImGui::TextWrapped("inertia %.5f (mean squared distance to the centre)",
                km_.inertia.empty() ? NAN : km_.inertia.back());
    LineSeries s;
    s.ys = km_.inertia.data();
    s.count = int(km_.inertia.size());
    s.label = "inertia";
    PlotOptions po;
    po.title = "k-means inertia per iteration";
    po.x_label = "iteration";
    po.size = FitFigure({1.6f, 1, false, 0, 5});
    LinePlot("km-inertia", &s, 1, po);
  }
  const std::string& msg = algorithm_ == Algorithm::EM ? fit_.message : km_.message;
  if (!msg.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.3f, 1));
    ImGui::TextWrapped("%s", msg.c_str());
    ImGui::PopStyleColor();
  }
  if (!note_.empty()) ImGui::TextWrapped("%s", note_.c_str());

  if (algorithm_ == Algorithm::EM) {
    SectionHeading("E-step: who explains this point?");
    ImGui::TextWrapped("r_ik = π_k N(x_i; μ_k, Σ_k) / Σ_j π_j N(x_i; μ_j, Σ_j)");
    const int i = inspected_ >= 0 && inspected_ < int(points_.size()) ? inspected_ : int(points_.size()) - 1;
    const Point2 x = points_[size_t(i)];
    ImGui::TextWrapped("point %d at (%.2f, %.2f):", i, x.x, x.y);
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

    SectionHeading("M-step: refit each Gaussian to its weighted points");
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
    SectionHeading("k-means: the hard-assignment limit");
    ImGui::TextWrapped("Assign: z_i = argmin_k |x_i − μ_k|².  Update: μ_k = mean of the points with z_i = k. "
                       "Like EM with every Σ_k = εI, ε → 0, and equal π_k: responsibilities become 0 or 1.");
  }
}

void GmmLesson::ShowLessonGmm() {
  LessonPanes(
      [this] {
        ImGui::TextWrapped("A mixture says each point came from a hidden choice z (which component) and then x ~ "
                           "N(μ_z, Σ_z). EM alternates: guess z softly for every point (E), then refit every component "
                           "to the points it is responsible for (M).");
        show_controls();
        ImGui::Separator();
        show_side_panel();
      },
      [this] { show_plot(FitFigure({1.0f})); });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_gmm() { return std::make_unique<GmmLesson>(); }

}  // namespace ll::ui
