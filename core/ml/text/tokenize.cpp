#include "ml/text/tokenize.hpp"

#include "ml/text/gb18030.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>

namespace ll::text {

namespace {

bool is_ascii_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'';
}

std::string at_offset(const char* what, size_t offset) {
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "%s at byte %zu", what, offset);
  return buffer;
}

constexpr uint32_t kInvalid = 0xFFFFFFFFu;

// The code point at text[i] and its length in bytes; kInvalid (length 1) for a byte that does
// not start a valid UTF-8 sequence (overlong forms, surrogates and values past U+10FFFF too).
uint32_t decode(std::string_view text, size_t i, size_t& length) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  length = 1;
  if (c < 0x80) return c;
  size_t n = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1Fu;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0Fu;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07u;
  else return kInvalid;
  if (i + n > text.size()) return kInvalid;
  for (size_t k = 1; k < n; ++k) {
    const unsigned char next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0u) != 0x80u) return kInvalid;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    return kInvalid;
  length = n;
  return cp;
}


enum class Kind { Separator, Word, Cjk };

bool in(uint32_t cp, uint32_t first, uint32_t last) { return cp >= first && cp <= last; }

// Hanzi (with the CJK extensions and compatibility ideographs), 々〆〇, kana and bopomofo.
bool is_cjk(uint32_t cp) {
  return in(cp, 0x4E00, 0x9FFF) || in(cp, 0x3400, 0x4DBF) || in(cp, 0x3040, 0x30FF) || in(cp, 0x3005, 0x3007) ||
         in(cp, 0x3021, 0x3029) || in(cp, 0x3031, 0x3035) || in(cp, 0x3100, 0x312F) || in(cp, 0x31A0, 0x31BF) ||
         in(cp, 0x31F0, 0x31FF) || in(cp, 0x2E80, 0x2FDF) || in(cp, 0xF900, 0xFAFF) || in(cp, 0x20000, 0x3134F);
}

// Non-ASCII code points that separate words: Latin-1 punctuation and symbols, × and ÷, the
// punctuation, symbol, arrow, maths and shape blocks, CJK and full-width punctuation, private
// use, specials (U+FFFD), emoji and tags. Every other code point is part of a word.
bool is_separator(uint32_t cp) {
  if (cp < 0xC0) return !(cp == 0xAA || cp == 0xB5 || cp == 0xBA);
  return cp == 0xD7 || cp == 0xF7 || in(cp, 0x2000, 0x2BFF) || in(cp, 0x2E00, 0x2E7F) || in(cp, 0x3000, 0x303F) ||
         in(cp, 0xE000, 0xF8FF) || in(cp, 0xFE00, 0xFE6F) || cp == 0xFEFF || in(cp, 0xFF00, 0xFF0F) ||
         in(cp, 0xFF1A, 0xFF20) || in(cp, 0xFF3B, 0xFF40) || in(cp, 0xFF5B, 0xFF65) || in(cp, 0xFFF0, 0xFFFF) ||
         in(cp, 0x1F000, 0x1FAFF) || in(cp, 0xE0000, 0xE007F);
}

Kind kind_of(uint32_t cp) {
  if (cp < 0x80) return is_ascii_word_byte(static_cast<unsigned char>(cp)) ? Kind::Word : Kind::Separator;
  if (cp == kInvalid) return Kind::Separator;
  if (is_cjk(cp)) return Kind::Cjk;  // before the separators: 々〆〇 sit in the punctuation block
  return is_separator(cp) ? Kind::Separator : Kind::Word;
}

bool is_sentence_end(uint32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF0E || cp == 0xFF61;
}

bool is_space(uint32_t cp) { return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0x3000 || cp == 0xA0; }

// Full-width ASCII letters and digits as ASCII; lower case for ASCII, Latin-1, Greek, Cyrillic.
uint32_t normalise(uint32_t cp, bool lowercase) {
  if (in(cp, 0xFF10, 0xFF19) || in(cp, 0xFF21, 0xFF3A) || in(cp, 0xFF41, 0xFF5A)) cp -= 0xFEE0;
  if (!lowercase) return cp;
  if (in(cp, 'A', 'Z') || (in(cp, 0xC0, 0xDE) && cp != 0xD7) || in(cp, 0x391, 0x3A9) || in(cp, 0x410, 0x42F))
    return cp + 0x20;
  if (in(cp, 0x400, 0x40F)) return cp + 0x50;
  return cp;
}

// Segmented text puts spaces between words: a space between two CJK characters.
bool is_segmented(std::string_view line) {
  bool cjk_before_space = false, spaced = false;
  for (size_t i = 0, n = 0; i < line.size(); i += n) {
    const uint32_t cp = decode(line, i, n);
    if (is_space(cp)) {
      spaced = cjk_before_space;
      continue;
    }
    const bool cjk = kind_of(cp) == Kind::Cjk;
    if (cjk && spaced) return true;
    cjk_before_space = cjk;
    spaced = false;
  }
  return false;
}

}  // namespace

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6)), out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12)), out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18)), out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
  }
}

const char* cjk_tokens_name(CjkTokens mode) {
  return mode == CjkTokens::Char ? "char" : mode == CjkTokens::Space ? "space" : "auto";
}

bool parse_cjk_tokens(std::string_view name, CjkTokens& mode) {
  for (CjkTokens m : {CjkTokens::Auto, CjkTokens::Char, CjkTokens::Space})
    if (name == cjk_tokens_name(m)) return mode = m, true;
  return false;
}

void for_each_token(std::string_view text, const TokenizeOptions& options, TokenSink& sink) {
  std::string current;
  bool sentence_has_words = false;  // since the last sentence end
  auto flush = [&] {
    if (current.empty()) return;
    sink.token(current);
    current.clear();
    sentence_has_words = true;
  };
  size_t line_start = 0;
  while (line_start < text.size()) {
    const size_t newline = text.find('\n', line_start);
    const size_t line_end = newline == std::string_view::npos ? text.size() : newline;
    const std::string_view line = text.substr(line_start, line_end - line_start);
    const bool ascii = std::all_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    const bool split_cjk = !ascii && (options.cjk == CjkTokens::Char || (options.cjk == CjkTokens::Auto && !is_segmented(line)));
    for (size_t i = 0, n = 0; i < line.size(); i += n) {
      const unsigned char byte = static_cast<unsigned char>(line[i]);
      if (byte < 0x80) {  // the common case, as the byte tokenizer did it
        n = 1;
        if (is_ascii_word_byte(byte)) {
          current += options.lowercase && byte >= 'A' && byte <= 'Z' ? char(byte - 'A' + 'a') : char(byte);
          continue;
        }
        flush();
        if (is_sentence_end(byte) && sentence_has_words) sink.sentence_end(), sentence_has_words = false;
        continue;
      }
      const uint32_t cp = decode(line, i, n);
      const Kind kind = kind_of(cp);
      if (kind == Kind::Separator) {
        flush();
        if (is_sentence_end(cp) && sentence_has_words) sink.sentence_end(), sentence_has_words = false;
        continue;
      }
      if (kind == Kind::Cjk && split_cjk) {
        flush();
        append_utf8(current, cp);
        flush();
        continue;
      }
      append_utf8(current, normalise(cp, options.lowercase));
    }
    flush();
    if (newline == std::string_view::npos) break;
    sink.line_end();
    line_start = newline + 1;
  }
}

std::vector<std::string> tokenize(std::string_view text, const TokenizeOptions& options) {
  struct Collect : TokenSink {
    std::vector<std::string> tokens;
    bool markers = false;
    void token(std::string_view t) override { tokens.emplace_back(t); }
    void sentence_end() override {
      if (markers) tokens.emplace_back(kSentenceEnd);
    }
  } collect;
  collect.markers = options.sentence_markers;
  for_each_token(text, options, collect);
  return std::move(collect.tokens);
}

std::vector<std::vector<std::string>> split_sentences(std::string_view text, bool lowercase, CjkTokens cjk) {
  TokenizeOptions options;
  options.lowercase = lowercase;
  options.sentence_markers = true;
  options.cjk = cjk;
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

TextReport inspect_text(std::string_view bytes) {
  TextReport r;
  if (bytes.empty()) return r.problem = "the text is empty", r;
  bool has_visible = false;
  size_t high_bytes = 0, gb_pairs = 0;  // bytes >= 0x80, and of them those pairing up as GB18030's
  for (size_t i = 0, n = 0; i < bytes.size(); i += n) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) return r.problem = at_offset("a NUL byte (binary data, not text)", i), r;
    const uint32_t cp = decode(bytes, i, n);
    if (c >= 0x80) {
      ++high_bytes;
      const unsigned char next = i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) : 0;
      if (cp == kInvalid && c >= 0x81 && c <= 0xFE && next >= 0x40 && next <= 0xFE && next != 0x7F) gb_pairs += 2;
    }
    if (cp == kInvalid) {
      if (r.invalid_sequences++ == 0) r.first_invalid = i;
      continue;
    }
    if (!is_space(cp) && cp != '\n' && cp != '\f' && cp != '\v') has_visible = true;
  }
  if (r.invalid_sequences > 8 && r.invalid_sequences * 10000 > bytes.size()) {
    r.gb18030 = gb_pairs * 10 >= high_bytes * 9;
    r.problem = at_offset(r.gb18030 ? "not UTF-8 but most likely GB18030/GBK (Chinese): convert it to UTF-8 first, "
                                      "e.g. iconv -f GB18030 -t UTF-8; the first invalid byte is"
                                    : "mostly not UTF-8 (save it as UTF-8); the first invalid byte is",
                          r.first_invalid);
    return r;
  }
  if (!has_visible) r.problem = "the text has only whitespace";
  return r;
}

TextReport decode_text(std::string& bytes) {
  TextReport report = inspect_text(bytes);
  if (!report.gb18030) return report;
  std::string utf8, error;
  if (!gb18030_to_utf8(bytes, utf8, error)) {
    report.problem = "not UTF-8, and " + error;
    return report;
  }
  TextReport converted = inspect_text(utf8);
  if (!converted.problem.empty()) return converted;
  bytes.swap(utf8);
  converted.converted_from_gb18030 = true;
  return converted;
}

std::string TextReport::warning() const {
  if (converted_from_gb18030) return "converted from GB18030 to UTF-8";
  if (invalid_sequences == 0) return "";
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%llu invalid UTF-8 sequence%s (the first at byte %zu) %s skipped",
                static_cast<unsigned long long>(invalid_sequences), invalid_sequences == 1 ? "" : "s", first_invalid,
                invalid_sequences == 1 ? "was" : "were");
  return buffer;
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
