#include <catch2/catch.hpp>

#include <cstdio>
#include <vector>

#include "io/png.hpp"

TEST_CASE("png: encodes a valid PNG with the right size in its header", "[png]") {
  std::vector<uint8_t> grey(28 * 20);
  for (size_t i = 0; i < grey.size(); ++i) grey[i] = uint8_t(i);
  const std::vector<uint8_t> png = ll::encode_png(grey.data(), 28, 20, 1);
  REQUIRE(png.size() > 33);
  const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  for (int i = 0; i < 8; ++i) CHECK(png[i] == signature[i]);
  // IHDR: width and height, big-endian, at bytes 16..23; colour type 0 (grey) at 25.
  CHECK(((png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]) == 28);
  CHECK(((png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]) == 20);
  CHECK(png[25] == 0);
}

TEST_CASE("png: write_png reports an unwritable path", "[png]") {
  const uint8_t rgba[4] = {1, 2, 3, 4};
  CHECK(ll::write_png("/nonexistent-dir/x.png", rgba, 1, 1, 4).find("cannot open") != std::string::npos);
}
