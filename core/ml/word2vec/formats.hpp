#pragma once
// The field's word-vector files, from memory buffers or paths. Every reader returns "" or a
// clear reason (bad header, wrong row count, short row, NaN, truncated binary) and leaves
// `out` untouched on error.
//
//   word2vec text (.vec/.txt): "N D\n", then N lines "word v1 … vD" (fastText, gensim)
//   word2vec binary (.bin):    "N D\n", then per word: word, ' ', D little-endian float32,
//                              '\n' (the original tool; gensim's load_word2vec_format binary)
//   Embedding Projector TSV:   vectors.tsv (D tab-separated values per line) + metadata.tsv
//                              (one word per line, no header row)
#include <string>
#include <string_view>

#include "ml/word2vec/vectors.hpp"

namespace ll::w2v {

std::string read_word2vec_text(std::string_view bytes, WordVectors& out);
std::string read_word2vec_binary(std::string_view bytes, WordVectors& out);
std::string read_projector_tsv(std::string_view vectors_tsv, std::string_view metadata_tsv, WordVectors& out);

std::string write_word2vec_text(const WordVectors& v);    // the file's bytes
std::string write_word2vec_binary(const WordVectors& v);
std::string write_projector_vectors(const WordVectors& v);  // vectors.tsv
std::string write_projector_metadata(const WordVectors& v); // metadata.tsv

// Whole-file helpers; "" or the reason.
std::string read_file(const std::string& path, std::string& bytes);
std::string write_file(const std::string& path, std::string_view bytes);
// Binary when the path ends in ".bin", word2vec text otherwise.
std::string load_vectors(const std::string& path, WordVectors& out);
std::string save_vectors(const std::string& path, const WordVectors& v);

}  // namespace ll::w2v
