// [language-model] n-gram language models on a chosen corpus: counts, P(w₂|w₁) =
// count(w₁,w₂)/count(w₁) with the numbers, the chain rule for a typed sentence, add-k and
// interpolated Kneser–Ney smoothing, held-out perplexity and sampled sentences; on the Tang
// and Song poems by character (字), with sampled lines of 5 or 7 characters.
#include <algorithm>
#include <cstdarg>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/fonts.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/text_lessons.hpp"
#include "lessons/i18n.hpp"
#include "ml/rng.hpp"
#include "ml/text/ngram.hpp"
#include "ml/text/tokenize.hpp"

namespace ll::ui {

namespace {

using text::Smoothing;

constexpr int kHeldOutEvery = 5;  // every 5th sentence is held out for perplexity
constexpr int kTableWords = 8;    // rows/columns of the bigram tables
constexpr int kTopNgrams = 12;

const char* const kSamCorpus = "I am Sam. Sam I am. I do not like green eggs and ham.";

enum class Preset { Sam, Course, Passage, Genesis, Tang, Song, Custom };
struct PresetInfo {
  Preset preset;
  const char* key;
  const char* name;      // English, for command replies
  const char* label;     // catalogue key of the name shown
  const char* sentence;  // a sensible sentence to score
};
const PresetInfo kPresets[] = {
    {Preset::Sam, "sam", "Sam I am (Jurafsky & Martin)", "lm.corpus_sam", "i am sam"},
    {Preset::Course, "course", "Course sentences", "text.course_sentences", "i like nlp"},
    {Preset::Passage, "passage", "Travel passage", "text.travel_passage", "the cat slept on the old rug"},
    {Preset::Genesis, "genesis", "Genesis, KJV (Debian bible-kjv)", "lm.corpus_genesis", "and god said let there be light"},
    // 李白《静夜思》 and 王安石《泊船瓜洲》: couplets of the corpora.
    {Preset::Tang, "tang", "300 Tang Poems (Debian fortunes-zh)", "lm.corpus_tang", "床前明月光，疑是地上霜"},
    {Preset::Song, "song", "100 Song Poems (Debian fortunes-zh)", "lm.corpus_song", "春风又绿江南岸，明月何时照我还"},
    {Preset::Custom, "custom", "Your text", "lm.corpus_custom", ""},
};
const PresetInfo& preset_info(Preset p) { return kPresets[int(p)]; }
bool is_poems(Preset p) { return p == Preset::Tang || p == Preset::Song; }
// The lesson opens on the Tang poems in 中文 (when the build has them), on Sam I am otherwise.
Preset starting_preset() { return interface_is_chinese() && !tang_poems().empty() ? Preset::Tang : Preset::Sam; }

// The poems are read by character, and a sentence is what the tokenizer ends at 。！？: in these
// books a couplet, "床前明月光，疑是地上霜。", the unit of regulated verse (the second line answers
// the first and the couplet closes with 。). Lines as sentences would cut every couplet in two and
// start each answering line from <s>.
constexpr text::CjkTokens kPoemTokens = text::CjkTokens::Char;
constexpr int kCoupletsPerSample = 2;  // a quatrain (绝句)
constexpr int kSampledPoems = 2;

// The poems of an embedded book: paragraphs, one poem each.
int count_paragraphs(std::string_view text) {
  int paragraphs = 0;
  bool in_paragraph = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool blank_line = text[i] == '\n' && (i + 1 == text.size() || text[i + 1] == '\n');
    if (!in_paragraph && text[i] != '\n') ++paragraphs, in_paragraph = true;
    if (blank_line) in_paragraph = false;
  }
  return paragraphs;
}

// Sampled tokens as text: Chinese characters and words run together, other words take spaces.
bool starts_cjk(const std::string& token) { return !token.empty() && (unsigned char)token[0] >= 0xE3; }
std::string join_sample(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i)
    out += (i == 0 || (starts_cjk(words[i - 1]) && starts_cjk(words[i])) ? "" : " ") + words[i];
  return out;
}

const Smoothing kSmoothings[] = {Smoothing::MaximumLikelihood, Smoothing::AddK, Smoothing::KneserNey};

// The catalogue key of the smoothing's name (text::smoothing_name stays English: commands and
// state()).
const char* smoothing_key(Smoothing kind) {
  switch (kind) {
    case Smoothing::MaximumLikelihood: return "lm.smoothing_mle";
    case Smoothing::AddK: return "lm.smoothing_add_k";
    case Smoothing::KneserNey: return "lm.smoothing_kn";
  }
  return "lm.smoothing_mle";
}

// A sample that ended at once (state() and command replies keep this English text).
const char* const kEmptySample = "(an empty sentence: </s> came first)";

std::string format_probability(double p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, p != 0 && p < 1e-3 ? "%.2e" : "%.4f", p);
  return buffer;
}

std::string format_perplexity(double pp) {
  if (std::isinf(pp)) return "∞";
  if (std::isnan(pp)) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", pp);
  return buffer;
}

// A table in the pane's own scrolling (no child window), its columns as wide as their text.
bool BeginFittedTable(const char* id, int columns, int /*rows*/, ImGuiTableFlags flags) {
  return ImGui::BeginTable(id, columns, flags);
}

class LanguageModelLesson : public Lesson {
 public:
  LanguageModelLesson() { select_preset(starting_preset()); }

  const char* id() const override { return "language-model"; }
  const char* title() const override { return tr("lessons.language_model"); }
  const char* group() const override { return tr("groups.word_vectors"); }
  void show() override {
    follows_language_ = false;
    ShowLessonLanguageModel();
  }
  void language_changed() override {
    if (follows_language_ && preset_ != starting_preset()) select_preset(starting_preset());
  }
  void reseed(uint64_t seed) override { rng_.reseed(seed); }
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;

 private:
  void select_preset(Preset p);
  std::string_view corpus_text() const;
  text::CjkTokens tokens() const { return is_poems(preset_) ? kPoemTokens : cjk_; }
  std::vector<std::string> tokenize_sentence() const { return text::tokenize(sentence_, {true, false, tokens()}); }
  int line_length() const { return shape_ != 0 ? shape_ : corpus_line_length_; }
  void rebuild_models();
  void set_order(int order);
  void recompute_perplexities();
  void sample();
  std::string context_string(const std::vector<int>& context) const;
  std::string words_string(const std::vector<int>& ids) const;
  void ShowLessonLanguageModel();
  void show_corpus();
  void show_controls();
  void show_counts();
  void show_chain_rule();
  void show_term_formula(const text::ChainTerm& term);
  void show_perplexity();
  void show_samples();

  Preset preset_ = Preset::Sam;
  bool follows_language_ = true;  // until the lesson is opened or its corpus, text or sentence set
  text::CjkTokens cjk_ = text::CjkTokens::Auto;  // Chinese by 字 or 词 in the text box
  int shape_ = 0;                 // characters per sampled verse line: 5, 7, or 0 for the corpus's own
  int corpus_line_length_ = 7;    // the commoner of the corpus's 5- and 7-character couplets
  int poems_ = 0;                 // poems in the Tang or Song book
  std::string custom_text_;  // the text box (presets other than Genesis and the poems load into it)
  std::string problem_;               // English (state(), command replies)
  const char* problem_key_ = nullptr;  // the same in the catalogue, when the lesson wrote it
  int order_ = 2;
  text::SmoothingOptions smoothing_;
  std::string sentence_;
  int selected_term_ = 1;
  // Derived: the model on all sentences (counts, chain rule, samples) and, for perplexity,
  // the model of the training split. Both count up to trigrams, so changing the order
  // rebuilds nothing.
  text::Sentences sentences_;
  text::TrainHeldOut split_;
  text::NgramModel full_;   // counted to trigrams, queried at order_
  std::vector<std::pair<long, uint64_t>> top_ngrams_;  // (count, key) of full_'s most frequent n-grams
  text::NgramModel train_;  // counted to trigrams, queried at each order for the table
  double perplexities_[3][3] = {};  // [order−1][smoothing]
  Rng rng_{1};
  std::vector<std::string> samples_;
};

std::string_view LanguageModelLesson::corpus_text() const {
  switch (preset_) {
    case Preset::Genesis: return genesis_corpus();
    case Preset::Tang: return tang_poems();
    case Preset::Song: return song_poems();
    default: return custom_text_;
  }
}

void LanguageModelLesson::select_preset(Preset p) {
  preset_ = p;
  if (p == Preset::Sam) custom_text_ = kSamCorpus;
  if (p == Preset::Course) custom_text_ = kCourseCorpus;
  if (p == Preset::Passage) custom_text_ = kTravelPassage;
  if (p != Preset::Custom) sentence_ = preset_info(p).sentence;
  use_glyphs(sentence_);
  selected_term_ = 1;
  samples_.clear();
  rebuild_models();
}

void LanguageModelLesson::rebuild_models() {
  problem_.clear();
  problem_key_ = nullptr;
  if (preset_ == Preset::Genesis && genesis_corpus().empty()) {
    problem_ = "this build has no Genesis text: install the Debian packages bible-kjv and bible-kjv-text "
               "(./lab deps) and reconfigure";
    problem_key_ = "lm.no_genesis";
  }
  if (is_poems(preset_) && corpus_text().empty()) {
    problem_ = "this build has no Chinese poems: install the Debian packages fortunes-zh and python3-jieba "
               "(./lab deps) and reconfigure";
    problem_key_ = "lm.no_poems";
  }
  if (problem_.empty()) problem_ = text::check_text(corpus_text());
  if (problem_.empty()) {
    use_glyphs(corpus_text());
    sentences_ = text::split_sentences(corpus_text(), true, tokens());
    if (sentences_.empty()) problem_ = "the text has no words", problem_key_ = "lm.no_words";
  }
  if (!problem_.empty()) return;
  split_ = text::split_train_held_out(sentences_, kHeldOutEvery);
  full_ = text::build_ngram_model(sentences_, 3);
  train_ = text::build_ngram_model(split_.train, 3, split_.held_out);
  poems_ = is_poems(preset_) ? count_paragraphs(corpus_text()) : 0;
  long five = 0, seven = 0;
  for (const auto& sentence : sentences_) five += sentence.size() == 10, seven += sentence.size() == 14;
  corpus_line_length_ = five > seven ? 5 : 7;
  set_order(order_);
  recompute_perplexities();
}

void LanguageModelLesson::set_order(int order) {
  order_ = order;
  selected_term_ = 1;
  if (!problem_.empty()) return;
  full_.order = order_;
  top_ngrams_.clear();
  for (const auto& entry : full_.counts[order_ - 1]) top_ngrams_.emplace_back(entry.second, entry.first);
  const size_t shown = std::min(top_ngrams_.size(), size_t(kTopNgrams));
  // Ties by key, so the table does not depend on the hash map's order.
  std::partial_sort(top_ngrams_.begin(), top_ngrams_.begin() + long(shown), top_ngrams_.end(),
                    [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  top_ngrams_.resize(shown);
}

void LanguageModelLesson::recompute_perplexities() {
  if (!problem_.empty()) return;
  for (int n = 1; n <= 3; ++n) {
    train_.order = n;
    for (int s = 0; s < 3; ++s) {
      text::SmoothingOptions options = smoothing_;
      options.kind = kSmoothings[s];
      perplexities_[n - 1][s] = text::perplexity(train_, options, split_.held_out).perplexity;
    }
  }
}

void LanguageModelLesson::sample() {
  samples_.clear();
  if (!problem_.empty()) return;
  if (!is_poems(preset_)) {
    for (int i = 0; i < 5; ++i) {
      const std::string line = join_sample(text::sample_sentence(full_, smoothing_, rng_, 25));
      samples_.push_back(line.empty() ? kEmptySample : line);
    }
    return;
  }
  // Poems: each couplet exactly two lines of line_length() characters, "xxxxx，xxxxx。".
  const size_t length = size_t(line_length());
  for (int poem = 0; poem < kSampledPoems; ++poem) {
    std::string text;
    for (int couplet = 0; couplet < kCoupletsPerSample; ++couplet) {
      const std::vector<std::string> chars = text::sample_tokens(full_, smoothing_, rng_, int(2 * length));
      if (chars.size() != 2 * length) return;  // a model without words
      text += join_sample({chars.begin(), chars.begin() + long(length)}) + "，" +
              join_sample({chars.begin() + long(length), chars.end()}) + "。";
    }
    samples_.push_back(text);
  }
}

std::string LanguageModelLesson::words_string(const std::vector<int>& ids) const {
  std::string out;
  for (int id : ids) out += (out.empty() ? "" : " ") + full_.vocab.words[size_t(id)];
  return out;
}

std::string LanguageModelLesson::context_string(const std::vector<int>& context) const {
  return context.empty() ? "" : " | " + words_string(context);
}

CommandResult LanguageModelLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "lm") return {};
  auto number = [](const std::string& s, double& out) {
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return !s.empty() && end == s.c_str() + s.size() && std::isfinite(out);
  };
  auto rest = [&](size_t from) {
    std::string out;
    for (size_t i = from; i < w.size(); ++i) out += (i > from ? " " : "") + w[i];
    return out;
  };
  double x = 0;
  if (w.size() == 3 && w[1] == "order") {
    if (w[2] != "1" && w[2] != "2" && w[2] != "3") return {false, "the order must be 1, 2 or 3"};
    set_order(std::atoi(w[2].c_str()));
    return {true, "order " + w[2]};
  }
  if (w.size() == 3 && w[1] == "smoothing") {
    const Smoothing kind = w[2] == "mle" ? Smoothing::MaximumLikelihood
                           : w[2] == "add-k" ? Smoothing::AddK
                           : w[2] == "kn" ? Smoothing::KneserNey
                                          : Smoothing(-1);
    if (int(kind) < 0) return {false, "smoothing: mle, add-k or kn"};
    smoothing_.kind = kind;
    return {true, std::string("smoothing ") + text::smoothing_name(kind)};
  }
  if (w.size() == 3 && w[1] == "k") {
    if (!number(w[2], x) || !(x >= 1e-4 && x <= 10)) return {false, "k must be in [0.0001, 10]"};
    smoothing_.k = x;
    recompute_perplexities();
    return {true, "k " + w[2]};
  }
  if (w.size() == 3 && w[1] == "discount") {
    if (!number(w[2], x) || !(x > 0 && x <= 1)) return {false, "the discount must be in (0, 1]"};
    smoothing_.discount = x;
    recompute_perplexities();
    return {true, "discount " + w[2]};
  }
  if (w.size() == 3 && w[1] == "corpus") {
    for (const PresetInfo& p : kPresets)
      if (w[2] == p.key && p.preset != Preset::Custom) {
        follows_language_ = false;
        select_preset(p.preset);
        return {problem_.empty(), problem_.empty() ? std::string("corpus ") + p.name : problem_};
      }
    return {false, "corpus: sam, course, passage, genesis, tang or song (or lm text TEXT)"};
  }
  if (w.size() >= 2 && w[1] == "text") {
    follows_language_ = false;
    custom_text_ = rest(2);
    use_glyphs(custom_text_);
    select_preset(Preset::Custom);
    return {problem_.empty(), problem_.empty() ? std::to_string(sentences_.size()) + " sentences" : problem_};
  }
  if (w.size() == 3 && w[1] == "tokens") {
    if (!text::parse_cjk_tokens(w[2], cjk_)) return {false, "tokens: auto, char or space"};
    samples_.clear();
    rebuild_models();
    return {true, std::string("tokens ") + text::cjk_tokens_name(cjk_) +
                      (is_poems(preset_) ? " (for your text; the poems are read by character)" : "")};
  }
  if (w.size() == 3 && w[1] == "shape") {
    if (w[2] != "5" && w[2] != "7" && w[2] != "auto") return {false, "shape: 5, 7 or auto (the corpus's commoner)"};
    shape_ = w[2] == "auto" ? 0 : std::atoi(w[2].c_str());
    return {true, "shape " + w[2]};
  }
  if (w.size() >= 2 && w[1] == "sentence") {
    follows_language_ = false;
    sentence_ = rest(2);
    use_glyphs(sentence_);
    selected_term_ = 1;
    return {true, "sentence " + sentence_};
  }
  if (w.size() == 2 && w[1] == "sample") {
    if (!problem_.empty()) return {false, problem_};
    sample();
    if (samples_.empty()) return {false, "the model has no words to sample"};
    return {true, samples_.front()};
  }
  return {false, "usage: lm order 1|2|3 | lm smoothing mle|add-k|kn | lm k K | lm discount D | "
                 "lm corpus sam|course|passage|genesis|tang|song | lm text TEXT | lm tokens auto|char|space | "
                 "lm sentence WORDS | lm sample | lm shape 5|7|auto"};
}

nlohmann::json LanguageModelLesson::state() const {
  nlohmann::json s = {{"corpus", preset_info(preset_).key},
                      {"order", order_},
                      {"smoothing", text::smoothing_name(smoothing_.kind)},
                      {"k", smoothing_.k},
                      {"discount", smoothing_.discount},
                      {"sentence", sentence_},
                      {"samples", samples_},
                      {"cjk_tokens", text::cjk_tokens_name(cjk_)},
                      {"cjk_tokens_used", text::cjk_tokens_name(tokens())},
                      {"shape", shape_ == 0 ? nlohmann::json("auto") : nlohmann::json(shape_)},
                      {"follows_language", follows_language_},
                      {"problem", problem_}};
  if (!problem_.empty()) return s;
  const double pp = perplexities_[order_ - 1][int(smoothing_.kind)];
  s["perplexity"] = std::isfinite(pp) ? nlohmann::json(pp) : nlohmann::json(nullptr);
  s["perplexity_infinite"] = std::isinf(pp);
  s["vocab_size"] = full_.predictable_words();
  s["sentences"] = sentences_.size();
  if (is_poems(preset_)) s["line_length"] = line_length(), s["poems"] = poems_;
  s["tokens"] = full_.predicted_tokens;
  s["train_sentences"] = split_.train.size();
  s["held_out_sentences"] = split_.held_out.size();
  const text::SentenceProbability chain =
      text::sentence_probability(full_, smoothing_, tokenize_sentence());
  s["sentence_error"] = chain.error;
  if (chain.error.empty())
    s["sentence_log_probability"] =
        std::isfinite(chain.log_probability) ? nlohmann::json(chain.log_probability) : nlohmann::json(nullptr);
  return s;
}

void LanguageModelLesson::show_corpus() {
  NextControlWidth(trl("lm.corpus"), 16);
  if (BeginFittedCombo(trl("lm.corpus"), tr(preset_info(preset_).label))) {
    for (const PresetInfo& p : kPresets)
      if (ImGui::Selectable(trl(p.label), p.preset == preset_)) {
        follows_language_ = false;
        select_preset(p.preset);
      }
    ImGui::EndCombo();
  }
  HelpMarker(tr("lm.help_corpus"));
  if (preset_ == Preset::Genesis) {
    TextDisabledWrapped(trf("lm.genesis_note", genesis_corpus().size()).c_str());
    return;
  }
  if (is_poems(preset_)) {
    if (problem_.empty())
      TextDisabledWrapped(trf(preset_ == Preset::Tang ? "lm.tang_note" : "lm.song_note", poems_,
                              full_.predicted_tokens - long(sentences_.size()), sentences_.size()).c_str());
    return;
  }
  if (TextBox("##lm-corpus", custom_text_, 4)) {
    use_glyphs(custom_text_);
    follows_language_ = false;
    preset_ = Preset::Custom;
    rebuild_models();
  }
  if (CjkTokensCombo(cjk_)) {
    samples_.clear();
    rebuild_models();
  }
}

void LanguageModelLesson::show_controls() {
  ImGui::TextUnformatted(tr("lm.order"));
  for (int n = 1; n <= 3; ++n) {
    const char* names[] = {trl("lm.unigram"), trl("lm.bigram"), trl("lm.trigram")};
    SameLineIfFits(CheckboxWidth(names[n - 1]));
    if (ImGui::RadioButton(names[n - 1], order_ == n)) set_order(n);
  }
  HelpMarker(tr("lm.help_order"));
  ImGui::TextUnformatted(tr("lm.smoothing"));
  for (Smoothing kind : kSmoothings) {
    SameLineIfFits(CheckboxWidth(trl(smoothing_key(kind))));
    if (ImGui::RadioButton(trl(smoothing_key(kind)), smoothing_.kind == kind)) smoothing_.kind = kind;
  }
  HelpMarker(tr("lm.help_smoothing"));
  if (smoothing_.kind == Smoothing::AddK) {
    float k_log = float(std::log10(smoothing_.k));
    NextControlWidth("k", 9);
    if (ImGui::SliderFloat("k", &k_log, -3, 1, "")) smoothing_.k = std::pow(10.0, double(k_log));
    if (ImGui::IsItemDeactivatedAfterEdit()) recompute_perplexities();
    char value[32];
    std::snprintf(value, sizeof value, "%.3g", smoothing_.k);
    SameLineIfFits(TextWidth(value));
    ImGui::TextUnformatted(value);
    HelpMarker(tr("lm.help_k"));
  }
  if (smoothing_.kind == Smoothing::KneserNey) {
    float d = float(smoothing_.discount);
    NextControlWidth("d", 9);
    if (ImGui::SliderFloat("d", &d, 0.05f, 1.0f, "%.2f")) smoothing_.discount = double(d);
    if (ImGui::IsItemDeactivatedAfterEdit()) recompute_perplexities();
    HelpMarker(tr("lm.help_discount"));
  }
}

void LanguageModelLesson::show_counts() {
  const text::NgramModel& m = full_;
  if (order_ == 2) {
    // Bigram counts and P(w₂|w₁) for the most frequent words, as in the textbook tables.
    std::vector<int> rows = {m.start_id}, cols;
    for (int id = 0; id < m.vocab.size() && int(cols.size()) < kTableWords - 1; ++id)
      if (id != m.start_id && id != m.end_id && m.vocab.counts[size_t(id)] > 0) rows.push_back(id), cols.push_back(id);
    cols.push_back(m.end_id);
    std::vector<std::string> row_labels, col_labels;
    for (int id : rows) row_labels.push_back(m.vocab.words[size_t(id)]);
    for (int id : cols) col_labels.push_back(m.vocab.words[size_t(id)]);
    Eigen::MatrixXd counts(int(rows.size()), int(cols.size())), probs(int(rows.size()), int(cols.size()));
    for (size_t r = 0; r < rows.size(); ++r)
      for (size_t c = 0; c < cols.size(); ++c) {
        counts(int(r), int(c)) = double(text::ngram_count(m, &rows[r], cols[c]));
        probs(int(r), int(c)) = text::ngram_probability(m, smoothing_, &rows[r], cols[c]);
      }
    MatrixTableOptions options;
    options.corner = "w₁ \\ w₂";
    // The probabilities are the lesson's picture; the counts they come from beside or below.
    ImGui::BeginGroup();
    TextEllipsis(trf("lm.bigram_table_title", tr(smoothing_key(smoothing_.kind))).c_str());
    options.format = "%.3f";
    MatrixTable("bigram probabilities", row_labels, col_labels, probs, options);
    ImGui::EndGroup();
    MainFigure("bigram probabilities");
    if (!SameLineIfFits(ImGui::GetItemRectSize().x)) ImGui::Spacing();
    ImGui::BeginGroup();
    TextEllipsis("count(w₁, w₂)");
    options.format = "%.0f";
    MatrixTable("bigram counts", row_labels, col_labels, counts, options);
    ImGui::EndGroup();
    TextDisabledWrapped(trf("lm.bigram_note", kTableWords - 1).c_str());
    return;
  }
  // Unigrams and trigrams: the most frequent n-grams with their numbers.
  if (BeginFittedTable("top ngrams", 4, int(top_ngrams_.size()), ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn(order_ == 1 ? tr("lm.column_word") : tr("lm.column_trigram"));
    ImGui::TableSetupColumn(tr("lm.column_count"));
    ImGui::TableSetupColumn(order_ == 1 ? tr("lm.column_all_tokens") : "count(w₁ w₂)");
    ImGui::TableSetupColumn("P");
    ImGui::TableHeadersRow();
    for (const std::pair<long, uint64_t>& entry : top_ngrams_) {
      const std::vector<int> ids = text::ngram_ids(entry.second, order_);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(words_string(ids).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%ld", entry.first);
      ImGui::TableNextColumn();
      ImGui::Text("%ld", text::context_count(m, ids.data()));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(format_probability(text::ngram_probability(m, smoothing_, ids.data(), ids.back())).c_str());
    }
    ImGui::EndTable();
  }
  MainFigure(order_ == 1 ? "unigram table" : "trigram table");
}

void LanguageModelLesson::show_term_formula(const text::ChainTerm& term) {
  const text::NgramModel& m = full_;
  const std::string w = m.vocab.words[size_t(term.word)];
  const std::string ctx = words_string(term.context);
  const std::string given = term.context.empty() ? "" : " | " + ctx;
  const std::string joint = term.context.empty() ? w : ctx + " " + w;
  switch (smoothing_.kind) {
    case Smoothing::MaximumLikelihood:
      if (term.context_count == 0)
        ImGui::TextWrapped("%s", trf("lm.mle_unseen_context", w.c_str(), given.c_str(), joint.c_str(), ctx.c_str()).c_str());
      else
        FormulaText("P(%s%s) = count(%s) / count(%s) = %ld / %ld = %s", w.c_str(), given.c_str(), joint.c_str(),
                    term.context.empty() ? tr("lm.all_tokens") : ctx.c_str(), term.ngram_count, term.context_count,
                    format_probability(term.probability).c_str());
      break;
    case Smoothing::AddK:
      FormulaText("%s", trf("lm.add_k_formula", w.c_str(), given.c_str(), term.ngram_count, smoothing_.k,
                            term.context_count, smoothing_.k, m.predictable_words(),
                            format_probability(term.probability).c_str()).c_str());
      break;
    case Smoothing::KneserNey: {
      const text::KneserNeyTerms t = text::kneser_ney_terms(m, smoothing_.discount, term.context.data(), term.word);
      FormulaText("%s", trf("lm.kn_formula", w.c_str(), given.c_str()).c_str());
      if (t.context_total == 0)
        FormulaText("%s", trf("lm.kn_unseen_context", format_probability(t.lower).c_str()).c_str());
      else
        FormulaText("  = max(%ld − %.2f, 0) / %ld + %.2f · %ld / %ld · %s = %s", t.count, smoothing_.discount,
                    t.context_total, smoothing_.discount, t.context_types, t.context_total,
                    format_probability(t.lower).c_str(), format_probability(t.probability).c_str());
      TextDisabledWrapped(order_ == 1 ? tr("lm.kn_lower_uniform") : tr("lm.kn_lower_continuation"));
      break;
    }
  }
}

void LanguageModelLesson::show_chain_rule() {
  SectionHeading(tr("lm.chain_rule"));
  if (TextLine(trl("lm.sentence"), sentence_, 22)) {
    use_glyphs(sentence_);
    follows_language_ = false;
  }
  HelpMarker(tr("lm.help_chain_rule"));
  const std::vector<std::string> words = tokenize_sentence();
  const text::SentenceProbability chain = text::sentence_probability(full_, smoothing_, words);
  if (!chain.error.empty()) {
    // The words the vocabulary lacks, as text::sentence_probability finds them.
    std::string unknown;
    for (const std::string& word : words) {
      const int id = full_.vocab.id(word);
      if (id < 0 || id == full_.start_id)
        unknown += (unknown.empty() ? "" : tr("lm.word_list_separator")) + trf("lm.quoted_word", word.c_str());
    }
    ExplainProblem(trf("lm.unknown_words", unknown.c_str(), full_.predictable_words()));
    return;
  }
  selected_term_ = std::min(selected_term_, int(chain.terms.size()) - 1);
  if (BeginFittedTable("chain", 4, int(chain.terms.size()), ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn(tr("lm.column_term"));
    ImGui::TableSetupColumn(tr("lm.column_count_context"));
    ImGui::TableSetupColumn("P");
    ImGui::TableSetupColumn("log P");
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < chain.terms.size(); ++i) {
      const text::ChainTerm& t = chain.terms[i];
      ImGui::TableNextRow();
      if (t.probability == 0) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(200, 60, 40, 90));
      ImGui::TableNextColumn();
      const std::string label = "P(" + full_.vocab.words[size_t(t.word)] + context_string(t.context) + ")##" +
                                std::to_string(i);
      if (ImGui::Selectable(label.c_str(), int(i) == selected_term_, ImGuiSelectableFlags_SpanAllColumns))
        selected_term_ = int(i);
      ImGui::TableNextColumn();
      ImGui::Text("%ld / %ld", t.ngram_count, t.context_count);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(format_probability(t.probability).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", std::log(t.probability));
    }
    ImGui::EndTable();
  }
  const double per_word = std::exp(-chain.log_probability / double(chain.terms.size()));
  FormulaText("%s", trf("lm.sentence_summary", format_probability(std::exp(chain.log_probability)).c_str(),
                        chain.log_probability, format_perplexity(per_word).c_str()).c_str());
  if (std::isinf(chain.log_probability)) ExplainProblem(tr("lm.zero_term"));
  show_term_formula(chain.terms[size_t(selected_term_)]);
}

void LanguageModelLesson::show_perplexity() {
  SectionHeading(tr("lm.held_out_perplexity"));
  if (split_.held_out.empty()) {
    ExplainProblem(tr("lm.perplexity_needs_two"));
    return;
  }
  long held_out_tokens = 0;
  for (const auto& s : split_.held_out) held_out_tokens += long(s.size()) + 1;
  ImGui::TextWrapped("%s", trf("lm.split_summary", split_.train.size(), split_.held_out.size(), held_out_tokens).c_str());
  HelpMarker(tr("lm.help_perplexity"));
  // Smoothing down, order across: short columns, so it fits a narrow column of controls.
  if (ImGui::BeginTable("perplexity", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn(tr("lm.smoothing"), ImGuiTableColumnFlags_WidthStretch);
    const char* orders[] = {"n = 1", "n = 2", "n = 3"};
    float number_w = 0;
    for (int n = 0; n < 3; ++n) {
      number_w = std::max(number_w, TextWidth(orders[n]));
      for (int s = 0; s < 3; ++s) number_w = std::max(number_w, TextWidth(format_perplexity(perplexities_[n][s]).c_str()));
    }
    for (const char* o : orders) ImGui::TableSetupColumn(o, ImGuiTableColumnFlags_WidthFixed, number_w);
    ImGui::TableHeadersRow();
    for (int s = 0; s < 3; ++s) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      TextEllipsis(tr(smoothing_key(kSmoothings[s])));
      for (int n = 1; n <= 3; ++n) {
        ImGui::TableNextColumn();
        if (n == order_ && s == int(smoothing_.kind))
          ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, accent_color(0.45f));
        ImGui::TextUnformatted(format_perplexity(perplexities_[n - 1][s]).c_str());
      }
    }
    ImGui::EndTable();
  }
  TextDisabledWrapped(tr("lm.orders_note"));
}

void LanguageModelLesson::show_samples() {
  SectionHeading(tr("lm.sampling"));
  const bool poems = is_poems(preset_);
  if (poems) {
    // The verse line's length: the corpus's commoner, or 5 (五言) or 7 (七言) characters.
    ImGui::TextUnformatted(tr("lm.shape"));
    const char* names[] = {trl("lm.shape_auto"), trl("lm.shape_5"), trl("lm.shape_7")};
    const int shapes[] = {0, 5, 7};
    for (int i = 0; i < 3; ++i) {
      SameLineIfFits(CheckboxWidth(names[i]));
      if (ImGui::RadioButton(names[i], shape_ == shapes[i])) shape_ = shapes[i];
    }
    HelpMarker(trf("lm.help_shape", corpus_line_length_).c_str());
  }
  if (ImGui::Button(poems ? trl("lm.sample_poems_button") : trl("lm.sample_button"))) sample();
  HelpMarker(poems ? tr("lm.help_sampling_poems") : tr("lm.help_sampling"));
  for (const std::string& s : samples_) {
    ImGui::Bullet();
    ImGui::TextWrapped("%s", s == kEmptySample ? tr("lm.empty_sample") : s.c_str());
  }
}

void LanguageModelLesson::ShowLessonLanguageModel() {
  LessonPanes(
      [this] {
        ImGui::TextWrapped("%s", tr("lm.intro"));
        show_corpus();
        if (!problem_.empty()) {
          ExplainProblem(trf("text.corpus_unusable", problem_key_ ? tr(problem_key_) : problem_.c_str()));
          return;
        }
        show_controls();
        ImGui::TextWrapped("%s", trf("lm.corpus_summary", sentences_.size(), full_.predicted_tokens,
                                     full_.predictable_words()).c_str());
        show_perplexity();
        show_samples();
      },
      [this] {
        if (!problem_.empty()) {
          ImGui::TextWrapped("%s", tr("lm.no_model"));
          MainFigure("bigram probabilities");
          return;
        }
        show_counts();
        show_chain_rule();
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_language_model() { return std::make_unique<LanguageModelLesson>(); }

}  // namespace ll::ui
