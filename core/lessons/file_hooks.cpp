#include "lessons/file_hooks.hpp"
#include "lessons/i18n.hpp"

#include <cstdio>
#include <utility>

namespace ll::ui {

namespace {

SaveBytesFn& save_hook() {
  static SaveBytesFn hook;
  return hook;
}

OpenFileFn& open_hook() {
  static OpenFileFn hook;
  return hook;
}

}  // namespace

void set_file_hooks(SaveBytesFn save_bytes, OpenFileFn open_file) {
  save_hook() = std::move(save_bytes);
  open_hook() = std::move(open_file);
}

bool file_hooks_set() { return bool(save_hook()) && bool(open_hook()); }

std::string save_bytes_with_hook(const std::string& suggested_name, const std::vector<uint8_t>& bytes) {
  if (!save_hook()) return "no file hook";
  return save_hook()(suggested_name, bytes);
}

bool open_file_with_hook(const std::string& accept, OpenedFileFn on_open) {
  if (!open_hook()) return false;
  open_hook()(accept, std::move(on_open));
  return true;
}

GivenFile give_file_to_user(const std::string& name, const std::vector<uint8_t>& bytes) {
  if (save_hook()) {
    const std::string error = save_hook()(name, bytes);
    if (!error.empty()) return {false, trf("common.save_failed_because", name.c_str(), error.c_str())};
    return {true, trf("common.offered_download", name.c_str())};
  }
  std::FILE* f = std::fopen(name.c_str(), "wb");
  bool ok = f && std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (f && std::fclose(f) != 0) ok = false;
  if (!ok) return {false, trf("common.save_failed", name.c_str())};
  return {true, trf("common.saved_in_working_dir", name.c_str())};
}

}  // namespace ll::ui
