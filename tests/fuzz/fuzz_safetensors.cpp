// safetensors: the header parser, every tensor read back, and the checkpoint metadata.
#include "fuzz_common.hpp"
#include "io/safetensors.hpp"
#include "ml/nn/checkpoint.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ll::SafetensorsView view;
  const ll::SafetensorsStatus s = ll::parse_safetensors(data, size, view);
  FUZZ_REQUIRE(s.ok() || !s.message.empty(), "a refused file needs a message");
  if (s.ok()) {
    for (const ll::TensorEntry& e : view.tensors) {
      FUZZ_REQUIRE(e.begin <= e.end && e.end <= view.data_size, "tensor bytes inside the data");
      if (e.dtype != "F32") continue;
      std::vector<float> out((e.end - e.begin) / 4);
      const ll::SafetensorsStatus r = ll::read_f32_tensor(view, e.name, e.shape, out.data());
      FUZZ_REQUIRE(r.ok(), "an F32 tensor of its own shape reads");
    }
  }
  ll::nn::Hyperparameters hyper;
  const ll::SafetensorsStatus h = ll::nn::read_hyperparameters(data, size, hyper);
  FUZZ_REQUIRE(h.ok() == s.ok(), "hyperparameters parse as the file does");
  double number = 0;
  for (const auto& [key, value] : hyper.values) hyper.number(key, number);
  return 0;
}
