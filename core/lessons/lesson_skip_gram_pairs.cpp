// [skip-gram-pairs] The training examples word2vec draws from one sentence: skip-gram pairs
// (centre → each word in the window) and CBOW examples (window → centre), with the centre word
// highlighted; then the full softmax P(o|c) = exp(u_o·v_c) / Σ_w exp(u_w·v_c) for one pair,
// with small seeded vectors and the numbers.
#include <algorithm>
#include <cstdarg>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/text_lessons.hpp"
#include "lessons/i18n.hpp"
#include "ml/text/pairs.hpp"
#include "ml/text/tokenize.hpp"

namespace ll::ui {

namespace {

constexpr int kMaxWindow = 8;
constexpr int kMaxDim = 8;
constexpr double kSecondsPerCentre = 0.9;  // "Play" walks the centre through the sentence
const char* const kDefaultSentence = "the quick brown fox jumps over the lazy dog";

std::string vector_text(const Eigen::VectorXd& v) {
  std::string out = "(";
  char buffer[32];
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    std::snprintf(buffer, sizeof buffer, "%s%.2f", i ? ", " : "", v[i]);
    out += buffer;
  }
  return out + ")";
}

class SkipGramPairsLesson : public Lesson {
 public:
  SkipGramPairsLesson() { set_sentence(kDefaultSentence); }

  const char* id() const override { return "skip-gram-pairs"; }
  const char* title() const override { return tr("lessons.skip_gram_pairs"); }
  const char* group() const override { return tr("groups.word_vectors"); }
  void show() override { ShowLessonSkipGramPairs(); }
  void reseed(uint64_t seed) override {
    seed_ = seed;
    rebuild_vectors();
  }
  void advance(double) override {
    if (!playing_ || words_.empty()) return;
    play_clock_ += ImGui::GetIO().DeltaTime;
    if (play_clock_ < kSecondsPerCentre) return;
    play_clock_ = 0;
    set_centre((centre_ + 1) % int(words_.size()));
  }
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;

 private:
  void set_sentence(const std::string& text) {
    sentence_text_ = text;
    words_ = text::tokenize(text);
    vocab_ = text::build_vocab(words_);
    centre_ = std::min(centre_, std::max(0, int(words_.size()) - 1));
    rebuild_vectors();
    set_centre(centre_);
  }
  void rebuild_vectors() {
    center_vectors_ = text::seeded_vectors(vocab_.size(), dim_, seed_, scale_);
    outside_vectors_ = text::seeded_vectors(vocab_.size(), dim_, seed_ + 1, scale_);
  }
  void set_centre(int centre) {
    centre_ = centre;
    // Keep the outside word inside the window: default to the first context word.
    if (words_.size() < 2) return;
    if (outside_ < 0 || outside_ >= int(words_.size()) || outside_ == centre_ || std::abs(outside_ - centre_) > window_)
      outside_ = centre_ > 0 ? centre_ - 1 : centre_ + 1;
  }
  double pair_probability() const;
  double pair_loss() const;  // −log P(o | c), computed stably
  void ShowLessonSkipGramPairs();
  void show_sentence();
  void show_pairs();
  void show_softmax();
  void show_softmax_table();

  std::string sentence_text_;
  std::vector<std::string> words_;  // [length] the sentence's tokens
  text::Vocab vocab_;                // the softmax runs over the sentence's distinct words
  int window_ = 2;
  bool cbow_ = false;
  int centre_ = 2, outside_ = 1;     // positions in the sentence
  int scrolled_to_centre_ = -1;      // the centre the pair table last scrolled to
  bool playing_ = false;
  double play_clock_ = 0;
  uint64_t seed_ = 1;
  int dim_ = 3;
  double scale_ = 0.8;               // standard deviation of the vectors' entries
  Eigen::MatrixXd center_vectors_;   // [vocab × dim] v_w
  Eigen::MatrixXd outside_vectors_;  // [vocab × dim] u_w
};

double SkipGramPairsLesson::pair_probability() const {
  if (words_.size() < 2) return NAN;
  const int c = vocab_.id(words_[size_t(centre_)]), o = vocab_.id(words_[size_t(outside_)]);
  return text::skip_gram_softmax(center_vectors_, outside_vectors_, c).probabilities[size_t(o)];
}

double SkipGramPairsLesson::pair_loss() const {
  if (words_.size() < 2) return NAN;
  const int c = vocab_.id(words_[size_t(centre_)]), o = vocab_.id(words_[size_t(outside_)]);
  const text::SoftmaxOverVocab softmax = text::skip_gram_softmax(center_vectors_, outside_vectors_, c);
  return softmax.log_normalizer - softmax.logits[size_t(o)];
}

CommandResult SkipGramPairsLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "pairs") return {};
  if (w.size() == 3 && w[1] == "window") {
    const int n = std::atoi(w[2].c_str());
    if (n < 1 || n > kMaxWindow) return {false, "the window must be 1–" + std::to_string(kMaxWindow)};
    window_ = n;
    set_centre(centre_);
    return {true, "window " + w[2]};
  }
  if (w.size() == 3 && (w[1] == "centre" || w[1] == "center")) {
    const int k = std::atoi(w[2].c_str());
    if (w[2].find_first_not_of("0123456789") != std::string::npos || k < 0 || k >= int(words_.size()))
      return {false, "the centre is a position 0–" + std::to_string(int(words_.size()) - 1)};
    set_centre(k);
    return {true, "centre " + words_[size_t(k)]};
  }
  if (w.size() == 3 && w[1] == "outside") {
    for (int k = std::max(0, centre_ - window_); k <= std::min(int(words_.size()) - 1, centre_ + window_); ++k)
      if (k != centre_ && words_[size_t(k)] == w[2]) {
        outside_ = k;
        return {true, "outside " + w[2]};
      }
    return {false, "'" + w[2] + "' is not in the centre word's window"};
  }
  if (w.size() == 3 && w[1] == "mode") {
    if (w[2] != "sg" && w[2] != "cbow") return {false, "mode: sg or cbow"};
    cbow_ = w[2] == "cbow";
    return {true, "mode " + w[2]};
  }
  if (w.size() == 3 && w[1] == "scale") {
    const double s = std::atof(w[2].c_str());
    if (!(s >= 0.01 && s <= 100)) return {false, "the scale must be in [0.01, 100]"};
    scale_ = s;
    rebuild_vectors();
    return {true, "scale " + w[2]};
  }
  if (w.size() >= 2 && w[1] == "sentence") {
    std::string text;
    for (size_t i = 2; i < w.size(); ++i) text += (i > 2 ? " " : "") + w[i];
    set_sentence(text);
    if (words_.size() < 2) return {false, "a sentence needs at least two words"};
    return {true, std::to_string(words_.size()) + " words"};
  }
  return {false, "usage: pairs window 1-8 | pairs centre K | pairs outside WORD | pairs mode sg|cbow | "
                 "pairs scale S | pairs sentence WORDS"};
}

nlohmann::json SkipGramPairsLesson::state() const {
  nlohmann::json s = {{"mode", cbow_ ? "cbow" : "skip-gram"}, {"window", window_},
                      {"sentence_length", words_.size()}, {"vocab_size", vocab_.size()},
                      {"skip_gram_pairs", text::skip_gram_pairs(int(words_.size()), window_).size()},
                      {"cbow_examples", text::cbow_examples(int(words_.size()), window_).size()}};
  if (words_.size() >= 2) {
    s["centre"] = centre_;
    s["centre_word"] = words_[size_t(centre_)];
    s["outside_word"] = words_[size_t(outside_)];
    s["probability"] = pair_probability();
    s["loss"] = pair_loss();
  }
  return s;
}

void SkipGramPairsLesson::show_sentence() {
  const int length = int(words_.size());
  ImGui::Spacing();
  for (int k = 0; k < length; ++k) {
    const bool centre = k == centre_, context = !centre && std::abs(k - centre_) <= window_;
    const bool outside = !cbow_ && k == outside_;
    if (k) SameLineIfFits(ButtonWidth(words_[size_t(k)].c_str()));
    ImGui::PushID(k);
    ImGui::PushStyleColor(ImGuiCol_Button, centre ? accent_color(1.0f) : context ? accent_color(0.35f)
                                                                              : ImGui::GetColorU32(ImGuiCol_FrameBg));
    if (outside) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.5f);
    if (ImGui::Button(words_[size_t(k)].c_str())) {
      if (context) outside_ = k;
      else set_centre(k);
    }
    if (outside) ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(centre ? "the centre word" : context ? "in the window: click to use it as the outside word o"
                                                             : "click to make this the centre word");
    ImGui::PopID();
  }
}

void SkipGramPairsLesson::show_pairs() {
  const int length = int(words_.size());
  const std::vector<text::SkipGramPair> pairs = text::skip_gram_pairs(length, window_);
  const std::vector<text::CbowExample> examples = text::cbow_examples(length, window_);
  ImGui::Spacing();
  TextEllipsis(cbow_ ? "CBOW examples: window → centre" : "Skip-gram pairs: centre → context");
  // As tall as the rows need, within the space left on screen (4 to 12 rows), so that on a
  // large screen the softmax table below shows too.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float row_height = ImGui::GetTextLineHeight() + style.CellPadding.y * 2 + 1;
  const float needed = row_height * float((cbow_ ? examples.size() : pairs.size()) + 1) + style.ScrollbarSize;
  const float height =
      std::min(needed, std::max(row_height * 4, std::min(row_height * 13, ImGui::GetContentRegionAvail().y - Em(0.5f))));
  if (!ImGui::BeginTable("pairs", 2, ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp,
                         ImVec2(ImGui::GetContentRegionAvail().x, height)))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(cbow_ ? "input: context words" : "input: centre c");
  ImGui::TableSetupColumn(cbow_ ? "predict: centre" : "predict: context o");
  ImGui::TableHeadersRow();
  if (cbow_) {
    for (const text::CbowExample& e : examples) {
      ImGui::TableNextRow();
      if (e.center == centre_) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, accent_color(0.35f));
      ImGui::TableNextColumn();
      std::string context;
      for (int k : e.context) context += (context.empty() ? "" : ", ") + words_[size_t(k)];
      TextEllipsis(context.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(words_[size_t(e.center)].c_str());
    }
  } else {
    for (size_t i = 0; i < pairs.size(); ++i) {
      const text::SkipGramPair& p = pairs[i];
      ImGui::TableNextRow();
      if (p.center == centre_) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, accent_color(0.35f));
      ImGui::TableNextColumn();
      if (p.center == centre_ && scrolled_to_centre_ != centre_) {
        ImGui::SetScrollHereY(0.3f);  // keep the centre's pairs in view as it moves
        scrolled_to_centre_ = centre_;
      }
      const std::string label = words_[size_t(p.center)] + "##pair" + std::to_string(i);
      const bool chosen = p.center == centre_ && p.context == outside_;
      if (ImGui::Selectable(label.c_str(), chosen, ImGuiSelectableFlags_SpanAllColumns)) {
        set_centre(p.center);
        outside_ = p.context;
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(words_[size_t(p.context)].c_str());
    }
  }
  ImGui::EndTable();
}

void SkipGramPairsLesson::show_softmax() {
  SectionHeading("Softmax for one pair: P(o | c) = exp(u_o·v_c) / Σ_w exp(u_w·v_c)");
  NextControlWidth("dimensions", 8);
  if (ImGui::SliderInt("dimensions", &dim_, 2, kMaxDim)) rebuild_vectors();
  HelpMarker("Each word has two vectors: v_w when it is the centre, u_w when it is the outside word. Here they are "
             "small seeded random vectors (the seed is in the menu bar); training would move them.");
  float scale_log = float(std::log10(scale_));
  NextControlWidth("vector scale", 9, true);
  if (ImGui::SliderFloat("vector scale", &scale_log, -1, 2, "")) {
    scale_ = std::pow(10.0, double(scale_log));
    rebuild_vectors();
  }
  char value[32];
  std::snprintf(value, sizeof value, "%.3g", scale_);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker("The standard deviation of the vectors' entries. Large vectors give large dot products: exp() of them "
             "overflows unless the largest logit is subtracted first, as here.");

  const int c = vocab_.id(words_[size_t(centre_)]), o = vocab_.id(words_[size_t(outside_)]);
  const text::SoftmaxOverVocab softmax = text::skip_gram_softmax(center_vectors_, outside_vectors_, c);
  const double largest = *std::max_element(softmax.logits.begin(), softmax.logits.end());
  FormulaText("c = \"%s\":  v_c = %s", vocab_.words[size_t(c)].c_str(),
              vector_text(center_vectors_.row(c).transpose()).c_str());
  FormulaText("o = \"%s\":  u_o = %s", vocab_.words[size_t(o)].c_str(),
              vector_text(outside_vectors_.row(o).transpose()).c_str());
  const double p = softmax.probabilities[size_t(o)];
  const double logit = softmax.logits[size_t(o)];
  FormulaText("P(%s | %s) = exp(u_o·v_c − m) / Σ_w exp(u_w·v_c − m) with m = max_w u_w·v_c = %.3f",
              vocab_.words[size_t(o)].c_str(), vocab_.words[size_t(c)].c_str(), largest);
  FormulaText("  = exp(%.3f − %.3f) / %.4g = %.4g%s", logit, largest, std::exp(softmax.log_normalizer - largest), p,
              p == 0 ? "  (below the smallest double: it underflows to 0)" : "");
  // The loss from the log-normaliser, not log(p): finite even when p underflows.
  FormulaText("loss −log P(o | c) = log Σ_w exp(u_w·v_c) − u_o·v_c = %.4f − %.4f = %.4f", softmax.log_normalizer, logit,
              softmax.log_normalizer - logit);
  if (largest > 709)
    ExplainProblem("The largest logit is " + std::to_string(int(largest)) + ": exp() of it overflows a double. "
                   "Subtracting it from every logit first keeps each exp ≤ 1, and the probabilities are unchanged.");

  TextDisabledWrapped("The full softmax sums over the whole vocabulary for every pair: word2vec replaces it with "
                      "negative sampling or hierarchical softmax (lesson word2vec).");
}

void SkipGramPairsLesson::show_softmax_table() {
  const int c = vocab_.id(words_[size_t(centre_)]), o = vocab_.id(words_[size_t(outside_)]);
  const text::SoftmaxOverVocab softmax = text::skip_gram_softmax(center_vectors_, outside_vectors_, c);
  const double largest = *std::max_element(softmax.logits.begin(), softmax.logits.end());
  char title[96];
  std::snprintf(title, sizeof title, "P(w | %s) over the sentence's words", vocab_.words[size_t(c)].c_str());
  SectionHeading(title);
  // Columns as wide as their text; the bars, then the shifted exponentials, left out where the
  // figure column is too narrow for them.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float cell = style.CellPadding.x * 2 + 1;
  float word_w = TextWidth("word w");
  for (const std::string& w : vocab_.words) word_w = std::max(word_w, TextWidth(w.c_str()));
  char number[32];
  float logit_w = TextWidth("u_w·v_c"), exp_w = TextWidth("exp(u_w·v_c − max)"), p_w = TextWidth("P(w | c)");
  for (int w = 0; w < vocab_.size(); ++w) {
    std::snprintf(number, sizeof number, "%.3f", softmax.logits[size_t(w)]);
    logit_w = std::max(logit_w, TextWidth(number));
    std::snprintf(number, sizeof number, "%.4g", std::exp(softmax.logits[size_t(w)] - largest));
    exp_w = std::max(exp_w, TextWidth(number));
  }
  const float bar_w = Em(6), avail = ImGui::GetContentRegionAvail().x;
  float total_w = word_w + logit_w + p_w + 3 * cell;
  const bool with_exp = total_w + exp_w + cell <= avail;
  if (with_exp) total_w += exp_w + cell;
  const bool with_bars = total_w + bar_w + cell <= avail;
  if (ImGui::BeginTable("softmax", 3 + with_exp + with_bars, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("word w");
    ImGui::TableSetupColumn("u_w·v_c");
    if (with_exp) ImGui::TableSetupColumn("exp(u_w·v_c − max)");
    ImGui::TableSetupColumn("P(w | c)");
    if (with_bars) ImGui::TableSetupColumn("##bar", ImGuiTableColumnFlags_WidthFixed, bar_w);
    ImGui::TableHeadersRow();
    double total = 0;
    for (int w = 0; w < vocab_.size(); ++w) {
      const double shifted = std::exp(softmax.logits[size_t(w)] - largest);
      total += softmax.probabilities[size_t(w)];
      ImGui::TableNextRow();
      if (w == o) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, accent_color(0.45f));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(vocab_.words[size_t(w)].c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", softmax.logits[size_t(w)]);
      if (with_exp) {
        ImGui::TableNextColumn();
        ImGui::Text("%.4g", shifted);
      }
      ImGui::TableNextColumn();
      ImGui::Text("%.4f", softmax.probabilities[size_t(w)]);
      if (!with_bars) continue;
      // The bar makes the distribution visible at a glance.
      ImGui::TableNextColumn();
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const float bar = ImGui::GetFontSize() * 6 * float(softmax.probabilities[size_t(w)]);
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x, at.y + 2), ImVec2(at.x + bar, at.y + ImGui::GetFontSize() - 2),
                                                accent_color(0.8f));
      ImGui::Dummy(ImVec2(ImGui::GetFontSize() * 6, ImGui::GetFontSize()));
    }
    ImGui::EndTable();
    FormulaText("Σ_w P(w | c) = %.6f over the sentence's %d distinct words", total, vocab_.size());
  }
}

void SkipGramPairsLesson::ShowLessonSkipGramPairs() {
  const auto usable = [this] { return words_.size() >= 2; };
  LessonPanes(
      [&] {
        ImGui::TextWrapped("word2vec learns from pairs of words that occur near each other. Slide the window, move "
                           "the centre word, and see which examples one sentence gives.");
        if (TextBox("sentence", sentence_text_, 2)) set_sentence(sentence_text_);
        NextControlWidth("window", 10);
        if (ImGui::SliderInt("window", &window_, 1, kMaxWindow)) set_centre(centre_);
        HelpMarker("How many words on each side of the centre count as its context.");
        if (ImGui::RadioButton("skip-gram", !cbow_)) cbow_ = false;
        SameLineIfFits(CheckboxWidth("CBOW"));
        if (ImGui::RadioButton("CBOW", cbow_)) cbow_ = true;
        SameLineIfFits(CheckboxWidth("play"));
        ImGui::Checkbox("play", &playing_);
        HelpMarker("Walk the centre word through the sentence, one position every 0.9 s.");
        if (words_.empty()) {
          ExplainProblem("Type a sentence: it has no words yet (words are runs of letters, digits and apostrophes).");
          return;
        }
        if (!usable()) {
          ExplainProblem("A one-word sentence has no context: type at least two words.");
          return;
        }
        if (window_ >= int(words_.size()) - 1)
          ExplainProblem("The window (" + std::to_string(window_) + ") reaches past both ends of this " +
                         std::to_string(words_.size()) + "-word sentence: every word is in every other word's "
                         "window, and a larger window adds nothing.");
        char note[240];
        std::snprintf(note, sizeof note, "Filled: the centre word (position %d). Tinted: its window of ±%d. Framed: "
                      "the outside word o of the softmax. Click a word to move the centre, a tinted word to choose o.",
                      centre_, window_);
        TextDisabledWrapped(note);
        ImGui::TextWrapped("%d words, window %d → %zu skip-gram pairs, %zu CBOW examples", int(words_.size()), window_,
                           text::skip_gram_pairs(int(words_.size()), window_).size(),
                           text::cbow_examples(int(words_.size()), window_).size());
        HelpMarker("Skip-gram makes one (centre, context) pair per word in the window, so far words and near words "
                   "count alike (word2vec also shrinks the window at random, which favours near words). CBOW averages "
                   "the window's vectors and predicts the centre once.");
        show_softmax();
      },
      [&] {
        if (!usable()) {
          ImGui::TextWrapped("The sentence needs at least two words.");
          MainFigure("sentence and pairs");
          return;
        }
        // The sentence with its centre and window, and the examples it gives: one figure.
        ImGui::BeginGroup();
        show_sentence();
        show_pairs();
        ImGui::EndGroup();
        MainFigure("sentence and pairs");
        show_softmax_table();
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_skip_gram_pairs() { return std::make_unique<SkipGramPairsLesson>(); }

}  // namespace ll::ui
