#include "io/safetensors.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

namespace ll {

namespace {

using Json = nlohmann::json;

// Both targets (x86-64, wasm32) are little-endian, the byte order of the format, so
// floats and the length are copied as they lie in memory.
constexpr size_t kLengthBytes = 8;

SafetensorsStatus fail(SafetensorsError e, const std::string& message) { return {e, message}; }

size_t dtype_size(const std::string& dtype) {
  static const std::map<std::string, size_t> sizes = {
      {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8}, {"I32", 4}, {"I16", 2},
      {"I8", 1},  {"U64", 8}, {"U32", 4}, {"U16", 2}, {"U8", 1},   {"BOOL", 1}};
  const auto it = sizes.find(dtype);
  return it == sizes.end() ? 0 : it->second;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// One tensor entry of the header, checked field by field (no exceptions from the JSON types).
SafetensorsStatus parse_entry(const std::string& name, const Json& j, TensorEntry& e) {
  const std::string where = "tensor '" + name + "': ";
  if (!j.is_object()) return fail(SafetensorsError::BadEntry, where + "entry is not an object");
  const auto dtype = j.find("dtype"), shape = j.find("shape"), offsets = j.find("data_offsets");
  if (dtype == j.end() || !dtype->is_string()) return fail(SafetensorsError::BadEntry, where + "no dtype string");
  if (shape == j.end() || !shape->is_array()) return fail(SafetensorsError::BadEntry, where + "no shape array");
  if (offsets == j.end() || !offsets->is_array() || offsets->size() != 2)
    return fail(SafetensorsError::BadEntry, where + "data_offsets must be [begin, end]");
  e.name = name;
  e.dtype = dtype->get<std::string>();
  const size_t element_size = dtype_size(e.dtype);
  if (element_size == 0) return fail(SafetensorsError::BadEntry, where + "unknown dtype " + e.dtype);
  uint64_t elements = 1;
  for (const Json& d : *shape) {
    if (!d.is_number_unsigned()) return fail(SafetensorsError::BadEntry, where + "shape must hold non-negative integers");
    const uint64_t dim = d.get<uint64_t>();
    if (dim > (uint64_t(1) << 40) || (dim > 0 && elements > (uint64_t(1) << 40) / dim))
      return fail(SafetensorsError::OffsetsOutOfRange, where + "shape too large");
    elements *= dim;
    e.shape.push_back(int64_t(dim));
  }
  for (const Json& o : *offsets)
    if (!o.is_number_unsigned()) return fail(SafetensorsError::BadEntry, where + "data_offsets must be non-negative integers");
  const uint64_t begin = (*offsets)[0].get<uint64_t>(), end = (*offsets)[1].get<uint64_t>();
  if (begin > end) return fail(SafetensorsError::OffsetsOutOfRange, where + "data_offsets begin > end");
  if (end > uint64_t(SIZE_MAX))  // a 32-bit size_t (WASM) would wrap it
    return fail(SafetensorsError::OffsetsOutOfRange, where + "data_offsets end " + std::to_string(end) + " is past any buffer");
  if (end - begin != elements * element_size)
    return fail(SafetensorsError::OffsetsOutOfRange, where + std::to_string(end - begin) + " bytes for shape " +
                                                         shape_text(e.shape) + " of " + e.dtype + " (needs " +
                                                         std::to_string(elements * element_size) + ")");
  e.begin = size_t(begin);
  e.end = size_t(end);
  return {};
}

}  // namespace

const char* safetensors_error_name(SafetensorsError e) {
  switch (e) {
    case SafetensorsError::None: return "ok";
    case SafetensorsError::Io: return "io";
    case SafetensorsError::Truncated: return "truncated";
    case SafetensorsError::HeaderPastEnd: return "header past end";
    case SafetensorsError::HeaderNotJson: return "header not JSON";
    case SafetensorsError::BadEntry: return "bad entry";
    case SafetensorsError::OffsetsOutOfRange: return "offsets out of range";
    case SafetensorsError::OffsetsOverlap: return "offsets overlap";
    case SafetensorsError::WrongDtype: return "wrong dtype";
    case SafetensorsError::WrongShape: return "wrong shape";
    case SafetensorsError::MissingTensor: return "missing tensor";
    case SafetensorsError::VersionMismatch: return "version mismatch";
    case SafetensorsError::ArchitectureMismatch: return "architecture mismatch";
  }
  return "?";
}

std::vector<uint8_t> encode_safetensors(const std::vector<TensorToWrite>& tensors,
                                        const std::map<std::string, std::string>& metadata) {
  Json header = Json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  size_t offset = 0;
  for (const TensorToWrite& t : tensors) {
    size_t elements = 1;
    for (int64_t d : t.shape) elements *= size_t(d);
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + 4 * elements}}};
    offset += 4 * elements;
  }
  std::string text = header.dump(-1, ' ', false, Json::error_handler_t::replace);
  text.append((8 - text.size() % 8) % 8, ' ');  // the Python library aligns the data to 8 bytes
  std::vector<uint8_t> out(kLengthBytes + text.size() + offset);
  const uint64_t length = text.size();
  for (size_t i = 0; i < kLengthBytes; ++i) out[i] = uint8_t(length >> (8 * i));
  std::memcpy(out.data() + kLengthBytes, text.data(), text.size());
  uint8_t* data = out.data() + kLengthBytes + text.size();
  for (const TensorToWrite& t : tensors) {
    size_t elements = 1;
    for (int64_t d : t.shape) elements *= size_t(d);
    if (elements) std::memcpy(data, t.data, 4 * elements);
    data += 4 * elements;
  }
  return out;
}

SafetensorsStatus parse_safetensors(const uint8_t* bytes, size_t size, SafetensorsView& out) {
  out = SafetensorsView{};
  if (size < kLengthBytes)
    return fail(SafetensorsError::Truncated, "file is " + std::to_string(size) + " bytes, shorter than the 8-byte header length");
  uint64_t length = 0;
  for (size_t i = 0; i < kLengthBytes; ++i) length |= uint64_t(bytes[i]) << (8 * i);
  if (length > kMaxSafetensorsHeaderBytes)
    return fail(SafetensorsError::HeaderPastEnd, "header length " + std::to_string(length) + " is over the limit of " +
                                                     std::to_string(kMaxSafetensorsHeaderBytes) + " bytes");
  if (length > size - kLengthBytes)
    return fail(SafetensorsError::HeaderPastEnd, "header length " + std::to_string(length) + " runs past the end of the " +
                                                     std::to_string(size) + "-byte file");
  const char* text = reinterpret_cast<const char*>(bytes + kLengthBytes);
  const Json header = Json::parse(text, text + length, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object())
    return fail(SafetensorsError::HeaderNotJson, "the header is not a JSON object");
  std::vector<TensorEntry> entries;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it->is_object()) return fail(SafetensorsError::BadEntry, "__metadata__ is not an object");
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string()) return fail(SafetensorsError::BadEntry, "metadata '" + m.key() + "' is not a string");
        out.metadata[m.key()] = m->get<std::string>();
      }
      continue;
    }
    TensorEntry e;
    const SafetensorsStatus s = parse_entry(it.key(), *it, e);
    if (!s.ok()) return s;
    entries.push_back(std::move(e));
  }
  std::sort(entries.begin(), entries.end(), [](const TensorEntry& a, const TensorEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  bool contiguous = entries.empty() || entries[0].begin == 0;
  size_t max_end = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && entries[i].begin < entries[i - 1].end)
      return fail(SafetensorsError::OffsetsOverlap,
                  "tensors '" + entries[i - 1].name + "' and '" + entries[i].name + "' overlap");
    if (i > 0 && entries[i].begin != entries[i - 1].end) contiguous = false;
    max_end = std::max(max_end, entries[i].end);
  }
  const size_t data_size = size - kLengthBytes - size_t(length);
  if (max_end > data_size) {
    // Well-formed back-to-back offsets that run past the data: the file was cut off.
    const std::string sizes = "needs " + std::to_string(max_end) + " bytes of tensor data, has " + std::to_string(data_size);
    return contiguous ? fail(SafetensorsError::Truncated, "file is truncated: " + sizes)
                      : fail(SafetensorsError::OffsetsOutOfRange, "tensor offsets out of range: " + sizes);
  }
  out.tensors = std::move(entries);
  out.data = bytes + kLengthBytes + length;
  out.data_size = data_size;
  return {};
}

const TensorEntry* find_tensor(const SafetensorsView& view, const std::string& name) {
  for (const TensorEntry& e : view.tensors)
    if (e.name == name) return &e;
  return nullptr;
}

SafetensorsStatus read_f32_tensor(const SafetensorsView& view, const std::string& name,
                                  const std::vector<int64_t>& shape, float* out) {
  const TensorEntry* e = find_tensor(view, name);
  if (!e) return fail(SafetensorsError::MissingTensor, "tensor '" + name + "' is missing");
  if (e->dtype != "F32") return fail(SafetensorsError::WrongDtype, "tensor '" + name + "' is " + e->dtype + ", expected F32");
  if (e->shape != shape)
    return fail(SafetensorsError::WrongShape,
                "tensor '" + name + "' has shape " + shape_text(e->shape) + ", the model needs " + shape_text(shape));
  if (e->end > e->begin) std::memcpy(out, view.data + e->begin, e->end - e->begin);
  return {};
}

SafetensorsStatus read_file_bytes(const std::string& path, std::vector<uint8_t>& out) {
  out.clear();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return fail(SafetensorsError::Io, "cannot open " + path);
  bool ok = std::fseek(f, 0, SEEK_END) == 0;
  const long size = ok ? std::ftell(f) : -1;
  ok = ok && size >= 0 && std::fseek(f, 0, SEEK_SET) == 0;
  if (ok) {
    out.resize(size_t(size));
    ok = size == 0 || std::fread(out.data(), 1, out.size(), f) == out.size();
  }
  std::fclose(f);
  if (!ok) return fail(SafetensorsError::Io, "cannot read " + path);
  return {};
}

SafetensorsStatus write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return fail(SafetensorsError::Io, "cannot create " + path);
  const bool written = bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) return fail(SafetensorsError::Io, "cannot write " + path);
  return {};
}

}  // namespace ll
