// The MNIST asset (fetched by the page, read from disk natively).
#include "fuzz_common.hpp"
#include "io/mnist.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ll::MnistData out;
  const ll::MnistResult r = ll::parse_mnist(data, size, out);
  FUZZ_REQUIRE(r.error == ll::MnistError::None || !r.message.empty(), "a refused file needs a message");
  return 0;
}
