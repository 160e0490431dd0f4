#pragma once
// The MNIST digits (through the asset loader) and the PCA of their train split, shared by the
// lessons on digits. Nothing loads until a lesson asks; the PCA fit is spread over frames:
// the scatter matrix in row blocks within each frame's budget, then its eigendecomposition on
// a worker thread (LATENTLAB_THREADS == 1) or, in the single-thread build, in one go (about
// half a second, once).
#include <string>

#include "io/mnist.hpp"
#include "ml/lowrank.hpp"

namespace ll::ui {

struct MnistPcaStatus {
  const MnistData* data = nullptr;  // set once the digits are loaded
  const Pca* pca = nullptr;         // set once the fit is done (train split)
  std::string error;                // the asset is missing or corrupt
  double progress = 0;              // of the PCA fit, 0 → 1
};

// Advances loading and fitting for at most about budget_ms; call from the UI thread.
MnistPcaStatus mnist_pca(double budget_ms);
// After an error: try loading again on the next call.
void mnist_pca_retry();

// Where the digits should be after they failed to load: a translated lead-in, the loader's
// message (from core, in English) and a button that calls mnist_pca_retry().
void MnistUnavailableNotice(const std::string& error);

}  // namespace ll::ui
