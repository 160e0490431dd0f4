// VAE files (the lesson's Load, `latentlab vae eval/sample`): any architecture the file names.
#include "fuzz_common.hpp"
#include "ml/vae.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ll::vae::LoadedVae loaded;
  const ll::SafetensorsStatus s = ll::vae::load_vae(data, size, nullptr, 100, loaded);
  FUZZ_REQUIRE(s.ok() || !s.message.empty(), "a refused file needs a message");
  return 0;
}
