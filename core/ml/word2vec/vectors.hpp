#pragma once
// Word vectors as a table (words + one row each) and what one does with them: nearest
// neighbours by cosine, analogies a : b :: c : ? by 3CosAdd and 3CosMul, a 2-D PCA of a
// chosen word set, and the analogy benchmark as the original tool's compute-accuracy runs it.
#include <Eigen/Core>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ll::w2v {

struct Trainer;

struct WordVectors {
  std::vector<std::string> words;             // [size] most frequent first in our files
  int dim = 0;
  std::vector<float> data;                    // [size × dim] row-major
  std::unordered_map<std::string, int> index; // word -> row (first row for duplicates)
  int size() const { return int(words.size()); }
  const float* row(int i) const { return data.data() + size_t(i) * size_t(dim); }
  int find(std::string_view word) const;      // -1 if absent
};

// Takes words and rows ([words.size() × dim]) and builds the index.
WordVectors make_word_vectors(std::vector<std::string> words, int dim, std::vector<float> data);
// The trained input vectors (the word vectors) of a trainer, most frequent word first.
WordVectors trainer_vectors(const Trainer& t);
// The same into `out`, keeping its words and index when they are already the trainer's
// vocabulary: a view refreshed while training then copies only the floats.
void copy_trainer_vectors(const Trainer& t, WordVectors& out);

// Rows scaled to unit length (zero rows stay zero), optionally only the first top_n words.
struct UnitVectors {
  Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows;  // [n × dim]
  const WordVectors* source = nullptr;
  int size() const { return int(rows.rows()); }
};
UnitVectors unit_vectors(const WordVectors& v, int top_n = -1);

struct Neighbour {
  int id = -1;
  std::string word;
  float score = 0;  // cosine, or the 3CosMul objective
};

// The k rows most similar (cosine) to `query` ([dim]), skipping the ids in `exclude`.
std::vector<Neighbour> nearest(const UnitVectors& u, const float* query, int k, const std::vector<int>& exclude = {});
// Neighbours of a word; `error` names an unknown word.
std::vector<Neighbour> nearest_words(const UnitVectors& u, std::string_view word, int k, std::string& error);

enum class AnalogyMethod { Add, Mul };  // 3CosAdd (Mikolov 2013), 3CosMul (Levy & Goldberg 2014)
// a : b :: c : ?  (man : king :: woman : ?), excluding a, b and c from the answers.
// Add: argmax cos(d, b − a + c) over unit vectors.
// Mul: argmax cos'(d,b)·cos'(d,c) / (cos'(d,a) + 0.001) with cos' = (cos + 1)/2.
std::vector<Neighbour> analogy(const UnitVectors& u, std::string_view a, std::string_view b, std::string_view c,
                               int k, AnalogyMethod method, std::string& error);

// 2-D PCA of the given rows: centred, projected on the top two principal axes.
struct Projection2D {
  std::vector<float> x, y;   // [ids.size()]
  float explained[2] = {0, 0};  // fraction of the variance along each axis
};
Projection2D pca_2d(const WordVectors& v, const std::vector<int>& ids);

// The analogy benchmark (questions-words.txt format: ": section" lines, then "a b c d";
// lines starting with '#' are comments). Questions are lower-cased; only those whose four
// words are among the first top_n words are asked; the answer is the 3CosAdd argmax over the
// first top_n words minus a, b, c.
constexpr const char* kLineEndToken = "</s>";
// A copy without the rows named kLineEndToken.
WordVectors without_line_ends(const WordVectors& v);

struct AnalogySection {
  std::string name;
  int correct = 0, seen = 0, total = 0;
};
struct AnalogyReport {
  std::vector<AnalogySection> sections;
  int correct = 0, seen = 0, total = 0;
  int semantic_correct = 0, semantic_seen = 0;    // sections not named gram*
  int syntactic_correct = 0, syntactic_seen = 0;  // gram* sections
  double accuracy() const { return seen ? double(correct) / seen : 0; }
};
// Rows named kLineEndToken (fastText writes its end-of-line token "</s>" as a word) are not
// words: they are left out before taking the first top_n.
// Returns "" or what is wrong with the questions text (no questions, malformed line).
// With `also_within`, a question is asked only if its four words are also among the first
// top_n words of that second file: two files scored on the same questions, whatever order
// each tool gave the words tied in count around rank top_n.
std::string evaluate_analogies(const WordVectors& v, std::string_view questions, int top_n, AnalogyReport& report,
                               const WordVectors* also_within = nullptr);

}  // namespace ll::w2v
