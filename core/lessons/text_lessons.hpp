#pragma once
// Shared pieces of the word-vector lessons (one-hot, co-occurrence, language model, skip-gram
// pairs): the built-in corpora and a shaded number table for matrices of counts.
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "imgui.h"
#include "io/corpora.hpp"
#include "ml/text/tokenize.hpp"

namespace ll::ui {

// The course's co-occurrence example.
extern const char* const kCourseCorpus;
// A short passage written for the lab: hotels and motels, cats and dogs, trains and buses
// in parallel sentences, so count-based vectors have something to find.
extern const char* const kTravelPassage;
// The same two texts in Chinese, segmented into words (词) by spaces. The course sentences have
// the English words' places, so their window-1 matrix is the English one; the passage follows
// the English sentence by sentence (酒店/汽车旅馆, 猫/狗, 火车/公共汽车, 城市/海边) and says
// "西雅图 酒店" and "西雅图 汽车旅馆", the course's "Seattle hotel" and "Seattle motel".
extern const char* const kCourseCorpusZh;
extern const char* const kTravelPassageZh;
// The texts compiled in (Genesis, the Tang and Song poems), shared with the CLI.
using io::genesis_corpus;
using io::song_poems;
using io::tang_poems;

// ImGui tables allow 64 columns; wider matrices are cut with a note.
constexpr int kMaxTableColumns = 60;

struct MatrixTableOptions {
  const char* format = "%.0f";  // cell text
  int highlight_row = -1, highlight_col = -1;
  bool shade = true;            // cell background grows with |value| / max |value|
  float max_height = 0;         // > 0: scroll vertically beyond this height
  float max_width = 0;          // > 0: scroll horizontally beyond this width (else: the available width)
  const char* corner = "";      // top-left header cell
};
struct MatrixTableResult {
  int hovered_row = -1, hovered_col = -1;
  int clicked_row = -1, clicked_col = -1;
};

// values [rows × cols] with one label per row and per column; zero cells drawn dim.
MatrixTableResult MatrixTable(const char* id, const std::vector<std::string>& row_labels,
                              const std::vector<std::string>& col_labels, const Eigen::MatrixXd& values,
                              const MatrixTableOptions& options);

// The accent colour of the current theme (highlights: centre word, chosen row).
ImU32 accent_color(float alpha = 1.0f);
ImVec4 warning_color();
// Bad input explained in place, wrapped, in the warning colour.
void ExplainProblem(const std::string& text);
// A multi-line text box bound to a std::string; true when edited.
bool TextBox(const char* label, std::string& text, float height_in_lines);
// Single-line variant.
bool TextLine(const char* label, std::string& text, float width_in_fonts);
// How Chinese text becomes tokens (字 or 词), as a combo with its help marker; true when changed.
bool CjkTokensCombo(text::CjkTokens& mode);
// True when the interface speaks Chinese: the word lessons then start on their Chinese example.
bool interface_is_chinese();

}  // namespace ll::ui
