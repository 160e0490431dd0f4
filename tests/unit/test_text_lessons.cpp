#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "headless_imgui.hpp"
#include "imgui.h"
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
