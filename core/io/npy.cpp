#include "io/npy.hpp"

#include <cstdio>

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

}  // namespace ll
