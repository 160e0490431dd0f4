#include "io/mnist.hpp"

#include <cstdio>
#include <cstring>
#include <mutex>

#include "io/assets.hpp"

namespace ll {

namespace {

uint32_t read_u32_le(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

MnistResult fail(MnistError error, std::string message) { return {error, "MNIST asset: " + message}; }

void fill_split(const uint8_t* labels, const uint8_t* pixels, size_t first, size_t count, size_t pixels_per_image,
                MnistSplit& split) {
  split.pixels = int(pixels_per_image);
  split.labels.assign(labels + first, labels + first + count);
  split.images.resize(count * pixels_per_image);
  const uint8_t* src = pixels + first * pixels_per_image;
  for (size_t i = 0; i < split.images.size(); ++i) split.images[i] = float(src[i]) / 255.0f;
}

std::mutex shared_mutex;
MnistData shared_data;
bool shared_tried = false;
std::string shared_error;

}  // namespace

MnistResult parse_mnist(const uint8_t* bytes, size_t size, MnistData& out) {
  if (size < sizeof kMnistMagic || std::memcmp(bytes, kMnistMagic, sizeof kMnistMagic) != 0)
    return fail(MnistError::BadMagic, "not an MNIST asset (no \"LLMNIST\" magic)");
  if (size < kMnistHeaderBytes) return fail(MnistError::Truncated, "truncated header");
  const uint32_t version = read_u32_le(bytes + 8);
  if (version != kMnistVersion)
    return fail(MnistError::BadVersion, "format version " + std::to_string(version) + ", this build reads version " +
                                            std::to_string(kMnistVersion) + " (rebuild the asset)");
  const uint32_t count = read_u32_le(bytes + 12), train_count = read_u32_le(bytes + 16);
  const uint32_t rows = read_u32_le(bytes + 20), cols = read_u32_le(bytes + 24);
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096 || train_count > count || count == 0)
    return fail(MnistError::BadShape, "bad header: " + std::to_string(count) + " images (" +
                                          std::to_string(train_count) + " train) of " + std::to_string(rows) + "×" +
                                          std::to_string(cols));
  const uint64_t pixels_per_image = uint64_t(rows) * cols;
  const uint64_t expected = kMnistHeaderBytes + uint64_t(count) * (1 + pixels_per_image);
  if (size < expected)
    return fail(MnistError::Truncated, "truncated: " + std::to_string(size) + " bytes, the header promises " +
                                           std::to_string(expected));
  if (size > expected)
    return fail(MnistError::TrailingBytes, std::to_string(size - expected) + " unexpected bytes after the images");
  const uint8_t* labels = bytes + kMnistHeaderBytes;
  for (uint32_t i = 0; i < count; ++i)
    if (labels[i] > 9) return fail(MnistError::BadLabel, "image " + std::to_string(i) + " has label " +
                                                             std::to_string(labels[i]));
  const uint8_t* pixels = labels + count;
  MnistData data;
  data.rows = int(rows);
  data.cols = int(cols);
  fill_split(labels, pixels, 0, train_count, pixels_per_image, data.train);
  fill_split(labels, pixels, train_count, count - train_count, pixels_per_image, data.heldout);
  out = std::move(data);
  return {};
}

MnistResult load_mnist_file(const std::string& path, MnistData& out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return fail(MnistError::Unreadable, "cannot open " + path);
  std::vector<uint8_t> bytes;
  uint8_t buffer[1 << 16];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, f)) > 0) bytes.insert(bytes.end(), buffer, buffer + got);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return fail(MnistError::Unreadable, "error reading " + path);
  return parse_mnist(bytes.data(), bytes.size(), out);
}

const MnistData* shared_mnist(std::string& error) {
  std::lock_guard<std::mutex> lock(shared_mutex);
  if (!shared_tried) {
    shared_tried = true;
    std::string bytes;
    shared_error = load_asset(kMnistAssetName, bytes);
    if (asset_pending(shared_error)) shared_tried = false;  // still being fetched: ask again next time
    if (shared_error.empty()) {
      const MnistResult r =
          parse_mnist(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), shared_data);
      shared_error = r.message;
    }
  }
  error = shared_error;
  return shared_error.empty() ? &shared_data : nullptr;
}

void retry_shared_mnist() {
  std::lock_guard<std::mutex> lock(shared_mutex);
  if (!shared_error.empty()) shared_tried = false;
}

}  // namespace ll
