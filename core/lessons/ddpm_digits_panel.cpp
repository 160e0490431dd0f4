#include "lessons/ddpm_digits_panel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

#include "imgui.h"
#include "io/assets.hpp"
#include "io/mnist.hpp"
#include "io/png.hpp"
#include "lessons/app.hpp"
#include "lessons/file_hooks.hpp"
#include "lessons/i18n.hpp"
#include "lessons/layout.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/widgets/plot.hpp"
#include "ml/gen/ddpm_mnist.hpp"
#include "ml/gen/digit_classifier.hpp"
#include "viz/image_grid.hpp"

namespace ll::ui {

namespace {

constexpr const char* kShippedDdpm = "ddpm_mnist.safetensors";
constexpr int kChainImages = 16;
#if !LATENTLAB_THREADS
constexpr int kChainsPerSlice = 4;  // chains moved per slice of a frame
#endif
constexpr int kForwardStrip[] = {0, 50, 100, 200, 300, 500, 700, 999};
constexpr int kDefaultT = 1000;

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

struct DdpmDigitsPanel::Impl {
  // Forward process.
  gen::NoiseSchedule schedule = gen::make_noise_schedule(gen::ScheduleKind::Linear, kDefaultT);
  std::vector<double> alpha_bars;  // the curve drawn
  int digit = 0, t = 250;
  std::vector<float> noise;  // fixed ε of the chosen digit, so the slider moves smoothly
  std::string data_error;

  // The model and its chains.
  gen::DdpmTrainer model;
  bool loaded = false;
  bool source_shipped = false;  // source is "shipped " + kShippedDdpm
  std::string load_error, source, message;  // English, for commands and state()
  std::string load_error_detail;             // the loader's own message, for "No DDPM: …"
  // The message line as drawn, in the interface language at the time it is drawn.
  enum class Notice { None, Loaded, LoadFailed, LoadFailedKept, SampleFirst, Text };
  Notice notice = Notice::None;
  std::string notice_name, notice_detail;  // a file name (or kShippedDdpm), the loader's message or a whole text
  bool notice_shipped = false;
  bool ddim = true;
  int ddim_steps = gen::kDdimStepsPage;
  int seed = 1;
  int digit_class = -1;  // conditional models: −1 draws chain i as digit i mod 10, else all as this digit
  float guidance = float(gen::kGuidanceDefault);  // conditional models: classifier-free guidance scale w
  char path[256] = "ddpm_mnist.safetensors";

  mutable std::mutex mutex;  // guards the display copies below while a worker runs
  gen::DdpmChain chain;
  bool chain_started = false;
  nn::Mat shown_x, shown_x0;  // [16, 784] in [0, 1]
  int shown_step = 0, shown_total = 0, shown_t = 0;
  double chain_seconds = 0;
  bool chain_done = false;
  Clock::time_point chain_start;
  std::atomic<bool> cancel{false};
  std::thread worker;

  Impl() {
    alpha_bars = schedule.alpha_bars;
    make_noise();
  }
  ~Impl() { stop_worker(); }

  void make_noise() {
    Rng rng(uint64_t(digit) + 1, 0x666f7277);
    noise.resize(gen::kDigitPixels);
    gen::fill_normal(rng, noise.data(), gen::kDigitPixels);
  }

  void try_shipped() {
    if (loaded || (!load_error.empty() && !asset_pending(load_error))) return;
    std::string bytes;
    load_error = load_error_detail = load_asset(kShippedDdpm, bytes);
    if (load_error.empty()) use_bytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), kShippedDdpm, true);
  }

  void set_notice(Notice kind, const std::string& name = "", const std::string& detail = "", bool shipped = false) {
    notice = kind;
    notice_name = name;
    notice_detail = detail;
    notice_shipped = shipped;
  }

  std::string notice_text() const {
    const std::string name = notice_shipped ? trf("ddpm.shipped_model", notice_name.c_str()) : notice_name;
    switch (notice) {
      case Notice::Loaded: return trf("ddpm.loaded", name.c_str());
      case Notice::LoadFailed: return trf("ddpm.load_failed", name.c_str(), notice_detail.c_str());
      case Notice::LoadFailedKept: return trf("ddpm.load_failed_kept", name.c_str(), notice_detail.c_str());
      case Notice::SampleFirst: return tr("ddpm.sample_first");
      case Notice::Text: return notice_detail;
      case Notice::None: break;
    }
    return "";
  }

  // `shipped`: `file` is the model that comes with the lab.
  bool use_bytes(const uint8_t* bytes, size_t size, const std::string& file, bool shipped = false) {
    const std::string name = shipped ? "shipped " + file : file;
    gen::DdpmTrainer fresh;
    const SafetensorsStatus s = gen::load_ddpm(bytes, size, fresh);
    if (!s.ok()) {
      message = "could not load " + name + ": " + s.message + (loaded ? " (the current model is kept)" : "");
      set_notice(loaded ? Notice::LoadFailedKept : Notice::LoadFailed, file, s.message, shipped);
      if (!loaded) load_error = message, load_error_detail = s.message;
      return false;
    }
    stop_worker();
    fresh.net.store.values = fresh.ema;  // the lesson only samples, always with the averaged weights
    model = std::move(fresh);
    schedule = model.schedule;
    alpha_bars = schedule.alpha_bars;
    t = std::min(t, schedule.steps() - 1);
    ddim_steps = std::min(ddim_steps, schedule.steps());
    loaded = true;
    load_error.clear();
    load_error_detail.clear();
    source = name;
    source_shipped = shipped;
    message = "loaded " + name;
    set_notice(Notice::Loaded, file, "", shipped);
    chain_started = false;
    return true;
  }

  void stop_worker() {
    cancel = true;
    if (worker.joinable()) worker.join();
    cancel = false;
  }

  // Copies the chain's state for drawing (under the mutex).
  void publish() {
    std::lock_guard<std::mutex> lock(mutex);
    shown_x = gen::chain_images(chain.x);
    shown_x0 = gen::chain_images(chain.x0_hat);
    shown_step = chain.next;
    shown_total = int(chain.timesteps.size());
    shown_t = chain.done() ? -1 : chain.timesteps[size_t(chain.next)];
    if (chain.done() && !chain_done) chain_seconds = seconds_since(chain_start), chain_done = true;
  }

  void start(bool use_ddim, int steps) {
    stop_worker();
    ddim = use_ddim;
    ddim_steps = std::clamp(steps, 1, schedule.steps());
    chain = gen::start_chain(model, kChainImages, ddim, ddim_steps, 0.0, uint64_t(seed));
    for (int i = 0; model.config.unet.classes > 0 && i < kChainImages; ++i)
      chain.class_ids.push_back(digit_class >= 0 ? digit_class : i % model.config.unet.classes);
    chain.guidance = guidance;
    chain_started = true;
    chain_done = false;
    chain_seconds = 0;
    chain_start = Clock::now();
    publish();
#if LATENTLAB_THREADS
    worker = std::thread([this] {
      while (!cancel && !chain.done()) {
        gen::chain_step(model.net, model.schedule, chain);
        publish();
      }
    });
#endif
  }

  void finish() {
#if LATENTLAB_THREADS
    if (worker.joinable()) worker.join();
#endif
    while (chain_started && !chain.done()) gen::chain_step(model.net, model.schedule, chain);
    if (chain_started) publish();
  }

  void cancel_chain() {
    stop_worker();
    chain_started = false;
  }

  CommandResult save_png() {
    std::lock_guard<std::mutex> lock(mutex);
    if (!chain_started) {
      set_notice(Notice::SampleFirst);
      return {false, message = "sample first"};
    }
    nn::Mat both(2 * kChainImages, gen::kDigitPixels);
    both << shown_x, shown_x0;  // the chain's x_t on top, the implied x̂₀ below
    const GreyImage g = tile_images(both.data(), int(both.rows()), gen::kDigitSide, kChainImages / 2);
    const GivenFile given =
        give_file_to_user(std::string("ddpm-") + (ddim ? "ddim" : "ddpm") + "-step" + std::to_string(shown_step) + ".png",
                          encode_png(g.pixels.data(), g.width, g.height, 1));
    message = given.message;
    set_notice(Notice::Text, "", message);
    return {given.ok, message};
  }
};

DdpmDigitsPanel::DdpmDigitsPanel() : impl_(std::make_unique<Impl>()) {}
DdpmDigitsPanel::~DdpmDigitsPanel() = default;

void DdpmDigitsPanel::advance(double budget_ms) {
#if !LATENTLAB_THREADS
  Impl& p = *impl_;
  if (!p.chain_started || p.chain.done()) return;
  const Clock::time_point start = Clock::now();
  // A step of all 16 chains (32 network rows with guidance) takes longer than a frame here, so
  // steps are taken a few chains at a time.
  do gen::chain_step(p.model.net, p.model.schedule, p.chain, kChainsPerSlice);
  while (!p.chain.done() && seconds_since(start) * 1000 < budget_ms);
  p.publish();
#else
  (void)budget_ms;
#endif
}

CommandResult DdpmDigitsPanel::command(const std::vector<std::string>& w) {
  Impl& p = *impl_;
  double a = 0;
  const bool number = w.size() >= 3 && prob_ui::parse_number(w[2], a) && a == std::floor(a);
  if (w.size() == 3 && w[1] == "digit-t") {
    if (!number || a < 0 || a >= p.schedule.steps()) return {false, "digit-t: 0 to T − 1"};
    p.t = int(a);
    return {true, "t " + w[2]};
  }
  if (w.size() == 3 && w[1] == "digit") {
    if (!number || a < 0 || a > 1999) return {false, "digit: a held-out digit index, 0 to 1999"};
    p.digit = int(a);
    p.make_noise();
    return {true, "digit " + w[2]};
  }
  if ((w.size() == 3 || w.size() == 4) && w[1] == "chain") {
    if (!p.loaded) return {false, "no DDPM loaded"};
    if (w[2] != "ddim" && w[2] != "ddpm") return {false, "chain ddim|ddpm [K]"};
    double k = p.ddim_steps;
    if (w.size() == 4 && (!prob_ui::parse_number(w[3], k) || k < 1 || k > p.schedule.steps() || k != std::floor(k)))
      return {false, "chain steps: 1 to T"};
    p.start(w[2] == "ddim", int(k));
    return {true, "sampling " + w[2]};
  }
  if (w.size() == 3 && w[1] == "class") {
    if (!p.loaded || p.model.config.unet.classes == 0) return {false, "class: the DDPM is not class-conditional"};
    if (w[2] == "all") p.digit_class = -1;
    else if (number && a >= 0 && a < p.model.config.unet.classes) p.digit_class = int(a);
    else return {false, "class: all or a digit 0 to 9"};
    return {true, "class " + w[2]};
  }
  if (w.size() == 3 && w[1] == "guidance") {
    if (!prob_ui::parse_number(w[2], a) || !(a >= 0 && a <= 10)) return {false, "guidance: 0 to 10"};
    p.guidance = float(a);
    return {true, "guidance " + w[2]};
  }
  if (w.size() == 2 && w[1] == "chain-finish") {
    if (!p.chain_started) return {false, "no chain running"};
    p.finish();
    return {true, "chain finished"};
  }
  if (w.size() == 2 && w[1] == "chain-cancel") {
    p.cancel_chain();
    return {true, "chain cancelled"};
  }
  if (w.size() == 2 && w[1] == "chain-png") {
    return p.save_png();
  }
  if (w.size() == 3 && w[1] == "load-model") {
    std::vector<uint8_t> bytes;
    const SafetensorsStatus s = read_file_bytes(w[2], bytes);
    if (!s.ok()) return {false, s.message};
    return {p.use_bytes(bytes.data(), bytes.size(), w[2]), p.message};
  }
  return {false, ""};
}

nlohmann::json DdpmDigitsPanel::state() const {
  const Impl& p = *impl_;
  nlohmann::json s = {{"shipped_model", p.loaded},
                      {"digit_index", p.digit},
                      {"digit_t", p.t},
                      {"digit_alpha_bar", p.schedule.alpha_bars[size_t(p.t)]}};
  if (p.loaded) {
    s["ddpm_source"] = p.source;
    s["ddpm_step"] = p.model.step;
    s["ddpm_classes"] = p.model.config.unet.classes;
    s["ddpm_class"] = p.digit_class;
    s["ddpm_guidance"] = p.guidance;
  } else if (!p.load_error.empty() && !asset_pending(p.load_error)) {
    s["ddpm_error"] = p.load_error;
  }
  if (p.chain_started) {
    std::lock_guard<std::mutex> lock(p.mutex);
    s["ddpm_chain"] = {{"sampler", p.ddim ? "ddim" : "ddpm"},
                       {"step", p.shown_step},
                       {"total", p.shown_total},
                       {"done", p.chain_done},
                       {"seconds", p.chain_seconds},
                       {"mean", p.shown_x.size() ? double(p.shown_x.mean()) : 0.0}};
  }
  if (!p.message.empty()) s["ddpm_message"] = p.message;
  return s;
}

void DdpmDigitsPanel::show() {
  Impl& p = *impl_;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  SectionHeading(tr("ddpm.forward_heading"));
  std::string error;
  const MnistData* data = shared_mnist(error);
  if (!data) {
    if (asset_pending(error)) ImGui::TextUnformatted(tr("ddpm.loading_digits"));
    else ImGui::TextWrapped("%s", trf("ddpm.digits_unavailable", error.c_str()).c_str());
  } else {
    p.digit = std::clamp(p.digit, 0, data->heldout.count() - 1);
    NextControlWidth(trl("ddpm.heldout_digit"), 6);
    if (ImGui::InputInt(trl("ddpm.heldout_digit"), &p.digit)) p.digit = std::clamp(p.digit, 0, data->heldout.count() - 1), p.make_noise();
    NextControlWidth("t##digit", 14, true);
    ImGui::SliderInt("t##digit", &p.t, 0, p.schedule.steps() - 1);
    const double ab = p.schedule.alpha_bars[size_t(p.t)];
    char formula[96];
    std::snprintf(formula, sizeof formula, "x_t = %.3f·x₀ + %.3f·ε", std::sqrt(ab), std::sqrt(1 - ab));
    ImGui::TextUnformatted(formula);  // about 12 font heights: fits every column this panel is drawn in
    char bar[32];
    std::snprintf(bar, sizeof bar, "(ᾱ_t = %.4f)", ab);
    SameLineIfFits(TextWidth(bar));
    ImGui::TextUnformatted(bar);
    HelpMarker(tr("ddpm.help_forward"));
    // The strip x₀ … x_999 and the chosen t.
    const float* x0 = data->heldout.image(p.digit);
    std::vector<float> strip;
    auto add = [&](int t) {
      std::vector<float> xt(gen::kDigitPixels), scaled(gen::kDigitPixels);
      for (int i = 0; i < gen::kDigitPixels; ++i) scaled[size_t(i)] = 2 * x0[i] - 1;
      gen::q_sample(p.schedule, t, scaled.data(), p.noise.data(), xt.data(), gen::kDigitPixels);
      for (float& v : xt) v = std::clamp((v + 1) / 2, 0.0f, 1.0f);
      strip.insert(strip.end(), xt.begin(), xt.end());
    };
    add(p.t);
    for (int t : kForwardStrip) add(std::min(t, p.schedule.steps() - 1));
    ImageGridOptions go;
    go.columns = int(strip.size()) / gen::kDigitPixels;
    // As many columns as fit with images of at least 3.6 font heights (their captions, "t = 700", need it).
    const float avail_em = ImGui::GetContentRegionAvail().x / Em();
    go.columns = std::clamp(int((avail_em + 0.3f) / 3.9f), 1, go.columns);
    go.cell_size = ImageGridCellEm(ImGui::GetContentRegionAvail().x, go.columns, 1.0f, 4.5f);
    std::vector<std::string> captions = {"t = " + std::to_string(p.t)};
    for (int t : kForwardStrip) captions.push_back("t = " + std::to_string(std::min(t, p.schedule.steps() - 1)));
    std::vector<const char*> caption_ptrs;
    for (const std::string& c : captions) caption_ptrs.push_back(c.c_str());
    go.captions = caption_ptrs.data();
    go.selected = 0;
    ImageGrid("ddpm forward", strip.data(), int(strip.size()) / gen::kDigitPixels, gen::kDigitSide, gen::kDigitSide, go);
    LineSeries curve;
    curve.ys = p.alpha_bars.data();
    curve.count = int(p.alpha_bars.size());
    curve.label = "ᾱ_t";
    PlotOptions po;
    po.title = tr("ddpm.alpha_bar_title");
    po.x_label = "t";
    po.size = FitFigure({2.0f, 0.6f, false, 0, 4});
    LinePlot("ddpm alpha bar", &curve, 1, po);
  }

  SectionHeading(tr("ddpm.reverse_heading"));
  p.try_shipped();
  if (!p.loaded) {
    if (p.load_error.empty() || asset_pending(p.load_error)) ImGui::TextUnformatted(tr("ddpm.loading_model"));
    else {
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.35f, 1));
      ImGui::TextWrapped("%s", trf("ddpm.no_model", p.load_error_detail.c_str()).c_str());
      ImGui::PopStyleColor();
      ImGui::TextWrapped("%s", tr("ddpm.train_hint"));
    }
  } else {
    const int classes = p.model.config.unet.classes;
    const std::string source = p.source_shipped ? trf("ddpm.shipped_model", kShippedDdpm) : p.source;
    ImGui::TextWrapped("%s", trf("ddpm.model_info", source.c_str(), p.model.config.unet.channels, p.model.config.timesteps,
                                 classes > 0 ? tr("ddpm.conditional") : tr("ddpm.unconditional"), p.model.step)
                                 .c_str());
    if (classes > 0) {
      NextControlWidth(trl("ddpm.digit"), 7);
      const std::string preview = p.digit_class < 0 ? "0 … 9" : std::to_string(p.digit_class);
      if (BeginFittedCombo(trl("ddpm.digit"), preview.c_str())) {
        if (ImGui::Selectable("0 … 9", p.digit_class < 0)) p.digit_class = -1;
        for (int c = 0; c < classes; ++c)
          if (ImGui::Selectable(std::to_string(c).c_str(), p.digit_class == c)) p.digit_class = c;
        ImGui::EndCombo();
      }
      NextControlWidth(trl("ddpm.guidance"), 10, true);
      ImGui::SliderFloat(trl("ddpm.guidance"), &p.guidance, 0.0f, 6.0f, "%.1f");
      HelpMarker(tr("ddpm.help_guidance"));
    }
    NextControlWidth(trl("ddpm.seed"), 6);
    if (ImGui::InputInt(trl("ddpm.seed"), &p.seed)) p.seed = std::max(0, p.seed);
    NextControlWidth(trl("ddpm.ddim_steps"), 10, true);
    ImGui::SliderInt(trl("ddpm.ddim_steps"), &p.ddim_steps, 5, 200);
    HelpMarker(tr("ddpm.help_ddim_steps"));
    if (ImGui::Button(trl("ddpm.sample_ddim"))) p.start(true, p.ddim_steps);
    SameLineIfFits(ButtonWidth(trl("ddpm.sample_ddpm")));
    if (ImGui::Button(trl("ddpm.sample_ddpm"))) p.start(false, p.schedule.steps());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("ddpm.sample_ddpm_tooltip", p.schedule.steps()).c_str());
    if (p.chain_started) {
      std::lock_guard<std::mutex> lock(p.mutex);
      if (!p.chain_done) {
        const float fraction = p.shown_total ? float(p.shown_step) / float(p.shown_total) : 0;
        const std::string label = std::to_string(p.shown_step) + " / " + std::to_string(p.shown_total) +
                                  "  t = " + std::to_string(p.shown_t);
        const float w = std::max(TextWidth(label.c_str()) + Em(1), Em(12));
        SameLineIfFits(w);
        ImGui::ProgressBar(fraction, ImVec2(std::min(w, ImGui::GetContentRegionAvail().x), 0), label.c_str());
      } else {
        const std::string line = trf("ddpm.chain_done", p.shown_total, p.chain_seconds);
        SameLineIfFits(TextWidth(line.c_str()));
        ImGui::TextUnformatted(line.c_str());
      }
    }
    if (p.chain_started) {
      if (!p.chain_done) {
        SameLineIfFits(ButtonWidth(trl("ddpm.cancel")));
        if (ImGui::Button(trl("ddpm.cancel"))) p.cancel_chain();
      }
      SameLineIfFits(ButtonWidth(trl("ddpm.save_png")));
      if (ImGui::Button(trl("ddpm.save_png"))) p.save_png();
    }
    if (p.chain_started) {
      std::lock_guard<std::mutex> lock(p.mutex);
      ImageGridOptions go;
      go.columns = kChainImages / 2;
      // x_t and x̂₀ side by side when each can get images of 1.8 font heights, else one over the other.
      const float avail = ImGui::GetContentRegionAvail().x;
      const bool side_by_side = ImageGridCellEm((avail - spacing) / 2, go.columns, 0, 100) >= 1.8f;
      const float grid_w = side_by_side ? (avail - spacing) / 2 : avail;
      go.cell_size = ImageGridCellEm(grid_w, go.columns, 0.5f, 3.5f);
      const float shown_w = go.columns * (go.cell_size + 0.3f) * Em() - Em(0.3f);
      ImGui::BeginGroup();
      TextEllipsis("x_t", shown_w);
      ImageGrid("ddpm xt", p.shown_x.data(), int(p.shown_x.rows()), gen::kDigitSide, gen::kDigitSide, go);
      ImGui::EndGroup();
      if (side_by_side) ImGui::SameLine();
      ImGui::BeginGroup();
      TextEllipsis("x̂₀ = (x_t − √(1−ᾱ_t) ε̂) / √ᾱ_t", shown_w);
      ImageGrid("ddpm x0", p.shown_x0.data(), int(p.shown_x0.rows()), gen::kDigitSide, gen::kDigitSide, go);
      ImGui::EndGroup();
    }
  }
  LoadModelFileRow("ddpm-file", ".safetensors", p.path, sizeof p.path,
                   [this](const std::string& name, std::vector<uint8_t> bytes, const std::string& error) {
                     if (!error.empty()) {
                       impl_->message = "could not load " + name + ": " + error;
                       impl_->set_notice(Impl::Notice::LoadFailed, name, error);
                     } else {
                       impl_->use_bytes(bytes.data(), bytes.size(), name);
                     }
                   });
  if (p.notice != Impl::Notice::None) ImGui::TextWrapped("%s", p.notice_text().c_str());
}

}  // namespace ll::ui
