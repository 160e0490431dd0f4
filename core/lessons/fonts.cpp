#include "lessons/fonts.hpp"

#include <algorithm>
#include <bitset>
#include <chrono>
#include <cmath>
#include <mutex>
#include <vector>

#include "imgui_internal.h"

extern const unsigned char ll_font_dejavu_sans[];
extern const std::size_t ll_font_dejavu_sans_size;
extern const unsigned char ll_font_noto_sans_sc[];
extern const std::size_t ll_font_noto_sans_sc_size;

namespace ll::ui {

constexpr float kBaseFontPixels = 17.0f;
// Drawn for a code point no font has: a box, at a private-use code point of its own so the
// draw data tells it from any real character.
constexpr ImWchar kMissingGlyphBox = 0xE000;

namespace {

// Latin, Greek (with ᾱ from Greek Extended), sub/superscripts, arrows and math operators:
// enough for θ ← θ − α∇J(θ). Always in the atlas.
const ImWchar kBaseRanges[] = {0x0020, 0x00FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x1D00, 0x1DBF, 0x1F00, 0x1FFF, 0x2000, 0x206F,
                               0x2070, 0x209F, 0x2100, 0x214F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};

bool in_base_ranges(unsigned c) {
  for (const ImWchar* r = kBaseRanges; r[0]; r += 2)
    if (c >= r[0] && c <= r[1]) return true;
  return false;
}

struct GlyphSet {
  std::mutex mutex;
  std::bitset<0x10000> asked;     // code points outside the base ranges asked for
  std::bitset<0x10000> in_atlas;  // of those, the ones the last build has
  bool pending = false;
  int beyond_bmp = 0;             // asked-for code points above U+FFFF (ImGui draws them as boxes)
  GlyphStats stats;
};

GlyphSet& glyph_set() {
  static GlyphSet set;
  return set;
}

void ask_locked(GlyphSet& set, unsigned c) {
  if (c >= 0x10000) {
    ++set.beyond_bmp;
    return;
  }
  if (c < 0x20 || in_base_ranges(c) || set.asked[c]) return;
  set.asked[c] = true;
  set.pending = true;
}

}  // namespace

void use_glyphs(std::string_view utf8) {
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return (unsigned char)c < 0x80; })) return;
  GlyphSet& set = glyph_set();
  std::lock_guard<std::mutex> lock(set.mutex);
  const char* p = utf8.data();
  const char* end = p + utf8.size();
  while (p < end) {
    unsigned c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) break;
    p += n;
    ask_locked(set, c);
  }
}

void use_glyphs(const ImWchar* chars, int count) {
  GlyphSet& set = glyph_set();
  std::lock_guard<std::mutex> lock(set.mutex);
  for (int i = 0; i < count; ++i) ask_locked(set, chars[i]);
}

bool glyphs_pending() {
  GlyphSet& set = glyph_set();
  std::lock_guard<std::mutex> lock(set.mutex);
  return set.pending;
}

void build_font_atlas(float font_scale) {
  const auto start = std::chrono::steady_clock::now();
  GlyphSet& set = glyph_set();
  std::vector<ImWchar> extra_ranges;
  {
    std::lock_guard<std::mutex> lock(set.mutex);
    for (unsigned c = 0; c < 0x10000; ++c) {
      if (!set.asked[c]) continue;
      if (!extra_ranges.empty() && extra_ranges.back() == c - 1) {
        extra_ranges.back() = ImWchar(c);
      } else {
        extra_ranges.push_back(ImWchar(c));
        extra_ranges.push_back(ImWchar(c));
      }
    }
    set.pending = false;
  }
  std::vector<ImWchar> latin_ranges(std::begin(kBaseRanges), std::end(kBaseRanges) - 1);
  latin_ranges.insert(latin_ranges.end(), extra_ranges.begin(), extra_ranges.end());
  latin_ranges.push_back(0);
  extra_ranges.push_back(0);

  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const float pixels = kBaseFontPixels * font_scale;
  ImFontConfig latin;
  latin.FontDataOwnedByAtlas = false;  // the bytes are static
  latin.OversampleH = 2;
  ImFont* font = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(ll_font_dejavu_sans), int(ll_font_dejavu_sans_size),
                                                pixels, &latin, latin_ranges.data());
  if (extra_ranges.size() > 1) {
    // Glyphs DejaVu already has stay DejaVu's; Chinese comes from Noto. Hanzi are dense
    // squares: no horizontal oversampling, half the atlas.
    // At the same pixel size hanzi look a size smaller than DejaVu's Latin: a little larger,
    // and lowered so that they sit on the line as Latin capitals do.
    ImFontConfig cjk;
    cjk.FontDataOwnedByAtlas = false;
    cjk.MergeMode = true;
    cjk.OversampleH = 1;
    cjk.GlyphOffset.y = std::round(pixels * 0.06f);
    io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(ll_font_noto_sans_sc), int(ll_font_noto_sans_sc_size),
                                   pixels * 1.12f, &cjk, extra_ranges.data());
  }
  const int box_w = int(pixels * 0.5f), box_h = int(pixels * 0.7f);
  const int box_rect = io.Fonts->AddCustomRectFontGlyph(font, kMissingGlyphBox, box_w + 2, box_h, float(box_w + 4),
                                                        ImVec2(1, std::floor(font->FontSize * 0.2f)));
  font->FallbackChar = kMissingGlyphBox;
  io.Fonts->Build();

  // The box: a one-pixel outline.
  unsigned char* alpha = nullptr;
  int tex_w = 0, tex_h = 0;
  io.Fonts->GetTexDataAsAlpha8(&alpha, &tex_w, &tex_h);
  if (const ImFontAtlasCustomRect* r = io.Fonts->GetCustomRectByIndex(box_rect)) {
    for (int y = 0; y < r->Height; ++y)
      for (int x = 0; x < r->Width; ++x) {
        const bool edge = x == 1 || x == r->Width - 1 || y == 0 || y == r->Height - 1;
        alpha[(r->Y + y) * tex_w + r->X + x] = edge && x >= 1 ? 0xFF : 0x00;
      }
  }

  std::lock_guard<std::mutex> lock(set.mutex);
  set.in_atlas.reset();
  int missing = 0;
  for (unsigned c = 0; c < 0x10000; ++c) {
    if (!set.asked[c]) continue;
    if (font->FindGlyphNoFallback(ImWchar(c))) set.in_atlas[c] = true;
    else ++missing;
  }
  set.stats.glyphs = font->Glyphs.Size;
  set.stats.atlas_width = tex_w;
  set.stats.atlas_height = tex_h;
  set.stats.atlas_bytes = size_t(tex_w) * size_t(tex_h) * 4;
  set.stats.missing = missing + set.beyond_bmp;
  set.stats.last_build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void count_missing_glyph_boxes(const ImDrawData* draw_data) {
  if (!draw_data || !draw_data->Valid || !ImGui::GetCurrentContext()) return;
  const ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  const ImFontGlyph* box = font ? font->FindGlyphNoFallback(kMissingGlyphBox) : nullptr;
  if (!box) return;
  int boxes = 0;
  for (int i = 0; i < draw_data->CmdListsCount; ++i) {
    const ImDrawList* list = draw_data->CmdLists[i];
    for (const ImDrawVert& v : list->VtxBuffer)
      if (v.uv.x == box->U0 && v.uv.y == box->V0) ++boxes;
  }
  GlyphSet& set = glyph_set();
  std::lock_guard<std::mutex> lock(set.mutex);
  set.stats.most_boxes_in_a_frame = std::max(set.stats.most_boxes_in_a_frame, boxes);
}

void forget_missing_glyphs() {
  GlyphSet& set = glyph_set();
  std::lock_guard<std::mutex> lock(set.mutex);
  set.asked &= set.in_atlas;
  set.beyond_bmp = 0;
  set.stats.missing = 0;
  set.stats.most_boxes_in_a_frame = 0;
}

GlyphStats glyph_stats() {
  GlyphSet& set = glyph_set();
  std::lock_guard<std::mutex> lock(set.mutex);
  return set.stats;
}

}  // namespace ll::ui
