#include "options.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

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

}  // namespace ll::cli
