// The app's command parser: what the page's JS hook (latentlab.command) and the desktop's
// --command pass on, one command a line, with the lessons' own commands. Commands that read
// or write files by path (save, load, PNG) are skipped: the fuzzer must not touch the disk.
#include "fuzz_common.hpp"
#include "imgui.h"
#include "lessons/app.hpp"

#include <memory>
#include <string>

namespace {

ll::ui::App& app() {
  static ll::ui::App* a = [] {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.DeltaTime = 1.0f / 60;
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    return new ll::ui::App({"native", 1}, ll::ui::make_lessons());
  }();
  return *a;
}

bool touches_files(const std::string& line) {
  for (const char* word : {"save", "load", "png", "upload"})
    if (line.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  ll::ui::App& a = app();
  const std::string input(reinterpret_cast<const char*>(data), size);
  size_t pos = 0;
  while (pos <= input.size()) {
    size_t end = input.find('\n', pos);
    if (end == std::string::npos) end = input.size();
    const std::string line = input.substr(pos, end - pos);
    pos = end + 1;
    if (touches_files(line)) continue;
    const ll::ui::CommandResult r = a.command(line);
    FUZZ_REQUIRE(r.ok || !r.message.empty(), "a refused command needs a message");
  }
  a.state().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  a.command("train stop");
  return 0;
}
