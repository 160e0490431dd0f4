// [gan] The GAN's min-max game, live on 2-D data: an MLP generator G(z) and an MLP
// discriminator D(x) trained against each other with Adam (β₁ = 0.5) in time slices of the
// frame loop. Shows real vs generated points over D's decision as a heat map, D's and G's
// losses, how many modes of the data G covers, and mode collapse with its fixes. Below, the
// MNIST DCGAN shipped in assets/weights (lessons/gan_digits_panel).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/gan_digits_panel.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/sliced_training.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/gen/toy_gan.hpp"
#include "ml/prob/datasets2d.hpp"
#include "ml/rng.hpp"

namespace ll::ui {

namespace {

using namespace prob_ui;
using prob::Point2;

constexpr double kView = 3.5;         // plots show [−kView, kView]²
constexpr int kDecisionRes = 56;      // heat map cells per side
constexpr int kShownSamples = 600;    // generated points drawn
constexpr int kDataPoints = 1000;
constexpr double kDataNoise = 0.08;
constexpr long kMaxSteps = 200000;
constexpr double kPictureEveryMs = 120;  // refresh of points and heat map while training
constexpr double kLog2 = 0.69314718055994531;


// One parameter snapshot's pictures.
struct Pictures {
  std::vector<Point2> generated;  // [kShownSamples]
  std::vector<float> decision;    // [kDecisionRes²] D(x), row 0 at the top
  int modes_covered = 0;
  long step = -1;
};

class GanLesson : public SlicedTrainingLesson {
 public:
  GanLesson() { reset(); }

  const char* id() const override { return "gan"; }
  const char* title() const override { return tr("lessons.gan"); }
  const char* group() const override { return tr("groups.generative"); }
  void step_once() override {
    SlicedTrainingLesson::step_once();
    refresh_pictures();
  }
  void advance(double budget_ms) override;
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override {
    mark_shown();
    ShowLessonGan();
  }

 private:
  bool can_train() const override { return !gan_.diverged && gan_.step < kMaxSteps; }
  long trained_steps() const override { return gan_.step; }
  double recent_loss() const override { return recent_mean(gan_.g_losses); }
  const prob::Dataset2dInfo& dataset() const { return prob::all_datasets2d()[size_t(dataset_)]; }
  void reset() override {
    Rng data_rng(seed_, 0x67616e64);
    data_ = prob::make_dataset2d(dataset().kind, kDataPoints, kDataNoise, data_rng);
    Rng init_rng(seed_, 0x67616e69);
    gan_ = gen::make_toy_gan(config_, init_rng);
    config_ = gan_.config;
    train_rng_.reseed(seed_, 0x67616e74);
    running_ = false;
    refresh_pictures();
  }
  // Settings that keep the networks (learning rates, D steps, smoothing, G loss).
  void apply_live_settings() {
    gen::update_toy_gan_settings(gan_, config_);
    config_ = gan_.config;
  }
  void train_one() override {
    if (!gen::toy_gan_train_step(gan_, data_.points, train_rng_) || gan_.step >= kMaxSteps) running_ = false;
  }
  void refresh_pictures() {
    pictures_.generated = gen::toy_gan_generate(gan_, kShownSamples, seed_ + 101);  // same z: points move smoothly
    pictures_.decision = gen::toy_gan_decision_grid(gan_, kDecisionRes, kView);
    pictures_.modes_covered = gen::covered_modes(pictures_.generated, data_.points, data_.labels, dataset().parts);
    pictures_.step = gan_.step;
    last_picture_ = Clock::now();
  }
  // The settings that make G collapse onto a few modes, and the ones that fix it.
  void preset(bool collapse) {
    dataset_ = int(prob::find_dataset2d("circle8") - prob::all_datasets2d().data());
    config_ = gen::ToyGanConfig{};
    // Measured over 3000 iterations, seeds 1–3: collapse ends with 2–4 of 8 modes covered,
    // the fixed recipe keeps all 8 throughout.
    if (collapse) {
      config_.latent = 2;
      config_.g_lr = config_.d_lr = 2e-2;
    } else {
      config_.latent = 8;
      config_.g_lr = config_.d_lr = 3e-4;
    }
    reset();
    running_ = true;
  }
  void lower_learning_rates() {
    config_.g_lr /= 10;
    config_.d_lr /= 10;
    apply_live_settings();
  }

  void ShowLessonGan();
  void show_objective();
  void show_controls();
  void show_losses();
  void show_modes();
  void show_decision(ImVec2 size);
  void show_points(ImVec2 size);

  int dataset_ = int(prob::Dataset2d::Rings);
  gen::ToyGanConfig config_;

  prob::LabeledPoints2 data_;
  gen::ToyGan gan_;
  Rng train_rng_{1};
  Pictures pictures_;
  Clock::time_point last_picture_ = Clock::now();
  GanDigitsPanel digits_;
};

void GanLesson::advance(double budget_ms) {
  const Clock::time_point start = Clock::now();
  const bool visible = take_shown();
  train_slice(start, budget_ms, 0.7);  // the pictures get the rest of the slice
  if (visible && pictures_.step != gan_.step && (!running_ || ms_since(last_picture_) > kPictureEveryMs))
    refresh_pictures();
}

CommandResult GanLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "gan") return {};
  double a = 0;
  const bool has_number = w.size() == 3 && parse_number(w[2], a);
  if (w.size() == 3 && w[1] == "data") {
    const prob::Dataset2dInfo* d = prob::find_dataset2d(w[2]);
    if (!d) return {false, "no data set '" + w[2] + "' (moons, rings, blobs, circle8)"};
    dataset_ = int(d - prob::all_datasets2d().data());
    reset();
    return {true, "data " + w[2]};
  }
  if (w.size() == 3 && (w[1] == "lr-d" || w[1] == "lr-g")) {
    if (!has_number || !(a > 0 && a <= 1)) return {false, "learning rates must be in (0, 1]"};
    (w[1] == "lr-d" ? config_.d_lr : config_.g_lr) = a;
    apply_live_settings();
    return {true, w[1] + " " + w[2]};
  }
  if (w.size() == 3 && w[1] == "d-steps") {
    if (!has_number || a != std::floor(a) || a < 1 || a > 10) return {false, "d-steps: 1 to 10"};
    config_.d_steps = int(a);
    apply_live_settings();
    return {true, "d-steps " + w[2]};
  }
  if (w.size() == 3 && w[1] == "smoothing") {
    if (!has_number || a < 0 || a > 0.5) return {false, "smoothing: 0 to 0.5"};
    config_.label_smoothing = a;
    apply_live_settings();
    return {true, "smoothing " + w[2]};
  }
  if (w.size() == 3 && w[1] == "latent") {
    if (!has_number || a != std::floor(a) || a < 1 || a > 16) return {false, "latent: 1 to 16"};
    config_.latent = int(a);
    reset();
    return {true, "latent " + w[2]};
  }
  if (w.size() == 3 && w[1] == "loss") {
    if (w[2] != "ns" && w[2] != "saturating") return {false, "loss: ns or saturating"};
    config_.g_loss = w[2] == "ns" ? gen::GeneratorLoss::NonSaturating : gen::GeneratorLoss::Saturating;
    apply_live_settings();
    return {true, "loss " + w[2]};
  }
  if (w.size() == 3 && w[1] == "preset") {
    if (w[2] != "collapse" && w[2] != "stable") return {false, "preset: collapse or stable"};
    preset(w[2] == "collapse");
    return {true, "preset " + w[2]};
  }
  if (w.size() == 2 && w[1] == "lower-lr") {
    lower_learning_rates();
    return {true, "learning rates divided by 10"};
  }
  if (w.size() == 2 && w[1] == "reset") {
    reset();
    return {true, "reset"};
  }
  const CommandResult digits = digits_.command(w);
  if (digits.ok || !digits.message.empty()) return digits;
  return {false, "usage: gan data moons|rings|blobs|circle8 | gan lr-d A | gan lr-g A | gan d-steps N | "
                 "gan smoothing S | gan latent N | gan loss ns|saturating | gan preset collapse|stable | "
                 "gan lower-lr | gan reset | gan sample SEED | gan class 0-9|all | gan interpolate SEED_A SEED_B | "
                 "gan save-png | gan load-model PATH"};
}

nlohmann::json GanLesson::state() const {
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  nlohmann::json s = {{"data", dataset().key},
          {"step", gan_.step},
          {"d_loss", num(recent_mean(gan_.d_losses))},
          {"g_loss", num(recent_mean(gan_.g_losses))},
          {"d_lr", config_.d_lr},
          {"g_lr", config_.g_lr},
          {"d_steps", config_.d_steps},
          {"latent", config_.latent},
          {"label_smoothing", config_.label_smoothing},
          {"g_loss_kind", config_.g_loss == gen::GeneratorLoss::NonSaturating ? "ns" : "saturating"},
          {"modes", dataset().parts},
          {"modes_covered", pictures_.modes_covered},
          {"pictures_step", pictures_.step},
          {"diverged", gan_.diverged},
          {"message", gan_.message}};
  s.update(digits_.state());
  return s;
}

void GanLesson::show_objective() {
  ImGui::TextWrapped("min_G max_D  V(D, G) = E_x~data[log D(x)] + E_z~N(0,I)[log(1 − D(G(z)))]");
  HelpMarker(tr("gan.help_objective"));
  TextDisabledWrapped(trf("gan.d_minimises", 1 - config_.label_smoothing).c_str());
  TextDisabledWrapped(config_.g_loss == gen::GeneratorLoss::NonSaturating ? tr("gan.g_minimises_ns")
                                                                          : tr("gan.g_minimises_saturating"));
}

void GanLesson::show_controls() {
  NextControlWidth(trl("gan.data"), 11);
  if (DatasetCombo(trl("gan.data"), dataset_)) reset();
  NextControlWidth(trl("gan.latent_size"), 5, true);
  if (ImGui::SliderInt(trl("gan.latent_size"), &config_.latent, 1, 16)) config_.latent = std::clamp(config_.latent, 1, 16), reset();
  HelpMarker(tr("gan.help_latent_size"));
  NextControlWidth(trl("gan.d_steps"), 5, true);
  if (ImGui::SliderInt(trl("gan.d_steps"), &config_.d_steps, 1, 10)) apply_live_settings();
  HelpMarker(tr("gan.help_d_steps"));

  float d_log = float(std::log10(config_.d_lr)), g_log = float(std::log10(config_.g_lr));
  char value[32];
  // The width leaves room for the value after the slider as well as its label and "(?)".
  NextControlWidth((std::string(tr("gan.d_lr")) + "  0.0e+00").c_str(), 7);
  if (ImGui::SliderFloat(trl("gan.d_lr"), &d_log, -5, 0, "")) config_.d_lr = std::pow(10.0, std::clamp(double(d_log), -5.0, 0.0)), apply_live_settings();
  std::snprintf(value, sizeof value, "%.1e", config_.d_lr);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  NextControlWidth((std::string(tr("gan.g_lr")) + "  0.0e+00").c_str(), 7, true);
  if (ImGui::SliderFloat(trl("gan.g_lr"), &g_log, -5, 0, "")) config_.g_lr = std::pow(10.0, std::clamp(double(g_log), -5.0, 0.0)), apply_live_settings();
  std::snprintf(value, sizeof value, "%.1e", config_.g_lr);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("gan.help_learning_rates"));
  float smoothing = float(config_.label_smoothing);
  NextControlWidth(trl("gan.label_smoothing"), 5, true);
  if (ImGui::SliderFloat(trl("gan.label_smoothing"), &smoothing, 0, 0.3f, "%.2f"))
    config_.label_smoothing = std::clamp(double(smoothing), 0.0, 0.5), apply_live_settings();
  HelpMarker(tr("gan.help_label_smoothing"));
  bool saturating = config_.g_loss == gen::GeneratorLoss::Saturating;
  SameLineIfFits(CheckboxWidth(trl("gan.saturating_loss")));
  if (ImGui::Checkbox(trl("gan.saturating_loss"), &saturating))
    config_.g_loss = saturating ? gen::GeneratorLoss::Saturating : gen::GeneratorLoss::NonSaturating, apply_live_settings();
  HelpMarker(tr("gan.help_saturating_loss"));

  if (ImGui::Button(running_ ? trl("gan.pause") : trl("gan.train"))) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("gan.step")));
  if (ImGui::Button(trl("gan.step"))) step_once();
  SameLineIfFits(ButtonWidth(trl("gan.reset")));
  if (ImGui::Button(trl("gan.reset"))) reset();
  SameLineIfFits(ButtonWidth(trl("gan.show_mode_collapse")));
  if (ImGui::Button(trl("gan.show_mode_collapse"))) preset(true);
  SameLineIfFits(ButtonWidth(trl("gan.fixed_recipe")));
  if (ImGui::Button(trl("gan.fixed_recipe"))) preset(false);
  HelpMarker(tr("gan.help_mode_collapse"));
  SameLineIfFits(TextWidth((std::string(tr("gan.iteration")) + " 000000" + tr("common.paused_suffix")).c_str()));
  TrainingStatusLine(tr("gan.iteration"), gan_.step, running_, steps_per_second_, tr("gan.iterations_per_s"));
  if (gan_.diverged) {
    // The message comes from the training code, in English, after a lead-in in the interface language.
    const DivergedChoice choice = DivergedNotice(trf("gan.diverged", gan_.message.c_str()), trl("gan.lower_lr_continue"));
    if (choice == DivergedChoice::LowerLearningRate) lower_learning_rates();
    if (choice == DivergedChoice::Reset) reset();
  }
}

void GanLesson::show_losses() {
  LineSeries series[2];
  series[0].ys = gan_.d_losses.data();
  series[0].count = int(gan_.d_losses.size());
  series[0].label = tr("gan.d_loss");
  series[1].ys = gan_.g_losses.data();
  series[1].count = int(gan_.g_losses.size());
  series[1].label = tr("gan.g_loss");
  PlotOptions po;
  po.title = tr("gan.losses_title");
  po.log_y = config_.g_loss == gen::GeneratorLoss::NonSaturating;  // G's spikes would flatten the rest
  po.x_label = tr("gan.axis_iteration");
  po.size = FitFigure({1.4f, 1, false});
  LinePlot("gan-losses", series, 2, po);
  const double d = recent_mean(gan_.d_losses), g = recent_mean(gan_.g_losses);
  ImGui::TextWrapped("%s", trf("gan.losses_now", d, g, 2 * kLog2, kLog2).c_str());
  if (d > 20 || g > 20) {
    // Finite but huge: the players overshoot each other every step.
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.55f, 0.3f, 1));
    ImGui::TextWrapped("%s", tr("gan.unstable"));
    ImGui::PopStyleColor();
    if (ImGui::Button(trl("gan.lower_lr"))) lower_learning_rates();
  }
}

void GanLesson::show_modes() {
  ImGui::TextUnformatted(trf("gan.modes_covered", pictures_.modes_covered, dataset().parts).c_str());
  HelpMarker(tr("gan.help_modes_covered"));
}

void GanLesson::show_decision(ImVec2 size) {
  const ImU32 real_color = category_u32(0, 170), fake_color = category_u32(1, 230);
  // D's decision with real and generated points on top.
  HeatMapOptions ho;
  ho.size = size;
  ho.title = tr("gan.decision_title");  // no colour bar label: the title has the whole width
  ho.x_min = ho.y_min = -kView;
  ho.x_max = ho.y_max = kView;
  ho.v_min = 0;
  ho.v_max = 1;
  ho.colormap = viz::Colormap::Diverging;
  const HeatMapResult r = HeatMap("gan-decision", pictures_.decision.data(), kDecisionRes, kDecisionRes, ho);
  MainFigure("D's verdict with real and generated points");
  draw_data_points(r.transform, data_.points, nullptr, real_color, 0.1f);
  draw_data_points(r.transform, pictures_.generated, nullptr, fake_color, 0.13f);
}

void GanLesson::show_points(ImVec2 size) {
  // Real vs generated alone, with a legend.
  const size_t n_real = data_.points.size(), n = n_real + pictures_.generated.size();
  std::vector<double> xs(n), ys(n);
  std::vector<int> cats(n);
  for (size_t i = 0; i < n; ++i) {
    const Point2& p = i < n_real ? data_.points[i] : pictures_.generated[i - n_real];
    xs[i] = p.x, ys[i] = p.y, cats[i] = i < n_real ? 0 : 1;
  }
  const char* const names[] = {tr("gan.real"), tr("gan.generated")};
  ScatterPoints sp;
  sp.xs = xs.data();
  sp.ys = ys.data();
  sp.count = int(n);
  sp.categories = cats.data();
  sp.category_names = names;
  sp.category_count = 2;
  sp.radius = 0.12f;
  PlotOptions po;
  po.size = size;
  po.title = tr("gan.points_title");
  po.x_min = po.y_min = -kView;
  po.x_max = po.y_max = kView;
  ScatterPlot("gan-points", sp, po);
}

void GanLesson::ShowLessonGan() {
  LessonPanes(
      [this] {
        ImGui::TextWrapped("%s", tr("gan.intro"));
        show_objective();
        show_controls();
        ImGui::Separator();
        show_losses();
      },
      [this] {
        show_decision(FitFigure({1.12f}));
        // The plain scatter beside the map when there is room for it, else under it.
        const float main_h = ImGui::GetItemRectSize().y;
        const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x - ImGui::GetItemRectMax().x - ImGui::GetStyle().ItemSpacing.x;
        if (right >= Em(12)) {
          ImGui::SameLine();
          const float side = std::floor(std::min(right, main_h));
          show_points(ImVec2(side, side));
        } else {
          show_points(FitFigure({1, 0.7f, false}));
        }
        show_modes();
        digits_.show();
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_gan() { return std::make_unique<GanLesson>(); }

}  // namespace ll::ui
