#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "ml/text/gb18030.hpp"
#include "ml/text/tokenize.hpp"

using ll::text::TokenizeOptions;
using Tokens = std::vector<std::string>;

TEST_CASE("tokenize: lower-cases by default and keeps case when asked", "[text]") {
  CHECK(ll::text::tokenize("I like Deep Learning") == Tokens{"i", "like", "deep", "learning"});
  TokenizeOptions keep_case;
  keep_case.lowercase = false;
  CHECK(ll::text::tokenize("I like NLP", keep_case) == Tokens{"I", "like", "NLP"});
}

TEST_CASE("tokenize: apostrophes and digits stay inside tokens, punctuation separates", "[text]") {
  CHECK(ll::text::tokenize("Don't stop, it's 2024-ish!") == Tokens{"don't", "stop", "it's", "2024", "ish"});
  CHECK(ll::text::tokenize("a,b;c\td\ne") == Tokens{"a", "b", "c", "d", "e"});
  CHECK(ll::text::tokenize("  ...  ").empty());
  CHECK(ll::text::tokenize("").empty());
}

TEST_CASE("tokenize: sentence markers end non-empty sentences only", "[text]") {
  TokenizeOptions markers;
  markers.sentence_markers = true;
  CHECK(ll::text::tokenize("I like NLP. I enjoy flying.", markers) ==
        Tokens{"i", "like", "nlp", "</s>", "i", "enjoy", "flying", "</s>"});
  // "..." and "?!" end one sentence; a leading "." ends nothing; no final mark, no marker.
  CHECK(ll::text::tokenize(". Wait... What?! no", markers) ==
        Tokens{"wait", "</s>", "what", "</s>", "no"});
  CHECK(ll::text::tokenize("No markers. Here!") == Tokens{"no", "markers", "here"});
}

// The byte tokenizer this one replaced: ASCII text must give exactly its tokens.
Tokens byte_tokenizer(const std::string& text) {
  Tokens tokens;
  std::string current;
  for (char ch : text) {
    const bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '\'';
    if (word) {
      current += ch >= 'A' && ch <= 'Z' ? char(ch - 'A' + 'a') : ch;
    } else if (!current.empty()) {
      tokens.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

TEST_CASE("tokenize: ASCII text gives exactly the byte tokenizer's tokens", "[text]") {
  const std::string english =
      "In the beginning God created the heaven and the earth. And the earth was without form, and void; "
      "and darkness was upon the face of the deep. Don't stop -- it's 2024-ish! (x+y)*z, e-mail: a_b@c.d\n\tTab'd";
  CHECK(ll::text::tokenize(english) == byte_tokenizer(english));
  // Every printable ASCII character and the control characters, in seeded random strings.
  uint64_t state = 12345;
  for (int trial = 0; trial < 200; ++trial) {
    std::string text;
    for (int i = 0; i < 80; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text += char(1 + (state >> 33) % 127);
    }
    INFO(text);
    REQUIRE(ll::text::tokenize(text) == byte_tokenizer(text));
  }
}

TEST_CASE("tokenize: letters of every script are words; symbols, emoji and bad bytes separate", "[text]") {
  CHECK(ll::text::tokenize("Caf\u00E9 na\u00EFve \u0391\u0392\u0393 \u041F\u0440\u0438\u0432\u0435\u0442") ==
        Tokens{"caf\u00E9", "na\u00EFve", "\u03B1\u03B2\u03B3", "\u043F\u0440\u0438\u0432\u0435\u0442"});
  CHECK(ll::text::tokenize("a\U0001F600b \u201Cquoted\u201D \u00BD\u00D7\u00F7 x\u00B2") == Tokens{"a", "b", "quoted", "x"});
  // Not UTF-8: a stray Windows-1252 quote, a cut sequence, a surrogate: skipped a byte at a time.
  CHECK(ll::text::tokenize("don\x92t stop\xE4\xBD") == Tokens{"don", "t", "stop"});
  CHECK(ll::text::tokenize("a\xED\xA0\x80" "b") == Tokens{"a", "b"});
  // Full-width letters and digits count as ASCII.
  CHECK(ll::text::tokenize("\uFF27\uFF30\uFF35 \uFF11\uFF10\uFF10") == Tokens{"gpu", "100"});
}

TEST_CASE("tokenize: Chinese by character, by word, or as segmented", "[text]") {
  using ll::text::CjkTokens;
  auto with = [](CjkTokens mode) {
    TokenizeOptions o;
    o.cjk = mode;
    return o;
  };
  const std::string raw = "我爱北京天安门。";
  CHECK(ll::text::tokenize(raw) == Tokens{"我", "爱", "北", "京", "天", "安", "门"});  // auto: unsegmented
  CHECK(ll::text::tokenize(raw, with(CjkTokens::Char)) == Tokens{"我", "爱", "北", "京", "天", "安", "门"});
  CHECK(ll::text::tokenize(raw, with(CjkTokens::Space)) == Tokens{"我爱北京天安门"});
  const std::string segmented = "我 爱 北京 天安门 。";
  CHECK(ll::text::tokenize(segmented) == Tokens{"我", "爱", "北京", "天安门"});  // auto: segmented
  CHECK(ll::text::tokenize(segmented, with(CjkTokens::Char)) == Tokens{"我", "爱", "北", "京", "天", "安", "门"});
  // Each line decides for itself; Latin words and numbers inside Chinese stay whole.
  CHECK(ll::text::tokenize("用word2vec训练100维的词向量\n词 向量") ==
        Tokens{"用", "word2vec", "训", "练", "100", "维", "的", "词", "向", "量", "词", "向量"});
  // CJK punctuation separates and 。！？ end sentences; 4-byte hanzi (CJK Extension B) are hanzi.
  TokenizeOptions markers;
  markers.sentence_markers = true;
  CHECK(ll::text::tokenize("你好！今天，《好》吗？好。", markers) ==
        Tokens{"你", "好", "</s>", "今", "天", "好", "吗", "</s>", "好", "</s>"});
  CHECK(ll::text::tokenize("\U00020000\U00020001") == Tokens{"\U00020000", "\U00020001"});
  CHECK(ll::text::split_sentences("床前明月光，疑是地上霜。举头望明月，低头思故乡。").size() == 2);
  CjkTokens mode = CjkTokens::Auto;
  CHECK(ll::text::parse_cjk_tokens("char", mode));
  CHECK(mode == CjkTokens::Char);
  CHECK_FALSE(ll::text::parse_cjk_tokens("words", mode));
  CHECK(std::string(ll::text::cjk_tokens_name(CjkTokens::Space)) == "space");
}

TEST_CASE("check_text: accepts text, explains empty, binary and invalid UTF-8", "[text]") {
  CHECK(ll::text::check_text("I like deep learning.") == "");
  CHECK(ll::text::check_text("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "");
  CHECK(ll::text::check_text("").find("empty") != std::string::npos);
  CHECK(ll::text::check_text(" \n\t\r ").find("whitespace") != std::string::npos);
  CHECK(ll::text::check_text(std::string("ab\0cd", 5)).find("NUL") != std::string::npos);
  CHECK(ll::text::check_text(std::string("ab\0cd", 5)).find("byte 2") != std::string::npos);
  CHECK(ll::text::check_text("abc\xFF").find("UTF-8") != std::string::npos);          // bad lead byte
  CHECK(ll::text::check_text("abc\xC3").find("truncated") != std::string::npos);      // cut short
  CHECK(ll::text::check_text("a\xC3(b").find("continuation") != std::string::npos);   // bad continuation
  CHECK(ll::text::check_text("\xC0\xAF").find("UTF-8") != std::string::npos);         // overlong '/'
  CHECK(ll::text::check_text("\xE0\x80\xAF").find("overlong") != std::string::npos);  // overlong 3-byte
  CHECK(ll::text::check_text("\xED\xA0\x80").find("surrogate") != std::string::npos); // U+D800
  CHECK(ll::text::check_text("\xF4\x90\x80\x80").find("U+10FFFF") != std::string::npos);
}

TEST_CASE("vocab: ids by descending count, ties by first occurrence, min-count filter", "[text]") {
  const Tokens tokens = ll::text::tokenize("I like deep learning. I like NLP. I enjoy flying.");
  const ll::text::Vocab vocab = ll::text::build_vocab(tokens);
  REQUIRE(vocab.size() == 7);
  CHECK(vocab.words == Tokens{"i", "like", "deep", "learning", "nlp", "enjoy", "flying"});
  CHECK(vocab.counts == std::vector<long>{3, 2, 1, 1, 1, 1, 1});
  CHECK(vocab.id("i") == 0);
  CHECK(vocab.id("flying") == 6);
  CHECK(vocab.id("unknown") == -1);
  for (int i = 0; i < vocab.size(); ++i) CHECK(vocab.id(vocab.words[size_t(i)]) == i);

  const ll::text::Vocab frequent = ll::text::build_vocab(tokens, 2);
  CHECK(frequent.words == Tokens{"i", "like"});
  CHECK(frequent.id("deep") == -1);
  CHECK(ll::text::build_vocab({}, 1).size() == 0);
}

TEST_CASE("gb18030_to_utf8: two- and four-byte sequences, the supplementary planes; bad bytes named", "[text]") {
  std::string out, error;
  // "中文 word2vec 很好。¥😀": two-byte hanzi and punctuation, ¥ as a four-byte BMP sequence
  // (0x81308436), U+1F600 as a supplementary one (0x9439FC36); the bytes from Python's codec.
  const std::string gb = "\xD6\xD0\xCE\xC4 word2vec \xBA\xDC\xBA\xC3\xA1\xA3\x81\x30\x84\x36\x94\x39\xFC\x36";
  REQUIRE(ll::text::gb18030_to_utf8(gb, out, error));
  CHECK(out == "\xE4\xB8\xAD\xE6\x96\x87 word2vec \xE5\xBE\x88\xE5\xA5\xBD\xE3\x80\x82\xC2\xA5\xF0\x9F\x98\x80");
  CHECK_FALSE(ll::text::gb18030_to_utf8("ok \x80", out, error));
  CHECK(error.find("byte at 3") != std::string::npos);
  CHECK_FALSE(ll::text::gb18030_to_utf8("\xD6\xD0\xCE", out, error));  // cut in the middle of a hanzi
  CHECK(error.find("byte at 2") != std::string::npos);
  CHECK_FALSE(ll::text::gb18030_to_utf8("\x81\x30\x84", out, error));  // cut four-byte sequence
  CHECK_FALSE(ll::text::gb18030_to_utf8("\xE4\x30\x81\x30", out, error));  // beyond U+10FFFF: names nothing
  CHECK_FALSE(ll::text::gb18030_to_utf8(std::string("a\0b", 3), out, error));
}

TEST_CASE("decode_text: a GB18030/GBK text becomes UTF-8 and says so; others are left as inspect_text leaves them", "[text]") {
  // The course's three sentences saved as GBK.
  std::string bytes =
      "\xCE\xD2\xCF\xB2\xBB\xB6\xC9\xEE\xB6\xC8\xD1\xA7\xCF\xB0\xA1\xA3\xCE\xD2\xCF\xB2\xBB\xB6\xD7\xD4\xC8\xBB\xD3\xEF"
      "\xD1\xD4\xB4\xA6\xC0\xED\xA1\xA3\xCE\xD2\xCF\xED\xCA\xDC\xB7\xC9\xD0\xD0\xA1\xA3";
  CHECK(ll::text::inspect_text(bytes).gb18030);
  const ll::text::TextReport report = ll::text::decode_text(bytes);
  CHECK(report.problem == "");
  CHECK(report.converted_from_gb18030);
  CHECK(report.warning() == "converted from GB18030 to UTF-8");
  CHECK(bytes == "我喜欢深度学习。我喜欢自然语言处理。我享受飞行。");
  CHECK(ll::text::split_sentences(bytes, true, ll::text::CjkTokens::Char).size() == 3);
  // UTF-8 stays as it is; Latin-1 stays refused, its bytes untouched: as not GB18030 at all,
  // or (when its bytes pair up like GB18030's) as failing to decode as GB18030 too.
  std::string utf8 = "我喜欢深度学习。";
  CHECK_FALSE(ll::text::decode_text(utf8).converted_from_gb18030);
  CHECK(utf8 == "我喜欢深度学习。");
  const std::pair<const char*, const char*> latin1_words[] = {{"caf\xE9 ", "mostly not UTF-8"},
                                                              {"caf\xE9 cr\xE8me ", "not GB18030 either"}};
  for (const auto& [word, problem] : latin1_words) {
    std::string latin1;
    for (int i = 0; i < 20; ++i) latin1 += word;
    const std::string before = latin1;
    const ll::text::TextReport refused = ll::text::decode_text(latin1);
    CHECK(refused.problem.find(problem) != std::string::npos);
    CHECK_FALSE(refused.converted_from_gb18030);
    CHECK(latin1 == before);
  }
}
