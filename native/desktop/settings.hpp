#pragma once
// The desktop app's remembered choices: a small JSON file,
// $XDG_CONFIG_HOME/latentlab/settings.json (else ~/.config/latentlab/settings.json).
#include <string>

namespace ll::desktop {

struct Settings {
  std::string lang;  // empty: none chosen yet, the locale decides
};

std::string settings_path();
// A missing file gives defaults; an unreadable or malformed one gives defaults and a message
// in `warning` (the next save replaces it).
Settings load_settings(const std::string& path, std::string& warning);
// Creates the folder as needed; false with `error` set when the file cannot be written.
bool save_settings(const std::string& path, const Settings& settings, std::string& error);
// The language the environment asks for: LC_ALL, then LC_MESSAGES, then LANG ("zh_CN.UTF-8" gives "zh").
std::string locale_language();

}  // namespace ll::desktop
