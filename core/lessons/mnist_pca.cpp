#include "lessons/mnist_pca.hpp"

#include "imgui.h"
#include "io/assets.hpp"
#include "lessons/i18n.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#if LATENTLAB_THREADS
#include <thread>
#endif

namespace ll::ui {

namespace {

enum class Phase { Start, Accumulating, Finishing, Ready, Failed };

struct Shared {
  Phase phase = Phase::Start;
  const MnistData* data = nullptr;
  std::string error;
  PcaFitter fitter;
  Pca pca;
#if LATENTLAB_THREADS
  std::thread worker;
  std::atomic<bool> worker_done{false};
  ~Shared() {
    if (worker.joinable()) worker.join();
  }
#endif
};

Shared& shared() {
  static Shared s;
  return s;
}

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

MnistPcaStatus mnist_pca(double budget_ms) {
  Shared& s = shared();
  const auto start = std::chrono::steady_clock::now();
  if (s.phase == Phase::Start) {
    s.data = shared_mnist(s.error);
    if (!s.data) {
      if (!asset_pending(s.error)) s.phase = Phase::Failed;  // pending: ask again next frame
    } else {
      s.fitter = pca_begin(s.data->train.images.data(), s.data->train.count(), s.data->pixels());
      s.phase = Phase::Accumulating;
    }
  }
  if (s.phase == Phase::Accumulating) {
    while (elapsed_ms(start) < budget_ms)
      if (pca_accumulate(s.fitter, 32)) {
#if LATENTLAB_THREADS
        s.phase = Phase::Finishing;
        s.worker = std::thread([&s] {
          s.pca = pca_finish(s.fitter);
          s.worker_done = true;
        });
#else
        s.pca = pca_finish(s.fitter);
        s.phase = Phase::Ready;
#endif
        break;
      }
  }
#if LATENTLAB_THREADS
  if (s.phase == Phase::Finishing && s.worker_done) {
    s.worker.join();
    s.phase = Phase::Ready;
  }
#endif
  if (s.phase == Phase::Ready && s.fitter.rows > 0) s.fitter = PcaFitter();  // frees the scatter matrix

  MnistPcaStatus status;
  status.data = s.data;
  status.error = s.error;
  status.pca = s.phase == Phase::Ready ? &s.pca : nullptr;
  status.progress = s.phase == Phase::Ready       ? 1.0
                    : s.phase == Phase::Finishing ? 0.95
                    : s.fitter.rows > 0           ? 0.9 * double(s.fitter.next_row) / double(s.fitter.rows)
                                                  : 0.0;
  return status;
}

void mnist_pca_retry() {
  Shared& s = shared();
  if (s.phase != Phase::Failed) return;
  retry_shared_mnist();
  s.error.clear();
  s.phase = Phase::Start;
}

void MnistUnavailableNotice(const std::string& error) {
  ImGui::TextColored(ImVec4(1, 0.4f, 0.35f, 1), "%s", tr("mnist_pca.not_available"));
  ImGui::TextWrapped("%s", error.c_str());
  if (ImGui::Button(trl("mnist_pca.try_again"))) mnist_pca_retry();
}

}  // namespace ll::ui
