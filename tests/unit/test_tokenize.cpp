#include <catch2/catch.hpp>

#include <string>
#include <vector>

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

TEST_CASE("tokenize: non-ASCII bytes separate tokens", "[text]") {
  // "café" is c a f 0xC3 0xA9; "naïve" splits at the two-byte "ï".
  CHECK(ll::text::tokenize("caf\xC3\xA9 na\xC3\xAFve") == Tokens{"caf", "na", "ve"});
  CHECK(ll::text::tokenize("\xE2\x80\x9Cquoted\xE2\x80\x9D") == Tokens{"quoted"});
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
