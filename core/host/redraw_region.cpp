#include "host/redraw_region.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "viz/content_hash.hpp"

namespace ll::host {

namespace {

using viz::hash_bytes;
using viz::hash_mix;

// The scissor box the OpenGL3 backend sets for a clip rect, with its very float arithmetic
// and truncations (imgui_impl_opengl3.cpp, RenderDrawData), so that a box computed here holds
// exactly the pixels the backend lets through.
PixelBox backend_scissor(ImVec2 off, ImVec2 scale, const ImVec4& clip, int fb_height) {
  const ImVec2 lo((clip.x - off.x) * scale.x, (clip.y - off.y) * scale.y);
  const ImVec2 hi((clip.z - off.x) * scale.x, (clip.w - off.y) * scale.y);
  if (hi.x <= lo.x || hi.y <= lo.y) return {};
  const int x = int(lo.x), y = int(float(fb_height) - hi.y);
  return {x, y, x + int(hi.x - lo.x), y + int(hi.y - lo.y)};
}

// Grows a box of display coordinates (x_lo, y_lo, x_hi, y_hi) over a vertex.
void grow(float (&b)[4], const ImVec2& p) {
  b[0] = std::min(b[0], p.x), b[1] = std::min(b[1], p.y);
  b[2] = std::max(b[2], p.x), b[3] = std::max(b[3], p.y);
}

// A box of display coordinates in framebuffer pixels, one pixel wider each way (rasterising
// and antialiasing stay inside it).
PixelBox pixels_of(const float (&b)[4], const FrameRecord& f) {
  if (b[2] < b[0]) return {};
  return {int(std::floor((b[0] - f.offset.x) * f.scale.x)) - 1,
          int(std::floor(float(f.height) - (b[3] - f.offset.y) * f.scale.y)) - 1,
          int(std::ceil((b[2] - f.offset.x) * f.scale.x)) + 1,
          int(std::ceil(float(f.height) - (b[1] - f.offset.y) * f.scale.y)) + 1};
}

bool uses_changed_texture(const CommandRecord& c, const std::vector<ImTextureID>& changed) {
  return std::find(changed.begin(), changed.end(), c.texture) != changed.end();
}

const ImDrawVert& corner(const FrameRecord& f, const CommandRecord& c, unsigned triangle, int k) {
  return f.vertices[c.vertex_base + f.indices[c.first_index + 3 * triangle + unsigned(k)]];
}

bool same_triangle(const FrameRecord& fa, const CommandRecord& a, unsigned ta, const FrameRecord& fb,
                   const CommandRecord& b, unsigned tb) {
  for (int k = 0; k < 3; ++k)
    if (std::memcmp(&corner(fa, a, ta, k), &corner(fb, b, tb, k), sizeof(ImDrawVert)) != 0) return false;
  return true;
}

// The pixels that differ between two versions of one command with the same texture and
// scissor. Triangles are drawn in order, so those of the common head and tail draw the
// same wherever the triangles in between do not reach.
PixelBox changed_triangles(const FrameRecord& fa, const CommandRecord& a, const FrameRecord& fb, const CommandRecord& b) {
  const unsigned na = a.index_count / 3, nb = b.index_count / 3;
  unsigned head = 0, tail = 0;
  while (head < na && head < nb && same_triangle(fa, a, head, fb, b, head)) ++head;
  while (tail < na - head && tail < nb - head && same_triangle(fa, a, na - 1 - tail, fb, b, nb - 1 - tail)) ++tail;
  float old_box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY}, new_box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (unsigned t = head; t < na - tail; ++t)
    for (int k = 0; k < 3; ++k) grow(old_box, corner(fa, a, t, k).pos);
  for (unsigned t = head; t < nb - tail; ++t)
    for (int k = 0; k < 3; ++k) grow(new_box, corner(fb, b, t, k).pos);
  return unite(intersect(pixels_of(old_box, fa), a.box), intersect(pixels_of(new_box, fb), b.box));
}

}  // namespace

PixelBox intersect(const PixelBox& a, const PixelBox& b) {
  const PixelBox r{std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
  return r.empty() ? PixelBox{} : r;
}

PixelBox unite(const PixelBox& a, const PixelBox& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

void record_commands(const ImDrawData& d, int fb_width, int fb_height, FrameRecord& out) {
  out.width = fb_width, out.height = fb_height;
  out.offset = d.DisplayPos, out.scale = d.FramebufferScale;
  out.commands.clear();
  out.vertices.clear();
  out.indices.clear();
  const PixelBox screen{0, 0, fb_width, fb_height};
  unsigned vertex_base = 0, index_base = 0;
  for (int l = 0; l < d.CmdListsCount; ++l) {
    const ImDrawList& list = *d.CmdLists[l];
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      CommandRecord r;
      r.texture = cmd.TextureId;
      r.first_index = index_base + cmd.IdxOffset;
      r.index_count = cmd.ElemCount;
      r.vertex_base = vertex_base + cmd.VtxOffset;
      if (cmd.UserCallback) {  // it may draw anything: a change to it redraws everything
        r.callback = true;
        r.hash = hash_mix(0x63616c6c, uint64_t(reinterpret_cast<uintptr_t>(cmd.UserCallback)));
        r.scissor = r.box = screen;
        out.commands.push_back(r);
        continue;
      }
      r.scissor = intersect(backend_scissor(out.offset, out.scale, cmd.ClipRect, fb_height), screen);
      uint64_t h = hash_mix(0x636d64, uint64_t(reinterpret_cast<uintptr_t>(cmd.TextureId)));
      h = hash_bytes(h, &r.scissor, sizeof r.scissor);
      h = hash_mix(h, cmd.ElemCount);
      const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
      unsigned lowest = ~0u, highest = 0;
      for (unsigned e = 0; e < cmd.ElemCount; ++e) {
        lowest = std::min(lowest, unsigned(idx[e]));
        highest = std::max(highest, unsigned(idx[e]));
      }
      if (cmd.ElemCount == 0 || r.scissor.empty()) {  // draws nothing
        r.hash = h;
        out.commands.push_back(r);
        continue;
      }
      // Indices relative to the command's lowest vertex: the same shapes drawn after more
      // vertices in the list hash the same.
      for (unsigned e = 0; e < cmd.ElemCount; ++e) h = hash_mix(h, idx[e] - lowest);
      const ImDrawVert* v = list.VtxBuffer.Data + cmd.VtxOffset + lowest;
      const unsigned count = highest - lowest + 1;
      r.hash = hash_bytes(h, v, size_t(count) * sizeof(ImDrawVert));
      float bounds[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
      for (unsigned i = 0; i < count; ++i) grow(bounds, v[i].pos);
      r.box = intersect(r.scissor, pixels_of(bounds, out));
      out.commands.push_back(r);
    }
    vertex_base += unsigned(list.VtxBuffer.Size);
    index_base += unsigned(list.IdxBuffer.Size);
  }
}

void copy_geometry(const ImDrawData& d, FrameRecord& out) {
  out.vertices.clear();
  out.indices.clear();
  for (int l = 0; l < d.CmdListsCount; ++l) {
    const ImDrawList& list = *d.CmdLists[l];
    out.vertices.insert(out.vertices.end(), list.VtxBuffer.begin(), list.VtxBuffer.end());
    out.indices.insert(out.indices.end(), list.IdxBuffer.begin(), list.IdxBuffer.end());
  }
}

bool same_picture(const FrameRecord& before, const FrameRecord& after, const std::vector<ImTextureID>& changed_textures) {
  if (before.width != after.width || before.height != after.height || before.commands.size() != after.commands.size())
    return false;
  for (size_t i = 0; i < after.commands.size(); ++i) {
    const CommandRecord &a = before.commands[i], &b = after.commands[i];
    if (a.hash != b.hash || !(a.box == b.box) || (!b.box.empty() && uses_changed_texture(b, changed_textures)))
      return false;
  }
  return true;
}

PixelBox damaged_region(const FrameRecord& before, const FrameRecord& after,
                        const std::vector<ImTextureID>& changed_textures) {
  // Command i of one frame against command i of the other: if the commands covering a pixel
  // differ between the frames, one of them differs from its counterpart at its position,
  // and the pixels where those two differ join the region.
  PixelBox region;
  const size_t n = std::max(before.commands.size(), after.commands.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= before.commands.size()) {
      region = unite(region, after.commands[i].box);
      continue;
    }
    if (i >= after.commands.size()) {
      region = unite(region, before.commands[i].box);
      continue;
    }
    const CommandRecord &a = before.commands[i], &b = after.commands[i];
    const bool texture_changed = uses_changed_texture(b, changed_textures);
    if (a.hash == b.hash && a.box == b.box && !texture_changed) continue;
    if (!a.callback && !b.callback && !texture_changed && a.texture == b.texture && a.scissor == b.scissor)
      region = unite(region, changed_triangles(before, a, after, b));
    else
      region = unite(region, unite(a.box, b.box));
  }
  return region;
}

void clip_draw_data(ImDrawData& d, const PixelBox& region, int fb_height) {
  const ImVec2 off = d.DisplayPos, scale = d.FramebufferScale;
  for (int l = 0; l < d.CmdListsCount; ++l) {
    for (ImDrawCmd& cmd : d.CmdLists[l]->CmdBuffer) {
      if (cmd.UserCallback) continue;
      const PixelBox box = intersect(backend_scissor(off, scale, cmd.ClipRect, fb_height), region);
      if (box.empty()) {
        cmd.ClipRect = ImVec4(off.x, off.y, off.x, off.y);
        continue;
      }
      // Edges chosen so that the backend's truncations land on the box's integers with a
      // quarter pixel to spare for the round trip through the framebuffer scale:
      // x = int(x0 + ¼), width = int(x1 − x0 + ¼), y = int(y0 + ¼), height = int(y1 − y0 + ¼).
      const float bottom = float(fb_height - box.y0) - 0.25f;  // from the top, as clip rects count
      const float top = bottom - float(box.y1 - box.y0) - 0.25f;
      cmd.ClipRect = ImVec4((float(box.x0) + 0.25f) / scale.x + off.x, top / scale.y + off.y,
                            (float(box.x1) + 0.5f) / scale.x + off.x, bottom / scale.y + off.y);
    }
  }
}

}  // namespace ll::host
