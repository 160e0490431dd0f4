// DDPM files (the diffusion lesson's Load, `latentlab ddpm`): the U-Net's size comes from the file.
#include "fuzz_common.hpp"
#include "ml/gen/ddpm_mnist.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ll::gen::DdpmTrainer t;
  bool has_optimizer = false;
  const ll::SafetensorsStatus s = ll::gen::load_ddpm(data, size, t, &has_optimizer);
  FUZZ_REQUIRE(s.ok() || !s.message.empty(), "a refused file needs a message");
  return 0;
}
