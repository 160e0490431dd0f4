// [word2vec] Train word2vec live (core/ml/word2vec): skip-gram or CBOW with negative sampling,
// hierarchical softmax or the full softmax, on a built-in corpus or pasted text. Shows the loss
// curve, words/s, progress and ETA while it trains (one thread per worker in threaded builds, time
// slices of the frame otherwise), then nearest neighbours, analogies a : b :: c : ? by 3CosAdd
// and 3CosMul, and a 2-D PCA map of word pairs with arrows (gender, capitals, comparatives).
// The default corpus (WordNet glosses) and pretrained vectors (trained by our CLI on WordNet +
// GCIDE, assets/README.md) are assets fetched when the lesson opens, so neighbours and
// analogies work at once; in 中文 it starts on the Chinese prose and the vectors trained on it. PPMI+SVD vectors of the same corpus answer the same queries side by
// side, computed in time slices. Vectors download and upload in the field's formats.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
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
#include "lessons/fonts.hpp"
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

enum class CorpusChoice { WordNet, Genesis, Passage, ZhProse, Custom, File };
// The corpora's names: in English for commands and state(), from the catalogue on screen.
const char* const kCorpusNames[] = {"WordNet glosses", "Genesis (KJV)", "Travel passage", "Chinese prose",
                                    "Your text", "Your file"};
const char* const kCorpusNameKeys[] = {"w2v.corpus_wordnet", "w2v.corpus_genesis", "w2v.corpus_passage",
                                       "w2v.corpus_zh_prose", "w2v.corpus_custom", "w2v.corpus_file"};
constexpr int kCorpusCount = 6;
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
constexpr const char* kZhProseAsset = "zh-prose.txt";                     // cmake/TextCorpora.cmake
constexpr const char* kPretrainedZhAsset = "word2vec-zh-prose.bin";       // assets/README.md

// The vector sets the queries can use: trained here, pretrained (assets: English, Chinese),
// uploaded by the user.
enum VectorSet { kTrained, kPretrained, kPretrainedZh, kUploaded, kVectorSets };
const char* const kVectorSetNames[] = {"trained here", "pretrained (WordNet + GCIDE)", "pretrained (Chinese prose)",
                                       "uploaded"};
const char* const kVectorSetKeys[] = {"trained", "pretrained", "pretrained-zh", "uploaded"};  // command words
// On screen: the radio buttons' labels and the sets' names (their tooltips, the answers' heading).
const char* const kVectorSetLabelKeys[] = {"w2v.set_trained", "w2v.set_pretrained", "w2v.set_pretrained_zh",
                                           "w2v.set_uploaded"};
const char* const kVectorSetNameKeys[] = {"w2v.set_trained_name", "w2v.set_pretrained_name",
                                          "w2v.set_pretrained_zh_name", "w2v.set_uploaded_name"};

// A message the lesson both shows and returns: English for commands and state() (the
// automation interface stays English), and written in the current language when drawn, so
// that it follows a language switch. Messages of core code (file parsers, checks) stay
// English on screen too, after a lead-in from the catalogue.
struct Notice {
  std::string en;
  std::function<std::string()> ui;  // the text on screen; none: `en`
  bool empty() const { return en.empty(); }
  std::string shown() const { return ui ? ui() : en; }
};
// A message with no arguments: `key` names its text on screen.
Notice fixed_notice(std::string en, const char* key) {
  return {std::move(en), [key] { return std::string(tr(key)); }};
}
// A message of core code ("" stays no message): as it is for commands, after the lead-in
// `key` (a format with one %s) on screen.
Notice core_notice(std::string message, const char* key) {
  if (message.empty()) return {};
  return {message, [key, message] { return trf(key, message.c_str()); }};
}

// A vector file that could not be read: the current vectors stay.
Notice vectors_not_loaded(const std::string& name, const std::string& error) {
  return {"could not load " + name + ": " + error + " — the current vectors are kept",
          [name, error] { return trf("w2v.vectors_not_loaded", name.c_str(), error.c_str()); }};
}

// The glyphs of a vocabulary that has just arrived (a vector file, a corpus): asked for once.
void use_vocabulary_glyphs(const std::vector<std::string>& words) {
  std::string wide;  // the words with characters beyond ASCII
  for (const std::string& w : words)
    if (std::any_of(w.begin(), w.end(), [](char c) { return (unsigned char)c >= 0x80; })) wide += w;
  if (!wide.empty()) use_glyphs(wide);
}

// An asset fetched on first use: once wanted, poll() until it is no longer pending.
struct LazyAsset {
  explicit LazyAsset(const char* asset) : name(asset) {}
  const char* name;
  std::string bytes, error;
  bool loaded = false, asked = false;
  bool wanted = false;  // chosen (or the starting choice): poll() fetches it
  bool pending() const { return !loaded && (!asked || asset_pending(error)); }
  void poll() {
    if (!wanted || !pending()) return;
    asked = true;
    error = load_asset(name, bytes);
    loaded = error.empty();
  }
  // "loaded", "loading", "missing" or "not requested".
  const char* status() const { return !wanted ? "not requested" : loaded ? "loaded" : pending() ? "loading" : "missing"; }
};

// The PPMI+SVD side: a small vocabulary so the page stays quick (the matrix is cap² floats).
constexpr int kPpmiVocabCap = 3000;
constexpr int kPpmiDim = 50;

struct PairPreset {
  const char* key;
  const char* name;  // a catalogue key
  std::vector<std::pair<const char*, const char*>> pairs;
};
const std::vector<PairPreset>& pair_presets() {
  static const std::vector<PairPreset> presets = {
      {"gender", "w2v.pairs_gender",
       {{"man", "woman"}, {"king", "queen"}, {"he", "she"}, {"father", "mother"}, {"son", "daughter"},
        {"brother", "sister"}, {"husband", "wife"}, {"boy", "girl"}, {"lord", "lady"}, {"sons", "daughters"}}},
      {"capitals", "w2v.pairs_capitals",
       {{"egypt", "cairo"}, {"france", "paris"}, {"italy", "rome"}, {"greece", "athens"}, {"japan", "tokyo"},
        {"china", "beijing"}, {"russia", "moscow"}, {"spain", "madrid"}, {"england", "london"},
        {"germany", "berlin"}, {"assyria", "nineveh"}, {"canaan", "hebron"}}},
      {"comparatives", "w2v.pairs_comparatives",
       {{"good", "better"}, {"great", "greater"}, {"old", "older"}, {"young", "younger"}, {"big", "bigger"},
        {"small", "smaller"}, {"strong", "stronger"}, {"long", "longer"}, {"high", "higher"}, {"little", "less"}}},
      // The course's slides in Chinese. The Chinese prose is technical and classical: of its
      // country–capital pairs only 中国–北京 is there, of its gender pairs 他–她, 父–母, 夫–妻;
      // the map lists the others as missing.
      {"zh-course", "w2v.pairs_zh_course",
       {{"中国", "北京"}, {"日本", "东京"}, {"俄罗斯", "莫斯科"}, {"美国", "华盛顿"}, {"男人", "女人"},
        {"国王", "王后"}, {"他", "她"}, {"父", "母"}, {"夫", "妻"}, {"他们", "她们"}}},
      {"zh-opposites", "w2v.pairs_zh_opposites",
       {{"大", "小"}, {"上", "下"}, {"新", "旧"}, {"多", "少"}, {"君子", "小人"}, {"君", "臣"}, {"打开", "关闭"},
        {"输入", "输出"}, {"安装", "卸载"}, {"上传", "下载"}, {"开始", "结束"}, {"文件", "目录"}}},
      {"zh-names", "w2v.pairs_zh_names",
       {{"文件", "文件名"}, {"目录", "目录名"}, {"用户", "用户名"}, {"主机", "主机名"}, {"组", "组名"},
        {"路径", "路径名"}, {"变量", "变量名"}, {"域", "域名"}}},
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
    start_in_language();
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
  // Until the lesson is opened (or commanded), it follows the interface's language.
  void language_changed() override {
    if (!opened_) start_in_language();
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
  // The example the lesson starts on: in 中文 the Chinese prose, the vectors trained on it
  // and queries they answer (目录's neighbours; 文件 : 文件名 :: 用户 : 用户名).
  void start_in_language() {
    const bool chinese = interface_is_chinese();
    corpus_ = chinese ? CorpusChoice::ZhProse : CorpusChoice::WordNet;
    start_set_ = chinese ? kPretrainedZh : kPretrained;
    query_ = chinese ? "目录" : "king";
    const char* const analogy[2][3] = {{"man", "king", "woman"}, {"文件", "文件名", "用户"}};
    for (int i = 0; i < 3; ++i) analogy_words_[i] = analogy[chinese][i];
    preset_ = chinese ? preset_index("zh-course") : 0;
    if (chinese) use_glyphs(query_ + analogy_words_[0] + analogy_words_[1] + analogy_words_[2]);
  }
  static int preset_index(std::string_view key) {
    const auto& presets = pair_presets();
    for (size_t i = 0; i < presets.size(); ++i)
      if (key == presets[i].key) return int(i);
    return -1;
  }
  // The asset a built-in corpus comes from (nullptr: built in or the user's).
  LazyAsset* corpus_asset(CorpusChoice choice) {
    return choice == CorpusChoice::WordNet ? &wordnet_ : choice == CorpusChoice::ZhProse ? &zh_prose_ : nullptr;
  }
  const LazyAsset* corpus_asset(CorpusChoice choice) const {
    return choice == CorpusChoice::WordNet ? &wordnet_ : choice == CorpusChoice::ZhProse ? &zh_prose_ : nullptr;
  }
  // The asset a pretrained vector set comes from (nullptr: the others).
  LazyAsset* set_asset(int set) {
    return set == kPretrained ? &pretrained_ : set == kPretrainedZh ? &pretrained_zh_ : nullptr;
  }
  std::string_view corpus_text() const {
    if (corpus_ == CorpusChoice::WordNet) return wordnet_.bytes;
    if (corpus_ == CorpusChoice::ZhProse) return zh_prose_.bytes;
    if (corpus_ == CorpusChoice::Genesis) return genesis_corpus();
    if (corpus_ == CorpusChoice::Passage) return kTravelPassage;
    if (corpus_ == CorpusChoice::File) return corpus_file_;
    return custom_text_;
  }
  // The chosen corpus as the user knows it: its name, or the uploaded file's.
  std::string corpus_label() const {
    return corpus_ == CorpusChoice::File ? corpus_file_name_ : kCorpusNames[int(corpus_)];
  }
  // The same on screen, in the current language: a function for a Notice, made when drawn.
  std::function<std::string()> corpus_label_shown() const {
    const CorpusChoice choice = corpus_;
    const std::string file = corpus_file_name_;
    return [choice, file] {
      return choice == CorpusChoice::File ? file : std::string(tr(kCorpusNameKeys[int(choice)]));
    };
  }
  // None when the chosen corpus can be used now, else why not (still loading, missing asset).
  Notice corpus_unavailable() const {
    if (corpus_ == CorpusChoice::WordNet && !wordnet_.loaded) {
      if (wordnet_.pending()) return fixed_notice("the WordNet glosses corpus is still loading", "w2v.wordnet_loading");
      const std::string error = wordnet_.error;
      return {"the WordNet glosses corpus is missing (" + error +
                  "); choose another corpus or rebuild with the Debian package wordnet-base",
              [error] { return trf("w2v.wordnet_missing", error.c_str()); }};
    }
    // A build without the Chinese packages writes the file empty.
    if (corpus_ == CorpusChoice::ZhProse && (!zh_prose_.loaded || zh_prose_.bytes.empty())) {
      if (zh_prose_.pending()) return fixed_notice("the Chinese prose corpus is still loading", "w2v.zh_prose_loading");
      const std::string error = zh_prose_.loaded ? "the build left it empty" : zh_prose_.error;
      return {"the Chinese prose corpus is missing (" + error +
                  "); choose another corpus or rebuild with the Debian packages fortunes-zh, manpages-zh, "
                  "debian-reference-zh-cn and python3-jieba",
              [error] { return trf("w2v.zh_prose_missing", error.c_str()); }};
    }
    if (corpus_ == CorpusChoice::Genesis && genesis_corpus().empty())
      return fixed_notice("this build has no Genesis text (bible-kjv-text was missing at build time)", "w2v.no_genesis");
    if (corpus_ == CorpusChoice::File && corpus_file_.empty())
      return file_hooks_set() ? fixed_notice("no corpus file yet: upload a text file", "w2v.no_corpus_file_upload")
                              : fixed_notice("no corpus file yet: w2v corpus file PATH", "w2v.no_corpus_file_path");
    return {};
  }
  // Starts fetching the lesson's assets (once it is open) and takes them when they arrive.
  // Only the chosen corpus and vectors are fetched (and the starting ones).
  void poll_assets() {
    if (LazyAsset* corpus = corpus_asset(corpus_)) corpus->wanted = true;
    set_asset(start_set_)->wanted = true;
    wordnet_.poll();
    zh_prose_.poll();
#if LATENTLAB_THREADS
    if (wordnet_.loaded && !prebuild_started_) prebuild_default_corpus();
#endif
    const LazyAsset* corpus = corpus_asset(corpus_);
    if (train_when_loaded_ && !(corpus && corpus->pending())) {
      train_when_loaded_ = false;
      if (!corpus || corpus->loaded) start_training();
      else problem_ = corpus_unavailable();  // it failed to arrive: say why
    }
    take_pretrained(kPretrained);
    take_pretrained(kPretrainedZh);
  }
  // A pretrained set's file, once it has arrived: read, and used if nothing else answers yet
  // or it was asked for.
  void take_pretrained(int set) {
    LazyAsset& asset = *set_asset(set);
    if (!asset.wanted || !asset.pending()) return;
    asset.poll();
    if (!asset.loaded) return;
    w2v::WordVectors v;
    asset.error = w2v::read_word2vec_binary(asset.bytes, v);
    asset.loaded = asset.error.empty();
    asset.bytes.clear();
    asset.bytes.shrink_to_fit();
    if (!asset.loaded) return;
    use_vocabulary_glyphs(v.words);
    install_vectors(set, std::move(v));
    if (active_ < 0 || requested_set_ == set) {
      requested_set_ = -1;
      use_vectors(set);
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
      problem_ = core_notice(w2v::build_corpus(corpus_text(), config_.min_count, read, {cjk_}), "w2v.corpus_problem");
      if (!problem_.empty()) return false;
      corpus = std::make_shared<const w2v::Corpus>(std::move(read));
    }
    return install_trainer(std::move(corpus), config_, corpus_, cjk_);
  }
  // Stops the run in progress; false (and problem_ set) when the settings or the corpus
  // choice cannot train.
  bool check_before_training() {
    stop_worker();
    problem_ = core_notice(w2v::check_config(config_), "w2v.settings_problem");
    if (problem_.empty()) problem_ = corpus_unavailable();
    return problem_.empty();
  }
  bool install_trainer(w2v::CorpusPtr corpus, const w2v::Config& config, CorpusChoice choice, text::CjkTokens cjk) {
    // A new run replaces the old vectors only once it exists: bad input keeps the old model.
    std::string error;
    w2v::TrainerPtr fresh = w2v::make_trainer(std::move(corpus), config, error);
    problem_ = core_notice(error, "w2v.cannot_train");
    if (!fresh) return false;
    trainer_ = std::move(fresh);
    use_vocabulary_glyphs(w2v::trainer_corpus(*trainer_).vocab.words);  // its words answer the queries
    trained_corpus_ = choice;
    trained_cjk_ = cjk;
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
    if (trainer_ && trained_corpus_ == corpus_ && trained_cjk_ == cjk_ && corpus_ != CorpusChoice::Custom &&
        corpus_ != CorpusChoice::File && w2v::trainer_config(*trainer_).min_count == config_.min_count)
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
    if (const LazyAsset* asset = corpus_asset(corpus_); asset && asset->pending()) {
      train_when_loaded_ = true;  // poll_assets starts it when the text arrives
      poll_assets();
      return;
    }
#if LATENTLAB_THREADS
    if (corpus_read_) {  // a large text is still being read: a run starts when it is done
      CorpusRead& r = *corpus_read_;
      r.train_when_done = true;
      // A read cannot be interrupted: one of another text is followed by a read of this one.
      r.read_again = r.choice != corpus_ || r.file_version != corpus_file_version_ || r.min_count != config_.min_count ||
                     r.cjk != cjk_;
      r.config = config_;
      return;
    }
    if (corpus_text().size() > kBackgroundReadBytes) {
      if (!check_before_training()) return;
      w2v::CorpusPtr built = built_corpus();
      if (!built) return start_corpus_read();
      if (install_trainer(std::move(built), config_, corpus_, cjk_)) resume();
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
    r.cjk = cjk_;
    r.worker = std::thread([&r] {
      r.error = w2v::build_corpus(r.text, r.min_count, r.corpus, {r.cjk});
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
    problem_ = core_notice(r->error, "w2v.corpus_problem");
    if (problem_.empty() &&
        install_trainer(std::make_shared<const w2v::Corpus>(std::move(r->corpus)), r->config, r->choice, r->cjk))
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
    w2v::CorpusPtr corpus = built_corpus();
    if (!corpus) {
      w2v::Corpus read;
      ppmi_problem_ = core_notice(w2v::build_corpus(corpus_text(), config_.min_count, read, {cjk_}), "w2v.ppmi_problem");
      if (!ppmi_problem_.empty()) return;
      corpus = std::make_shared<const w2v::Corpus>(std::move(read));
    }
    ppmi_problem_ = core_notice(text::start_ppmi_svd(std::move(corpus), c, job), "w2v.ppmi_problem");
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
  text::PpmiSvdStage ppmi_stage() const {
#if LATENTLAB_THREADS
    return text::PpmiSvdStage(ppmi_stage_.load());
#else
    return ppmi_job_.stage;
#endif
  }
  const char* ppmi_stage_name() const { return text::ppmi_svd_stage_name(ppmi_stage()); }  // state()
  // The stage on screen.
  const char* ppmi_stage_label() const {
    switch (ppmi_stage()) {
      case text::PpmiSvdStage::Count: return tr("w2v.ppmi_stage_count");
      case text::PpmiSvdStage::Weight: return tr("w2v.ppmi_stage_weight");
      case text::PpmiSvdStage::Range: return tr("w2v.ppmi_stage_range");
      case text::PpmiSvdStage::Project: return tr("w2v.ppmi_stage_project");
      case text::PpmiSvdStage::Done: break;
    }
    return tr("w2v.ppmi_stage_done");
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
    use_vocabulary_glyphs(ppmi_vectors_.words);  // read from the text when no training run had read it
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
      problem_ = fixed_notice("training diverged (the loss became NaN); the last good vectors are kept: lower the "
                              "learning rate and train again",
                              "w2v.diverged_loss");
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
          problem_ = fixed_notice("training diverged (a vector is no longer finite); the last good vectors are "
                                  "kept: lower the learning rate and train again",
                                  "w2v.diverged_vector");
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
    std::string query_problem, analogy_problem;  // for commands and state()
    std::string query_missing, analogy_missing;  // the word not in the vocabulary, for the screen
  };
  Answers ask(const w2v::UnitVectors& u) const {
    Answers a;
    if (u.size() == 0) return a;
    auto missing = [&u](const std::string& word) {
      const int id = u.source->find(word);
      return id < 0 || id >= u.size() ? word : std::string();
    };
    if (!query_.empty()) {
      a.neighbours = w2v::nearest_words(u, query_, 10, a.query_problem);
      if (!a.query_problem.empty()) a.query_missing = missing(query_);
    }
    if (!analogy_words_[0].empty() && !analogy_words_[1].empty() && !analogy_words_[2].empty()) {
      a.analogy = w2v::analogy(u, analogy_words_[0], analogy_words_[1], analogy_words_[2], 5,
                               use_3cosmul_ ? w2v::AnalogyMethod::Mul : w2v::AnalogyMethod::Add, a.analogy_problem);
      for (int i = 0; i < 3 && !a.analogy_problem.empty() && a.analogy_missing.empty(); ++i)
        a.analogy_missing = missing(analogy_words_[i]);
    }
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
    if (!map_missing_.empty()) use_glyphs(map_missing_);  // not in the vocabulary: no glyphs asked yet
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
  LazyAsset zh_prose_{kZhProseAsset};
  LazyAsset pretrained_zh_{kPretrainedZhAsset};
  int start_set_ = kPretrained;  // the pretrained set fetched when the lesson opens
  int requested_set_ = -1;       // a set asked for before its file arrived: used when it does
  bool train_when_loaded_ = false;
  bool ppmi_after_training_ = false;  // start PPMI+SVD of the trained corpus when the run ends
  w2v::WordVectors sets_[kVectorSets];
  w2v::UnitVectors units_[kVectorSets];
  int active_ = -1;  // a VectorSet, -1 before any is there
  std::string uploaded_name_;
  Notice file_message_;
  std::string corpus_file_, corpus_file_name_;  // the uploaded corpus and its file name
  int corpus_file_version_ = 0;                 // counts the files taken
  Notice corpus_message_;                       // what became of the last corpus file
  CorpusChoice trained_corpus_ = CorpusChoice::WordNet;
  text::CjkTokens trained_cjk_ = text::CjkTokens::Auto;
  text::PpmiSvdJob ppmi_job_;
  bool ppmi_running_ = false;
  double ppmi_shown_ = 0, ppmi_shown_at_ = 0;  // shown_ppmi_progress's sample
#if LATENTLAB_THREADS
  std::thread ppmi_worker_;
  std::atomic<bool> ppmi_cancel_{false}, ppmi_done_{false};
  std::atomic<double> ppmi_progress_{0};
  std::atomic<int> ppmi_stage_{0};
#endif
  Notice ppmi_problem_;
  CorpusChoice ppmi_corpus_ = CorpusChoice::WordNet;
  w2v::WordVectors ppmi_vectors_;
  w2v::UnitVectors ppmi_unit_;

  w2v::Config config_;
  CorpusChoice corpus_ = CorpusChoice::WordNet;
  text::CjkTokens cjk_ = text::CjkTokens::Auto;  // how Chinese becomes words (字 or 词)
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
    text::CjkTokens cjk = text::CjkTokens::Auto;  // set before the worker starts, then constant
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
  Notice problem_;
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
  const char* corpus_names[kCorpusCount];
  for (int i = 0; i < kCorpusCount; ++i) corpus_names[i] = tr(kCorpusNameKeys[i]);
  NextControlWidth(trl("w2v.corpus"), 10);
  if (FittedCombo(trl("w2v.corpus"), &corpus, corpus_names, kCorpusCount)) corpus_ = CorpusChoice(corpus);
  HelpMarker(tr("w2v.help_corpus"));
  const LazyAsset* asset = corpus_asset(corpus_);
  if (asset && (asset->loaded || asset->pending())) {
    char mb[32];
    std::snprintf(mb, sizeof mb, "%.1f MB", asset->bytes.size() / 1e6);
    const char* size = asset->loaded ? mb : tr("w2v.loading");
    SameLineIfFits(TextWidth(size));
    ImGui::TextDisabled("%s", size);
  }
  const Notice unavailable = corpus_unavailable();
  if (!unavailable.empty() && !(asset && asset->pending())) ExplainProblem(unavailable.shown());
  CjkTokensCombo(cjk_);  // the next Train reads the text this way
  if (corpus_ == CorpusChoice::Custom) TextBox("##w2v_text", custom_text_, 5);
  if (corpus_ == CorpusChoice::File) {
    if (!corpus_file_.empty())
      TextDisabledWrapped((corpus_file_name_ + ", " + megabytes(corpus_file_.size())).c_str());
    if (file_hooks_set()) {
      if (ImGui::Button(trl("w2v.upload_corpus"))) command({"w2v", "corpus", "upload"});
      HelpMarker(tr("w2v.help_upload_corpus"));
    }
  }
  if (!corpus_message_.empty()) ImGui::TextWrapped("%s", corpus_message_.shown().c_str());

  const float w = 7;  // preferred slider width, in font heights
  int arch = int(config_.arch), loss = int(config_.loss);
  NextControlWidth(trl("w2v.model"), w);
  FittedCombo(trl("w2v.model"), &arch, "skip-gram\0CBOW\0");  // the methods' names
  HelpMarker(tr("w2v.help_model"));
  const char* losses[] = {tr("w2v.loss_negative_sampling"), tr("w2v.loss_hierarchical_softmax"),
                          tr("w2v.loss_full_softmax")};
  NextControlWidth(trl("w2v.loss"), w * 1.6f, true);
  FittedCombo(trl("w2v.loss"), &loss, losses, 3);
  HelpMarker(tr("w2v.help_loss"));
  config_.arch = w2v::Arch(arch);
  config_.loss = w2v::Loss(loss);
  NextControlWidth(trl("w2v.dim"), w);
  ImGui::SliderInt(trl("w2v.dim"), &config_.dim, 2, 300);
  NextControlWidth(trl("w2v.window"), w, true);
  ImGui::SliderInt(trl("w2v.window"), &config_.window, 1, 10);
  HelpMarker(tr("w2v.help_window"));
  NextControlWidth(trl("w2v.negatives"), w, true);
  ImGui::SliderInt(trl("w2v.negatives"), &config_.negative, 1, 20);
  NextControlWidth(trl("w2v.epochs"), w);
  ImGui::SliderInt(trl("w2v.epochs"), &config_.epochs, 1, 50);
  NextControlWidth(trl("w2v.min_count"), w, true);
  ImGui::SliderInt(trl("w2v.min_count"), &config_.min_count, 1, 50);
  HelpMarker(tr("w2v.help_min_count"));
  float lr = float(config_.lr), sample = float(config_.sample);
  NextControlWidth(trl("w2v.learning_rate"), w, true);
  if (ImGui::SliderFloat(trl("w2v.learning_rate"), &lr, 0.001f, 0.5f, "%.3f", ImGuiSliderFlags_Logarithmic)) config_.lr = lr;
  HelpMarker(tr("w2v.help_learning_rate"));
  NextControlWidth(trl("w2v.sub_sample"), w);
  if (ImGui::SliderFloat(trl("w2v.sub_sample"), &sample, 0.0f, 0.01f, "%.0e", ImGuiSliderFlags_Logarithmic))
    config_.sample = sample;
  HelpMarker(tr("w2v.help_sub_sample"));
#if LATENTLAB_THREADS
  NextControlWidth(trl("w2v.threads"), w, true);
  ImGui::SliderInt(trl("w2v.threads"), &config_.threads, 1, 4);
  HelpMarker(tr("w2v.help_threads"));
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
  if (ImGui::Button(trl("w2v.train"))) start_training();
  const char* pause_label = running_ ? trl("w2v.pause") : trl("w2v.resume");
  SameLineIfFits(ButtonWidth(pause_label));
  if (ImGui::Button(pause_label)) set_running(!running_);
  SameLineIfFits(ButtonWidth(trl("w2v.step")));
  if (ImGui::Button(trl("w2v.step"))) step_once();
  if (!problem_.empty()) ExplainProblem(problem_.shown());
  if (train_when_loaded_) ImGui::TextWrapped("%s", tr("w2v.train_when_loaded"));
  if (reading_corpus()) ImGui::TextWrapped("%s", tr("w2v.reading_corpus"));
  // The bar, the figures and the curve keep their places before the first run, so that
  // pressing Train changes only them: nothing below moves, and the page redraws only them.
  std::string overlay = tr("w2v.not_trained");
  w2v::Progress p;
  if (trainer_) {
    p = running_ ? shown_progress_ : w2v::progress(*trainer_);
    overlay = trf("w2v.words_progress", p.words_done / 1e6, p.words_total / 1e6);
  }
  const std::string shown =
      Ellipsized(overlay.c_str(), ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().FramePadding.x);
  ImGui::ProgressBar(float(p.fraction), ImVec2(-1, 0), shown.c_str());
  if (trainer_) {
    const w2v::Corpus& corpus = w2v::trainer_corpus(*trainer_);
    ImGui::TextWrapped("%s", trf("w2v.vocabulary_line", corpus.vocab.size(), corpus.ids.size()).c_str());
    const double kwords = p.words_per_second / 1000;
    const std::string time = duration_text(p.finished ? p.seconds : p.eta_seconds);
    const std::string line = p.finished ? trf("w2v.speed_line_done", kwords, p.loss, double(p.lr), time.c_str())
                                        : trf("w2v.speed_line_eta", kwords, p.loss, double(p.lr), time.c_str());
    ImGui::TextWrapped("%s", line.c_str());
  } else {
    TextDisabledWrapped(tr("w2v.progress_placeholder"));
  }
  HelpMarker(tr("w2v.help_loss_figure"));
}

void Word2vecLesson::show_loss_plot() {
  PlotOptions options;
  options.size = FitFigure({1.6f, 1, false});
  options.title = tr("w2v.loss_plot_title");
  options.x_label = tr("w2v.loss_plot_x");
  LineSeries series;
  series.ys = loss_history_.data();
  series.count = int(loss_history_.size());
  series.label = tr("w2v.loss_series");
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
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("w2v.cosine_tooltip", n.word.c_str(), score).c_str());
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
  if (WordField(trl("w2v.nearest_to"), query_, ControlWidth(trl("w2v.nearest_to"), 10, 3))) update_queries();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("w2v.tooltip_nearest"));
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

  const std::string ppmi_heading =
      ppmi_vectors_.size() > 0
          ? trf("w2v.ppmi_heading", tr(kCorpusNameKeys[int(ppmi_corpus_)]), ppmi_vectors_.size(), ppmi_vectors_.dim)
          : std::string(tr("w2v.ppmi_heading_empty"));
  const std::string w2v_heading =
      trf("w2v.w2v_heading", active_ < 0 ? tr("w2v.no_vectors") : tr(kVectorSetNameKeys[active_]));

  // The answers side by side: word2vec's and the count-based vectors', row by row. On a short
  // screen the table keeps its place and scrolls inside, with the PPMI button in view below.
  struct Side {
    const char* heading;
    const char* empty_note;
    bool has_vectors;
    const Answers* answers;
  } sides[2] = {{w2v_heading.c_str(), tr("w2v.no_vectors_note"), active_ >= 0, &answers_},
                {ppmi_heading.c_str(), "", ppmi_vectors_.size() > 0, &ppmi_answers_}};
  // The count-based column only once there are PPMI vectors (the button below computes them).
  const int columns = ppmi_vectors_.size() > 0 ? 2 : 1;
  size_t near_rows = 1, analogy_rows = 1;
  for (const Side& side : sides) {
    if (&side - sides >= columns) break;
    near_rows = std::max(near_rows, side.answers->neighbours.size());
    analogy_rows = std::max(analogy_rows, side.answers->analogy.size());
  }
  const std::string near_title = trf("w2v.nearest_title", query_.c_str());
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
          const std::string& missing = analogy ? side.answers->analogy_missing : side.answers->query_missing;
          if (r == 0 && !problem.empty())
            ExplainProblem(missing.empty() ? problem : trf("w2v.not_in_vocabulary_word", missing.c_str()));
          else if (r < list.size()) AnswerCell(list[r]);
        }
      }
    };
    section(near_title, near_rows, false);
    section(analogy_title, analogy_rows, true);
    ImGui::EndTable();
  }
  if (ImGui::Button("PPMI+SVD")) start_ppmi();
  HelpMarker(tr("w2v.help_ppmi"));
  SameLineIfFits(CheckboxWidth("3CosMul"));
  if (ImGui::Checkbox("3CosMul", &use_3cosmul_)) update_queries();  // the method's name
  HelpMarker(tr("w2v.help_analogy"));
  if (ppmi_running_) {
    const float bar = std::min(Em(12), ImGui::GetContentRegionAvail().x);
    SameLineIfFits(bar);
    const std::string label = std::string(ppmi_stage_label()) + "… " + std::to_string(int(100 * shown_ppmi_progress())) + "%";
    const std::string shown = Ellipsized(label.c_str(), bar - 2 * ImGui::GetStyle().FramePadding.x);
    ImGui::ProgressBar(float(shown_ppmi_progress()), ImVec2(bar, 0), shown.c_str());
  }
  if (!ppmi_problem_.empty()) ExplainProblem(ppmi_problem_.shown());
  ImGui::EndGroup();
  MainFigure("neighbours and analogies");
}

void Word2vecLesson::show_map() {
  const auto& presets = pair_presets();
  NextControlWidth(trl("w2v.pairs"), 12);
  if (BeginFittedCombo(trl("w2v.pairs"), tr(presets[size_t(preset_)].name))) {
    for (size_t i = 0; i < presets.size(); ++i)
      if (ImGui::Selectable(trl(presets[i].name), preset_ == int(i))) {
        preset_ = int(i);
        update_map();
      }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", tr("w2v.tooltip_pairs"));
  const int n = int(map_words_.size());
  if (n < 2) {
    if (!map_missing_.empty()) ImGui::TextWrapped("%s", trf("w2v.not_in_vocabulary", map_missing_.c_str()).c_str());
    ImGui::TextWrapped("%s", tr("w2v.no_pairs"));
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
  const std::string title =
      trf("w2v.map_title", n, 100 * double(map_.explained[0]), 100 * double(map_.explained[1]));
  options.title = title.c_str();
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
    TextEllipsis(trf("w2v.not_in_vocabulary", map_missing_.c_str()).c_str());
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
  const int count = v->size();
  const std::string first = files[0].first, second = files.size() > 1 ? files[1].first : "";
  file_message_ = {"saved " + std::to_string(count) + " vectors as " + first + (second.empty() ? "" : " and " + second),
                   [count, first, second] {
                     return second.empty() ? trf("w2v.saved_one", count, first.c_str())
                                           : trf("w2v.saved_two", count, first.c_str(), second.c_str());
                   }};
  return "";
}

void Word2vecLesson::take_uploaded(const std::string& name, std::string_view bytes) {
  const bool binary = name.size() >= 4 && name.compare(name.size() - 4, 4, ".bin") == 0;
  w2v::WordVectors v;
  const std::string error = binary ? w2v::read_word2vec_binary(bytes, v) : w2v::read_word2vec_text(bytes, v);
  use_glyphs(name);
  if (!error.empty()) {
    file_message_ = vectors_not_loaded(name, error);
    return;
  }
  use_vocabulary_glyphs(v.words);
  install_vectors(kUploaded, std::move(v));
  uploaded_name_ = name;
  const int count = sets_[kUploaded].size(), dim = sets_[kUploaded].dim;
  file_message_ = {"loaded " + std::to_string(count) + " vectors of dimension " + std::to_string(dim) + " from " + name,
                   [count, dim, name] { return trf("w2v.loaded_vectors", count, dim, name.c_str()); }};
  use_vectors(kUploaded);
}

bool Word2vecLesson::take_corpus_file(const std::string& name, std::string bytes) {
  use_glyphs(name);
  const bool too_large = bytes.size() > kMaxCorpusFileBytes;
  const std::string size = megabytes(bytes.size()), limit = megabytes(kMaxCorpusFileBytes);
  // A few invalid UTF-8 sequences (a stray Windows-1252 quote) are skipped, and said; a
  // GB18030/GBK file is converted, and said; a file mostly not UTF-8 otherwise, or binary, is refused.
  const text::TextReport report = too_large ? text::TextReport{} : text::decode_text(bytes);
  const std::string problem = too_large ? "it is " + size + ", more than the " + limit + " this lab takes" : report.problem;
  if (!problem.empty()) {
    const auto label = corpus_label_shown();
    corpus_message_ = {"could not use " + name + " as a corpus: " + problem + " — the corpus is still " + corpus_label(),
                       [=] {
                         const std::string why =
                             too_large ? trf("w2v.corpus_too_large", size.c_str(), limit.c_str()) : problem;
                         return trf("w2v.corpus_file_refused", name.c_str(), why.c_str(), label().c_str());
                       }};
    return false;
  }
  corpus_file_ = std::move(bytes);
  corpus_file_name_ = name;
  ++corpus_file_version_;
  corpus_ = CorpusChoice::File;
  const std::string taken = megabytes(corpus_file_.size());
  const std::string skipped = report.warning();
  if (skipped.empty())
    corpus_message_ = {"corpus: " + name + " (" + taken + ")",
                       [name, taken] { return trf("w2v.corpus_file_taken", name.c_str(), taken.c_str()); }};
  else
    corpus_message_ = {"corpus: " + name + " (" + taken + "); " + skipped, [name, taken, skipped] {
                         return trf("w2v.corpus_file_taken_skipping", name.c_str(), taken.c_str(), skipped.c_str());
                       }};
  return true;
}

void Word2vecLesson::show_files() {
  ImGui::TextUnformatted(tr("w2v.vectors"));
  for (int set = 0; set < kVectorSets; ++set) {
    const char* label = trl(kVectorSetLabelKeys[set]);
    SameLineIfFits(CheckboxWidth(label));
    // A pretrained set is fetched when chosen, so its button works before its file is here.
    const LazyAsset* asset = set_asset(set);
    ImGui::BeginDisabled(sets_[set].size() == 0 && !(asset && asset->pending()));
    if (ImGui::RadioButton(label, active_ == set || requested_set_ == set)) command({"w2v", "vectors", kVectorSetKeys[set]});
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(kVectorSetNameKeys[set]));
  }
  HelpMarker(tr("w2v.help_vectors"));
  for (const LazyAsset* asset : {&pretrained_, &pretrained_zh_}) {
    if (!asset->wanted || asset->loaded) continue;
    if (asset->pending()) TextDisabledWrapped(tr("w2v.pretrained_loading"));
    else ExplainProblem(trf("w2v.pretrained_missing", asset->error.c_str()));
  }
  if (const w2v::WordVectors* v = active_vectors()) {
    const std::string line = active_ == kUploaded
                                 ? trf("w2v.vectors_size_from", v->size(), v->dim, uploaded_name_.c_str())
                                 : trf("w2v.vectors_size", v->size(), v->dim);
    TextDisabledWrapped(line.c_str());
  }

  if (file_hooks_set()) {
    ImGui::BeginDisabled(active_ < 0);
    if (ImGui::Button(trl("w2v.download_vec"))) command({"w2v", "save", "vec"});
    SameLineIfFits(ButtonWidth(trl("w2v.download_bin")));
    if (ImGui::Button(trl("w2v.download_bin"))) command({"w2v", "save", "bin"});
    SameLineIfFits(ButtonWidth(trl("w2v.download_tsv")));
    if (ImGui::Button(trl("w2v.download_tsv"))) command({"w2v", "save", "tsv"});
    ImGui::EndDisabled();
    HelpMarker(tr("w2v.help_formats"));
    SameLineIfFits(ButtonWidth(trl("w2v.upload_vectors")));
    if (ImGui::Button(trl("w2v.upload_vectors"))) command({"w2v", "upload"});
  } else {
    TextDisabledWrapped(tr("w2v.files_by_command"));
  }
  if (!file_message_.empty()) ImGui::TextWrapped("%s", file_message_.shown().c_str());
}

// The explanation, the corpus and settings, training and the vector files: the same column
// beside each tab's figure.
void Word2vecLesson::show_controls() {
  ImGui::TextWrapped("%s", tr("w2v.intro"));
  if (ImGui::CollapsingHeader(trl("w2v.corpus_and_settings"), ImGuiTreeNodeFlags_DefaultOpen)) {
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
    if (ImGui::BeginTabItem(trl("w2v.tab_queries"), nullptr, flags(Tab::Queries))) {
      if (!tab_requested_) tab_ = Tab::Queries;
      LessonPanes([this] { show_controls(); }, [this] { show_queries(); });
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(trl("w2v.tab_map"), nullptr, flags(Tab::Map))) {
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
    return {false, "w2v: train | stop | corpus wordnet|genesis|passage|zh-prose|file [PATH]|upload | tokens auto|char|space | "
                   "text WORDS… | set KEY VALUE | nearest WORD | analogy A B C [mul] | "
                   "vectors trained|pretrained|pretrained-zh|uploaded | pairs PRESET | ppmi | save vec|bin|tsv [PATH] | "
                   "load PATH | upload | tab queries|map"};
  const std::string& verb = w[1];
  opened_ = true;  // a command counts as opening: assets start loading
  poll_assets();
  if (verb == "train") {
    start_training();
    if (train_when_loaded_) return {true, "training starts when the corpus has loaded"};
    if (reading_corpus()) return {true, "training starts when the corpus has been read"};
    return {problem_.empty(), problem_.empty() ? "training" : problem_.en};
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
      const std::string path = w[3];
      const auto label = corpus_label_shown();
      corpus_message_ = {"could not read " + path + ": " + error + " — the corpus is still " + corpus_label(),
                         [path, error, label] {
                           return trf("w2v.corpus_not_read", path.c_str(), error.c_str(), label().c_str());
                         }};
      return {false, corpus_message_.en};
    }
    const bool taken = take_corpus_file(w[3], std::move(bytes));
    return {taken, corpus_message_.en};
  }
  if (verb == "corpus" && w.size() == 3) {
    if (w[2] == "wordnet") corpus_ = CorpusChoice::WordNet;
    else if (w[2] == "genesis") corpus_ = CorpusChoice::Genesis;
    else if (w[2] == "passage") corpus_ = CorpusChoice::Passage;
    else if (w[2] == "zh-prose") corpus_ = CorpusChoice::ZhProse;
    else if (w[2] == "file" && !corpus_file_.empty()) corpus_ = CorpusChoice::File;
    else if (w[2] == "file") return {false, "corpus file: no file yet (w2v corpus upload, or w2v corpus file PATH)"};
    else return {false, "corpus: wordnet, genesis, passage, zh-prose, file [PATH] or upload"};
    poll_assets();  // fetches the chosen corpus
    const Notice missing = corpus_unavailable();
    const bool loading = corpus_asset(corpus_) && corpus_asset(corpus_)->pending();
    return {true, std::string("corpus ") + kCorpusNames[int(corpus_)] + (missing.empty() || loading ? "" : "; " + missing.en)};
  }
  if (verb == "tokens" && w.size() == 3) {
    if (!text::parse_cjk_tokens(w[2], cjk_)) return {false, "tokens: auto, char or space"};
    return {true, std::string("tokens ") + text::cjk_tokens_name(cjk_)};
  }
  if (verb == "pairs" && w.size() == 3) {
    const int preset = preset_index(w[2]);
    if (preset < 0) {
      std::string keys;
      for (const PairPreset& p : pair_presets()) keys += std::string(keys.empty() ? "" : ", ") + p.key;
      return {false, "pairs: " + keys};
    }
    preset_ = preset;
    update_map();
    return {true, "pairs " + w[2] + (map_missing_.empty() ? "" : "; not in the vocabulary: " + map_missing_)};
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
      LazyAsset* asset = set_asset(set);
      if (asset && sets_[set].size() == 0) {  // fetched now, used when it arrives
        asset->wanted = true;
        requested_set_ = set;
        poll_assets();
        if (asset->pending()) return {true, std::string("vectors: ") + kVectorSetNames[set] + " once they have loaded"};
      }
      if (sets_[set].size() == 0) {
        if (requested_set_ == set) requested_set_ = -1;
        return {false, std::string("no ") + kVectorSetKeys[set] + " vectors" + (asset ? ": " + asset->error : "")};
      }
      requested_set_ = -1;
      use_vectors(set);
      return {true, std::string("vectors: ") + kVectorSetNames[set]};
    }
    return {false, "vectors: trained, pretrained, pretrained-zh or uploaded"};
  }
  if (verb == "tab" && w.size() == 3 && (w[2] == "queries" || w[2] == "map")) {
    tab_ = w[2] == "map" ? Tab::Map : Tab::Queries;
    tab_requested_ = true;
    return {true, "tab " + w[2]};
  }
  if (verb == "ppmi" && w.size() == 2) {
    start_ppmi();
    return {ppmi_problem_.empty(), ppmi_problem_.empty() ? "computing PPMI+SVD" : ppmi_problem_.en};
  }
  if (verb == "save" && (w.size() == 3 || w.size() == 4)) {
    if (w.size() == 3 && !file_hooks_set()) return {false, "usage: w2v save vec|bin|tsv PATH (this front end offers no download)"};
    const std::string error = save_vectors(w[2], w.size() == 4 ? w[3] : "");
    return {error.empty(), error.empty() ? file_message_.en : error};
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
      file_message_ = vectors_not_loaded(w[2], error);
      return {false, file_message_.en};
    }
    take_uploaded(w[2], bytes);
    return {active_ == kUploaded && uploaded_name_ == w[2] && file_message_.en.rfind("loaded", 0) == 0, file_message_.en};
  }
  return {false, "w2v: unknown command"};
}

nlohmann::json Word2vecLesson::state() const {
  nlohmann::json s;
  s["corpus"] = kCorpusNames[int(corpus_)];
  s["tokens"] = text::cjk_tokens_name(cjk_);
  s["zh_prose"] = zh_prose_.status();
  s["corpus_file"] = {{"name", corpus_file_name_}, {"bytes", corpus_file_.size()}};
  s["corpus_message"] = corpus_message_.en;
  s["running"] = running_;
  s["tab"] = tab_ == Tab::Map ? "map" : "queries";
  s["problem"] = problem_.en;
  s["config"] = {{"arch", w2v::arch_name(config_.arch)}, {"loss", w2v::loss_name(config_.loss)}, {"dim", config_.dim},
                 {"window", config_.window}, {"negative", config_.negative}, {"epochs", config_.epochs},
                 {"min_count", config_.min_count}, {"lr", config_.lr}, {"sample", config_.sample}, {"threads", config_.threads}};
  s["default_corpus"] = opened_ ? wordnet_.status() : "not requested";
  if (!wordnet_.loaded && !wordnet_.pending()) s["default_corpus_problem"] = wordnet_.error;
  s["pretrained"] = {{"status", opened_ ? pretrained_.status() : "not requested"}, {"words", sets_[kPretrained].size()},
                     {"dim", sets_[kPretrained].dim}, {"problem", pretrained_.loaded || pretrained_.pending() ? "" : pretrained_.error}};
  s["pretrained_zh"] = {{"status", pretrained_zh_.status()}, {"words", sets_[kPretrainedZh].size()},
                        {"dim", sets_[kPretrainedZh].dim},
                        {"problem", pretrained_zh_.loaded || pretrained_zh_.pending() ? "" : pretrained_zh_.error}};
  s["vectors"] = {{"set", active_ < 0 ? "none" : kVectorSetKeys[active_]},
                  {"words", active_ < 0 ? 0 : sets_[active_].size()}, {"dim", active_ < 0 ? 0 : sets_[active_].dim},
                  {"uploaded", uploaded_name_}};
  s["file_message"] = file_message_.en;
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
               {"vocab_cap", kPpmiVocabCap}, {"problem", ppmi_problem_.en}};
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
  s["pairs"] = {{"preset", pair_presets()[size_t(preset_)].key}, {"words", map_words_}, {"missing", map_missing_}};
  s["analogy"] = {{"words", {analogy_words_[0], analogy_words_[1], analogy_words_[2]}},
                  {"method", use_3cosmul_ ? "3CosMul" : "3CosAdd"}, {"answers", list(answers_.analogy)},
                  {"problem", answers_.analogy_problem}, {"ppmi_answers", list(ppmi_answers_.analogy)},
                  {"ppmi_problem", ppmi_answers_.analogy_problem}};
  return s;
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_word2vec() { return std::make_unique<Word2vecLesson>(); }

}  // namespace ll::ui
