#include "ml/word2vec/vectors.hpp"

#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "ml/check.hpp"
#include "ml/thread_pool.hpp"
#include "ml/word2vec/word2vec.hpp"

namespace ll::w2v {

int WordVectors::find(std::string_view word) const {
  auto found = index.find(std::string(word));
  return found == index.end() ? -1 : found->second;
}

WordVectors make_word_vectors(std::vector<std::string> words, int dim, std::vector<float> data) {
  LL_CHECK(dim > 0 && data.size() == words.size() * size_t(dim), "word vectors: data must be [words × dim]");
  WordVectors v;
  v.words = std::move(words);
  v.dim = dim;
  v.data = std::move(data);
  v.index.reserve(v.words.size());
  for (int i = 0; i < v.size(); ++i) v.index.emplace(v.words[size_t(i)], i);
  return v;
}

WordVectors trainer_vectors(const Trainer& t) {
  WordVectors v;
  copy_trainer_vectors(t, v);
  return v;
}

void copy_trainer_vectors(const Trainer& t, WordVectors& out) {
  const Model& m = trainer_model(t);
  const std::vector<std::string>& words = trainer_corpus(t).vocab.words;
  if (out.words != words) out = make_word_vectors(words, m.dim, std::vector<float>(words.size() * size_t(m.dim)));
  out.dim = m.dim;
  out.data.resize(size_t(m.vocab) * size_t(m.dim));
  for (int w = 0; w < m.vocab; ++w) std::copy(m.in_row(w), m.in_row(w) + m.dim, out.data.begin() + long(w) * m.dim);
}

UnitVectors unit_vectors(const WordVectors& v, int top_n) {
  const int n = top_n < 0 ? v.size() : std::min(top_n, v.size());
  UnitVectors u;
  u.source = &v;
  u.rows = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(v.data.data(), n, v.dim);
  for (int i = 0; i < n; ++i) {
    const float norm = u.rows.row(i).norm();
    if (norm > 0) u.rows.row(i) /= norm;
  }
  return u;
}

namespace {

// The k best (score, id) of scores[0..n), ids in `exclude` skipped; best first.
std::vector<Neighbour> top_k(const UnitVectors& u, const float* scores, int n, int k, const std::vector<int>& exclude) {
  std::vector<std::pair<float, int>> best;
  best.reserve(size_t(k) + 1);
  for (int i = 0; i < n; ++i) {
    if (std::find(exclude.begin(), exclude.end(), i) != exclude.end()) continue;
    const float s = scores[i];
    if (!(s == s)) continue;  // NaN
    if (int(best.size()) == k && s <= best.back().first) continue;
    auto at = std::upper_bound(best.begin(), best.end(), s, [](float value, const std::pair<float, int>& e) { return value > e.first; });
    best.insert(at, {s, i});
    if (int(best.size()) > k) best.pop_back();
  }
  std::vector<Neighbour> out;
  for (const auto& [s, i] : best) out.push_back({i, u.source->words[size_t(i)], s});
  return out;
}

}  // namespace

std::vector<Neighbour> nearest(const UnitVectors& u, const float* query, int k, const std::vector<int>& exclude) {
  const int dim = int(u.rows.cols());
  Eigen::VectorXf q = Eigen::Map<const Eigen::VectorXf>(query, dim);
  const float norm = q.norm();
  if (norm > 0) q /= norm;
  const Eigen::VectorXf scores = u.rows * q;  // [n] cosines
  return top_k(u, scores.data(), u.size(), k, exclude);
}

std::vector<Neighbour> nearest_words(const UnitVectors& u, std::string_view word, int k, std::string& error) {
  const int id = u.source->find(word);
  if (id < 0 || id >= u.size()) {
    error = "'" + std::string(word) + "' is not in the vocabulary";
    return {};
  }
  error.clear();
  return nearest(u, u.rows.row(id).data(), k, {id});
}

std::vector<Neighbour> analogy(const UnitVectors& u, std::string_view a, std::string_view b, std::string_view c,
                               int k, AnalogyMethod method, std::string& error) {
  int ids[3];
  const std::string_view words[3] = {a, b, c};
  for (int i = 0; i < 3; ++i) {
    ids[i] = u.source->find(words[i]);
    if (ids[i] < 0 || ids[i] >= u.size()) {
      error = "'" + std::string(words[i]) + "' is not in the vocabulary";
      return {};
    }
  }
  error.clear();
  const std::vector<int> exclude = {ids[0], ids[1], ids[2]};
  if (method == AnalogyMethod::Add) {
    const Eigen::VectorXf target = (u.rows.row(ids[1]) - u.rows.row(ids[0]) + u.rows.row(ids[2])).transpose();
    return nearest(u, target.data(), k, exclude);
  }
  const Eigen::VectorXf cos_a = u.rows * u.rows.row(ids[0]).transpose();
  const Eigen::VectorXf cos_b = u.rows * u.rows.row(ids[1]).transpose();
  const Eigen::VectorXf cos_c = u.rows * u.rows.row(ids[2]).transpose();
  Eigen::VectorXf score(u.size());
  for (int i = 0; i < u.size(); ++i)
    score[i] = ((cos_b[i] + 1) / 2) * ((cos_c[i] + 1) / 2) / ((cos_a[i] + 1) / 2 + 0.001f);
  return top_k(u, score.data(), u.size(), k, exclude);
}

Projection2D pca_2d(const WordVectors& v, const std::vector<int>& ids) {
  Projection2D p;
  const int n = int(ids.size());
  p.x.assign(size_t(n), 0.0f);
  p.y.assign(size_t(n), 0.0f);
  if (n == 0) return p;
  Eigen::MatrixXd x(n, v.dim);  // [n × dim] centred rows
  for (int i = 0; i < n; ++i) {
    LL_CHECK(ids[size_t(i)] >= 0 && ids[size_t(i)] < v.size(), "pca_2d: id out of range");
    for (int k = 0; k < v.dim; ++k) x(i, k) = v.row(ids[size_t(i)])[k];
  }
  x.rowwise() -= x.colwise().mean();
  if (n < 2) return p;
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(x, Eigen::ComputeThinV);
  const Eigen::VectorXd& sigma = svd.singularValues();
  const double total = sigma.squaredNorm();
  for (int axis = 0; axis < 2 && axis < int(sigma.size()); ++axis) {
    Eigen::VectorXd dir = svd.matrixV().col(axis);  // [dim]
    Eigen::Index largest;
    dir.cwiseAbs().maxCoeff(&largest);
    if (dir[largest] < 0) dir = -dir;  // a fixed sign so the picture does not flip
    const Eigen::VectorXd coord = x * dir;  // [n]
    for (int i = 0; i < n; ++i) (axis == 0 ? p.x : p.y)[size_t(i)] = float(coord[i]);
    p.explained[axis] = total > 0 ? float(sigma[axis] * sigma[axis] / total) : 0.0f;
  }
  return p;
}

WordVectors without_line_ends(const WordVectors& v) {
  std::vector<std::string> words;
  std::vector<float> data;
  words.reserve(v.words.size());
  data.reserve(v.data.size());
  for (int i = 0; i < v.size(); ++i) {
    if (v.words[size_t(i)] == kLineEndToken) continue;
    words.push_back(v.words[size_t(i)]);
    data.insert(data.end(), v.row(i), v.row(i) + v.dim);
  }
  return make_word_vectors(std::move(words), v.dim, std::move(data));
}

std::string evaluate_analogies(const WordVectors& all, std::string_view questions, int top_n, AnalogyReport& report,
                               const WordVectors* also_within) {
  report = AnalogyReport();
  if (top_n < 1) return "top-N must be at least 1";
  // fastText's files hold its line-end token among the words; without it, the first top_n
  // rows are top_n words in every file, so both tools answer over the same vocabulary.
  const bool has_line_end = all.find(kLineEndToken) >= 0;
  WordVectors filtered;
  if (has_line_end) filtered = without_line_ends(all);
  const WordVectors& v = has_line_end ? filtered : all;
  const UnitVectors u = unit_vectors(v, top_n);
  const int n = u.size();
  std::unordered_set<std::string> other_top;
  if (also_within) {
    for (int i = 0; i < also_within->size() && int(other_top.size()) < top_n; ++i)
      if (also_within->words[size_t(i)] != kLineEndToken) other_top.insert(also_within->words[size_t(i)]);
  }
  struct Question {
    int a, b, c, d, section;
  };
  std::vector<Question> asked;
  size_t pos = 0;
  int line_number = 0;
  while (pos < questions.size()) {
    size_t end = questions.find('\n', pos);
    if (end == std::string_view::npos) end = questions.size();
    std::string line(questions.substr(pos, end - pos));
    pos = end + 1;
    ++line_number;
    for (char& ch : line) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;  // a comment (a file's header: its source)
    if (line[0] == ':') {
      AnalogySection section;
      section.name = line.substr(line.find_first_not_of(": ") == std::string::npos ? 1 : line.find_first_not_of(": "));
      report.sections.push_back(section);
      continue;
    }
    std::string w[4], extra;
    size_t start = 0;
    int count = 0;
    while (start < line.size()) {
      const size_t s = line.find_first_not_of(" \t", start);
      if (s == std::string::npos) break;
      const size_t e = std::min(line.find_first_of(" \t", s), line.size());
      if (count < 4) w[count] = line.substr(s, e - s);
      ++count;
      start = e;
    }
    if (count != 4) return "line " + std::to_string(line_number) + ": a question needs 4 words, found " + std::to_string(count);
    if (report.sections.empty()) report.sections.push_back({"(no section)", 0, 0, 0});
    ++report.sections.back().total;
    ++report.total;
    int ids[4];
    bool known = true;
    for (int i = 0; i < 4; ++i) {
      ids[i] = v.find(w[i]);
      known = known && ids[i] >= 0 && ids[i] < n && (!also_within || other_top.count(w[i]));
    }
    if (known) asked.push_back({ids[0], ids[1], ids[2], ids[3], int(report.sections.size()) - 1});
  }
  if (report.total == 0) return "no analogy questions found (expected lines 'a b c d' under ': section' headers)";

  // Scores of a block of questions against every word: one matrix product per block.
  constexpr int kBlock = 128;
  const int blocks = int((asked.size() + kBlock - 1) / kBlock);
  std::vector<uint8_t> right(asked.size(), 0);
  compute_pool().parallel_for(blocks, [&](int block) {
    const int first = block * kBlock, count = std::min(kBlock, int(asked.size()) - first);
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> target(count, v.dim);  // [count × dim]
    for (int q = 0; q < count; ++q) {
      const Question& x = asked[size_t(first + q)];
      target.row(q) = u.rows.row(x.b) - u.rows.row(x.a) + u.rows.row(x.c);
    }
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> scores = target * u.rows.transpose();  // [count × n]
    for (int q = 0; q < count; ++q) {
      const Question& x = asked[size_t(first + q)];
      int best = -1;
      float best_score = -1e30f;
      for (int i = 0; i < n; ++i) {
        if (i == x.a || i == x.b || i == x.c) continue;
        if (scores(q, i) > best_score) best_score = scores(q, i), best = i;
      }
      right[size_t(first + q)] = best == x.d;
    }
  });
  for (size_t q = 0; q < asked.size(); ++q) {
    AnalogySection& s = report.sections[size_t(asked[q].section)];
    const bool syntactic = s.name.rfind("gram", 0) == 0;
    ++s.seen;
    ++report.seen;
    ++(syntactic ? report.syntactic_seen : report.semantic_seen);
    if (right[q]) {
      ++s.correct;
      ++report.correct;
      ++(syntactic ? report.syntactic_correct : report.semantic_correct);
    }
  }
  return "";
}

}  // namespace ll::w2v
