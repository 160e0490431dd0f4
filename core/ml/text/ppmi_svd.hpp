#pragma once
// Count-based word vectors of a whole corpus, computed in resumable steps so that a lesson can
// spread the work over frames (or a worker) and never freeze the page: co-occurrence counts of
// the `max_vocab` most frequent words within a symmetric window, PPMI weighting, then the top
// `dim` singular vectors by a randomized range finder with power iterations (Halko, Martinsson
// & Tropp 2011). Word vectors are U_k Σ_k^½ (the symmetric weighting of Levy, Goldberg & Dagan
// 2015), rows in the corpus vocabulary's order (most frequent first).
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ml/word2vec/vectors.hpp"
#include "ml/word2vec/word2vec.hpp"

namespace ll::text {

struct PpmiSvdConfig {
  int max_vocab = 3000;       // words kept (the most frequent): the matrix is max_vocab²
  int window = 5;             // co-occurrence distance, same sentence only
  int dim = 50;               // singular vectors kept
  int oversample = 10;        // extra random directions of the range finder
  int power_iterations = 2;   // (X Xᵀ)^q passes that sharpen the spectrum
  uint64_t seed = 1;
};

// "" or what is wrong with the settings.
std::string check_ppmi_svd_config(const PpmiSvdConfig& config);

enum class PpmiSvdStage { Count, Weight, Range, Project, Done };
const char* ppmi_svd_stage_name(PpmiSvdStage stage);

// The job's whole state; advance it with step_ppmi_svd until stage == Done.
struct PpmiSvdJob {
  PpmiSvdConfig config;
  w2v::CorpusPtr corpus;   // ids of words beyond max_vocab are skipped when counting
  int vocab = 0;           // min(max_vocab, corpus vocabulary)
  int dim = 0;             // min(config.dim, vocab / 2): small corpora get fewer dimensions
  int rank = 0;            // dim + oversample, at most vocab
  PpmiSvdStage stage = PpmiSvdStage::Count;
  size_t cursor = 0;       // next sentence (Count), 1 + next column (Weight), next row (Range, Project)
  int pass = 0;            // Range: power-iteration pass, 0..power_iterations
  Eigen::MatrixXf X;       // [vocab × vocab] counts, then PPMI (symmetric); allocated by the first unit
  Eigen::VectorXd row_sums;  // [vocab] Σ_j counts(i, j)
  double total = 0;        // Σ counts
  Eigen::MatrixXf Q;       // [vocab × rank] orthonormal basis of the range
  Eigen::MatrixXf Y;       // [vocab × rank] X·Q being built row by row
  w2v::WordVectors vectors;  // the result once Done: [vocab × dim] (dim = this job's dim)
  Eigen::VectorXf sigma;     // [dim] the top singular values of the PPMI matrix, descending
};

// Builds the corpus from text (w2v::build_corpus rules, min_count) and sets up the job.
// Returns "" or a clear reason (empty or binary text, fewer than 4 words to place…).
std::string start_ppmi_svd(std::string_view text, int min_count, const PpmiSvdConfig& config, PpmiSvdJob& job);
// The same from a corpus already built (a trainer's), shared, without reading the text again.
std::string start_ppmi_svd(w2v::CorpusPtr corpus, const PpmiSvdConfig& config, PpmiSvdJob& job);
// Works for about `seconds` (at least one unit of work) and returns true once Done.
bool step_ppmi_svd(PpmiSvdJob& job, double seconds);
// 0..1, how much of the work is done (stages weighted by their cost).
double ppmi_svd_progress(const PpmiSvdJob& job);

}  // namespace ll::text
