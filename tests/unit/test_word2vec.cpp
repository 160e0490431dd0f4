#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/lesson.hpp"
#include "ml/rng.hpp"
#include "ml/text/tokenize.hpp"
#include "ml/word2vec/formats.hpp"
#include "ml/word2vec/vectors.hpp"
#include "ml/word2vec/word2vec.hpp"

using namespace ll;

namespace {

// Two disjoint topics: every sentence draws its words from one group only, so words of a
// group share contexts and nothing else.
std::string two_topic_corpus(int sentences, int words_per_group, Rng& rng) {
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    const char group = s % 2 ? 'b' : 'a';
    for (int k = 0; k < 12; ++k) {
      text += group;
      text += std::to_string(rng.below(uint32_t(words_per_group)));
      text += k == 11 ? '\n' : ' ';
    }
  }
  return text;
}

// Small vectors, every word kept, 4 epochs: enough for the planted topics.
w2v::Config two_topic_config(int threads) {
  w2v::Config config;
  config.dim = 16;
  config.window = 3;
  config.epochs = 4;
  config.min_count = 1;
  config.sample = 0;
  config.threads = threads;
  config.lr = 0.05;
  return config;
}

// A trainer of tiny vectors (dim 8, window 2, every word kept) for the tests of how training
// is scheduled rather than of what it learns.
w2v::TrainerPtr schedule_trainer(const std::string& text, int epochs, int threads) {
  w2v::Config config;
  config.dim = 8;
  config.window = 2;
  config.epochs = epochs;
  config.min_count = 1;
  config.threads = threads;
  w2v::Corpus corpus;
  REQUIRE(w2v::build_corpus(text, 1, corpus).empty());
  std::string error;
  w2v::TrainerPtr t = w2v::make_trainer(std::move(corpus), config, error);
  REQUIRE(t);
  return t;
}

// Lines of `long_words` words, then lines of `short_words`, `long_lines` and `short_lines` of them.
std::string long_then_short_lines(int long_lines, int long_words, int short_lines, int short_words) {
  std::string text;
  for (int s = 0; s < long_lines + short_lines; ++s) {
    const int words = s < long_lines ? long_words : short_words;
    for (int k = 0; k < words; ++k) text += "w" + std::to_string((s * 7 + k) % 10) + (k + 1 == words ? "\n" : " ");
  }
  return text;
}

w2v::WordVectors train_two_topics(const w2v::Config& config, int sentences = 1200) {
  Rng rng(11);
  w2v::Corpus corpus;
  REQUIRE(w2v::build_corpus(two_topic_corpus(sentences, 8, rng), 1, corpus).empty());
  std::string error;
  w2v::TrainerPtr trainer = w2v::make_trainer(std::move(corpus), config, error);
  REQUIRE(trainer);
  w2v::train_in_threads(*trainer, nullptr);
  REQUIRE(w2v::finished(*trainer));
  REQUIRE_FALSE(w2v::progress(*trainer).diverged);
  return w2v::trainer_vectors(*trainer);
}

// Fraction of words whose nearest neighbour belongs to the same topic.
double same_group_neighbours(const w2v::WordVectors& v) {
  const w2v::UnitVectors u = w2v::unit_vectors(v);
  int same = 0;
  for (int i = 0; i < v.size(); ++i) {
    std::string error;
    const auto nn = w2v::nearest_words(u, v.words[size_t(i)], 1, error);
    REQUIRE(nn.size() == 1);
    same += nn[0].word[0] == v.words[size_t(i)][0];
  }
  return double(same) / v.size();
}

w2v::WordVectors hand_made_vectors() {
  // Axes: royalty, gender (+male), fruitiness.
  return w2v::make_word_vectors({"man", "woman", "king", "queen", "apple", "prince", "pear"}, 3,
                                {0, 1, 0.1f,   0, -1, 0.1f,   1, 1, 0.1f,   1, -1, 0.12f,
                                 0.1f, 0, 1,   0.6f, 1, 0.6f,  0.15f, 0.1f, 0.95f});
}

// Central-difference gradient check of one example: train_example with lr = 1 must move
// every parameter by −∂L/∂θ (inputs by −scale·∂L/∂θ, see Example::average_inputs).
void check_example_gradient(w2v::Model& model, const w2v::Example& ex, double input_scale) {
  const size_t total = size_t(model.vocab + model.rows_out) * size_t(model.stride);
  std::vector<float> before(model.input, model.input + total);
  std::vector<double> numeric(total, 0.0);
  for (size_t p = 0; p < total; ++p) {
    if (int(p % size_t(model.stride)) >= model.dim) continue;  // padding
    const float x = model.input[p], h = 1e-2f;
    model.input[p] = x + h;
    const double up = w2v::example_loss(model, ex);
    model.input[p] = x - h;
    const double down = w2v::example_loss(model, ex);
    model.input[p] = x;
    numeric[p] = (up - down) / (2.0 * double(h));
  }
  const double loss_before = w2v::example_loss(model, ex);
  w2v::Scratch scratch;
  scratch.reserve(ex.m, ex.n, model.stride);
  CHECK(w2v::train_example(model, ex, 1.0f, scratch) == Approx(loss_before).epsilon(1e-5));
  CHECK(w2v::example_loss(model, ex) < loss_before);  // the step went downhill
  double diff = 0, scale = 0;
  int moved = 0;
  for (size_t p = 0; p < total; ++p) {
    const double update = double(model.input[p]) - double(before[p]);
    const bool is_input = p < size_t(model.vocab) * size_t(model.stride);
    const double expected = -numeric[p] * (is_input ? input_scale : 1.0);
    diff += (update - expected) * (update - expected);
    scale += expected * expected;
    moved += std::abs(update) > 1e-6;
  }
  INFO("relative error " << std::sqrt(diff / scale));
  CHECK(std::sqrt(diff / scale) < 2e-3);
  CHECK(moved > 0);
}

w2v::Model random_tiny_model(int vocab, int dim, int rows_out) {
  Rng rng(5);
  w2v::Model m = w2v::make_model(vocab, dim, rows_out, rng);
  for (int r = 0; r < rows_out; ++r)
    for (int k = 0; k < dim; ++k) m.output[size_t(r) * size_t(m.stride) + size_t(k)] = float(rng.normal(0, 0.5));
  for (int r = 0; r < vocab; ++r)
    for (int k = 0; k < dim; ++k) m.input[size_t(r) * size_t(m.stride) + size_t(k)] = float(rng.normal(0, 0.5));
  return m;
}

}  // namespace

TEST_CASE("word2vec corpus: the reader agrees with tokenize and build_vocab", "[w2v]") {
  const std::string text =
      "The cat's hat, THE CAT.\nA dog\xC3\xA9s 42 cats! the dog\n\n  don't stop the cat 42\r\nthe end";
  w2v::Corpus corpus;
  REQUIRE(w2v::build_corpus(text, 1, corpus).empty());
  const auto tokens = text::tokenize(text, {true, false});
  const text::Vocab vocab = text::build_vocab(tokens, 1);
  CHECK(corpus.vocab.words == vocab.words);
  CHECK(corpus.vocab.counts == vocab.counts);
  REQUIRE(corpus.ids.size() == tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) CHECK(corpus.vocab.words[size_t(corpus.ids[i])] == tokens[i]);
  CHECK(corpus.vocab.words[0] == "the");
  // Lines are sentences (the empty line makes none); "é" is a letter: "dogés" is one word.
  CHECK(corpus.sentence_end == std::vector<uint32_t>{5, 11, 16, 18});
  CHECK(corpus.vocab.id("dog\xC3\xA9s") >= 0);

  // min-count drops rare words from both the vocabulary and the id stream.
  w2v::Corpus frequent;
  REQUIRE(w2v::build_corpus(text, 2, frequent).empty());
  const text::Vocab vocab2 = text::build_vocab(tokens, 2);
  CHECK(frequent.vocab.words == vocab2.words);
  size_t kept = 0;
  for (const auto& t : tokens) kept += vocab2.id(t) >= 0;
  CHECK(frequent.ids.size() == kept);
  CHECK(frequent.raw_tokens == tokens.size());
}

TEST_CASE("word2vec corpus: synthetic Zipf text has the asked shape", "[w2v]") {
  const std::string text = w2v::zipf_text(100, 20000, 10, 3);
  CHECK(text == w2v::zipf_text(100, 20000, 10, 3));
  CHECK(text != w2v::zipf_text(100, 20000, 10, 4));
  w2v::Corpus corpus;
  REQUIRE(w2v::build_corpus(text, 1, corpus).empty());
  CHECK(corpus.ids.size() == 20000);
  CHECK(corpus.sentence_end.size() == 2000);  // lines of 10
  REQUIRE(corpus.vocab.size() <= 100);
  // Word r has probability 1/((r+1)·H(100)), H(100) = 5.187: w0 about 3,856 times, w1 1,928.
  CHECK(corpus.vocab.words[0] == "w0");
  CHECK(corpus.vocab.counts[0] == Approx(3856).epsilon(0.05));
  const int w1 = corpus.vocab.id("w1");
  REQUIRE(w1 >= 0);
  CHECK(double(corpus.vocab.counts[size_t(w1)]) / double(corpus.vocab.counts[0]) == Approx(0.5).epsilon(0.1));
}

TEST_CASE("word2vec corpus: empty, binary, non-UTF-8 and tiny inputs are refused", "[w2v]") {
  w2v::Corpus corpus;
  CHECK_THAT(w2v::build_corpus("", 1, corpus), Catch::Contains("empty"));
  CHECK_THAT(w2v::build_corpus(std::string("ab\0cd", 5), 1, corpus), Catch::Contains("NUL"));
  // One stray Windows-1252 byte: skipped with a warning, or refused when strict.
  w2v::Corpus messy;
  REQUIRE(w2v::build_corpus("caf\xE9 au lait, caf\xE9 noir", 1, messy).empty());
  CHECK(messy.vocab.id("caf") >= 0);
  CHECK(messy.warning == "2 invalid UTF-8 sequences (the first at byte 3) were skipped");
  CHECK_THAT(w2v::build_corpus("caf\xE9 au lait", 1, corpus, {ll::text::CjkTokens::Auto, true}), Catch::Contains("UTF-8"));
  // Mostly not UTF-8: Latin-1 French, and GB18030 Chinese (named).
  std::string latin1, gbk;
  for (int i = 0; i < 20; ++i) latin1 += "caf\xE9 \xE0 la cr\xE8me ", gbk += "\xCE\xD2\xB0\xAE\xB1\xB1\xBE\xA9 ";
  CHECK_THAT(w2v::build_corpus(latin1, 1, corpus), Catch::Contains("mostly not UTF-8"));
  CHECK_THAT(w2v::build_corpus(gbk, 1, corpus), Catch::Contains("GB18030"));
  CHECK_THAT(w2v::build_corpus(" \n\t ", 1, corpus), Catch::Contains("whitespace"));
  CHECK_THAT(w2v::build_corpus("... !!! ???", 1, corpus), Catch::Contains("no words"));
  CHECK_THAT(w2v::build_corpus("one one two", 2, corpus), Catch::Contains("need 2"));
  CHECK(corpus.ids.empty());
  CHECK_THAT(w2v::build_corpus_from_file("/nonexistent/corpus.txt", 1, corpus), Catch::Contains("cannot open"));

  // A corpus shorter than the window, and too few words for the negatives.
  REQUIRE(w2v::build_corpus("a b a b", 1, corpus).empty());
  std::string error;
  w2v::Config config;
  config.min_count = 1;
  CHECK_FALSE(w2v::make_trainer(corpus, config, error));
  CHECK_THAT(error, Catch::Contains("too small"));
  config.negative = 1;
  config.window = 2;
  CHECK_FALSE(w2v::make_trainer(corpus, config, error));
  CHECK_THAT(error, Catch::Contains("window"));
}

TEST_CASE("word2vec config: absurd hyper-parameters are explained", "[w2v]") {
  w2v::Config ok;
  CHECK(w2v::check_config(ok).empty());
  auto bad = [](auto change) {
    w2v::Config c;
    change(c);
    return w2v::check_config(c);
  };
  CHECK_THAT(bad([](w2v::Config& c) { c.dim = 0; }), Catch::Contains("dim"));
  CHECK_THAT(bad([](w2v::Config& c) { c.window = 1000; }), Catch::Contains("window"));
  CHECK_THAT(bad([](w2v::Config& c) { c.negative = 0; }), Catch::Contains("negative"));
  CHECK_THAT(bad([](w2v::Config& c) { c.lr = 5; }), Catch::Contains("learning rate"));
  CHECK_THAT(bad([](w2v::Config& c) { c.lr = std::nan(""); }), Catch::Contains("learning rate"));
  CHECK_THAT(bad([](w2v::Config& c) { c.sample = -1; }), Catch::Contains("sample"));
  CHECK_THAT(bad([](w2v::Config& c) { c.epochs = 0; }), Catch::Contains("epochs"));
  CHECK_THAT(bad([](w2v::Config& c) { c.threads = 0; }), Catch::Contains("threads"));
  // Hierarchical softmax needs no negatives.
  CHECK(bad([](w2v::Config& c) { c.loss = w2v::Loss::HierarchicalSoftmax, c.negative = 0; }).empty());
}

TEST_CASE("word2vec sub-sampling: keep probabilities follow the original formula", "[w2v]") {
  // f = 0.01, t = 0.001: (sqrt(10) + 1)·0.1
  CHECK(w2v::keep_probability(10000, 1000000, 1e-3) == Approx((std::sqrt(10.0) + 1) * 0.1));
  CHECK(w2v::keep_probability(5, 1000000, 1e-3) == 1.0);  // rare words always stay
  CHECK(w2v::keep_probability(500000, 1000000, 0) == 1.0);  // off
  CHECK(w2v::keep_probability(500000, 1000000, 1e-4) < w2v::keep_probability(50000, 1000000, 1e-4));

  // Empirically: subsample keeps each word at its rate.
  const double p_frequent = w2v::keep_probability(300000, 1000000, 1e-3);
  const uint64_t thresholds[2] = {w2v::keep_threshold(p_frequent), w2v::keep_threshold(1.0)};
  std::vector<int32_t> ids(20000);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = int32_t(i % 2);
  Rng rng(3);
  std::vector<int32_t> kept;
  w2v::subsample(ids.data(), ids.size(), thresholds, rng, kept);
  const long ones = std::count(kept.begin(), kept.end(), 1), zeros = std::count(kept.begin(), kept.end(), 0);
  CHECK(ones == 10000);
  CHECK(double(zeros) / 10000 == Approx(p_frequent).margin(0.015));
  CHECK(std::is_sorted(kept.begin(), kept.end()) == false);  // order kept, not grouped
}

TEST_CASE("word2vec negatives: the alias table draws from unigram^0.75", "[w2v]") {
  const std::vector<long> counts = {1000, 300, 100, 10, 1};
  const w2v::NegativeTable table = w2v::make_negative_table(counts);
  double z = 0;
  for (long c : counts) z += std::pow(double(c), 0.75);
  Rng rng(9);
  std::vector<int> drawn(counts.size(), 0);
  const int n = 400000;
  for (int i = 0; i < n; ++i) ++drawn[size_t(table.draw(rng))];
  for (size_t w = 0; w < counts.size(); ++w) {
    INFO("word " << w);
    CHECK(double(drawn[w]) / n == Approx(std::pow(double(counts[w]), 0.75) / z).margin(0.004));
  }
  CHECK(drawn[4] > 0);
}

TEST_CASE("word2vec Huffman tree: prefix-free codes, frequent words shorter", "[w2v]") {
  const std::vector<long> counts = {50, 30, 20, 10, 5, 5, 2, 1};
  const w2v::HuffmanTree tree = w2v::make_huffman_tree(counts);
  const int v = int(counts.size());
  REQUIRE(tree.offset.size() == size_t(v + 1));
  std::set<std::string> codes;
  double kraft = 0;
  for (int w = 0; w < v; ++w) {
    std::string code;
    for (uint32_t p = tree.offset[size_t(w)]; p < tree.offset[size_t(w) + 1]; ++p) {
      CHECK(tree.points[p] >= 0);
      CHECK(tree.points[p] < v - 1);
      code += tree.labels[p] > 0.5f ? '0' : '1';
    }
    CHECK(tree.points[tree.offset[size_t(w)]] == v - 2);  // every path starts at the root
    kraft += std::pow(2.0, -double(code.size()));
    codes.insert(code);
    if (w > 0) CHECK(tree.offset[size_t(w) + 1] - tree.offset[size_t(w)] >= tree.offset[size_t(w)] - tree.offset[size_t(w) - 1]);
  }
  CHECK(codes.size() == size_t(v));
  for (const std::string& a : codes)
    for (const std::string& b : codes)
      if (a != b) CHECK(b.compare(0, a.size(), a) != 0);  // no code is a prefix of another
  CHECK(kraft == Approx(1.0));  // a full binary tree
}

TEST_CASE("word2vec pairs: each position's contexts lie within its drawn reach", "[w2v]") {
  const int32_t sentence[] = {10, 11, 12, 13, 14, 15, 16};
  int32_t contexts[10];
  int m = w2v::window_contexts(sentence, 7, 3, 2, contexts);
  CHECK(std::vector<int32_t>(contexts, contexts + m) == std::vector<int32_t>{11, 12, 14, 15});
  m = w2v::window_contexts(sentence, 7, 0, 5, contexts);  // clipped at the sentence start
  CHECK(std::vector<int32_t>(contexts, contexts + m) == std::vector<int32_t>{11, 12, 13, 14, 15});
  m = w2v::window_contexts(sentence, 7, 6, 1, contexts);
  CHECK(std::vector<int32_t>(contexts, contexts + m) == std::vector<int32_t>{15});
  m = w2v::window_contexts(sentence, 1, 0, 3, contexts);  // a one-word sentence has no pairs
  CHECK(m == 0);
}

TEST_CASE("word2vec losses: updates are −lr·gradient (central differences)", "[w2v]") {
  SECTION("negative sampling, skip-gram window (duplicate negative included)") {
    w2v::Model model = random_tiny_model(6, 5, 6);
    float* inputs[1] = {model.input + 2 * model.stride};
    const int32_t outputs[] = {3, 1, 1, 4, 0, 5};
    const float labels[] = {1, 0, 0, 1, 0, 0};
    w2v::Example ex;
    ex.inputs = inputs, ex.m = 1, ex.outputs = outputs, ex.labels = labels, ex.n = 6;
    check_example_gradient(model, ex, 1.0);
  }
  SECTION("negative sampling, distinct outputs (the one-pass update of each output row)") {
    w2v::Model model = random_tiny_model(6, 5, 6);
    float* inputs[1] = {model.input + 4 * model.stride};
    const int32_t outputs[] = {0, 2, 5, 1, 3};
    const float labels[] = {1, 0, 0, 0, 0};
    w2v::Example ex;
    ex.inputs = inputs, ex.m = 1, ex.outputs = outputs, ex.labels = labels, ex.n = 5;
    check_example_gradient(model, ex, 1.0);
  }
  SECTION("negative sampling, 14 distinct outputs (the one-pass update in three groups of rows)") {
    w2v::Model model = random_tiny_model(16, 11, 16);  // stride 16: two blocks of 8 per row
    float* inputs[1] = {model.input + 7 * model.stride};
    const int32_t outputs[] = {9, 0, 15, 2, 4, 11, 6, 13, 1, 8, 3, 14, 10, 5};
    float labels[14] = {1};
    w2v::Example ex;
    ex.inputs = inputs, ex.m = 1, ex.outputs = outputs, ex.labels = labels, ex.n = 14;
    check_example_gradient(model, ex, 1.0);
  }
  SECTION("CBOW with 8 distinct outputs (two groups, the gradient spread over the contexts)") {
    w2v::Model model = random_tiny_model(10, 9, 10);
    float* inputs[2] = {model.input + 2 * model.stride, model.input + 6 * model.stride};
    const int32_t outputs[] = {1, 3, 5, 7, 9, 0, 2, 4};
    const float labels[] = {1, 0, 0, 0, 0, 0, 0, 0};
    w2v::Example ex;
    ex.inputs = inputs, ex.m = 2, ex.outputs = outputs, ex.labels = labels, ex.n = 8, ex.average_inputs = true;
    check_example_gradient(model, ex, 2.0);
  }
  SECTION("hierarchical softmax path of a word") {
    const std::vector<long> counts = {40, 20, 10, 6, 3, 1};
    const w2v::HuffmanTree tree = w2v::make_huffman_tree(counts);
    w2v::Model model = random_tiny_model(6, 5, 5);
    float* inputs[2] = {model.input + 1 * model.stride, model.input + 4 * model.stride};
    const uint32_t o = tree.offset[5];
    w2v::Example ex;
    ex.inputs = inputs, ex.m = 2, ex.outputs = tree.points.data() + o, ex.labels = tree.labels.data() + o;
    ex.n = int(tree.offset[6] - o);
    REQUIRE(ex.n >= 3);
    check_example_gradient(model, ex, 1.0);
  }
  SECTION("full softmax") {
    w2v::Model model = random_tiny_model(6, 5, 6);
    float* inputs[1] = {model.input + 0 * model.stride};
    const float labels[] = {0, 0, 1, 0, 0, 0};
    w2v::Example ex;
    ex.inputs = inputs, ex.m = 1, ex.labels = labels, ex.n = 6, ex.softmax = true;
    check_example_gradient(model, ex, 1.0);
  }
  SECTION("CBOW: every context moves by −lr·∂L/∂h = m times its own gradient") {
    w2v::Model model = random_tiny_model(6, 5, 6);
    float* inputs[3] = {model.input + 1 * model.stride, model.input + 3 * model.stride, model.input + 5 * model.stride};
    const int32_t outputs[] = {2, 0, 4};
    const float labels[] = {1, 0, 0};
    w2v::Example ex;
    ex.inputs = inputs, ex.m = 3, ex.outputs = outputs, ex.labels = labels, ex.n = 3, ex.average_inputs = true;
    check_example_gradient(model, ex, 3.0);
  }
}

TEST_CASE("word vectors: nearest neighbours by cosine", "[w2v]") {
  const w2v::WordVectors v = hand_made_vectors();
  const w2v::UnitVectors u = w2v::unit_vectors(v);
  std::string error;
  const auto nn = w2v::nearest_words(u, "apple", 2, error);
  REQUIRE(error.empty());
  REQUIRE(nn.size() == 2);
  CHECK(nn[0].word == "pear");
  const float expected = (0.1f * 0.15f + 0.95f) / (std::sqrt(0.01f + 1) * std::sqrt(0.0225f + 0.01f + 0.9025f));
  CHECK(nn[0].score == Approx(expected).epsilon(1e-5));
  CHECK(nn[0].score >= nn[1].score);
  for (const auto& n : w2v::nearest_words(u, "king", 6, error)) CHECK(n.word != "king");
  CHECK(w2v::nearest_words(u, "banana", 3, error).empty());
  CHECK_THAT(error, Catch::Contains("not in the vocabulary"));
}

TEST_CASE("word vectors: analogies by 3CosAdd and 3CosMul", "[w2v]") {
  const w2v::WordVectors v = hand_made_vectors();
  const w2v::UnitVectors u = w2v::unit_vectors(v);
  std::string error;
  for (auto method : {w2v::AnalogyMethod::Add, w2v::AnalogyMethod::Mul}) {
    const auto answer = w2v::analogy(u, "man", "king", "woman", 3, method, error);
    REQUIRE(error.empty());
    REQUIRE(answer.size() == 3);
    CHECK(answer[0].word == "queen");
    for (const auto& a : answer) CHECK((a.word != "man" && a.word != "king" && a.word != "woman"));
  }
  // The 3CosMul score of the answer, by hand.
  auto cos = [&](const char* a, const char* b) { return u.rows.row(v.find(a)).dot(u.rows.row(v.find(b))); };
  const float mul = ((cos("queen", "king") + 1) / 2) * ((cos("queen", "woman") + 1) / 2) / ((cos("queen", "man") + 1) / 2 + 0.001f);
  CHECK(w2v::analogy(u, "man", "king", "woman", 1, w2v::AnalogyMethod::Mul, error)[0].score == Approx(mul).epsilon(1e-5));
  // 3CosAdd's score is the cosine with b − a + c.
  const Eigen::RowVectorXf target = u.rows.row(v.find("king")) - u.rows.row(v.find("man")) + u.rows.row(v.find("woman"));
  const float add = target.normalized().dot(u.rows.row(v.find("queen")));
  CHECK(w2v::analogy(u, "man", "king", "woman", 1, w2v::AnalogyMethod::Add, error)[0].score == Approx(add).epsilon(1e-5));
  CHECK(w2v::analogy(u, "man", "king", "duke", 1, w2v::AnalogyMethod::Add, error).empty());
  CHECK_THAT(error, Catch::Contains("duke"));
}

TEST_CASE("word vectors: the analogy benchmark counts like compute-accuracy", "[w2v]") {
  const w2v::WordVectors v = hand_made_vectors();
  const std::string questions =
      ": royals\nMan King Woman Queen\nwoman queen man king\nman king woman prince\n"
      "man king woman duke\n: gram-fruit\napple pear man woman\n";
  w2v::AnalogyReport report;
  REQUIRE(w2v::evaluate_analogies(v, questions, 100, report).empty());
  REQUIRE(report.sections.size() == 2);
  CHECK(report.sections[0].name == "royals");
  CHECK(report.sections[0].total == 4);
  CHECK(report.sections[0].seen == 3);  // "duke" is unknown
  CHECK(report.sections[0].correct == 2);
  CHECK(report.total == 5);
  CHECK(report.syntactic_seen == 1);
  CHECK(report.semantic_correct == 2);
  // top-N: with only the first 4 words, questions naming apple/pear/prince are not asked.
  REQUIRE(w2v::evaluate_analogies(v, questions, 4, report).empty());
  CHECK(report.seen == 2);
  CHECK(report.correct == 2);
  // fastText's line-end token "</s>" (its most frequent "word") does not take a top-N place.
  std::vector<std::string> words = v.words;
  words.insert(words.begin(), "</s>");
  std::vector<float> data(size_t(v.dim), 0.5f);
  data.insert(data.end(), v.data.begin(), v.data.end());
  const w2v::WordVectors with_end = w2v::make_word_vectors(words, v.dim, data);
  const w2v::WordVectors without = w2v::without_line_ends(with_end);
  CHECK(without.words == v.words);
  CHECK(without.data == v.data);
  REQUIRE(w2v::evaluate_analogies(with_end, questions, 4, report).empty());
  CHECK(report.seen == 2);
  CHECK(report.correct == 2);
  // Scored on the questions both files can answer: a second file without "queen" or "apple"
  // leaves one question (man king woman prince, which v answers "queen": wrong).
  const w2v::WordVectors other = w2v::make_word_vectors({"</s>", "man", "king", "woman", "prince"}, 1, {0, 1, 2, 3, 4});
  REQUIRE(w2v::evaluate_analogies(v, questions, 100, report, &other).empty());
  CHECK(report.total == 5);
  CHECK(report.seen == 1);
  CHECK(report.correct == 0);
  // "</s>" takes no top-N place in the second file either: its top 4 still holds "queen".
  const w2v::WordVectors other4 = w2v::make_word_vectors({"</s>", "man", "king", "woman", "queen"}, 1, {0, 1, 2, 3, 4});
  REQUIRE(w2v::evaluate_analogies(v, questions, 4, report, &other4).empty());
  CHECK(report.seen == 2);
  CHECK_THAT(w2v::evaluate_analogies(v, ": x\na b c\n", 100, report), Catch::Contains("4 words"));
  CHECK_THAT(w2v::evaluate_analogies(v, "\n\n", 100, report), Catch::Contains("no analogy"));
}

TEST_CASE("word vectors: 2-D PCA keeps the main direction", "[w2v]") {
  std::vector<std::string> words;
  std::vector<float> data;
  Rng rng(2);
  for (int i = 0; i < 10; ++i) {
    words.push_back("w" + std::to_string(i));
    const float t = float(i) - 4.5f;  // along (1, 2, 2)/3, plus small noise
    data.insert(data.end(), {t / 3 + 0.01f * float(rng.normal()), 2 * t / 3 + 0.01f * float(rng.normal()), 2 * t / 3});
  }
  const w2v::WordVectors v = w2v::make_word_vectors(words, 3, data);
  const w2v::Projection2D p = w2v::pca_2d(v, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(p.explained[0] > 0.99f);
  CHECK(p.explained[0] + p.explained[1] <= 1.0001f);
  for (int i = 1; i < 10; ++i) CHECK(std::abs(p.x[size_t(i)] - p.x[size_t(i - 1)]) == Approx(1.0).epsilon(0.05));
  CHECK(std::abs(p.y[0]) < 0.1f);
}

TEST_CASE("word2vec formats: text, binary and TSV round trips", "[w2v]") {
  const w2v::WordVectors v = w2v::make_word_vectors({"the", "cat's", "x9"}, 4,
                                                    {0.5f, -1.25f, 3e-5f, 1234.5f, 0, 1, -2, 0.333333f, 7, 8, 9, -1e-3f});
  w2v::WordVectors back;
  const std::string text = w2v::write_word2vec_text(v);
  CHECK(text.rfind("3 4\nthe 0.5 -1.25 3e-05 1234.5\n", 0) == 0);
  REQUIRE(w2v::read_word2vec_text(text, back).empty());
  CHECK(back.words == v.words);
  REQUIRE(back.data.size() == v.data.size());
  for (size_t i = 0; i < v.data.size(); ++i) CHECK(back.data[i] == Approx(v.data[i]).epsilon(1e-6));
  CHECK(back.find("cat's") == 1);

  const std::string bin = w2v::write_word2vec_binary(v);
  CHECK(bin.size() == 4 + (4 + 16 + 1) + (6 + 16 + 1) + (3 + 16 + 1));  // header; per row: word, ' ', 4 floats, '\n'
  CHECK(bin.substr(4, 4) == "the ");
  REQUIRE(w2v::read_word2vec_binary(bin, back).empty());
  CHECK(back.words == v.words);
  CHECK(back.data == v.data);  // bit-exact

  const std::string vec_tsv = w2v::write_projector_vectors(v), meta_tsv = w2v::write_projector_metadata(v);
  CHECK(meta_tsv == "the\ncat's\nx9\n");
  CHECK(vec_tsv.rfind("0.5\t-1.25\t3e-05\t1234.5\n", 0) == 0);
  REQUIRE(w2v::read_projector_tsv(vec_tsv, meta_tsv, back).empty());
  CHECK(back.words == v.words);
  for (size_t i = 0; i < v.data.size(); ++i) CHECK(back.data[i] == Approx(v.data[i]).epsilon(1e-6));

  // fastText's .vec rows end in a space; Windows line ends are fine too.
  REQUIRE(w2v::read_word2vec_text("2 2\r\na 1 2 \r\nb 3 4 \r\n", back).empty());
  CHECK(back.data == std::vector<float>{1, 2, 3, 4});
}

TEST_CASE("word2vec formats: Chinese words survive text, binary and TSV round trips", "[w2v]") {
  // UTF-8 words of 1 to 4 bytes a character, a 4-byte one (𠮷) among them.
  const std::vector<std::string> words = {"文件", "目录", "用户名", "𠮷野家", "linux"};
  std::vector<float> data;
  for (int i = 0; i < 5 * 3; ++i) data.push_back(0.25f * float(i) - 1);
  const w2v::WordVectors v = w2v::make_word_vectors(words, 3, data);
  w2v::WordVectors back;
  REQUIRE(w2v::read_word2vec_text(w2v::write_word2vec_text(v), back).empty());
  CHECK(back.words == words);
  CHECK(back.find("用户名") == 2);
  REQUIRE(w2v::read_word2vec_binary(w2v::write_word2vec_binary(v), back).empty());
  CHECK(back.words == words);
  CHECK(back.data == v.data);
  const std::string meta = w2v::write_projector_metadata(v);
  CHECK(meta == "文件\n目录\n用户名\n𠮷野家\nlinux\n");
  REQUIRE(w2v::read_projector_tsv(w2v::write_projector_vectors(v), meta, back).empty());
  CHECK(back.words == words);
  CHECK(back.find("𠮷野家") == 3);
}

TEST_CASE("word vectors: a Chinese analogy file with a header comment is scored", "[w2v]") {
  // 男 : 女 :: 父 : 母 along one axis; 大 : 小 along another.
  const w2v::WordVectors v = w2v::make_word_vectors({"男", "女", "父", "母", "大", "小"}, 3,
                                                    {1, 0, 0, 1, 1, 0, 1, 0, 0.2f, 1, 1, 0.2f, 0, 0, 1, 0, 1, 1});
  const std::string questions = "# source: by hand\n: family\n男 女 父 母\n父 母 男 女\n: opposites\n大 小 男 王\n";
  w2v::AnalogyReport report;
  REQUIRE(w2v::evaluate_analogies(v, questions, 100, report).empty());
  REQUIRE(report.sections.size() == 2);
  CHECK(report.sections[0].name == "family");
  CHECK(report.sections[0].correct == 2);
  CHECK(report.total == 3);
  CHECK(report.seen == 2);  // 王 is not a word here
}

TEST_CASE("word2vec formats: malformed files get clear errors", "[w2v]") {
  w2v::WordVectors out = w2v::make_word_vectors({"keep"}, 1, {1});
  auto text_error = [&](const std::string& s) { return w2v::read_word2vec_text(s, out); };
  CHECK_THAT(text_error(""), Catch::Contains("empty"));
  CHECK_THAT(text_error("hello world\n"), Catch::Contains("bad header"));
  CHECK_THAT(text_error("3\na 1\n"), Catch::Contains("bad header"));
  CHECK_THAT(text_error("0 5\n"), Catch::Contains("word count"));
  CHECK_THAT(text_error("2 2\na 1 2\n"), Catch::Contains("header says 2 words but the file has 1"));
  CHECK_THAT(text_error("1 2\na 1 2\nb 3 4\n"), Catch::Contains("more rows"));
  CHECK_THAT(text_error("2 3\na 1 2 3\nb 1 2\n"), Catch::Contains("line 3") && Catch::Contains("2 values"));
  CHECK_THAT(text_error("1 3\na 1 2 3 4\n"), Catch::Contains("4 values"));
  CHECK_THAT(text_error("1 2\na 1 nan\n"), Catch::Contains("NaN"));
  CHECK_THAT(text_error("1 2\na 1 inf\n"), Catch::Contains("NaN or infinite"));
  CHECK_THAT(text_error("1 2\na 1 x2\n"), Catch::Contains("not a number"));
  CHECK_THAT(text_error(std::string("1 1\na \0\0\0\0\n", 11)), Catch::Contains("binary"));
  CHECK(out.words == std::vector<std::string>{"keep"});  // untouched on error

  const w2v::WordVectors v = w2v::make_word_vectors({"ab", "cd"}, 2, {1, 2, 3, 4});
  const std::string bin = w2v::write_word2vec_binary(v);
  auto bin_error = [&](const std::string& s) { return w2v::read_word2vec_binary(s, out); };
  CHECK_THAT(bin_error(bin.substr(0, bin.size() - 4)), Catch::Contains("truncated") && Catch::Contains("'cd'"));
  CHECK_THAT(bin_error(bin.substr(0, 15)), Catch::Contains("truncated") && Catch::Contains("row 2"));
  CHECK_THAT(bin_error("x y\nab " + bin.substr(7)), Catch::Contains("bad header"));
  CHECK_THAT(bin_error(bin + "junk"), Catch::Contains("more data"));
  std::string nan_bin = bin;
  const float nan = std::nanf("");
  std::memcpy(&nan_bin[4 + 3], &nan, 4);
  CHECK_THAT(bin_error(nan_bin), Catch::Contains("NaN"));
  CHECK(out.words == std::vector<std::string>{"keep"});

  CHECK_THAT(w2v::read_projector_tsv("1\t2\n3\n", "a\nb\n", out), Catch::Contains("1 values"));
  CHECK_THAT(w2v::read_projector_tsv("1\t2\n3\t4\n", "a\n", out), Catch::Contains("2 rows but metadata.tsv has 1"));
  CHECK_THAT(w2v::read_projector_tsv("1\tnan\n", "a\n", out), Catch::Contains("NaN"));
  CHECK_THAT(w2v::load_vectors("/nonexistent/v.txt", out), Catch::Contains("cannot open"));
}

TEST_CASE("word2vec learning: skip-gram recovers two planted topics", "[w2v]") {
  w2v::Config config = two_topic_config(1);
  config.negative = 4;
  const w2v::WordVectors v = train_two_topics(config);
  CHECK(v.size() == 16);
  CHECK(same_group_neighbours(v) == 1.0);
  // Deterministic with one thread: the same seed gives the same vectors.
  CHECK(train_two_topics(config).data == v.data);
}

// The bits of one worker's training are pinned, so the native and the WASM build of this test
// check each other: same seed, same vectors on every target. (13 negatives: the update's rows
// in three groups; the pins are those of the trainer before grouping, a row at a time.)
TEST_CASE("word2vec training: one worker gives the same bits on every target", "[w2v]") {
  const std::string text = w2v::zipf_text(300, 30000, 12, 3);
  auto hash = [&](w2v::Arch arch, w2v::Loss loss, int negative) {
    w2v::Corpus corpus;
    REQUIRE(w2v::build_corpus(text, 2, corpus).empty());
    w2v::Config config;
    config.arch = arch, config.loss = loss, config.negative = negative;
    config.dim = 20, config.epochs = 2, config.sample = 1e-3, config.threads = 1, config.lr = 0.05, config.seed = 9;
    std::string error;
    w2v::TrainerPtr t = w2v::make_trainer(std::move(corpus), config, error);
    REQUIRE(t);
    w2v::train_worker(*t, 0, UINT64_MAX);
    REQUIRE(w2v::finished(*t));
    const w2v::Model& m = w2v::trainer_model(*t);
    const auto* bytes = reinterpret_cast<const unsigned char*>(m.input);
    uint64_t h = 1469598103934665603ULL;  // FNV-1a over every parameter
    for (size_t i = 0; i < size_t(m.vocab + m.rows_out) * size_t(m.stride) * sizeof(float); ++i)
      h = (h ^ bytes[i]) * 1099511628211ULL;
    return h;
  };
  CHECK(hash(w2v::Arch::SkipGram, w2v::Loss::NegativeSampling, 5) == 0x041f883afc4b9e01ULL);
  CHECK(hash(w2v::Arch::SkipGram, w2v::Loss::NegativeSampling, 13) == 0x449e8f50c948d9a1ULL);
  CHECK(hash(w2v::Arch::Cbow, w2v::Loss::NegativeSampling, 5) == 0x0cc6b0828be95f51ULL);
  CHECK(hash(w2v::Arch::Cbow, w2v::Loss::HierarchicalSoftmax, 5) == 0xa7d4592219707dd1ULL);
}

TEST_CASE("word2vec learning: CBOW with hierarchical softmax, and full softmax, recover the topics", "[w2v]") {
  w2v::Config config = two_topic_config(2);
  config.arch = w2v::Arch::Cbow;
  config.loss = w2v::Loss::HierarchicalSoftmax;
  CHECK(same_group_neighbours(train_two_topics(config)) >= 0.9);
  config.arch = w2v::Arch::SkipGram;
  config.loss = w2v::Loss::Softmax;
  config.epochs = 2;
  CHECK(same_group_neighbours(train_two_topics(config, 600)) >= 0.9);
}

TEST_CASE("word2vec training: a worker trains its shard, then what is left of the other's; each word once an epoch", "[w2v]") {
  // 1000 lines of 12 words then 3000 of 2: 18,000 words, shards of 9,000 words, one chunk each.
  const std::string text = long_then_short_lines(1000, 12, 3000, 2);
  auto make = [&] { return schedule_trainer(text, 3, 2); };
  // One worker alone trains its shard, then the other's, every epoch; the other then finds none left.
  w2v::TrainerPtr alone = make();
  REQUIRE(w2v::trainer_corpus(*alone).ids.size() == 18000);
  CHECK(w2v::train_worker(*alone, 0, UINT64_MAX) == 3 * 18000);
  CHECK(w2v::finished(*alone));
  CHECK(w2v::train_worker(*alone, 1, UINT64_MAX) == 0);
  // Two workers in turn, 3,000 words at a time (as threads interleave): together they train
  // each word once an epoch, and both take part.
  w2v::TrainerPtr shared = make();
  REQUIRE(w2v::trainer_corpus(*shared).ids.size() == 18000);
  uint64_t by_worker[2] = {0, 0};
  for (int turn = 0; !w2v::finished(*shared); ++turn) {
    REQUIRE(turn < 100);
    by_worker[turn % 2] += w2v::train_worker(*shared, turn % 2, 3000);
  }
  // Shards of equal word counts, not of equal line counts (which would give worker 0 14,000
  // words a pass and worker 1 4,000): at the same pace neither takes from the other.
  CHECK(by_worker[0] == 3 * 9000);
  CHECK(by_worker[1] == 3 * 9000);
  CHECK(w2v::progress(*shared).words_done == 3 * 18000);
}

TEST_CASE("word2vec training: two threads start on distant parts of the corpus", "[w2v]") {
  // Two chunks' worth of 12-word lines, then as many words in 2-word lines: chunks handed out
  // in corpus order would start the second worker on 12-word lines too; its shard starts on
  // 2-word lines.
  w2v::TrainerPtr t = schedule_trainer(long_then_short_lines(2 * 834, 12, 10000, 2), 1, 2);
  CHECK(w2v::train_worker(*t, 0, 1) == 12);  // one line of its chunk
  CHECK(w2v::train_worker(*t, 1, 1) == 2);
}

TEST_CASE("word2vec training: time slices resume exactly where they stopped", "[w2v]") {
  Rng rng(4);
  const std::string text = two_topic_corpus(400, 8, rng);
  w2v::TrainerPtr whole = schedule_trainer(text, 3, 1), sliced = schedule_trainer(text, 3, 1);
  w2v::train_in_threads(*whole, nullptr);
  int slices = 0;
  while (!w2v::finished(*sliced)) {
    w2v::train_worker(*sliced, 0, 500);
    ++slices;
    const w2v::Progress p = w2v::progress(*sliced);
    CHECK(p.words_done <= p.words_total);
  }
  CHECK(slices > 5);
  const w2v::Progress p = w2v::progress(*sliced);
  CHECK(p.words_done == p.words_total);
  CHECK(p.words_total == 3u * 400u * 12u);
  CHECK(p.finished);
  CHECK(p.loss > 0);
  CHECK(w2v::trainer_vectors(*sliced).data == w2v::trainer_vectors(*whole).data);
  CHECK(w2v::train_for(*sliced, 0.01) == 0);  // nothing left
}

TEST_CASE("word2vec vectors: a refreshed view copies the floats and keeps a matching vocabulary", "[w2v]") {
  Rng rng(6);
  const std::string text = two_topic_corpus(200, 8, rng);
  w2v::TrainerPtr t = schedule_trainer(text, 2, 1);
  w2v::WordVectors view = w2v::trainer_vectors(*t);
  w2v::train_worker(*t, 0, 1000);
  const std::string* first_word = view.words.data();
  w2v::copy_trainer_vectors(*t, view);
  CHECK(view.words.data() == first_word);  // the same vocabulary, kept
  CHECK(view.data == w2v::trainer_vectors(*t).data);
  CHECK(view.find(view.words[3]) == 3);
  // Another vocabulary replaces the words and the index.
  w2v::TrainerPtr other = schedule_trainer("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu\n", 1, 1);
  w2v::copy_trainer_vectors(*other, view);
  CHECK(view.words == w2v::trainer_corpus(*other).vocab.words);
  CHECK(view.find("gamma") >= 0);
  CHECK(view.find(w2v::trainer_corpus(*t).vocab.words[0]) == -1);
  CHECK(view.data == w2v::trainer_vectors(*other).data);
}

TEST_CASE("word2vec lesson: trains on the travel passage by commands and answers queries", "[w2v]") {
  ImGui::CreateContext();
  {
    ui::App app({"native", 1}, ui::make_lessons());
    REQUIRE(app.open("word2vec"));
    CHECK(app.command("w2v corpus passage").ok);
    CHECK(app.command("w2v set min-count 1").ok);
    CHECK(app.command("w2v set epochs 3").ok);
    CHECK(app.command("w2v set dim 20").ok);
    const auto bad = app.command("w2v set dim 0");
    CHECK_FALSE(bad.ok);
    CHECK_THAT(bad.message, Catch::Contains("dim"));
    CHECK(app.state()["lesson"]["config"]["dim"] == 20);  // the bad value changed nothing
    CHECK_FALSE(app.command("w2v vectors trained").ok);   // nothing trained yet

    CHECK(app.command("train step").ok);
    auto lesson = app.state()["lesson"];
    CHECK(lesson["words_done"].get<long>() > 0);
    CHECK(lesson["vocab"].get<int>() > 50);
    for (int i = 0; i < 200 && !app.state()["lesson"]["finished"].get<bool>(); ++i) app.command("train step");
    lesson = app.state()["lesson"];
    CHECK(lesson["finished"] == true);
    CHECK(lesson["words_done"] == lesson["words_total"]);

    CHECK(app.command("w2v nearest hotel").ok);
    CHECK(app.state()["lesson"]["nearest"]["neighbours"].size() == 10);
    const auto unknown = app.command("w2v nearest zeppelin");
    CHECK_FALSE(unknown.ok);
    CHECK_THAT(unknown.message, Catch::Contains("not in the vocabulary"));
    CHECK(app.command("w2v analogy hotel motel cat").ok);
    CHECK(app.state()["lesson"]["analogy"]["answers"].size() == 5);
  }
  ImGui::DestroyContext();
}

TEST_CASE("word2vec corpus: Chinese by word or by character, the lessons' tokenizer", "[w2v][text]") {
  const std::string segmented = "我 爱 北京\n我 爱 上海\n北京 是 首都\n";
  w2v::Corpus words, chars;
  REQUIRE(w2v::build_corpus(segmented, 1, words).empty());  // auto: segmented lines keep their words
  CHECK(words.vocab.id("北京") >= 0);
  CHECK(words.vocab.id("上海") >= 0);
  CHECK(words.vocab.words.size() == 6);
  REQUIRE(w2v::build_corpus(segmented, 1, chars, {ll::text::CjkTokens::Char, false}).empty());
  CHECK(chars.vocab.id("北京") == -1);
  CHECK(chars.vocab.id("京") >= 0);
  CHECK(chars.vocab.words.size() == 9);  // 我 爱 北 京 上 海 是 首 都
  // The same tokens as the lessons get, line breaks kept as training windows' edges.
  const auto tokens = ll::text::tokenize(segmented);
  CHECK(tokens.size() == words.ids.size());
  CHECK(words.sentence_end.size() == 3);
}
