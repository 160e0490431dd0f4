// The string catalogue and the Chinese interface: every entry in both languages with the same
// placeholders, every entry named by the code, and every lesson drawn in 中文 with no English
// prose left, no glyph missing and nothing cut, at font scales 1 and 2.5.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "headless_imgui.hpp"
#include "imgui_internal.h"
#include "lessons/fonts.hpp"
#include "lessons/i18n.hpp"
#include "lessons/layout_check.hpp"

namespace {

// Lower-cased ASCII words of three letters or more.
std::set<std::string> ascii_words(const std::string& text) {
  std::set<std::string> words;
  std::string w;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (std::isalpha((unsigned char)c)) {
      w += char(std::tolower((unsigned char)c));
    } else {
      if (w.size() >= 3) words.insert(w);
      w.clear();
    }
  }
  return words;
}

bool has_cjk(const std::string& text) {
  // UTF-8 lead bytes E3–E9 start U+3000–U+9FFF (CJK punctuation, kana, hanzi); EF BC/BD full-width forms.
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = (unsigned char)text[i];
    if (c >= 0xE3 && c <= 0xE9) return true;
    if (c == 0xEF && i + 1 < text.size() && ((unsigned char)text[i + 1] == 0xBC || (unsigned char)text[i + 1] == 0xBD)) return true;
  }
  return false;
}

// Words of the English interface that the Chinese one does not also use: drawn in 中文, they
// are a string that bypassed the catalogue.
std::set<std::string> english_only_words() {
  std::set<std::string> en, zh;
  for (const std::string& key : ll::ui::catalogue_keys()) {
    if (const char* t = ll::ui::catalogue_text("en", key)) for (auto& w : ascii_words(t)) en.insert(w);
    if (const char* t = ll::ui::catalogue_text("zh", key)) for (auto& w : ascii_words(t)) zh.insert(w);
  }
  std::set<std::string> only;
  std::set_difference(en.begin(), en.end(), zh.begin(), zh.end(), std::inserter(only, only.end()));
  return only;
}

// Text a lesson shows as data, the same in every interface language: its example sentences
// and corpus words, the names of files.
const std::map<std::string, std::set<std::string>> kDataWords = {
    {"welcome", {}},
    {"gradient-descent", {}},
    {"svd", {}},
    {"autoencoder", {}},
    {"vae", {}},
    {"one-hot-vs-distributed", {"and", "are", "ball", "beach", "bed", "bones", "booked", "bus", "cat", "chased", "city", "clean", "clerk", "coast", "costs", "desk", "dog", "fish", "for", "friendly", "friends", "garden", "gave", "had", "harbour", "has", "highway", "hotel", "key", "last", "left", "likes", "loud", "meat", "milk", "more", "morning", "motel", "mouse", "museum", "near", "night", "nights", "noon", "old", "one", "park", "quiet", "room", "rug", "slept", "station", "stayed", "summer", "than", "the", "tired", "took", "train", "two", "warm", "was"}},
    {"cooccurrence", {"deep", "enjoy", "flying", "learning", "like", "nlp"}},
    {"language-model", {"and", "eggs", "green", "ham", "like", "not", "sam"}},
    {"skip-gram-pairs", {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog"}},
    {"word2vec", {}},
    {"bayes", {}},
    {"mle-kl", {}},
    {"gmm", {}},
    {"flow", {}},
    {"overview", {}},
    {"gan", {}},
    {"diffusion", {}},
};

// Tests share the process's interface language: each leaves it English.
struct EnglishAfterwards {
  ~EnglishAfterwards() { ll::ui::set_language("en"); }
};


}  // namespace

TEST_CASE("catalogue: every entry in every language, with the same placeholders", "[i18n]") {
  const auto keys = ll::ui::catalogue_keys();
  REQUIRE(keys.size() > 10);
  for (const std::string& key : keys) {
    INFO(key);
    for (const auto& lang : ll::ui::languages()) {
      const char* text = ll::ui::catalogue_text(lang.code, key);
      INFO(lang.code);
      REQUIRE(text != nullptr);
      CHECK(std::string(text).size() > 0);
    }
    const std::string en = ll::ui::catalogue_text("en", key), zh = ll::ui::catalogue_text("zh", key);
    INFO("en: " << en << "\nzh: " << zh);
    CHECK(ll::ui::format_signature(en) == ll::ui::format_signature(zh));
  }
}

TEST_CASE("catalogue: every entry is named by the code", "[i18n]") {
  const auto named = ll::ui::keys_named_in_code();
  const std::set<std::string> named_set(named.begin(), named.end());
  for (const std::string& key : ll::ui::catalogue_keys()) {
    INFO(key << " is in the catalogue but no code names it");
    CHECK(named_set.count(key) == 1);
  }
}

TEST_CASE("catalogue: formats and lookups", "[i18n]") {
  CHECK(ll::ui::format_signature("%d of %.2f%% (%s)") == "d f s");
  CHECK(ll::ui::format_signature("%ld steps, %zu words, %5.1e") == "ld zu e");
  CHECK(ll::ui::format_signature("100%% sure") == "");
  CHECK(std::string(ll::ui::language_for_locale("zh_CN.UTF-8")) == "zh");
  CHECK(std::string(ll::ui::language_for_locale("zh-TW")) == "zh");
  CHECK(std::string(ll::ui::language_for_locale("zh")) == "zh");
  CHECK(std::string(ll::ui::language_for_locale("en_US.UTF-8")) == "en");
  CHECK(std::string(ll::ui::language_for_locale("zu")) == "en");
  CHECK(std::string(ll::ui::language_for_locale("")) == "en");
  EnglishAfterwards english;
  REQUIRE(ll::ui::set_language("zh"));
  CHECK(std::string(ll::ui::tr("app.view_menu")) == "视图");
  CHECK(std::string(ll::ui::trl("app.view_menu")) == "视图###app.view_menu");
  CHECK(ll::ui::trf("app.status_threads", 60.0, "mt", 2) == "60 fps  mt，2 个线程");
  CHECK_FALSE(ll::ui::set_language("fr"));
  CHECK(std::string(ll::ui::language()) == "zh");
  REQUIRE(ll::ui::set_language("en"));
  CHECK(std::string(ll::ui::tr("app.view_menu")) == "View");
  // A key no catalogue has shows itself, and is reported.
  CHECK(std::string(ll::ui::tr("test.no_such_key")) == "test.no_such_key");
  const auto unknown = ll::ui::unknown_keys_looked_up();
  CHECK(std::find(unknown.begin(), unknown.end(), "test.no_such_key") != unknown.end());
}

TEST_CASE("app: lang switches every string at once and keeps the lessons' state", "[i18n][app]") {
  EnglishAfterwards english;
  HeadlessImGui ui(ImVec2(1280, 720));
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  std::string changed_to;
  app.on_language_changed = [&](const std::string& code) { changed_to = code; };
  REQUIRE(app.open("gradient-descent"));
  REQUIRE(app.command("train start").ok);
  ui.frames(app, 3);
  const auto before = app.state();
  CHECK(before["lang"] == "en");
  const auto refused = app.command("lang fr");
  CHECK_FALSE(refused.ok);
  CHECK(refused.message.find("en, zh") != std::string::npos);
  REQUIRE(app.command("lang zh").ok);
  CHECK(changed_to == "zh");
  ui.frames(app, 3);
  const auto after = app.state();
  CHECK(after["lang"] == "zh");
  CHECK(after["active"] == "gradient-descent");
  CHECK(after["training"]["gradient-descent"]["running"] == true);
  CHECK(after["training"]["gradient-descent"]["step"].get<long>() > before["training"]["gradient-descent"]["step"].get<long>());
  CHECK(after["missing_glyphs"] == 0);
  // Every character of the Chinese catalogue is in the atlas now (earlier tests in this
  // process may have brought many of them already, so the atlas need not have grown).
  ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
  int absent = 0;
  for (const std::string& key : ll::ui::catalogue_keys()) {
    const char* text = ll::ui::tr(key.c_str());
    std::vector<ImWchar> wide(std::strlen(text) + 1);
    ImTextStrFromUtf8(wide.data(), int(wide.size()), text, nullptr);
    for (const ImWchar* c = wide.data(); *c; ++c)
      if (*c >= 0x80 && !font->FindGlyphNoFallback(*c)) ++absent;
  }
  CHECK(absent == 0);
  REQUIRE(app.command("lang en").ok);
}

TEST_CASE("fonts: typed Chinese gets its glyphs before it is drawn; a character no font has is a box, counted", "[i18n]") {
  HeadlessImGui ui(ImVec2(1280, 720));
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  ui.frames(app, 2);
  const int glyphs_before = app.state()["glyphs"]["in_atlas"];
  ImGui::GetIO().AddInputCharactersUTF8("鑫");  // typed: asked for before the frame that shows it
  ui.frames(app, 1);
  CHECK(app.state()["glyphs"]["in_atlas"].get<int>() == glyphs_before + 1);
  CHECK(app.state()["missing_glyphs"] == 0);
  // U+A000 (Yi) is in no font the app ships: asked for, it is counted and drawn as a box.
  ll::ui::use_glyphs("\xEA\x80\x80");
  ui.frames(app, 1);
  CHECK(app.state()["glyphs"]["no_font_has"] == 1);
  CHECK(app.state()["missing_glyphs"] == 1);
  ll::ui::forget_missing_glyphs();
  CHECK(app.state()["missing_glyphs"] == 0);
}

TEST_CASE("layout check: a cut Chinese text is reported whole characters at a time", "[i18n][layout]") {
  EnglishAfterwards english;
  HeadlessImGui ui(ImVec2(600, 300));
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  REQUIRE(app.command("lang zh").ok);
  ui.frames(app, 1);
  ll::ui::use_glyphs("梯度下降沿着负梯度方向一步一步地走到损失函数的最小值附近，每一步的大小由学习率决定");
  ui.frames(app, 1);  // the atlas gets the glyphs
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(391, 100));  // more than 60 bytes of it visible
  ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoDecoration);
  ImGui::TextUnformatted("1 梯度下降沿着负梯度方向一步一步地走到损失函数的最小值附近，每一步的大小由学习率决定");  // byte 60 inside a character
  ImGui::End();
  ImGui::Render();
  const ll::ui::LayoutReport r = ll::ui::check_layout();
  REQUIRE(r.cut_text == 1);
  REQUIRE(!r.problems.empty());
  CHECK(r.problems[0].find("cut: '1 梯度下降") == 0);
  CHECK_NOTHROW(r.to_json().dump());  // valid UTF-8: no character cut in half
}

// One section per lesson: `latentlab_tests "i18n: every lesson*" -c <lesson-id>` checks one.
TEST_CASE("i18n: every lesson in 中文 draws no English prose, misses no glyph and fits every room", "[i18n][lessons]") {
  EnglishAfterwards english;
  HeadlessImGui ui;
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  REQUIRE(app.command("lang zh").ok);
  const auto unknown_before = ll::ui::unknown_keys_looked_up();
  const std::set<std::string> english_words = english_only_words();
  const auto lessons = app.state()["lessons"];
  for (const auto& lesson : lessons) {
    const std::string id = lesson["id"];
    DYNAMIC_SECTION(id) {
      REQUIRE(app.open(id));
      CHECK(has_cjk(lesson["title"].get<std::string>()));
      CHECK(has_cjk(lesson["group"].get<std::string>()));
      std::vector<std::string> views{""};
      for (const auto& [lesson_id, command] : kLessonViewCommands)
        if (id == lesson_id) views.push_back(command);
      const auto data = kDataWords.find(id);
      for (const std::string& view : views) {
        for (const LayoutRoom& room : kLayoutRooms) {
          if (!view.empty()) REQUIRE(app.command(view).ok);
          ImGui::GetIO().DisplaySize = ImVec2(room.width, room.height);
          REQUIRE(app.command("font " + std::to_string(room.font)).ok);
          REQUIRE(app.command(room.presenter ? "presenter on" : "presenter off").ok);
          ui.frames(app, 3);
          const ll::ui::LayoutReport r = ll::ui::check_layout();
          INFO(id << (view.empty() ? "" : " (" + view + ")") << " at " << room.name);
          CHECK(r.clean());
          for (const std::string& p : r.problems) UNSCOPED_INFO(p);
          for (const std::string& run : r.runs) {
            if (has_cjk(run)) continue;
            for (const std::string& w : ascii_words(run)) {
              if (!english_words.count(w) || (data != kDataWords.end() && data->second.count(w))) continue;
              INFO("English drawn in 中文: '" << run << "' (the word '" << w << "')");
              CHECK(false);
              break;
            }
          }
        }
      }
      const auto state = app.state();
      CHECK(state["missing_glyphs"] == 0);
      const auto unknown = ll::ui::unknown_keys_looked_up();
      for (const std::string& key : unknown) UNSCOPED_INFO("looked up, in no catalogue: " << key);
      CHECK(unknown == unknown_before);
    }
  }
}

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "settings.hpp"

TEST_CASE("desktop settings: the language is remembered; a bad file is reported and replaced", "[i18n]") {
  const std::string dir = "latentlab-settings-test";
  const std::string path = dir + "/sub/settings.json";
  std::remove(path.c_str());
  std::string warning, error;
  CHECK(ll::desktop::load_settings(path, warning).lang.empty());  // none yet: the locale decides
  CHECK(warning.empty());
  REQUIRE(ll::desktop::save_settings(path, {"zh"}, error));
  CHECK(ll::desktop::load_settings(path, warning).lang == "zh");
  CHECK(warning.empty());
  for (const char* bad : {"{not json", "[1, 2]", "{\"lang\": \"fr\"}", "{\"lang\": 3}"}) {
    std::ofstream(path, std::ios::trunc) << bad;
    warning.clear();
    INFO(bad);
    CHECK(ll::desktop::load_settings(path, warning).lang.empty());
    CHECK(warning.find(path) == 0);
    CHECK(warning.find("replaced") != std::string::npos);
    REQUIRE(ll::desktop::save_settings(path, {}, error));  // what the app does at once
    warning.clear();
    CHECK(ll::desktop::load_settings(path, warning).lang.empty());
    CHECK(warning.empty());
  }
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) unsetenv(var);
  setenv("LANG", "zh_CN.UTF-8", 1);
  CHECK(ll::desktop::locale_language() == "zh");
  setenv("LC_ALL", "en_US.UTF-8", 1);  // LC_ALL wins over LANG
  CHECK(ll::desktop::locale_language() == "en");
  unsetenv("LC_ALL");
  unsetenv("LANG");
  CHECK(ll::desktop::locale_language() == "en");
  std::remove(path.c_str());
}
