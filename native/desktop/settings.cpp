#include "settings.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "lessons/i18n.hpp"

namespace ll::desktop {

std::string settings_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  const std::string base = xdg && *xdg ? xdg : std::string(home && *home ? home : ".") + "/.config";
  return base + "/latentlab/settings.json";
}

Settings load_settings(const std::string& path, std::string& warning) {
  Settings settings;
  std::ifstream in(path, std::ios::binary);
  if (!in) return settings;  // none yet
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (!j.is_object()) {
    warning = path + " is not a settings file (malformed JSON); ignoring it, it will be replaced";
    return settings;
  }
  if (j.contains("lang")) {
    bool known = false;
    for (const ui::Language& l : ui::languages()) known |= j["lang"].is_string() && j["lang"] == l.code;
    if (known) settings.lang = j["lang"].get<std::string>();
    else warning = path + ": \"lang\" must be one of " + ui::language_codes() + "; ignoring it, it will be replaced";
  }
  return settings;
}

bool save_settings(const std::string& path, const Settings& settings, std::string& error) {
  // mkdir -p of the file's folder.
  for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    const std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      error = "cannot create " + dir + ": " + std::strerror(errno);
      return false;
    }
  }
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    nlohmann::json j = nlohmann::json::object();
    if (!settings.lang.empty()) j["lang"] = settings.lang;
    out << j.dump(2) << "\n";
    if (!out) {
      error = "cannot write " + temp;
      return false;
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    error = "cannot replace " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

std::string locale_language() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value && *value) return ui::language_for_locale(value);
  }
  return "en";
}

}  // namespace ll::desktop
