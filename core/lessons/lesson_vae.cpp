// [vae] A variational autoencoder trained live on the 8000 train digits (core/ml/vae): the
// encoder gives μ and log σ² for a digit, z = μ + σ·ε is drawn, the Bernoulli decoder scores
// how well z explains the pixels, and the loss is reconstruction + β·KL with both terms
// plotted. At latent size 2 the held-out digits' μ form a map coloured by class and the
// decoder turns a grid over that plane into the manifold of digits.
//
// Threads: with LATENTLAB_THREADS a worker owns the trainer and runs whole minibatches; the UI
// posts requests (reset, β, lr, save, load) into a mailbox and reads a published snapshot,
// both under mutex_. Without threads advance() runs the same training side in pieces of a
// minibatch (vae_train_rows) inside the frame budget.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "imgui.h"
#include "io/assets.hpp"
#include "io/mnist.hpp"
#include "lessons/app.hpp"
#include "lessons/file_hooks.hpp"
#include "lessons/fonts.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/vae.hpp"
#include "viz/colormap.hpp"

namespace ll::ui {

namespace {

using vae::Mat;

#if LATENTLAB_THREADS
constexpr int kEvalRows = 250;        // held-out digits per evaluation piece on the worker
#else
constexpr int kSliceRows = 20;        // rows per piece of a minibatch in time slices
constexpr int kEvalSliceRows = 50;    // held-out digits per evaluation piece in time slices
#endif
constexpr int kCurveEvery = 10;       // minibatches per point of the loss curves
constexpr int kManifoldSide = 15;     // decoded grid over [−3, 3]² at latent 2
constexpr int kScatterChunk = 200;    // held-out digits encoded per frame for the scatter
constexpr int kSamples = 16;
constexpr int kInterpolationSteps = 10;
constexpr double kPublishSeconds = 0.3;  // how often the worker copies the parameters out
constexpr const char* kDigitNames[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
constexpr const char* kWrongDigitSize = "the digits are not 28×28";

// The outcome of the last reset, latent switch or load, for the UI to word in its language
// (Snapshot::message holds it in English, for state()).
struct Notice {
  enum Kind { None, NewLatent, Reset, Loaded, LoadFailed, WrongLatent } kind = None;
  std::string name, detail;  // the file's name; the loader's message (English)
  long a = 0, b = 0;         // NewLatent: size; Loaded: epoch; WrongLatent: the file's and the model's size
};

// The outcome of the last save or load from the UI's file row.
struct FileNote {
  enum Kind { None, Saved, SaveFailed, Offered, LoadFailed } kind = None;
  std::string detail;  // the path, or the error (English)
};

double seconds_now() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

// What the training side publishes for the UI (under VaeLesson::mutex_).
struct Snapshot {
  long model_id = 0;   // bumps when the model is replaced (reset, latent switch, load)
  long version = 0;    // bumps when params below change
  vae::VaeConfig config{2, 512};
  std::vector<float> params;
  long step = 0, epoch = 0;
  double lr = 1e-3, beta = 1;
  vae::VaeLoss last{NAN, NAN, NAN};
  std::vector<double> curve_epoch, curve_reconstruction, curve_kl, curve_total;
  double heldout_total = NAN, heldout_reconstruction = NAN, heldout_kl = NAN;
  long heldout_epoch = -1;
  double last_epoch_seconds = NAN;  // wall time of the last epoch trained without a pause
  std::string error;    // a non-finite step: the model was kept
  std::string message;  // outcome of the last save or load
  Notice notice;        // the same, for the UI
  std::vector<uint8_t> saved;  // bytes of a requested save, taken by the UI
  bool saved_ready = false;
};

// What the UI asks of the training side (under VaeLesson::mutex_).
struct Requests {
  bool reset = false;
  int latent = 0;     // 0: unchanged
  double beta = NAN, lr = NAN;
  bool save = false;
  bool load = false;
  std::vector<uint8_t> load_bytes;
  std::string load_name;
  bool evaluate = false;
  int steps = 0;      // single steps asked for (Step button, '.')
};

class VaeLesson : public Lesson {
 public:
  ~VaeLesson() override { stop_worker(); }
  const char* id() const override { return "vae"; }
  const char* title() const override { return tr("lessons.vae"); }
  const char* group() const override { return tr("groups.autoencoders"); }
  bool has_training() const override { return true; }
  TrainingStatus training() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return {running_.load(), snap_.step, snap_.last.total};
  }
  void set_running(bool running) override {
    wanted_ = true;
    run_when_loaded_ = running;  // a start asked for before the digits arrive is kept
    running_ = running && data_ != nullptr;
    wake_.notify_all();
  }
  void step_once() override {
    wanted_ = true;
    run_when_loaded_ = false;
    running_ = false;
    post([](Requests& r) { r.steps += 1; });
  }
  void reseed(uint64_t seed) override {
    seed_ = seed;
    post([](Requests& r) { r.reset = true; });
  }
  void advance(double budget_ms) override;
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;
  void show() override { ShowLessonVae(); }

 private:
  template <class F> void post(F change) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      change(requests_);
    }
    wake_.notify_all();
  }
  // --- training side (the worker thread, or advance() without threads) ---
  void new_trainer(const vae::VaeConfig& config);
  bool apply_requests();  // true when there is a single step to take
  void after_step();
  void evaluate_piece(int rows);
  void publish(bool force);
  void worker_loop();
  void stop_worker();
  // --- UI side ---
  void sync_view();
  void refresh_visuals();
  void advance_scatter();
  void finish_save();
  void ShowLessonVae();
  void show_controls();
  void show_one_input();
  void show_curves(ImVec2 size);
  void show_latent_plane();
  void show_latent_scatter(float side);
  void show_manifold(float side);
  void show_samples(bool main);
  void show_sample_controls();
  void show_interpolation();
  void show_files();

  // Shared between the threads.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  Snapshot snap_;
  Requests requests_;
  std::atomic<bool> running_{false}, quit_{false};
#if LATENTLAB_THREADS
  std::thread worker_;
#endif

  // Set once on the UI thread before training starts, then read-only.
  const MnistData* data_ = nullptr;
  std::string data_error_;
  bool wanted_ = false;
  bool run_when_loaded_ = false;  // set_running's last wish, applied once the digits are in
  uint64_t seed_ = 1;

  // Training side only.
  std::unique_ptr<vae::VaeTrainer> trainer_;
  long model_id_ = 0;
  int pending_steps_ = 0;
  double curve_sum_[3] = {0, 0, 0};
  int curve_count_ = 0;
  vae::Vae eval_model_;
  Rng eval_rng_{vae::kEvalEpsSeed};
  int eval_next_ = -1;  // −1: no evaluation under way
  long eval_epoch_ = 0;
  double eval_sums_[2] = {0, 0};
  double last_publish_ = 0;
  long published_step_ = -1, published_model_id_ = -1;  // what the snapshot's params are
  std::vector<double> curve_epoch_, curve_rec_, curve_kl_, curve_total_;
  double epoch_started_ = NAN;  // when the current epoch began, NaN if training paused within it

  // UI side only.
  vae::Vae view_;            // a copy of the published parameters, for the pictures
  long view_model_id_ = -1, view_version_ = -1;
  double view_synced_at_ = 0;
  Snapshot shown_;           // the last snapshot's figures (params not copied twice)
  bool visuals_dirty_ = true;
  int input_index_ = 0;      // held-out digit shown with its μ, σ and z
  int digit_a_ = 0, digit_b_ = 1;  // interpolation end points (held-out indices)
  uint64_t eps_seed_ = 1, sample_seed_ = 1;
  Mat input_mu_, input_logvar_, input_z_, input_recon_;
  std::vector<float> input_eps_;
  Mat samples_, manifold_, interpolation_;
  std::vector<double> scatter_x_, scatter_y_, scatter_next_x_, scatter_next_y_;
  std::vector<int> scatter_labels_;
  int scatter_next_ = -1;    // next held-out digit to encode, −1 when idle
  char path_[256] = "vae.safetensors";
  FileNote file_note_;
  bool save_to_path_ = false;
};

// ---------------------------------------------------------------------------------------
// Training side

void VaeLesson::new_trainer(const vae::VaeConfig& config) {
  vae::VaeTrainConfig settings;
  settings.seed = seed_;
  if (trainer_) {
    settings.lr = trainer_->config.lr;
    settings.beta = trainer_->config.beta;
  }
  trainer_ = std::make_unique<vae::VaeTrainer>(vae::make_vae_trainer(config, settings, data_->train.count()));
  ++model_id_;
  curve_epoch_.clear();
  curve_rec_.clear();
  curve_kl_.clear();
  curve_total_.clear();
  curve_count_ = 0;
  curve_sum_[0] = curve_sum_[1] = curve_sum_[2] = 0;
  eval_next_ = -1;
  epoch_started_ = NAN;
  std::lock_guard<std::mutex> lock(mutex_);
  snap_.last_epoch_seconds = NAN;
  snap_.heldout_total = snap_.heldout_reconstruction = snap_.heldout_kl = NAN;
  snap_.heldout_epoch = -1;
  snap_.error.clear();
  snap_.last = {NAN, NAN, NAN};
}

bool VaeLesson::apply_requests() {
  Requests r;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::swap(r, requests_);
  }
  std::string message;
  Notice notice;
  if (r.latent != 0 && r.latent != trainer_->model.config.latent) {
    new_trainer({r.latent, trainer_->model.config.hidden, trainer_->model.config.depth});
    message = "latent size " + std::to_string(r.latent) + ": a new model";
    notice = {Notice::NewLatent, "", "", r.latent};
  } else if (r.reset) {
    new_trainer(trainer_->model.config);
    message = "reset";
    notice = {Notice::Reset};
  }
  if (!std::isnan(r.beta)) trainer_->config.beta = r.beta;
  if (!std::isnan(r.lr)) vae::set_learning_rate(*trainer_, r.lr);
  if (r.load) {
    // Any width and depth (the CLI's defaults differ per latent size), but the latent size shown.
    vae::LoadedVae loaded;
    const int latent = trainer_->model.config.latent;
    SafetensorsStatus s =
        vae::load_vae(r.load_bytes.data(), r.load_bytes.size(), nullptr, data_->train.count(), loaded);
    const bool wrong_latent = s.ok() && loaded.trainer.model.config.latent != latent;
    if (wrong_latent)
      s = {SafetensorsError::ArchitectureMismatch,
           "the file holds a VAE with latent " + std::to_string(loaded.trainer.model.config.latent) +
               "; this model has latent " + std::to_string(latent) + " (switch the latent size first)"};
    if (s.ok()) {
      const double beta = trainer_->config.beta;
      new_trainer(loaded.trainer.model.config);
      *trainer_ = std::move(loaded.trainer);
      trainer_->config.beta = beta;
      trainer_->config.epochs = 0;  // the lesson trains at a constant rate
      trainer_->optimizer.schedule = LrSchedule{};
      message = "loaded " + r.load_name + " (epoch " + std::to_string(trainer_->epoch) + ")";
      notice = {Notice::Loaded, r.load_name, "", trainer_->epoch};
      r.evaluate = true;
    } else {
      message = "could not load " + r.load_name + ": " + s.message + " — the current model is kept";
      notice = wrong_latent ? Notice{Notice::WrongLatent, r.load_name, "", loaded.trainer.model.config.latent, latent}
                            : Notice{Notice::LoadFailed, r.load_name, s.message};
    }
  }
  if (r.evaluate && eval_next_ < 0) {
    eval_model_ = trainer_->model;
    eval_rng_.reseed(vae::kEvalEpsSeed);
    eval_next_ = 0;
    eval_epoch_ = trainer_->epoch;
    eval_sums_[0] = eval_sums_[1] = 0;
  }
  pending_steps_ += r.steps;
  std::vector<uint8_t> saved;
  if (r.save) saved = vae::save_vae(*trainer_, true);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    snap_.beta = trainer_->config.beta;
    snap_.lr = trainer_->config.lr;
    if (!message.empty()) {
      snap_.message = message;
      snap_.notice = notice;
    }
    if (r.save) {
      snap_.saved = std::move(saved);
      snap_.saved_ready = true;
    }
  }
  if (!message.empty() || r.save) publish(true);
  return pending_steps_ > 0;
}

void VaeLesson::after_step() {
  const vae::VaeLoss& l = trainer_->last;
  curve_sum_[0] += l.reconstruction;
  curve_sum_[1] += l.kl;
  curve_sum_[2] += l.total;
  if (++curve_count_ == kCurveEvery) {
    curve_epoch_.push_back(double(trainer_->step) / double(vae::steps_per_epoch(*trainer_)));
    curve_rec_.push_back(curve_sum_[0] / kCurveEvery);
    curve_kl_.push_back(curve_sum_[1] / kCurveEvery);
    curve_total_.push_back(curve_sum_[2] / kCurveEvery);
    curve_count_ = 0;
    curve_sum_[0] = curve_sum_[1] = curve_sum_[2] = 0;
  }
  // An epoch's wall time (with the held-out scoring that runs alongside) when it ran unpaused.
  if (trainer_->cursor == 0) {
    const double now = seconds_now();
    if (std::isfinite(epoch_started_)) {
      std::lock_guard<std::mutex> lock(mutex_);
      snap_.last_epoch_seconds = now - epoch_started_;
    }
    epoch_started_ = running_ ? now : NAN;
  }
  // Each finished epoch is scored on the held-out digits, a few hundred per step.
  if (trainer_->cursor == 0 && eval_next_ < 0) {
    eval_model_ = trainer_->model;
    eval_rng_.reseed(vae::kEvalEpsSeed);
    eval_next_ = 0;
    eval_epoch_ = trainer_->epoch;
    eval_sums_[0] = eval_sums_[1] = 0;
  }
  publish(false);
}

void VaeLesson::evaluate_piece(int rows) {
  const MnistSplit& heldout = data_->heldout;
  rows = std::min(rows, heldout.count() - eval_next_);
  const vae::VaeLoss l = vae::vae_evaluate_part(eval_model_, heldout.image(eval_next_), rows, eval_rng_);
  eval_sums_[0] += l.reconstruction * rows;
  eval_sums_[1] += l.kl * rows;
  eval_next_ += rows;
  if (eval_next_ < heldout.count()) return;
  eval_next_ = -1;
  std::lock_guard<std::mutex> lock(mutex_);
  snap_.heldout_reconstruction = eval_sums_[0] / heldout.count();
  snap_.heldout_kl = eval_sums_[1] / heldout.count();
  snap_.heldout_total = snap_.heldout_reconstruction + snap_.heldout_kl;
  snap_.heldout_epoch = eval_epoch_;
}

void VaeLesson::publish(bool force) {
  const double now = seconds_now();
  const bool changed = trainer_->step != published_step_ || model_id_ != published_model_id_;
  const bool copy_params = changed && (force || now - last_publish_ > kPublishSeconds);
  std::lock_guard<std::mutex> lock(mutex_);
  snap_.step = trainer_->step;
  snap_.epoch = trainer_->epoch;
  snap_.last = trainer_->last;
  if (!trainer_->error.empty()) snap_.error = trainer_->error;
  if (!copy_params) return;
  last_publish_ = now;
  published_step_ = trainer_->step;
  published_model_id_ = model_id_;
  snap_.model_id = model_id_;
  snap_.config = trainer_->model.config;
  snap_.params = trainer_->model.store.values;
  snap_.curve_epoch = curve_epoch_;
  snap_.curve_reconstruction = curve_rec_;
  snap_.curve_kl = curve_kl_;
  snap_.curve_total = curve_total_;
  snap_.beta = trainer_->config.beta;
  snap_.lr = trainer_->config.lr;
  ++snap_.version;
}

#if LATENTLAB_THREADS
void VaeLesson::worker_loop() {
  while (!quit_) {
    const bool single = apply_requests();
    if (eval_next_ >= 0) evaluate_piece(kEvalRows);
    if (running_ || single) {
      if (single) --pending_steps_;
      if (vae::vae_train_step(*trainer_, data_->train.images.data())) {
        after_step();
      } else {
        running_ = false;
        pending_steps_ = 0;
        publish(true);
      }
      continue;
    }
    if (eval_next_ >= 0) continue;
    epoch_started_ = NAN;  // paused: this epoch's time would include the pause
    publish(true);
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(100));
  }
}
#endif

void VaeLesson::stop_worker() {
#if LATENTLAB_THREADS
  quit_ = true;
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
#endif
}

void VaeLesson::advance(double budget_ms) {
  if (!wanted_) return;
  const double start = seconds_now();
  finish_save();  // a save asked for by a command is written even while another lesson shows
  if (!data_) {
    data_ = shared_mnist(data_error_);
    if (!data_) return;
    if (data_->pixels() != vae::kPixels) {
      data_error_ = kWrongDigitSize;
      data_ = nullptr;
      return;
    }
    new_trainer({2, 512});
    publish(true);
    running_ = run_when_loaded_;
#if LATENTLAB_THREADS
    worker_ = std::thread([this] { worker_loop(); });
#endif
  }
#if !LATENTLAB_THREADS
  // The same work as the worker, cut into pieces that fit the frame's budget.
  bool single = apply_requests();
  while ((seconds_now() - start) * 1000 < budget_ms) {
    if (eval_next_ >= 0) {
      evaluate_piece(kEvalSliceRows);
      continue;
    }
    if (!running_ && !single) break;
    const vae::TrainProgress p = vae::vae_train_rows(*trainer_, data_->train.images.data(), kSliceRows);
    if (p == vae::TrainProgress::Stepped) {
      after_step();
      if (single) {
        --pending_steps_;
        single = pending_steps_ > 0;
      }
    } else if (p == vae::TrainProgress::NotFinite) {
      running_ = false;
      single = false;
      pending_steps_ = 0;
      publish(true);
    }
  }
  if (!running_) {
    epoch_started_ = NAN;  // paused: this epoch's time would include the pause
    publish(true);
  }
#else
  (void)start;
#endif
}

// ---------------------------------------------------------------------------------------
// UI side

CommandResult VaeLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "vae") return {};
  wanted_ = true;
  const std::string usage =
      "usage: vae latent 2|16 | vae beta B | vae lr A | vae reset | vae eval | vae input N | vae digits A B | "
      "vae save PATH | vae load PATH";
  if (w.size() == 2 && w[1] == "reset") {
    running_ = false;
    post([](Requests& r) { r.reset = true; });
    return {true, "reset"};
  }
  if (w.size() == 2 && w[1] == "eval") {
    post([](Requests& r) { r.evaluate = true; });
    return {true, "evaluating the held-out digits"};
  }
  if (w.size() == 2 && w[1] == "save") {  // through the front end's hook: a download on the web
    if (!file_hooks_set()) return {false, "usage: vae save PATH (this front end offers no download)"};
    save_to_path_ = false;
    post([](Requests& r) { r.save = true; });
    return {true, "offering the model as a download"};
  }
  if (w.size() == 3 && (w[1] == "save" || w[1] == "load")) {
    std::snprintf(path_, sizeof path_, "%s", w[2].c_str());
    if (w[1] == "save") {
      save_to_path_ = true;
      post([](Requests& r) { r.save = true; });
      return {true, "saving to " + w[2]};
    }
    std::vector<uint8_t> bytes;
    const SafetensorsStatus s = read_file_bytes(w[2], bytes);
    if (!s.ok()) return {false, s.message};
    post([&](Requests& r) {
      r.load = true;
      r.load_bytes = std::move(bytes);
      r.load_name = w[2];
    });
    return {true, "loading " + w[2]};
  }
  char* end = nullptr;
  const double v = w.size() >= 3 ? std::strtod(w[2].c_str(), &end) : NAN;
  const bool number = w.size() >= 3 && !w[2].empty() && *end == '\0' && std::isfinite(v);
  if (w.size() == 3 && w[1] == "latent" && number) {
    if (v != 2 && v != 16) return {false, "the latent size is 2 or 16"};
    running_ = false;
    post([v](Requests& r) { r.latent = int(v); });
    return {true, "latent " + w[2] + " (a new model)"};
  }
  if (w.size() == 3 && w[1] == "beta" && number) {
    if (!(v >= 0 && v <= 10)) return {false, "β must be in [0, 10]"};
    post([v](Requests& r) { r.beta = v; });
    return {true, "beta " + w[2]};
  }
  if (w.size() == 3 && w[1] == "lr" && number) {
    if (!(v >= 1e-5 && v <= 1)) return {false, "the learning rate must be in [1e-5, 1]"};
    post([v](Requests& r) { r.lr = v; });
    return {true, "lr " + w[2]};
  }
  const int heldout = data_ ? data_->heldout.count() : 0;
  if (w.size() == 3 && w[1] == "input" && number) {
    if (!(v >= 0 && v < heldout)) return {false, "input: a held-out index 0…" + std::to_string(heldout - 1)};
    input_index_ = int(v);
    visuals_dirty_ = true;
    return {true, "input " + w[2]};
  }
  if (w.size() == 4 && w[1] == "digits" && number) {
    const double b = std::strtod(w[3].c_str(), &end);
    if (!(v >= 0 && v < heldout && b >= 0 && b < heldout && *end == '\0'))
      return {false, "digits: two held-out indices 0…" + std::to_string(heldout - 1)};
    digit_a_ = int(v);
    digit_b_ = int(b);
    visuals_dirty_ = true;
    return {true, "interpolating " + w[2] + " → " + w[3]};
  }
  return {false, usage};
}

nlohmann::json VaeLesson::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::json s = {{"running", running_.load()}, {"step", snap_.step}, {"epoch", snap_.epoch},
                      {"latent", snap_.config.latent}, {"hidden", snap_.config.hidden},
                      {"depth", snap_.config.depth}, {"beta", snap_.beta}, {"lr", snap_.lr}};
  s["data"] = data_ ? "loaded" : data_error_.empty() ? "not loaded" : asset_pending(data_error_) ? "loading" : "missing";
  if (!data_ && !data_error_.empty() && !asset_pending(data_error_)) s["data_error"] = data_error_;
  if (std::isfinite(snap_.last.total))
    s["loss"] = {{"reconstruction", snap_.last.reconstruction}, {"kl", snap_.last.kl}, {"total", snap_.last.total}};
  if (snap_.heldout_epoch >= 0) {
    s["heldout_neg_elbo"] = snap_.heldout_total;
    s["heldout_reconstruction"] = snap_.heldout_reconstruction;
    s["heldout_kl"] = snap_.heldout_kl;
    s["heldout_epoch"] = snap_.heldout_epoch;
  }
  if (std::isfinite(snap_.last_epoch_seconds)) s["last_epoch_seconds"] = snap_.last_epoch_seconds;
  if (!snap_.error.empty()) s["error"] = snap_.error;
  if (!snap_.message.empty()) s["message"] = snap_.message;
  s["scatter_points"] = int(scatter_x_.size());
  return s;
}

void VaeLesson::sync_view() {
  const double now = seconds_now();
  std::lock_guard<std::mutex> lock(mutex_);
  const bool new_model = snap_.model_id != view_model_id_;
  if (snap_.version != view_version_ && (new_model || now - view_synced_at_ > 0.25)) {
    if (new_model || view_.config.latent != snap_.config.latent || view_.config.hidden != snap_.config.hidden ||
        view_.config.depth != snap_.config.depth) {
      view_ = vae::make_vae(snap_.config, 0);
      scatter_x_.clear();
      scatter_y_.clear();
    }
    view_.store.values = snap_.params;
    view_model_id_ = snap_.model_id;
    view_version_ = snap_.version;
    view_synced_at_ = now;
    visuals_dirty_ = true;
    shown_.curve_epoch = snap_.curve_epoch;
    shown_.curve_reconstruction = snap_.curve_reconstruction;
    shown_.curve_kl = snap_.curve_kl;
    shown_.curve_total = snap_.curve_total;
    shown_.config = snap_.config;
  }
  shown_.step = snap_.step;
  shown_.epoch = snap_.epoch;
  shown_.last = snap_.last;
  shown_.lr = snap_.lr;
  shown_.beta = snap_.beta;
  shown_.heldout_total = snap_.heldout_total;
  shown_.heldout_reconstruction = snap_.heldout_reconstruction;
  shown_.heldout_kl = snap_.heldout_kl;
  shown_.heldout_epoch = snap_.heldout_epoch;
  shown_.error = snap_.error;
  shown_.message = snap_.message;
  shown_.notice = snap_.notice;
}

void VaeLesson::refresh_visuals() {
  if (!visuals_dirty_ || view_model_id_ < 0) return;
  visuals_dirty_ = false;
  const MnistSplit& heldout = data_->heldout;
  const int latent = view_.config.latent;
  // One input: μ, log σ², a drawn ε and z = μ + σ·ε, and the decoder's picture of that z.
  vae::vae_encode(view_, heldout.image(input_index_), 1, input_mu_, input_logvar_);
  Rng eps_rng(eps_seed_);
  Mat eps;
  vae::draw_eps(eps_rng, 1, latent, eps);
  input_eps_.assign(eps.data(), eps.data() + latent);
  input_z_ = input_mu_ + (input_logvar_.array() * 0.5f).exp().matrix().cwiseProduct(eps);
  vae::vae_decode(view_, input_z_, input_recon_);
  Rng sample_rng(sample_seed_);
  vae::vae_sample(view_, sample_rng, kSamples, samples_);
  Mat z;
  vae::vae_interpolate(view_, heldout.image(digit_a_), heldout.image(digit_b_), kInterpolationSteps, z);
  vae::vae_decode(view_, z, interpolation_);
  if (latent == 2) {
    // Row 0 at the top: z₂ from +3 down to −3, z₁ from −3 to +3.
    Mat grid(kManifoldSide * kManifoldSide, 2);
    for (int r = 0; r < kManifoldSide; ++r)
      for (int c = 0; c < kManifoldSide; ++c) {
        grid(r * kManifoldSide + c, 0) = -3.0f + 6.0f * float(c) / float(kManifoldSide - 1);
        grid(r * kManifoldSide + c, 1) = 3.0f - 6.0f * float(r) / float(kManifoldSide - 1);
      }
    vae::vae_decode(view_, grid, manifold_);
    if (scatter_next_ < 0) {
      scatter_next_ = 0;
      scatter_next_x_.clear();
      scatter_next_y_.clear();
    }
  }
}

void VaeLesson::advance_scatter() {
  if (scatter_next_ < 0 || view_.config.latent != 2) return;
  const MnistSplit& heldout = data_->heldout;
  const int rows = std::min(kScatterChunk, heldout.count() - scatter_next_);
  Mat mu, logvar;
  vae::vae_encode(view_, heldout.image(scatter_next_), rows, mu, logvar);
  for (int i = 0; i < rows; ++i) {
    scatter_next_x_.push_back(mu(i, 0));
    scatter_next_y_.push_back(mu(i, 1));
  }
  scatter_next_ += rows;
  if (scatter_next_ < heldout.count()) return;
  scatter_x_.swap(scatter_next_x_);
  scatter_y_.swap(scatter_next_y_);
  scatter_labels_.assign(heldout.labels.begin(), heldout.labels.end());
  scatter_next_ = -1;
}

void VaeLesson::finish_save() {
  std::vector<uint8_t> bytes;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!snap_.saved_ready) return;
    bytes = std::move(snap_.saved);
    snap_.saved_ready = false;
  }
  std::string error;
  if (save_to_path_) {
    const SafetensorsStatus s = write_file_bytes(path_, bytes);
    error = s.ok() ? "" : s.message;
    file_note_ = s.ok() ? FileNote{FileNote::Saved, path_} : FileNote{FileNote::SaveFailed, error};
  } else {
    error = save_bytes_with_hook("vae-latent" + std::to_string(shown_.config.latent) + ".safetensors", bytes);
    file_note_ = error.empty() ? FileNote{FileNote::Offered} : FileNote{FileNote::SaveFailed, error};
  }
}

void VaeLesson::show_controls() {
  if (ImGui::Button(running_ ? trl("vae.pause") : trl("vae.train"))) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("vae.step")));
  if (ImGui::Button(trl("vae.step"))) step_once();
  SameLineIfFits(ButtonWidth(trl("vae.reset")));
  if (ImGui::Button(trl("vae.reset"))) {
    running_ = false;
    post([](Requests& r) { r.reset = true; });
  }
  int latent = shown_.config.latent;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  SameLineIfFits(TextWidth(tr("vae.latent")) + CheckboxWidth("2") + CheckboxWidth("16") + TextWidth("(?)") + 3 * spacing);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("vae.latent"));
  SameLineIfFits(CheckboxWidth("2"));
  if (ImGui::RadioButton("2", latent == 2) && latent != 2) command({"vae", "latent", "2"});
  SameLineIfFits(CheckboxWidth("16"));
  if (ImGui::RadioButton("16", latent == 16) && latent != 16) command({"vae", "latent", "16"});
  HelpMarker(tr("vae.help_latent"));

  float beta = float(shown_.beta);
  NextControlWidth("β", 10);
  if (ImGui::SliderFloat("β", &beta, 0.0f, 4.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp)) {
    const double b = beta;
    post([b](Requests& r) { r.beta = b; });
  }
  HelpMarker(tr("vae.help_beta"));
  float lr_log = float(std::log10(shown_.lr));
  NextControlWidth(trl("vae.learning_rate"), 10);
  if (ImGui::SliderFloat(trl("vae.learning_rate"), &lr_log, -4.0f, -1.0f, "", ImGuiSliderFlags_AlwaysClamp)) {
    const double lr = std::pow(10.0, double(lr_log));
    post([lr](Requests& r) { r.lr = lr; });
  }
  char value[32];
  std::snprintf(value, sizeof value, "%.2g", shown_.lr);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("vae.help_learning_rate"));
}

void VaeLesson::show_one_input() {
  const MnistSplit& heldout = data_->heldout;
  const int latent = view_.config.latent;
  SectionHeading(tr("vae.one_input_heading"));
  ImageGridOptions grid;
  grid.columns = 2;
  grid.cell_size = std::clamp((ImGui::GetContentRegionAvail().x / Em() + 0.3f) / 2 - 0.3f, 2.0f, 5.0f);
  const char* captions[2] = {"x", tr("vae.caption_decoded")};
  grid.captions = captions;
  std::vector<float> pair(2 * vae::kPixels);
  std::copy_n(heldout.image(input_index_), vae::kPixels, pair.data());
  if (input_recon_.rows() == 1) std::copy_n(input_recon_.data(), vae::kPixels, pair.data() + vae::kPixels);
  ImageGrid("vae input", pair.data(), 2, 28, 28, grid);
  if (ImGui::Button(trl("vae.next_digit"))) {
    input_index_ = (input_index_ + 1) % heldout.count();
    visuals_dirty_ = true;
  }
  SameLineIfFits(ButtonWidth(trl("vae.draw_eps")));
  if (ImGui::Button(trl("vae.draw_eps"))) {
    ++eps_seed_;
    visuals_dirty_ = true;
  }
  ImGui::TextWrapped("%s", trf("vae.input_digit", int(heldout.labels[size_t(input_index_)]), input_index_).c_str());
  HelpMarker(tr("vae.help_reparameterisation"));
  if (input_mu_.rows() == 1) {
    // As many latent dimensions (at most 4) as fit the column.
    const ImGuiStyle& style = ImGui::GetStyle();
    const char* rows[] = {"μ", "log σ²", "σ", "ε", "z = μ + σ·ε"};
    float label_w = 0;
    for (const char* r : rows) label_w = std::max(label_w, TextWidth(r));
    const float pad = 2 * style.CellPadding.x + 2;
    const float value_w = TextWidth("+0.000") + pad;
    const int fit = int((ImGui::GetContentRegionAvail().x - label_w - pad) / value_w);
    const int shown = std::clamp(fit, 1, std::min(latent, 4));
    if (ImGui::BeginTable("vae z", shown + 1, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      for (int j = 0; j < shown; ++j) {
        ImGui::TableNextColumn();
        ImGui::Text("z%d", j + 1);
      }
      for (int r = 0; r < 5; ++r) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(rows[r]);
        for (int j = 0; j < shown; ++j) {
          ImGui::TableNextColumn();
          const double v = r == 0 ? input_mu_(0, j) : r == 1 ? input_logvar_(0, j)
                          : r == 2 ? std::exp(0.5 * input_logvar_(0, j)) : r == 3 ? input_eps_[size_t(j)] : input_z_(0, j);
          ImGui::Text("%+.3f", v);
        }
      }
      ImGui::EndTable();
    }
    if (latent > shown) {
      TextDisabledWrapped(trf("vae.first_dimensions", shown, latent).c_str());
    }
  }
}

void VaeLesson::show_curves(ImVec2 size) {
  const int n = int(shown_.curve_epoch.size());
  LineSeries series[3] = {
      {shown_.curve_epoch.data(), shown_.curve_total.data(), n, tr("vae.series_total"), 0},
      {shown_.curve_epoch.data(), shown_.curve_reconstruction.data(), n, tr("vae.series_reconstruction"), 0},
      {shown_.curve_epoch.data(), shown_.curve_kl.data(), n, "KL", 0}};
  PlotOptions po;
  po.title = tr("vae.loss_title");
  po.x_label = tr("vae.epoch_axis");
  po.log_y = true;
  po.size = size;
  LinePlot("vae loss", series, 3, po);
}

void VaeLesson::show_latent_scatter(float side) {
  ScatterPoints points;
  points.xs = scatter_x_.data();
  points.ys = scatter_y_.data();
  points.count = int(std::min(scatter_x_.size(), scatter_labels_.size()));
  points.categories = scatter_labels_.data();
  points.category_names = kDigitNames;
  points.category_count = 10;
  points.radius = 0.15f;
  PlotOptions po;
  po.title = tr("vae.scatter_title");
  po.x_label = "z1";
  po.y_label = "z2";
  po.size = ImVec2(side, side);
  const ScatterResult sr = ScatterPlot("vae latent", points, po);
  if (sr.clicked_point >= 0) {
    input_index_ = sr.clicked_point;
    visuals_dirty_ = true;
  }
}

void VaeLesson::show_manifold(float side) {
  const char* title = tr("vae.manifold_title");
  ImGui::BeginGroup();
  TextEllipsis(title, side - TextWidth("(?)") - ImGui::GetStyle().ItemSpacing.x);
  HelpMarker(tr("vae.help_manifold"));
  const float grid_side = std::floor(side - ImGui::GetTextLineHeightWithSpacing());
  if (manifold_.rows() == kManifoldSide * kManifoldSide) {
    // The 15 × 15 decoded digits as one picture, without gaps between the tiles.
    constexpr int kSide = kManifoldSide * 28;
    std::vector<float> mosaic(size_t(kSide) * kSide);
    for (int r = 0; r < kManifoldSide; ++r)
      for (int c = 0; c < kManifoldSide; ++c) {
        const float* tile = manifold_.data() + size_t(r * kManifoldSide + c) * vae::kPixels;
        for (int y = 0; y < 28; ++y)
          std::copy_n(tile + y * 28, 28, mosaic.data() + size_t(r * 28 + y) * kSide + size_t(c * 28));
      }
    ImageGridOptions grid;
    grid.columns = 1;
    grid.cell_size = grid_side / Em();
    ImageGrid("vae manifold", mosaic.data(), 1, kSide, kSide, grid);
  } else {
    ImGui::Dummy(ImVec2(grid_side, grid_side));
  }
  ImGui::EndGroup();
}

void VaeLesson::show_latent_plane() {
  // The scatter of μ and the decoded grid side by side when both are large enough there; else
  // the scatter alone fills the view and the grid follows under it.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float beside = std::floor(std::min((avail.x - ImGui::GetStyle().ItemSpacing.x) * 0.5f, avail.y));
  if (beside >= Em(14)) {
    ImGui::BeginGroup();
    show_latent_scatter(beside);
    ImGui::SameLine();
    show_manifold(beside);
    ImGui::EndGroup();
    MainFigure("latent plane");
  } else {
    show_latent_scatter(FitFigure({1.0f}).x);
    MainFigure("latent plane");
    show_manifold(FitFigure({1.0f, 1, false, 0, 8, 30}).x);
  }
}

void VaeLesson::show_samples(bool main) {
  ImageGridOptions grid;
  // All in one row, or two or four rows: whichever gives the largest images.
  grid.columns = kSamples;
  grid.cell_size = 0;
  for (int columns : {kSamples, kSamples / 2, kSamples / 4}) {
    const float cell = FitImageGridCellEm(columns, kSamples / columns, false, main, 1.5f, main ? 12.0f : 4.0f);
    if (cell > grid.cell_size * 1.1f) grid.cell_size = cell, grid.columns = columns;
  }
  if (samples_.rows() == kSamples) {
    ImageGrid("vae samples", samples_.data(), kSamples, 28, 28, grid);
  } else {
    const int rows = kSamples / grid.columns;
    ImGui::Dummy(ImVec2(Em(grid.columns * (grid.cell_size + 0.3f) - 0.3f), Em(rows * (grid.cell_size + 0.3f) - 0.3f)));
  }
}

void VaeLesson::show_sample_controls() {
  const MnistSplit& heldout = data_->heldout;
  SectionHeading(tr("vae.samples_heading"));
  if (ImGui::Button(trl("vae.new_samples"))) {
    ++sample_seed_;
    visuals_dirty_ = true;
  }
  HelpMarker(tr("vae.help_samples"));

  SectionHeading(tr("vae.interpolation_controls_heading"));
  NextControlWidth(trl("vae.from"), 8, false, 6);
  if (ImGui::InputInt(trl("vae.from"), &digit_a_)) visuals_dirty_ = true;
  NextControlWidth(trl("vae.to"), 8, true, 6);
  if (ImGui::InputInt(trl("vae.to"), &digit_b_)) visuals_dirty_ = true;
  digit_a_ = std::clamp(digit_a_, 0, heldout.count() - 1);
  digit_b_ = std::clamp(digit_b_, 0, heldout.count() - 1);
  const std::string labels =
      trf("vae.interpolation_labels", int(heldout.labels[size_t(digit_a_)]), int(heldout.labels[size_t(digit_b_)]));
  SameLineIfFits(TextWidth(labels.c_str()));
  ImGui::TextUnformatted(labels.c_str());
  HelpMarker(tr("vae.help_interpolation"));
}

void VaeLesson::show_interpolation() {
  const MnistSplit& heldout = data_->heldout;
  SectionHeading(tr("vae.interpolation_heading"));
  std::vector<float> row((kInterpolationSteps + 2) * vae::kPixels);
  std::copy_n(heldout.image(digit_a_), vae::kPixels, row.data());
  if (interpolation_.rows() == kInterpolationSteps)
    std::copy_n(interpolation_.data(), kInterpolationSteps * vae::kPixels, row.data() + vae::kPixels);
  std::copy_n(heldout.image(digit_b_), vae::kPixels, row.data() + (kInterpolationSteps + 1) * vae::kPixels);
  ImageGridOptions grid;
  // One row when its images are at least 2.5 font heights, else the chain wraps into rows.
  const int count = kInterpolationSteps + 2;
  for (int columns : {count, count / 2, count / 3, count / 4}) {
    grid.columns = columns;
    grid.cell_size = FitImageGridCellEm(columns, count / columns, false, false, 1.0f, 4.0f);
    if (grid.cell_size >= 2.5f) break;
  }
  ImageGrid("vae interpolation", row.data(), kInterpolationSteps + 2, 28, 28, grid);
}

void VaeLesson::show_files() {
  SectionHeading(tr("vae.files_heading"));
  if (file_hooks_set()) {
    if (ImGui::Button(trl("vae.save_model"))) {
      save_to_path_ = false;
      post([](Requests& r) { r.save = true; });
    }
    SameLineIfFits(ButtonWidth(trl("vae.load_model")));
    if (ImGui::Button(trl("vae.load_model"))) {
      open_file_with_hook(".safetensors", [this](const std::string& name, std::vector<uint8_t> bytes) {
        use_glyphs(name);  // the file's name is shown in the outcome
        post([&](Requests& r) {
          r.load = true;
          r.load_bytes = std::move(bytes);
          r.load_name = name;
        });
      });
    }
  }
#ifndef __EMSCRIPTEN__
  else {
    NextControlWidth(trl("vae.path"), 18);
    ImGui::InputText(trl("vae.path"), path_, sizeof path_);
    if (ImGui::Button(trl("vae.save"))) command({"vae", "save", path_});
    SameLineIfFits(ButtonWidth(trl("vae.load")));
    if (ImGui::Button(trl("vae.load"))) {
      const CommandResult r = command({"vae", "load", path_});
      if (!r.ok) file_note_ = {FileNote::LoadFailed, r.message};
    }
  }
#endif
  HelpMarker(tr("vae.help_files"));
  std::string note;
  switch (file_note_.kind) {
    case FileNote::None: break;
    case FileNote::Saved: note = trf("vae.saved", file_note_.detail.c_str()); break;
    case FileNote::SaveFailed: note = trf("vae.save_failed", file_note_.detail.c_str()); break;
    case FileNote::Offered: note = tr("vae.offered"); break;
    case FileNote::LoadFailed: note = trf("vae.load_failed", file_note_.detail.c_str()); break;
  }
  if (!note.empty()) ImGui::TextWrapped("%s", note.c_str());
  const Notice& n = shown_.notice;
  note.clear();
  switch (n.kind) {
    case Notice::None: break;
    case Notice::NewLatent: note = trf("vae.notice_new_latent", n.a); break;
    case Notice::Reset: note = tr("vae.notice_reset"); break;
    case Notice::Loaded: note = trf("vae.notice_loaded", n.name.c_str(), n.a); break;
    case Notice::LoadFailed: note = trf("vae.notice_load_failed", n.name.c_str(), n.detail.c_str()); break;
    case Notice::WrongLatent: note = trf("vae.notice_wrong_latent", n.name.c_str(), n.a, n.b); break;
  }
  if (!note.empty()) ImGui::TextWrapped("%s", note.c_str());
}

void VaeLesson::ShowLessonVae() {
  wanted_ = true;
  bool ready = false;
  if (data_) {
    sync_view();
    ready = view_model_id_ >= 0;  // else the first snapshot comes with the next advance()
    if (ready) {
      refresh_visuals();
      advance_scatter();
    }
  }
  LessonPanes(
      [this, ready] {
        ImGui::TextWrapped("%s", tr("vae.intro"));
        if (!data_) {
          if (asset_pending(data_error_) || data_error_.empty()) {
            TextDisabledWrapped(tr("vae.loading_digits"));
          } else {
            ImGui::TextColored(ImVec4(1, 0.4f, 0.35f, 1), "%s", tr("vae.mnist_missing"));
            ImGui::TextWrapped("%s", data_error_ == kWrongDigitSize ? tr("vae.wrong_digit_size") : data_error_.c_str());
            if (ImGui::Button(trl("vae.try_again"))) {
              retry_shared_mnist();
              data_error_.clear();
            }
          }
          return;
        }
        if (!ready) return;
        show_controls();
        ImGui::TextWrapped("%s", trf("vae.epoch_step", shown_.epoch, shown_.step).c_str());
        ImGui::TextWrapped("%s", trf("vae.last_minibatch", shown_.last.total).c_str());
        ImGui::TextWrapped("%s",
                           trf("vae.loss_terms", shown_.last.reconstruction, shown_.beta, shown_.last.kl).c_str());
        if (shown_.heldout_epoch >= 0)
          ImGui::TextWrapped("%s", trf("vae.heldout", shown_.heldout_epoch, shown_.heldout_total,
                                       shown_.heldout_reconstruction, shown_.heldout_kl).c_str());
        else
          TextDisabledWrapped(tr("vae.heldout_pending"));
        HelpMarker(tr("vae.help_heldout"));
        if (!shown_.error.empty()) {
          ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.35f, 1));
          ImGui::TextWrapped("%s", trf("vae.training_stopped", shown_.error.c_str()).c_str());
          ImGui::PopStyleColor();
          if (ImGui::Button(trl("vae.lower_lr"))) {
            const double lr = std::max(1e-5, shown_.lr * 0.1);
            post([lr](Requests& r) { r.lr = lr; });
          }
          SameLineIfFits(ButtonWidth(trl("vae.reset_model")));
          if (ImGui::Button(trl("vae.reset_model"))) post([](Requests& r) { r.reset = true; });
        }
        if (view_.config.latent != 2) TextDisabledWrapped(tr("vae.switch_to_2"));
        show_one_input();
        show_sample_controls();
        show_files();
      },
      [this, ready] {
        if (!ready) {
          FigurePlaceholder(data_ || data_error_.empty() || asset_pending(data_error_) ? tr("vae.loading") : tr("vae.no_digits"), 2.0f);
          MainFigure("latent plane");
          return;
        }
        if (view_.config.latent == 2) {
          show_latent_plane();
          show_curves(WideFigure(1.8f));
          SectionHeading(tr("vae.samples_heading"));
          show_samples(false);
        } else {
          show_samples(true);
          MainFigure("random samples");
          show_curves(WideFigure(1.8f));
        }
        show_interpolation();
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_vae() { return std::make_unique<VaeLesson>(); }

}  // namespace ll::ui
