#pragma once
// safetensors (https://github.com/huggingface/safetensors): an 8-byte little-endian header
// length N, N bytes of JSON {"__metadata__": {str: str}, name: {"dtype", "shape",
// "data_offsets": [begin, end]}}, then the tensor bytes (offsets relative to their start).
// The writer emits F32 tensors back to back, header padded with spaces to 8 bytes, as the
// Python `safetensors` library does, so it reads our files. The reader works on a memory
// buffer (the browser has no files) and checks everything before anything is used: every
// problem is an error value with a message, never a crash.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ll {

enum class SafetensorsError {
  None,
  Io,                 // the file cannot be opened, read or written
  Truncated,          // shorter than the 8-byte length, or the tensor data is cut off
  HeaderPastEnd,      // the header length points beyond the end of the buffer
  HeaderNotJson,      // the header is not a JSON object
  BadEntry,           // a tensor entry or the metadata does not follow the format
  OffsetsOutOfRange,  // begin > end, end past the data, or size ≠ shape × dtype size
  OffsetsOverlap,     // two tensors share bytes
  WrongDtype,         // the model needs another dtype (F32)
  WrongShape,         // the file's shape differs from the model's
  MissingTensor,      // the model has a tensor the file lacks
  VersionMismatch,    // format name or version not the one this build reads
  ArchitectureMismatch,
};

struct SafetensorsStatus {
  SafetensorsError error = SafetensorsError::None;
  std::string message;  // for the user; empty when ok
  bool ok() const { return error == SafetensorsError::None; }
};

const char* safetensors_error_name(SafetensorsError e);

struct TensorToWrite {
  std::string name;
  std::vector<int64_t> shape;
  const float* data = nullptr;  // product(shape) floats
};

// Encodes F32 tensors in the given order plus string metadata (may be empty).
std::vector<uint8_t> encode_safetensors(const std::vector<TensorToWrite>& tensors,
                                        const std::map<std::string, std::string>& metadata);

struct TensorEntry {
  std::string name, dtype;     // dtype as in the file: "F32", "F16", "I64", ...
  std::vector<int64_t> shape;
  size_t begin = 0, end = 0;   // byte range relative to the start of the tensor data
};

// A parsed file: entries point into the caller's buffer, which must outlive it.
struct SafetensorsView {
  std::map<std::string, std::string> metadata;
  std::vector<TensorEntry> tensors;  // in file (offset) order
  const uint8_t* data = nullptr;     // start of the tensor data
  size_t data_size = 0;
};

// The header's JSON may be at most this long (the format's own limit, 100 MB); tensor shapes
// at most 2^40 elements; offsets must lie inside the buffer. Checked before anything is used.
constexpr uint64_t kMaxSafetensorsHeaderBytes = 100000000;

SafetensorsStatus parse_safetensors(const uint8_t* bytes, size_t size, SafetensorsView& out);
const TensorEntry* find_tensor(const SafetensorsView& view, const std::string& name);
// Copies an F32 tensor whose shape is `shape` into out (product(shape) floats).
SafetensorsStatus read_f32_tensor(const SafetensorsView& view, const std::string& name,
                                  const std::vector<int64_t>& shape, float* out);

SafetensorsStatus read_file_bytes(const std::string& path, std::vector<uint8_t>& out);
SafetensorsStatus write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace ll
