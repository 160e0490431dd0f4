#include "ml/text/tokenize.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>

namespace ll::text {

namespace {

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'';
}

bool is_sentence_end(unsigned char c) { return c == '.' || c == '!' || c == '?'; }

std::string at_offset(const char* what, size_t offset) {
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "%s at byte %zu", what, offset);
  return buffer;
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text, const TokenizeOptions& options) {
  std::vector<std::string> tokens;
  std::string current;
  bool sentence_has_words = false;
  auto flush_word = [&] {
    if (current.empty()) return;
    tokens.push_back(current);
    current.clear();
    sentence_has_words = true;
  };
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (is_word_byte(c)) {
      current.push_back(options.lowercase && c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : ch);
      continue;
    }
    flush_word();
    if (options.sentence_markers && is_sentence_end(c) && sentence_has_words) {
      tokens.emplace_back(kSentenceEnd);
      sentence_has_words = false;
    }
  }
  flush_word();
  return tokens;
}

std::vector<std::vector<std::string>> split_sentences(std::string_view text, bool lowercase) {
  TokenizeOptions options;
  options.lowercase = lowercase;
  options.sentence_markers = true;
  std::vector<std::vector<std::string>> sentences(1);
  for (std::string& token : tokenize(text, options)) {
    if (token == kSentenceEnd) sentences.emplace_back();
    else sentences.back().push_back(std::move(token));
  }
  if (sentences.back().empty()) sentences.pop_back();
  return sentences;
}

std::string check_text(std::string_view bytes) {
  if (bytes.empty()) return "the text is empty";
  bool has_visible = false;
  size_t i = 0;
  while (i < bytes.size()) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) return at_offset("a NUL byte (binary data, not text)", i);
    if (c < 0x80) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') has_visible = true;
      ++i;
      continue;
    }
    // Multi-byte UTF-8 sequence: lead byte gives the length; reject overlong forms,
    // surrogates (U+D800..U+DFFF) and code points above U+10FFFF.
    int length = 0;
    uint32_t code_point = 0;
    if (c >= 0xC2 && c <= 0xDF) { length = 2; code_point = c & 0x1Fu; }
    else if (c >= 0xE0 && c <= 0xEF) { length = 3; code_point = c & 0x0Fu; }
    else if (c >= 0xF0 && c <= 0xF4) { length = 4; code_point = c & 0x07u; }
    else return at_offset("invalid UTF-8 (bad lead byte)", i);
    if (i + size_t(length) > bytes.size()) return at_offset("invalid UTF-8 (truncated sequence)", i);
    for (int k = 1; k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(bytes[i + size_t(k)]);
      if ((next & 0xC0u) != 0x80u) return at_offset("invalid UTF-8 (bad continuation byte)", i + size_t(k));
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000))
      return at_offset("invalid UTF-8 (overlong encoding)", i);
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return at_offset("invalid UTF-8 (surrogate)", i);
    if (code_point > 0x10FFFF) return at_offset("invalid UTF-8 (beyond U+10FFFF)", i);
    has_visible = true;
    i += size_t(length);
  }
  if (!has_visible) return "the text has only whitespace";
  return "";
}

int Vocab::id(std::string_view word) const {
  auto found = index.find(std::string(word));
  return found == index.end() ? -1 : found->second;
}

Vocab build_vocab(const std::vector<std::string>& tokens, long min_count) {
  // Count in first-occurrence order, then a stable sort by count keeps ties in that order.
  std::unordered_map<std::string, int> first_seen;
  std::vector<std::string> seen_words;
  std::vector<long> seen_counts;
  for (const std::string& token : tokens) {
    auto inserted = first_seen.emplace(token, int(seen_words.size()));
    if (inserted.second) {
      seen_words.push_back(token);
      seen_counts.push_back(0);
    }
    ++seen_counts[size_t(inserted.first->second)];
  }
  std::vector<int> order(seen_words.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return seen_counts[size_t(a)] > seen_counts[size_t(b)]; });

  Vocab vocab;
  for (int seen : order) {
    if (seen_counts[size_t(seen)] < min_count) break;  // sorted by count: the rest are rarer
    vocab.index.emplace(seen_words[size_t(seen)], vocab.size());
    vocab.words.push_back(std::move(seen_words[size_t(seen)]));
    vocab.counts.push_back(seen_counts[size_t(seen)]);
  }
  return vocab;
}

}  // namespace ll::text
