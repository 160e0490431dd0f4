// [word2vec] Train word2vec live (core/ml/word2vec): skip-gram or CBOW with negative sampling,
// hierarchical softmax or the full softmax, on a built-in corpus or pasted text. Shows the loss
// curve, words/s, progress and ETA while it trains (one thread per worker in threaded builds, time
// slices of the frame otherwise), then nearest neighbours, analogies a : b :: c : ? by 3CosAdd
// and 3CosMul, and a 2-D PCA map of word pairs with arrows (gender, capitals, comparatives).
// The default corpus (WordNet glosses) and pretrained vectors (trained by our CLI on WordNet +
// GCIDE, assets/README.md) are assets fetched when the lesson opens, so neighbours and
// analogies work at once. PPMI+SVD vectors of the same corpus answer the same queries side by
// side, computed in time slices. Vectors download and upload in the field's formats.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#if LATENTLAB_THREADS
#include <atomic>
#include <thread>
#endif

#include "imgui.h"
#include "io/assets.hpp"
#include "lessons/app.hpp"
#include "lessons/file_hooks.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/text_lessons.hpp"
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/text/ppmi_svd.hpp"
#include "ml/word2vec/formats.hpp"
#include "ml/word2vec/vectors.hpp"
#include "ml/word2vec/word2vec.hpp"

namespace ll::ui {

namespace {

enum class CorpusChoice { WordNet, Genesis, Passage, Custom, File };
const char* const kCorpusNames[] = {"WordNet glosses", "Genesis (KJV)", "Travel passage", "Your text", "Your file"};
constexpr int kCorpusCount = 5;
// An uploaded corpus larger than this is refused: the page holds it, its word ids and the
// model in at most a few hundred MB of WASM memory. (Decimal MB, as the lesson shows sizes.)
constexpr size_t kMaxCorpusFileBytes = 64'000'000;
#if LATENTLAB_THREADS
// Threaded builds read a text larger than this into word ids on a worker thread, and Train
// starts the run when it is done: in WASM the read takes about 35 ms a MB of the UI thread.
// Smaller texts are read at once, so that Train answers with any problem they have.
constexpr size_t kBackgroundReadBytes = 4'000'000;
#endif
constexpr const char* kWordNetAsset = "wordnet-glosses.txt";            // cmake/Assets.cmake
constexpr const char* kPretrainedAsset = "word2vec-wordnet-gcide.bin";  // assets/README.md

// The vector sets the queries can use: trained here, pretrained (an asset), uploaded by the user.
enum VectorSet { kTrained, kPretrained, kUploaded, kVectorSets };
const char* const kVectorSetNames[] = {"trained here", "pretrained (WordNet + GCIDE)", "uploaded"};
const char* const kVectorSetKeys[] = {"trained", "pretrained", "uploaded"};

// An asset fetched on first use: poll() until it is no longer pending.
struct LazyAsset {
  explicit LazyAsset(const char* asset) : name(asset) {}
  const char* name;
  std::string bytes, error;
  bool loaded = false, asked = false;
  bool pending() const { return !loaded && (!asked || asset_pending(error)); }
  void poll() {
    if (!pending()) return;
    asked = true;
    error = load_asset(name, bytes);
    loaded = error.empty();
  }
  // "loaded", "loading" or "missing".
  const char* status() const { return loaded ? "loaded" : pending() ? "loading" : "missing"; }
};

// The PPMI+SVD side: a small vocabulary so the page stays quick (the matrix is cap² floats).
constexpr int kPpmiVocabCap = 3000;
constexpr int kPpmiDim = 50;

struct PairPreset {
  const char* key;
  const char* name;
  std::vector<std::pair<const char*, const char*>> pairs;
};
const std::vector<PairPreset>& pair_presets() {
  static const std::vector<PairPreset> presets = {
      {"gender", "male → female",
       {{"man", "woman"}, {"king", "queen"}, {"he", "she"}, {"father", "mother"}, {"son", "daughter"},
        {"brother", "sister"}, {"husband", "wife"}, {"boy", "girl"}, {"lord", "lady"}, {"sons", "daughters"}}},
      {"capitals", "country → capital",
       {{"egypt", "cairo"}, {"france", "paris"}, {"italy", "rome"}, {"greece", "athens"}, {"japan", "tokyo"},
        {"china", "beijing"}, {"russia", "moscow"}, {"spain", "madrid"}, {"england", "london"},
        {"germany", "berlin"}, {"assyria", "nineveh"}, {"canaan", "hebron"}}},
      {"comparatives", "adjective → comparative",
       {{"good", "better"}, {"great", "greater"}, {"old", "older"}, {"young", "younger"}, {"big", "bigger"},
        {"small", "smaller"}, {"strong", "stronger"}, {"long", "longer"}, {"high", "higher"}, {"little", "less"}}},
  };
  return presets;
}

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

std::string duration_text(double seconds) {
  char b[32];
  const long s = long(seconds + 0.5);
  std::snprintf(b, sizeof b, "%ld:%02ld", s / 60, s % 60);
  return b;
}

// A byte count as the lesson shows it: "12.34 MB".
std::string megabytes(size_t bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f MB", double(bytes) / 1e6);
  return b;
}

class Word2vecLesson : public Lesson {
 public:
  Word2vecLesson() {
    config_.dim = 50;
    config_.epochs = 5;
    config_.min_count = 3;
    config_.lr = 0.05;
    config_.sample = 1e-3;
#if LATENTLAB_THREADS
    config_.threads = 2;
#else
    config_.threads = 1;
#endif
    custom_text_ = kTravelPassage;
  }
  ~Word2vecLesson() override {
    stop_worker();
    stop_ppmi_worker();
#if LATENTLAB_THREADS
    if (prebuild_worker_.joinable()) prebuild_worker_.join();
    if (corpus_read_) corpus_read_->worker.join();
#endif
  }

  const char* id() const override { return "word2vec"; }
  const char* title() const override { return tr("lessons.word2vec"); }
  const char* group() const override { return tr("groups.word_vectors"); }
  void show() override {
    opened_ = true;
    poll_assets();
    ShowLessonWord2vec();
  }
  bool has_training() const override { return true; }
  TrainingStatus training() const override {
    if (!trainer_) return {false, 0, NAN};
    const w2v::Progress p = w2v::progress(*trainer_);
    return {running_, long(p.words_done), p.loss > 0 ? p.loss : NAN};
  }
  void set_running(bool running) override {
    if (running) {
      if (!trainer_ || w2v::finished(*trainer_)) start_training();
      else resume();
    } else {
      pause();
    }
  }
  void step_once() override {
    pause();
    if (!trainer_ || w2v::finished(*trainer_)) {
      if (!build_trainer()) return;
    }
    w2v::train_for(*trainer_, 0.03);
    after_training_slice(true);
  }
  void reseed(uint64_t seed) override { config_.seed = seed; }
  void advance(double budget_ms) override;
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;

 private:
  std::string_view corpus_text() const {
    if (corpus_ == CorpusChoice::WordNet) return wordnet_.bytes;
    if (corpus_ == CorpusChoice::Genesis) return genesis_corpus();
    if (corpus_ == CorpusChoice::Passage) return kTravelPassage;
    if (corpus_ == CorpusChoice::File) return corpus_file_;
    return custom_text_;
  }
  // The chosen corpus as the user knows it: its name, or the uploaded file's.
  std::string corpus_label() const {
    return corpus_ == CorpusChoice::File ? corpus_file_name_ : kCorpusNames[int(corpus_)];
  }
  // "" when the chosen corpus can be used now, else why not (still loading, missing asset).
  std::string corpus_unavailable() const {
    if (corpus_ == CorpusChoice::WordNet && !wordnet_.loaded)
      return wordnet_.pending() ? "the WordNet glosses corpus is still loading"
                                : "the WordNet glosses corpus is missing (" + wordnet_.error +
                                      "); choose another corpus or rebuild with the Debian package wordnet-base";
    if (corpus_ == CorpusChoice::Genesis && genesis_corpus().empty())
      return "this build has no Genesis text (bible-kjv-text was missing at build time)";
    if (corpus_ == CorpusChoice::File && corpus_file_.empty())
      return file_hooks_set() ? "no corpus file yet: upload a text file" : "no corpus file yet: w2v corpus file PATH";
    return "";
  }
  // Starts fetching the lesson's assets (once it is open) and takes them when they arrive.
  void poll_assets() {
    wordnet_.poll();
#if LATENTLAB_THREADS
    if (wordnet_.loaded && !prebuild_started_) prebuild_default_corpus();
#endif
    if (train_when_loaded_ && !wordnet_.pending()) {
      train_when_loaded_ = false;
      if (wordnet_.loaded) start_training();
      else problem_ = corpus_unavailable();  // it failed to arrive: say why
    }
    if (pretrained_.pending()) {
      pretrained_.poll();
      if (pretrained_.loaded) {
        w2v::WordVectors v;
        pretrained_.error = w2v::read_word2vec_binary(pretrained_.bytes, v);
        pretrained_.loaded = pretrained_.error.empty();
        pretrained_.bytes.clear();
        pretrained_.bytes.shrink_to_fit();
        if (pretrained_.loaded) {
          install_vectors(kPretrained, std::move(v));
          if (active_ < 0) use_vectors(kPretrained);
        }
      }
    }
  }
  // Replaces one vector set (its unit vectors point into sets_[set], which stays in place).
  void install_vectors(int set, w2v::WordVectors v) {
    sets_[set] = std::move(v);
    units_[set] = w2v::unit_vectors(sets_[set]);
  }
  void use_vectors(int set) {
    active_ = set;
    update_queries();
  }
  // A new trainer from the corpus and settings; false (and problem_ set) on bad input.
  bool build_trainer() {
    if (!check_before_training()) return false;
    w2v::CorpusPtr corpus = built_corpus();
    if (!corpus) {
      w2v::Corpus read;
      problem_ = w2v::build_corpus(corpus_text(), config_.min_count, read);
      if (!problem_.empty()) return false;
      corpus = std::make_shared<const w2v::Corpus>(std::move(read));
    }
    return install_trainer(std::move(corpus), config_, corpus_);
  }
  // Stops the run in progress; false (and problem_ set) when the settings or the corpus
  // choice cannot train.
  bool check_before_training() {
    stop_worker();
    problem_ = w2v::check_config(config_);
    if (problem_.empty()) problem_ = corpus_unavailable();
    return problem_.empty();
  }
  bool install_trainer(w2v::CorpusPtr corpus, const w2v::Config& config, CorpusChoice choice) {
    // A new run replaces the old vectors only once it exists: bad input keeps the old model.
    w2v::TrainerPtr fresh = w2v::make_trainer(std::move(corpus), config, problem_);
    if (!fresh) return false;
    trainer_ = std::move(fresh);
    trained_corpus_ = choice;
    loss_history_.clear();
    rate_history_.clear();
    last_sample_ = 0;
    active_ = kTrained;
    refresh_vectors();
    // The count-based vectors of the same corpus follow once training ends, so that they do
    // not take CPU time from the training threads (and the epoch timing stays honest).
    ppmi_after_training_ = true;
    return true;
  }
  // A corpus already read that is the one the settings ask for now: the last trainer's, or
  // the default corpus read in the background. Reading the text takes the UI thread about
  // 0.1 s for the default corpus in WASM. Only the built-in texts qualify; the user's own
  // text may have been edited since, and another file uploaded.
  // Shared, not copied: a copy took the UI thread milliseconds at every Train.
  w2v::CorpusPtr built_corpus() {
    if (trainer_ && trained_corpus_ == corpus_ && corpus_ != CorpusChoice::Custom && corpus_ != CorpusChoice::File &&
        w2v::trainer_config(*trainer_).min_count == config_.min_count)
      return w2v::shared_corpus(*trainer_);
#if LATENTLAB_THREADS
    if (corpus_ == CorpusChoice::WordNet && prebuild_started_ && prebuilt_min_count_ == config_.min_count) {
      if (prebuild_worker_.joinable()) prebuild_worker_.join();  // at most the rest of its read
      if (prebuilt_error_.empty()) return prebuilt_;
    }
#endif
    return nullptr;
  }
#if LATENTLAB_THREADS
  // Threaded builds read the default corpus into word ids off the UI thread as soon as it
  // arrives, with the min-count of that moment, so that the first Train does not wait for it.
  void prebuild_default_corpus() {
    prebuild_started_ = true;
    prebuilt_min_count_ = config_.min_count;
    prebuild_worker_ = std::thread([this] {
      w2v::Corpus corpus;
      prebuilt_error_ = w2v::build_corpus(wordnet_.bytes, prebuilt_min_count_, corpus);
      prebuilt_ = std::make_shared<const w2v::Corpus>(std::move(corpus));
    });
  }
#endif
  void start_training() {
    if (corpus_ == CorpusChoice::WordNet && wordnet_.pending()) {
      train_when_loaded_ = true;  // poll_assets starts it when the text arrives
      poll_assets();
      return;
    }
#if LATENTLAB_THREADS
    if (corpus_read_) {  // a large text is still being read: a run starts when it is done
      CorpusRead& r = *corpus_read_;
      r.train_when_done = true;
      // A read cannot be interrupted: one of another text is followed by a read of this one.
      r.read_again = r.choice != corpus_ || r.file_version != corpus_file_version_ || r.min_count != config_.min_count;
      r.config = config_;
      return;
    }
    if (corpus_text().size() > kBackgroundReadBytes) {
      if (!check_before_training()) return;
      w2v::CorpusPtr built = built_corpus();
      if (!built) return start_corpus_read();
      if (install_trainer(std::move(built), config_, corpus_)) resume();
      return;
    }
#endif
    if (build_trainer()) resume();
  }
  // True while Train waits for a large text to be read (threaded builds).
  bool reading_corpus() const {
#if LATENTLAB_THREADS
    return corpus_read_ && corpus_read_->train_when_done;
#else
    return false;
#endif
  }
#if LATENTLAB_THREADS
  // Reads the chosen text into word ids on a worker thread, with the settings of this Train.
  void start_corpus_read() {
    corpus_read_ = std::make_unique<CorpusRead>();
    CorpusRead& r = *corpus_read_;
    r.text = std::string(corpus_text());  // the user may upload another file meanwhile
    r.config = config_;
    r.choice = corpus_;
    r.file_version = corpus_file_version_;
    r.min_count = config_.min_count;
    r.worker = std::thread([&r] {
      r.error = w2v::build_corpus(r.text, r.min_count, r.corpus);
      r.text = {};
      r.done = true;
    });
  }
  // Once the read is done: its run starts (unless paused meanwhile), or its problem shows.
  void finish_corpus_read() {
    if (!corpus_read_ || !corpus_read_->done) return;
    corpus_read_->worker.join();
    std::unique_ptr<CorpusRead> r = std::move(corpus_read_);
    if (!r->train_when_done) return;
    if (r->read_again) return start_training();
    problem_ = r->error;
    if (problem_.empty() && install_trainer(std::make_shared<const w2v::Corpus>(std::move(r->corpus)), r->config, r->choice))
      resume();
  }
#endif
  // PPMI+SVD of the chosen corpus, advanced in time slices by advance().
  void start_ppmi() {
    ppmi_problem_ = corpus_unavailable();
    if (!ppmi_problem_.empty()) return;
    text::PpmiSvdConfig c;
    c.max_vocab = kPpmiVocabCap;
    c.dim = kPpmiDim;
    c.window = config_.window;
    c.seed = config_.seed;
    text::PpmiSvdJob job;
    w2v::CorpusPtr trained = built_corpus();
    ppmi_problem_ = trained ? text::start_ppmi_svd(std::move(trained), c, job)
                                               : text::start_ppmi_svd(corpus_text(), config_.min_count, c, job);
    if (!ppmi_problem_.empty()) return;  // the previous PPMI vectors stay
    stop_ppmi_worker();
    ppmi_job_ = std::move(job);
    ppmi_running_ = true;
    ppmi_corpus_ = corpus_;
    ppmi_shown_at_ = 0;
#if LATENTLAB_THREADS
    // Threaded builds: a worker computes it; the UI reads only the atomics until it is done.
    ppmi_cancel_ = false;
    ppmi_done_ = false;
    ppmi_progress_ = 0;
    ppmi_stage_ = int(ppmi_job_.stage);
    ppmi_worker_ = std::thread([this] {
      while (!ppmi_cancel_ && !text::step_ppmi_svd(ppmi_job_, 0.02)) {
        ppmi_progress_ = text::ppmi_svd_progress(ppmi_job_);
        ppmi_stage_ = int(ppmi_job_.stage);
      }
      ppmi_done_ = !ppmi_cancel_;
    });
#endif
  }
  void stop_ppmi_worker() {
#if LATENTLAB_THREADS
    if (!ppmi_worker_.joinable()) return;
    ppmi_cancel_ = true;
    ppmi_worker_.join();
#endif
  }
  double ppmi_progress() const {
#if LATENTLAB_THREADS
    return ppmi_progress_;
#else
    return text::ppmi_svd_progress(ppmi_job_);
#endif
  }
  // The progress on screen, sampled 5 times a second like the training figures: every new
  // percentage is a frame for the browser to composite while the worker computes.
  double shown_ppmi_progress() {
    const double t = now_seconds();
    if (t - ppmi_shown_at_ >= 0.2) ppmi_shown_ = ppmi_progress(), ppmi_shown_at_ = t;
    return ppmi_shown_;
  }
  const char* ppmi_stage_name() const {
#if LATENTLAB_THREADS
    return text::ppmi_svd_stage_name(text::PpmiSvdStage(ppmi_stage_.load()));
#else
    return text::ppmi_svd_stage_name(ppmi_job_.stage);
#endif
  }
  // Single-thread builds compute a slice here; threaded ones collect the worker's result.
  void advance_ppmi(double seconds) {
    if (!ppmi_running_) return;
#if LATENTLAB_THREADS
    if (!ppmi_done_) return;
    ppmi_worker_.join();
#else
    if (!text::step_ppmi_svd(ppmi_job_, seconds)) return;
#endif
    ppmi_running_ = false;
    ppmi_vectors_ = std::move(ppmi_job_.vectors);
    ppmi_unit_ = w2v::unit_vectors(ppmi_vectors_);
    ppmi_job_.corpus = {};
    update_queries();
  }
  // Threaded builds: the trainer's threads run (or ended and wait to be joined) exactly
  // while running_ is set.
  void resume() {
    if (!trainer_ || w2v::finished(*trainer_) || running_) return;
    running_ = true;
    resumed_at_ = now_seconds();
    shown_progress_ = w2v::progress(*trainer_);
#if LATENTLAB_THREADS
    w2v::start_workers(*trainer_);
#endif
  }
  void pause() {
    train_when_loaded_ = false;
#if LATENTLAB_THREADS
    if (corpus_read_) corpus_read_->train_when_done = false;
#endif
    stop_worker();
    if (trainer_) refresh_vectors();
  }
  // Stops training: joins the threads (threaded builds) and clears running_.
  void stop_worker() {
    running_ = false;
#if LATENTLAB_THREADS
    if (!trainer_) return;
    w2v::request_stop(*trainer_);
    w2v::join_workers(*trainer_);  // nothing to join when none were started
#endif
  }
  // Samples the progress for the curves; refreshes the vectors now and then.
  void after_training_slice(bool force_refresh) {
    const w2v::Progress p = w2v::progress(*trainer_);
    const double t = now_seconds();
    // What training changes on screen (figures, curves, answers) changes at these samples
    // only, 5 times a second: the frames in between draw nothing new, and the web host
    // skips them, which leaves the CPU to the training threads. The first comes half a
    // second into a run, as a progress dialog waits before it shows: a shorter run (an epoch
    // of the default corpus takes 0.2–0.45 s in the browser) goes from Train straight to
    // its end, without a frame whose composite (about 30 ms of CPU under software WebGL)
    // the browser would take from the training threads for figures few would read.
    const bool sample = (t - last_sample_ > 0.2 && t - resumed_at_ >= 0.5) || p.finished;
    if (sample) {
      last_sample_ = t;
      shown_progress_ = p;
      if (p.loss > 0) loss_history_.push_back(p.loss);
      rate_history_.push_back(p.words_per_second);
    }
    if (p.diverged)
      problem_ = "training diverged (the loss became NaN); the last good vectors are kept: lower the learning rate "
                 "and train again";
    if (p.finished && ppmi_after_training_) {
      ppmi_after_training_ = false;
      if (corpus_ == trained_corpus_) start_ppmi();
    }
    if (p.finished && running_) {
      stop_worker();
      force_refresh = true;
    }
    if (force_refresh || (sample && t - last_refresh_ > 1.0)) refresh_vectors();
  }
  void refresh_vectors() {
    last_refresh_ = now_seconds();
    // A diverged run leaves NaN or infinite rows: the vectors of the last refresh (the last
    // good ones) stay on screen and answer the queries.
    const w2v::Model& model = w2v::trainer_model(*trainer_);
    for (int w = 0; w < model.vocab; ++w) {
      const float* row = model.in_row(w);
      for (int i = 0; i < model.dim; ++i)
        if (!std::isfinite(row[i])) {
          problem_ = "training diverged (a vector is no longer finite); the last good vectors are kept: lower "
                     "the learning rate and train again";
          return;
        }
    }
    // Racy reads while Hogwild workers write: fine for a view.
    w2v::copy_trainer_vectors(*trainer_, sets_[kTrained]);
    units_[kTrained] = w2v::unit_vectors(sets_[kTrained]);
    if (active_ == kTrained) update_queries();
  }
  const w2v::WordVectors* active_vectors() const { return active_ < 0 ? nullptr : &sets_[active_]; }
  // The same queries against one vector set: the active one, or the PPMI+SVD vectors.
  struct Answers {
    std::vector<w2v::Neighbour> neighbours, analogy;
    std::string query_problem, analogy_problem;
  };
  Answers ask(const w2v::UnitVectors& u) const {
    Answers a;
    if (u.size() == 0) return a;
    if (!query_.empty()) a.neighbours = w2v::nearest_words(u, query_, 10, a.query_problem);
    if (!analogy_words_[0].empty() && !analogy_words_[1].empty() && !analogy_words_[2].empty())
      a.analogy = w2v::analogy(u, analogy_words_[0], analogy_words_[1], analogy_words_[2], 5,
                               use_3cosmul_ ? w2v::AnalogyMethod::Mul : w2v::AnalogyMethod::Add, a.analogy_problem);
    return a;
  }
  void update_queries() {
    answers_ = active_ < 0 ? Answers{} : ask(units_[active_]);
    ppmi_answers_ = ask(ppmi_unit_);
    update_map();
  }
  void update_map() {
    map_words_.clear();
    map_missing_.clear();
    map_ = {};
    if (active_ < 0) return;
    const w2v::WordVectors& vectors = sets_[active_];
    std::vector<int> ids;
    for (const auto& [a, b] : pair_presets()[size_t(preset_)].pairs) {
      const int ia = vectors.find(a), ib = vectors.find(b);
      if (ia < 0 || ib < 0) {
        map_missing_ += std::string(map_missing_.empty() ? "" : ", ") + a + "/" + b;
        continue;
      }
      ids.push_back(ia);
      ids.push_back(ib);
      map_words_.push_back(a);
      map_words_.push_back(b);
    }
    map_ = w2v::pca_2d(vectors, ids);
  }
  void ShowLessonWord2vec();
  void show_controls();
  void show_settings();
  void show_loss_plot();
  void show_progress();
  void show_queries();
  void show_map();
  void show_files();
  // Current vectors in the field's formats: through the front end's download hook without a
  // path, else to PATH (tsv: PATH-vectors.tsv and PATH-metadata.tsv). "" or the reason.
  std::string save_vectors(const std::string& format, const std::string& path);
  // A .vec/.txt (word2vec text) or .bin (word2vec binary) file as the uploaded set; a bad file
  // leaves every set as it was and says why.
  void take_uploaded(const std::string& name, std::string_view bytes);
  // A text file as the corpus to train on; a file that is not text (empty, binary, not
  // UTF-8) or too large leaves the corpus as it was and says why. True when taken.
  bool take_corpus_file(const std::string& name, std::string bytes);

  bool opened_ = false;
  // The tab shown; a command sets it and the tab bar selects it on the next frame.
  enum class Tab { Queries, Map } tab_ = Tab::Queries;
  bool tab_requested_ = false;
  LazyAsset wordnet_{kWordNetAsset};
  LazyAsset pretrained_{kPretrainedAsset};
  bool train_when_loaded_ = false;
  bool ppmi_after_training_ = false;  // start PPMI+SVD of the trained corpus when the run ends
  w2v::WordVectors sets_[kVectorSets];
  w2v::UnitVectors units_[kVectorSets];
  int active_ = -1;  // a VectorSet, -1 before any is there
  std::string uploaded_name_, file_message_;
  std::string corpus_file_, corpus_file_name_;  // the uploaded corpus and its file name
  int corpus_file_version_ = 0;                 // counts the files taken
  std::string corpus_message_;                  // what became of the last corpus file
  CorpusChoice trained_corpus_ = CorpusChoice::WordNet;
  text::PpmiSvdJob ppmi_job_;
  bool ppmi_running_ = false;
  double ppmi_shown_ = 0, ppmi_shown_at_ = 0;  // shown_ppmi_progress's sample
#if LATENTLAB_THREADS
  std::thread ppmi_worker_;
  std::atomic<bool> ppmi_cancel_{false}, ppmi_done_{false};
  std::atomic<double> ppmi_progress_{0};
  std::atomic<int> ppmi_stage_{0};
#endif
  std::string ppmi_problem_;
  CorpusChoice ppmi_corpus_ = CorpusChoice::WordNet;
  w2v::WordVectors ppmi_vectors_;
  w2v::UnitVectors ppmi_unit_;

  w2v::Config config_;
  CorpusChoice corpus_ = CorpusChoice::WordNet;
  std::string custom_text_;
  w2v::TrainerPtr trainer_;
#if LATENTLAB_THREADS
  std::thread prebuild_worker_;  // prebuild_default_corpus; joined before its results are read
  // A large text being read for the Train that asked for it (start_corpus_read).
  struct CorpusRead {
    std::thread worker;
    std::atomic<bool> done{false};
    bool train_when_done = true;  // cleared by Pause
    bool read_again = false;      // a later Train asked for another text or min-count
    std::string text;
    w2v::Config config;   // the last Train's settings (rewritten by a Train during the read)
    int min_count = 0;    // the read's min-count: set before the worker starts, then constant
    CorpusChoice choice = CorpusChoice::WordNet;
    int file_version = 0;
    w2v::Corpus corpus;
    std::string error;
  };
  std::unique_ptr<CorpusRead> corpus_read_;
  bool prebuild_started_ = false;
  int prebuilt_min_count_ = 0;
  w2v::CorpusPtr prebuilt_;
  std::string prebuilt_error_;
#endif
  bool running_ = false;
#if defined(__EMSCRIPTEN__)
  // V8 runs new WASM code from its baseline compiler and optimizes a function only after it
  // has run a while, on a background thread. Unwarmed, the user's first epoch runs partly in
  // baseline code while the optimizing compiler takes CPU from the training threads (about
  // 1.2× as long, in paired pages on a 2-core machine). So while the lesson is open and idle,
  // a share of each frame trains a throwaway model on synthetic text with the lesson's
  // settings; the optimized code is shared by every thread.
  void warm_up_training_code(double seconds);
  w2v::TrainerPtr warm_up_;
  bool warmed_up_ = false;
#endif
  std::string problem_;
  std::vector<double> loss_history_, rate_history_;
  double last_sample_ = 0, last_refresh_ = 0;
  double resumed_at_ = 0;  // when training last started or resumed
  w2v::Progress shown_progress_;  // the figures on screen while training (sampled at 5 Hz)
  std::string query_ = "king";
  std::string analogy_words_[3] = {"man", "king", "woman"};
  bool use_3cosmul_ = false;
  Answers answers_, ppmi_answers_;
  int preset_ = 0;
  std::vector<std::string> map_words_;
  std::string map_missing_;
  w2v::Projection2D map_;
};

#if defined(__EMSCRIPTEN__)
void Word2vecLesson::warm_up_training_code(double seconds) {
  if (!warm_up_) {
    w2v::Corpus corpus;
    std::string error = w2v::build_corpus(w2v::zipf_text(5000, 50000, 10, 7), 1, corpus);
    w2v::Config config = config_;
    config.min_count = 1;
    config.threads = 1;
    // 300,000 words, in slices: with 100,000 the optimizing compiler was still at work for
    // about 1.4 s after the warm-up ended (the renderer's pool threads took 0.12 CPU-s more),
    // and an epoch started then ran 1.1× as long (paired pages, medians 0.408 s and 0.356 s).
    config.epochs = 6;
    if (error.empty()) warm_up_ = w2v::make_trainer(std::move(corpus), config, error);
    if (!warm_up_) {  // settings the trainer refuses: the user's training will say why
      warmed_up_ = true;
      return;
    }
  }
  w2v::train_for(*warm_up_, seconds);
  if (w2v::finished(*warm_up_)) {
    warm_up_.reset();
    warmed_up_ = true;
  }
}
#endif

void Word2vecLesson::advance(double budget_ms) {
  if (opened_) poll_assets();
#if LATENTLAB_THREADS
  finish_corpus_read();
#endif
  const bool training = trainer_ && running_;
#if defined(__EMSCRIPTEN__)
  if (opened_ && !warmed_up_ && !training) warm_up_training_code(0.4 * budget_ms / 1000);
#endif
  // PPMI+SVD: single-thread builds compute it in slices of the frame (a third of the time
  // while training shares it); threaded ones collect the worker's result.
  if (ppmi_running_) advance_ppmi((training ? 0.2 : 0.6) * budget_ms / 1000);
  if (!training) return;
#if !LATENTLAB_THREADS
  // Single-thread build: train inside the frame, leaving time for drawing.
  w2v::train_for(*trainer_, std::max(0.002, (ppmi_running_ ? 0.4 : 0.6) * budget_ms / 1000));
#endif
  after_training_slice(false);
}

void Word2vecLesson::show_settings() {
  int corpus = int(corpus_);
  NextControlWidth("corpus", 10);
  if (FittedCombo("corpus", &corpus, kCorpusNames, kCorpusCount)) corpus_ = CorpusChoice(corpus);
  HelpMarker("WordNet glosses: the definitions and examples of the Debian package wordnet-base, the first "
             "3 MB (about 510,000 words), made at build time and fetched when this lesson opens. "
             "Genesis: the KJV text from Debian's bible-kjv-text, built in (about 38,000 words). "
             "Your text: paste anything; tokens are lower-cased runs of letters, digits and apostrophes, "
             "one sentence per line. Your file: a text file of your own, read the same way.");
  if (corpus_ == CorpusChoice::WordNet && (wordnet_.loaded || wordnet_.pending())) {
    char size[32] = "loading…";
    if (wordnet_.loaded) std::snprintf(size, sizeof size, "%.1f MB", wordnet_.bytes.size() / 1e6);
    SameLineIfFits(TextWidth(size));
    ImGui::TextDisabled("%s", size);
  }
  const std::string unavailable = corpus_unavailable();
  if (!unavailable.empty() && !(corpus_ == CorpusChoice::WordNet && wordnet_.pending())) ExplainProblem(unavailable);
  if (corpus_ == CorpusChoice::Custom) TextBox("##w2v_text", custom_text_, 5);
  if (corpus_ == CorpusChoice::File) {
    if (!corpus_file_.empty())
      TextDisabledWrapped((corpus_file_name_ + ", " + megabytes(corpus_file_.size())).c_str());
    if (file_hooks_set()) {
      if (ImGui::Button("Upload corpus…")) command({"w2v", "corpus", "upload"});
      HelpMarker("A plain-text file (UTF-8, up to 64 MB): one sentence per line, as the pasted text.");
    }
  }
  if (!corpus_message_.empty()) ImGui::TextWrapped("%s", corpus_message_.c_str());

  const float w = 7;  // preferred slider width, in font heights
  int arch = int(config_.arch), loss = int(config_.loss);
  NextControlWidth("model", w);
  FittedCombo("model", &arch, "skip-gram\0CBOW\0");
  HelpMarker("Skip-gram: the centre word's vector v_c predicts each context word o through σ(u_o·v_c). "
             "CBOW: the mean of the context vectors predicts the centre word.");
  NextControlWidth("loss", w * 1.6f, true);
  FittedCombo("loss", &loss, "negative sampling\0hierarchical softmax\0full softmax\0");
  HelpMarker("Negative sampling: the true word against k words drawn from unigram^0.75. "
             "Hierarchical softmax: binary decisions along the word's path in a Huffman tree (log V). "
             "Full softmax: a distribution over the whole vocabulary (exact, V times slower).");
  config_.arch = w2v::Arch(arch);
  config_.loss = w2v::Loss(loss);
  NextControlWidth("dim", w);
  ImGui::SliderInt("dim", &config_.dim, 2, 300);
  NextControlWidth("window", w, true);
  ImGui::SliderInt("window", &config_.window, 1, 10);
  HelpMarker("Each position draws a reach 1..window, so near words count more often.");
  NextControlWidth("negatives", w, true);
  ImGui::SliderInt("negatives", &config_.negative, 1, 20);
  NextControlWidth("epochs", w);
  ImGui::SliderInt("epochs", &config_.epochs, 1, 50);
  NextControlWidth("min count", w, true);
  ImGui::SliderInt("min count", &config_.min_count, 1, 50);
  HelpMarker("Words seen fewer times are dropped before training.");
  float lr = float(config_.lr), sample = float(config_.sample);
  NextControlWidth("learning rate", w, true);
  if (ImGui::SliderFloat("learning rate", &lr, 0.001f, 0.5f, "%.3f", ImGuiSliderFlags_Logarithmic)) config_.lr = lr;
  HelpMarker("Starting learning rate; it falls linearly to almost 0 at the end, as in the original tool.");
  NextControlWidth("sub-sample", w);
  if (ImGui::SliderFloat("sub-sample", &sample, 0.0f, 0.01f, "%.0e", ImGuiSliderFlags_Logarithmic)) config_.sample = sample;
  HelpMarker("Frequent words are dropped with probability 1 − (sqrt(f/t) + 1)·t/f (f: the word's frequency, "
             "t: this threshold; 0 keeps every word).");
#if LATENTLAB_THREADS
  NextControlWidth("threads", w, true);
  ImGui::SliderInt("threads", &config_.threads, 1, 4);
  HelpMarker("Hogwild: each thread trains its share of the corpus on the shared vectors without locks.");
#endif
  // Sliders allow typed values (Ctrl+click): clamp them to what the engine accepts.
  config_.dim = std::clamp(config_.dim, 1, 1000);
  config_.window = std::clamp(config_.window, 1, 100);
  config_.negative = std::clamp(config_.negative, 1, 100);
  config_.epochs = std::clamp(config_.epochs, 1, 1000);
  config_.min_count = std::clamp(config_.min_count, 1, 1000000);
  config_.threads = std::clamp(config_.threads, 1, 16);
  config_.lr = std::clamp(config_.lr, 1e-5, 1.0);
  config_.sample = std::clamp(config_.sample, 0.0, 1.0);
}

void Word2vecLesson::show_progress() {
  if (ImGui::Button("Train")) start_training();
  const char* pause_label = running_ ? "Pause" : "Resume";
  SameLineIfFits(ButtonWidth(pause_label));
  if (ImGui::Button(pause_label)) set_running(!running_);
  SameLineIfFits(ButtonWidth("Step"));
  if (ImGui::Button("Step")) step_once();
  if (!problem_.empty()) ExplainProblem(problem_);
  if (train_when_loaded_) ImGui::TextWrapped("Training starts as soon as the corpus has loaded…");
  if (reading_corpus()) ImGui::TextWrapped("Reading the corpus into word ids; training starts when it is done…");
  // The bar, the figures and the curve keep their places before the first run, so that
  // pressing Train changes only them: nothing below moves, and the page redraws only them.
  char overlay[128] = "not trained yet: press Train";
  w2v::Progress p;
  if (trainer_) {
    p = running_ ? shown_progress_ : w2v::progress(*trainer_);
    std::snprintf(overlay, sizeof overlay, "%.1fM / %.1fM words", p.words_done / 1e6, p.words_total / 1e6);
  }
  const std::string shown = Ellipsized(overlay, ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().FramePadding.x);
  ImGui::ProgressBar(float(p.fraction), ImVec2(-1, 0), shown.c_str());
  if (trainer_) {
    const w2v::Corpus& corpus = w2v::trainer_corpus(*trainer_);
    ImGui::TextWrapped("vocabulary %d words, corpus %zu tokens", corpus.vocab.size(), corpus.ids.size());
    ImGui::TextWrapped("%.0fk words/s | loss %.3f | lr %.4f | %s %s", p.words_per_second / 1000, p.loss, double(p.lr),
                       p.finished ? "done in" : "ETA", duration_text(p.finished ? p.seconds : p.eta_seconds).c_str());
  } else {
    TextDisabledWrapped("vocabulary, speed, loss and time left show here while it trains");
  }
  HelpMarker("Loss: the mean of −log σ(u_o·v_c) − Σ log σ(−u_n·v_c) per (centre, context) example, "
             "over recent windows (for the softmaxes: −log P(o|c)).");
}

void Word2vecLesson::show_loss_plot() {
  PlotOptions options;
  options.size = FitFigure({1.6f, 1, false});
  options.title = "loss (recent windows)";
  options.x_label = "samples (5 per second)";
  LineSeries series;
  series.ys = loss_history_.data();
  series.count = int(loss_history_.size());
  series.label = "loss";
  LinePlot("##w2v_loss", &series, 1, options);
}

// One cell of the answers table: the word, shortened to fit, and its score at the cell's right.
void AnswerCell(const w2v::Neighbour& n) {
  char score[16];
  std::snprintf(score, sizeof score, "%.3f", double(n.score));
  const float score_w = TextWidth(score), spacing = ImGui::GetStyle().ItemSpacing.x;
  const float x0 = ImGui::GetCursorPosX(), avail = ImGui::GetContentRegionAvail().x;
  // The score only where the whole word fits beside it (it is in the tooltip anyway).
  const bool with_score = TextWidth(n.word.c_str()) + spacing + score_w <= avail;
  TextEllipsis(n.word.c_str(), with_score ? avail - score_w - spacing : avail);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s  cosine %s", n.word.c_str(), score);
  if (with_score) {
    ImGui::SameLine(x0 + avail - score_w);
    ImGui::TextDisabled("%s", score);
  }
}

int ResizeWord(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* text = static_cast<std::string*>(data->UserData);
    text->resize(size_t(data->BufTextLen));
    data->Buf = text->data();
  }
  return 0;
}

// A one-line text field of the given frame width in pixels, bound to a std::string; true when edited.
bool WordField(const char* label, std::string& text, float width) {
  ImGui::SetNextItemWidth(width);
  return ImGui::InputText(label, text.data(), text.capacity() + 1, ImGuiInputTextFlags_CallbackResize, ResizeWord, &text);
}

void Word2vecLesson::show_queries() {
  // The queries, the answers and the buttons under them are one figure, in view together.
  ImGui::BeginGroup();
  if (WordField("nearest to", query_, ControlWidth("nearest to", 10, 3))) update_queries();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The 10 words whose vectors have the highest cosine similarity with this word's.");
  // a : b :: c : ?, its three fields sharing the row.
  bool changed = false;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float seps = TextWidth(":") + TextWidth("::") + TextWidth(": ?") + 6 * spacing;
  const float field = std::floor(std::clamp((ImGui::GetContentRegionAvail().x - seps) / 3, Em(3), Em(6)));
  changed |= WordField("##a", analogy_words_[0], field);
  SameLineIfFits(TextWidth(":"));
  ImGui::TextUnformatted(":");
  SameLineIfFits(field);
  changed |= WordField("##b", analogy_words_[1], field);
  SameLineIfFits(TextWidth("::"));
  ImGui::TextUnformatted("::");
  SameLineIfFits(field);
  changed |= WordField("##c", analogy_words_[2], field);
  SameLineIfFits(TextWidth(": ?"));
  ImGui::TextUnformatted(": ?");
  if (changed) update_queries();

  char ppmi_heading[160];
  if (ppmi_vectors_.size() > 0)
    std::snprintf(ppmi_heading, sizeof ppmi_heading, "PPMI+SVD of %s (top %d words, dim %d)", kCorpusNames[int(ppmi_corpus_)],
                  ppmi_vectors_.size(), ppmi_vectors_.dim);
  else
    std::snprintf(ppmi_heading, sizeof ppmi_heading, "PPMI+SVD (count-based)");
  char w2v_heading[160];
  std::snprintf(w2v_heading, sizeof w2v_heading, "word2vec: %s", active_ < 0 ? "no vectors" : kVectorSetNames[active_]);

  // The answers side by side: word2vec's and the count-based vectors', row by row. On a short
  // screen the table keeps its place and scrolls inside, with the PPMI button in view below.
  struct Side {
    const char* heading;
    const char* empty_note;
    bool has_vectors;
    const Answers* answers;
  } sides[2] = {{w2v_heading, "No vectors yet: train, or wait for the pretrained vectors to load.", active_ >= 0, &answers_},
                {ppmi_heading, "", ppmi_vectors_.size() > 0, &ppmi_answers_}};
  // The count-based column only once there are PPMI vectors (the button below computes them).
  const int columns = ppmi_vectors_.size() > 0 ? 2 : 1;
  size_t near_rows = 1, analogy_rows = 1;
  for (const Side& side : sides) {
    if (&side - sides >= columns) break;
    near_rows = std::max(near_rows, side.answers->neighbours.size());
    analogy_rows = std::max(analogy_rows, side.answers->analogy.size());
  }
  const std::string near_title = "nearest to " + query_;
  const std::string analogy_title = analogy_words_[1] + " − " + analogy_words_[0] + " + " + analogy_words_[2] +
                                    (use_3cosmul_ ? " (3CosMul)" : " (3CosAdd)");
  const float row_h = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
  const float wanted = row_h * float(3 + near_rows + analogy_rows) + Em(0.5f);
  const float room = ImGui::GetContentRegionAvail().y - (ppmi_running_ ? 2 : 1) * ImGui::GetFrameHeightWithSpacing() - Em(0.5f);
  // Columns about as wide as their words and scores: on a wide screen a score stays near its word.
  const ImVec2 outer(std::min(ImGui::GetContentRegionAvail().x, Em(16) * float(columns)),
                     std::max(Em(5), std::min(wanted, room)));
  const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingStretchSame;
  if (ImGui::BeginTable("##w2v_side_by_side", columns, flags, outer)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c < columns; ++c) {
      ImGui::TableNextColumn();
      TextEllipsis(sides[c].heading);
    }
    // A section: its title in each column, then its answers (or the problem, or why there are none).
    auto section = [&](const std::string& title, size_t rows, bool analogy) {
      ImGui::TableNextRow();
      for (int c = 0; c < columns; ++c) {
        const Side& side = sides[c];
        ImGui::TableNextColumn();
        if (!side.has_vectors) continue;
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        TextEllipsis(title.c_str());
        ImGui::PopStyleColor();
      }
      for (size_t r = 0; r < rows; ++r) {
        ImGui::TableNextRow();
        for (int c = 0; c < columns; ++c) {
          const Side& side = sides[c];
          ImGui::TableNextColumn();
          if (!side.has_vectors) {
            if (r == 0 && !analogy) ImGui::TextWrapped("%s", side.empty_note);
            continue;
          }
          const std::vector<w2v::Neighbour>& list = analogy ? side.answers->analogy : side.answers->neighbours;
          const std::string& problem = analogy ? side.answers->analogy_problem : side.answers->query_problem;
          if (r == 0 && !problem.empty()) ExplainProblem(problem);
          else if (r < list.size()) AnswerCell(list[r]);
        }
      }
    };
    section(near_title, near_rows, false);
    section(analogy_title, analogy_rows, true);
    ImGui::EndTable();
  }
  if (ImGui::Button("PPMI+SVD")) start_ppmi();
  HelpMarker("Count-based vectors of the chosen corpus: co-occurrence counts of its 3,000 most frequent words "
             "(the window above), PPMI weighting, then the top 50 singular vectors by a randomized SVD, "
             "U·Σ^½. Computed on a worker thread, or a few milliseconds per frame in the single-thread build, "
             "so the page never freezes; a word outside those 3,000 has no PPMI vector. It also starts by itself when a "
             "training run ends, and its answers then show in a second column.");
  SameLineIfFits(CheckboxWidth("3CosMul"));
  if (ImGui::Checkbox("3CosMul", &use_3cosmul_)) update_queries();
  HelpMarker("Analogies: 3CosAdd takes the word closest to b − a + c. 3CosMul (Levy & Goldberg): maximise "
             "cos(d,b)·cos(d,c) / (cos(d,a) + 0.001) with cosines shifted to [0, 1]. a, b and c are excluded.");
  if (ppmi_running_) {
    const float bar = std::min(Em(12), ImGui::GetContentRegionAvail().x);
    SameLineIfFits(bar);
    const std::string label = std::string(ppmi_stage_name()) + "… " + std::to_string(int(100 * shown_ppmi_progress())) + "%";
    const std::string shown = Ellipsized(label.c_str(), bar - 2 * ImGui::GetStyle().FramePadding.x);
    ImGui::ProgressBar(float(shown_ppmi_progress()), ImVec2(bar, 0), shown.c_str());
  }
  if (!ppmi_problem_.empty()) ExplainProblem(ppmi_problem_);
  ImGui::EndGroup();
  MainFigure("neighbours and analogies");
}

void Word2vecLesson::show_map() {
  const auto& presets = pair_presets();
  NextControlWidth("pairs", 12);
  if (BeginFittedCombo("pairs", presets[size_t(preset_)].name)) {
    for (size_t i = 0; i < presets.size(); ++i)
      if (ImGui::Selectable(presets[i].name, preset_ == int(i))) {
        preset_ = int(i);
        update_map();
      }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The pairs' vectors projected on their top two principal axes. If the model learned the "
                      "relation, the arrows point the same way.");
  const int n = int(map_words_.size());
  if (n < 2) {
    if (!map_missing_.empty()) ImGui::TextWrapped("not in the vocabulary: %s", map_missing_.c_str());
    ImGui::TextWrapped("No pair of this set is in the vocabulary yet.");
    MainFigure("PCA map (empty)");
    return;
  }
  std::vector<double> xs(static_cast<size_t>(n)), ys(static_cast<size_t>(n));
  std::vector<const char*> labels(static_cast<size_t>(n));
  std::vector<int> categories(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    xs[size_t(i)] = map_.x[size_t(i)];
    ys[size_t(i)] = map_.y[size_t(i)];
    labels[size_t(i)] = map_words_[size_t(i)].c_str();
    categories[size_t(i)] = i % 2;
  }
  ScatterPoints points;
  points.xs = xs.data();
  points.ys = ys.data();
  points.count = n;
  points.labels = labels.data();
  points.categories = categories.data();
  PlotOptions options;
  // The pairs missing from the vocabulary are listed under the map, kept in view.
  options.size = FitFigure({1.3f, 1, true, map_missing_.empty() ? 0.0f : 1.5f});
  char title[96];
  std::snprintf(title, sizeof title, "PCA of %d words (%.0f%% + %.0f%% of the variance)", n,
                100 * double(map_.explained[0]), 100 * double(map_.explained[1]));
  options.title = title;
  const ScatterResult r = ScatterPlot("##w2v_map", points, options);
  MainFigure("PCA map");
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 color = accent_color(0.7f);
  const float head = ImGui::GetFontSize() * 0.35f;
  for (int i = 0; i + 1 < n; i += 2) {
    const ImVec2 a = r.transform.to_pixel(xs[size_t(i)], ys[size_t(i)]);
    const ImVec2 b = r.transform.to_pixel(xs[size_t(i + 1)], ys[size_t(i + 1)]);
    const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    if (len < 1) continue;
    draw->AddLine(a, b, color, std::max(1.5f, Em(0.08f)));
    const float ux = dx / len, uy = dy / len;
    draw->AddTriangleFilled(b, ImVec2(b.x - head * (ux - 0.5f * uy), b.y - head * (uy + 0.5f * ux)),
                            ImVec2(b.x - head * (ux + 0.5f * uy), b.y - head * (uy - 0.5f * ux)), color);
  }
  if (!map_missing_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    TextEllipsis(("not in the vocabulary: " + map_missing_).c_str());
    ImGui::PopStyleColor();
  }
}

std::string Word2vecLesson::save_vectors(const std::string& format, const std::string& path) {
  const w2v::WordVectors* v = active_vectors();
  if (!v || v->size() == 0) return "no vectors to save yet";
  std::vector<std::pair<std::string, std::string>> files;  // (name, bytes)
  const std::string stem = path.empty() ? std::string("word2vec-") + kVectorSetKeys[active_] : path;
  if (format == "vec") files.push_back({path.empty() ? stem + ".vec" : path, w2v::write_word2vec_text(*v)});
  else if (format == "bin") files.push_back({path.empty() ? stem + ".bin" : path, w2v::write_word2vec_binary(*v)});
  else if (format == "tsv") {
    files.push_back({stem + "-vectors.tsv", w2v::write_projector_vectors(*v)});
    files.push_back({stem + "-metadata.tsv", w2v::write_projector_metadata(*v)});
  } else {
    return "format is vec, bin or tsv, not '" + format + "'";
  }
  for (const auto& [name, bytes] : files) {
    const std::string error = path.empty() ? save_bytes_with_hook(name, std::vector<uint8_t>(bytes.begin(), bytes.end()))
                                           : w2v::write_file(name, bytes);
    if (!error.empty()) return "could not save " + name + ": " + error;
  }
  file_message_ = "saved " + std::to_string(v->size()) + " vectors as " + files[0].first +
                  (files.size() > 1 ? " and " + files[1].first : std::string());
  return "";
}

void Word2vecLesson::take_uploaded(const std::string& name, std::string_view bytes) {
  const bool binary = name.size() >= 4 && name.compare(name.size() - 4, 4, ".bin") == 0;
  w2v::WordVectors v;
  const std::string error = binary ? w2v::read_word2vec_binary(bytes, v) : w2v::read_word2vec_text(bytes, v);
  if (!error.empty()) {
    file_message_ = "could not load " + name + ": " + error + " — the current vectors are kept";
    return;
  }
  install_vectors(kUploaded, std::move(v));
  uploaded_name_ = name;
  file_message_ = "loaded " + std::to_string(sets_[kUploaded].size()) + " vectors of dimension " +
                  std::to_string(sets_[kUploaded].dim) + " from " + name;
  use_vectors(kUploaded);
}

bool Word2vecLesson::take_corpus_file(const std::string& name, std::string bytes) {
  std::string problem = bytes.size() > kMaxCorpusFileBytes
                            ? "it is " + megabytes(bytes.size()) + ", more than the " + megabytes(kMaxCorpusFileBytes) +
                                  " this lab takes"
                            : text::check_text(bytes);
  if (!problem.empty()) {
    corpus_message_ = "could not use " + name + " as a corpus: " + problem + " — the corpus is still " + corpus_label();
    return false;
  }
  corpus_file_ = std::move(bytes);
  corpus_file_name_ = name;
  ++corpus_file_version_;
  corpus_ = CorpusChoice::File;
  corpus_message_ = "corpus: " + name + " (" + megabytes(corpus_file_.size()) + ")";
  return true;
}

void Word2vecLesson::show_files() {
  ImGui::TextUnformatted("vectors");
  for (int set = 0; set < kVectorSets; ++set) {
    SameLineIfFits(CheckboxWidth(kVectorSetKeys[set]));
    ImGui::BeginDisabled(sets_[set].size() == 0);
    const std::string label = std::string(kVectorSetKeys[set]) + "##set";
    if (ImGui::RadioButton(label.c_str(), active_ == set)) use_vectors(set);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", kVectorSetNames[set]);
  }
  HelpMarker("Which vectors answer the queries and the map. Pretrained: 19,500 words × 100 dimensions, trained "
             "by this lab's CLI on WordNet glosses + the GCIDE dictionary (7.2M words; assets/README.md).");
  if (pretrained_.pending() && opened_) TextDisabledWrapped("pretrained vectors loading…");
  else if (!pretrained_.loaded && opened_)
    ExplainProblem("The pretrained vectors are missing: " + pretrained_.error);
  if (const w2v::WordVectors* v = active_vectors()) {
    char line[64];
    std::snprintf(line, sizeof line, "%d words × %d dimensions", v->size(), v->dim);
    TextDisabledWrapped((line + (active_ == kUploaded ? " from " + uploaded_name_ : std::string())).c_str());
  }

  if (file_hooks_set()) {
    ImGui::BeginDisabled(active_ < 0);
    if (ImGui::Button("Download .vec")) command({"w2v", "save", "vec"});
    SameLineIfFits(ButtonWidth("Download .bin"));
    if (ImGui::Button("Download .bin")) command({"w2v", "save", "bin"});
    SameLineIfFits(ButtonWidth("Download TSV"));
    if (ImGui::Button("Download TSV")) command({"w2v", "save", "tsv"});
    ImGui::EndDisabled();
    HelpMarker(".vec: word2vec text (fastText, gensim). .bin: the original tool's binary format (gensim "
               "binary=True). TSV: vectors.tsv + metadata.tsv for TensorFlow's Embedding Projector.");
    SameLineIfFits(ButtonWidth("Upload .vec/.bin"));
    if (ImGui::Button("Upload .vec/.bin")) command({"w2v", "upload"});
  } else {
    TextDisabledWrapped("save: w2v save vec|bin|tsv PATH   load: w2v load PATH (the shell's command line)");
  }
  if (!file_message_.empty()) ImGui::TextWrapped("%s", file_message_.c_str());
}

// The explanation, the corpus and settings, training and the vector files: the same column
// beside each tab's figure.
void Word2vecLesson::show_controls() {
  ImGui::TextWrapped("word2vec learns a vector per word so that words used in similar contexts get similar vectors. "
                     "Choose a corpus and a model, train, then ask for neighbours and analogies. Until you train, "
                     "the pretrained vectors answer.");
  if (ImGui::CollapsingHeader("Corpus and settings", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::BeginDisabled(running_);
    show_settings();
    ImGui::EndDisabled();
  }
  show_progress();
  show_loss_plot();
  show_files();
}

void Word2vecLesson::ShowLessonWord2vec() {
  if (ImGui::BeginTabBar("##w2v_tabs")) {
    auto flags = [this](Tab t) { return tab_requested_ && tab_ == t ? ImGuiTabItemFlags_SetSelected : 0; };
    if (ImGui::BeginTabItem("Neighbours and analogies", nullptr, flags(Tab::Queries))) {
      if (!tab_requested_) tab_ = Tab::Queries;
      LessonPanes([this] { show_controls(); }, [this] { show_queries(); });
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Map of word pairs", nullptr, flags(Tab::Map))) {
      if (!tab_requested_) tab_ = Tab::Map;
      LessonPanes([this] { show_controls(); }, [this] { show_map(); });
      ImGui::EndTabItem();
    }
    tab_requested_ = false;
    ImGui::EndTabBar();
  }
}

CommandResult Word2vecLesson::command(const std::vector<std::string>& w) {
  if (w.empty() || w[0] != "w2v") return {};
  if (w.size() < 2)
    return {false, "w2v: train | stop | corpus wordnet|genesis|passage|file [PATH]|upload | text WORDS… | set KEY VALUE | nearest WORD | "
                   "analogy A B C [mul] | vectors trained|pretrained|uploaded | ppmi | save vec|bin|tsv [PATH] | load PATH | "
                   "upload | tab queries|map"};
  const std::string& verb = w[1];
  opened_ = true;  // a command counts as opening: assets start loading
  poll_assets();
  if (verb == "train") {
    start_training();
    if (train_when_loaded_) return {true, "training starts when the corpus has loaded"};
    if (reading_corpus()) return {true, "training starts when the corpus has been read"};
    return {problem_.empty(), problem_.empty() ? "training" : problem_};
  }
  if (verb == "stop") {
    pause();
    return {true, "paused"};
  }
  if (verb == "corpus" && w.size() == 3 && w[2] == "upload") {  // through the front end's file picker
    const bool asked = open_file_with_hook(".txt,text/plain", [this](const std::string& name, std::vector<uint8_t> bytes) {
      take_corpus_file(name, std::string(bytes.begin(), bytes.end()));
    });
    return {asked, asked ? "choose a text file" : "usage: w2v corpus file PATH (this front end offers no file picker)"};
  }
  if (verb == "corpus" && w.size() == 4 && w[2] == "file") {
    std::string bytes;
    const std::string error = w2v::read_file(w[3], bytes);
    if (!error.empty()) {
      corpus_message_ = "could not read " + w[3] + ": " + error + " — the corpus is still " + corpus_label();
      return {false, corpus_message_};
    }
    const bool taken = take_corpus_file(w[3], std::move(bytes));
    return {taken, corpus_message_};
  }
  if (verb == "corpus" && w.size() == 3) {
    if (w[2] == "wordnet") corpus_ = CorpusChoice::WordNet;
    else if (w[2] == "genesis") corpus_ = CorpusChoice::Genesis;
    else if (w[2] == "passage") corpus_ = CorpusChoice::Passage;
    else if (w[2] == "file" && !corpus_file_.empty()) corpus_ = CorpusChoice::File;
    else if (w[2] == "file") return {false, "corpus file: no file yet (w2v corpus upload, or w2v corpus file PATH)"};
    else return {false, "corpus: wordnet, genesis, passage, file [PATH] or upload"};
    return {true, std::string("corpus ") + kCorpusNames[int(corpus_)]};
  }
  if (verb == "text" && w.size() >= 3) {
    custom_text_.clear();
    for (size_t i = 2; i < w.size(); ++i) custom_text_ += (i > 2 ? " " : "") + w[i];
    corpus_ = CorpusChoice::Custom;
    return {true, "corpus set to the given text"};
  }
  if (verb == "set" && w.size() == 4) {
    w2v::Config c = config_;
    const std::string& key = w[2];
    const double v = std::atof(w[3].c_str());
    if (key == "arch") c.arch = w[3] == "cbow" ? w2v::Arch::Cbow : w2v::Arch::SkipGram;
    else if (key == "loss") c.loss = w[3] == "hs" ? w2v::Loss::HierarchicalSoftmax : w[3] == "softmax" ? w2v::Loss::Softmax : w2v::Loss::NegativeSampling;
    else if (key == "dim") c.dim = int(v);
    else if (key == "window") c.window = int(v);
    else if (key == "negative") c.negative = int(v);
    else if (key == "epochs") c.epochs = int(v);
    else if (key == "min-count") c.min_count = int(v);
    else if (key == "lr") c.lr = v;
    else if (key == "sample") c.sample = v;
    else if (key == "threads") c.threads = int(v);
    else return {false, "set: arch, loss, dim, window, negative, epochs, min-count, lr, sample or threads"};
    const std::string error = w2v::check_config(c);
    if (!error.empty()) return {false, error};
    config_ = c;
    return {true, key + " = " + w[3]};
  }
  if (verb == "nearest" && w.size() == 3) {
    query_ = w[2];
    update_queries();
    if (active_ < 0) return {false, "no vectors yet: train first"};
    return {answers_.query_problem.empty(), answers_.query_problem};
  }
  if (verb == "analogy" && (w.size() == 5 || w.size() == 6)) {
    for (int i = 0; i < 3; ++i) analogy_words_[i] = w[size_t(2 + i)];
    use_3cosmul_ = w.size() == 6 && w[5] == "mul";
    update_queries();
    if (active_ < 0) return {false, "no vectors yet: train first"};
    return {answers_.analogy_problem.empty(), answers_.analogy_problem};
  }
  if (verb == "vectors" && w.size() == 3) {
    for (int set = 0; set < kVectorSets; ++set) {
      if (w[2] != kVectorSetKeys[set]) continue;
      if (sets_[set].size() == 0)
        return {false, std::string("no ") + kVectorSetKeys[set] + " vectors" +
                           (set == kPretrained && pretrained_.pending() ? " yet (still loading)" : "")};
      use_vectors(set);
      return {true, std::string("vectors: ") + kVectorSetNames[set]};
    }
    return {false, "vectors: trained, pretrained or uploaded"};
  }
  if (verb == "tab" && w.size() == 3 && (w[2] == "queries" || w[2] == "map")) {
    tab_ = w[2] == "map" ? Tab::Map : Tab::Queries;
    tab_requested_ = true;
    return {true, "tab " + w[2]};
  }
  if (verb == "ppmi" && w.size() == 2) {
    start_ppmi();
    return {ppmi_problem_.empty(), ppmi_problem_.empty() ? "computing PPMI+SVD" : ppmi_problem_};
  }
  if (verb == "save" && (w.size() == 3 || w.size() == 4)) {
    if (w.size() == 3 && !file_hooks_set()) return {false, "usage: w2v save vec|bin|tsv PATH (this front end offers no download)"};
    const std::string error = save_vectors(w[2], w.size() == 4 ? w[3] : "");
    return {error.empty(), error.empty() ? file_message_ : error};
  }
  if (verb == "upload" && w.size() == 2) {  // through the front end's file picker
    const bool asked = open_file_with_hook(".vec,.txt,.bin", [this](const std::string& name, std::vector<uint8_t> bytes) {
      take_uploaded(name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    });
    return {asked, asked ? "choose a .vec or .bin file" : "usage: w2v load PATH (this front end offers no file picker)"};
  }
  if (verb == "load" && w.size() == 3) {
    std::string bytes;
    const std::string error = w2v::read_file(w[2], bytes);
    if (!error.empty()) {
      file_message_ = "could not load " + w[2] + ": " + error + " — the current vectors are kept";
      return {false, file_message_};
    }
    take_uploaded(w[2], bytes);
    return {active_ == kUploaded && uploaded_name_ == w[2] && file_message_.rfind("loaded", 0) == 0, file_message_};
  }
  return {false, "w2v: unknown command"};
}

nlohmann::json Word2vecLesson::state() const {
  nlohmann::json s;
  s["corpus"] = kCorpusNames[int(corpus_)];
  s["corpus_file"] = {{"name", corpus_file_name_}, {"bytes", corpus_file_.size()}};
  s["corpus_message"] = corpus_message_;
  s["running"] = running_;
  s["tab"] = tab_ == Tab::Map ? "map" : "queries";
  s["problem"] = problem_;
  s["config"] = {{"arch", w2v::arch_name(config_.arch)}, {"loss", w2v::loss_name(config_.loss)}, {"dim", config_.dim},
                 {"window", config_.window}, {"negative", config_.negative}, {"epochs", config_.epochs},
                 {"min_count", config_.min_count}, {"lr", config_.lr}, {"sample", config_.sample}, {"threads", config_.threads}};
  s["default_corpus"] = opened_ ? wordnet_.status() : "not requested";
  if (!wordnet_.loaded && !wordnet_.pending()) s["default_corpus_problem"] = wordnet_.error;
  s["pretrained"] = {{"status", opened_ ? pretrained_.status() : "not requested"}, {"words", sets_[kPretrained].size()},
                     {"dim", sets_[kPretrained].dim}, {"problem", pretrained_.loaded || pretrained_.pending() ? "" : pretrained_.error}};
  s["vectors"] = {{"set", active_ < 0 ? "none" : kVectorSetKeys[active_]},
                  {"words", active_ < 0 ? 0 : sets_[active_].size()}, {"dim", active_ < 0 ? 0 : sets_[active_].dim},
                  {"uploaded", uploaded_name_}};
  s["file_message"] = file_message_;
  s["train_when_loaded"] = train_when_loaded_;
  s["reading_corpus"] = reading_corpus();
#if defined(__EMSCRIPTEN__)
  s["training_code_warm"] = warmed_up_;
#else
  s["training_code_warm"] = true;  // compiled ahead of time
#endif
  s["ppmi"] = {{"running", ppmi_running_}, {"stage", ppmi_running_ ? ppmi_stage_name() : ppmi_vectors_.size() ? "done" : "none"},
               {"progress", ppmi_running_ ? ppmi_progress() : ppmi_vectors_.size() ? 1.0 : 0.0},
               {"corpus", kCorpusNames[int(ppmi_corpus_)]}, {"words", ppmi_vectors_.size()}, {"dim", ppmi_vectors_.dim},
               {"vocab_cap", kPpmiVocabCap}, {"problem", ppmi_problem_}};
  if (trainer_) {
    const w2v::Progress p = w2v::progress(*trainer_);
    const w2v::Corpus& corpus = w2v::trainer_corpus(*trainer_);
    const w2v::Config& trained = w2v::trainer_config(*trainer_);
    s["trained_corpus"] = kCorpusNames[int(trained_corpus_)];
    s["corpus_tokens"] = corpus.ids.size();  // one epoch's words (before sub-sampling)
    s["threads"] = trained.threads;          // Hogwild workers
    s["worker_threads"] = LATENTLAB_THREADS ? trained.threads : 1;  // OS threads that run them
    s["epochs"] = trained.epochs;
    s["seconds"] = p.seconds;
    // Seconds per epoch: measured on the finished run, else projected from the part done.
    s["epoch_seconds"] = p.fraction > 0 ? p.seconds / (p.fraction * trained.epochs) : 0.0;
    s["vocab"] = corpus.vocab.size();
    s["words_done"] = p.words_done;
    s["words_total"] = p.words_total;
    s["fraction"] = p.fraction;
    s["words_per_second"] = p.words_per_second;
    s["loss"] = p.loss;
    s["eta_seconds"] = p.eta_seconds;
    s["finished"] = p.finished;
  }
  auto list = [](const std::vector<w2v::Neighbour>& ns) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& n : ns) a.push_back({{"word", n.word}, {"score", n.score}});
    return a;
  };
  s["nearest"] = {{"word", query_}, {"neighbours", list(answers_.neighbours)}, {"problem", answers_.query_problem},
                  {"ppmi_neighbours", list(ppmi_answers_.neighbours)}, {"ppmi_problem", ppmi_answers_.query_problem}};
  s["analogy"] = {{"words", {analogy_words_[0], analogy_words_[1], analogy_words_[2]}},
                  {"method", use_3cosmul_ ? "3CosMul" : "3CosAdd"}, {"answers", list(answers_.analogy)},
                  {"problem", answers_.analogy_problem}, {"ppmi_answers", list(ppmi_answers_.analogy)},
                  {"ppmi_problem", ppmi_answers_.analogy_problem}};
  return s;
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_word2vec() { return std::make_unique<Word2vecLesson>(); }

}  // namespace ll::ui
