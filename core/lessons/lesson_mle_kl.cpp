// [mle-kl] Maximum likelihood and KL divergence, computed live. A Gaussian and a categorical
// fitted to samples drawn here, with the average log-likelihood as a function of θ; the
// identity arg max_θ E[log P_θ(x)] = arg min_θ KL(P_data ‖ P_θ) shown numerically; and KL's
// asymmetry: one Gaussian fitted to two modes by minimising KL(p‖q) (covers both) and
// KL(q‖p) (picks one), side by side.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/prob/gauss2d.hpp"
#include "ml/prob/kl.hpp"
#include "ml/prob/mle.hpp"
#include "ml/rng.hpp"

namespace ll::ui {

namespace {

using namespace prob_ui;
using prob::Gaussian1;

constexpr int kMaxSamples = 20000;
constexpr double kXView = 6;   // the Gaussian tab's x axis: [−kXView, kXView]
constexpr int kBins = 48;
constexpr int kCurvePoints = 241;
constexpr int kMaxFaces = 8;
constexpr long kMaxRolls = 1000000;
constexpr long kMaxKlSteps = 5000;

enum class Tab { Gaussian, Categorical, Kl };

class MleKlLesson : public Lesson {
 public:
  MleKlLesson() {
    redraw_samples();
    reset_rolls();
    restart_kl();
  }

  const char* id() const override { return "mle-kl"; }
  const char* title() const override { return tr("lessons.mle_kl"); }
  const char* group() const override { return tr("groups.probability"); }
  bool has_training() const override { return true; }  // the two KL fits

  TrainingStatus training() const override { return {running_, forward_.step, forward_.kl}; }
  void set_running(bool running) override {
    running_ = running && forward_.step < kMaxKlSteps;
    carry_ = 0;
  }
  void step_once() override {
    running_ = false;
    kl_step();
  }
  void reseed(uint64_t seed) override {
    seed_ = seed;
    redraw_samples();
    reset_rolls();
    restart_kl();
  }
  void advance(double budget_ms) override {
    if (!running_) return;
    carry_ += ImGui::GetIO().DeltaTime * kl_steps_per_second_;
    const int steps = std::min(int(carry_), 100);
    carry_ -= double(int(carry_));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < steps && running_; ++i) {
      kl_step();
      if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() > budget_ms) break;
    }
  }

  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override { ShowLessonMleKl(); }

 private:
  // Gaussian samples are μ + σ·ε with the ε kept, so moving the sliders slides the same sample.
  void redraw_samples() {
    Rng rng(seed_ + uint64_t(draws_), 0x6d6c65);
    eps_.resize(size_t(n_samples_));
    for (double& e : eps_) e = rng.normal();
    update_samples();
  }
  void add_samples(int count) {
    Rng rng(seed_ + 7919 * uint64_t(++draws_), 0x6d6c65);
    for (int i = 0; i < count && int(eps_.size()) < kMaxSamples; ++i) eps_.push_back(rng.normal());
    n_samples_ = int(eps_.size());
    update_samples();
  }
  void update_samples() {
    samples_.resize(eps_.size());
    for (size_t i = 0; i < eps_.size(); ++i) samples_[i] = mu_true_ + sd_true_ * eps_[i];
    fit_ = prob::fit_gaussian1_mle(samples_.data(), samples_.size(), kMinSd);
  }

  void normalise_faces() {
    double total = 0;
    for (int k = 0; k < faces_; ++k) total += face_weight_[k];
    for (int k = 0; k < faces_; ++k) true_p_[size_t(k)] = total > 0 ? face_weight_[k] / total : 1.0 / faces_;
  }
  void reset_rolls() {
    roll_rng_.reseed(seed_, 0x726f6c6c);
    counts_.assign(size_t(faces_), 0);
    true_p_.assign(size_t(faces_), 0);
    normalise_faces();
  }
  void roll(long count) {
    normalise_faces();
    long total = 0;
    for (long c : counts_) total += c;
    for (long i = 0; i < count && total < kMaxRolls; ++i, ++total)
      ++counts_[roll_rng_.categorical(true_p_.data(), true_p_.size())];
  }

  prob::Mixture1 target() const {
    return {{mode_weight_, 1 - mode_weight_}, {-0.5 * separation_, 0.5 * separation_}, {mode_sd_, mode_sd_}};
  }
  void restart_kl() {
    log_p_ = prob::log_density_on_grid(target(), grid_);
    forward_ = prob::start_kl_fit(prob::KlDirection::Forward, {start_mean_, start_sd_}, log_p_, grid_, kl_lr_);
    reverse_ = prob::start_kl_fit(prob::KlDirection::Reverse, {start_mean_, start_sd_}, log_p_, grid_, kl_lr_);
    kl_note_ = KlNote::None;
  }
  void kl_step() {
    if (forward_.step >= kMaxKlSteps) {
      running_ = false;
      kl_note_ = KlNote::StepLimit;
      return;
    }
    const bool ok = prob::kl_fit_step(forward_, log_p_, grid_) && prob::kl_fit_step(reverse_, log_p_, grid_);
    if (!ok) {
      running_ = false;
      kl_note_ = KlNote::NotFinite;
    }
  }

  void ShowLessonMleKl();
  void show_gaussian();
  void show_categorical();
  void show_kl();
  void show_intro();

  static constexpr double kMinSd = 1e-3;

  Tab tab_ = Tab::Gaussian;
  bool tab_requested_ = false;
  uint64_t seed_ = 1;

  // Gaussian.
  double mu_true_ = 1.0, sd_true_ = 1.0;
  int n_samples_ = 30, draws_ = 0;
  std::vector<double> eps_, samples_;
  prob::Gaussian1Fit fit_;
  int vary_ = 0;  // the curve's parameter: 0 mean, 1 sd

  // Categorical.
  int faces_ = 6;
  double face_weight_[kMaxFaces] = {1, 1, 1, 1, 1, 3, 1, 1};
  std::vector<double> true_p_;
  std::vector<long> counts_;
  double pseudo_count_ = 0;
  Rng roll_rng_{1};

  // KL.
  double separation_ = 4, mode_sd_ = 0.5, mode_weight_ = 0.5, start_mean_ = 0.5, start_sd_ = 1.0, kl_lr_ = 0.05;
  prob::Grid1 grid_{-10, 10, 801};
  std::vector<double> log_p_;
  prob::KlFit forward_, reverse_;
  bool running_ = false;
  double carry_ = 0, kl_steps_per_second_ = 60;
  enum class KlNote { None, StepLimit, NotFinite } kl_note_ = KlNote::None;
};

CommandResult MleKlLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "mle") return {};
  double a = 0, b = 0;
  if (w.size() == 4 && w[1] == "truth") {
    if (!parse_number(w[2], a) || !parse_number(w[3], b) || b < 0 || b > 3 || std::fabs(a) > 3)
      return {false, "truth: mean in [−3, 3], sd in [0, 3]"};
    mu_true_ = a;
    sd_true_ = b;
    update_samples();
    return {true, fit_.message.empty() ? "truth set" : fit_.message};
  }
  if (w.size() == 3 && w[1] == "samples") {
    if (!parse_number(w[2], a) || a < 1 || a > kMaxSamples || a != std::floor(a))
      return {false, "samples: 1 to " + std::to_string(kMaxSamples)};
    n_samples_ = int(a);
    ++draws_;
    redraw_samples();
    return {true, fit_.message.empty() ? "drew " + w[2] : fit_.message};
  }
  if (w.size() == 3 && w[1] == "roll") {
    if (!parse_number(w[2], a) || a < 1 || a > 100000 || a != std::floor(a)) return {false, "roll 1 to 100000"};
    roll(long(a));
    return {true, "rolled " + w[2]};
  }
  if (w.size() == 3 && w[1] == "smoothing") {
    if (!parse_number(w[2], a) || a < 0 || a > 100) return {false, "smoothing: 0 to 100 pseudo-counts"};
    pseudo_count_ = a;
    return {true, "smoothing " + w[2]};
  }
  if (w.size() == 5 && w[1] == "target") {
    double c = 0;
    if (!parse_number(w[2], a) || !parse_number(w[3], b) || !parse_number(w[4], c) || a < 0 || a > 8 || b < 0.2 ||
        b > 2 || c < 0.05 || c > 0.95)
      return {false, "target SEPARATION(0–8) SD(0.2–2) WEIGHT(0.05–0.95)"};
    separation_ = a, mode_sd_ = b, mode_weight_ = c;
    restart_kl();
    return {true, "target set"};
  }
  if (w.size() == 4 && w[1] == "start") {
    if (!parse_number(w[2], a) || !parse_number(w[3], b) || std::fabs(a) > 5 || b < 0.1 || b > 4)
      return {false, "start MEAN(−5–5) SD(0.1–4)"};
    start_mean_ = a, start_sd_ = b;
    restart_kl();
    return {true, "start set"};
  }
  if (w.size() == 2 && w[1] == "restart") {
    restart_kl();
    return {true, "restarted"};
  }
  if (w.size() == 3 && w[1] == "tab") {
    if (w[2] == "gaussian") tab_ = Tab::Gaussian;
    else if (w[2] == "categorical") tab_ = Tab::Categorical;
    else if (w[2] == "kl") tab_ = Tab::Kl;
    else return {false, "tab: gaussian, categorical or kl"};
    tab_requested_ = true;
    return {true, "tab " + w[2]};
  }
  return {false, "usage: mle truth MEAN SD | mle samples N | mle roll N | mle smoothing A | mle target SEP SD W | "
                 "mle start MEAN SD | mle restart | mle tab gaussian|categorical|kl"};
}

nlohmann::json MleKlLesson::state() const {
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  const std::vector<double> theta = prob::fit_categorical(counts_, pseudo_count_);
  auto q_json = [&](const prob::KlFit& f) {
    return nlohmann::json{{"mean", f.q().mean}, {"sd", f.q().sd}, {"kl", num(f.kl)}, {"step", f.step}};
  };
  return {{"samples", samples_.size()},
          {"true_mean", mu_true_},
          {"true_sd", sd_true_},
          {"mle_mean", num(fit_.ok ? fit_.g.mean : NAN)},
          {"mle_sd", num(fit_.ok ? fit_.g.sd : NAN)},
          {"mle_floored", fit_.floored},
          {"message", fit_.message},
          {"counts", counts_},
          {"categorical_mle", theta},
          {"kl_forward", q_json(forward_)},
          {"kl_reverse", q_json(reverse_)}};
}

void MleKlLesson::show_intro() { ImGui::TextWrapped("%s", tr("mle.intro")); }

void MleKlLesson::show_gaussian() {
  const double m_hat = fit_.ok ? fit_.g.mean : 0, s_hat = fit_.ok ? fit_.g.sd : 1;
  const double pop_best =
      vary_ == 0 ? mu_true_ : std::sqrt(sd_true_ * sd_true_ + (mu_true_ - m_hat) * (mu_true_ - m_hat));
  LessonPanes(
      [&] {
        show_intro();
        float mu = float(mu_true_), sd = float(sd_true_);
        NextControlWidth(trl("mle.true_mu"), 8);
        if (ImGui::SliderFloat(trl("mle.true_mu"), &mu, -2, 2, "%.2f"))
          mu_true_ = std::clamp(double(mu), -2.0, 2.0), update_samples();
        NextControlWidth(trl("mle.true_sd"), 8, true);
        if (ImGui::SliderFloat(trl("mle.true_sd"), &sd, 0, 2, "%.2f"))
          sd_true_ = std::clamp(double(sd), 0.0, 2.0), update_samples();
        HelpMarker(tr("mle.help_zero_sd"));
        NextControlWidth("n", 7);
        if (ImGui::SliderInt("n", &n_samples_, 1, 2000, "%d", ImGuiSliderFlags_Logarithmic))
          n_samples_ = std::clamp(n_samples_, 1, 2000), redraw_samples();
        SameLineIfFits(ButtonWidth(trl("mle.new_sample")));
        if (ImGui::Button(trl("mle.new_sample"))) ++draws_, redraw_samples();
        SameLineIfFits(ButtonWidth("+10"));
        if (ImGui::Button("+10")) add_samples(10);
        SameLineIfFits(ButtonWidth("+100"));
        if (ImGui::Button("+100")) add_samples(100);

        ImGui::RadioButton(trl("mle.vary_mu"), &vary_, 0);
        SameLineIfFits(CheckboxWidth(trl("mle.vary_sd")));
        ImGui::RadioButton(trl("mle.vary_sd"), &vary_, 1);
        HelpMarker(tr("mle.help_curves"));
        if (fit_.ok)
          FormulaText("%s", trf("mle.fit_result", fit_.g.mean, fit_.g.sd, mu_true_, sd_true_).c_str());
        if (fit_.ok && sd_true_ > 0)
          FormulaText("%s", trf("mle.argmax_argmin", vary_ == 0 ? "μ" : "σ", pop_best,
                                prob::kl_gaussian1({mu_true_, sd_true_}, fit_.g))
                                .c_str());
        if (!fit_.message.empty()) {
          // The core's message (state()) in the interface's language.
          const std::string message = !fit_.ok           ? std::string(tr("mle.no_samples"))
                                      : samples_.size() == 1 ? trf("mle.one_sample_floored", kMinSd)
                                                             : trf("mle.equal_samples_floored", kMinSd);
          ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.3f, 1));
          ImGui::TextWrapped("%s", message.c_str());
          ImGui::PopStyleColor();
        }
      },
      [&] {
        // Histogram as a step line, true and fitted densities.
        std::vector<double> hx, hy;
        const double width = 2 * kXView / kBins;
        std::vector<double> counts(kBins, 0);
        for (double x : samples_) {
          const int b = int(std::floor((x + kXView) / width));
          if (b >= 0 && b < kBins) counts[size_t(b)] += 1;
        }
        for (int b = 0; b < kBins; ++b) {
          const double h = counts[size_t(b)] / (double(samples_.size()) * width);
          hx.push_back(-kXView + b * width), hy.push_back(h);
          hx.push_back(-kXView + (b + 1) * width), hy.push_back(h);
        }
        std::vector<double> xs(kCurvePoints), truth(kCurvePoints, NAN), fitted(kCurvePoints, NAN);
        for (int i = 0; i < kCurvePoints; ++i) {
          xs[size_t(i)] = -kXView + 2 * kXView * i / (kCurvePoints - 1);
          if (sd_true_ > 0) truth[size_t(i)] = std::exp(prob::gaussian1_log_pdf(xs[size_t(i)], {mu_true_, sd_true_}));
          if (fit_.ok) fitted[size_t(i)] = std::exp(prob::gaussian1_log_pdf(xs[size_t(i)], fit_.g));
        }
        LineSeries s[3];
        s[0] = {hx.data(), hy.data(), int(hx.size()), tr("mle.legend_histogram"), IM_COL32(160, 160, 160, 255)};
        s[1] = {xs.data(), truth.data(), kCurvePoints, tr("mle.legend_true_density"), category_u32(0)};
        s[2] = {xs.data(), fitted.data(), kCurvePoints, tr("mle.legend_ml_fit"), category_u32(1)};
        PlotOptions po;
        po.title = tr("mle.samples_title");
        po.x_label = "x";
        po.size = FitFigure({1.4f});
        po.y_min = 0;
        po.y_max = sd_true_ > 0.15 ? NAN : 3.0;  // a needle density would squash everything else
        LinePlot("mle-hist", s, 3, po);
        MainFigure("samples and densities");

        // Average log-likelihood of the sample and the expected log-likelihood under the truth,
        // E_p[log q_θ] = −H(p) − KL(p‖q_θ), as functions of one parameter.
        std::vector<double> thetas(kCurvePoints), sample_ll(kCurvePoints), expected_ll(kCurvePoints);
        for (int i = 0; i < kCurvePoints; ++i) {
          const double t = vary_ == 0 ? -3 + 6.0 * i / (kCurvePoints - 1) : 0.05 + 2.95 * i / (kCurvePoints - 1);
          const Gaussian1 q = vary_ == 0 ? Gaussian1{t, s_hat} : Gaussian1{m_hat, t};
          thetas[size_t(i)] = t;
          sample_ll[size_t(i)] = prob::gaussian1_average_log_likelihood(samples_.data(), samples_.size(), q);
          const double d = mu_true_ - q.mean;
          expected_ll[size_t(i)] =
              -0.5 * std::log(2 * prob::kPi * q.sd * q.sd) - (sd_true_ * sd_true_ + d * d) / (2 * q.sd * q.sd);
        }
        LineSeries c[2];
        c[0] = {thetas.data(), sample_ll.data(), kCurvePoints, tr("mle.legend_sample_ll"), category_u32(1)};
        c[1] = {thetas.data(), expected_ll.data(), kCurvePoints, "E_p[log q_θ] = −H(p) − KL(p‖q_θ)", category_u32(0)};
        PlotOptions co;
        co.title = vary_ == 0 ? tr("mle.ll_of_mu_title") : tr("mle.ll_of_sd_title");
        co.x_label = vary_ == 0 ? "μ" : "σ";
        co.size = FitFigure({1.6f, 1, false, 0, 5});
        // Show the top of the curves; far from the peak they plunge.
        double top = -INFINITY;
        for (int i = 0; i < kCurvePoints; ++i) top = std::max({top, sample_ll[size_t(i)], expected_ll[size_t(i)]});
        co.y_max = top + 0.3;
        co.y_min = top - 4;
        const PlotResult r = LinePlot("mle-curve", c, 2, co);
        draw_data_vline(r.transform, vary_ == 0 ? m_hat : s_hat, category_u32(1), 2.0f);
        draw_data_vline(r.transform, pop_best, category_u32(0), 2.0f);
      });
}

void MleKlLesson::show_categorical() {
  long n = 0;
  for (long c : counts_) n += c;
  const std::vector<double> theta = prob::fit_categorical(counts_, pseudo_count_);
  const std::vector<double> freq = prob::fit_categorical(counts_, 0);
  LessonPanes(
      [&] {
        show_intro();
        NextControlWidth(trl("mle.faces"), 6);
        if (ImGui::SliderInt(trl("mle.faces"), &faces_, 2, kMaxFaces))
          faces_ = std::clamp(faces_, 2, kMaxFaces), reset_rolls();
        const struct {
          const char* label;
          long count;
        } rolls[] = {{trl("mle.roll_1"), 1}, {trl("mle.roll_10"), 10}, {trl("mle.roll_100"), 100}, {trl("mle.roll_1000"), 1000}};
        for (const auto& r : rolls) {
          SameLineIfFits(ButtonWidth(r.label));
          if (ImGui::Button(r.label)) roll(r.count);
        }
        SameLineIfFits(ButtonWidth(trl("mle.reset_rolls")));
        if (ImGui::Button(trl("mle.reset_rolls"))) reset_rolls();
        float pseudo = float(pseudo_count_);
        NextControlWidth(trl("mle.pseudo_counts"), 7);
        if (ImGui::SliderFloat(trl("mle.pseudo_counts"), &pseudo, 0, 5, "%.1f"))
          pseudo_count_ = std::clamp(double(pseudo), 0.0, 5.0);
        HelpMarker(tr("mle.help_smoothing"));
        TextDisabledWrapped(tr("mle.faces_hint"));
        if (n == 0) {
          ImGui::TextWrapped("%s", tr("mle.no_rolls"));
          return;
        }
        // Lines of numbers wrap at spaces only, never inside a number.
        FormulaText("%s", trf("mle.rolls_turn", n, freq[0]).c_str());
        FormulaText("%s", trf("mle.entropy_identity", prob::categorical_entropy(freq)).c_str());
        std::string unseen;
        for (int j = 0; j < faces_; ++j)
          if (counts_[size_t(j)] == 0) unseen += (unseen.empty() ? "" : tr("mle.list_separator")) + std::to_string(j + 1);
        if (!unseen.empty()) {
          ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.3f, 1));
          ImGui::TextWrapped("%s", (pseudo_count_ > 0 ? trf("mle.unseen_smoothed", unseen.c_str())
                                                      : trf("mle.unseen_zero", unseen.c_str()))
                                         .c_str());
          ImGui::PopStyleColor();
        }
      },
      [&] {
        // The faces as a table of bars, as large as the space allows.
        const ImVec2 fit = FitFigure({1.5f});
        const ImGuiStyle& style = ImGui::GetStyle();
        const float header_h = ImGui::GetTextLineHeight() + 2 * style.CellPadding.y;
        const float bar_h = std::max(ImGui::GetFrameHeight(),
                                     std::floor((fit.y - header_h) / float(faces_) - 2 * style.CellPadding.y - 1));
        ImGui::BeginGroup();
        if (ImGui::BeginTable("faces", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp,
                              ImVec2(fit.x, 0))) {
          // Short headers and fixed columns for the numbers: the bars take the rest of the width.
          const bool wide = fit.x > Em(24);
          ImGui::TableSetupColumn(trl("mle.col_face"), ImGuiTableColumnFlags_WidthFixed);
          ImGui::TableSetupColumn(trl("mle.col_loading"), ImGuiTableColumnFlags_WidthFixed,
                                  std::max(TextWidth(trl("mle.col_loading")), Em(wide ? 7 : 3.5f)));
          ImGui::TableSetupColumn(trl("mle.col_count"), ImGuiTableColumnFlags_WidthFixed,
                                  std::max(TextWidth(trl("mle.col_count")), TextWidth("1000000")));
          ImGui::TableSetupColumn(wide ? trl("mle.col_theta_vs_p") : "θ_ML###mle.col_theta_vs_p",
                                  ImGuiTableColumnFlags_WidthStretch);
          ImGui::TableHeadersRow();
          for (int k = 0; k < faces_; ++k) {
            ImGui::PushID(k);
            ImGui::TableNextRow(0, bar_h + 2 * style.CellPadding.y);
            ImGui::TableNextColumn();
            ImGui::Text("%d", k + 1);
            ImGui::TableNextColumn();
            float wgt = float(face_weight_[k]);
            ImGui::SetNextItemWidth(-1);
            if (ImGui::SliderFloat("##w", &wgt, 0, 5, "%.1f"))
              face_weight_[k] = std::clamp(double(wgt), 0.0, 5.0), normalise_faces();
            ImGui::TableNextColumn();
            ImGui::Text("%ld", counts_[size_t(k)]);
            ImGui::TableNextColumn();
            char label[48];
            std::snprintf(label, sizeof label, "%.3f (p %.3f)", theta[size_t(k)], true_p_[size_t(k)]);
            if (ImGui::GetContentRegionAvail().x < TextWidth(label) + Em(0.5f))
              std::snprintf(label, sizeof label, "%.2f", theta[size_t(k)]);
            ImGui::ProgressBar(float(theta[size_t(k)]), ImVec2(-1, bar_h), label);
            ImGui::PopID();
          }
          ImGui::EndTable();
        }
        ImGui::EndGroup();
        MainFigure("faces: θ_ML vs true p");
        if (n == 0) return;

        // Move θ along face 1's probability, the others keeping their proportions.
        const size_t k = 0;
        std::vector<double> ts, ll, kl;
        for (int i = 1; i < kCurvePoints - 1; ++i) {
          const double t = double(i) / (kCurvePoints - 1);
          if (freq[k] >= 1) break;
          const std::vector<double> q = prob::categorical_along(freq, k, t);
          ts.push_back(t);
          ll.push_back(prob::categorical_average_log_likelihood(counts_, q));
          kl.push_back(prob::categorical_kl(freq, q));
        }
        const float avail_x = ImGui::GetContentRegionAvail().x;
        const float share = std::max(0.05f, (avail_x - style.ItemSpacing.x) / std::max(1.0f, 2 * avail_x));
        LineSeries a{ts.data(), ll.data(), int(ts.size()), "(1/n) Σ log q(x_i)", category_u32(1)};
        PlotOptions po;
        po.title = tr("mle.average_ll_title");
        po.x_label = tr("mle.axis_q_face1");
        po.size = FitFigure({1.2f, share, false, 0, 4});
        const PlotResult r1 = LinePlot("cat-ll", &a, 1, po);
        draw_data_vline(r1.transform, freq[k], category_u32(1), 2.0f);
        SameLineIfFits(po.size.x);
        LineSeries b{ts.data(), kl.data(), int(ts.size()), "KL(p_data ‖ q)", category_u32(0)};
        po.title = tr("mle.kl_frequencies_title");
        const PlotResult r2 = LinePlot("cat-kl", &b, 1, po);
        draw_data_vline(r2.transform, freq[k], category_u32(0), 2.0f);
      });
}

void MleKlLesson::show_kl() {
  std::vector<double> xs(size_t(grid_.n)), p(size_t(grid_.n)), qf(size_t(grid_.n)), qr(size_t(grid_.n));
  const auto log_qf = prob::log_density_on_grid(forward_.q(), grid_), log_qr = prob::log_density_on_grid(reverse_.q(), grid_);
  for (int i = 0; i < grid_.n; ++i) {
    xs[size_t(i)] = grid_.x(i);
    p[size_t(i)] = std::exp(log_p_[size_t(i)]);
    qf[size_t(i)] = std::exp(log_qf[size_t(i)]);
    qr[size_t(i)] = std::exp(log_qr[size_t(i)]);
  }
  LessonPanes(
      [&] {
        show_intro();
        float sep = float(separation_), msd = float(mode_sd_), wgt = float(mode_weight_), sm = float(start_mean_),
              ssd = float(start_sd_);
        bool changed = false;
        NextControlWidth(trl("mle.mode_distance"), 7);
        changed |= ImGui::SliderFloat(trl("mle.mode_distance"), &sep, 0, 7, "%.1f");
        NextControlWidth(trl("mle.mode_sd"), 7, true);
        changed |= ImGui::SliderFloat(trl("mle.mode_sd"), &msd, 0.2f, 1.5f, "%.2f");
        NextControlWidth(trl("mle.left_weight"), 7, true);
        changed |= ImGui::SliderFloat(trl("mle.left_weight"), &wgt, 0.05f, 0.95f, "%.2f");
        HelpMarker(tr("mle.help_target"));
        NextControlWidth(trl("mle.start_mu"), 6);
        changed |= ImGui::SliderFloat(trl("mle.start_mu"), &sm, -4, 4, "%.1f");
        NextControlWidth(trl("mle.start_sd"), 6, true);
        changed |= ImGui::SliderFloat(trl("mle.start_sd"), &ssd, 0.2f, 3, "%.1f");
        HelpMarker(tr("mle.help_start"));
        if (changed) {
          separation_ = std::clamp(double(sep), 0.0, 7.0);
          mode_sd_ = std::clamp(double(msd), 0.2, 1.5);
          mode_weight_ = std::clamp(double(wgt), 0.05, 0.95);
          start_mean_ = std::clamp(double(sm), -4.0, 4.0);
          start_sd_ = std::clamp(double(ssd), 0.2, 3.0);
          restart_kl();
        }
        const char* run_label = running_ ? trl("mle.pause") : trl("mle.fit");
        if (ImGui::Button(run_label)) set_running(!running_);
        SameLineIfFits(ButtonWidth(trl("mle.step")));
        if (ImGui::Button(trl("mle.step"))) step_once();
        SameLineIfFits(ButtonWidth(trl("mle.restart")));
        if (ImGui::Button(trl("mle.restart"))) restart_kl();
        TextDisabledWrapped(trf("mle.kl_step_status", forward_.step).c_str());

        // Both divergences for both fits: each fit wins its own objective and loses the other.
        const double f_pq = prob::kl_numeric(log_p_, log_qf, grid_), f_qp = prob::kl_numeric(log_qf, log_p_, grid_);
        const double r_pq = prob::kl_numeric(log_p_, log_qr, grid_), r_qp = prob::kl_numeric(log_qr, log_p_, grid_);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(category_u32(0)), "q₁");
        SameLineIfFits(TextWidth(tr("mle.minimises_forward")));
        ImGui::TextUnformatted(tr("mle.minimises_forward"));
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(category_u32(1)), "q₂");
        SameLineIfFits(TextWidth(tr("mle.minimises_reverse")));
        ImGui::TextUnformatted(tr("mle.minimises_reverse"));
        if (ImGui::BeginTable("kl-table", 3, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchSame)) {
          ImGui::TableSetupColumn("");
          ImGui::TableSetupColumn("q₁");
          ImGui::TableSetupColumn("q₂");
          ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
          ImGui::TableNextColumn();
          ImGui::TableNextColumn();
          ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(category_u32(0)), "q₁");
          ImGui::TableNextColumn();
          ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(category_u32(1)), "q₂");
          const struct {
            const char* name;
            double a, b;
            const char* format;
          } rows[] = {{"μ", forward_.q().mean, reverse_.q().mean, "%.3f"},
                      {"σ", forward_.q().sd, reverse_.q().sd, "%.3f"},
                      {"KL(p‖q)", f_pq, r_pq, "%.4f"},
                      {"KL(q‖p)", f_qp, r_qp, "%.4f"}};
          for (const auto& row : rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.name);
            ImGui::TableNextColumn();
            ImGui::Text(row.format, row.a);
            ImGui::TableNextColumn();
            ImGui::Text(row.format, row.b);
          }
          ImGui::EndTable();
        }
        HelpMarker(tr("mle.help_kl"));
        const Gaussian1 a = forward_.q(), b = reverse_.q();
        FormulaText("%s", trf("mle.kl_between_fits", prob::kl_gaussian1(a, b), prob::kl_numeric(log_qf, log_qr, grid_),
                              prob::kl_gaussian1(b, a), prob::kl_numeric(log_qr, log_qf, grid_))
                              .c_str());
        ImGui::TextWrapped("%s", tr("mle.kl_properties"));
        if (kl_note_ != KlNote::None) {
          ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.3f, 1));
          ImGui::TextWrapped("%s", kl_note_ == KlNote::StepLimit ? trf("mle.kl_step_limit", kMaxKlSteps).c_str()
                                                                 : tr("mle.kl_not_finite"));
          ImGui::PopStyleColor();
        }
      },
      [&] {
        LineSeries s[3];
        s[0] = {xs.data(), p.data(), grid_.n, tr("mle.legend_target"), IM_COL32(200, 200, 200, 255)};
        s[1] = {xs.data(), qf.data(), grid_.n, tr("mle.legend_mean_seeking"), category_u32(0)};
        s[2] = {xs.data(), qr.data(), grid_.n, tr("mle.legend_mode_seeking"), category_u32(1)};
        PlotOptions po;
        po.title = tr("mle.kl_fits_title");
        po.x_label = "x";
        po.x_min = -6;
        po.x_max = 6;
        po.y_min = 0;
        po.size = FitFigure({1.4f});
        LinePlot("kl-densities", s, 3, po);
        MainFigure("p and the two fits");
        LineSeries hs[2];
        hs[0] = {nullptr, forward_.history.data(), int(forward_.history.size()), "KL(p‖q)", category_u32(0)};
        hs[1] = {nullptr, reverse_.history.data(), int(reverse_.history.size()), "KL(q‖p)", category_u32(1)};
        PlotOptions ho;
        ho.title = tr("mle.kl_history_title");
        ho.x_label = tr("mle.axis_step");
        ho.y_min = 0;
        ho.size = FitFigure({2.0f, 1, false, 0, 5});
        LinePlot("kl-history", hs, 2, ho);
      });
}

void MleKlLesson::ShowLessonMleKl() {
  if (ImGui::BeginTabBar("mle-tabs")) {
    const struct {
      const char* label;
      Tab tab;
    } tabs[] = {{trl("mle.tab_gaussian"), Tab::Gaussian},
                {trl("mle.tab_categorical"), Tab::Categorical},
                {trl("mle.tab_kl"), Tab::Kl}};
    for (const auto& t : tabs) {
      const ImGuiTabItemFlags flags = tab_requested_ && tab_ == t.tab ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(t.label, nullptr, flags)) {
        if (!tab_requested_) tab_ = t.tab;
        switch (t.tab) {
          case Tab::Gaussian: show_gaussian(); break;
          case Tab::Categorical: show_categorical(); break;
          case Tab::Kl: show_kl(); break;
        }
        ImGui::EndTabItem();
      }
    }
    tab_requested_ = false;
    ImGui::EndTabBar();
  }
}


}  // namespace

std::unique_ptr<Lesson> make_lesson_mle_kl() { return std::make_unique<MleKlLesson>(); }

}  // namespace ll::ui
