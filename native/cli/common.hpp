#pragma once
// Helpers shared by the CLI's subcommands: strict number parsing, clocks, files, the progress
// bar, and the digits in and out (the MNIST asset, sample files).
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "io/mnist.hpp"
#include "io/safetensors.hpp"
#include "ml/nn/params.hpp"

namespace ll::cli {

// The whole string must be a number within [lo, hi].
bool parse_long(const std::string& s, long lo, long hi, long& out);
bool parse_double(const std::string& s, double lo, double hi, double& out);

double wall_seconds();
double cpu_seconds();  // process CPU time, all threads
bool file_exists(const std::string& path);
// Writes to PATH.tmp, then renames it over PATH, so an interrupted save never destroys the
// last checkpoint. "" or what went wrong.
std::string save_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

// "[=====>    ]  42.0%" for a fraction in [0, 1].
std::string progress_bar(double fraction);

// A progress line on stderr: redrawn in place on a terminal; when stderr is a pipe or a file,
// written as a line of its own at every tenth of the work or every 10 s, whichever comes first
// (and at the end), so a log gets a few readable lines instead of every update.
class ProgressLine {
 public:
  ProgressLine();
  void update(double fraction, const std::string& text);
  // Ends the line on a terminal, before other output.
  void finish();

 private:
  bool terminal_;
  bool open_ = false;  // a line drawn in place that has not ended
  double logged_fraction_ = -1, logged_at_ = -1e300;
};

// The file's bytes handed to a parser (a model loader); the read error otherwise.
SafetensorsStatus load_model_file(const std::string& path,
                                  const std::function<SafetensorsStatus(const uint8_t*, size_t)>& parse);

// Continues a training run from its checkpoint --out when that file exists: load(path,
// trainer, &has_optimizer_state) reads it into a fresh trainer, same(resumed) says whether it
// holds this run's settings. "" when there was nothing to resume or the run continues from
// the file (then `trainer` is the resumed one); else why the file cannot be continued.
template <class Trainer, class Load, class Same>
std::string resume_run(const std::string& out, Trainer& trainer, Load load, Same same) {
  if (!file_exists(out)) return "";
  Trainer resumed;
  bool has_state = false;
  const SafetensorsStatus s = load(out, resumed, &has_state);
  if (!s.ok()) return out + " exists but cannot be resumed (" + s.message + "); choose another --out";
  if (!has_state) return out + " has no optimizer state to resume from; choose another --out";
  if (!same(resumed)) return out + " holds a run with other settings; choose another --out";
  trainer = std::move(resumed);
  return "";
}

// The training loop of gan/ddpm train: step() (false: training stopped, see trainer.error)
// until trainer.step reaches total_steps; every 10 steps a progress line with status() (the
// losses); every checkpoint_every steps and at the end, save() written atomically to out.
// "" when done, else why it stopped (the last checkpoint is kept).
template <class Trainer, class Step, class Status, class Save>
std::string run_training(Trainer& trainer, long total_steps, long checkpoint_every, const std::string& out, Step step,
                         Status status, Save save) {
  const double wall0 = wall_seconds(), cpu0 = cpu_seconds();
  const long first = trainer.step;
  ProgressLine progress;
  while (trainer.step < total_steps) {
    if (!step()) {
      progress.finish();
      return "training stopped: " + trainer.error + "; " + out + " keeps the last checkpoint";
    }
    if (trainer.step % 10 == 0 || trainer.step == total_steps) {
      const double per_step = (wall_seconds() - wall0) / double(trainer.step - first);
      char text[512];
      std::snprintf(text, sizeof text, "%s  step %ld/%ld  %s  %.2fs/step, ETA %.0fs",
                    progress_bar(double(trainer.step) / double(total_steps)).c_str(), trainer.step, total_steps,
                    status().c_str(), per_step, per_step * double(total_steps - trainer.step));
      progress.update(double(trainer.step) / double(total_steps), text);
    }
    if (trainer.step % checkpoint_every == 0 || trainer.step == total_steps) {
      const std::string error = save_file_atomically(out, save());
      if (!error.empty()) {
        progress.finish();
        return "cannot save " + out + ": " + error;
      }
    }
  }
  progress.finish();
  std::fprintf(stderr, "trained to step %ld in %.1f s wall, %.1f s CPU; saved %s\n", trainer.step,
               wall_seconds() - wall0, cpu_seconds() - cpu0, out.c_str());
  return "";
}

// The MNIST asset from the build's asset directory: "" or why it cannot be used.
std::string load_digits(MnistData& data);
// images: [N, 784] in [0, 1] → FILE.npy as uint8 (N, 28, 28) and, when png is not empty, a
// 10-wide PNG grid of the first 100. "" or what went wrong.
std::string write_digit_samples(const nn::Mat& images, const std::string& npy, const std::string& png);

}  // namespace ll::cli
