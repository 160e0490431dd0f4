#pragma once
// Text to tokens and a counted vocabulary: the first step of every word-vector lesson
// and of the word2vec engine. Byte-oriented (ASCII word characters), so the same input
// gives the same tokens natively and in WASM.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ll::text {

struct TokenizeOptions {
  bool lowercase = true;
  bool sentence_markers = false;
};

// The token that ends a sentence when TokenizeOptions::sentence_markers is set.
inline constexpr const char* kSentenceEnd = "</s>";

// Tokens are maximal runs of [A-Za-z0-9'] (lower-cased when asked); any other byte separates.
// With sentence_markers, each '.', '!' or '?' that ends a non-empty sentence emits "</s>".
std::vector<std::string> tokenize(std::string_view text, const TokenizeOptions& options = {});

// The sentences of a text: tokenize() with sentence markers, split at each "</s>" (which is
// dropped); a last sentence without a closing mark counts too.
std::vector<std::vector<std::string>> split_sentences(std::string_view text, bool lowercase = true);

// "" when bytes look like text (valid UTF-8, no NUL bytes, not empty/whitespace-only),
// else a readable reason (with the byte offset of the first problem).
std::string check_text(std::string_view bytes);

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
