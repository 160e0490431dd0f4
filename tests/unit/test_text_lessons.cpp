#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "headless_imgui.hpp"
#include "imgui.h"
#include "lessons/i18n.hpp"
#include "lessons/lesson.hpp"
#include "lessons/lesson_list.hpp"

namespace {

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < line.size()) {
    const size_t end = line.find(' ', start);
    out.push_back(line.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

ll::ui::CommandResult run(ll::ui::Lesson& lesson, HeadlessImGui& imgui, const std::string& line) {
  const ll::ui::CommandResult result = lesson.command(words(line));
  imgui.frame(lesson);  // every state the command leads to must draw
  return result;
}

}  // namespace

TEST_CASE("one-hot lesson: zero one-hot cosine, lookup equals the row, related words closer", "[text]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_one_hot();
  CHECK(std::string(lesson->id()) == "one-hot-vs-distributed");
  imgui.frame(*lesson);
  auto s = lesson->state();
  CHECK(s["one_hot_cosine"] == 0.0);
  CHECK(s["lookup_equals_row"] == true);
  const double hotel_motel = s["dense_cosine"];
  REQUIRE(run(*lesson, imgui, "onehot words hotel cat").ok);
  const double hotel_cat = lesson->state()["dense_cosine"];
  CHECK(hotel_motel > hotel_cat);
  CHECK_FALSE(run(*lesson, imgui, "onehot words hotel zebra").ok);
  CHECK_FALSE(run(*lesson, imgui, "onehot dim 0").ok);
  CHECK(run(*lesson, imgui, "onehot dim 5").ok);
  CHECK(lesson->state()["dim"] == 5);
  CHECK_FALSE(run(*lesson, imgui, "onehot corpus").ok);  // empty corpus: explained, still draws
  CHECK(lesson->state()["problem"] != "");
  CHECK(run(*lesson, imgui, "onehot reset").ok);
}

TEST_CASE("cooccurrence lesson: course table, window, PPMI and bad input", "[text]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_cooccurrence();
  imgui.frame(*lesson);
  auto s = lesson->state();
  CHECK(s["window"] == 1);
  CHECK(s["vocab_size"] == 8);
  CHECK(s["total_count"] == 20.0);
  CHECK(s["ppmi"] == false);
  CHECK(run(*lesson, imgui, "cooc ppmi on").ok);
  CHECK(lesson->state()["ppmi"] == true);
  CHECK(run(*lesson, imgui, "cooc window 10").ok);  // wider than every sentence: explained
  CHECK_FALSE(run(*lesson, imgui, "cooc window 0").ok);
  CHECK(run(*lesson, imgui, "cooc end off").ok);
  CHECK(lesson->state()["vocab_size"] == 7);
  CHECK_FALSE(run(*lesson, imgui, "cooc corpus ... !!!").ok);
  CHECK(run(*lesson, imgui, "cooc corpus a. b. c.").ok);  // no word has a neighbour: an all-zero matrix
  CHECK(lesson->state()["total_count"] == 0.0);
  CHECK(run(*lesson, imgui, "cooc reset").ok);
  const double energy = lesson->state()["energy_2d"];
  CHECK(energy > 0);
  CHECK(energy < 1);
}

TEST_CASE("language-model lesson: hand numbers, smoothing, perplexity, samples", "[text]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_language_model();
  imgui.frame(*lesson);
  auto s = lesson->state();
  CHECK(s["order"] == 2);
  CHECK(s["vocab_size"] == 11);
  // P(i|<s>) P(am|i) P(sam|am) P(</s>|sam) = 2/3 · 2/3 · 1/2 · 1/2 = 1/9.
  CHECK(s["sentence_log_probability"].get<double>() == Approx(std::log(1.0 / 9)));
  // The held-out "I do not like green eggs and ham" has bigrams never seen in training.
  CHECK(s["perplexity_infinite"] == true);
  REQUIRE(run(*lesson, imgui, "lm smoothing kn").ok);
  CHECK(lesson->state()["perplexity_infinite"] == false);
  CHECK(lesson->state()["perplexity"].get<double>() > 1);
  for (const char* line : {"lm order 1", "lm order 3", "lm smoothing add-k", "lm k 0.1", "lm sample"})
    CHECK(run(*lesson, imgui, line).ok);
  CHECK(lesson->state()["samples"].size() == 5);
  CHECK_FALSE(run(*lesson, imgui, "lm order 4").ok);
  CHECK_FALSE(run(*lesson, imgui, "lm discount 1.5").ok);
  CHECK(run(*lesson, imgui, "lm sentence i am a zebra").ok);
  CHECK(lesson->state()["sentence_error"].get<std::string>().find("zebra") != std::string::npos);
  CHECK_FALSE(run(*lesson, imgui, "lm text").ok);  // empty corpus: explained
  CHECK(run(*lesson, imgui, "lm corpus genesis").ok);
  s = lesson->state();
  CHECK(s["vocab_size"].get<int>() > 2000);
  CHECK(s["held_out_sentences"].get<int>() > 100);
  CHECK(s["perplexity_infinite"] == false);
}

TEST_CASE("skip-gram-pairs lesson: pair counts, softmax, large vectors, bad input", "[text]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_skip_gram_pairs();
  imgui.frame(*lesson);
  auto s = lesson->state();
  CHECK(s["sentence_length"] == 9);
  CHECK(s["skip_gram_pairs"] == 30);
  CHECK(s["cbow_examples"] == 9);
  const double p = s["probability"];
  CHECK(p > 0);
  CHECK(p < 1);
  CHECK(s["loss"].get<double>() == Approx(-std::log(p)));
  CHECK(run(*lesson, imgui, "pairs scale 100").ok);  // logits far beyond exp's range
  CHECK(std::isfinite(lesson->state()["probability"].get<double>()));
  // P may underflow to 0 there; the loss comes from the log-normaliser and stays finite.
  const double loss = lesson->state()["loss"];
  CHECK(std::isfinite(loss));
  CHECK(loss >= 0);
  CHECK(run(*lesson, imgui, "pairs mode cbow").ok);
  CHECK(run(*lesson, imgui, "pairs window 8").ok);  // wider than the sentence: explained
  CHECK(lesson->state()["skip_gram_pairs"] == 72);
  CHECK(run(*lesson, imgui, "pairs centre 4").ok);
  CHECK(lesson->state()["centre_word"] == "jumps");
  CHECK_FALSE(run(*lesson, imgui, "pairs centre 99").ok);
  CHECK_FALSE(run(*lesson, imgui, "pairs sentence").ok);
  CHECK_FALSE(run(*lesson, imgui, "pairs sentence alone").ok);
  CHECK(run(*lesson, imgui, "pairs sentence a b c").ok);
  CHECK(lesson->state()["skip_gram_pairs"] == 6);
}

namespace {

// Tests share the process's interface language: each leaves it English.
struct EnglishAfterwards {
  ~EnglishAfterwards() { ll::ui::set_language("en"); }
};

}  // namespace

TEST_CASE("one-hot lesson: the Chinese passage, 西雅图 酒店 vs 西雅图 汽车旅馆, and 字 vs 词", "[text][zh]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_one_hot();
  imgui.frame(*lesson);
  const double hotel_motel = lesson->state()["dense_cosine"];
  REQUIRE(run(*lesson, imgui, "onehot example passage-zh").ok);
  auto s = lesson->state();
  CHECK(s["example"] == "passage-zh");
  CHECK(s["tokens"] == "auto");
  CHECK(s["word_a"] == "酒店");
  CHECK(s["word_b"] == "汽车旅馆");
  CHECK(s["one_hot_dot"] == 0.0);
  CHECK(s["one_hot_cosine"] == 0.0);
  CHECK(s["lookup_equals_row"] == true);
  // The parallel sentences give the Chinese pair the English pair's closeness (both 1.000 at d = 3).
  const double jiudian_motel = s["dense_cosine"];
  CHECK(jiudian_motel > 0.95);
  CHECK(hotel_motel > 0.95);
  REQUIRE(run(*lesson, imgui, "onehot words 酒店 猫").ok);
  CHECK(lesson->state()["dense_cosine"].get<double>() < jiudian_motel - 0.5);
  CHECK(run(*lesson, imgui, "onehot words 猫 狗").ok);
  CHECK(lesson->state()["dense_cosine"].get<double>() > 0.9);
  CHECK(run(*lesson, imgui, "onehot words 西雅图 酒店").ok);
  // By character (字) the passage's words fall apart: 酒店 is no longer a token, 酒 and 店 are.
  const int words_by_word = lesson->state()["vocab_size"];
  REQUIRE(run(*lesson, imgui, "onehot tokens char").ok);
  s = lesson->state();
  CHECK(s["tokens"] == "char");
  CHECK(s["vocab_size"].get<int>() != words_by_word);
  CHECK_FALSE(s.contains("dense_cosine"));
  CHECK_FALSE(run(*lesson, imgui, "onehot words 酒店 猫").ok);
  CHECK(run(*lesson, imgui, "onehot words 酒 店").ok);
  CHECK(run(*lesson, imgui, "onehot tokens space").ok);
  CHECK(lesson->state()["vocab_size"] == words_by_word);
  CHECK_FALSE(run(*lesson, imgui, "onehot tokens words").ok);
  CHECK_FALSE(run(*lesson, imgui, "onehot example fr").ok);
  REQUIRE(run(*lesson, imgui, "onehot example course-zh").ok);
  CHECK(lesson->state()["vocab_size"] == 7);
  CHECK(lesson->state()["word_a"] == "喜欢");
  REQUIRE(run(*lesson, imgui, "onehot corpus 我 喜欢 猫 和 狗").ok);
  CHECK(lesson->state()["example"] == "custom");
  REQUIRE(run(*lesson, imgui, "onehot reset").ok);
  CHECK(lesson->state()["example"] == "passage");
  CHECK(lesson->state()["word_a"] == "hotel");
}

TEST_CASE("cooccurrence lesson: the course sentences in Chinese give the English matrix", "[text][zh]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_cooccurrence();
  imgui.frame(*lesson);
  const auto english = lesson->state();
  CHECK(english["example"] == "course");
  REQUIRE(run(*lesson, imgui, "cooc example course-zh").ok);
  const auto chinese = lesson->state();
  CHECK(chinese["example"] == "course-zh");
  CHECK(chinese["vocab_size"] == 8);
  CHECK(chinese["total_count"] == 20.0);
  // Both in the same order (我/i and </s> 3 times, 喜欢/like twice, then as they come).
  CHECK(chinese["words"][0] == "我");
  CHECK(chinese["words"][2] == "喜欢");
  CHECK(english["words"][2] == "like");
  // X(我, 喜欢) = X(i, like) = 2, and so on for every cell: the same table, word for word.
  CHECK(chinese["counts"][0][2] == 2.0);
  CHECK(chinese["counts"] == english["counts"]);
  CHECK(chinese["singular_values"] == english["singular_values"]);
  // By character 自然语言处理 is six tokens and 深度学习 four.
  REQUIRE(run(*lesson, imgui, "cooc tokens char").ok);
  CHECK(lesson->state()["vocab_size"] == 18);
  CHECK(lesson->state()["tokens"] == "char");
  CHECK_FALSE(run(*lesson, imgui, "cooc tokens 字").ok);
  REQUIRE(run(*lesson, imgui, "cooc example passage-zh").ok);
  CHECK(lesson->state()["vocab_size"].get<int>() > 8);
  CHECK_FALSE(run(*lesson, imgui, "cooc example genesis").ok);
  REQUIRE(run(*lesson, imgui, "cooc reset").ok);
  CHECK(lesson->state()["example"] == "course");
  CHECK(lesson->state()["tokens"] == "auto");
}

TEST_CASE("skip-gram-pairs lesson: a Chinese sentence by 词 and by 字", "[text][zh]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_skip_gram_pairs();
  imgui.frame(*lesson);
  CHECK(lesson->state()["example"] == "en");
  REQUIRE(run(*lesson, imgui, "pairs example zh").ok);
  auto s = lesson->state();
  CHECK(s["example"] == "zh");
  // 敏捷 的 棕色 狐狸 跳过 了 那 只 懒 狗: 10 words, 4·10 − 6 = 34 pairs at window 2.
  CHECK(s["sentence_length"] == 10);
  CHECK(s["skip_gram_pairs"] == 34);
  CHECK(s["words"][0] == "敏捷");
  REQUIRE(run(*lesson, imgui, "pairs tokens char").ok);
  s = lesson->state();
  CHECK(s["tokens"] == "char");
  CHECK(s["sentence_length"] == 14);
  CHECK(s["skip_gram_pairs"] == 50);
  CHECK(s["cbow_examples"] == 14);
  CHECK(s["words"][0] == "敏");
  CHECK(run(*lesson, imgui, "pairs centre 6").ok);
  CHECK(lesson->state()["centre_word"] == "狸");
  CHECK(run(*lesson, imgui, "pairs outside 狐").ok);
  REQUIRE(run(*lesson, imgui, "pairs tokens space").ok);
  CHECK(lesson->state()["sentence_length"] == 10);
  CHECK(lesson->state()["centre_word"] == "那");  // the same position, now a word
  // Unsegmented text read by word is one token; by character (or auto) every hanzi.
  CHECK_FALSE(run(*lesson, imgui, "pairs sentence 我爱北京天安门").ok);
  CHECK(lesson->state()["example"] == "custom");
  CHECK(run(*lesson, imgui, "pairs tokens auto").ok);
  CHECK(lesson->state()["sentence_length"] == 7);
  CHECK_FALSE(run(*lesson, imgui, "pairs example fr").ok);
  CHECK_FALSE(run(*lesson, imgui, "pairs tokens none").ok);
}

TEST_CASE("word lessons start on the interface language's example until opened or set", "[text][zh][i18n]") {
  EnglishAfterwards english;
  HeadlessImGui imgui;
  auto example = [](ll::ui::Lesson& lesson) { return lesson.state()["example"].get<std::string>(); };
  auto one_hot = ll::ui::make_lesson_one_hot();
  auto cooc = ll::ui::make_lesson_cooccurrence();
  auto pairs = ll::ui::make_lesson_skip_gram_pairs();
  auto opened = ll::ui::make_lesson_cooccurrence();
  imgui.frame(*opened);
  auto edited = ll::ui::make_lesson_skip_gram_pairs();
  REQUIRE(edited->command(words("pairs window 3")).ok);  // not its text: still follows the language
  auto chosen = ll::ui::make_lesson_one_hot();
  REQUIRE(chosen->command(words("onehot words cat dog")).ok);
  std::vector<ll::ui::Lesson*> all = {one_hot.get(), cooc.get(), pairs.get(), opened.get(), edited.get(), chosen.get()};

  REQUIRE(ll::ui::set_language("zh"));
  for (ll::ui::Lesson* lesson : all) lesson->language_changed();  // as App::set_language does
  CHECK(example(*one_hot) == "passage-zh");
  CHECK(one_hot->state()["word_a"] == "酒店");
  CHECK(example(*cooc) == "course-zh");
  CHECK(example(*pairs) == "zh");
  CHECK(example(*edited) == "zh");
  CHECK(edited->state()["window"] == 3);
  CHECK(example(*opened) == "course");
  CHECK(example(*chosen) == "passage");
  CHECK(chosen->state()["word_a"] == "cat");
  // Made while the interface speaks Chinese: Chinese from the start.
  CHECK(example(*ll::ui::make_lesson_one_hot()) == "passage-zh");
  CHECK(example(*ll::ui::make_lesson_cooccurrence()) == "course-zh");
  CHECK(example(*ll::ui::make_lesson_skip_gram_pairs()) == "zh");

  // Opened in Chinese, the lesson is the user's: back in English it stays as it is.
  imgui.frame(*one_hot);
  REQUIRE(ll::ui::set_language("en"));
  for (ll::ui::Lesson* lesson : all) lesson->language_changed();
  CHECK(example(*one_hot) == "passage-zh");
  CHECK(example(*cooc) == "course");
  CHECK(example(*pairs) == "en");
  CHECK(example(*opened) == "course");
}
