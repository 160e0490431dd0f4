// [cooccurrence] The window co-occurrence matrix of a small editable corpus (default: the
// course's "I like deep learning. I like NLP. I enjoy flying."), optionally PPMI-weighted, and
// its SVD X = U Σ V^T: the words placed in 2-D by the top two singular vectors.
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

namespace ll::ui {

namespace {

constexpr int kMaxVocab = 40;   // the most frequent words form the matrix: a readable table
constexpr int kMaxWindow = 10;
constexpr int kShownSingular = 8;  // columns of U / rows of V^T in the tables

// The texts the lesson offers (`cooc example NAME`).
struct Example {
  const char* name;
  const char* text;
  const char* label_key;  // its button
};
const Example kExamples[] = {
    {"course", kCourseCorpus, "text.course_sentences"},
    {"passage", kTravelPassage, "text.travel_passage"},
    {"course-zh", kCourseCorpusZh, "text.course_sentences_zh"},
    {"passage-zh", kTravelPassageZh, "text.travel_passage_zh"},
};
// The example a fresh lesson starts on: the course's sentences in the interface's language.
const Example& starting_example() { return kExamples[interface_is_chinese() ? 2 : 0]; }

class CooccurrenceLesson : public Lesson {
 public:
  CooccurrenceLesson() { set_corpus(starting_example().text); }

  const char* id() const override { return "cooccurrence"; }
  const char* title() const override { return tr("lessons.cooccurrence"); }
  const char* group() const override { return tr("groups.word_vectors"); }
  void show() override {
    follows_language_ = false;
    ShowLessonCooccurrence();
  }
  void language_changed() override {
    if (follows_language_) set_corpus(starting_example().text);
  }
  CommandResult command(const std::vector<std::string>& w) override;
  nlohmann::json state() const override;

 private:
  void set_corpus(const std::string& text) {
    corpus_text_ = text;
    use_glyphs(corpus_text_);
    recompute();
    select_largest_cell();
  }
  void select_largest_cell() {
    if (!problem_.empty() || shown_.size() == 0) return;
    Eigen::Index r = 0, c = 0;
    shown_.maxCoeff(&r, &c);
    selected_row_ = int(r), selected_col_ = int(c);
  }
  void recompute();
  int vocab_size() const { return int(words_.size()); }
  void ShowLessonCooccurrence();
  void show_controls();
  void show_matrix();
  void show_heat_map();
  void show_cell_formula(int r, int c);
  void show_svd();
  void show_scatter();

  std::string corpus_text_;
  bool follows_language_ = true;       // until the lesson is opened or its text chosen
  text::CjkTokens cjk_ = text::CjkTokens::Auto;
  std::string problem_;                // English (state(), command replies)
  const char* problem_key_ = nullptr;  // the same in the catalogue, when the lesson wrote it
  int window_ = 1;
  bool sentence_end_as_word_ = true;
  bool ppmi_ = false;
  bool scale_by_sigma_ = false;
  // Derived from the above by recompute().
  text::SentenceCorpus corpus_;
  int longest_sentence_ = 0;
  std::vector<std::string> words_;  // [vocab] rows and columns of the matrix
  int words_left_out_ = 0;
  Eigen::MatrixXd counts_;          // [vocab × vocab]
  Eigen::MatrixXd shown_;           // [vocab × vocab] counts or PPMI
  text::Svd svd_;
  Eigen::MatrixXd coords_;          // [vocab × 2]
  std::vector<float> heat_;         // [vocab × vocab] for the heat map
  int selected_row_ = 0, selected_col_ = 1;
  int map_hover_row_ = -1, map_hover_col_ = -1;  // the heat map's cell under the mouse, last frame
};

void CooccurrenceLesson::recompute() {
  words_.clear();
  problem_ = text::check_text(corpus_text_);
  problem_key_ = nullptr;
  if (problem_.empty()) {
    corpus_ = text::sentence_corpus(text::split_sentences(corpus_text_, true, cjk_), sentence_end_as_word_);
    if (corpus_.vocab.size() < 2)
      problem_ = "the corpus needs at least two different words", problem_key_ = "text.two_words_needed";
  }
  if (!problem_.empty()) return;
  longest_sentence_ = 0;
  for (const auto& s : corpus_.sentences) longest_sentence_ = std::max(longest_sentence_, int(s.size()));
  window_ = std::max(1, std::min(window_, kMaxWindow));
  const int vocab = std::min(corpus_.vocab.size(), kMaxVocab);
  words_left_out_ = corpus_.vocab.size() - vocab;
  words_.assign(corpus_.vocab.words.begin(), corpus_.vocab.words.begin() + vocab);
  counts_ = text::cooccurrence_matrix(corpus_.sentences, vocab, window_);
  shown_ = ppmi_ ? text::ppmi(counts_) : counts_;
  svd_ = text::svd(shown_);
  coords_ = text::word_coordinates(svd_, 2, scale_by_sigma_);
  heat_.resize(size_t(vocab) * size_t(vocab));
  for (int r = 0; r < vocab; ++r)
    for (int c = 0; c < vocab; ++c) heat_[size_t(r) * size_t(vocab) + size_t(c)] = float(shown_(r, c));
  selected_row_ = std::min(selected_row_, vocab - 1);
  selected_col_ = std::min(selected_col_, vocab - 1);
}

CommandResult CooccurrenceLesson::command(const std::vector<std::string>& w) {
  if (w[0] != "cooc") return {};
  auto on_off = [&](bool& flag) -> CommandResult {
    if (w.size() != 3 || (w[2] != "on" && w[2] != "off")) return {false, "usage: cooc " + w[1] + " on|off"};
    flag = w[2] == "on";
    recompute();
    return {true, w[1] + " " + w[2]};
  };
  if (w.size() == 3 && w[1] == "window") {
    const int n = std::atoi(w[2].c_str());
    if (n < 1 || n > kMaxWindow) return {false, "the window must be 1–" + std::to_string(kMaxWindow)};
    window_ = n;
    recompute();
    return {true, "window " + std::to_string(n)};
  }
  if (w.size() >= 2 && w[1] == "ppmi") return on_off(ppmi_);
  if (w.size() >= 2 && w[1] == "end") return on_off(sentence_end_as_word_);
  if (w.size() >= 2 && w[1] == "sigma") return on_off(scale_by_sigma_);
  if (w.size() >= 2 && w[1] == "corpus") {
    std::string text;
    for (size_t i = 2; i < w.size(); ++i) text += (i > 2 ? " " : "") + w[i];
    set_corpus(text);
    follows_language_ = false;
    return {problem_.empty(), problem_.empty() ? std::to_string(vocab_size()) + " words" : problem_};
  }
  if (w.size() == 3 && w[1] == "example") {
    for (const Example& example : kExamples)
      if (w[2] == example.name) {
        set_corpus(example.text);
        follows_language_ = false;
        return {true, "example " + w[2] + ": " + std::to_string(vocab_size()) + " words"};
      }
    return {false, "example: course, passage, course-zh or passage-zh"};
  }
  if (w.size() == 3 && w[1] == "tokens") {
    if (!text::parse_cjk_tokens(w[2], cjk_)) return {false, "tokens: auto, char or space"};
    recompute();
    select_largest_cell();
    follows_language_ = false;
    return {problem_.empty(), problem_.empty() ? "tokens " + w[2] + ": " + std::to_string(vocab_size()) + " words" : problem_};
  }
  if (w.size() == 2 && w[1] == "reset") {
    window_ = 1, ppmi_ = false, sentence_end_as_word_ = true, scale_by_sigma_ = false, cjk_ = text::CjkTokens::Auto;
    set_corpus(starting_example().text);
    follows_language_ = false;
    return {true, "reset"};
  }
  return {false, "usage: cooc window 1-10 | cooc ppmi on|off | cooc end on|off | cooc sigma on|off | "
                 "cooc example course|passage|course-zh|passage-zh | cooc tokens auto|char|space | cooc corpus TEXT | "
                 "cooc reset"};
}

nlohmann::json CooccurrenceLesson::state() const {
  std::string example = "custom";
  for (const Example& e : kExamples)
    if (corpus_text_ == e.text) example = e.name;
  nlohmann::json s = {{"window", window_}, {"ppmi", ppmi_}, {"sentence_end_as_word", sentence_end_as_word_},
                      {"vocab_size", vocab_size()}, {"problem", problem_}, {"example", example},
                      {"tokens", text::cjk_tokens_name(cjk_)}};
  if (!problem_.empty()) return s;
  s["words"] = words_;
  s["total_count"] = counts_.sum();
  s["counts"] = std::vector<std::vector<double>>();
  for (int r = 0; r < vocab_size(); ++r) {
    const Eigen::VectorXd row = counts_.row(r).transpose();
    s["counts"].push_back(std::vector<double>(row.data(), row.data() + row.size()));
  }
  std::vector<double> sigma(svd_.sigma.data(), svd_.sigma.data() + std::min<Eigen::Index>(svd_.sigma.size(), 4));
  s["singular_values"] = sigma;
  const double energy = svd_.sigma.squaredNorm();
  s["energy_2d"] = energy > 0 ? svd_.sigma.head(std::min<Eigen::Index>(2, svd_.sigma.size())).squaredNorm() / energy : 0.0;
  return s;
}

void CooccurrenceLesson::show_controls() {
  if (TextBox("##corpus", corpus_text_, 3)) {
    use_glyphs(corpus_text_);
    recompute();
    select_largest_cell();
  }
  bool first = true;
  for (const Example& example : kExamples) {
    if (!first) SameLineIfFits(ButtonWidth(trl(example.label_key)));
    first = false;
    if (ImGui::Button(trl(example.label_key))) set_corpus(example.text);
  }
  TextDisabledWrapped(tr("cooc.edit_note"));
  if (CjkTokensCombo(cjk_)) {
    recompute();
    select_largest_cell();
  }

  NextControlWidth(trl("cooc.window"), 10);
  if (ImGui::SliderInt(trl("cooc.window"), &window_, 1, kMaxWindow)) recompute();
  HelpMarker(tr("cooc.help_window"));
  if (ImGui::Checkbox(trl("cooc.sentence_end"), &sentence_end_as_word_)) recompute();
  HelpMarker(tr("cooc.help_sentence_end"));
  SameLineIfFits(CheckboxWidth("PPMI"));
  if (ImGui::Checkbox("PPMI", &ppmi_)) recompute();
  HelpMarker(tr("cooc.help_ppmi"));
  if (problem_.empty() && window_ >= longest_sentence_ && longest_sentence_ > 0)
    ExplainProblem(trf("cooc.window_too_wide", window_, longest_sentence_));
}

void CooccurrenceLesson::show_cell_formula(int r, int c) {
  const std::string& a = words_[size_t(r)];
  const std::string& b = words_[size_t(c)];
  if (!ppmi_) {
    FormulaText("%s", trf("cooc.count_cell", a.c_str(), b.c_str(), counts_(r, c), b.c_str(), a.c_str(), window_).c_str());
    return;
  }
  const double row = counts_.row(r).sum(), col = counts_.col(c).sum(), total = counts_.sum();
  if (counts_(r, c) == 0) {
    FormulaText("%s", trf("cooc.ppmi_never_meet", a.c_str(), b.c_str()).c_str());
    return;
  }
  const double pmi = std::log2(counts_(r, c) * total / (row * col));
  FormulaText("PPMI(%s, %s) = max(0, log₂(X·N / (X(i,·)·X(·,j)))) = max(0, log₂(%.0f·%.0f / (%.0f·%.0f))) = max(0, %.3f) = %.3f",
              a.c_str(), b.c_str(), counts_(r, c), total, row, col, pmi, std::max(0.0, pmi));
}

void CooccurrenceLesson::show_matrix() {
  SectionHeading(ppmi_ ? tr("cooc.ppmi_heading") : tr("cooc.counts_heading"));
  if (words_left_out_ > 0) TextDisabledWrapped(trf("cooc.words_left_out", vocab_size(), words_left_out_).c_str());
  MatrixTableOptions options;
  options.format = ppmi_ ? "%.2f" : "%.0f";
  options.highlight_row = selected_row_;
  options.highlight_col = selected_col_;
  options.corner = ppmi_ ? "PPMI" : tr("cooc.corner_counts");
  options.max_height = std::max(Em(8), std::min(ImGui::GetTextLineHeightWithSpacing() * 16,
                                                ImGui::GetContentRegionAvail().y - Em(4)));
  const MatrixTableResult hit = MatrixTable("X", words_, words_, shown_, options);
  MainFigure(ppmi_ ? "PPMI matrix" : "co-occurrence matrix");
  if (hit.clicked_row >= 0) selected_row_ = hit.clicked_row, selected_col_ = hit.clicked_col;
  // The cell under the mouse (table, or the heat map last frame), else the chosen one.
  int row = selected_row_, col = selected_col_;
  if (hit.hovered_row >= 0) row = hit.hovered_row, col = hit.hovered_col;
  else if (map_hover_row_ >= 0) row = map_hover_row_, col = map_hover_col_;
  show_cell_formula(row, col);
  TextDisabledWrapped(tr("cooc.hover_note"));
}

void CooccurrenceLesson::show_heat_map() {
  HeatMapOptions heat;
  heat.size = FitFigure({1.1f, 1, false, 0, 8, 30});
  heat.x_min = 0, heat.x_max = vocab_size(), heat.y_min = 0, heat.y_max = vocab_size();
  heat.v_min = 0;
  heat.colorbar_label = ppmi_ ? "PPMI" : tr("cooc.colorbar_count");
  heat.title = tr("cooc.heat_title");
  const HeatMapResult map = HeatMap("X heat", heat_.data(), vocab_size(), vocab_size(), heat);
  map_hover_row_ = map_hover_col_ = -1;
  if (map.hovered) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    map_hover_col_ = std::min(vocab_size() - 1, std::max(0, int(map.transform.data_x(mouse.x))));
    map_hover_row_ = std::min(vocab_size() - 1, std::max(0, vocab_size() - 1 - int(map.transform.data_y(mouse.y))));
    if (map.clicked) selected_row_ = map_hover_row_, selected_col_ = map_hover_col_;
  }
  // Frame the chosen cell on the map, as the table highlights its row and column.
  const ImVec2 cell_min = map.transform.to_pixel(selected_col_, vocab_size() - selected_row_);
  const ImVec2 cell_max = map.transform.to_pixel(selected_col_ + 1, vocab_size() - selected_row_ - 1);
  ImGui::GetWindowDrawList()->AddRect(cell_min, cell_max, IM_COL32(255, 255, 255, 230), 0, 0, 2.0f);
}

void CooccurrenceLesson::show_svd() {
  SectionHeading(tr("cooc.svd_heading"));
  const int r = int(svd_.sigma.size());
  const int k = std::min(r, kShownSingular);
  const double energy = svd_.sigma.squaredNorm();
  std::string sigmas;
  char buffer[48];
  for (int i = 0; i < k; ++i) {
    std::snprintf(buffer, sizeof buffer, "%sσ%d = %.3f", i ? ",  " : "", i + 1, svd_.sigma[i]);
    sigmas += buffer;
  }
  FormulaText("Σ: %s%s", sigmas.c_str(), r > k ? ", …" : "");
  if (energy > 0)
    FormulaText("%s", trf("cooc.top_two_share", 100 * svd_.sigma.head(std::min(2, r)).squaredNorm() / energy).c_str());
  HelpMarker(tr("cooc.help_svd"));
  // U's first columns, as many as fit the column of controls (a table that scrolled sideways
  // would cut the numbers at its edge).
  const ImGuiStyle& style = ImGui::GetStyle();
  const float cell = style.CellPadding.x * 2 + 1;
  float width = TextWidth("U") + cell;
  for (const std::string& w : words_) width = std::max(width, TextWidth(w.c_str()) + cell);
  const float column = std::max(TextWidth("u8"), TextWidth("-0.00")) + cell;
  const int k_fit = std::max(1, std::min(k, int((ImGui::GetContentRegionAvail().x - style.IndentSpacing - width - style.ScrollbarSize) / column)));
  std::vector<std::string> components;
  for (int i = 0; i < k_fit; ++i) components.push_back("u" + std::to_string(i + 1));
  MatrixTableOptions options;
  options.format = "%.2f";
  options.highlight_row = selected_row_;
  options.corner = "U";
  options.max_height = ImGui::GetTextLineHeightWithSpacing() * 12;
  if (ImGui::TreeNodeEx(trl("cooc.u_first_columns"), ImGuiTreeNodeFlags_DefaultOpen)) {
    MatrixTable("U", words_, components, svd_.U.leftCols(k_fit), options);
    ImGui::TreePop();
  }
  if (ImGui::TreeNode(trl("cooc.vt_first_rows"))) {
    std::vector<std::string> rows;
    for (int i = 0; i < k; ++i) rows.push_back("v" + std::to_string(i + 1));
    options.corner = "V^T";
    options.highlight_row = -1;
    options.highlight_col = selected_col_;
    MatrixTable("Vt", rows, words_, svd_.Vt.topRows(k), options);
    ImGui::TreePop();
  }
}

void CooccurrenceLesson::show_scatter() {
  SectionHeading(tr("cooc.scatter_heading"));
  if (ImGui::Checkbox(trl("cooc.scale_by_sigma"), &scale_by_sigma_)) recompute();
  HelpMarker(tr("cooc.help_scale_by_sigma"));
  if (svd_.sigma.size() < 2) {
    ExplainProblem(tr("cooc.need_two_vectors"));
    return;
  }
  const size_t n = size_t(vocab_size());
  std::vector<double> xs(n), ys(n);
  std::vector<const char*> labels(n);
  std::vector<ImU32> colors(n);
  for (int i = 0; i < vocab_size(); ++i) {
    xs[size_t(i)] = coords_(i, 0);
    ys[size_t(i)] = coords_(i, 1);
    labels[size_t(i)] = words_[size_t(i)].c_str();
    colors[size_t(i)] = i == selected_row_ ? accent_color() : ImGui::GetColorU32(ImGuiCol_Text, 0.75f);
  }
  ScatterPoints points;
  points.xs = xs.data();
  points.ys = ys.data();
  points.count = vocab_size();
  points.labels = labels.data();
  points.colors = colors.data();
  points.radius = 0.3f;
  PlotOptions options;
  options.size = FitFigure({1.3f, 1, false, 0, 8, 40});
  options.x_label = scale_by_sigma_ ? "σ₁ u₁" : "u₁";
  options.y_label = scale_by_sigma_ ? "σ₂ u₂" : "u₂";
  const ScatterResult hit = ScatterPlot("words 2d", points, options);
  if (hit.clicked_point >= 0) selected_row_ = hit.clicked_point;
}

void CooccurrenceLesson::ShowLessonCooccurrence() {
  LessonPanes(
      [this] {
        ImGui::TextWrapped("%s", tr("cooc.intro"));
        show_controls();
        if (!problem_.empty()) {
          ExplainProblem(trf("text.corpus_unusable", problem_key_ ? tr(problem_key_) : problem_.c_str()));
          return;
        }
        ImGui::TextWrapped("%s", trf("cooc.corpus_summary", corpus_.vocab.size(), int(corpus_.sentences.size()),
                                     counts_.sum()).c_str());
        show_svd();
      },
      [this] {
        if (!problem_.empty()) {
          ImGui::TextWrapped("%s", tr("cooc.no_matrix"));
          MainFigure("co-occurrence matrix");
          return;
        }
        show_matrix();
        show_heat_map();
        show_scatter();
      });
}

}  // namespace

std::unique_ptr<Lesson> make_lesson_cooccurrence() { return std::make_unique<CooccurrenceLesson>(); }

}  // namespace ll::ui
