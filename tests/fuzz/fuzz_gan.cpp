// DCGAN files (the GAN lesson's Load, `latentlab gan`): the architecture comes from the file.
#include "fuzz_common.hpp"
#include "ml/gen/dcgan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ll::gen::GanTrainer t;
  bool has_optimizer = false;
  const ll::SafetensorsStatus s = ll::gen::load_gan(data, size, t, &has_optimizer);
  FUZZ_REQUIRE(s.ok() || !s.message.empty(), "a refused file needs a message");
  return 0;
}
