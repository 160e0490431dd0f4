// The language-model lesson on the Tang and Song poems: the presets, Chinese tokens (字 and 词),
// held-out perplexity, sampled verse of 5 or 7 characters, and the start that follows the
// interface language.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "headless_imgui.hpp"
#include "lessons/app.hpp"
#include "lessons/i18n.hpp"
#include "lessons/lesson.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/text_lessons.hpp"
#include "ml/text/tokenize.hpp"

namespace {

ll::ui::CommandResult run(ll::ui::Lesson& lesson, HeadlessImGui& imgui, const std::string& line) {
  std::vector<std::string> words;
  for (size_t start = 0; start <= line.size();) {
    const size_t end = std::min(line.find(' ', start), line.size());
    words.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  const ll::ui::CommandResult result = lesson.command(words);
  imgui.frame(lesson);  // every state the command leads to must draw
  return result;
}

double perplexity(ll::ui::Lesson& lesson, HeadlessImGui& imgui, const std::string& order, const std::string& smoothing) {
  REQUIRE(run(lesson, imgui, "lm order " + order).ok);
  REQUIRE(run(lesson, imgui, "lm smoothing " + smoothing).ok);
  const auto s = lesson.state();
  return s["perplexity_infinite"] == true ? INFINITY : s["perplexity"].get<double>();
}

// The characters of a text, one string each (every hanzi is 3 bytes of UTF-8).
std::vector<std::string> characters(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = (unsigned char)text[i];
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(text.substr(i, n));
    i += n;
  }
  return out;
}

// "xxxxx，xxxxx。xxxxx，xxxxx。": two couplets of lines of `length` known characters.
void check_quatrain(const std::string& poem, int length, const std::set<std::string>& known) {
  INFO(poem);
  const std::vector<std::string> chars = characters(poem);
  REQUIRE(chars.size() == size_t(4 * (length + 1)));
  for (size_t i = 0; i < chars.size(); ++i) {
    const size_t in_line = i % size_t(length + 1);
    if (in_line < size_t(length)) {
      CHECK(known.count(chars[i]) == 1);
    } else {
      CHECK(chars[i] == ((i / size_t(length + 1)) % 2 == 0 ? "，" : "。"));
    }
  }
}

struct EnglishAfterwards {
  ~EnglishAfterwards() { ll::ui::set_language("en"); }
};

}  // namespace

TEST_CASE("language-model lesson: the Tang poems by character, perplexity, sampled quatrains", "[text][lm-zh]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_language_model();
  imgui.frame(*lesson);
  REQUIRE(run(*lesson, imgui, "lm corpus tang").ok);
  auto s = lesson->state();
  CHECK(s["corpus"] == "tang");
  CHECK(s["cjk_tokens_used"] == "char");
  CHECK(s["poems"] == 313);
  // 19,818 hanzi in 1,576 couplets (sentences end at 。！？), each predicted with its </s>.
  CHECK(s["sentences"] == 1576);
  CHECK(s["tokens"].get<long>() - s["sentences"].get<long>() == 19818);
  CHECK(s["vocab_size"] == 2489);  // 2,488 characters and </s>
  CHECK(s["sentence"] == "床前明月光，疑是地上霜");
  CHECK(s["sentence_error"] == "");
  // The couplet is in the corpus: every maximum-likelihood bigram of it was seen.
  CHECK(std::isfinite(s["sentence_log_probability"].get<double>()));
  CHECK(s["line_length"] == 7);  // 815 seven-character couplets against 659 of five

  // Held-out couplets hold characters and pairs training never saw: maximum likelihood gives
  // them 0 at every order. Kneser–Ney gives everything mass and uses the previous characters:
  // its bigram and trigram beat its unigram; add-1 spreads so much mass over |V| = 2,489
  // characters that longer contexts, seen few times, only get worse.
  CHECK(std::isinf(perplexity(*lesson, imgui, "1", "mle")));
  CHECK(std::isinf(perplexity(*lesson, imgui, "3", "mle")));
  const double kn1 = perplexity(*lesson, imgui, "1", "kn"), kn2 = perplexity(*lesson, imgui, "2", "kn"),
               kn3 = perplexity(*lesson, imgui, "3", "kn");
  CHECK(kn1 == Approx(901.03).epsilon(1e-4));
  CHECK(kn2 < 0.75 * kn1);
  CHECK(kn3 < 0.75 * kn1);
  const double add1 = perplexity(*lesson, imgui, "1", "add-k"), add3 = perplexity(*lesson, imgui, "3", "add-k");
  CHECK(add3 > 2 * add1);
  CHECK(kn3 < add3);

  // Sampled verse keeps the line shape, uses only the corpus's characters, and repeats for a seed.
  const std::vector<std::string> corpus_chars = characters(std::string(ll::ui::tang_poems()));
  const std::set<std::string> known(corpus_chars.begin(), corpus_chars.end());
  for (const char* smoothing : {"mle", "kn"}) {
    REQUIRE(run(*lesson, imgui, std::string("lm smoothing ") + smoothing).ok);
    lesson->reseed(7);
    REQUIRE(run(*lesson, imgui, "lm sample").ok);
    const auto samples = lesson->state()["samples"];
    REQUIRE(samples.size() == 2);
    for (const auto& poem : samples) check_quatrain(poem.get<std::string>(), 7, known);
    lesson->reseed(7);
    REQUIRE(run(*lesson, imgui, "lm sample").ok);
    CHECK(lesson->state()["samples"] == samples);
  }
  REQUIRE(run(*lesson, imgui, "lm shape 5").ok);
  REQUIRE(run(*lesson, imgui, "lm sample").ok);
  CHECK(lesson->state()["shape"] == 5);
  const nlohmann::json five = lesson->state()["samples"];  // a copy: the state is a temporary
  for (const auto& poem : five) check_quatrain(poem.get<std::string>(), 5, known);
  CHECK_FALSE(run(*lesson, imgui, "lm shape 6").ok);
  CHECK(run(*lesson, imgui, "lm shape auto").ok);
  CHECK(lesson->state()["line_length"] == 7);
  // The poems stay read by character whatever the text box's setting.
  REQUIRE(run(*lesson, imgui, "lm tokens space").ok);
  CHECK(lesson->state()["cjk_tokens_used"] == "char");
  CHECK(lesson->state()["vocab_size"] == 2489);
  // The chain rule reads a typed line by character too.
  REQUIRE(run(*lesson, imgui, "lm sentence 举头望明月，低头思故乡").ok);
  CHECK(lesson->state()["sentence_error"] == "");
  REQUIRE(run(*lesson, imgui, "lm sentence 床前明月光，疑是地上霜").ok);
}

TEST_CASE("language-model lesson: the Song poems, and Chinese text by 字 or 词", "[text][lm-zh]") {
  HeadlessImGui imgui;
  auto lesson = ll::ui::make_lesson_language_model();
  imgui.frame(*lesson);
  REQUIRE(run(*lesson, imgui, "lm corpus song").ok);
  auto s = lesson->state();
  CHECK(s["poems"] == 95);
  CHECK(s["sentence"] == "春风又绿江南岸，明月何时照我还");
  CHECK(s["sentence_error"] == "");
  CHECK(s["line_length"] == 7);
  CHECK(s["held_out_sentences"].get<int>() > 50);
  REQUIRE(run(*lesson, imgui, "lm smoothing kn").ok);
  REQUIRE(run(*lesson, imgui, "lm sample").ok);
  CHECK(lesson->state()["samples"].size() == 2);

  // Your text: by character (auto on unsegmented text), or by the runs between punctuation.
  REQUIRE(run(*lesson, imgui, "lm text 床前明月光，疑是地上霜。举头望明月，低头思故乡。").ok);
  s = lesson->state();
  CHECK(s["corpus"] == "custom");
  CHECK(s["cjk_tokens_used"] == "auto");
  CHECK(s["vocab_size"] == 17 + 1);  // 17 different characters and </s>
  REQUIRE(run(*lesson, imgui, "lm tokens space").ok);
  CHECK(lesson->state()["cjk_tokens"] == "space");
  CHECK(lesson->state()["vocab_size"] == 4 + 1);  // 床前明月光, 疑是地上霜, 举头望明月, 低头思故乡
  REQUIRE(run(*lesson, imgui, "lm smoothing mle").ok);
  REQUIRE(run(*lesson, imgui, "lm sentence 举头望明月 低头思故乡").ok);
  CHECK(lesson->state()["sentence_error"] == "");
  CHECK(std::exp(lesson->state()["sentence_log_probability"].get<double>()) == Approx(0.5));  // P(举头望明月|<s>)
  REQUIRE(run(*lesson, imgui, "lm tokens char").ok);
  CHECK(lesson->state()["vocab_size"] == 18);
  CHECK_FALSE(run(*lesson, imgui, "lm tokens words").ok);
  // Samples of Chinese by character run together, without spaces.
  REQUIRE(run(*lesson, imgui, "lm sample").ok);
  const nlohmann::json samples = lesson->state()["samples"];
  for (const auto& sample : samples) CHECK(sample.get<std::string>().find(' ') == std::string::npos);
}

TEST_CASE("language-model lesson: starts on the Tang poems in 中文 until opened or set", "[text][lm-zh][i18n]") {
  EnglishAfterwards english;
  HeadlessImGui imgui;
  REQUIRE(ll::ui::set_language("zh"));
  auto lesson = ll::ui::make_lesson_language_model();
  CHECK(lesson->state()["corpus"] == "tang");
  REQUIRE(ll::ui::set_language("en"));
  lesson->language_changed();  // as App::set_language does
  CHECK(lesson->state()["corpus"] == "sam");
  REQUIRE(ll::ui::set_language("zh"));
  lesson->language_changed();
  CHECK(lesson->state()["corpus"] == "tang");
  // Opened (drawn once), it keeps what the user sees.
  imgui.frame(*lesson);
  REQUIRE(ll::ui::set_language("en"));
  lesson->language_changed();
  CHECK(lesson->state()["corpus"] == "tang");

  // A corpus chosen by command, never opened: kept too.
  auto chosen = ll::ui::make_lesson_language_model();
  REQUIRE(chosen->command({"lm", "corpus", "genesis"}).ok);
  REQUIRE(ll::ui::set_language("zh"));
  chosen->language_changed();
  CHECK(chosen->state()["corpus"] == "genesis");

  // In the app, in 中文: the poems' characters are all in the font.
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  REQUIRE(app.command("lang zh").ok);
  REQUIRE(app.open("language-model"));
  imgui.frames(app, 3);
  CHECK(app.state()["lesson"]["corpus"] == "tang");
  REQUIRE(app.command("lm sample").ok);
  REQUIRE(app.command("lm order 1").ok);
  imgui.frames(app, 3);
  CHECK(app.state()["missing_glyphs"] == 0);
}
