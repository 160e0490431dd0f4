// [one-hot-vs-distributed] One-hot vectors give every word its own axis, so any two different
// words ("hotel", "motel") have cosine similarity 0. A dense matrix W gives each word a row of a
// few numbers; one-hot(w) × W picks that row, which is why an embedding layer is a lookup. Here
// W comes from the corpus itself (PPMI of window co-occurrences, then SVD), so related words
// get related rows.
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
#include "lessons/widgets/plot.hpp"
#include "lessons/i18n.hpp"
#include "ml/text/cooccurrence.hpp"
#include "ml/text/tokenize.hpp"
#include "ml/text/vectors.hpp"

namespace ll::ui {

namespace {

constexpr int kWindow = 2;        // co-occurrence window behind W
constexpr int kMaxVocab = 300;    // the most frequent words get vectors; keeps the SVD instant
constexpr int kMaxDim = 10;

// The texts the lesson offers (`onehot example NAME`), each with the pair of words it starts on.
// The passages also name the course's search phrase: "Seattle motel" should find "Seattle hotel".
struct Example {
  const char* name;
  const char* text;
  const char* label_key;  // its button
  const char* word_a;
  const char* word_b;
  const char* place;      // or nullptr
};
const Example kExamples[] = {
    {"passage", kTravelPassage, "text.travel_passage", "hotel", "motel", "Seattle"},
    {"course", kCourseCorpus, "text.course_sentences", "like", "enjoy", nullptr},
    {"passage-zh", kTravelPassageZh, "text.travel_passage_zh", "酒店", "汽车旅馆", "西雅图"},
    {"course-zh", kCourseCorpusZh, "text.course_sentences_zh", "喜欢", "享受", nullptr},
};
// The example a fresh lesson starts on: the passage in the interface's language.
const Example& starting_example() { return kExamples[interface_is_chinese() ? 2 : 0]; }
const Example* find_example(const std::string& name) {
  for (const Example& e : kExamples)
    if (name == e.name) return &e;
  return nullptr;
}

// Pairs offered as buttons when both words are in the vocabulary.
const char* const kPairs[] = {"hotel motel", "cat dog",  "train bus",     "hotel cat", "like enjoy",
                              "酒店 汽车旅馆", "猫 狗", "火车 公共汽车", "酒店 猫",   "喜欢 享受"};

std::string join(const std::vector<std::string>& words, size_t from) {
  std::string out;
  for (size_t i = from; i < words.size(); ++i) out += (i > from ? " " : "") + words[i];
  return out;
}

class OneHotLesson : public Lesson {
 public:
  OneHotLesson() { set_example(starting_example()); }

  const char* id() const override { return "one-hot-vs-distributed"; }
  const char* title() const override { return tr("lessons.one_hot"); }
  const char* group() const override { return tr("groups.word_vectors"); }
  void show() override {
    follows_language_ = false;
    ShowLessonOneHot();
  }
  void language_changed() override {
    if (follows_language_) set_example(starting_example());
  }
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;

 private:
  void set_corpus(const std::string& text) {
    corpus_text_ = text;
    use_glyphs(corpus_text_);
    recompute();
  }
  void set_example(const Example& example) {
    example_ = &example;
    word_a_ = example.word_a, word_b_ = example.word_b;
    set_corpus(example.text);
  }
  // The example whose text is the corpus, or nullptr for the user's own text.
  const Example* current_example() const { return corpus_text_ == example_->text ? example_ : nullptr; }
  void recompute();
  void rebuild_embeddings();
  int vocab_size() const { return int(words_.size()); }
  int word_id(const std::string& word) const {
    const int id = corpus_.vocab.id(word);
    return id < vocab_size() ? id : -1;
  }
  std::string unknown_word_message(const std::string& word) const;  // English: command replies
  std::string unknown_word_explained(const std::string& word) const;  // the same, in the interface language
  void ShowLessonOneHot();
  void show_corpus_controls();
  void show_one_hot(int a, int b);
  void show_lookup(int a);
  void show_similarities(int a, int b);
  void show_word_plane(int a, const std::vector<int>& marked);

  std::string corpus_text_;
  const Example* example_ = nullptr;  // the example chosen last (its text may have been edited since)
  bool follows_language_ = true;      // until the lesson is opened or its text or words chosen
  text::CjkTokens cjk_ = text::CjkTokens::Auto;
  std::string problem_;  // why there is nothing to show, or "" (English: state(), command replies)
  const char* problem_key_ = nullptr;  // the same in the catalogue, when the lesson wrote it
  text::SentenceCorpus corpus_;
  std::vector<std::string> words_;  // [vocab] the words that get vectors
  text::Svd svd_;
  Eigen::MatrixXd W_;               // [vocab × dim] rows = U_k Σ_k
  int dim_ = 3;
  std::string word_a_ = "hotel", word_b_ = "motel";
};

void OneHotLesson::recompute() {
  problem_ = text::check_text(corpus_text_);
  problem_key_ = nullptr;
  if (problem_.empty()) {
    corpus_ = text::sentence_corpus(text::split_sentences(corpus_text_, true, cjk_));
    if (corpus_.vocab.size() < 2)
      problem_ = "the corpus needs at least two different words", problem_key_ = "text.two_words_needed";
  }
  words_.clear();
  W_.resize(0, 0);
  if (!problem_.empty()) return;
  const int vocab = std::min(corpus_.vocab.size(), kMaxVocab);
  words_.assign(corpus_.vocab.words.begin(), corpus_.vocab.words.begin() + vocab);
  svd_ = text::svd(text::ppmi(text::cooccurrence_matrix(corpus_.sentences, vocab, kWindow)));
  rebuild_embeddings();
}

void OneHotLesson::rebuild_embeddings() {
  dim_ = std::max(1, std::min({dim_, kMaxDim, int(svd_.sigma.size())}));
  W_ = text::word_coordinates(svd_, dim_, true);
}

std::string OneHotLesson::unknown_word_message(const std::string& word) const {
  if (word.empty()) return "type a word";
  if (corpus_.vocab.id(word) >= kMaxVocab)
    return "'" + word + "' is too rare: only the " + std::to_string(kMaxVocab) + " most frequent words get vectors";
  return "'" + word + "' is not a word of the corpus (" + std::to_string(vocab_size()) +
         " words: English in lower case, Chinese split as `onehot tokens` says)";
}

std::string OneHotLesson::unknown_word_explained(const std::string& word) const {
  if (word.empty()) return tr("one_hot.type_a_word");
  if (corpus_.vocab.id(word) >= kMaxVocab) return trf("one_hot.word_too_rare", word.c_str(), kMaxVocab);
  return trf("one_hot.word_not_in_corpus", word.c_str(), vocab_size());
}

CommandResult OneHotLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "onehot") return {};
  if (w.size() == 4 && w[1] == "words") {
    for (size_t i = 2; i < 4; ++i)
      if (word_id(w[i]) < 0) return {false, unknown_word_message(w[i])};
    word_a_ = w[2], word_b_ = w[3];
    follows_language_ = false;
    return {true, "words " + word_a_ + " " + word_b_};
  }
  if (w.size() == 3 && w[1] == "example") {
    const Example* example = find_example(w[2]);
    if (!example) return {false, "example: passage, course, passage-zh or course-zh"};
    set_example(*example);
    follows_language_ = false;
    return {true, "example " + w[2] + ": " + std::to_string(vocab_size()) + " words"};
  }
  if (w.size() == 3 && w[1] == "tokens") {
    if (!text::parse_cjk_tokens(w[2], cjk_)) return {false, "tokens: auto, char or space"};
    recompute();
    follows_language_ = false;
    return {problem_.empty(), problem_.empty() ? "tokens " + w[2] + ": " + std::to_string(vocab_size()) + " words" : problem_};
  }
  if (w.size() == 3 && w[1] == "dim") {
    const int d = std::atoi(w[2].c_str());
    if (d < 1 || d > kMaxDim) return {false, "dim must be 1–" + std::to_string(kMaxDim)};
    dim_ = d;
    if (problem_.empty()) rebuild_embeddings();
    return {true, "dim " + std::to_string(dim_)};
  }
  if (w.size() >= 2 && w[1] == "corpus") {
    set_corpus(join(w, 2));
    follows_language_ = false;
    return {problem_.empty(), problem_.empty() ? "corpus of " + std::to_string(vocab_size()) + " words" : problem_};
  }
  if (w.size() == 2 && w[1] == "reset") {
    dim_ = 3, cjk_ = text::CjkTokens::Auto;
    set_example(starting_example());
    follows_language_ = false;
    return {true, "reset"};
  }
  return {false, "usage: onehot words A B | onehot dim 1-10 | onehot example passage|course|passage-zh|course-zh | "
                 "onehot tokens auto|char|space | onehot corpus TEXT | onehot reset"};
}

nlohmann::json OneHotLesson::state() const {
  const Example* example = current_example();
  nlohmann::json s = {{"vocab_size", vocab_size()}, {"dim", dim_}, {"word_a", word_a_}, {"word_b", word_b_},
                      {"problem", problem_}, {"example", example ? example->name : "custom"},
                      {"tokens", text::cjk_tokens_name(cjk_)}};
  const int a = word_id(word_a_), b = word_id(word_b_);
  if (problem_.empty() && a >= 0 && b >= 0) {
    s["one_hot_cosine"] = text::cosine_similarity(text::one_hot(a, vocab_size()), text::one_hot(b, vocab_size()));
    const double dense = text::cosine_similarity(W_.row(a).transpose(), W_.row(b).transpose());
    s["dense_cosine"] = std::isfinite(dense) ? nlohmann::json(dense) : nlohmann::json(nullptr);
    const Eigen::VectorXd looked_up = text::embedding_product(text::one_hot(a, vocab_size()), W_);
    s["lookup_equals_row"] = (looked_up - W_.row(a).transpose()).cwiseAbs().maxCoeff() == 0;
    s["one_hot_dot"] = text::one_hot(a, vocab_size()).dot(text::one_hot(b, vocab_size()));
  }
  return s;
}

void OneHotLesson::show_corpus_controls() {
  if (TextBox("##corpus", corpus_text_, 6)) {
    use_glyphs(corpus_text_);
    recompute();
  }
  bool first = true;
  for (const Example& example : kExamples) {
    if (!first) SameLineIfFits(ButtonWidth(trl(example.label_key)));
    first = false;
    if (ImGui::Button(trl(example.label_key))) set_example(example);
  }
  HelpMarker(tr("one_hot.help_corpus"));
  if (CjkTokensCombo(cjk_)) recompute();
}

void OneHotLesson::show_one_hot(int a, int b) {
  SectionHeading(tr("one_hot.one_hot_heading"));
  // The columns shown: the first words of the vocabulary, plus the two chosen ones if further on.
  // As many as fit the column's width, so the two 1s are always in view.
  const ImGuiStyle& style = ImGui::GetStyle();
  auto cell_width = [&](const std::string& text) {
    return std::max(TextWidth(text.c_str()), TextWidth("0")) + style.CellPadding.x * 2 + 1;
  };
  std::vector<int> columns = {a};
  if (b != a) columns.push_back(b);
  float width = std::max({cell_width(tr("one_hot.word")), cell_width(word_a_), cell_width(word_b_)}) + cell_width(word_a_) +
                (b != a ? cell_width(word_b_) : 0) + style.CellPadding.x;
  for (int i = 0; i < vocab_size() && int(columns.size()) < kMaxTableColumns; ++i) {
    if (i == a || i == b) continue;
    width += cell_width(words_[size_t(i)]);
    if (width > ImGui::GetContentRegionAvail().x) break;
    columns.push_back(i);
  }
  std::sort(columns.begin(), columns.end());
  std::vector<std::string> column_labels;
  Eigen::MatrixXd shown(2, int(columns.size()));  // [2 × shown columns]
  const Eigen::VectorXd x_a = text::one_hot(a, vocab_size()), x_b = text::one_hot(b, vocab_size());
  for (size_t c = 0; c < columns.size(); ++c) {
    column_labels.push_back(words_[size_t(columns[c])]);
    shown(0, int(c)) = x_a[columns[c]];
    shown(1, int(c)) = x_b[columns[c]];
  }
  MatrixTableOptions options;
  options.corner = tr("one_hot.word");
  MatrixTable("one-hot", {word_a_, word_b_}, column_labels, shown, options);
  if (int(columns.size()) < vocab_size())
    TextDisabledWrapped(trf("one_hot.columns_shown", int(columns.size()), vocab_size()).c_str());
  const double dot = x_a.dot(x_b);
  FormulaText("%s · %s = Σₖ aₖbₖ = %.0f      |a| = %.0f, |b| = %.0f", word_a_.c_str(), word_b_.c_str(), dot,
                     x_a.norm(), x_b.norm());
  FormulaText("cos(%s, %s) = a·b / (|a||b|) = %.0f / (%.0f · %.0f) = %.3f", word_a_.c_str(), word_b_.c_str(), dot,
              x_a.norm(), x_b.norm(), text::cosine_similarity(x_a, x_b));
  ImGui::TextWrapped("%s", trf("one_hot.orthogonal", word_a_.c_str(), word_b_.c_str(), vocab_size()).c_str());
  // The course's search example, for the passage's own pair.
  const Example* example = current_example();
  const bool example_pair = example && example->place &&
                            ((word_a_ == example->word_a && word_b_ == example->word_b) ||
                             (word_a_ == example->word_b && word_b_ == example->word_a));
  if (example_pair) {
    const std::string query = std::string(example->place) + " " + word_b_, page = std::string(example->place) + " " + word_a_;
    ImGui::TextWrapped("%s", trf("one_hot.search_phrases", query.c_str(), page.c_str(), word_b_.c_str(),
                                 word_a_.c_str()).c_str());
  }
}

void OneHotLesson::show_lookup(int a) {
  SectionHeading(tr("one_hot.lookup_heading"));
  NextControlWidth(trl("one_hot.dimensions"), 10);
  int dim = dim_;
  if (ImGui::SliderInt(trl("one_hot.dimensions"), &dim, 1, std::min(kMaxDim, int(svd_.sigma.size())))) {
    dim_ = dim;
    rebuild_embeddings();
  }
  HelpMarker(tr("one_hot.help_dimensions"));
  const Eigen::VectorXd x_a = text::one_hot(a, vocab_size());
  const Eigen::VectorXd product = text::embedding_product(x_a, W_);  // [dim], the full product
  std::string terms;
  char buffer[96];
  for (int d = 0; d < dim_; ++d) {
    std::snprintf(buffer, sizeof buffer, "%s%.3f", d ? ", " : "", product[d]);
    terms += buffer;
  }
  FormulaText("%s", trf("one_hot.lookup_formula", word_a_.c_str(), word_a_.c_str(), vocab_size() - 1, terms.c_str()).c_str());
  const double difference = (product - W_.row(a).transpose()).cwiseAbs().maxCoeff();
  FormulaText("%s", trf("one_hot.largest_difference", word_a_.c_str(), difference).c_str());
  HelpMarker(tr("one_hot.help_product"));

  std::vector<std::string> dims;
  for (int d = 0; d < dim_; ++d) dims.push_back("d" + std::to_string(d + 1));
  MatrixTableOptions options;
  options.format = "%.3f";
  options.highlight_row = a;
  options.corner = "W";
  options.shade = false;
  options.max_height = ImGui::GetTextLineHeightWithSpacing() * 12;
  const MatrixTableResult clicked = MatrixTable("W", words_, dims, W_, options);
  if (clicked.clicked_row >= 0) word_a_ = words_[size_t(clicked.clicked_row)];
  TextDisabledWrapped(tr("one_hot.click_row"));
}

void OneHotLesson::show_similarities(int a, int b) {
  SectionHeading(tr("one_hot.similarity_heading"));
  // The chosen pair first, then a's nearest words by the dense cosine.
  std::vector<std::pair<double, int>> nearest;
  for (int i = 0; i < vocab_size(); ++i) {
    if (i == a) continue;
    const double c = text::cosine_similarity(W_.row(a).transpose(), W_.row(i).transpose());
    nearest.emplace_back(std::isfinite(c) ? c : -2.0, i);
  }
  std::sort(nearest.begin(), nearest.end(), [](auto& x, auto& y) { return x.first > y.first; });
  std::vector<int> others = {b};
  for (size_t i = 0; i < nearest.size() && others.size() < 7; ++i)
    if (nearest[i].second != b) others.push_back(nearest[i].second);

  // The table is the lesson's picture: one-hot cosines all 0, dense ones telling the words apart.
  ImGui::BeginGroup();
  const ImGuiStyle& style = ImGui::GetStyle();
  float pair_w = TextWidth(tr("one_hot.column_pair"));
  for (int o : others) pair_w = std::max(pair_w, TextWidth((word_a_ + " – " + words_[size_t(o)]).c_str()));
  const float one_hot_w = std::max(TextWidth(tr("one_hot.column_one_hot")), TextWidth("0.000"));
  const float dense_w = std::max(TextWidth(tr("one_hot.column_dense")), TextWidth("+0.000"));
  const float avail = ImGui::GetContentRegionAvail().x;
  const float cell = style.CellPadding.x * 2 + 1;  // padding and border around each column
  // A bar for the dense cosine where there is room for one.
  const float bar_w = std::min(Em(8), avail - 4 * cell - pair_w - one_hot_w - dense_w);
  const bool bars = bar_w >= Em(2);
  pair_w = std::max(Em(3), std::min(pair_w, avail - (bars ? 4 : 3) * cell - one_hot_w - dense_w - (bars ? bar_w : 0)));
  if (ImGui::BeginTable("similarities", bars ? 4 : 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn(tr("one_hot.column_pair"), ImGuiTableColumnFlags_WidthFixed, pair_w);
    ImGui::TableSetupColumn(tr("one_hot.column_one_hot"), ImGuiTableColumnFlags_WidthFixed, one_hot_w);
    ImGui::TableSetupColumn(tr("one_hot.column_dense"), ImGuiTableColumnFlags_WidthFixed, dense_w);
    if (bars) ImGui::TableSetupColumn("##bar", ImGuiTableColumnFlags_WidthFixed, bar_w);
    ImGui::TableHeadersRow();
    for (size_t k = 0; k < others.size(); ++k) {
      const int o = others[k];
      ImGui::TableNextRow();
      if (k == 0) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, accent_color(0.25f));
      ImGui::TableNextColumn();
      const std::string pair = word_a_ + " – " + words_[size_t(o)];
      TextEllipsis(pair.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", text::cosine_similarity(text::one_hot(a, vocab_size()), text::one_hot(o, vocab_size())));
      ImGui::TableNextColumn();
      const double dense = text::cosine_similarity(W_.row(a).transpose(), W_.row(o).transpose());
      if (std::isfinite(dense)) ImGui::Text("%+.3f", dense);
      else TextEllipsis(tr("one_hot.undefined_cosine"));
      if (!bars) continue;
      ImGui::TableNextColumn();
      // A bar from the middle: right for positive cosines, left for negative ones.
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const float mid = at.x + bar_w * 0.5f, h = ImGui::GetTextLineHeight();
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->AddLine(ImVec2(mid, at.y), ImVec2(mid, at.y + h), ImGui::GetColorU32(ImGuiCol_TextDisabled));
      if (std::isfinite(dense)) {
        const float end = mid + float(dense) * bar_w * 0.5f;
        dl->AddRectFilled(ImVec2(std::min(mid, end), at.y + h * 0.2f), ImVec2(std::max(mid, end), at.y + h * 0.8f),
                          accent_color(0.85f));
      }
      ImGui::Dummy(ImVec2(bar_w, h));
    }
    ImGui::EndTable();
  }
  ImGui::EndGroup();
  MainFigure("similarities");
  TextDisabledWrapped(trf("one_hot.nearest_note", word_a_.c_str()).c_str());
  std::vector<int> marked = others;
  marked.push_back(a);
  show_word_plane(a, marked);
}

void OneHotLesson::show_word_plane(int a, const std::vector<int>& marked) {
  // Every word at its first two coordinates in W (a second of 0 when d = 1): the chosen word
  // and the table's words named, the rest as dots.
  const int n = vocab_size();
  std::vector<double> xs(static_cast<size_t>(n)), ys(static_cast<size_t>(n));
  std::vector<const char*> labels(static_cast<size_t>(n), nullptr);
  std::vector<ImU32> colors(static_cast<size_t>(n), ImGui::GetColorU32(ImGuiCol_TextDisabled, 0.6f));
  for (int i = 0; i < n; ++i) {
    xs[size_t(i)] = W_(i, 0);
    ys[size_t(i)] = W_.cols() > 1 ? W_(i, 1) : 0.0;
  }
  for (int i : marked) {
    labels[size_t(i)] = words_[size_t(i)].c_str();
    colors[size_t(i)] = i == a ? accent_color() : ImGui::GetColorU32(ImGuiCol_Text);
  }
  ScatterPoints points;
  points.xs = xs.data();
  points.ys = ys.data();
  points.count = n;
  points.labels = labels.data();
  points.colors = colors.data();
  PlotOptions options;
  options.title = tr("one_hot.plane_title");
  options.x_label = "d1";
  options.y_label = "d2";
  options.size = FitFigure({1.4f, 1, false});
  const ScatterResult hit = ScatterPlot("words in W", points, options);
  if (hit.clicked_point >= 0) word_a_ = words_[size_t(hit.clicked_point)];
}

void OneHotLesson::ShowLessonOneHot() {
  int a = -1, b = -1;
  LessonPanes(
      [&] {
        ImGui::TextWrapped("%s", tr("one_hot.intro"));
        if (ImGui::CollapsingHeader(trl("one_hot.corpus"))) show_corpus_controls();
        if (!problem_.empty()) {
          ExplainProblem(trf("text.corpus_unusable", problem_key_ ? tr(problem_key_) : problem_.c_str()));
          return;
        }
        ImGui::TextWrapped("%s", trf("one_hot.vocabulary", vocab_size(), int(corpus_.sentences.size())).c_str());
        TextLine(trl("one_hot.word_a"), word_a_, 8);
        NextControlWidth(trl("one_hot.word_b"), 8, true);  // on word a's line when it fits
        TextLine(trl("one_hot.word_b"), word_b_, 8);
        HelpMarker(tr("one_hot.help_words"));
        bool first = true;
        for (const char* pair : kPairs) {
          const std::string p = pair;
          const std::string first_word = p.substr(0, p.find(' ')), second_word = p.substr(p.find(' ') + 1);
          if (word_id(first_word) < 0 || word_id(second_word) < 0) continue;
          if (!first) SameLineIfFits(ButtonWidth(pair));
          first = false;
          if (ImGui::SmallButton(pair)) word_a_ = first_word, word_b_ = second_word;
        }
        a = word_id(word_a_), b = word_id(word_b_);
        if (a < 0 || b < 0) {
          ExplainProblem(unknown_word_explained(a < 0 ? word_a_ : word_b_));
          return;
        }
        show_one_hot(a, b);
        show_lookup(a);
      },
      [&] {
        // The controls may have changed the words: look them up again.
        a = problem_.empty() ? word_id(word_a_) : -1, b = problem_.empty() ? word_id(word_b_) : -1;
        if (a < 0 || b < 0) {
          ImGui::TextWrapped("%s", problem_.empty() ? tr("one_hot.choose_two_words") : tr("one_hot.no_corpus"));
          MainFigure("similarities");
          return;
        }
        show_similarities(a, b);
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_one_hot() { return std::make_unique<OneHotLesson>(); }

}  // namespace ll::ui
