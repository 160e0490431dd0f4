#include "io/npy.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "ml/check.hpp"

namespace ll {

std::vector<uint8_t> encode_npy_u8(const std::vector<uint8_t>& data, const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    LL_CHECK(d >= 0, "encode_npy_u8: negative dimension");
    count *= d;
  }
  LL_CHECK(count == int64_t(data.size()), "encode_npy_u8: data size must equal the product of the shape");
  std::string dims;  // as numpy writes it: "(5,)", "(2, 28, 28)"
  for (size_t i = 0; i < shape.size(); ++i) dims += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dims += ",";
  std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims + "), }";
  const size_t prefix = 6 + 2 + 2;  // magic, version, header length
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.push_back(uint8_t(header.size() & 0xff));
  out.push_back(uint8_t(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::string write_npy_u8(const std::string& path, const std::vector<uint8_t>& data, const std::vector<int64_t>& shape) {
  const std::vector<uint8_t> bytes = encode_npy_u8(data, shape);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return "cannot open " + path + " for writing";
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const bool closed = std::fclose(f) == 0;
  return written && closed ? "" : "cannot write " + path;
}

namespace {

// The value of 'key' in numpy's header dict, up to the next ',' (or ')' for the shape).
std::string header_field(const std::string& header, const std::string& key) {
  const size_t at = header.find("'" + key + "'");
  if (at == std::string::npos) return "";
  size_t start = header.find(':', at);
  if (start == std::string::npos) return "";
  ++start;
  while (start < header.size() && header[start] == ' ') ++start;
  const size_t end = header[start] == '(' ? header.find(')', start) + 1 : header.find(',', start);
  return end == std::string::npos || end < start ? "" : header.substr(start, end - start);
}

}  // namespace

std::string decode_npy_u8(const uint8_t* bytes, size_t size, std::vector<uint8_t>& data, std::vector<int64_t>& shape) {
  static const uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 10 || std::memcmp(bytes, kMagic, 6) != 0) return "not a .npy file (no \\x93NUMPY magic)";
  const int major = bytes[6];
  if (major < 1 || major > 2) return "unsupported .npy version " + std::to_string(major);
  const size_t length_bytes = major == 1 ? 2 : 4;
  if (size < 8 + length_bytes) return ".npy file is truncated in its header length";
  uint64_t header_len = 0;  // 64-bit: a 4-byte length plus the prefix must not wrap a 32-bit size_t (WASM)
  for (size_t i = 0; i < length_bytes; ++i) header_len |= uint64_t(bytes[8 + i]) << (8 * i);
  if (header_len > size - 8 - length_bytes)
    return ".npy header length " + std::to_string(header_len) + " runs past the end of the " + std::to_string(size) +
           "-byte file";
  const size_t data_start = 8 + length_bytes + size_t(header_len);
  const std::string header(reinterpret_cast<const char*>(bytes) + 8 + length_bytes, header_len);
  const std::string descr = header_field(header, "descr");
  if (descr != "'|u1'" && descr != "'<u1'") return ".npy dtype " + descr + " is not uint8 ('|u1')";
  if (header_field(header, "fortran_order") != "False") return ".npy arrays in Fortran order are not supported";
  const std::string dims = header_field(header, "shape");
  if (dims.size() < 2) return ".npy header has no shape";
  std::vector<int64_t> parsed;
  int64_t count = 1;
  for (size_t i = 1; i + 1 < dims.size();) {
    while (i + 1 < dims.size() && (dims[i] == ' ' || dims[i] == ',')) ++i;
    if (i + 1 >= dims.size()) break;
    char* end = nullptr;
    const long long d = std::strtoll(dims.c_str() + i, &end, 10);
    if (end == dims.c_str() + i || d < 0) return ".npy shape " + dims + " is not a tuple of sizes";
    // The elements must fit the data that follows (checked below); a product past it is refused
    // here, before it can overflow.
    if (d > 0 && count > int64_t(size) / d)
      return ".npy shape " + dims + " declares more elements than the file's " + std::to_string(size) + " bytes";
    if (parsed.size() >= 32) return ".npy shape " + dims + " has more than 32 dimensions (numpy's limit)";
    parsed.push_back(d);
    count *= d;
    i = size_t(end - dims.c_str());
  }
  if (size - data_start != size_t(count))
    return ".npy data holds " + std::to_string(size - data_start) + " bytes but the shape " + dims + " needs " +
           std::to_string(count);
  data.assign(bytes + data_start, bytes + size);
  shape = parsed;
  return "";
}

std::string read_npy_u8(const std::string& path, std::vector<uint8_t>& data, std::vector<int64_t>& shape) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open " + path;
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string error = decode_npy_u8(bytes.data(), bytes.size(), data, shape);
  return error.empty() ? "" : path + ": " + error;
}

}  // namespace ll
