#include "ml/text/gb18030.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "ml/text/tokenize.hpp"

namespace ll::text {

// cmake/gb18030_table.py
extern const uint16_t kGb18030TwoByte[126 * 190];         // [lead − 0x81][trail index]
extern const uint32_t kGb18030FourByteRuns[][2];          // {linear index, code point}, ascending
extern const std::size_t kGb18030FourByteRunCount;

namespace {

constexpr uint32_t kBmpFourByteIndices = 39420;     // 0x81308130 .. 0x8431A439
constexpr uint32_t kSupplementaryStart = 189000;    // the linear index of 0x90308130 (U+10000)

int two_byte_trail_index(unsigned char trail) {
  if (trail >= 0x40 && trail <= 0x7E) return trail - 0x40;
  if (trail >= 0x80 && trail <= 0xFE) return trail - 0x80 + 63;
  return -1;
}

// The code point of a four-byte sequence's linear index, or 0 when it names none.
uint32_t four_byte_code_point(uint32_t index) {
  if (index < kBmpFourByteIndices) {
    size_t lo = 0, hi = kGb18030FourByteRunCount;  // the last run starting at or before index
    while (hi - lo > 1) {
      const size_t mid = (lo + hi) / 2;
      (kGb18030FourByteRuns[mid][0] <= index ? lo : hi) = mid;
    }
    return kGb18030FourByteRuns[lo][1] + (index - kGb18030FourByteRuns[lo][0]);
  }
  if (index >= kSupplementaryStart && index - kSupplementaryStart <= 0x10FFFF - 0x10000)
    return 0x10000 + (index - kSupplementaryStart);
  return 0;
}

std::string not_gb18030_at(size_t offset) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "not GB18030 either: the byte at %zu starts no GB18030 character", offset);
  return buffer;
}

}  // namespace

bool gb18030_to_utf8(std::string_view bytes, std::string& out, std::string& error) {
  out.clear();
  out.reserve(bytes.size() + bytes.size() / 2);  // a two-byte hanzi becomes three bytes
  auto byte = [&](size_t i) { return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0; };
  for (size_t i = 0; i < bytes.size();) {
    const unsigned char lead = byte(i);
    if (lead == 0) return error = not_gb18030_at(i), false;
    if (lead < 0x80) {
      out.push_back(char(lead));
      ++i;
      continue;
    }
    if (lead == 0x80 || lead == 0xFF) return error = not_gb18030_at(i), false;
    const unsigned char second = byte(i + 1);
    if (second >= 0x30 && second <= 0x39) {  // four bytes: lead, digit, 0x81-0xFE, digit
      const unsigned char third = byte(i + 2), fourth = byte(i + 3);
      if (third < 0x81 || third > 0xFE || fourth < 0x30 || fourth > 0x39) return error = not_gb18030_at(i), false;
      const uint32_t index = ((uint32_t(lead - 0x81) * 10 + (second - 0x30)) * 126 + (third - 0x81)) * 10 + (fourth - 0x30);
      const uint32_t cp = four_byte_code_point(index);
      if (cp == 0) return error = not_gb18030_at(i), false;
      append_utf8(out, cp);
      i += 4;
      continue;
    }
    const int trail = two_byte_trail_index(second);
    if (trail < 0) return error = not_gb18030_at(i), false;
    append_utf8(out, kGb18030TwoByte[(lead - 0x81) * 190 + trail]);
    i += 2;
  }
  return true;
}

}  // namespace ll::text
