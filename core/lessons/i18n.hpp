#pragma once
// The string catalogue: every user-visible string of the app, one JSON catalogue per
// language in core/lessons/i18n/<language>/*.json, compiled in. Code names strings by key
// ("gd.learning_rate"), never by their text:
//   ImGui::TextUnformatted(tr("gd.intro"));                 // text
//   ImGui::SliderFloat(trl("gd.learning_rate"), &lr, ...);  // a widget label whose ImGui ID
//                                                           // stays the same in every language
//   status = trf("gd.step_status", step, loss);             // printf-style, format from the catalogue
// Keys are written as literals in the code, so the build can list them (the tests fail on
// an entry no code names).
#include <string>
#include <vector>

namespace ll::ui {

struct Language {
  const char* code;  // "en", "zh": the `lang` command, #lang=, --lang
  const char* name;  // in its own language, for the menu
};
const std::vector<Language>& languages();
// "en, zh": for messages that refuse an unknown language.
std::string language_codes();

// Switches every string at once; false (and nothing changes) for an unknown code.
bool set_language(const std::string& code);
const char* language();
// "zh" for "zh", "zh-CN", "zh_TW.UTF-8"…, else "en": how a browser's or a locale's language
// maps onto the catalogue.
const char* language_for_locale(const std::string& locale);

// The text of `key` in the current language. A key missing from the current language falls
// back to English, then to the key itself (never a crash: the tests catch both).
const char* tr(const char* key);
// "text###key": the text shown, the ImGui ID from the key alone.
const char* trl(const char* key);
// The entry formatted printf-style; the catalogue's tests check that both languages take the
// same arguments in the same order.
std::string trf(const char* key, ...);

// For the tests: the keys of all languages, an entry's text (nullptr when missing), the keys
// the code names, and the keys looked up since start that no catalogue has.
std::vector<std::string> catalogue_keys();
const char* catalogue_text(const char* language_code, const std::string& key);
std::vector<std::string> keys_named_in_code();
std::vector<std::string> unknown_keys_looked_up();
// The printf conversions of a format, in order ("%d of %.2f%%" gives "d f"): what must agree
// between languages.
std::string format_signature(const std::string& format);

}  // namespace ll::ui
