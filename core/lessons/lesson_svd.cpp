// [svd] The SVD of one digit, A = UΣVᵀ, truncated to rank k with a slider: the reconstruction,
// the singular-value spectrum, and what the truncation stores and loses (Eckart–Young: the
// squared error is the sum of the dropped σᵢ²). Then the whole data set: the spectrum of the
// centred 8000 × 784 data matrix (PCA), a digit rebuilt from k principal components, and the
// held-out digits projected on the first two components, coloured by class.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/mnist_pca.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/lowrank.hpp"

namespace ll::ui {

namespace {

const char* const kDigitNames[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

class SvdLesson : public Lesson {
 public:
  const char* id() const override { return "svd"; }
  const char* title() const override { return tr("lessons.svd"); }
  const char* group() const override { return tr("groups.autoencoders"); }

  void advance(double budget_ms) override {
    if (!wanted_) return;
    status_ = mnist_pca(budget_ms);
    if (status_.data && digit_cached_ != digit_index_) update_digit();
    if (status_.pca && px_.empty()) build_scatter();
  }
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override { ShowLessonSvd(); }

 private:
  void ShowLessonSvd();
  void show_digit_picker();
  void show_image_controls();
  void show_image_figures();
  void show_data_controls();
  void show_data_figures();
  void show_scatter();
  void update_digit();
  void build_scatter();
  void pick_digit_class(int digit);
  int heldout_count() const { return status_.data ? status_.data->heldout.count() : 0; }
  int clamp_k(int k) const { return std::clamp(k, 1, 28); }

  bool wanted_ = false;  // set when first shown: the data loads only then
  MnistPcaStatus status_;
  int digit_index_ = 0;  // into the held-out split
  int digit_cached_ = -1;
  int k_ = 5;            // rank of the image truncation, 1–28
  int data_k_ = 20;      // principal components for the data set, 1–784
  Svd digit_svd_;
  Eigen::MatrixXd digit_;  // [28 × 28]
  std::vector<double> px_, py_;  // held-out digits on PC 1 and PC 2, once the PCA is ready
  std::vector<int> classes_;
};

void SvdLesson::update_digit() {
  const MnistData& data = *status_.data;
  digit_index_ = std::clamp(digit_index_, 0, data.heldout.count() - 1);
  digit_.resize(data.rows, data.cols);
  const float* pixels = data.heldout.image(digit_index_);
  for (int r = 0; r < data.rows; ++r)
    for (int c = 0; c < data.cols; ++c) digit_(r, c) = pixels[r * data.cols + c];
  digit_svd_ = svd_of(digit_);
  digit_cached_ = digit_index_;
}

void SvdLesson::build_scatter() {
  const MnistSplit& heldout = status_.data->heldout;
  px_.resize(size_t(heldout.count()));
  py_.resize(size_t(heldout.count()));
  classes_.resize(size_t(heldout.count()));
  float code[2];
  for (int i = 0; i < heldout.count(); ++i) {
    pca_project(*status_.pca, heldout.image(i), 2, code);
    px_[size_t(i)] = code[0];
    py_[size_t(i)] = code[1];
    classes_[size_t(i)] = heldout.labels[size_t(i)];
  }
}

void SvdLesson::pick_digit_class(int digit) {
  const MnistSplit& heldout = status_.data->heldout;
  for (int step = 1; step <= heldout.count(); ++step) {
    const int i = (digit_index_ + step) % heldout.count();
    if (heldout.labels[size_t(i)] == digit) {
      digit_index_ = i;
      update_digit();
      return;
    }
  }
}

CommandResult SvdLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "svd") return {};
  wanted_ = true;
  const std::string usage = "usage: svd k 1–28 | svd data-k 1–784 | svd digit 0–9 | svd index N";
  if (w.size() != 3) return {false, usage};
  char* end = nullptr;
  const long v = std::strtol(w[2].c_str(), &end, 10);
  if (w[2].empty() || *end != '\0') return {false, usage};
  if (w[1] == "k") {
    if (v < 1 || v > 28) return {false, "k must be 1–28 (a digit is a 28 × 28 matrix)"};
    k_ = int(v);
    return {true, "k " + w[2]};
  }
  if (w[1] == "data-k") {
    if (v < 1 || v > 784) return {false, "data-k must be 1–784"};
    data_k_ = int(v);
    return {true, "data-k " + w[2]};
  }
  if (!status_.data) status_ = mnist_pca(0);
  if (!status_.data) return {false, "the MNIST digits are not loaded: " + status_.error};
  if (w[1] == "digit") {
    if (v < 0 || v > 9) return {false, "digit must be 0–9"};
    pick_digit_class(int(v));
    return {true, "digit " + w[2]};
  }
  if (w[1] == "index") {
    if (v < 0 || v >= heldout_count()) return {false, "index must be 0–" + std::to_string(heldout_count() - 1)};
    digit_index_ = int(v);
    update_digit();
    return {true, "index " + w[2]};
  }
  return {false, usage};
}

nlohmann::json SvdLesson::state() const {
  nlohmann::json s = {{"k", k_}, {"data_k", data_k_}, {"digit_index", digit_index_}};
  s["data"] = status_.data ? "loaded" : status_.error.empty() ? "not loaded" : "missing";
  if (!status_.error.empty()) s["error"] = status_.error;
  if (status_.data && digit_cached_ == digit_index_) {
    s["label"] = status_.data->heldout.labels[size_t(digit_index_)];
    s["image_error"] = squared_frobenius_distance(digit_, svd_reconstruct(digit_svd_, k_));
    s["dropped_energy"] = dropped_energy(digit_svd_.sigma, k_);
    s["sigma_1"] = digit_svd_.sigma[0];
    s["storage"] = low_rank_storage(28, 28, k_);
  }
  s["pca_progress"] = status_.progress;
  if (status_.pca) {
    s["data_relative_error"] = pca_residual(*status_.pca, data_k_) / status_.pca->total_scatter;
    s["data_error_per_image"] = pca_residual(*status_.pca, data_k_) / double(status_.pca->samples);
  }
  return s;
}

void SvdLesson::show_digit_picker() {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("svd.digit"));
  for (int d = 0; d < 10; ++d) {
    SameLineIfFits(ButtonWidth(kDigitNames[d]));
    const bool current = status_.data && status_.data->heldout.labels[size_t(digit_index_)] == d;
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(kDigitNames[d])) pick_digit_class(d);
    if (current) ImGui::PopStyleColor();
  }
  HelpMarker(tr("svd.help_digit"));
  NextControlWidth(trl("svd.example"), 7, true, 6);
  if (ImGui::InputInt(trl("svd.example"), &digit_index_)) {
    digit_index_ = std::clamp(digit_index_, 0, heldout_count() - 1);
    update_digit();
  }
  const int label = status_.data->heldout.labels[size_t(digit_index_)];
  ImGui::TextDisabled("%s", trf("svd.heldout_example", digit_index_, label).c_str());
}

void SvdLesson::show_image_controls() {
  SectionHeading(tr("svd.one_digit"));
  NextControlWidth(trl("svd.rank_k"), 12);
  ImGui::SliderInt(trl("svd.rank_k"), &k_, 1, 28, "%d", ImGuiSliderFlags_AlwaysClamp);
  k_ = clamp_k(k_);
  HelpMarker(tr("svd.help_rank_k"));
  const Eigen::MatrixXd approx = svd_reconstruct(digit_svd_, k_);
  const double error = squared_frobenius_distance(digit_, approx);
  const double dropped = dropped_energy(digit_svd_.sigma, k_), total = digit_svd_.sigma.squaredNorm();
  const long storage = low_rank_storage(28, 28, k_);
  FormulaText("%s", trf("svd.image_storage", storage, 100.0 * storage / 784).c_str());
  HelpMarker(tr("svd.help_image_storage"));
  FormulaText("%s", trf("svd.image_error", error).c_str());
  FormulaText("%s", trf("svd.dropped_energy", dropped, total > 0 ? 100.0 * dropped / total : 0.0).c_str());
}

void SvdLesson::show_image_figures() {
  const Eigen::MatrixXd approx = svd_reconstruct(digit_svd_, k_);
  // The original and the chosen k, then rank 1, 2, 4, 8, all 28 × 28.
  const int ranks[4] = {1, 2, 4, 8};
  std::vector<float> pixels(6 * 784);
  auto put = [&pixels](int slot, const Eigen::MatrixXd& m) {
    for (int r = 0; r < 28; ++r)
      for (int c = 0; c < 28; ++c) pixels[size_t(slot) * 784 + r * 28 + c] = float(m(r, c));
  };
  put(0, digit_);
  put(1, approx);
  for (int i = 0; i < 4; ++i) put(2 + i, svd_reconstruct(digit_svd_, ranks[i]));
  std::string rank_captions[5] = {trf("svd.rank_n", k_)};
  for (int i = 0; i < 4; ++i) rank_captions[1 + i] = trf("svd.rank_n", ranks[i]);
  const char* captions[6] = {tr("svd.original"), rank_captions[0].c_str(), rank_captions[1].c_str(),
                             rank_captions[2].c_str(), rank_captions[3].c_str(), rank_captions[4].c_str()};
  ImageGridOptions grid;
  // One row of six, two of three or three of two: whichever gives the largest images.
  grid.columns = 6;
  grid.cell_size = 0;
  for (int columns : {6, 3, 2}) {
    const float cell = FitImageGridCellEm(columns, 6 / columns, true, true, 1.5f, 14);
    if (cell > grid.cell_size + 0.01f) grid.cell_size = cell, grid.columns = columns;
  }
  grid.captions = captions;
  grid.selected = 1;
  ImageGrid("digit ranks", pixels.data(), 6, 28, 28, grid);
  MainFigure("digit at rank k");

  // Spectrum, kept and dropped in two colours, on a log axis.
  std::vector<double> index(28), kept(28, NAN), gone(28, NAN);
  for (int i = 0; i < 28; ++i) {
    index[size_t(i)] = i + 1;
    const double s = digit_svd_.sigma[i] > 1e-12 ? digit_svd_.sigma[i] : NAN;
    (i < k_ ? kept : gone)[size_t(i)] = s;
  }
  if (k_ < 28) kept[size_t(k_)] = gone[size_t(k_)];  // joins the two lines
  LineSeries series[2] = {{index.data(), kept.data(), 28, tr("svd.kept_sigma"), 0},
                          {index.data(), gone.data(), 28, tr("svd.dropped_sigma"), 0}};
  PlotOptions po;
  po.title = tr("svd.digit_spectrum");
  po.x_label = "i";
  po.log_y = true;
  po.size = WideFigure(1.8f);
  LinePlot("digit spectrum", series, 2, po);
}

void SvdLesson::show_data_controls() {
  const Pca& pca = *status_.pca;
  SectionHeading(tr("svd.all_digits"));
  NextControlWidth(trl("svd.components"), 12);
  ImGui::SliderInt(trl("svd.components"), &data_k_, 1, pca.dim, "%d",
                   ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  data_k_ = std::clamp(data_k_, 1, pca.dim);
  HelpMarker(tr("svd.help_components"));
  const double residual = pca_residual(pca, data_k_);
  const double n = double(pca.samples);
  const double stored = double(data_k_) * (n + pca.dim) + pca.dim, raw = n * pca.dim;
  FormulaText("%s", trf("svd.kept_variance", 100.0 * (1 - residual / pca.total_scatter)).c_str());
  FormulaText("%s", trf("svd.error_per_digit", residual / n, pca.total_scatter / n).c_str());
  HelpMarker(tr("svd.help_error_per_digit"));
  FormulaText("%s", trf("svd.data_storage", stored, raw, 100 * stored / raw).c_str());
}

void SvdLesson::show_data_figures() {
  const Pca& pca = *status_.pca;
  const MnistData& data = *status_.data;
  SectionHeading(tr("svd.from_components"));
  // This digit from k components of the data set (it is held out: the basis never saw it).
  std::vector<float> code(static_cast<size_t>(data_k_)), pixels(3 * 784);
  const float* original = data.heldout.image(digit_index_);
  pca_project(pca, original, data_k_, code.data());
  pca_reconstruct(pca, code.data(), data_k_, pixels.data() + 784);
  std::copy_n(original, 784, pixels.data());
  std::copy_n(pca.mean.data(), 784, pixels.data() + 2 * 784);
  char caption[40];
  std::snprintf(caption, sizeof caption, "k = %d", data_k_);
  const char* captions[3] = {tr("svd.original"), caption, tr("svd.mean_mu")};
  ImageGridOptions grid;
  grid.columns = 3;
  grid.cell_size = FitImageGridCellEm(3, 1, true, false, 2, 7);
  grid.captions = captions;
  ImageGrid("digit from components", pixels.data(), 3, 28, 28, grid);

  std::vector<double> index(size_t(pca.dim)), sigma(size_t(pca.dim));
  for (int i = 0; i < pca.dim; ++i) {
    index[size_t(i)] = i + 1;
    sigma[size_t(i)] = pca.eigenvalues[i] > 1e-9 ? std::sqrt(pca.eigenvalues[i]) : NAN;
  }
  LineSeries series{index.data(), sigma.data(), pca.dim, "σᵢ", 0};
  PlotOptions po;
  po.title = tr("svd.data_spectrum");
  po.x_label = "i";
  po.log_x = true;
  po.log_y = true;
  po.size = WideFigure(1.8f);
  const PlotResult plot = LinePlot("data spectrum", &series, 1, po);
  // The chosen k as a vertical line.
  const float x = plot.transform.to_pixel(data_k_, 1.0).x;
  ImGui::GetWindowDrawList()->AddLine(ImVec2(x, plot.transform.pixel_min.y), ImVec2(x, plot.transform.pixel_max.y),
                                      ImGui::GetColorU32(ImGuiCol_PlotLinesHovered), 2.0f);
  const int zeros = int(std::count_if(sigma.begin(), sigma.end(), [](double s) { return std::isnan(s); }));
  TextDisabledWrapped(trf("svd.zero_sigmas", zeros, pca.dim).c_str());
}

void SvdLesson::show_scatter() {
  SectionHeading(tr("svd.scatter_heading"));
  ScatterPoints points;
  points.xs = px_.data();
  points.ys = py_.data();
  points.count = int(px_.size());
  points.categories = classes_.data();
  points.category_names = kDigitNames;
  points.category_count = 10;
  points.radius = 0.16f;
  PlotOptions po;
  po.x_label = tr("svd.pc1");
  po.y_label = tr("svd.pc2");
  po.size = WideFigure(1.25f, 12);
  const ScatterResult sr = ScatterPlot("pca scatter", points, po);
  if (sr.clicked_point >= 0) {
    digit_index_ = sr.clicked_point;
    update_digit();
  }
  if (sr.hovered_point >= 0)
    ImGui::SetTooltip("%s", trf("svd.scatter_tooltip", sr.hovered_point, classes_[size_t(sr.hovered_point)]).c_str());
}

void SvdLesson::ShowLessonSvd() {
  wanted_ = true;
  if (status_.data && digit_cached_ != digit_index_) update_digit();
  LessonPanes(
      [this] {
        ImGui::TextWrapped("%s", tr("svd.intro"));
        if (!status_.data) {
          if (status_.error.empty())
            ImGui::TextWrapped("%s", tr("mnist_pca.loading"));
          else
            MnistUnavailableNotice(status_.error);
          return;
        }
        show_digit_picker();
        ImGui::PushID("image");
        show_image_controls();
        ImGui::PopID();
        if (!status_.pca) {
          SectionHeading(tr("svd.all_digits"));
          ImGui::ProgressBar(float(status_.progress), ImVec2(-FLT_MIN, 0), "");
          TextDisabledWrapped(tr("mnist_pca.computing_pca"));
        } else {
          show_data_controls();
        }
      },
      [this] {
        if (!status_.data) {
          FigurePlaceholder(status_.error.empty() ? tr("mnist_pca.loading_placeholder") : tr("mnist_pca.no_digits"),
                            1.5f);
          MainFigure("digit at rank k");
          return;
        }
        ImGui::PushID("image");
        show_image_figures();
        ImGui::PopID();
        if (status_.pca) show_data_figures();
        if (status_.pca && !px_.empty()) show_scatter();
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_svd() { return std::make_unique<SvdLesson>(); }

}  // namespace ll::ui
