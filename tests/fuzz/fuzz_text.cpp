// Corpus text: the UTF-8/binary check, GB18030 decoding, tokenization, sentences, the
// vocabulary and the word2vec corpus reader (the lessons' uploads and typed corpora,
// `latentlab word2vec train`).
#include "fuzz_common.hpp"
#include "ml/text/gb18030.hpp"
#include "ml/text/tokenize.hpp"
#include "ml/word2vec/word2vec.hpp"

#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string check = ll::text::check_text(text);
  const ll::text::CjkTokens cjk = ll::text::CjkTokens(size % 3);
  const auto tokens = ll::text::tokenize(text, {true, true, cjk});
  for (const std::string& t : ll::text::tokenize(text, {false, false, cjk}))
    FUZZ_REQUIRE(!t.empty() && ll::text::check_text(t).empty(), "every token is non-empty valid UTF-8");
  const auto sentences = ll::text::split_sentences(text, true, cjk);
  const ll::text::Vocab vocab = ll::text::build_vocab(tokens, 1 + int(size % 3));
  for (int i = 0; i < vocab.size(); ++i) FUZZ_REQUIRE(vocab.id(vocab.words[size_t(i)]) == i, "vocabulary index");
  ll::w2v::Corpus corpus;
  const bool strict = size % 2 == 0;
  const std::string error = ll::w2v::build_corpus(text, 1 + int(size % 2), corpus, {cjk, strict});
  if (error.empty() && strict) FUZZ_REQUIRE(check.empty(), "the strict corpus reader takes only text the check accepts");
  if (error.empty()) FUZZ_REQUIRE(ll::text::inspect_text(text).problem.empty(), "the corpus reader takes only text");
  std::string utf8, gb_error;
  if (ll::text::gb18030_to_utf8(text, utf8, gb_error))
    FUZZ_REQUIRE(ll::text::inspect_text(utf8).invalid_sequences == 0, "decoded GB18030 is valid UTF-8");
  std::string bytes(text);
  const ll::text::TextReport decoded = ll::text::decode_text(bytes);
  if (decoded.converted_from_gb18030) FUZZ_REQUIRE(ll::text::inspect_text(bytes).invalid_sequences == 0, "converted text is UTF-8");
  if (!decoded.converted_from_gb18030) FUZZ_REQUIRE(bytes == text, "a text not converted is left as it was");
  return 0;
}
