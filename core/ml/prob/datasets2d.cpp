#include "ml/prob/datasets2d.hpp"

#include <cassert>
#include <cmath>

namespace ll::prob {

const std::vector<Dataset2dInfo>& all_datasets2d() {
  static const std::vector<Dataset2dInfo> sets = {
      {Dataset2d::TwoMoons, "moons", "two moons", 2},
      {Dataset2d::Rings, "rings", "two rings", 2},
      {Dataset2d::ThreeGaussians, "blobs", "three Gaussians", 3},
      {Dataset2d::EightGaussians, "circle8", "eight Gaussians on a circle", 8},
  };
  return sets;
}

const Dataset2dInfo* find_dataset2d(const std::string& key) {
  for (const Dataset2dInfo& d : all_datasets2d())
    if (key == d.key) return &d;
  return nullptr;
}

const Dataset2dInfo& dataset2d_info(Dataset2d kind) {
  for (const Dataset2dInfo& d : all_datasets2d())
    if (d.kind == kind) return d;
  assert(false && "unknown Dataset2d");
  return all_datasets2d()[0];
}

Mixture2Truth three_gaussians_truth(double noise) {
  const double k = noise / 0.1;
  Mixture2Truth t;
  t.weights = {0.5, 0.3, 0.2};
  t.components = {
      {{-1.2, -0.6}, {0.30 * k * k, 0.12 * k * k, 0.20 * k * k}},
      {{1.4, -0.2}, {0.12 * k * k, -0.05 * k * k, 0.35 * k * k}},
      {{0.1, 1.5}, {0.40 * k * k, 0.0, 0.08 * k * k}},
  };
  return t;
}

LabeledPoints2 make_dataset2d(Dataset2d kind, int n, double noise, Rng& rng) {
  assert(n >= 0 && noise >= 0);
  LabeledPoints2 out;
  out.points.resize(size_t(n));
  out.labels.resize(size_t(n));
  const Mixture2Truth blobs = kind == Dataset2d::ThreeGaussians ? three_gaussians_truth(noise) : Mixture2Truth{};
  for (int i = 0; i < n; ++i) {
    Point2 p;
    int label = 0;
    switch (kind) {
      case Dataset2d::TwoMoons: {
        // Upper moon: the half circle over [0, π]; lower moon shifted by (1, −0.5) and flipped.
        label = int(rng.below(2));
        const double t = rng.uniform() * kPi;
        p = label == 0 ? Point2{std::cos(t), std::sin(t)} : Point2{1 - std::cos(t), 0.5 - std::sin(t)};
        // Centre the pair on the origin and scale to about [−2.2, 2.2].
        p = {(p.x - 0.5) * 1.5 + noise * 1.5 * rng.normal(), (p.y - 0.25) * 1.5 + noise * 1.5 * rng.normal()};
        break;
      }
      case Dataset2d::Rings: {
        label = int(rng.below(2));
        const double t = rng.uniform() * 2 * kPi, r = label == 0 ? 1.0 : 2.2;
        p = {r * std::cos(t) + noise * rng.normal(), r * std::sin(t) + noise * rng.normal()};
        break;
      }
      case Dataset2d::ThreeGaussians: {
        label = int(rng.categorical(blobs.weights.data(), blobs.weights.size()));
        p = sample_gaussian2(blobs.components[size_t(label)], rng);
        break;
      }
      case Dataset2d::EightGaussians: {
        label = int(rng.below(8));
        const double t = 2 * kPi * label / 8;
        p = {2 * std::cos(t) + noise * rng.normal(), 2 * std::sin(t) + noise * rng.normal()};
        break;
      }
    }
    out.points[size_t(i)] = p;
    out.labels[size_t(i)] = label;
  }
  return out;
}

}  // namespace ll::prob
