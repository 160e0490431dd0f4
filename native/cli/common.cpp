#include "common.hpp"

#include "io/assets.hpp"
#include "io/npy.hpp"
#include "io/png.hpp"
#include "viz/image_grid.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <unistd.h>

namespace ll::cli {

bool parse_long(const std::string& s, long lo, long hi, long& out) {
  char* end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || end != s.c_str() + s.size() || v < lo || v > hi) return false;
  out = v;
  return true;
}

bool parse_double(const std::string& s, double lo, double hi, double& out) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(v >= lo && v <= hi)) return false;
  out = v;
  return true;
}

double wall_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

bool file_exists(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  std::fclose(f);
  return true;
}

std::string save_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return "cannot open " + tmp + " for writing";
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !written) return "cannot write " + tmp;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return "cannot rename " + tmp + " to " + path;
  return "";
}

std::string progress_bar(double fraction) {
  constexpr int kWidth = 30;
  fraction = std::fmin(1.0, std::fmax(0.0, fraction));
  const int filled = int(fraction * kWidth);
  std::string bar = "[";
  for (int i = 0; i < kWidth; ++i) bar += i < filled ? '=' : (i == filled ? '>' : ' ');
  char percent[16];
  std::snprintf(percent, sizeof percent, "] %5.1f%%", 100 * fraction);
  return bar + percent;
}

ProgressLine::ProgressLine() : terminal_(isatty(fileno(stderr)) != 0) {}

void ProgressLine::update(double fraction, const std::string& text) {
  if (terminal_) {
    std::fprintf(stderr, "\r%s   ", text.c_str());
    open_ = true;
  } else {
    const double now = wall_seconds();
    const bool done = fraction >= 1 && logged_fraction_ < 1;
    if (!done && fraction < logged_fraction_ + 0.1 && now < logged_at_ + 10) return;
    std::fprintf(stderr, "%s\n", text.c_str());
    logged_fraction_ = fraction;
    logged_at_ = now;
  }
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (open_) std::fputc('\n', stderr);
  open_ = false;
}

SafetensorsStatus load_model_file(const std::string& path,
                                  const std::function<SafetensorsStatus(const uint8_t*, size_t)>& parse) {
  std::vector<uint8_t> bytes;
  const SafetensorsStatus s = read_file_bytes(path, bytes);
  return s.ok() ? parse(bytes.data(), bytes.size()) : s;
}

std::string load_digits(MnistData& data) {
  const std::string path = default_asset_dir() + "/" + kMnistAssetName;
  const MnistResult r = load_mnist_file(path, data);
  if (!r.ok()) return "cannot load the MNIST asset " + path + ": " + r.message;
  if (data.pixels() != 28 * 28) return "the MNIST asset's images are not 28×28";
  return "";
}

std::string write_digit_samples(const nn::Mat& images, const std::string& npy, const std::string& png) {
  const int64_t n = images.rows();
  std::string error = write_npy_u8(npy, to_bytes(images.data(), size_t(images.size())), {n, 28, 28});
  if (!error.empty() || png.empty()) return error;
  const GreyImage grid = tile_images(images.data(), int(std::min<int64_t>(n, 100)), 28, 10);
  return write_png(png, grid.pixels.data(), grid.width, grid.height, 1);
}

}  // namespace ll::cli
