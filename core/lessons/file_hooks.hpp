#pragma once
// How a lesson hands a file to the user and gets one back. The desktop can read and write
// paths itself; a browser page cannot, so its front end installs these hooks (a download of
// the bytes, a file picker). Lessons show Save/Load through the hooks only when they are set.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ll::ui {

// Offers bytes to the user under a suggested file name; returns "" or what went wrong.
using SaveBytesFn = std::function<std::string(const std::string& suggested_name, const std::vector<uint8_t>& bytes)>;
// Called with a chosen file's name and bytes, on the UI thread, possibly frames later.
using OpenedFileFn = std::function<void(const std::string& name, std::vector<uint8_t> bytes)>;
// Asks the user for a file (accept: e.g. ".safetensors") and calls on_open once one is read.
using OpenFileFn = std::function<void(const std::string& accept, OpenedFileFn on_open)>;

// Installs both hooks (empty functions remove them).
void set_file_hooks(SaveBytesFn save_bytes, OpenFileFn open_file);
bool file_hooks_set();
// "" or an error; "no file hook" when none is installed.
std::string save_bytes_with_hook(const std::string& suggested_name, const std::vector<uint8_t>& bytes);
// false when no hook is installed.
bool open_file_with_hook(const std::string& accept, OpenedFileFn on_open);

// Hands bytes to the user: a download through the hook when one is installed (the web),
// else a file of that name in the working directory (the desktop). Returns whether it went,
// and what happened in the interface language, for the lesson to show: "… offered as a
// download", "saved …" or "could not save …".
struct GivenFile {
  bool ok = false;
  std::string message;
};
GivenFile give_file_to_user(const std::string& name, const std::vector<uint8_t>& bytes);

}  // namespace ll::ui
