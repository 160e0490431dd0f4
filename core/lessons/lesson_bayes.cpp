// [bayes] Bayes' rule, P(θ|x) = P(x|θ)·P(θ) / P(x), three ways: the bias of a coin updated flip
// by flip (Beta prior, every term shown with live numbers), a diagnostic test (prevalence,
// sensitivity, specificity, with natural frequencies), and generative P(x, y) versus
// discriminative P(y|x) on two 2-D classes, both fitted live with their decision boundaries.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/prob/bayes.hpp"
#include "ml/prob/classify2d.hpp"
#include "ml/prob/datasets2d.hpp"
#include "ml/rng.hpp"
#include "viz/contour.hpp"

namespace ll::ui {

namespace {

using namespace prob_ui;
using prob::Point2;

constexpr int kThetaGrid = 400;
constexpr long kMaxFlips = 100000;
constexpr int kMapRes = 64;          // decision maps, cells per side
constexpr double kMapView = 3.5;     // maps show [−kMapView, kMapView]²
constexpr int kMaxClassPoints = 3000;
constexpr double kClassVarianceFloor = 1e-3;  // the generative classifier's least variance along any axis

enum class Tab { Coin, Test, Classify };

// A probability given as its log, readable even when it underflows a double ("e^-812.4").
std::string format_log_prob(double log_p) {
  char buf[48];
  if (log_p > -700) std::snprintf(buf, sizeof buf, "%.4g", std::exp(log_p));
  else std::snprintf(buf, sizeof buf, "e^%.1f", log_p);
  return buf;
}

class BayesLesson : public Lesson {
 public:
  BayesLesson() {
    reset_coin();
    load_classes();
  }

  const char* id() const override { return "bayes"; }
  const char* title() const override { return tr("lessons.bayes"); }
  const char* group() const override { return tr("groups.probability"); }
  bool has_training() const override { return true; }  // the coin: data arriving one flip at a time

  TrainingStatus training() const override {
    // The loss: −log P(x) per flip, the average surprise of the flips under the prior predictive.
    const long n = heads_ + tails_;
    return {running_, n, n ? -prob::beta_bernoulli_log_evidence(prior_, heads_, tails_) / double(n) : NAN};
  }
  void set_running(bool running) override {
    running_ = running && heads_ + tails_ < kMaxFlips;
    carry_ = 0;
  }
  void step_once() override {
    running_ = false;
    flip(1);
  }
  void reseed(uint64_t seed) override {
    seed_ = seed;
    reset_coin();
    load_classes();
  }
  void advance(double budget_ms) override;

  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override { ShowLessonBayes(); }

 private:
  void reset_coin() {
    coin_rng_.reseed(seed_, 0x636f696e);
    flips_.clear();
    set_prior(prior_);
    running_ = false;
  }
  // A new prior re-runs the update over the flips seen so far.
  void set_prior(prob::BetaDist prior) {
    prior_ = prior;
    heads_ = tails_ = 0;
    mean_history_.assign(1, prob::beta_mean(prior_));
    for (char f : flips_) record(f == 'H');
  }
  void record(bool head) {
    (head ? heads_ : tails_) += 1;
    mean_history_.push_back(prob::beta_mean(prob::beta_posterior(prior_, heads_, tails_)));
  }
  void flip(int count) {
    for (int i = 0; i < count && heads_ + tails_ < kMaxFlips; ++i) {
      const bool head = coin_rng_.uniform() < true_theta_;
      flips_.push_back(head ? 'H' : 'T');
      record(head);
    }
    if (heads_ + tails_ >= kMaxFlips) running_ = false;
  }
  std::string recent_flips() const { return flips_.size() > 40 ? "…" + flips_.substr(flips_.size() - 40) : flips_; }
  void load_classes() {
    Rng rng(seed_, 0x636c73);
    const prob::Dataset2d kind = class_set_ == 0 ? prob::Dataset2d::ThreeGaussians
                                 : class_set_ == 1 ? prob::Dataset2d::TwoMoons
                                                   : prob::Dataset2d::Rings;
    const prob::LabeledPoints2 data = prob::make_dataset2d(kind, class_points_, 0.1, rng);
    class_xy_.clear();
    class_labels_.clear();
    for (size_t i = 0; i < data.points.size(); ++i) {
      if (data.labels[i] > 1) continue;  // two classes: the blobs' third component is left out
      class_xy_.push_back(data.points[i]);
      class_labels_.push_back(data.labels[i]);
    }
    logistic_ = prob::LogisticRegression2{};
    classes_changed();
  }
  void classes_changed() {
    generative_ = prob::fit_generative_classifier(class_xy_, class_labels_, shared_covariance_, kClassVarianceFloor);
    logistic_converged_ = false;
    logistic_loss_ = NAN;
  }

  void ShowLessonBayes();
  void show_coin();
  void show_test();
  void show_classify();
  void show_decision_map(const char* id, const char* title, bool generative, ImVec2 size, bool colorbar);
  void show_intro();
  std::vector<std::string> generative_notices() const;

  Tab tab_ = Tab::Coin;
  bool tab_requested_ = false;  // a command chose the tab; select it on the next frame
  uint64_t seed_ = 1;

  // Coin.
  prob::BetaDist prior_{2, 2};
  double true_theta_ = 0.7;
  long heads_ = 0, tails_ = 0;
  std::string flips_;                // every flip so far, "HTTH…"
  std::vector<double> mean_history_; // posterior mean after each flip
  Rng coin_rng_{1};
  bool running_ = false;
  double carry_ = 0, flips_per_second_ = 5;
  double probe_theta_ = NAN;         // θ under the mouse
  bool probe_hovered_ = false;       // the densities plot was hovered (last drawn)
  ImVec2 map_pad_, map_pad_bar_;     // a decision map's size less its data area, without and with colour bar

  // Diagnostic test.
  prob::DiagnosticTest test_{0.01, 0.9, 0.95};

  // Classes.
  int class_set_ = 0;  // 0 two Gaussians, 1 moons, 2 rings
  int class_points_ = 300;
  int click_class_ = 0;
  bool shared_covariance_ = false;
  std::vector<Point2> class_xy_;
  std::vector<int> class_labels_;
  prob::GenerativeClassifier generative_;
  prob::LogisticRegression2 logistic_;
  double logistic_lr_ = 0.5;
  double logistic_loss_ = NAN;  // cross-entropy before the latest step, then at convergence
  bool logistic_converged_ = false;
};

void BayesLesson::advance(double budget_ms) {
  if (running_) {
    carry_ += ImGui::GetIO().DeltaTime * flips_per_second_;
    const int n = std::min(int(carry_), 1000);
    carry_ -= double(int(carry_));
    flip(n);
  }
  // Logistic regression descends until its loss stops moving, within half the frame's budget.
  const auto start = std::chrono::steady_clock::now();
  while (!logistic_converged_ && !class_xy_.empty() &&
         std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() < 0.5 * budget_ms) {
    const double previous = logistic_loss_;  // NaN right after the data changed
    logistic_loss_ = prob::logistic_step(logistic_, class_xy_, class_labels_, logistic_lr_);
    if (std::fabs(previous - logistic_loss_) < 1e-9 || logistic_.step >= 20000) logistic_converged_ = true;
  }
  if (logistic_converged_) logistic_loss_ = prob::logistic_loss(logistic_, class_xy_, class_labels_);
}

CommandResult BayesLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "bayes") return {};
  double a = 0, b = 0, c = 0;
  if (w.size() == 4 && w[1] == "prior") {
    if (!parse_number(w[2], a) || !parse_number(w[3], b) || !(a > 0 && b > 0 && a <= 1000 && b <= 1000))
      return {false, "the Beta prior needs a, b in (0, 1000]"};
    set_prior({a, b});
    return {true, "prior Beta(" + w[2] + ", " + w[3] + ")"};
  }
  if (w.size() == 3 && w[1] == "theta") {
    if (!parse_number(w[2], a) || a < 0 || a > 1) return {false, "θ must be in [0, 1]"};
    true_theta_ = a;
    return {true, "true θ " + w[2]};
  }
  if (w.size() == 3 && w[1] == "flip") {
    if (!parse_number(w[2], a) || a < 1 || a > 10000 || a != std::floor(a)) return {false, "flip 1 to 10000 coins"};
    flip(int(a));
    return {true, std::to_string(heads_) + " heads, " + std::to_string(tails_) + " tails"};
  }
  if (w.size() == 2 && w[1] == "reset") {
    reset_coin();
    return {true, "reset"};
  }
  if (w.size() == 5 && w[1] == "test") {
    if (!parse_number(w[2], a) || !parse_number(w[3], b) || !parse_number(w[4], c))
      return {false, "usage: bayes test PREVALENCE SENSITIVITY SPECIFICITY"};
    test_ = {a, b, c};
    const prob::DiagnosticPosterior r = prob::diagnose(test_);
    test_ = {std::clamp(a, 0.0, 1.0), std::clamp(b, 0.0, 1.0), std::clamp(c, 0.0, 1.0)};
    return {r.message.empty(), r.message.empty() ? "P(D|+) = " + std::to_string(r.p_disease_given_positive) : r.message};
  }
  if (w.size() == 3 && w[1] == "classes") {
    const char* names[] = {"blobs", "moons", "rings"};
    for (int i = 0; i < 3; ++i)
      if (w[2] == names[i]) {
        class_set_ = i;
        load_classes();
        return {true, "classes " + w[2]};
      }
    return {false, "classes: blobs, moons or rings"};
  }
  if (w.size() == 3 && w[1] == "shared" && (w[2] == "on" || w[2] == "off")) {
    shared_covariance_ = w[2] == "on";
    classes_changed();
    return {true, "shared covariance " + w[2]};
  }
  if (w.size() == 5 && w[1] == "add") {
    if (!parse_number(w[2], a) || !parse_number(w[3], b) || !parse_number(w[4], c) || (c != 0 && c != 1))
      return {false, "usage: bayes add X Y CLASS(0|1)"};
    if (int(class_xy_.size()) >= kMaxClassPoints) return {false, "too many points"};
    class_xy_.push_back({a, b});
    class_labels_.push_back(int(c));
    classes_changed();
    return {true, "point added"};
  }
  if (w.size() == 2 && w[1] == "clear") {
    class_xy_.clear();
    class_labels_.clear();
    logistic_ = prob::LogisticRegression2{};
    classes_changed();
    return {true, "cleared"};
  }
  if (w.size() == 3 && w[1] == "tab") {
    if (w[2] == "coin") tab_ = Tab::Coin;
    else if (w[2] == "test") tab_ = Tab::Test;
    else if (w[2] == "classify") tab_ = Tab::Classify;
    else return {false, "tab: coin, test or classify"};
    tab_requested_ = true;
    return {true, "tab " + w[2]};
  }
  return {false, "usage: bayes prior A B | bayes theta T | bayes flip N | bayes reset | bayes test P SENS SPEC | "
                 "bayes classes blobs|moons|rings | bayes shared on|off | bayes add X Y C | bayes clear | "
                 "bayes tab coin|test|classify"};
}

nlohmann::json BayesLesson::state() const {
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  const prob::BetaDist post = prob::beta_posterior(prior_, heads_, tails_);
  const prob::DiagnosticPosterior d = prob::diagnose(test_);
  auto gen = [this](Point2 x) { return prob::generative_p1(generative_, x); };
  auto dis = [this](Point2 x) { return prob::logistic_p1(logistic_, x); };
  return {{"heads", heads_},
          {"tails", tails_},
          {"posterior_a", post.a},
          {"posterior_b", post.b},
          {"posterior_mean", prob::beta_mean(post)},
          {"true_theta", true_theta_},
          {"p_positive", d.p_positive},
          {"p_disease_given_positive", num(d.p_disease_given_positive)},
          {"class_points", class_xy_.size()},
          {"generative_accuracy", prob::classification_accuracy(gen, class_xy_, class_labels_)},
          {"logistic_accuracy", prob::classification_accuracy(dis, class_xy_, class_labels_)},
          {"logistic_loss", num(logistic_loss_)},
          {"logistic_step", logistic_.step},
          {"logistic_converged", logistic_converged_},
          {"message", generative_.message}};
}

void BayesLesson::show_intro() {
  ImGui::TextWrapped("%s", tr("bayes.intro"));
}

void BayesLesson::show_coin() {
  const prob::GridPosterior g = prob::grid_posterior(prior_, heads_, tails_, kThetaGrid);
  auto probe = [this] { return probe_hovered_ ? probe_theta_ : std::clamp(true_theta_, 0.001, 0.999); };
  LessonPanes(
      [&] {
        show_intro();
        float a = float(prior_.a), b = float(prior_.b), theta = float(true_theta_);
        NextControlWidth(trl("bayes.prior_a"), 8);
        bool prior_changed = ImGui::SliderFloat(trl("bayes.prior_a"), &a, 0.2f, 50, "%.1f", ImGuiSliderFlags_Logarithmic);
        NextControlWidth(trl("bayes.prior_b"), 8, true);
        prior_changed |= ImGui::SliderFloat(trl("bayes.prior_b"), &b, 0.2f, 50, "%.1f", ImGuiSliderFlags_Logarithmic);
        HelpMarker(tr("bayes.help_prior"));
        if (prior_changed) set_prior({std::clamp(double(a), 0.2, 50.0), std::clamp(double(b), 0.2, 50.0)});
        NextControlWidth(trl("bayes.true_theta"), 8);
        if (ImGui::SliderFloat(trl("bayes.true_theta"), &theta, 0, 1, "%.2f")) true_theta_ = std::clamp(double(theta), 0.0, 1.0);
        HelpMarker(tr("bayes.help_true_theta"));
        if (ImGui::Button(trl("bayes.flip_1"))) flip(1);
        SameLineIfFits(ButtonWidth(trl("bayes.flip_10")));
        if (ImGui::Button(trl("bayes.flip_10"))) flip(10);
        SameLineIfFits(ButtonWidth(trl("bayes.flip_100")));
        if (ImGui::Button(trl("bayes.flip_100"))) flip(100);
        const char* run_label = running_ ? trl("bayes.pause") : trl("bayes.keep_flipping");
        SameLineIfFits(ButtonWidth(run_label));
        if (ImGui::Button(run_label)) set_running(!running_);
        SameLineIfFits(ButtonWidth(trl("bayes.reset")));
        if (ImGui::Button(trl("bayes.reset"))) reset_coin();
        ImGui::TextWrapped("%s", trf("bayes.heads_tails", heads_, tails_).c_str());
        const std::string recent = recent_flips();
        if (!recent.empty()) TextDisabledWrapped(recent.c_str());

        const double t0 = probe();
        const prob::BetaDist post = prob::beta_posterior(prior_, heads_, tails_);
        const double log_like =
            (heads_ ? double(heads_) * std::log(t0) : 0) + (tails_ ? double(tails_) * std::log(1 - t0) : 0);
        const double log_prior = prob::beta_log_pdf(t0, prior_);
        const double log_evidence = prob::beta_bernoulli_log_evidence(prior_, heads_, tails_);
        SectionHeading("P(θ|x) = P(x|θ) · P(θ) / P(x)");
        FormulaText("%s", trf(probe_hovered_ ? "bayes.at_theta_mouse" : "bayes.at_theta_true", t0,
                              format_log_prob(log_like).c_str(), std::exp(log_prior),
                              format_log_prob(log_evidence).c_str(), std::exp(log_like + log_prior - log_evidence))
                              .c_str());
        HelpMarker(tr("bayes.help_sequential"));
        FormulaText("%s", trf("bayes.posterior_beta", post.a, post.b, prob::beta_mean(post), prob::beta_sd(post)).c_str());
        const std::string evidence =
            g.evidence > 0 ? format_log_prob(std::log(g.evidence)) : std::string(tr("bayes.underflows"));
        TextDisabledWrapped(trf("bayes.brute_force", kThetaGrid, evidence.c_str()).c_str());
      },
      [&] {
        double like_mass = 0;
        for (double l : g.likelihood) like_mass += l / kThetaGrid;
        std::vector<double> like_scaled(g.likelihood.size());
        for (size_t i = 0; i < like_scaled.size(); ++i)
          like_scaled[i] = like_mass > 0 ? g.likelihood[i] / like_mass : NAN;
        LineSeries s[3];
        s[0] = {g.theta.data(), g.prior.data(), kThetaGrid, tr("bayes.legend_prior"), category_u32(0)};
        s[1] = {g.theta.data(), like_scaled.data(), kThetaGrid, tr("bayes.legend_likelihood"), category_u32(2)};
        s[2] = {g.theta.data(), g.posterior.data(), kThetaGrid, tr("bayes.legend_posterior"), category_u32(1)};
        PlotOptions po;
        po.title = tr("bayes.densities_title");
        po.x_label = "θ";
        po.size = FitFigure({1.3f});
        po.y_min = 0;
        const PlotResult r = LinePlot("coin-theta", s, 3, po);
        MainFigure("densities over θ");
        probe_hovered_ = r.hovered;
        if (r.hovered) probe_theta_ = std::clamp(r.transform.data_x(ImGui::GetIO().MousePos.x), 0.001, 0.999);
        draw_data_vline(r.transform, true_theta_, IM_COL32(255, 255, 255, 120), 1.5f);
        if (r.hovered) draw_data_vline(r.transform, probe(), IM_COL32(255, 255, 255, 220), 1.0f);

        // The posterior mean as the flips arrive.
        std::vector<double> truth(mean_history_.size(), true_theta_);
        LineSeries m[2];
        m[0] = {nullptr, mean_history_.data(), int(mean_history_.size()), tr("bayes.legend_posterior_mean"),
                category_u32(1)};
        m[1] = {nullptr, truth.data(), int(truth.size()), tr("bayes.true_theta"), IM_COL32(200, 200, 200, 200)};
        PlotOptions mo;
        mo.title = tr("bayes.mean_title");
        mo.x_label = tr("bayes.axis_flips");
        mo.size = FitFigure({2.0f, 1, false, 0, 5});
        mo.y_min = 0;
        mo.y_max = 1;
        LinePlot("coin-seq", m, 2, mo);
      });
}

void BayesLesson::show_test() {
  const prob::DiagnosticPosterior d = prob::diagnose(test_);
  const double n = 10000;
  LessonPanes(
      [&] {
        show_intro();
        float prev_log = float(std::log10(std::max(test_.prevalence, 1e-4))), sens = float(test_.sensitivity),
              spec = float(test_.specificity);
        // A logarithmic slider showing the prevalence itself (a format with no conversion is shown as is).
        char value[32];
        std::snprintf(value, sizeof value, "%.4g", test_.prevalence);
        NextControlWidth(trl("bayes.prevalence"), 9);
        if (ImGui::SliderFloat(trl("bayes.prevalence"), &prev_log, -4, std::log10(0.5f), value))
          test_.prevalence = std::pow(10.0, std::clamp(double(prev_log), -4.0, std::log10(0.5)));
        HelpMarker(tr("bayes.help_prevalence"));
        NextControlWidth(trl("bayes.sensitivity"), 9);
        if (ImGui::SliderFloat(trl("bayes.sensitivity"), &sens, 0, 1, "%.3f"))
          test_.sensitivity = std::clamp(double(sens), 0.0, 1.0);
        HelpMarker(tr("bayes.help_sensitivity"));
        NextControlWidth(trl("bayes.specificity"), 9);
        if (ImGui::SliderFloat(trl("bayes.specificity"), &spec, 0, 1, "%.3f"))
          test_.specificity = std::clamp(double(spec), 0.0, 1.0);
        HelpMarker(tr("bayes.help_specificity"));

        SectionHeading("P(D|+) = P(+|D) · P(D) / P(+)");
        FormulaText("P(+) = P(+|D)P(D) + P(+|¬D)P(¬D) = %.3f×%.4g + %.3f×%.4g = %.4g", test_.sensitivity,
                           test_.prevalence, 1 - test_.specificity, 1 - test_.prevalence, d.p_positive);
        if (std::isfinite(d.p_disease_given_positive))
          FormulaText("P(D|+) = %.3f × %.4g / %.4g = %.4f", test_.sensitivity, test_.prevalence, d.p_positive,
                             d.p_disease_given_positive);
        if (std::isfinite(d.p_disease_given_negative)) FormulaText("P(D|−) = %.4g", d.p_disease_given_negative);
        if (!d.message.empty()) {
          // The core's message, in the interface's language: a probability outside [0, 1] cannot come from
          // the sliders (the test is clamped), so what is left is an undefined posterior.
          const bool no_positive = d.p_positive == 0, no_negative = d.false_negative + d.true_negative == 0;
          ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.3f, 1));
          if (no_positive) ImGui::TextWrapped("%s", tr("bayes.positive_impossible"));
          if (no_negative) ImGui::TextWrapped("%s", tr("bayes.negative_impossible"));
          if (!no_positive && !no_negative) ImGui::TextWrapped("%s", trf("bayes.core_note", d.message.c_str()).c_str());
          ImGui::PopStyleColor();
        }

        // Natural frequencies: the same numbers as people out of 10,000.
        TextDisabledWrapped(tr("bayes.out_of_10000"));
        if (ImGui::BeginTable("freq", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
          ImGui::TableSetupColumn("");
          ImGui::TableSetupColumn(trl("bayes.test_positive"));
          ImGui::TableSetupColumn(trl("bayes.test_negative"));
          ImGui::TableHeadersRow();
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(tr("bayes.ill"));
          ImGui::TableNextColumn();
          ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(category_u32(3)), "%.0f", d.true_positive * n);
          ImGui::TableNextColumn();
          ImGui::Text("%.0f", d.false_negative * n);
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(tr("bayes.healthy"));
          ImGui::TableNextColumn();
          ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(category_u32(1)), "%.0f", d.false_positive * n);
          ImGui::TableNextColumn();
          ImGui::Text("%.0f", d.true_negative * n);
          ImGui::EndTable();
        }
        TextDisabledWrapped(tr("bayes.freq_note"));
        if (std::isfinite(d.p_disease_given_positive)) {
          FormulaText("%s", trf("bayes.of_positive", d.p_positive * n, d.true_positive * n,
                                100 * d.p_disease_given_positive)
                                .c_str());
          ImGui::TextWrapped("%s", tr("bayes.rare_note"));
        }
      },
      [&] {
        // 1,000 people as squares: red ill and caught, dark red ill and missed, orange false alarms, grey the rest.
        constexpr int kCols = 40, kRows = 25;
        const ImVec2 fit = FitFigure({float(kCols) / kRows, 1, true, 0, 6, 40});
        const float cell = std::floor(fit.x / kCols);
        const ImVec2 o = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const int tp = int(std::lround(d.true_positive * 1000)), fn = int(std::lround(d.false_negative * 1000)),
                  fp = int(std::lround(d.false_positive * 1000));
        const float gap = std::max(1.0f, cell * 0.08f);
        for (int i = 0; i < kCols * kRows; ++i) {
          const ImVec2 p(o.x + float(i % kCols) * cell, o.y + float(i / kCols) * cell);
          ImU32 col = IM_COL32(120, 120, 120, 110);
          if (i < tp) col = category_u32(3);
          else if (i < tp + fn) col = IM_COL32(120, 30, 30, 255);
          else if (i < tp + fn + fp) col = category_u32(1);
          dl->AddRectFilled(p, ImVec2(p.x + cell - gap, p.y + cell - gap), col);
        }
        ImGui::Dummy(ImVec2(kCols * cell, kRows * cell));
        MainFigure("1,000 people");
        TextDisabledWrapped(tr("bayes.squares_note"));

        const std::vector<double> again = prob::repeated_positive_posteriors(test_, 5);
        std::vector<double> series(1, test_.prevalence);
        series.insert(series.end(), again.begin(), again.end());
        LineSeries s{nullptr, series.data(), int(series.size()), tr("bayes.legend_repeat"), category_u32(3)};
        PlotOptions po;
        po.title = tr("bayes.repeat_title");
        po.x_label = tr("bayes.axis_positives");
        po.y_min = 0;
        po.y_max = 1;
        po.size = FitFigure({2.0f, 1, false, 0, 5});
        LinePlot("repeat", &s, 1, po);
      });
}

void BayesLesson::show_decision_map(const char* id, const char* title, bool generative, ImVec2 size, bool colorbar) {
  const double cell = 2 * kMapView / kMapRes;
  const viz::Grid grid = viz::sample_grid(
      [&](double x, double y) {
        return generative ? prob::generative_p1(generative_, {x, y}) : prob::logistic_p1(logistic_, {x, y});
      },
      kMapRes, kMapRes, -kMapView + cell / 2, kMapView - cell / 2, -kMapView + cell / 2, kMapView - cell / 2);
  std::vector<float> heat(grid.values.size());
  for (int r = 0; r < kMapRes; ++r)  // the widget draws row 0 at the top
    for (int c = 0; c < kMapRes; ++c) heat[size_t(kMapRes - 1 - r) * kMapRes + size_t(c)] = float(grid.at(c, r));
  HeatMapOptions ho;
  ho.size = size;
  ho.title = title;
  ho.colorbar = colorbar;
  ho.x_min = ho.y_min = -kMapView;
  ho.x_max = ho.y_max = kMapView;
  ho.v_min = 0;
  ho.v_max = 1;
  ho.colormap = viz::Colormap::Diverging;
  const HeatMapResult r = HeatMap(id, heat.data(), kMapRes, kMapRes, ho);
  // What the widget adds around its data area (title, ticks, colour bar), for the next frame's sizes.
  const ImVec2 widget = ImGui::GetItemRectSize();
  const ImVec2 pad(widget.x - (r.transform.pixel_max.x - r.transform.pixel_min.x),
                   widget.y - (r.transform.pixel_max.y - r.transform.pixel_min.y));
  if (pad.x > 0 && pad.y > 0) (colorbar ? map_pad_bar_ : map_pad_) = pad;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(r.transform.pixel_min, r.transform.pixel_max, true);
  for (const viz::Segment& s : viz::contour_segments(grid, 0.5))
    dl->AddLine(r.transform.to_pixel(s.x0, s.y0), r.transform.to_pixel(s.x1, s.y1), IM_COL32(255, 255, 255, 255),
                std::max(2.0f, ImGui::GetFontSize() * 0.12f));
  dl->PopClipRect();
  // Class 0 blue, class 1 red: the ends of the diverging map.
  std::vector<Point2> c0, c1;
  for (size_t i = 0; i < class_xy_.size(); ++i) (class_labels_[i] == 1 ? c1 : c0).push_back(class_xy_[i]);
  draw_data_points(r.transform, c0, nullptr, IM_COL32(40, 90, 220, 255), 0.17f);
  draw_data_points(r.transform, c1, nullptr, IM_COL32(220, 50, 40, 255), 0.17f);
  if (generative) {
    for (int k = 0; k < 2; ++k)
      if (generative_.prior[k] > 0)
        draw_data_ellipse(r.transform, generative_.class_density[k], 2.0,
                          k == 0 ? IM_COL32(140, 180, 255, 255) : IM_COL32(255, 150, 140, 255), 2.0f);
  }
  if (r.clicked && int(class_xy_.size()) < kMaxClassPoints) {
    class_xy_.push_back({r.clicked_x, r.clicked_y});
    class_labels_.push_back(click_class_);
    classes_changed();
  }
}

// What the generative fit had to do, in the interface's language: the cases of the core's message (a class
// with no points, a covariance floored because its points have no spread), read from the fit itself.
std::vector<std::string> BayesLesson::generative_notices() const {
  std::vector<std::string> out;
  bool empty[2];
  for (int k = 0; k < 2; ++k) {
    empty[k] = std::count(class_labels_.begin(), class_labels_.end(), k) == 0;
    if (empty[k]) out.push_back(trf("bayes.class_empty", k));
  }
  for (int k = 0; k < 2; ++k)
    if (!empty[k] && !(prob::cov_axes(generative_.class_density[k].cov).minor >= kClassVarianceFloor * (1 + 1e-6)))
      out.push_back(trf("bayes.class_floored", k, kClassVarianceFloor));
  if (out.empty()) out.push_back(trf("bayes.core_note", generative_.message.c_str()));
  return out;
}

void BayesLesson::show_classify() {
  auto gen = [this](Point2 x) { return prob::generative_p1(generative_, x); };
  auto dis = [this](Point2 x) { return prob::logistic_p1(logistic_, x); };
  LessonPanes(
      [&] {
        show_intro();
        const char* sets[] = {tr("bayes.set_gaussians"), tr(prob_ui::dataset_key(prob::Dataset2d::TwoMoons)), tr(prob_ui::dataset_key(prob::Dataset2d::Rings))};
        NextControlWidth(trl("bayes.classes"), 9);
        if (FittedCombo(trl("bayes.classes"), &class_set_, sets, 3)) load_classes();
        NextControlWidth(trl("bayes.points"), 7, true);
        if (ImGui::SliderInt(trl("bayes.points"), &class_points_, 4, 1000, "%d", ImGuiSliderFlags_Logarithmic))
          class_points_ = std::clamp(class_points_, 4, 1000), load_classes();
        SameLineIfFits(ButtonWidth(trl("bayes.clear")));
        if (ImGui::Button(trl("bayes.clear"))) command({"bayes", "clear"});
        ImGui::TextUnformatted(tr("bayes.click_adds"));
        SameLineIfFits(CheckboxWidth(trl("bayes.class_0")));
        ImGui::RadioButton(trl("bayes.class_0"), &click_class_, 0);
        SameLineIfFits(CheckboxWidth(trl("bayes.class_1")));
        ImGui::RadioButton(trl("bayes.class_1"), &click_class_, 1);
        if (ImGui::Checkbox(trl("bayes.shared_covariance"), &shared_covariance_)) classes_changed();
        HelpMarker(tr("bayes.help_shared_covariance"));

        TextDisabledWrapped(tr("bayes.colour_note"));
        SectionHeading(tr("bayes.generative_heading"));
        ImGui::TextWrapped("%s", trf("bayes.generative_result", generative_.prior[1],
                                     100 * prob::classification_accuracy(gen, class_xy_, class_labels_))
                                     .c_str());
        ImGui::TextWrapped("%s", tr(shared_covariance_ ? "bayes.shared_boundary" : "bayes.separate_boundary"));
        TextDisabledWrapped(tr("bayes.generative_note"));
        SectionHeading(tr("bayes.discriminative_heading"));
        ImGui::TextWrapped("%s", trf("bayes.discriminative_result", logistic_.w[0], logistic_.w[1], logistic_.b,
                                     100 * prob::classification_accuracy(dis, class_xy_, class_labels_))
                                     .c_str());
        ImGui::TextWrapped("%s", trf(logistic_converged_ ? "bayes.logistic_converged" : "bayes.logistic_running",
                                     logistic_loss_, logistic_.step)
                                     .c_str());
        TextDisabledWrapped(tr("bayes.discriminative_note"));
        if (!generative_.message.empty()) {
          ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.3f, 1));
          for (const std::string& notice : generative_notices()) ImGui::TextWrapped("%s", notice.c_str());
          ImGui::PopStyleColor();
        }
        TextDisabledWrapped(tr("bayes.click_note"));
      },
      [&] {
        // Two maps with square data areas, side by side or one above the other, whichever makes them
        // larger; one colour bar (the second map's) serves both. The margins around the data areas are
        // measured on the frame before (estimated on the first).
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float spacing_x = ImGui::GetStyle().ItemSpacing.x, spacing_y = ImGui::GetStyle().ItemSpacing.y;
        const ImVec2 pad = map_pad_.x > 0 ? map_pad_ : ImVec2(Em(2), Em(3.5f));
        const ImVec2 pad_bar = map_pad_bar_.x > 0 ? map_pad_bar_ : ImVec2(pad.x + Em(2.4f) + TextWidth("0.8"), pad.y);
        // The colour bar is left out when that makes the maps much larger (the controls say what the
        // colours mean).
        auto data_side = [&](float pad_second_x, bool stacked) {
          return stacked ? std::min(avail.x - pad_second_x, (avail.y - spacing_y) / 2 - pad.y)
                         : std::min((avail.x - spacing_x - pad.x - pad_second_x) / 2, avail.y - pad.y);
        };
        auto best = [&](float pad_second_x) {
          return std::max(data_side(pad_second_x, false), data_side(pad_second_x, true));
        };
        const bool colorbar = best(pad_bar.x) >= 0.85f * best(pad.x);
        const float pad_second_x = colorbar ? pad_bar.x : pad.x;
        const bool stacked = data_side(pad_second_x, true) > data_side(pad_second_x, false);
        const float d = std::floor(std::max(Em(4), data_side(pad_second_x, stacked)));
        ImGui::BeginGroup();
        show_decision_map("gen-map", tr("bayes.map_generative"), true, ImVec2(d + pad.x, d + pad.y), false);
        if (!stacked) ImGui::SameLine();
        show_decision_map("dis-map", tr("bayes.map_discriminative"), false, ImVec2(d + pad_second_x, d + pad.y),
                          colorbar);
        ImGui::EndGroup();
        MainFigure("decision maps");
      });
}

void BayesLesson::ShowLessonBayes() {
  if (ImGui::BeginTabBar("bayes-tabs")) {
    const struct {
      const char* label;
      Tab tab;
    } tabs[] = {{trl("bayes.tab_coin"), Tab::Coin}, {trl("bayes.tab_test"), Tab::Test},
                {trl("bayes.tab_classify"), Tab::Classify}};
    for (const auto& t : tabs) {
      // A tab chosen by command is selected once; afterwards the user's clicks rule.
      const ImGuiTabItemFlags flags = tab_requested_ && tab_ == t.tab ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(t.label, nullptr, flags)) {
        if (!tab_requested_) tab_ = t.tab;
        switch (t.tab) {
          case Tab::Coin: show_coin(); break;
          case Tab::Test: show_test(); break;
          case Tab::Classify: show_classify(); break;
        }
        ImGui::EndTabItem();
      }
    }
    tab_requested_ = false;
    ImGui::EndTabBar();
  }
}


}  // namespace

std::unique_ptr<Lesson> make_lesson_bayes() { return std::make_unique<BayesLesson>(); }

}  // namespace ll::ui
