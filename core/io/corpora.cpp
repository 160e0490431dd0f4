#include "io/corpora.hpp"

#include <cstddef>

extern const unsigned char ll_corpus_genesis_kjv[];
extern const std::size_t ll_corpus_genesis_kjv_size;
extern const unsigned char ll_corpus_tang300_txt[], ll_corpus_song100_txt[];
extern const std::size_t ll_corpus_tang300_txt_size, ll_corpus_song100_txt_size;

namespace ll::io {

namespace {
std::string_view embedded(const unsigned char* bytes, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(bytes), size);
}
}  // namespace

std::string_view genesis_corpus() { return embedded(ll_corpus_genesis_kjv, ll_corpus_genesis_kjv_size); }
std::string_view tang_poems() { return embedded(ll_corpus_tang300_txt, ll_corpus_tang300_txt_size); }
std::string_view song_poems() { return embedded(ll_corpus_song100_txt, ll_corpus_song100_txt_size); }

}  // namespace ll::io
