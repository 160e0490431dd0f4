#include "ml/text/ppmi_svd.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <algorithm>
#include <chrono>
#include <cmath>

#include "ml/check.hpp"
#include "ml/rng.hpp"

namespace ll::text {

namespace {

// Units of work small enough (a few ms at 3000 words natively) to fit in a frame's slice.
constexpr size_t kCountTokensPerUnit = 10000;  // tokens counted between clock checks
constexpr int kColumnsPerUnit = 16;            // columns of X per unit in the other stages

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

size_t sentence_begin(const w2v::Corpus& c, size_t s) { return s == 0 ? 0 : c.sentence_end[s - 1]; }

// Counts the sentences from job.cursor until about kCountTokensPerUnit tokens are done.
void count_unit(PpmiSvdJob& job) {
  // Zeroed here rather than in start_ppmi_svd: at the 3000-word cap that is 36 MB, which the
  // first unit of work fills on whichever thread runs it, not on the UI thread that starts it.
  if (job.X.rows() != job.vocab) job.X = Eigen::MatrixXf::Zero(job.vocab, job.vocab);
  const w2v::Corpus& c = *job.corpus;
  const int32_t* ids = c.ids.data();
  size_t tokens = 0;
  while (job.cursor < c.sentence_end.size() && tokens < kCountTokensPerUnit) {
    const size_t begin = sentence_begin(c, job.cursor), end = c.sentence_end[job.cursor];
    for (size_t i = begin; i < end; ++i) {
      const int a = ids[i];
      if (a >= job.vocab) continue;
      const size_t last = std::min(end, i + 1 + size_t(job.config.window));
      for (size_t j = i + 1; j < last; ++j) {
        const int b = ids[j];
        if (b >= job.vocab) continue;
        job.X(a, b) += 1;
        job.X(b, a) += 1;
      }
    }
    tokens += end - begin;
    ++job.cursor;
  }
  if (job.cursor == c.sentence_end.size()) {
    job.stage = PpmiSvdStage::Weight;
    job.cursor = 0;
  }
}

// PPMI of columns [cursor, cursor + kColumnsPerUnit): log₂(X(i,j)·N / (r_i r_j)) clipped at 0.
void weight_unit(PpmiSvdJob& job) {
  const int v = job.vocab;
  if (job.cursor == 0) {
    // Column sums = row sums (X is symmetric); counts stay exact integers in float.
    job.row_sums = job.X.colwise().sum().transpose().cast<double>();  // [vocab]
    job.total = job.row_sums.sum();
    job.cursor = 1;  // Weight's cursor: 1 + the next column; the weighting starts next unit
    return;
  }
  const int first = int(job.cursor) - 1;  // cursor 0 was the sums
  const int end = std::min(v, first + kColumnsPerUnit);
  for (int j = first; j < end; ++j) {
    for (int i = 0; i < v; ++i) {
      const double x = job.X(i, j);
      float value = 0;
      if (x > 0) value = float(std::max(0.0, std::log2(x * job.total / (job.row_sums(i) * job.row_sums(j)))));
      job.X(i, j) = value;
    }
  }
  job.cursor = size_t(end) + 1;
  if (end == v) {
    job.stage = PpmiSvdStage::Range;
    job.cursor = 0;
    job.pass = 0;
  }
}

// Y = X·Q for columns [cursor, cursor + kColumnsPerUnit) of X (= rows of Y, X symmetric).
void multiply_unit(PpmiSvdJob& job) {
  const int end = std::min(job.vocab, int(job.cursor) + kColumnsPerUnit);
  const int first = int(job.cursor), n = end - first;
  job.Y.middleRows(first, n).noalias() = job.X.middleCols(first, n).transpose() * job.Q;
  job.cursor = size_t(end);
}

// An orthonormal basis [vocab × rank] of Y's columns.
Eigen::MatrixXf orthonormal_basis(const Eigen::MatrixXf& Y) {
  Eigen::HouseholderQR<Eigen::MatrixXf> qr(Y);
  Eigen::MatrixXf Q = qr.householderQ() * Eigen::MatrixXf::Identity(Y.rows(), Y.cols());
  LL_CHECK_SHAPE(Q, Y.rows(), Y.cols(), "ppmi_svd: basis must be [vocab × rank]");
  return Q;
}

void range_unit(PpmiSvdJob& job) {
  if (job.cursor == 0 && job.pass == 0) {
    // The random test matrix Ω [vocab × rank], standard normal from our own Rng.
    Rng rng(job.config.seed);
    job.Q.resize(job.vocab, job.rank);
    for (int c = 0; c < job.rank; ++c)
      for (int r = 0; r < job.vocab; ++r) job.Q(r, c) = float(rng.normal());
    job.Y.resize(job.vocab, job.rank);
  }
  multiply_unit(job);
  if (int(job.cursor) < job.vocab) return;
  job.Q = orthonormal_basis(job.Y);
  job.cursor = 0;
  if (++job.pass > job.config.power_iterations) job.stage = PpmiSvdStage::Project;
}

// B = Qᵀ X = (X Q)ᵀ [rank × vocab]; B Bᵀ = U_B S² U_Bᵀ gives X ≈ (Q U_B) S Vᵀ.
void project_unit(PpmiSvdJob& job) {
  multiply_unit(job);
  if (int(job.cursor) < job.vocab) return;
  const Eigen::MatrixXd B = job.Y.transpose().cast<double>();  // [rank × vocab]
  const Eigen::MatrixXd gram = B * B.transpose();               // [rank × rank]
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
  LL_CHECK(eig.info() == Eigen::Success, "ppmi_svd: eigen-decomposition of the small Gram matrix failed");
  // Eigenvalues come ascending: the last `dim` columns, reversed, are the top singular directions.
  const int d = job.dim;
  Eigen::MatrixXd ub(job.rank, d);  // [rank × dim]
  job.sigma.resize(d);
  for (int k = 0; k < d; ++k) {
    const int src = job.rank - 1 - k;
    ub.col(k) = eig.eigenvectors().col(src);
    job.sigma(k) = float(std::sqrt(std::max(0.0, eig.eigenvalues()(src))));
  }
  Eigen::MatrixXf U = job.Q * ub.cast<float>();  // [vocab × dim]
  LL_CHECK_SHAPE(U, job.vocab, d, "ppmi_svd: U must be [vocab × dim]");
  std::vector<float> data(size_t(job.vocab) * size_t(d));
  for (int k = 0; k < d; ++k) {
    // Fixed sign (largest-magnitude entry positive), so the vectors do not flip between builds.
    Eigen::Index at = 0;
    U.col(k).cwiseAbs().maxCoeff(&at);
    const float sign = U(at, k) < 0 ? -1.0f : 1.0f;
    const float scale = sign * std::sqrt(job.sigma(k));
    for (int w = 0; w < job.vocab; ++w) data[size_t(w) * size_t(d) + size_t(k)] = scale * U(w, k);
  }
  std::vector<std::string> words(job.corpus->vocab.words.begin(), job.corpus->vocab.words.begin() + job.vocab);
  job.vectors = w2v::make_word_vectors(std::move(words), d, std::move(data));
  job.X.resize(0, 0);  // the big matrix is no longer needed
  job.Y.resize(0, 0);
  job.Q.resize(0, 0);
  job.stage = PpmiSvdStage::Done;
}

}  // namespace

std::string check_ppmi_svd_config(const PpmiSvdConfig& c) {
  if (c.max_vocab < 4 || c.max_vocab > 20000) return "PPMI+SVD vocabulary cap must be in 4..20000";
  if (c.window < 1 || c.window > 100) return "PPMI+SVD window must be in 1..100";
  if (c.dim < 1 || c.dim > 1000) return "PPMI+SVD dimension must be in 1..1000";
  if (c.oversample < 0 || c.power_iterations < 0 || c.power_iterations > 10)
    return "PPMI+SVD oversampling must be ≥ 0 and power iterations in 0..10";
  return "";
}

const char* ppmi_svd_stage_name(PpmiSvdStage stage) {
  switch (stage) {
    case PpmiSvdStage::Count: return "counting co-occurrences";
    case PpmiSvdStage::Weight: return "PPMI weighting";
    case PpmiSvdStage::Range: return "randomized SVD (range)";
    case PpmiSvdStage::Project: return "randomized SVD (projection)";
    case PpmiSvdStage::Done: return "done";
  }
  return "?";
}

std::string start_ppmi_svd(std::string_view text, int min_count, const PpmiSvdConfig& config, PpmiSvdJob& job) {
  std::string error = check_ppmi_svd_config(config);
  if (!error.empty()) return error;
  w2v::Corpus corpus;
  error = w2v::build_corpus(text, min_count, corpus);
  if (!error.empty()) return error;
  return start_ppmi_svd(std::make_shared<const w2v::Corpus>(std::move(corpus)), config, job);
}

std::string start_ppmi_svd(w2v::CorpusPtr corpus, const PpmiSvdConfig& config, PpmiSvdJob& job) {
  LL_CHECK(corpus != nullptr, "start_ppmi_svd: no corpus");
  const std::string error = check_ppmi_svd_config(config);
  if (!error.empty()) return error;
  if (corpus->vocab.size() < 4) return "PPMI+SVD needs at least 4 distinct words, the corpus has " + std::to_string(corpus->vocab.size());
  PpmiSvdJob fresh;
  fresh.config = config;
  fresh.corpus = std::move(corpus);
  fresh.vocab = std::min(config.max_vocab, fresh.corpus->vocab.size());
  fresh.dim = std::min(config.dim, fresh.vocab / 2);
  fresh.rank = std::min(fresh.vocab, fresh.dim + config.oversample);
  job = std::move(fresh);
  return "";
}

bool step_ppmi_svd(PpmiSvdJob& job, double seconds) {
  const double deadline = now_seconds() + seconds;
  do {
    switch (job.stage) {
      case PpmiSvdStage::Count: count_unit(job); break;
      case PpmiSvdStage::Weight: weight_unit(job); break;
      case PpmiSvdStage::Range: range_unit(job); break;
      case PpmiSvdStage::Project: project_unit(job); break;
      case PpmiSvdStage::Done: return true;
    }
  } while (job.stage != PpmiSvdStage::Done && now_seconds() < deadline);
  return job.stage == PpmiSvdStage::Done;
}

double ppmi_svd_progress(const PpmiSvdJob& job) {
  // Count ≈ one pass over the tokens; each matrix pass (weighting, 1 + q range passes, the
  // projection) ≈ one pass over the vocab² entries; weighted equally, which is close enough.
  const double passes = 2.0 + double(job.config.power_iterations) + 1.0;
  const double total = 1.0 + passes;
  const double v = std::max(1, job.vocab);
  switch (job.stage) {
    case PpmiSvdStage::Count:
      return job.corpus->sentence_end.empty() ? 0 : double(job.cursor) / double(job.corpus->sentence_end.size()) / total;
    case PpmiSvdStage::Weight: return (1.0 + std::min(1.0, double(job.cursor) / v)) / total;
    case PpmiSvdStage::Range: return (2.0 + job.pass + double(job.cursor) / v) / total;
    case PpmiSvdStage::Project: return (total - 1.0 + double(job.cursor) / v) / total;
    case PpmiSvdStage::Done: return 1.0;
  }
  return 0;
}

}  // namespace ll::text
