#include "lessons/gan_digits_panel.hpp"

#include <algorithm>
#include <cmath>

#include "imgui.h"
#include "io/assets.hpp"
#include "io/png.hpp"
#include "lessons/app.hpp"
#include "lessons/file_hooks.hpp"
#include "lessons/i18n.hpp"
#include "lessons/layout.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/widgets/plot.hpp"
#include "ml/gen/dcgan.hpp"
#include "ml/gen/digit_classifier.hpp"
#include "viz/image_grid.hpp"

namespace ll::ui {

namespace {

constexpr const char* kShippedGan = "gan_mnist.safetensors";
constexpr int kGridColumns = 10, kGridRows = 4;
constexpr int kInterpolationSteps = 10;
constexpr int kAllClasses = -1;

// Spherical interpolation: Gaussian codes keep their typical length ‖z‖ ≈ √d along the
// path, where a straight line would pass through unlikely short codes near 0.
nn::Mat slerp_row(const nn::Mat& a, const nn::Mat& b, double t) {
  const double dot = double(a.row(0).dot(b.row(0))) / (double(a.row(0).norm()) * double(b.row(0).norm()));
  const double omega = std::acos(std::clamp(dot, -1.0, 1.0));
  if (omega < 1e-6) return (1 - t) * a + t * b;
  const double s = std::sin(omega);
  return float(std::sin((1 - t) * omega) / s) * a + float(std::sin(t * omega) / s) * b;
}

// A load or save message in parts, so that the panel says it in the interface language when it
// draws, while commands and state() keep the English one.
struct Said {
  enum class Kind { Plain, Loaded, LoadFailed, Saved };
  Kind kind = Kind::Plain;
  std::string english;  // as commands and state() report it
  std::string name;     // the file
  std::string detail;   // why a load failed (the loader's words), or what the save helper said
  bool shipped = false, kept = false;

  // A file's name as the panel shows it: the shipped model is called so in the interface language.
  static std::string shown_name(const std::string& name, bool shipped) {
    return shipped ? trf("gan_digits.shipped_model", kShippedGan) : name;
  }
  std::string shown() const {
    switch (kind) {
      case Kind::Plain: return english;
      case Kind::Loaded: return trf("gan_digits.loaded", shown_name(name, shipped).c_str());
      case Kind::LoadFailed: {
        std::string m = trf("gan_digits.load_failed", shown_name(name, shipped).c_str(), detail.c_str());
        if (kept) m += tr("gan_digits.generator_kept");
        return m;
      }
      case Kind::Saved: return detail;
    }
    return english;
  }
};

}  // namespace

struct GanDigitsPanel::Impl {
  gen::GanTrainer model;
  bool loaded = false;
  std::string load_error;  // "" while not tried, kAssetPending while fetching, else why it failed
  std::string source;      // where the model came from
  bool source_shipped = false;
  int seed = 1, seed_b = 2, digit = kAllClasses, interpolation_digit = 3;
  nn::Mat grid, interpolation;  // [40, 784] and [10, 784] in [0, 1]
  bool dirty = true;
  std::string message;    // the last load or save, for commands and state()
  Said said, load_error_said;  // message and load_error, for the panel
  char path[256] = "gan_mnist.safetensors";

  void try_shipped() {
    if (loaded || (!load_error.empty() && !asset_pending(load_error))) return;
    std::string bytes;
    load_error = load_asset(kShippedGan, bytes);
    load_error_said = Said{Said::Kind::Plain, load_error, "", "", false, false};
    if (!load_error.empty()) return;
    use_bytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), std::string("shipped ") + kShippedGan, true);
  }

  // Replaces the model only when the bytes are a valid GAN file.
  bool use_bytes(const uint8_t* bytes, size_t size, const std::string& name, bool shipped = false) {
    gen::GanTrainer fresh;
    const SafetensorsStatus s = gen::load_gan(bytes, size, fresh);
    if (!s.ok()) {
      load_failed(name, s.message, loaded, shipped);
      if (!loaded) load_error = message, load_error_said = said;
      return false;
    }
    model = std::move(fresh);
    loaded = true;
    load_error.clear();
    source = name;
    source_shipped = shipped;
    message = "loaded " + name;
    said = Said{Said::Kind::Loaded, message, name, "", shipped, false};
    dirty = true;
    return true;
  }

  void load_failed(const std::string& name, const std::string& why, bool kept, bool shipped = false) {
    message = "could not load " + name + ": " + why + (kept ? " (the current generator is kept)" : "");
    said = Said{Said::Kind::LoadFailed, message, name, why, shipped, kept};
  }

  std::vector<int> grid_labels() const {
    std::vector<int> labels(kGridColumns * kGridRows);
    for (size_t i = 0; i < labels.size(); ++i) labels[i] = digit == kAllClasses ? int(i % kGridColumns) : digit;
    return labels;
  }

  void regenerate() {
    if (!loaded || !dirty) return;
    gen::gan_generate(model.model, &model.generator_ema, gen::gan_latents(model.model.config, kGridColumns * kGridRows, uint64_t(seed)),
                      grid_labels(), grid);
    const nn::Mat a = gen::gan_latents(model.model.config, 1, uint64_t(seed));
    const nn::Mat b = gen::gan_latents(model.model.config, 1, uint64_t(seed_b));
    nn::Mat path_codes(kInterpolationSteps, model.model.config.latent);
    for (int k = 0; k < kInterpolationSteps; ++k) path_codes.row(k) = slerp_row(a, b, double(k) / (kInterpolationSteps - 1));
    gen::gan_generate(model.model, &model.generator_ema, path_codes,
                      std::vector<int>(kInterpolationSteps, interpolation_digit), interpolation);
    dirty = false;
  }

  GivenFile save_png() {
    if (!loaded) return {false, "no generator loaded"};
    regenerate();
    const GreyImage g = tile_images(grid.data(), int(grid.rows()), gen::kDigitSide, kGridColumns);
    const std::string name = "gan-samples-seed" + std::to_string(seed) + ".png";
    const GivenFile given = give_file_to_user(name, encode_png(g.pixels.data(), g.width, g.height, 1));
    message = given.message;
    said = Said{Said::Kind::Saved, message, name, message, false, false};
    return given;
  }
};

GanDigitsPanel::GanDigitsPanel() : impl_(std::make_unique<Impl>()) {}
GanDigitsPanel::~GanDigitsPanel() = default;

CommandResult GanDigitsPanel::command(const std::vector<std::string>& w) {
  Impl& p = *impl_;
  double a = 0, b = 0;
  if (w.size() == 3 && w[1] == "sample") {
    if (!prob_ui::parse_number(w[2], a) || a != std::floor(a) || a < 0 || a > 1e9) return {false, "sample SEED: 0 to 1e9"};
    p.seed = int(a);
    p.dirty = true;
    return {true, "seed " + w[2]};
  }
  if (w.size() == 3 && w[1] == "class") {
    if (w[2] == "all") p.digit = kAllClasses;
    else if (prob_ui::parse_number(w[2], a) && a == std::floor(a) && a >= 0 && a <= 9) p.digit = int(a), p.interpolation_digit = int(a);
    else return {false, "class: 0 to 9 or all"};
    p.dirty = true;
    return {true, "class " + w[2]};
  }
  if (w.size() == 4 && w[1] == "interpolate") {
    if (!prob_ui::parse_number(w[2], a) || !prob_ui::parse_number(w[3], b) || a < 0 || b < 0 || a > 1e9 || b > 1e9 ||
        a != std::floor(a) || b != std::floor(b))
      return {false, "interpolate SEED_A SEED_B: seeds 0 to 1e9"};
    p.seed = int(a);
    p.seed_b = int(b);
    p.dirty = true;
    return {true, "interpolating seed " + w[2] + " → " + w[3]};
  }
  if (w.size() == 2 && w[1] == "save-png") {
    if (!p.loaded) return {false, "no generator loaded"};
    const GivenFile given = p.save_png();
    return {given.ok, given.message};
  }
  if (w.size() == 3 && w[1] == "load-model") {
    std::vector<uint8_t> bytes;
    const SafetensorsStatus s = read_file_bytes(w[2], bytes);
    if (!s.ok()) return {false, s.message};
    return {p.use_bytes(bytes.data(), bytes.size(), w[2]), p.message};
  }
  return {false, ""};
}

nlohmann::json GanDigitsPanel::state() const {
  const Impl& p = *impl_;
  nlohmann::json s = {{"shipped_model", p.loaded}, {"sample_seed", p.seed}, {"seed_b", p.seed_b},
                      {"class", p.digit == kAllClasses ? nlohmann::json("all") : nlohmann::json(p.digit)}};
  if (p.loaded) {
    s["model_source"] = p.source;
    s["model_step"] = p.model.step;
    s["conditional"] = p.model.model.config.conditional;
    s["grid_mean"] = p.grid.size() ? double(p.grid.mean()) : 0.0;
  } else if (!p.load_error.empty() && !asset_pending(p.load_error)) {
    s["model_error"] = p.load_error;
  }
  if (!p.message.empty()) s["model_message"] = p.message;
  return s;
}

void GanDigitsPanel::show() {
  Impl& p = *impl_;
  ImGui::Spacing();
  ImGui::TextWrapped("%s", tr("gan_digits.heading"));
  ImGui::Separator();
  p.try_shipped();
  if (!p.loaded) {
    if (p.load_error.empty() || asset_pending(p.load_error)) {
      ImGui::TextUnformatted(tr("gan_digits.loading"));
    } else {
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.4f, 0.35f, 1));
      ImGui::TextWrapped("%s", trf("gan_digits.no_generator", p.load_error_said.shown().c_str()).c_str());
      ImGui::PopStyleColor();
      ImGui::TextWrapped("%s", tr("gan_digits.train_one"));
    }
  } else {
    const gen::GanConfig& c = p.model.model.config;
    ImGui::TextWrapped("%s", trf("gan_digits.model_summary", Said::shown_name(p.source, p.source_shipped).c_str(), c.latent,
                                 c.conditional ? tr("gan_digits.conditional") : tr("gan_digits.unconditional"),
                                 p.model.step)
                                 .c_str());
    NextControlWidth(trl("gan_digits.seed"), 6);
    if (ImGui::InputInt(trl("gan_digits.seed"), &p.seed)) p.seed = std::max(0, p.seed), p.dirty = true;
    SameLineIfFits(ButtonWidth(trl("gan_digits.new_seed")));
    if (ImGui::Button(trl("gan_digits.new_seed"))) p.seed = (p.seed * 1103515245 + 12345) & 0x7fffffff, p.dirty = true;
    if (c.conditional) {
      NextControlWidth(trl("gan_digits.class"), 7, true);
      const char* names[] = {"0–9", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
      int choice = p.digit + 1;
      if (FittedCombo(trl("gan_digits.class"), &choice, names, 11)) {
        p.digit = choice - 1;
        if (p.digit != kAllClasses) p.interpolation_digit = p.digit;
        p.dirty = true;
      }
      HelpMarker(tr("gan_digits.help_class"));
    }
    SameLineIfFits(ButtonWidth(trl("gan_digits.save_png")));
    if (ImGui::Button(trl("gan_digits.save_png"))) p.save_png();
    p.regenerate();
    ImageGridOptions go;
    go.columns = kGridColumns;
    go.cell_size = ImageGridCellEm(ImGui::GetContentRegionAvail().x, kGridColumns, 0.5f, 4.5f);
    ImageGrid("gan samples", p.grid.data(), int(p.grid.rows()), gen::kDigitSide, gen::kDigitSide, go);

    ImGui::TextWrapped("%s", trf("gan_digits.interpolation", p.seed, p.seed_b, p.interpolation_digit).c_str());
    NextControlWidth(trl("gan_digits.second_seed"), 6);
    if (ImGui::InputInt(trl("gan_digits.second_seed"), &p.seed_b)) p.seed_b = std::max(0, p.seed_b), p.dirty = true;
    HelpMarker(tr("gan_digits.help_interpolation"));
    go.cell_size = ImageGridCellEm(ImGui::GetContentRegionAvail().x, kInterpolationSteps, 0.5f, 4.0f);
    ImageGrid("gan interpolation", p.interpolation.data(), int(p.interpolation.rows()), gen::kDigitSide,
              gen::kDigitSide, go);
  }
  LoadModelFileRow("gan-file", ".safetensors", p.path, sizeof p.path,
                   [this](const std::string& name, std::vector<uint8_t> bytes, const std::string& error) {
                     if (!error.empty()) impl_->load_failed(name, error, false);
                     else impl_->use_bytes(bytes.data(), bytes.size(), name);
                   });
  if (!p.message.empty()) ImGui::TextWrapped("%s", p.said.shown().c_str());
}

}  // namespace ll::ui
