// [autoencoder] x → code → x̂ with a loss L(x, g(f(x))), three models chosen with a combo:
//  * the linear autoencoder, x̂ = W_dec (W_enc x + b) + c, trained live on the 8000 train digits
//    for code sizes k = 1 … 32 side by side, against PCA with the same k: PCA is the best any
//    linear code of size k can do, and as training goes on the autoencoder's error meets it;
//  * a dense non-linear and a small convolutional autoencoder (ml/autoencoder) with a code-size
//    slider, input-vs-output grid of held-out digits, train and held-out loss curves, and
//    random codes decoded into images: why a plain autoencoder is a poor generator.
// Training runs in advance(budget_ms) time slices on every build.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/mnist_pca.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/autoencoder.hpp"
#include "ml/linear_ae.hpp"
#include "viz/colormap.hpp"

namespace ll::ui {

namespace {

constexpr int kCodeSizes[] = {1, 2, 4, 8, 16, 32};
constexpr int kModels = int(sizeof kCodeSizes / sizeof kCodeSizes[0]);
constexpr long kMaxEpochs = 30;      // the learning rate has halved ~4 times by then
constexpr int kCurveEvery = 10;      // batches per point of the loss curve
constexpr int kGridDigits = 10;      // one held-out example per class in the reconstruction grid

// The non-linear models.
enum class Family { Linear, Dense, Conv };
constexpr const char* kFamilyNames[] = {"linear", "dense", "conv"};
constexpr int kMaxCode = 32;
constexpr int kDenseHidden = 128;       // small enough that one minibatch fits a frame's budget
constexpr int kConvChannels = 8;
constexpr int kNlBatch = 32;
constexpr double kNlLr = 2e-3;
constexpr int kNlCurveEvery = 10;       // batches per point of the train curve
constexpr long kHeldoutEvery = 100;     // steps between held-out evaluations
constexpr int kHeldoutSlice = 500;      // held-out digits (every 4th: all classes) for the curve and the code Gaussian
constexpr int kHeldoutPiece = 50;       // digits evaluated per piece (a frame's worth)
constexpr int kRandomCodes = 10;        // images per row of decoded random codes

struct NonLinear {
  ae::AeTrainer trainer;
  std::vector<double> train_steps, train_curve;      // mean batch BCE per kNlCurveEvery batches
  double curve_sum = 0;
  int curve_batches = 0;
  std::vector<double> heldout_steps, heldout_curve;  // BCE on the held-out slice
  double heldout_squared_error = NAN;                // ‖x̂ − x‖² per digit on the held-out slice
  // A held-out evaluation in progress (pieces between training steps, parameters unchanged).
  bool evaluating = false;
  int eval_done = 0;
  ae::AeLoss eval_sum;
  ae::Mat eval_codes;                                // [kHeldoutSlice, k] codes of the slice
  bool have_gaussian = false;
  ae::CodeGaussian gaussian;                         // fitted to the last evaluation's codes
  double code_rms = NAN;                             // RMS of the held-out codes' entries
  bool diverged = false;
  std::string message;                               // core's words, for state()
  long diverged_step = 0, kept_step = 0;             // for the notice drawn in the interface language
};

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

// `kinds` rows of `count` images each (input, output, …), stored kind after kind, as one grid
// with the kind's name under its first image. When half as many columns give larger images the
// rows come in two blocks: inputs 0–4, outputs 0–4, then inputs 5–9, outputs 5–9.
void KindRowsGrid(const char* id, const float* images, int kinds, const char* const* kind_names, int count, int width,
                  int height, bool fit_height, float max_em) {
  if (count <= 0) return;
  const size_t pixels = size_t(width) * size_t(height);
  int columns = count;
  float cell = FitImageGridCellEm(count, kinds, true, fit_height, 1.5f, max_em);
  if (count % 2 == 0) {
    const float half = FitImageGridCellEm(count / 2, 2 * kinds, true, fit_height, 1.5f, max_em);
    if (half > cell * 1.15f) columns = count / 2, cell = half;
  }
  const int blocks = count / columns;
  std::vector<float> ordered(size_t(kinds * count) * pixels);
  std::vector<const char*> captions(size_t(kinds * count), nullptr);
  int slot = 0;
  for (int b = 0; b < blocks; ++b)
    for (int k = 0; k < kinds; ++k) {
      captions[size_t(slot)] = kind_names[k];
      for (int c = 0; c < columns; ++c, ++slot)
        std::copy_n(images + (size_t(k) * count + size_t(b * columns + c)) * pixels, pixels,
                    ordered.data() + size_t(slot) * pixels);
    }
  ImageGridOptions grid;
  grid.columns = columns;
  grid.cell_size = cell;
  grid.captions = captions.data();
  ImageGrid(id, ordered.data(), kinds * count, width, height, grid);
}

class AutoencoderLesson : public Lesson {
 public:
  const char* id() const override { return "autoencoder"; }
  const char* title() const override { return tr("lessons.autoencoder"); }
  const char* group() const override { return tr("groups.autoencoders"); }
  bool has_training() const override { return true; }

  TrainingStatus training() const override {
    if (family_ != Family::Linear)
      return {running_, nl_ ? nl_->trainer.step : 0, nl_ ? nl_->trainer.last_loss : NAN};
    long steps = 0;
    for (const Model& m : models_) steps += m.trainer.steps;
    const Model* m = selected_model();
    return {running_, steps, m ? m->trainer.last_batch_loss : NAN};
  }
  void set_running(bool running) override {
    wanted_ = true;
    if (family_ != Family::Linear) running_ = running && !(nl_ && nl_->diverged);
    else running_ = running && !all_done();
  }
  void step_once() override {
    wanted_ = true;
    running_ = false;
    if (family_ != Family::Linear) {
      if (status_.data && nl_) nl_step();
    } else if (ready()) {
      train_batches(1);
    }
  }
  void reseed(uint64_t seed) override {
    seed_ = seed;
    reset_models();
    if (nl_) reset_non_linear();
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
  // Non-linear models (dense or conv).
  void reset_non_linear();
  void choose_family(Family family);
  void nl_step();
  void nl_evaluate_piece();
  void advance_non_linear(double budget_ms);
  void draw_random_codes();
  void lower_nl_learning_rate();
  void show_non_linear_controls();
  void show_non_linear_figures();
  void show_nl_controls();
  void show_nl_loss_curve(ImVec2 size);
  void show_nl_reconstructions();
  void show_random_codes_controls();
  void show_random_codes();

  void ShowLessonAutoencoder();
  void show_linear_controls();
  void show_linear_figures();
  void show_controls();
  void show_error_vs_k(ImVec2 size);
  void show_loss_curve(ImVec2 size);
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
  ae::Mat heldout_slice_;         // [≤ kHeldoutSlice, 784] evenly spaced held-out digits (sorted by class)
  enum class Note { None, Diverged, Done } note_ = Note::None;  // under the linear models' controls
  int note_code_ = 0;             // the code size that diverged

  Family family_ = Family::Linear;
  int code_size_ = 8;
  double nl_lr_ = kNlLr;
  std::unique_ptr<NonLinear> nl_;  // made when a non-linear family is chosen
  double steps_per_second_ = 0;
  double step_ms_ = 1;             // running mean of one minibatch's time
  uint64_t draw_count_ = 0;        // "new draws" presses: the random codes' seed
  std::vector<float> random_images_;  // [2·kRandomCodes, 784] N(0, I) row, fitted-Gaussian row
  double random_nn_distance_[2] = {NAN, NAN};  // mean ‖x̂ − nearest held-out digit‖² per row
  double reconstruction_nn_distance_ = NAN;    // the same for the grid's reconstructions
};

void AutoencoderLesson::reset_models() {
  models_.clear();
  note_ = Note::None;
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
    note_ = Note::Diverged;
    note_code_ = m.code;
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
  if (note_ == Note::None) note_ = Note::Done;
}

void AutoencoderLesson::pick_grid_digits() {
  const MnistSplit& heldout = status_.data->heldout;
  const int slice = std::min(kHeldoutSlice, heldout.count()), stride = heldout.count() / slice;
  heldout_slice_.resize(slice, ae::kPixels);
  for (int i = 0; i < slice; ++i)
    heldout_slice_.row(i) = Eigen::Map<const Eigen::RowVectorXf>(heldout.image(i * stride), ae::kPixels);
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
  // The PCA is fitted while the linear models show (the others need only the digits).
  if (!status_.pca && (family_ == Family::Linear || !status_.data)) status_ = mnist_pca(budget_ms);
  if (status_.data && models_.empty()) {
    reset_models();
    pick_grid_digits();
  }
  if (family_ != Family::Linear && status_.data && !nl_) reset_non_linear();
  if (family_ != Family::Linear) {
    if (nl_) advance_non_linear(budget_ms - elapsed_ms());
    return;
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

// ---------------------------------------------------------------------------------------
// Non-linear models.

void AutoencoderLesson::reset_non_linear() {
  if (!status_.data) return;
  ae::AeConfig config;
  config.kind = family_ == Family::Conv ? ae::AeKind::Conv : ae::AeKind::Dense;
  config.code = code_size_;
  config.hidden = kDenseHidden;
  config.channels = kConvChannels;
  nl_ = std::make_unique<NonLinear>();
  nl_->trainer = ae::make_ae_trainer(config, nl_lr_, status_.data->train.count(), seed_, kNlBatch);
  nl_->eval_codes.resize(heldout_slice_.rows(), code_size_);
  nl_->evaluating = true;  // the held-out loss of the untrained model starts the curve
  random_images_.clear();
}

void AutoencoderLesson::choose_family(Family family) {
  if (family == family_ && (family == Family::Linear || nl_)) return;
  running_ = false;
  family_ = family;
  if (family != Family::Linear) {
    nl_.reset();
    reset_non_linear();
  }
}

void AutoencoderLesson::lower_nl_learning_rate() {
  nl_lr_ = std::max(1e-6, nl_lr_ / 10);
  if (!nl_) return;
  ae::set_ae_learning_rate(nl_->trainer, nl_lr_);
  nl_->diverged = false;
  nl_->message.clear();
}

void AutoencoderLesson::nl_step() {
  NonLinear& n = *nl_;
  const MnistSplit& train = status_.data->train;
  const auto start = std::chrono::steady_clock::now();
  if (!ae::ae_train_step(n.trainer, train.images.data())) {
    n.diverged = true;
    n.message = n.trainer.error;
    n.diverged_step = n.trainer.step;
    n.kept_step = n.trainer.last_good.step;
    running_ = false;
    return;
  }
  step_ms_ = 0.8 * step_ms_ + 0.2 * std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  n.curve_sum += n.trainer.last_loss;
  if (++n.curve_batches == kNlCurveEvery) {
    n.train_steps.push_back(double(n.trainer.step));
    n.train_curve.push_back(n.curve_sum / kNlCurveEvery);
    n.curve_sum = 0;
    n.curve_batches = 0;
  }
  if (n.trainer.step % kHeldoutEvery == 0) n.evaluating = true;
}

void AutoencoderLesson::nl_evaluate_piece() {
  NonLinear& n = *nl_;
  const int slice = int(heldout_slice_.rows());
  const int rows = std::min(kHeldoutPiece, slice - n.eval_done);
  const ae::Mat x = heldout_slice_.middleRows(n.eval_done, rows);
  const ae::AeLoss l = ae::ae_loss(n.trainer.model, x, false);
  n.eval_codes.middleRows(n.eval_done, rows) = n.trainer.model.code;
  n.eval_sum.bce += l.bce * rows;
  n.eval_sum.squared_error += l.squared_error * rows;
  n.eval_done += rows;
  if (n.eval_done < slice) return;
  n.heldout_steps.push_back(double(n.trainer.step));
  n.heldout_curve.push_back(n.eval_sum.bce / slice);
  n.heldout_squared_error = n.eval_sum.squared_error / slice;
  n.gaussian = ae::fit_code_gaussian(n.eval_codes);
  n.have_gaussian = true;
  n.code_rms = std::sqrt(double(n.eval_codes.squaredNorm()) / double(n.eval_codes.size()));
  n.evaluating = false;
  n.eval_done = 0;
  n.eval_sum = ae::AeLoss{};
  draw_random_codes();
}

// Decodes kRandomCodes codes from N(0, I) and as many from the Gaussian fitted to the held-out
// codes, and measures how far each image is from its nearest held-out digit.
void AutoencoderLesson::draw_random_codes() {
  NonLinear& n = *nl_;
  if (!n.have_gaussian) return;
  const MnistSplit& heldout = status_.data->heldout;
  const ae::Mat& references = heldout_slice_;  // [slice, 784]
  auto mean_nearest = [&references](const ae::Mat& images) {
    double sum = 0;
    for (int r = 0; r < int(images.rows()); ++r)
      sum += double((references.rowwise() - images.row(r)).rowwise().squaredNorm().minCoeff());
    return sum / double(images.rows());
  };
  random_images_.assign(size_t(2 * kRandomCodes * ae::kPixels), 0.0f);
  Rng rng(seed_ * 7919 + draw_count_);
  ae::Mat codes, pixels;
  for (int row = 0; row < 2; ++row) {
    ae::draw_codes(rng, kRandomCodes, code_size_, row == 0 ? nullptr : &n.gaussian, codes);
    ae::ae_decode(n.trainer.model, codes, pixels);  // [kRandomCodes, 784]
    std::copy(pixels.data(), pixels.data() + pixels.size(), random_images_.data() + size_t(row) * pixels.size());
    random_nn_distance_[row] = mean_nearest(pixels);
  }
  ae::Mat inputs(int(grid_digits_.size()), ae::kPixels);
  for (int i = 0; i < int(grid_digits_.size()); ++i)
    inputs.row(i) = Eigen::Map<const Eigen::RowVectorXf>(heldout.image(grid_digits_[size_t(i)]), ae::kPixels);
  ae::ae_encode(n.trainer.model, inputs);
  const ae::Mat code = n.trainer.model.code;
  ae::ae_decode(n.trainer.model, code, pixels);
  reconstruction_nn_distance_ = mean_nearest(pixels);
}

void AutoencoderLesson::advance_non_linear(double budget_ms) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed_ms = [&start] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  const long before = nl_->trainer.step;
  // Held-out pieces first (they see fixed parameters), then minibatches while one more fits.
  while (nl_->evaluating && elapsed_ms() < budget_ms) nl_evaluate_piece();
  while (running_ && !nl_->evaluating && elapsed_ms() + step_ms_ < budget_ms) nl_step();
  if (running_ && nl_->trainer.step == before && !nl_->evaluating && elapsed_ms() < budget_ms * 0.5)
    nl_step();  // a step longer than the whole budget still advances, one per frame
  const double frame_seconds = ImGui::GetIO().DeltaTime;  // one advance per frame
  if (running_ && frame_seconds > 0)
    steps_per_second_ = 0.9 * steps_per_second_ + 0.1 * double(nl_->trainer.step - before) / frame_seconds;
}

CommandResult AutoencoderLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "ae") return {};
  wanted_ = true;
  const std::string usage =
      "usage: ae model linear|dense|conv | ae k 1|2|4|8|16|32 (linear) | ae code 1..32 (dense, conv) | "
      "ae lr RATE | ae draw | ae reset";
  if (w.size() == 2 && w[1] == "reset") {
    running_ = false;
    reset_models();
    if (family_ != Family::Linear) reset_non_linear();
    return {true, "reset"};
  }
  if (w.size() == 2 && w[1] == "draw") {
    if (family_ == Family::Linear || !nl_ || !nl_->have_gaussian)
      return {false, "random codes are decoded by the dense or conv model once its held-out codes are measured"};
    ++draw_count_;
    draw_random_codes();
    return {true, "new random codes"};
  }
  if (w.size() != 3) return {false, usage};
  if (w[1] == "model") {
    for (int f = 0; f < 3; ++f)
      if (w[2] == kFamilyNames[f]) {
        choose_family(Family(f));
        return {true, "model " + w[2]};
      }
    return {false, "the model is linear, dense or conv"};
  }
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
  if (w[1] == "code") {
    if (!(v >= 1 && v <= kMaxCode) || v != std::floor(v)) return {false, "the code size must be 1..32"};
    code_size_ = int(v);
    if (family_ != Family::Linear) reset_non_linear();
    return {true, "code size " + w[2] + (family_ != Family::Linear ? " (model reset)" : "")};
  }
  if (w[1] == "lr") {
    if (!(v >= 1e-5 && v <= 1)) return {false, "the learning rate must be in [1e-5, 1]"};
    if (family_ != Family::Linear) {
      nl_lr_ = v;
      if (nl_) ae::set_ae_learning_rate(nl_->trainer, v);
      return {true, "lr " + w[2]};
    }
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
  // The chosen model family's live figures (for linear, the selected code size's).
  s["model"] = kFamilyNames[int(family_)];
  if (family_ == Family::Linear) {
    s["code_size"] = kCodeSizes[selected_];
    if (const Model* m = selected_model()) {
      s["steps"] = m->trainer.steps;
      if (!m->curve.empty()) s["train_loss"] = m->curve.back();
    }
    return s;
  }
  s["code_size"] = code_size_;
  s["nl_lr"] = nl_lr_;
  if (!nl_) return s;
  const NonLinear& n = *nl_;
  s["steps"] = n.trainer.step;
  s["epoch"] = n.trainer.epoch;
  s["diverged"] = n.diverged;
  if (n.diverged) s["message"] = n.message;
  s["parameters"] = nn::param_count(n.trainer.model.store);
  if (!n.train_curve.empty()) s["train_loss"] = n.train_curve.back();
  if (!n.heldout_curve.empty()) {
    s["heldout_loss"] = n.heldout_curve.back();
    s["heldout_first_loss"] = n.heldout_curve.front();
    s["heldout_evaluations"] = n.heldout_curve.size();
    s["heldout_squared_error"] = n.heldout_squared_error;
    s["code_rms"] = n.code_rms;
  }
  if (!random_images_.empty()) {
    s["random_nn_distance_prior"] = random_nn_distance_[0];
    s["random_nn_distance_fitted"] = random_nn_distance_[1];
    s["reconstruction_nn_distance"] = reconstruction_nn_distance_;
  }
  return s;
}

void AutoencoderLesson::show_controls() {
  if (ImGui::Button(running_ ? trl("ae.pause") : trl("ae.train"))) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("ae.step")));
  if (ImGui::Button(trl("ae.step"))) step_once();
  SameLineIfFits(ButtonWidth(trl("ae.reset")));
  if (ImGui::Button(trl("ae.reset"))) {
    running_ = false;
    reset_models();
  }
  float lr_log = float(std::log10(lr_));
  NextControlWidth(trl("ae.learning_rate"), 10);
  if (ImGui::SliderFloat(trl("ae.learning_rate"), &lr_log, -4, -1, "", ImGuiSliderFlags_AlwaysClamp)) {
    lr_ = std::pow(10.0, double(lr_log));
    running_ = false;
    reset_models();
  }
  char value[32];
  std::snprintf(value, sizeof value, "%.2g", lr_);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("ae.help_learning_rate"));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("ae.show_code_size"));
  for (int i = 0; i < kModels; ++i) {
    char label[16];
    std::snprintf(label, sizeof label, "%d", kCodeSizes[i]);
    SameLineIfFits(CheckboxWidth(label));
    ImGui::RadioButton(label, &selected_, i);
  }
  HelpMarker(tr("ae.help_show_code_size"));
}

void AutoencoderLesson::show_error_vs_k(ImVec2 size) {
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
  LineSeries series[2] = {
      {ks.data(), pca_errors.data(), kMaxK, tr("ae.pca_exact"), model_color(0)},
      {ae_ks.data(), ae_errors.data(), int(ae_ks.size()), tr("ae.linear_last_epoch"), model_color(1)}};
  PlotOptions po;
  po.title = tr("ae.error_vs_k");
  po.x_label = "k";
  po.log_x = true;
  po.y_min = 0;
  po.size = size;
  const PlotResult plot = LinePlot("error vs k", series, 2, po);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float r = ImGui::GetFontSize() * 0.25f;
  for (size_t i = 0; i < ae_ks.size(); ++i)
    dl->AddCircleFilled(plot.transform.to_pixel(ae_ks[i], ae_errors[i]), r, model_color(1));
}

void AutoencoderLesson::show_loss_curve(ImVec2 size) {
  const Model& m = models_[size_t(selected_)];
  const double pca_error = pca_residual(*status_.pca, m.code) / double(status_.pca->samples);
  std::vector<double> xs(m.curve.size()), pca_line(m.curve.size(), pca_error);
  const double batches_per_epoch = std::ceil(double(status_.data->train.count()) / m.trainer.batch_size);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = double((i + 1) * kCurveEvery) / batches_per_epoch;
  const std::string label = trf("ae.linear_curve", m.code);
  LineSeries series[2] = {{xs.data(), m.curve.data(), int(xs.size()), label.c_str(), model_color(1)},
                          {xs.data(), pca_line.data(), int(xs.size()), tr("ae.pca_same_k"), model_color(0)}};
  PlotOptions po;
  po.title = tr("ae.loss_curve");
  po.x_label = tr("ae.epoch_axis");
  po.log_y = true;
  po.size = size;
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
  const char* kinds[3] = {tr("ae.grid_input"), tr("ae.grid_linear"), "PCA"};
  KindRowsGrid("reconstructions", images.data(), 3, kinds, count, status_.data->cols, status_.data->rows, false, 5.5f);
}

void AutoencoderLesson::show_nl_controls() {
  if (ImGui::Button(running_ ? trl("ae.pause") : trl("ae.train"))) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("ae.step")));
  if (ImGui::Button(trl("ae.step"))) step_once();
  SameLineIfFits(ButtonWidth(trl("ae.reset")));
  if (ImGui::Button(trl("ae.reset"))) reset_non_linear();
  int code = code_size_;
  NextControlWidth(trl("ae.code_size"), 8);
  if (ImGui::SliderInt(trl("ae.code_size"), &code, 1, kMaxCode, "%d", ImGuiSliderFlags_AlwaysClamp)) {
    code_size_ = std::clamp(code, 1, kMaxCode);
    reset_non_linear();
  }
  HelpMarker(tr("ae.help_code_size"));
  float lr_log = float(std::log10(nl_lr_));
  NextControlWidth(trl("ae.nl_learning_rate"), 8);
  if (ImGui::SliderFloat(trl("ae.nl_learning_rate"), &lr_log, -5, 0, "", ImGuiSliderFlags_AlwaysClamp)) {
    nl_lr_ = std::pow(10.0, std::clamp(double(lr_log), -5.0, 0.0));
    ae::set_ae_learning_rate(nl_->trainer, nl_lr_);
  }
  char value[32];
  std::snprintf(value, sizeof value, "%.1e", nl_lr_);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("ae.help_nl_learning_rate"));
  const NonLinear& n = *nl_;
  TrainingStatusLine(tr("ae.status_step"), n.trainer.step, running_, steps_per_second_, tr("ae.status_rate"));
  const std::string epoch = trf("ae.epoch_parameters", n.trainer.epoch, nn::param_count(n.trainer.model.store));
  SameLineIfFits(TextWidth(epoch.c_str()));
  ImGui::TextDisabled("%s", epoch.c_str());
  if (n.diverged) {
    const DivergedChoice choice =
        DivergedNotice(trf("ae.nl_diverged", n.diverged_step, n.kept_step), trl("ae.lower_learning_rate"));
    if (choice == DivergedChoice::LowerLearningRate) lower_nl_learning_rate();
    if (choice == DivergedChoice::Reset) reset_non_linear();
  }
}

void AutoencoderLesson::show_nl_loss_curve(ImVec2 size) {
  const NonLinear& n = *nl_;
  LineSeries series[2] = {
      {n.train_steps.data(), n.train_curve.data(), int(n.train_steps.size()), tr("ae.train_curve"), model_color(1)},
      {n.heldout_steps.data(), n.heldout_curve.data(), int(n.heldout_steps.size()), tr("ae.heldout_curve"),
       model_color(0)}};
  PlotOptions po;
  po.title = tr("ae.nl_loss_curve");
  po.x_label = tr("ae.step_axis");
  po.log_y = true;
  po.size = size;
  LinePlot("nl loss curve", series, 2, po);
}

void AutoencoderLesson::show_nl_reconstructions() {
  NonLinear& n = *nl_;
  const MnistSplit& heldout = status_.data->heldout;
  const int count = int(grid_digits_.size());
  ae::Mat inputs(count, ae::kPixels), outputs;  // [count, 784]
  for (int i = 0; i < count; ++i)
    inputs.row(i) = Eigen::Map<const Eigen::RowVectorXf>(heldout.image(grid_digits_[size_t(i)]), ae::kPixels);
  ae::ae_encode(n.trainer.model, inputs);
  const ae::Mat code = n.trainer.model.code;
  ae::ae_decode(n.trainer.model, code, outputs);
  std::vector<float> images(size_t(2 * count * ae::kPixels));
  std::copy(inputs.data(), inputs.data() + inputs.size(), images.data());
  std::copy(outputs.data(), outputs.data() + outputs.size(), images.data() + inputs.size());
  // Short: the captions sit under images of a few font heights.
  const char* kinds[2] = {tr("ae.grid_in"), tr("ae.grid_out")};
  KindRowsGrid("nl reconstructions", images.data(), 2, kinds, count, status_.data->cols, status_.data->rows, true, 9);
}

void AutoencoderLesson::show_random_codes_controls() {
  SectionHeading(tr("ae.random_heading"));
  ImGui::TextWrapped("%s", trf("ae.random_explanation", nl_->code_rms).c_str());
  // The same rows before the first held-out evaluation as after it, so that the column keeps its
  // height when the codes arrive.
  const bool drawn = !random_images_.empty();
  ImGui::BeginDisabled(!drawn);
  if (ImGui::Button(trl("ae.new_draws"))) {
    ++draw_count_;
    draw_random_codes();
  }
  ImGui::EndDisabled();
  if (open_lesson) {
    const char* compare = trl("ae.compare_vae");
    SameLineIfFits(ButtonWidth(compare));
    if (ImGui::Button(compare)) open_lesson("vae");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("ae.compare_vae_tooltip"));
  }
  if (drawn)
    FormulaText("%s", trf("ae.random_distances", random_nn_distance_[0], random_nn_distance_[1],
                          reconstruction_nn_distance_).c_str());
  else
    FormulaText("%s", tr("ae.random_distances_pending"));
  HelpMarker(tr("ae.help_random_distances"));
}

void AutoencoderLesson::show_random_codes() {
  SectionHeading(tr("ae.random_codes"));
  if (random_images_.empty()) {
    TextDisabledWrapped(tr("ae.random_wait"));
    return;
  }
  const char* kinds[2] = {"N(0, I)", tr("ae.grid_fitted")};
  KindRowsGrid("random codes", random_images_.data(), 2, kinds, kRandomCodes, status_.data->cols, status_.data->rows,
               false, 4.5f);
}

void AutoencoderLesson::show_non_linear_controls() {
  show_nl_controls();
  const NonLinear& n = *nl_;
  const double pca_error = status_.pca ? pca_residual(*status_.pca, code_size_) / double(status_.pca->samples) : NAN;
  FormulaText("%s", trf("ae.nl_summary", code_size_, n.train_curve.empty() ? NAN : n.train_curve.back(),
                        n.heldout_curve.empty() ? NAN : n.heldout_curve.back(), n.heldout_squared_error, pca_error)
                        .c_str());
  HelpMarker(tr("ae.help_nl_summary"));
  show_random_codes_controls();
}

void AutoencoderLesson::show_non_linear_figures() {
  show_nl_reconstructions();
  MainFigure("input and output");
  show_nl_loss_curve(WideFigure(1.8f));
  show_random_codes();
}

void AutoencoderLesson::show_linear_controls() {
  show_controls();
  const Model& m = models_[size_t(selected_)];
  const double pca_error = pca_residual(*status_.pca, m.code) / double(status_.pca->samples);
  FormulaText("%s", trf("ae.linear_summary", m.code, m.trainer.epoch, m.trainer.steps,
                        m.epoch_errors.empty() ? NAN : m.epoch_errors.back(), pca_error).c_str());
  HelpMarker(tr("ae.help_linear_summary"));
  if (note_ == Note::Diverged) ImGui::TextWrapped("%s", trf("ae.note_diverged", note_code_).c_str());
  if (note_ == Note::Done) ImGui::TextWrapped("%s", trf("ae.note_done", kMaxEpochs).c_str());
}

void AutoencoderLesson::show_linear_figures() {
  show_error_vs_k(FitFigure({1.5f}));
  MainFigure("error vs code size");
  show_loss_curve(WideFigure(1.8f));
  SectionHeading(tr("ae.reconstructions_heading"));
  show_reconstructions();
}

void AutoencoderLesson::ShowLessonAutoencoder() {
  wanted_ = true;
  const bool loaded = status_.data && !models_.empty();
  LessonPanes(
      [this, loaded] {
        ImGui::TextWrapped("%s", tr("ae.intro"));
        if (!loaded) {
          if (!status_.error.empty()) {
            MnistUnavailableNotice(status_.error);
          } else {
            ImGui::ProgressBar(0, ImVec2(-FLT_MIN, 0), "");
            TextDisabledWrapped(tr("mnist_pca.loading"));
          }
          return;
        }
        const char* const family_labels[3] = {trl("ae.family_linear"), trl("ae.family_dense"), trl("ae.family_conv")};
        NextControlWidth(trl("ae.model"), 16);
        const float preview_w = ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - 2 * ImGui::GetStyle().FramePadding.x;
        const char* const family_text[3] = {tr("ae.family_linear"), tr("ae.family_dense"), tr("ae.family_conv")};
        const std::string preview = Ellipsized(family_text[int(family_)], preview_w);
        Family chosen = family_;
        if (BeginFittedCombo(trl("ae.model"), preview.c_str())) {
          for (int f = 0; f < 3; ++f)
            if (ImGui::Selectable(family_labels[f], f == int(family_))) chosen = Family(f);
          ImGui::EndCombo();
        }
        if (chosen != family_) choose_family(chosen);
        HelpMarker(tr("ae.help_model"));
        if (family_ != Family::Linear) {
          if (nl_) show_non_linear_controls();  // made by the next advance()
        } else if (!status_.pca) {
          ImGui::ProgressBar(float(status_.progress), ImVec2(-FLT_MIN, 0), "");
          TextDisabledWrapped(tr("mnist_pca.computing_pca"));
        } else {
          show_linear_controls();
        }
      },
      [this, loaded] {
        if (loaded && family_ != Family::Linear && nl_) {
          show_non_linear_figures();
        } else if (loaded && family_ == Family::Linear && status_.pca) {
          show_linear_figures();
        } else {
          const bool linear = family_ == Family::Linear;
          FigurePlaceholder(!status_.error.empty()   ? tr("mnist_pca.no_digits")
                            : loaded && linear       ? tr("mnist_pca.computing_pca")
                                                     : tr("mnist_pca.loading_placeholder"),
                            linear ? 1.5f : 2.0f);
          MainFigure(linear ? "error vs code size" : "input and output");
        }
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_autoencoder() { return std::make_unique<AutoencoderLesson>(); }

}  // namespace ll::ui
