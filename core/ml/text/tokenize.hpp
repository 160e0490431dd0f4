#pragma once
// Text to tokens and a counted vocabulary: the first step of every word-vector lesson
// and of the word2vec engine. UTF-8 decoded by our own code and classified by our own
// tables, so the same input gives the same tokens natively and in WASM.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ll::text {

// How runs of CJK characters (hanzi, kana) become tokens: Chinese by word (词) or by character (字).
enum class CjkTokens {
  Auto,   // a line with a space between two CJK characters is segmented text (词, e.g. by
          // jieba): its runs are words; in any other line each CJK character is a token (字)
  Char,   // every CJK character is a token
  Space,  // runs between spaces and punctuation are words (pre-segmented text)
};
const char* cjk_tokens_name(CjkTokens mode);                   // "auto", "char", "space"
bool parse_cjk_tokens(std::string_view name, CjkTokens& mode);  // false for anything else

struct TokenizeOptions {
  bool lowercase = true;
  bool sentence_markers = false;
  CjkTokens cjk = CjkTokens::Auto;
};

// The token that ends a sentence when TokenizeOptions::sentence_markers is set.
inline constexpr const char* kSentenceEnd = "</s>";

// Appends code point cp as UTF-8.
void append_utf8(std::string& out, uint32_t cp);

// Receives a text's tokens in order (for_each_token).
class TokenSink {
 public:
  virtual ~TokenSink() = default;
  virtual void token(std::string_view token) = 0;
  // A sentence-ending mark (. ! ? 。 ！ ？ ．) right after the sentence's last token.
  virtual void sentence_end() {}
  virtual void line_end() {}  // each '\n'
};

// Tokens are maximal runs of word characters: ASCII letters, digits and apostrophes, and the
// letters of every other script (accented Latin, Greek, Cyrillic, …, hanzi, kana, Hangul);
// full-width ASCII letters and digits count as ASCII. Everything else separates: whitespace,
// ASCII and Unicode punctuation (CJK punctuation too), symbols, and bytes that are not valid
// UTF-8 (skipped one at a time, the same way on every target). CJK runs split as
// options.cjk says; lower-casing covers ASCII, Latin-1, Greek and Cyrillic. ASCII text gives
// exactly the tokens of the byte tokenizer before it.
void for_each_token(std::string_view text, const TokenizeOptions& options, TokenSink& sink);

// All tokens of a text; with sentence_markers, "</s>" after each sentence-ending mark that
// ends a non-empty sentence.
std::vector<std::string> tokenize(std::string_view text, const TokenizeOptions& options = {});

// The sentences of a text: tokenize() with sentence markers, split at each "</s>" (which is
// dropped); a last sentence without a closing mark counts too.
std::vector<std::vector<std::string>> split_sentences(std::string_view text, bool lowercase = true,
                                                     CjkTokens cjk = CjkTokens::Auto);

// "" when bytes look like text (valid UTF-8, no NUL bytes, not empty/whitespace-only),
// else a readable reason (with the byte offset of the first problem).
std::string check_text(std::string_view bytes);

// A real corpus is UTF-8 but for a few stray bytes (a Windows-1252 quote left in a dictionary):
// such a text is a text, its invalid sequences counted (the tokenizer skips them). Refused:
// binary data, an empty or blank text, and a text mostly not UTF-8 (more than 8 invalid
// sequences and more than one per 10,000 bytes), named GB18030/GBK when its bytes pair up as
// that encoding's do.
struct TextReport {
  std::string problem;             // "" or why the bytes are not a text to use
  uint64_t invalid_sequences = 0;  // invalid UTF-8 sequences (each skipped)
  size_t first_invalid = 0;        // byte offset of the first
  bool gb18030 = false;            // refused as most likely GB18030/GBK (decode_text converts it)
  bool converted_from_gb18030 = false;  // decode_text converted it to UTF-8
  // "" or "3 invalid UTF-8 sequences (the first at byte 13559225) were skipped", or
  // "converted from GB18030 to UTF-8".
  std::string warning() const;
};
TextReport inspect_text(std::string_view bytes);
// inspect_text, but a text most likely GB18030/GBK is decoded into UTF-8 in place (ml/text/gb18030.hpp)
// and inspected again; if it does not decode, the report says why and the bytes stay as they were.
TextReport decode_text(std::string& bytes);

// Vocabulary: word <-> id with counts, ids sorted by descending count (ties: first occurrence).
struct Vocab {
  std::vector<std::string> words;               // [size] word of each id
  std::vector<long> counts;                     // [size] occurrences of each id
  std::unordered_map<std::string, int> index;   // word -> id
  int size() const { return int(words.size()); }
  int id(std::string_view word) const;          // -1 if absent
};

// Words seen fewer than min_count times are left out.
Vocab build_vocab(const std::vector<std::string>& tokens, long min_count = 1);

}  // namespace ll::text
