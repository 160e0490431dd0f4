// nn checkpoints (weights, Adam state, optimizer metadata) into a small fixed model.
#include "fuzz_common.hpp"
#include "fuzz_models.hpp"
#include "ml/nn/checkpoint.hpp"
#include "ml/nn/train.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ll::nn::ParamStore store = fuzz::small_store();
  ll::nn::Optimizer opt = ll::nn::make_optimizer(store, ll::OptimizerConfig{});
  ll::nn::LoadedCheckpoint loaded;
  const ll::SafetensorsStatus s = ll::nn::load_checkpoint(data, size, fuzz::kSmallArchitecture, store, &opt, &loaded);
  FUZZ_REQUIRE(s.ok() || !s.message.empty(), "a refused file needs a message");
  return 0;
}
