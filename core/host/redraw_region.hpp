#pragma once
// Which part of the canvas a frame changes. The web canvas keeps its pixels between frames
// (preserveDrawingBuffer), so a frame that changes a progress bar need only redraw the
// bar's box: under software WebGL every whole 1280×800 frame costs about 40 ms of CPU that
// training threads want. Plain ImGui data, no GL: the unit tests drive it headless.
#include <cstdint>
#include <vector>

#include "imgui.h"

namespace ll::host {

// Framebuffer pixels: columns [x0, x1), rows [y0, y1) counted from the bottom, as glScissor
// counts them.
struct PixelBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  long area() const { return empty() ? 0 : long(x1 - x0) * long(y1 - y0); }
  bool operator==(const PixelBox& o) const { return x0 == o.x0 && y0 == o.y0 && x1 == o.x1 && y1 == o.y1; }
};

PixelBox intersect(const PixelBox& a, const PixelBox& b);
PixelBox unite(const PixelBox& a, const PixelBox& b);

// One draw command: a fingerprint of what it draws, the pixels it can touch, and where its
// triangles are in FrameRecord's copy of the geometry.
struct CommandRecord {
  uint64_t hash = 0;
  PixelBox scissor;  // as the OpenGL3 backend sets it, within the framebuffer
  PixelBox box;      // scissor ∩ the bounding box of its vertices
  ImTextureID texture = nullptr;
  bool callback = false;
  unsigned first_index = 0, index_count = 0;  // into FrameRecord::indices
  unsigned vertex_base = 0;                   // added to those indices, into FrameRecord::vertices
};

// A frame's commands in drawing order for a framebuffer of width × height, and, once
// copy_geometry has run, its vertices and indices.
struct FrameRecord {
  int width = 0, height = 0;
  ImVec2 offset, scale;  // ImDrawData's DisplayPos and FramebufferScale
  std::vector<CommandRecord> commands;
  std::vector<ImDrawVert> vertices;  // every list's vertices, one list after another
  std::vector<ImDrawIdx> indices;
};

void record_commands(const ImDrawData& d, int fb_width, int fb_height, FrameRecord& out);
void copy_geometry(const ImDrawData& d, FrameRecord& out);

// Disjoint boxes, at most max_boxes, holding every pixel that differs between two recorded
// frames of the same size (geometry copied), given the textures whose pixels changed in
// between. Changes far apart get their own boxes (a progress bar at the top and a list at
// the bottom redraw two strips, not everything between them); boxes that overlap, or whose
// union adds only a few pixels, merge. Empty when nothing on the canvas changed.
std::vector<PixelBox> damaged_boxes(const FrameRecord& before, const FrameRecord& after,
                                    const std::vector<ImTextureID>& changed_textures, int max_boxes);

// True when the two frames' commands are the same and no texture they use changed: the
// canvas already shows `after`. Needs no geometry.
bool same_picture(const FrameRecord& before, const FrameRecord& after, const std::vector<ImTextureID>& changed_textures);

// Restricts drawing to the disjoint `regions`: every command becomes one copy per region it
// reaches, its clip rect narrowed so that the OpenGL3 backend's scissor box is exactly its
// pixels ∩ that region; commands that reach none are dropped. One upload of the geometry and
// one pass draw them all, in the original order within each region.
void clip_draw_data(ImDrawData& d, const std::vector<PixelBox>& regions, int fb_height);

}  // namespace ll::host
