#pragma once
// The gan lesson's MNIST part: the DCGAN trained by `latentlab gan train` and shipped in
// assets/weights, sampled live — a grid for a seed, the class picker, a latent
// interpolation between two seeds, PNG export; a missing or corrupt file is explained and
// another can be loaded.
#include <memory>
#include <string>
#include <vector>

#include "lessons/lesson.hpp"

namespace ll::ui {

class GanDigitsPanel {
 public:
  GanDigitsPanel();
  ~GanDigitsPanel();
  void show();
  // "gan sample SEED", "gan class 0-9|all", "gan interpolate SEED_A SEED_B", "gan save-png",
  // "gan load-model PATH" (desktop); words[0] is "gan".
  CommandResult command(const std::vector<std::string>& words);
  nlohmann::json state() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ll::ui
