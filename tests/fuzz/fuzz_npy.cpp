// NumPy .npy uint8 arrays (`latentlab sample` output, read back by the tools).
#include "fuzz_common.hpp"
#include "io/npy.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> values;
  std::vector<int64_t> shape;
  const std::string error = ll::decode_npy_u8(data, size, values, shape);
  if (error.empty()) {
    size_t count = 1;
    for (int64_t d : shape) count *= size_t(d);
    FUZZ_REQUIRE(count == values.size(), "the shape matches the data");
  }
  return 0;
}
