// Embedding Projector TSV: vectors.tsv and metadata.tsv, split at the input's first NUL byte.
#include "fuzz_common.hpp"
#include "ml/word2vec/formats.hpp"

#include <cstring>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t split = all.find('\0');
  const std::string_view vectors = all.substr(0, split);
  const std::string_view metadata = split == std::string_view::npos ? std::string_view() : all.substr(split + 1);
  ll::w2v::WordVectors v;
  ll::w2v::read_projector_tsv(vectors, metadata, v);
  return 0;
}
