#pragma once
// Toy 2-D data sets for density models (mixtures, flows, GANs): two moons, concentric rings,
// a mixture of three Gaussians, and eight Gaussians on a circle. Points carry the index of
// the part they came from (moon, ring or component), so classifiers and plots can use it.
#include <string>
#include <vector>

#include "ml/prob/gauss2d.hpp"
#include "ml/rng.hpp"

namespace ll::prob {

enum class Dataset2d { TwoMoons, Rings, ThreeGaussians, EightGaussians };

struct Dataset2dInfo {
  Dataset2d kind;
  const char* key;   // for commands: "moons", "rings", "blobs", "circle8"
  const char* name;  // for the UI
  int parts;         // number of distinct labels
};

const std::vector<Dataset2dInfo>& all_datasets2d();
const Dataset2dInfo* find_dataset2d(const std::string& key);  // nullptr if unknown
const Dataset2dInfo& dataset2d_info(Dataset2d kind);

struct LabeledPoints2 {
  std::vector<Point2> points;  // [n]
  std::vector<int> labels;     // [n], in 0 … parts−1
};

// n points; `noise` scales the Gaussian jitter (moons, rings) or the spread (mixtures), 0.1 is
// the usual look. All sets lie roughly in [−3, 3]².
LabeledPoints2 make_dataset2d(Dataset2d kind, int n, double noise, Rng& rng);

// The generating mixture of ThreeGaussians at spread 1 (weights 0.5, 0.3, 0.2), so tests and
// lessons can compare a fit with the truth; `noise` multiplies the standard deviations by noise/0.1.
struct Mixture2Truth {
  std::vector<double> weights;
  std::vector<Gaussian2> components;
};
Mixture2Truth three_gaussians_truth(double noise);

}  // namespace ll::prob
