// [word2vec] Train word2vec live (core/ml/word2vec): skip-gram or CBOW with negative sampling,
// hierarchical softmax or the full softmax, on a built-in corpus or pasted text. Shows the loss
// curve, words/s, progress and ETA while it trains (a worker thread in threaded builds, time
// slices of the frame otherwise), then nearest neighbours, analogies a : b :: c : ? by 3CosAdd
// and 3CosMul, and a 2-D PCA map of word pairs with arrows (gender, capitals, comparatives).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#if LATENTLAB_THREADS
#include <thread>
#endif

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/text_lessons.hpp"
#include "lessons/widgets/plot.hpp"
#include "ml/word2vec/vectors.hpp"
#include "ml/word2vec/word2vec.hpp"

namespace ll::ui {

namespace {

enum class CorpusChoice { Genesis, Passage, Custom };
const char* const kCorpusNames[] = {"Genesis (KJV)", "Travel passage", "Your text"};

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
    if (genesis_corpus().empty()) corpus_ = CorpusChoice::Passage;
    custom_text_ = kTravelPassage;
  }
  ~Word2vecLesson() override { stop_worker(); }

  const char* id() const override { return "word2vec"; }
  const char* title() const override { return "word2vec"; }
  const char* group() const override { return "Word vectors"; }
  void show() override { ShowLessonWord2vec(); }
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
  std::string corpus_text() const {
    if (corpus_ == CorpusChoice::Genesis) return std::string(genesis_corpus());
    if (corpus_ == CorpusChoice::Passage) return kTravelPassage;
    return custom_text_;
  }
  // A new trainer from the corpus and settings; false (and problem_ set) on bad input.
  bool build_trainer() {
    stop_worker();
    problem_ = w2v::check_config(config_);
    if (!problem_.empty()) return false;
    w2v::Corpus corpus;
    problem_ = w2v::build_corpus(corpus_text(), config_.min_count, corpus);
    if (!problem_.empty()) return false;
    // A new run replaces the old vectors only once it exists: bad input keeps the old model.
    w2v::TrainerPtr fresh = w2v::make_trainer(std::move(corpus), config_, problem_);
    if (!fresh) return false;
    trainer_ = std::move(fresh);
    loss_history_.clear();
    rate_history_.clear();
    last_sample_ = 0;
    refresh_vectors();
    return true;
  }
  void start_training() {
    if (build_trainer()) resume();
  }
  void resume() {
    if (!trainer_ || w2v::finished(*trainer_)) return;
    running_ = true;
#if LATENTLAB_THREADS
    if (!worker_.joinable()) worker_ = std::thread([t = trainer_.get()] { w2v::train_in_threads(*t, nullptr); });
#endif
  }
  void pause() {
    running_ = false;
    stop_worker();
    if (trainer_) refresh_vectors();
  }
  void stop_worker() {
#if LATENTLAB_THREADS
    if (worker_.joinable()) {
      w2v::request_stop(*trainer_);
      worker_.join();
    }
#endif
  }
  // Samples the progress for the curves; refreshes the vectors now and then.
  void after_training_slice(bool force_refresh) {
    const w2v::Progress p = w2v::progress(*trainer_);
    const double t = now_seconds();
    if (t - last_sample_ > 0.2 || p.finished) {
      last_sample_ = t;
      if (p.loss > 0) loss_history_.push_back(p.loss);
      rate_history_.push_back(p.words_per_second);
    }
    if (p.diverged) problem_ = "training diverged (the loss became NaN); lower the learning rate and train again";
    if (p.finished && running_) {
      running_ = false;
      stop_worker();
      force_refresh = true;
    }
    if (force_refresh || t - last_refresh_ > 1.0) refresh_vectors();
  }
  void refresh_vectors() {
    last_refresh_ = now_seconds();
    vectors_ = w2v::trainer_vectors(*trainer_);  // racy reads while Hogwild workers write: fine for a view
    unit_ = w2v::unit_vectors(vectors_);
    update_queries();
  }
  void update_queries() {
    neighbours_.clear();
    analogy_.clear();
    query_problem_.clear();
    analogy_problem_.clear();
    if (vectors_.size() == 0) return;
    if (!query_.empty()) neighbours_ = w2v::nearest_words(unit_, query_, 10, query_problem_);
    if (!analogy_words_[0].empty() && !analogy_words_[1].empty() && !analogy_words_[2].empty())
      analogy_ = w2v::analogy(unit_, analogy_words_[0], analogy_words_[1], analogy_words_[2], 5,
                              use_3cosmul_ ? w2v::AnalogyMethod::Mul : w2v::AnalogyMethod::Add, analogy_problem_);
    update_map();
  }
  void update_map() {
    map_words_.clear();
    map_missing_.clear();
    std::vector<int> ids;
    for (const auto& [a, b] : pair_presets()[size_t(preset_)].pairs) {
      const int ia = vectors_.find(a), ib = vectors_.find(b);
      if (ia < 0 || ib < 0) {
        map_missing_ += std::string(map_missing_.empty() ? "" : ", ") + a + "/" + b;
        continue;
      }
      ids.push_back(ia);
      ids.push_back(ib);
      map_words_.push_back(a);
      map_words_.push_back(b);
    }
    map_ = w2v::pca_2d(vectors_, ids);
  }
  void ShowLessonWord2vec();
  void show_settings();
  void show_progress();
  void show_queries();
  void show_map();

  w2v::Config config_;
  CorpusChoice corpus_ = CorpusChoice::Genesis;
  std::string custom_text_;
  w2v::TrainerPtr trainer_;
#if LATENTLAB_THREADS
  std::thread worker_;
#endif
  bool running_ = false;
  std::string problem_;
  std::vector<double> loss_history_, rate_history_;
  double last_sample_ = 0, last_refresh_ = 0;
  w2v::WordVectors vectors_;
  w2v::UnitVectors unit_;
  std::string query_ = "god";
  std::vector<w2v::Neighbour> neighbours_;
  std::string query_problem_;
  std::string analogy_words_[3] = {"man", "king", "woman"};
  bool use_3cosmul_ = false;
  std::vector<w2v::Neighbour> analogy_;
  std::string analogy_problem_;
  int preset_ = 0;
  std::vector<std::string> map_words_;
  std::string map_missing_;
  w2v::Projection2D map_;
};

void Word2vecLesson::advance(double budget_ms) {
  if (!trainer_ || !running_) return;
#if !LATENTLAB_THREADS
  // Single-thread build: train inside the frame, leaving time for drawing.
  w2v::train_for(*trainer_, std::max(0.002, 0.6 * budget_ms / 1000));
#endif
  after_training_slice(false);
}

void Word2vecLesson::show_settings() {
  int corpus = int(corpus_);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  if (ImGui::Combo("corpus", &corpus, kCorpusNames, 3)) corpus_ = CorpusChoice(corpus);
  HelpMarker("Genesis: the KJV text from Debian's bible-kjv-text, built in (about 38,000 words). "
             "Your text: paste anything; tokens are lower-cased runs of letters, digits and apostrophes, "
             "one sentence per line.");
  if (corpus_ == CorpusChoice::Genesis && genesis_corpus().empty())
    ExplainProblem("This build has no Genesis text (bible-kjv-text was missing at build time).");
  if (corpus_ == CorpusChoice::Custom) TextBox("##w2v_text", custom_text_, 5);

  const float w = ImGui::GetFontSize() * 7;
  int arch = int(config_.arch), loss = int(config_.loss);
  ImGui::SetNextItemWidth(w);
  ImGui::Combo("model", &arch, "skip-gram\0CBOW\0");
  HelpMarker("Skip-gram: the centre word's vector v_c predicts each context word o through σ(u_o·v_c). "
             "CBOW: the mean of the context vectors predicts the centre word.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w * 1.6f);
  ImGui::Combo("loss", &loss, "negative sampling\0hierarchical softmax\0full softmax\0");
  HelpMarker("Negative sampling: the true word against k words drawn from unigram^0.75. "
             "Hierarchical softmax: binary decisions along the word's path in a Huffman tree (log V). "
             "Full softmax: a distribution over the whole vocabulary (exact, V times slower).");
  config_.arch = w2v::Arch(arch);
  config_.loss = w2v::Loss(loss);
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt("dim", &config_.dim, 2, 300);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt("window", &config_.window, 1, 10);
  HelpMarker("Each position draws a reach 1..window, so near words count more often.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt("negatives", &config_.negative, 1, 20);
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt("epochs", &config_.epochs, 1, 50);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt("min count", &config_.min_count, 1, 50);
  HelpMarker("Words seen fewer times are dropped before training.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  float lr = float(config_.lr), sample = float(config_.sample);
  if (ImGui::SliderFloat("learning rate", &lr, 0.001f, 0.5f, "%.3f", ImGuiSliderFlags_Logarithmic)) config_.lr = lr;
  HelpMarker("Starting learning rate; it falls linearly to almost 0 at the end, as in the original tool.");
  ImGui::SetNextItemWidth(w);
  if (ImGui::SliderFloat("sub-sample", &sample, 0.0f, 0.01f, "%.0e", ImGuiSliderFlags_Logarithmic)) config_.sample = sample;
  HelpMarker("Frequent words are dropped with probability 1 − (sqrt(f/t) + 1)·t/f (f: the word's frequency, "
             "t: this threshold; 0 keeps every word).");
#if LATENTLAB_THREADS
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
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
  ImGui::SameLine();
  if (ImGui::Button(running_ ? "Pause" : "Resume")) set_running(!running_);
  ImGui::SameLine();
  if (ImGui::Button("Step")) step_once();
  if (!problem_.empty()) ExplainProblem(problem_);
  if (!trainer_) {
    ImGui::TextWrapped("Press Train (or Space) to train on the chosen corpus.");
    return;
  }
  const w2v::Progress p = w2v::progress(*trainer_);
  const w2v::Corpus& corpus = w2v::trainer_corpus(*trainer_);
  char overlay[128];
  std::snprintf(overlay, sizeof overlay, "%.1fM / %.1fM words", p.words_done / 1e6, p.words_total / 1e6);
  ImGui::ProgressBar(float(p.fraction), ImVec2(-1, 0), overlay);
  ImGui::Text("vocabulary %d words, corpus %zu tokens | %.0fk words/s | loss %.3f | lr %.4f | %s %s",
              corpus.vocab.size(), corpus.ids.size(), p.words_per_second / 1000, p.loss, double(p.lr),
              p.finished ? "done in" : "ETA", duration_text(p.finished ? p.seconds : p.eta_seconds).c_str());
  HelpMarker("Loss: the mean of −log σ(u_o·v_c) − Σ log σ(−u_n·v_c) per (centre, context) example, "
             "over recent windows (for the softmaxes: −log P(o|c)).");
  PlotOptions options;
  options.size = ImVec2(0, ImGui::GetFontSize() * 9);
  options.title = "loss (recent windows)";
  options.x_label = "samples (5 per second)";
  LineSeries series;
  series.ys = loss_history_.data();
  series.count = int(loss_history_.size());
  series.label = "loss";
  LinePlot("##w2v_loss", &series, 1, options);
}

void Word2vecLesson::show_queries() {
  if (TextLine("nearest to", query_, 10)) update_queries();
  HelpMarker("The 10 words whose vectors have the highest cosine similarity with this word's.");
  if (!query_problem_.empty()) ExplainProblem(query_problem_);
  for (const w2v::Neighbour& n : neighbours_) ImGui::BulletText("%s  %.3f", n.word.c_str(), double(n.score));

  ImGui::Spacing();
  bool changed = false;
  ImGui::TextUnformatted("analogy");
  ImGui::SameLine();
  changed |= TextLine("##a", analogy_words_[0], 6);
  ImGui::SameLine();
  ImGui::TextUnformatted(":");
  ImGui::SameLine();
  changed |= TextLine("##b", analogy_words_[1], 6);
  ImGui::SameLine();
  ImGui::TextUnformatted("::");
  ImGui::SameLine();
  changed |= TextLine("##c", analogy_words_[2], 6);
  ImGui::SameLine();
  ImGui::TextUnformatted(": ?");
  changed |= ImGui::Checkbox("3CosMul", &use_3cosmul_);
  HelpMarker("3CosAdd: the word closest to b − a + c. 3CosMul (Levy & Goldberg): maximise "
             "cos(d,b)·cos(d,c) / (cos(d,a) + 0.001) with cosines shifted to [0, 1]. a, b and c are excluded.");
  if (changed) update_queries();
  if (!analogy_problem_.empty()) ExplainProblem(analogy_problem_);
  for (const w2v::Neighbour& n : analogy_) ImGui::BulletText("%s  %.3f", n.word.c_str(), double(n.score));
}

void Word2vecLesson::show_map() {
  const auto& presets = pair_presets();
  for (size_t i = 0; i < presets.size(); ++i) {
    if (i) ImGui::SameLine();
    if (ImGui::RadioButton(presets[i].name, preset_ == int(i))) {
      preset_ = int(i);
      update_map();
    }
  }
  HelpMarker("The pairs' vectors projected on their top two principal axes. If the model learned the relation, "
             "the arrows point the same way.");
  if (!map_missing_.empty()) ImGui::TextWrapped("not in the vocabulary: %s", map_missing_.c_str());
  const int n = int(map_words_.size());
  if (n < 2) {
    ImGui::TextWrapped("No pair of this set is in the vocabulary yet.");
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
  options.size = ImVec2(0, ImGui::GetFontSize() * 18);
  char title[96];
  std::snprintf(title, sizeof title, "PCA of %d words (%.0f%% + %.0f%% of the variance)", n,
                100 * double(map_.explained[0]), 100 * double(map_.explained[1]));
  options.title = title;
  const ScatterResult r = ScatterPlot("##w2v_map", points, options);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 color = accent_color(0.7f);
  const float head = ImGui::GetFontSize() * 0.35f;
  for (int i = 0; i + 1 < n; i += 2) {
    const ImVec2 a = r.transform.to_pixel(xs[size_t(i)], ys[size_t(i)]);
    const ImVec2 b = r.transform.to_pixel(xs[size_t(i + 1)], ys[size_t(i + 1)]);
    const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    if (len < 1) continue;
    draw->AddLine(a, b, color, 1.5f);
    const float ux = dx / len, uy = dy / len;
    draw->AddTriangleFilled(b, ImVec2(b.x - head * (ux - 0.5f * uy), b.y - head * (uy + 0.5f * ux)),
                            ImVec2(b.x - head * (ux + 0.5f * uy), b.y - head * (uy - 0.5f * ux)), color);
  }
}

void Word2vecLesson::ShowLessonWord2vec() {
  ImGui::TextWrapped("word2vec learns a vector per word so that words used in similar contexts get similar vectors. "
                     "Choose a corpus and a model, train, then ask for neighbours and analogies.");
  if (ImGui::CollapsingHeader("Corpus and settings", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::BeginDisabled(running_);
    show_settings();
    ImGui::EndDisabled();
  }
  show_progress();
  if (!trainer_) return;
  if (ImGui::BeginTabBar("##w2v_tabs")) {
    if (ImGui::BeginTabItem("Neighbours and analogies")) {
      show_queries();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Map of word pairs")) {
      show_map();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
}

CommandResult Word2vecLesson::command(const std::vector<std::string>& w) {
  if (w.empty() || w[0] != "w2v") return {};
  if (w.size() < 2) return {false, "w2v: train | stop | corpus genesis|passage | set KEY VALUE | nearest WORD | analogy A B C"};
  const std::string& verb = w[1];
  if (verb == "train") {
    start_training();
    return {problem_.empty(), problem_.empty() ? "training" : problem_};
  }
  if (verb == "stop") {
    pause();
    return {true, "paused"};
  }
  if (verb == "corpus" && w.size() == 3) {
    if (w[2] == "genesis") corpus_ = CorpusChoice::Genesis;
    else if (w[2] == "passage") corpus_ = CorpusChoice::Passage;
    else return {false, "corpus: genesis or passage"};
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
    return {query_problem_.empty() && trainer_, trainer_ ? query_problem_ : "no vectors yet: train first"};
  }
  if (verb == "analogy" && (w.size() == 5 || w.size() == 6)) {
    for (int i = 0; i < 3; ++i) analogy_words_[i] = w[size_t(2 + i)];
    use_3cosmul_ = w.size() == 6 && w[5] == "mul";
    update_queries();
    return {analogy_problem_.empty() && trainer_, trainer_ ? analogy_problem_ : "no vectors yet: train first"};
  }
  return {false, "w2v: unknown command"};
}

nlohmann::json Word2vecLesson::state() const {
  nlohmann::json s;
  s["corpus"] = kCorpusNames[int(corpus_)];
  s["running"] = running_;
  s["problem"] = problem_;
  s["config"] = {{"arch", w2v::arch_name(config_.arch)}, {"loss", w2v::loss_name(config_.loss)}, {"dim", config_.dim},
                 {"window", config_.window}, {"negative", config_.negative}, {"epochs", config_.epochs},
                 {"min_count", config_.min_count}, {"lr", config_.lr}, {"sample", config_.sample}, {"threads", config_.threads}};
  if (trainer_) {
    const w2v::Progress p = w2v::progress(*trainer_);
    s["vocab"] = w2v::trainer_corpus(*trainer_).vocab.size();
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
  s["nearest"] = {{"word", query_}, {"neighbours", list(neighbours_)}, {"problem", query_problem_}};
  s["analogy"] = {{"words", {analogy_words_[0], analogy_words_[1], analogy_words_[2]}},
                  {"method", use_3cosmul_ ? "3CosMul" : "3CosAdd"}, {"answers", list(analogy_)}, {"problem", analogy_problem_}};
  return s;
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_word2vec() { return std::make_unique<Word2vecLesson>(); }

}  // namespace ll::ui
