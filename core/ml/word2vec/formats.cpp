#include "ml/word2vec/formats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace ll::w2v {

namespace {

constexpr long kMaxWords = 100000000, kMaxDim = 100000;

std::string line_error(size_t line, const std::string& what) { return "line " + std::to_string(line) + ": " + what; }

std::string quoted(std::string_view s) {
  std::string q(s.substr(0, 40));
  for (char& c : q)
    if (static_cast<unsigned char>(c) < 32) c = '?';
  return "'" + q + (s.size() > 40 ? "…'" : "'");
}

// Splits on spaces and tabs.
void split(std::string_view line, std::vector<std::string_view>& fields, const char* separators = " \t\r") {
  fields.clear();
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::strchr(separators, line[i])) ++i;
    if (i == line.size()) break;
    size_t j = i;
    while (j < line.size() && !std::strchr(separators, line[j])) ++j;
    fields.push_back(line.substr(i, j - i));
    i = j;
  }
}

// A float from a field; false unless the whole field is a number.
bool parse_float(std::string_view field, float& value) {
  char buffer[64];
  if (field.empty() || field.size() >= sizeof buffer) return false;
  std::memcpy(buffer, field.data(), field.size());
  buffer[field.size()] = 0;
  char* end = nullptr;
  value = std::strtof(buffer, &end);
  return end == buffer + field.size();
}

// "N D" header; returns "" and the counts, or the reason.
std::string parse_header(std::string_view line, long& words, long& dim) {
  std::vector<std::string_view> f;
  split(line, f);
  auto integer = [](std::string_view s, long& out) {
    if (s.empty() || s.size() > 12) return false;
    out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  if (f.size() != 2 || !integer(f[0], words) || !integer(f[1], dim))
    return "bad header: expected 'N D' (word count and dimension), found " + quoted(line);
  if (words < 1 || words > kMaxWords)
    return "bad header: word count " + std::to_string(words) + " is out of range (1 to " + std::to_string(kMaxWords) + ")";
  if (dim < 1 || dim > kMaxDim)
    return "bad header: dimension " + std::to_string(dim) + " is out of range (1 to " + std::to_string(kMaxDim) + ")";
  return "";
}

std::string_view next_line(std::string_view bytes, size_t& pos) {
  size_t end = bytes.find('\n', pos);
  if (end == std::string_view::npos) end = bytes.size();
  std::string_view line = bytes.substr(pos, end - pos);
  pos = end + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

void append_float(std::string& out, float x) {
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%.6g", double(x));
  out.append(buffer, size_t(n));
}

}  // namespace

std::string read_word2vec_text(std::string_view bytes, WordVectors& out) {
  if (bytes.empty()) return "the vectors file is empty";
  if (std::memchr(bytes.data(), 0, std::min<size_t>(bytes.size(), 1 << 16)))
    return "this is a binary file, not word2vec text (for the binary format use a .bin name)";
  size_t pos = 0;
  long words = 0, dim = 0;
  const std::string header = parse_header(next_line(bytes, pos), words, dim);
  if (!header.empty()) return "line 1: " + header;
  // The header's counts are promises, not sizes to allocate: each row takes at least a 1-byte
  // word and D values of "0" with a separator before each, so no more rows than the bytes can
  // hold are reserved (a short file is then refused by its row count, below).
  const size_t left = bytes.size() - std::min(pos, bytes.size());
  const size_t rows_room = std::min<size_t>(size_t(words), left / (2 * size_t(dim) + 1));
  std::vector<std::string> names;
  std::vector<float> data;
  names.reserve(rows_room);
  data.reserve(rows_room * size_t(dim));
  std::vector<std::string_view> f;
  size_t line_number = 1;
  while (pos < bytes.size()) {
    const std::string_view line = next_line(bytes, pos);
    ++line_number;
    split(line, f);
    if (f.empty()) continue;
    if (long(names.size()) == words)
      return line_error(line_number, "more rows than the header's " + std::to_string(words) + " words");
    if (long(f.size()) - 1 != dim)
      return line_error(line_number, "word " + quoted(f[0]) + " has " + std::to_string(f.size() - 1) +
                                         " values, the header says " + std::to_string(dim));
    for (size_t k = 1; k < f.size(); ++k) {
      float x;
      if (!parse_float(f[k], x)) return line_error(line_number, quoted(f[k]) + " is not a number");
      if (!std::isfinite(x)) return line_error(line_number, "NaN or infinite value in the vector of " + quoted(f[0]));
      data.push_back(x);
    }
    names.emplace_back(f[0]);
  }
  if (long(names.size()) != words)
    return "the header says " + std::to_string(words) + " words but the file has " + std::to_string(names.size()) + " rows";
  out = make_word_vectors(std::move(names), int(dim), std::move(data));
  return "";
}

std::string read_word2vec_binary(std::string_view bytes, WordVectors& out) {
  if (bytes.empty()) return "the vectors file is empty";
  const size_t header_end = bytes.find('\n');
  if (header_end == std::string_view::npos || header_end > 64) return "bad header: expected 'N D' and a newline";
  size_t pos = 0;
  long words = 0, dim = 0;
  const std::string header = parse_header(next_line(bytes, pos), words, dim);
  if (!header.empty()) return header;
  // The header's counts are promises, not sizes to allocate: each row takes at least a 1-byte
  // word, a space and D float32s, so no more rows than the bytes can hold are reserved (a
  // short file is then refused at its first missing row, below).
  const size_t left = bytes.size() - std::min(pos, bytes.size());
  const size_t rows_room = std::min<size_t>(size_t(words), left / (2 + 4 * size_t(dim)));
  std::vector<std::string> names;
  std::vector<float> data;
  names.reserve(rows_room);
  data.reserve(rows_room * size_t(dim));
  const size_t row_bytes = size_t(dim) * sizeof(float);
  for (long i = 0; i < words; ++i) {
    while (pos < bytes.size() && (bytes[pos] == '\n' || bytes[pos] == ' ')) ++pos;
    const size_t space = bytes.find(' ', pos);
    if (pos >= bytes.size() || space == std::string_view::npos)
      return "truncated binary: row " + std::to_string(i + 1) + " of " + std::to_string(words) + " is missing";
    if (space - pos > 1000) return "row " + std::to_string(i + 1) + ": a word of over 1000 bytes (not word2vec binary?)";
    const std::string_view word = bytes.substr(pos, space - pos);
    pos = space + 1;
    if (bytes.size() - pos < row_bytes)
      return "truncated binary: the vector of " + quoted(word) + " (row " + std::to_string(i + 1) + " of " +
             std::to_string(words) + ") needs " +
             std::to_string(row_bytes) + " bytes, " + std::to_string(bytes.size() - pos) + " left";
    data.resize(size_t(i + 1) * size_t(dim));
    float* row = data.data() + size_t(i) * size_t(dim);
    std::memcpy(row, bytes.data() + pos, row_bytes);  // little-endian float32 (x86, ARM, WASM)
    pos += row_bytes;
    for (long k = 0; k < dim; ++k)
      if (!std::isfinite(row[k])) return "row " + std::to_string(i + 1) + ": NaN or infinite value in the vector of " + quoted(word);
    names.emplace_back(word);
  }
  while (pos < bytes.size() && (bytes[pos] == '\n' || bytes[pos] == ' ' || bytes[pos] == '\r')) ++pos;
  if (pos != bytes.size())
    return "more data after the header's " + std::to_string(words) + " rows (" + std::to_string(bytes.size() - pos) + " bytes)";
  out = make_word_vectors(std::move(names), int(dim), std::move(data));
  return "";
}

std::string read_projector_tsv(std::string_view vectors_tsv, std::string_view metadata_tsv, WordVectors& out) {
  std::vector<float> data;
  std::vector<std::string_view> f;
  long dim = -1, rows = 0;
  size_t pos = 0, line_number = 0;
  while (pos < vectors_tsv.size()) {
    const std::string_view line = next_line(vectors_tsv, pos);
    ++line_number;
    if (line.empty()) continue;
    split(line, f, "\t");
    if (f.empty()) return "vectors.tsv " + line_error(line_number, "no values (only tabs)");
    if (long(f.size()) > kMaxDim)
      return "vectors.tsv " + line_error(line_number, std::to_string(f.size()) + " values, over the limit of " +
                                                          std::to_string(kMaxDim) + " dimensions");
    if (dim < 0) dim = long(f.size());
    if (long(f.size()) != dim)
      return "vectors.tsv " + line_error(line_number, std::to_string(f.size()) + " values, the first row has " + std::to_string(dim));
    for (std::string_view field : f) {
      float x;
      if (!parse_float(field, x)) return "vectors.tsv " + line_error(line_number, quoted(field) + " is not a number");
      if (!std::isfinite(x)) return "vectors.tsv " + line_error(line_number, "NaN or infinite value");
      data.push_back(x);
    }
    ++rows;
  }
  if (rows == 0) return "vectors.tsv has no rows";
  std::vector<std::string> names;
  pos = 0;
  while (pos < metadata_tsv.size()) {
    const std::string_view line = next_line(metadata_tsv, pos);
    if (line.empty()) continue;
    if (line.find('\t') != std::string_view::npos)
      return "metadata.tsv has several columns; expected one word per line";
    names.emplace_back(line);
  }
  if (long(names.size()) != rows)
    return "vectors.tsv has " + std::to_string(rows) + " rows but metadata.tsv has " + std::to_string(names.size()) + " words";
  out = make_word_vectors(std::move(names), int(dim), std::move(data));
  return "";
}

std::string write_word2vec_text(const WordVectors& v) {
  std::string out = std::to_string(v.size()) + " " + std::to_string(v.dim) + "\n";
  out.reserve(out.size() + size_t(v.size()) * (size_t(v.dim) * 11 + 16));
  for (int i = 0; i < v.size(); ++i) {
    out += v.words[size_t(i)];
    for (int k = 0; k < v.dim; ++k) {
      out += ' ';
      append_float(out, v.row(i)[k]);
    }
    out += '\n';
  }
  return out;
}

std::string write_word2vec_binary(const WordVectors& v) {
  std::string out = std::to_string(v.size()) + " " + std::to_string(v.dim) + "\n";
  out.reserve(out.size() + size_t(v.size()) * (size_t(v.dim) * 4 + 16));
  for (int i = 0; i < v.size(); ++i) {
    out += v.words[size_t(i)];
    out += ' ';
    out.append(reinterpret_cast<const char*>(v.row(i)), size_t(v.dim) * sizeof(float));
    out += '\n';
  }
  return out;
}

std::string write_projector_vectors(const WordVectors& v) {
  std::string out;
  for (int i = 0; i < v.size(); ++i) {
    for (int k = 0; k < v.dim; ++k) {
      if (k) out += '\t';
      append_float(out, v.row(i)[k]);
    }
    out += '\n';
  }
  return out;
}

std::string write_projector_metadata(const WordVectors& v) {
  std::string out;
  for (const std::string& w : v.words) out += w + "\n";
  return out;
}

std::string read_file(const std::string& path, std::string& bytes) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot open '" + path + "'";
  bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  if (file.bad()) return "cannot read '" + path + "'";
  return "";
}

std::string write_file(const std::string& path, std::string_view bytes) {
  std::ofstream file(path, std::ios::binary);
  if (!file) return "cannot create '" + path + "'";
  file.write(bytes.data(), std::streamsize(bytes.size()));
  file.close();
  if (!file) return "cannot write '" + path + "' (disk full?)";
  return "";
}

namespace {
bool ends_with(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}
}  // namespace

std::string load_vectors(const std::string& path, WordVectors& out) {
  std::string bytes;
  std::string error = read_file(path, bytes);
  if (error.empty()) error = ends_with(path, ".bin") ? read_word2vec_binary(bytes, out) : read_word2vec_text(bytes, out);
  return error.empty() ? "" : path + ": " + error;
}

std::string save_vectors(const std::string& path, const WordVectors& v) {
  return write_file(path, ends_with(path, ".bin") ? write_word2vec_binary(v) : write_word2vec_text(v));
}

}  // namespace ll::w2v
