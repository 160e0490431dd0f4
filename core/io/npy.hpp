#pragma once
// NumPy .npy files (format version 1.0): the magic "\x93NUMPY", version 1.0, a little-endian
// uint16 header length, a Python-dict header {'descr': '|u1', 'fortran_order': False,
// 'shape': (N, 28, 28), } padded with spaces and ended by '\n' so that magic + length +
// header is a multiple of 64 bytes, then the C-order data. numpy.load reads it.
#include <cstdint>
#include <string>
#include <vector>

namespace ll {

// Encodes a uint8 array of the given shape (product(shape) == data.size(), asserted).
std::vector<uint8_t> encode_npy_u8(const std::vector<uint8_t>& data, const std::vector<int64_t>& shape);
// Writes the encoding to path: "" or what went wrong.
std::string write_npy_u8(const std::string& path, const std::vector<uint8_t>& data, const std::vector<int64_t>& shape);

// Parses a version 1.x or 2.0 .npy of uint8 ('|u1' or '<u1', C order); "" or what is wrong
// (not .npy, another dtype, Fortran order, a data size that does not match the shape).
std::string decode_npy_u8(const uint8_t* bytes, size_t size, std::vector<uint8_t>& data, std::vector<int64_t>& shape);
std::string read_npy_u8(const std::string& path, std::vector<uint8_t>& data, std::vector<int64_t>& shape);

}  // namespace ll
