#pragma once
// The UI font: DejaVu Sans for Latin, Greek and mathematical symbols, merged with a
// subset of Noto Sans CJK SC for Chinese. The atlas holds only the CJK glyphs in use and
// grows when text brings new ones (typed, pasted, loaded), rebuilt between frames; a code
// point no font has draws as a box and is counted.
#include <cstddef>
#include <string_view>

#include "imgui.h"

namespace ll::ui {

// Text that may be drawn from now on (a catalogue, a vocabulary, typed or pasted text).
// Cheap for ASCII; safe from any thread.
void use_glyphs(std::string_view utf8);
void use_glyphs(const ImWchar* chars, int count);
// New code points since the last build: the app rebuilds the atlas before the next frame.
bool glyphs_pending();
// Builds the atlas at kBaseFontPixels × font_scale with every code point asked for so far.
void build_font_atlas(float font_scale);

// The last frame drew `count` boxes for code points no font has (App::frame calls it with
// the previous frame's draw data).
void count_missing_glyph_boxes(const ImDrawData* draw_data);

struct GlyphStats {
  int glyphs = 0;                 // in the atlas
  int atlas_width = 0, atlas_height = 0;
  size_t atlas_bytes = 0;         // the RGBA texture the host uploads
  int missing = 0;                // code points asked for that no font has
  int most_boxes_in_a_frame = 0;  // boxes (missing glyphs) drawn in one frame since start
  double last_build_ms = 0;
};
GlyphStats glyph_stats();
// For the tests: forgets the code points no font has and the boxes drawn so far.
void forget_missing_glyphs();

}  // namespace ll::ui
