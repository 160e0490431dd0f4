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
#include "lessons/fonts.hpp"
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
// The course's sentence (`pairs example en`) and the same in Chinese (`pairs example zh`),
// segmented into words (词) by spaces: 10 words, or 14 characters (字) read by character.
const char* const kSentence = "the quick brown fox jumps over the lazy dog";
const char* const kSentenceZh = "敏捷 的 棕色 狐狸 跳过 了 那 只 懒 狗";
// The sentence a fresh lesson starts on: the one in the interface's language.
const char* starting_sentence() { return interface_is_chinese() ? kSentenceZh : kSentence; }

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
  SkipGramPairsLesson() { set_sentence(starting_sentence()); }

  const char* id() const override { return "skip-gram-pairs"; }
  const char* title() const override { return tr("lessons.skip_gram_pairs"); }
  const char* group() const override { return tr("groups.word_vectors"); }
  void show() override {
    follows_language_ = false;
    ShowLessonSkipGramPairs();
  }
  void language_changed() override {
    if (follows_language_) set_sentence(starting_sentence());
  }
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
    use_glyphs(sentence_text_);
    text::TokenizeOptions options;
    options.cjk = cjk_;
    words_ = text::tokenize(text, options);
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
  bool follows_language_ = true;     // until the lesson is opened or its sentence chosen
  text::CjkTokens cjk_ = text::CjkTokens::Auto;
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
        follows_language_ = false;
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
    follows_language_ = false;
    if (words_.size() < 2) return {false, "a sentence needs at least two words"};
    return {true, std::to_string(words_.size()) + " words"};
  }
  if (w.size() == 3 && w[1] == "example") {
    if (w[2] != "en" && w[2] != "zh") return {false, "example: en or zh"};
    set_sentence(w[2] == "zh" ? kSentenceZh : kSentence);
    follows_language_ = false;
    return {true, "example " + w[2] + ": " + std::to_string(words_.size()) + " words"};
  }
  if (w.size() == 3 && w[1] == "tokens") {
    if (!text::parse_cjk_tokens(w[2], cjk_)) return {false, "tokens: auto, char or space"};
    set_sentence(sentence_text_);
    follows_language_ = false;
    return {true, "tokens " + w[2] + ": " + std::to_string(words_.size()) + " words"};
  }
  return {false, "usage: pairs window 1-8 | pairs centre K | pairs outside WORD | pairs mode sg|cbow | "
                 "pairs scale S | pairs example en|zh | pairs tokens auto|char|space | pairs sentence WORDS"};
}

nlohmann::json SkipGramPairsLesson::state() const {
  nlohmann::json s = {{"mode", cbow_ ? "cbow" : "skip-gram"}, {"window", window_},
                      {"sentence_length", words_.size()}, {"vocab_size", vocab_.size()},
                      {"skip_gram_pairs", text::skip_gram_pairs(int(words_.size()), window_).size()},
                      {"cbow_examples", text::cbow_examples(int(words_.size()), window_).size()},
                      {"example", sentence_text_ == kSentence ? "en" : sentence_text_ == kSentenceZh ? "zh" : "custom"},
                      {"tokens", text::cjk_tokens_name(cjk_)}, {"words", words_}};
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
      ImGui::SetTooltip("%s", centre ? tr("sgp.tip_centre") : context ? tr("sgp.tip_context") : tr("sgp.tip_other"));
    ImGui::PopID();
  }
}

void SkipGramPairsLesson::show_pairs() {
  const int length = int(words_.size());
  const std::vector<text::SkipGramPair> pairs = text::skip_gram_pairs(length, window_);
  const std::vector<text::CbowExample> examples = text::cbow_examples(length, window_);
  ImGui::Spacing();
  TextEllipsis(cbow_ ? tr("sgp.cbow_examples") : tr("sgp.skip_gram_pairs"));
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
  ImGui::TableSetupColumn(cbow_ ? trl("sgp.input_context") : trl("sgp.input_centre"));
  ImGui::TableSetupColumn(cbow_ ? trl("sgp.predict_centre") : trl("sgp.predict_context"));
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
  SectionHeading(tr("sgp.softmax_heading"));
  NextControlWidth(trl("sgp.dimensions"), 8);
  if (ImGui::SliderInt(trl("sgp.dimensions"), &dim_, 2, kMaxDim)) rebuild_vectors();
  HelpMarker(tr("sgp.help_dimensions"));
  float scale_log = float(std::log10(scale_));
  NextControlWidth(trl("sgp.vector_scale"), 9, true);
  if (ImGui::SliderFloat(trl("sgp.vector_scale"), &scale_log, -1, 2, "")) {
    scale_ = std::pow(10.0, double(scale_log));
    rebuild_vectors();
  }
  char value[32];
  std::snprintf(value, sizeof value, "%.3g", scale_);
  SameLineIfFits(TextWidth(value));
  ImGui::TextUnformatted(value);
  HelpMarker(tr("sgp.help_vector_scale"));

  const int c = vocab_.id(words_[size_t(centre_)]), o = vocab_.id(words_[size_t(outside_)]);
  const text::SoftmaxOverVocab softmax = text::skip_gram_softmax(center_vectors_, outside_vectors_, c);
  const double largest = *std::max_element(softmax.logits.begin(), softmax.logits.end());
  FormulaText("c = \"%s\":  v_c = %s", vocab_.words[size_t(c)].c_str(),
              vector_text(center_vectors_.row(c).transpose()).c_str());
  FormulaText("o = \"%s\":  u_o = %s", vocab_.words[size_t(o)].c_str(),
              vector_text(outside_vectors_.row(o).transpose()).c_str());
  const double p = softmax.probabilities[size_t(o)];
  const double logit = softmax.logits[size_t(o)];
  FormulaText("%s", trf("sgp.softmax_shifted", vocab_.words[size_t(o)].c_str(), vocab_.words[size_t(c)].c_str(), largest)
                        .c_str());
  FormulaText("  = exp(%.3f − %.3f) / %.4g = %.4g%s", logit, largest, std::exp(softmax.log_normalizer - largest), p,
              p == 0 ? tr("sgp.underflow") : "");
  // The loss from the log-normaliser, not log(p): finite even when p underflows.
  FormulaText("%s", trf("sgp.loss_line", softmax.log_normalizer, logit, softmax.log_normalizer - logit).c_str());
  if (largest > 709) ExplainProblem(trf("sgp.overflow", int(largest)));

  TextDisabledWrapped(tr("sgp.full_softmax_note"));
}

void SkipGramPairsLesson::show_softmax_table() {
  const int c = vocab_.id(words_[size_t(centre_)]), o = vocab_.id(words_[size_t(outside_)]);
  const text::SoftmaxOverVocab softmax = text::skip_gram_softmax(center_vectors_, outside_vectors_, c);
  const double largest = *std::max_element(softmax.logits.begin(), softmax.logits.end());
  SectionHeading(trf("sgp.table_heading", vocab_.words[size_t(c)].c_str()).c_str());
  // Columns as wide as their text; the bars, then the shifted exponentials, left out where the
  // figure column is too narrow for them.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float cell = style.CellPadding.x * 2 + 1;
  float word_w = TextWidth(trl("sgp.word_w"));
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
    ImGui::TableSetupColumn(trl("sgp.word_w"));
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
    FormulaText("%s", trf("sgp.sum_line", total, vocab_.size()).c_str());
  }
}

void SkipGramPairsLesson::ShowLessonSkipGramPairs() {
  const auto usable = [this] { return words_.size() >= 2; };
  LessonPanes(
      [&] {
        ImGui::TextWrapped("%s", tr("sgp.intro"));
        if (TextBox(trl("sgp.sentence"), sentence_text_, 2)) set_sentence(sentence_text_);
        if (ImGui::SmallButton(trl("sgp.example_en"))) set_sentence(kSentence);
        SameLineIfFits(ButtonWidth(trl("sgp.example_zh")));
        if (ImGui::SmallButton(trl("sgp.example_zh"))) set_sentence(kSentenceZh);
        if (CjkTokensCombo(cjk_)) set_sentence(sentence_text_);
        NextControlWidth(trl("sgp.window"), 10);
        if (ImGui::SliderInt(trl("sgp.window"), &window_, 1, kMaxWindow)) set_centre(centre_);
        HelpMarker(tr("sgp.help_window"));
        if (ImGui::RadioButton(trl("sgp.skip_gram"), !cbow_)) cbow_ = false;
        SameLineIfFits(CheckboxWidth(trl("sgp.cbow")));
        if (ImGui::RadioButton(trl("sgp.cbow"), cbow_)) cbow_ = true;
        SameLineIfFits(CheckboxWidth(trl("sgp.play")));
        ImGui::Checkbox(trl("sgp.play"), &playing_);
        HelpMarker(tr("sgp.help_play"));
        if (words_.empty()) {
          ExplainProblem(tr("sgp.no_words"));
          return;
        }
        if (!usable()) {
          ExplainProblem(tr("sgp.one_word"));
          return;
        }
        if (window_ >= int(words_.size()) - 1) ExplainProblem(trf("sgp.window_too_large", window_, int(words_.size())));
        TextDisabledWrapped(trf("sgp.legend", centre_, window_).c_str());
        ImGui::TextWrapped("%s", trf("sgp.counts", int(words_.size()), window_,
                                     text::skip_gram_pairs(int(words_.size()), window_).size(),
                                     text::cbow_examples(int(words_.size()), window_).size())
                                     .c_str());
        HelpMarker(tr("sgp.help_counts"));
        show_softmax();
      },
      [&] {
        if (!usable()) {
          ImGui::TextWrapped("%s", tr("sgp.needs_two_words"));
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
