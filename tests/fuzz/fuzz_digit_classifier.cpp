// The digit classifier (`latentlab judge --classifier`).
#include "fuzz_common.hpp"
#include "ml/gen/digit_classifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ll::gen::DigitClassifier model = ll::gen::make_digit_classifier();
  const ll::SafetensorsStatus s = ll::gen::load_digit_classifier(data, size, model);
  FUZZ_REQUIRE(s.ok() || !s.message.empty(), "a refused file needs a message");
  return 0;
}
