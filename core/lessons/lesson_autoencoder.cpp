// [autoencoder] x → code → x̂ with a loss L(x, g(f(x))). Here the linear autoencoder,
// x̂ = W_dec (W_enc x + b) + c, trained live on the 8000 train digits for code sizes
// k = 1 … 32 side by side, against PCA with the same k: PCA is the best any linear code of size
// k can do, and as training goes on the autoencoder's error comes down to meet it.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/mnist_pca.hpp"
#include "lessons/widgets/plot.hpp"
#include "ml/linear_ae.hpp"
#include "viz/colormap.hpp"

namespace ll::ui {

namespace {

constexpr int kCodeSizes[] = {1, 2, 4, 8, 16, 32};
constexpr int kModels = int(sizeof kCodeSizes / sizeof kCodeSizes[0]);
constexpr long kMaxEpochs = 30;      // the learning rate has halved ~4 times by then
constexpr int kCurveEvery = 10;      // batches per point of the loss curve
constexpr int kGridDigits = 10;      // one held-out example per class in the reconstruction grid

struct Model {
  int code = 0;
  LinearAeTrainer trainer;
  std::vector<double> curve;  // mean batch loss per kCurveEvery batches
  double curve_sum = 0;
  int curve_batches = 0;
  std::vector<double> epoch_errors;  // train error per completed epoch
  bool diverged = false;
};

ImU32 model_color(int i) {
  const viz::Rgb8 c = viz::category_color(i);
  return IM_COL32(c.r, c.g, c.b, 255);
}

class AutoencoderLesson : public Lesson {
 public:
  const char* id() const override { return "autoencoder"; }
  const char* title() const override { return "Autoencoders and PCA"; }
  const char* group() const override { return "Autoencoders"; }
  bool has_training() const override { return true; }

  TrainingStatus training() const override {
    long steps = 0;
    for (const Model& m : models_) steps += m.trainer.steps;
    const Model* m = selected_model();
    return {running_, steps, m ? m->trainer.last_batch_loss : NAN};
  }
  void set_running(bool running) override {
    wanted_ = true;
    running_ = running && !all_done();
  }
  void step_once() override {
    wanted_ = true;
    running_ = false;
    if (ready()) train_batches(1);
  }
  void reseed(uint64_t seed) override {
    seed_ = seed;
    reset_models();
  }
  void advance(double budget_ms) override;
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override { ShowLessonAutoencoder(); }

 private:
  bool ready() const { return status_.data && status_.pca && !models_.empty(); }
  bool all_done() const {
    for (const Model& m : models_)
      if (!m.diverged && m.trainer.epoch < kMaxEpochs) return false;
    return !models_.empty();
  }
  const Model* selected_model() const {
    return selected_ >= 0 && selected_ < int(models_.size()) ? &models_[size_t(selected_)] : nullptr;
  }
  void reset_models();
  void train_batches(long per_model);
  void step_model(Model& m);
  void stop_if_done();
  void pick_grid_digits();
  void ShowLessonAutoencoder();
  void show_controls();
  void show_error_vs_k(float width, float height);
  void show_loss_curve(float width, float height);
  void show_reconstructions();

  bool wanted_ = false;  // set when first shown or commanded: the data loads only then
  MnistPcaStatus status_;
  std::vector<Model> models_;
  int selected_ = 3;     // index into kCodeSizes (k = 8)
  double lr_ = 5e-3;
  uint64_t seed_ = 1;
  bool running_ = false;
  int next_model_ = 0;   // round-robin over the models
  std::vector<int> grid_digits_;  // held-out indices
  std::string note_;
};

void AutoencoderLesson::reset_models() {
  models_.clear();
  note_.clear();
  if (!status_.data) return;
  const MnistSplit& train = status_.data->train;
  for (int i = 0; i < kModels; ++i) {
    Model m;
    m.code = kCodeSizes[i];
    m.trainer = make_linear_ae_trainer(train.pixels, m.code, train.count(), seed_ + uint64_t(i), lr_);
    models_.push_back(std::move(m));
  }
  next_model_ = 0;
}

void AutoencoderLesson::step_model(Model& m) {
  const MnistSplit& train = status_.data->train;
  const long epoch_before = m.trainer.epoch;
  if (linear_ae_train(m.trainer, train.images.data(), train.count(), 1) < 0) {
    m.diverged = true;
    note_ = "k = " + std::to_string(m.code) + " diverged (the loss is no longer finite): lower the learning rate.";
    return;
  }
  m.curve_sum += m.trainer.last_batch_loss;
  if (++m.curve_batches == kCurveEvery) {
    m.curve.push_back(m.curve_sum / kCurveEvery);
    m.curve_sum = 0;
    m.curve_batches = 0;
  }
  if (m.trainer.epoch != epoch_before) m.epoch_errors.push_back(m.trainer.last_epoch_loss);
}

void AutoencoderLesson::train_batches(long per_model) {
  for (Model& m : models_)
    for (long b = 0; b < per_model && !m.diverged && m.trainer.epoch < kMaxEpochs; ++b) step_model(m);
  stop_if_done();
}

void AutoencoderLesson::stop_if_done() {
  if (!all_done()) return;
  running_ = false;
  if (note_.empty()) note_ = "Every code size has trained " + std::to_string(kMaxEpochs) + " epochs.";
}

void AutoencoderLesson::pick_grid_digits() {
  const MnistSplit& heldout = status_.data->heldout;
  grid_digits_.clear();
  for (int digit = 0; digit < kGridDigits; ++digit)
    for (int i = 0; i < heldout.count(); ++i)
      if (heldout.labels[size_t(i)] == digit) {
        grid_digits_.push_back(i);
        break;
      }
}

void AutoencoderLesson::advance(double budget_ms) {
  if (!wanted_) return;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed_ms = [&start] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  if (!status_.pca) status_ = mnist_pca(budget_ms);
  if (status_.data && models_.empty()) {
    reset_models();
    pick_grid_digits();
  }
  if (!running_ || !ready()) return;
  // One batch at a time, round-robin over the code sizes, until the frame's budget is used.
  while (running_ && elapsed_ms() < budget_ms) {
    for (int tries = 0; tries < kModels; ++tries) {
      Model& m = models_[size_t(next_model_)];
      next_model_ = (next_model_ + 1) % kModels;
      if (m.diverged || m.trainer.epoch >= kMaxEpochs) continue;
      step_model(m);
      break;
    }
    stop_if_done();
  }
}

CommandResult AutoencoderLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "ae") return {};
  wanted_ = true;
  const std::string usage = "usage: ae k 1|2|4|8|16|32 | ae lr RATE | ae reset";
  if (w.size() == 2 && w[1] == "reset") {
    running_ = false;
    reset_models();
    return {true, "reset"};
  }
  if (w.size() != 3) return {false, usage};
  char* end = nullptr;
  const double v = std::strtod(w[2].c_str(), &end);
  if (w[2].empty() || *end != '\0' || !std::isfinite(v)) return {false, usage};
  if (w[1] == "k") {
    for (int i = 0; i < kModels; ++i)
      if (kCodeSizes[i] == v) {
        selected_ = i;
        return {true, "k " + w[2]};
      }
    return {false, "k must be one of 1, 2, 4, 8, 16, 32"};
  }
  if (w[1] == "lr") {
    if (!(v >= 1e-5 && v <= 1)) return {false, "the learning rate must be in [1e-5, 1]"};
    lr_ = v;
    running_ = false;
    reset_models();
    return {true, "lr " + w[2] + " (models reset)"};
  }
  return {false, usage};
}

nlohmann::json AutoencoderLesson::state() const {
  nlohmann::json s = {{"selected_k", kCodeSizes[selected_]}, {"lr", lr_}, {"running", running_}};
  s["data"] = status_.data ? "loaded" : status_.error.empty() ? "not loaded" : "missing";
  if (!status_.error.empty()) s["error"] = status_.error;
  s["pca_ready"] = status_.pca != nullptr;
  nlohmann::json models = nlohmann::json::array();
  for (const Model& m : models_) {
    nlohmann::json j = {{"k", m.code}, {"epoch", m.trainer.epoch}, {"steps", m.trainer.steps},
                        {"diverged", m.diverged}};
    if (!m.epoch_errors.empty()) j["train_error"] = m.epoch_errors.back();
    if (!m.curve.empty()) j["recent_loss"] = m.curve.back();
    if (status_.pca) j["pca_error"] = pca_residual(*status_.pca, m.code) / double(status_.pca->samples);
    models.push_back(j);
  }
  s["models"] = models;
  return s;
}

void AutoencoderLesson::show_controls() {
  if (ImGui::Button(running_ ? "Pause" : "Train")) set_running(!running_);
  ImGui::SameLine();
  if (ImGui::Button("Step")) step_once();
  ImGui::SameLine();
  if (ImGui::Button("Reset")) {
    running_ = false;
    reset_models();
  }
  ImGui::SameLine();
  float lr_log = float(std::log10(lr_));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  if (ImGui::SliderFloat("learning rate", &lr_log, -4, -1, "", ImGuiSliderFlags_AlwaysClamp)) {
    lr_ = std::pow(10.0, double(lr_log));
    running_ = false;
    reset_models();
  }
  ImGui::SameLine();
  ImGui::Text("%.2g", lr_);
  HelpMarker("Adam's step size at the start; it halves every 8 epochs so the minibatch noise fades. Changing it "
             "restarts training. At 0.1 the first epochs thrash far above PCA; at 1e-4 the error creeps down.");
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("show code size k");
  for (int i = 0; i < kModels; ++i) {
    ImGui::SameLine();
    char label[16];
    std::snprintf(label, sizeof label, "%d", kCodeSizes[i]);
    ImGui::RadioButton(label, &selected_, i);
  }
  ImGui::SameLine();
  HelpMarker("All six code sizes train together, one minibatch each in turn; this picks the one shown in the "
             "loss curve and the reconstructions.");
}

void AutoencoderLesson::show_error_vs_k(float width, float height) {
  const Pca& pca = *status_.pca;
  const double n = double(pca.samples);
  constexpr int kMaxK = 64;
  std::vector<double> ks(kMaxK), pca_errors(kMaxK);
  for (int k = 1; k <= kMaxK; ++k) {
    ks[size_t(k - 1)] = k;
    pca_errors[size_t(k - 1)] = pca_residual(pca, k) / n;
  }
  std::vector<double> ae_ks, ae_errors;
  for (const Model& m : models_)
    if (!m.epoch_errors.empty() && !m.diverged) {
      ae_ks.push_back(m.code);
      ae_errors.push_back(m.epoch_errors.back());
    }
  LineSeries series[2] = {{ks.data(), pca_errors.data(), kMaxK, "PCA (exact)", model_color(0)},
                          {ae_ks.data(), ae_errors.data(), int(ae_ks.size()), "linear AE (last epoch)", model_color(1)}};
  PlotOptions po;
  po.title = "train error per digit vs code size k";
  po.x_label = "k";
  po.log_x = true;
  po.y_min = 0;
  po.size = ImVec2(width, height);
  const PlotResult plot = LinePlot("error vs k", series, 2, po);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float r = ImGui::GetFontSize() * 0.25f;
  for (size_t i = 0; i < ae_ks.size(); ++i)
    dl->AddCircleFilled(plot.transform.to_pixel(ae_ks[i], ae_errors[i]), r, model_color(1));
}

void AutoencoderLesson::show_loss_curve(float width, float height) {
  const Model& m = models_[size_t(selected_)];
  const double pca_error = pca_residual(*status_.pca, m.code) / double(status_.pca->samples);
  std::vector<double> xs(m.curve.size()), pca_line(m.curve.size(), pca_error);
  const double batches_per_epoch = std::ceil(double(status_.data->train.count()) / m.trainer.batch_size);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = double((i + 1) * kCurveEvery) / batches_per_epoch;
  char label[48];
  std::snprintf(label, sizeof label, "linear AE, k = %d (batches)", m.code);
  LineSeries series[2] = {{xs.data(), m.curve.data(), int(xs.size()), label, model_color(1)},
                          {xs.data(), pca_line.data(), int(xs.size()), "PCA, same k", model_color(0)}};
  PlotOptions po;
  po.title = "loss ‖x̂ − x‖² per digit while training";
  po.x_label = "epoch";
  po.log_y = true;
  po.size = ImVec2(width, height);
  LinePlot("loss curve", series, 2, po);
}

void AutoencoderLesson::show_reconstructions() {
  const Model& m = models_[size_t(selected_)];
  const MnistSplit& heldout = status_.data->heldout;
  const int count = int(grid_digits_.size()), pixels = heldout.pixels;
  std::vector<float> images(size_t(3 * count * pixels));
  std::vector<float> code(size_t(m.code));
  for (int i = 0; i < count; ++i) {
    const float* x = heldout.image(grid_digits_[size_t(i)]);
    std::copy_n(x, pixels, images.data() + size_t(i) * pixels);
    linear_ae_reconstruct(m.trainer.ae, x, images.data() + size_t(count + i) * pixels);
    pca_project(*status_.pca, x, m.code, code.data());
    pca_reconstruct(*status_.pca, code.data(), m.code, images.data() + size_t(2 * count + i) * pixels);
  }
  std::vector<const char*> captions(size_t(3 * count), nullptr);
  captions[0] = "input";
  captions[size_t(count)] = "linear AE";
  captions[size_t(2 * count)] = "PCA";
  ImageGridOptions grid;
  grid.columns = count;
  grid.cell_size = std::clamp(ImGui::GetContentRegionAvail().x / (count * 1.15f * ImGui::GetFontSize()), 2.0f, 5.5f);
  grid.captions = captions.data();
  ImageGrid("reconstructions", images.data(), 3 * count, status_.data->cols, status_.data->rows, grid);
}

void AutoencoderLesson::ShowLessonAutoencoder() {
  wanted_ = true;
  ImGui::TextWrapped("An autoencoder maps x to a short code and back, x → code → x̂, and learns from the loss "
                     "L(x, x̂) = ‖x̂ − x‖². A linear one, x̂ = W_dec(W_enc x + b) + c, can do no better than PCA "
                     "with the same code size; trained by gradient descent, it gets there.");
  ImGui::TextDisabled("On this page: the linear autoencoder against PCA. The dense non-linear and convolutional "
                      "autoencoders are not built yet.");
  if (!status_.data || !status_.pca) {
    if (!status_.error.empty()) {
      ImGui::TextColored(ImVec4(1, 0.4f, 0.35f, 1), "The MNIST digits are not available:");
      ImGui::TextWrapped("%s", status_.error.c_str());
      if (ImGui::Button("Try again")) mnist_pca_retry();
    } else {
      ImGui::ProgressBar(float(status_.progress), ImVec2(ImGui::GetFontSize() * 20, 0),
                         status_.data ? "computing the PCA…" : "loading the digits…");
    }
    return;
  }
  if (models_.empty()) return;  // made by the next advance()
  show_controls();
  const Model& m = models_[size_t(selected_)];
  const double pca_error = pca_residual(*status_.pca, m.code) / double(status_.pca->samples);
  ImGui::Text("k = %d: epoch %ld, step %ld, last epoch's error %.3f, PCA %.3f", m.code, m.trainer.epoch,
              m.trainer.steps, m.epoch_errors.empty() ? NAN : m.epoch_errors.back(), pca_error);
  HelpMarker("The error is ‖x̂ − x‖² summed over the 784 pixels, averaged over the train digits. The "
             "autoencoder's is the mean over the last epoch's minibatches, each measured just before its update.");
  if (!note_.empty()) ImGui::TextWrapped("%s", note_.c_str());

  const float full = ImGui::GetContentRegionAvail().x;
  const float half = (full - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float plot_h = ImGui::GetFontSize() * 12;
  show_error_vs_k(half, plot_h);
  ImGui::SameLine();
  show_loss_curve(half, plot_h);
  SectionHeading("Held-out digits: input, linear autoencoder and PCA with the chosen k");
  show_reconstructions();
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_autoencoder() { return std::make_unique<AutoencoderLesson>(); }

}  // namespace ll::ui
