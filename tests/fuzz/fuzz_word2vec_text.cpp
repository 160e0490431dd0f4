// word2vec text vectors (.vec/.txt: the lesson's upload, `latentlab word2vec eval`).
#include "fuzz_common.hpp"
#include "ml/word2vec/formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ll::w2v::WordVectors v;
  const std::string error = ll::w2v::read_word2vec_text({reinterpret_cast<const char*>(data), size}, v);
  if (error.empty()) FUZZ_REQUIRE(size_t(v.size()) * size_t(v.dim) <= size, "no more values than bytes");
  return 0;
}
