// word2vec binary vectors (.bin: the lesson's upload and pretrained asset, `latentlab word2vec`).
#include "fuzz_common.hpp"
#include "ml/word2vec/formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ll::w2v::WordVectors v;
  const std::string error = ll::w2v::read_word2vec_binary({reinterpret_cast<const char*>(data), size}, v);
  if (error.empty()) FUZZ_REQUIRE(size_t(v.size()) * size_t(v.dim) * 4 <= size, "no more floats than bytes");
  return 0;
}
