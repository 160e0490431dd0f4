#include "host/redraw_region.hpp"

#include <algorithm>
#include <climits>
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

uint64_t triangle_hash(const FrameRecord& f, const CommandRecord& c, unsigned t) {
  uint64_t h = viz::kContentHashSeed;
  for (int k = 0; k < 3; ++k) h = hash_bytes(h, &corner(f, c, t, k), sizeof(ImDrawVert));
  return h;
}

// Merging two boxes into their union is worth it below this many extra pixels: each box
// costs a clear and a draw call per command that reaches it.
constexpr long kMergeSlackPixels = 4096;

bool overlap(const PixelBox& a, const PixelBox& b) { return !intersect(a, b).empty(); }

// Adds a box to disjoint boxes, then merges pairs (overlapping ones first, then the cheapest
// union) until they are disjoint, at most max_boxes, and no union is nearly free.
void add_box(std::vector<PixelBox>& boxes, const PixelBox& box, int max_boxes) {
  if (box.empty()) return;
  boxes.push_back(box);
  while (boxes.size() > 1) {
    size_t best_i = 0, best_j = 0;
    long best_cost = 0;
    bool found = false;
    for (size_t i = 0; i < boxes.size(); ++i)
      for (size_t j = i + 1; j < boxes.size(); ++j) {
        const long cost = overlap(boxes[i], boxes[j])
                              ? LONG_MIN
                              : unite(boxes[i], boxes[j]).area() - boxes[i].area() - boxes[j].area();
        if (!found || cost < best_cost) best_i = i, best_j = j, best_cost = cost, found = true;
      }
    if (int(boxes.size()) <= max_boxes && best_cost > kMergeSlackPixels) return;
    boxes[best_i] = unite(boxes[best_i], boxes[best_j]);
    boxes.erase(boxes.begin() + long(best_j));
  }
}

// The pixels that differ between two versions of one command with the same texture and
// scissor, found as patience diff finds changed lines: the common head and tail, then the
// triangles that occur exactly once on each side, in the same order, anchor the rest, and
// each stretch between anchors that differs adds the boxes of its old and new triangles.
// Triangles are drawn in order, so a pixel that no changed triangle reaches is drawn by the
// same triangles in the same order in both frames.
class TriangleDiff {
 public:
  TriangleDiff(const FrameRecord& fa, const CommandRecord& a, const FrameRecord& fb, const CommandRecord& b,
               std::vector<PixelBox>& boxes, int max_boxes)
      : fa_(fa), fb_(fb), a_(a), b_(b), boxes_(boxes), max_boxes_(max_boxes) {}

  void run() {
    unsigned a0 = 0, a1 = a_.index_count / 3, b0 = 0, b1 = b_.index_count / 3;
    trim(a0, a1, b0, b1);
    // Hashes of the middle only: a few changed lines rarely leave much of a command there.
    first_a_ = a0, first_b_ = b0;
    for (unsigned t = a0; t < a1; ++t) hash_a_.push_back(triangle_hash(fa_, a_, t));
    for (unsigned t = b0; t < b1; ++t) hash_b_.push_back(triangle_hash(fb_, b_, t));
    diff(a0, a1, b0, b1, 0);
  }

 private:
  static constexpr int kMaxDepth = 6;  // deeper stretches are redrawn whole

  bool same(unsigned i, unsigned j) const { return same_triangle(fa_, a_, i, fb_, b_, j); }
  void trim(unsigned& a0, unsigned& a1, unsigned& b0, unsigned& b1) const {
    while (a0 < a1 && b0 < b1 && same(a0, b0)) ++a0, ++b0;
    while (a0 < a1 && b0 < b1 && same(a1 - 1, b1 - 1)) --a1, --b1;
  }
  PixelBox triangles_box(const FrameRecord& f, const CommandRecord& c, unsigned t0, unsigned t1) const {
    float box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (unsigned t = t0; t < t1; ++t)
      for (int k = 0; k < 3; ++k) grow(box, corner(f, c, t, k).pos);
    return intersect(pixels_of(box, f), c.box);
  }

  void diff(unsigned a0, unsigned a1, unsigned b0, unsigned b1, int depth) {
    trim(a0, a1, b0, b1);
    if (a0 == a1 && b0 == b1) return;
    const std::vector<std::pair<unsigned, unsigned>> anchors =
        a0 < a1 && b0 < b1 && depth < kMaxDepth ? unique_anchors(a0, a1, b0, b1) : std::vector<std::pair<unsigned, unsigned>>{};
    if (anchors.empty()) {
      add_box(boxes_, triangles_box(fa_, a_, a0, a1), max_boxes_);
      add_box(boxes_, triangles_box(fb_, b_, b0, b1), max_boxes_);
      return;
    }
    for (const auto& [i, j] : anchors) {
      diff(a0, i, b0, j, depth + 1);
      a0 = i + 1, b0 = j + 1;
    }
    diff(a0, a1, b0, b1, depth + 1);
  }

  // Pairs (i, j) of equal triangles that occur once in [a0, a1) and once in [b0, b1): the
  // longest chain of them increasing on both sides.
  std::vector<std::pair<unsigned, unsigned>> unique_anchors(unsigned a0, unsigned a1, unsigned b0, unsigned b1) const {
    auto unique_sorted = [](const std::vector<uint64_t>& hashes, unsigned first, unsigned t0, unsigned t1) {
      std::vector<std::pair<uint64_t, unsigned>> v;
      for (unsigned t = t0; t < t1; ++t) v.emplace_back(hashes[t - first], t);
      std::sort(v.begin(), v.end());
      std::vector<std::pair<uint64_t, unsigned>> once;
      for (size_t k = 0; k < v.size(); ++k)
        if ((k == 0 || v[k - 1].first != v[k].first) && (k + 1 == v.size() || v[k + 1].first != v[k].first))
          once.push_back(v[k]);
      return once;
    };
    const auto in_a = unique_sorted(hash_a_, first_a_, a0, a1), in_b = unique_sorted(hash_b_, first_b_, b0, b1);
    std::vector<std::pair<unsigned, unsigned>> pairs;  // in order of i
    for (size_t p = 0, q = 0; p < in_a.size() && q < in_b.size();) {
      if (in_a[p].first < in_b[q].first) ++p;
      else if (in_b[q].first < in_a[p].first) ++q;
      else {
        if (same(in_a[p].second, in_b[q].second)) pairs.emplace_back(in_a[p].second, in_b[q].second);
        ++p, ++q;
      }
    }
    std::sort(pairs.begin(), pairs.end());
    // Longest increasing run of j by patience sorting: tails[k] ends the best chain of k + 1.
    std::vector<size_t> tails, previous(pairs.size(), SIZE_MAX);
    for (size_t k = 0; k < pairs.size(); ++k) {
      const auto at = std::lower_bound(tails.begin(), tails.end(), pairs[k].second,
                                       [&](size_t t, unsigned j) { return pairs[t].second < j; });
      if (at != tails.begin()) previous[k] = *(at - 1);
      if (at == tails.end()) tails.push_back(k);
      else *at = k;
    }
    std::vector<std::pair<unsigned, unsigned>> chain;
    for (size_t k = tails.empty() ? SIZE_MAX : tails.back(); k != SIZE_MAX; k = previous[k]) chain.push_back(pairs[k]);
    std::reverse(chain.begin(), chain.end());
    return chain;
  }

  const FrameRecord &fa_, &fb_;
  const CommandRecord &a_, &b_;
  std::vector<PixelBox>& boxes_;
  int max_boxes_;
  unsigned first_a_ = 0, first_b_ = 0;
  std::vector<uint64_t> hash_a_, hash_b_;  // triangle hashes from first_a_ / first_b_ on
};

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

std::vector<PixelBox> damaged_boxes(const FrameRecord& before, const FrameRecord& after,
                                    const std::vector<ImTextureID>& changed_textures, int max_boxes) {
  // Command i of one frame against command i of the other: if the commands covering a pixel
  // differ between the frames, one of them differs from its counterpart at its position,
  // and the pixels where those two differ are damaged.
  std::vector<PixelBox> boxes;
  const size_t n = std::max(before.commands.size(), after.commands.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= before.commands.size()) {
      add_box(boxes, after.commands[i].box, max_boxes);
      continue;
    }
    if (i >= after.commands.size()) {
      add_box(boxes, before.commands[i].box, max_boxes);
      continue;
    }
    const CommandRecord &a = before.commands[i], &b = after.commands[i];
    const bool texture_changed = uses_changed_texture(b, changed_textures);
    if (a.hash == b.hash && a.box == b.box && !texture_changed) continue;
    if (!a.callback && !b.callback && !texture_changed && a.texture == b.texture && a.scissor == b.scissor)
      TriangleDiff(before, a, after, b, boxes, max_boxes).run();
    else
      add_box(boxes, unite(a.box, b.box), max_boxes);
  }
  return boxes;
}

void clip_draw_data(ImDrawData& d, const std::vector<PixelBox>& regions, int fb_height) {
  const ImVec2 off = d.DisplayPos, scale = d.FramebufferScale;
  ImVector<ImDrawCmd> clipped;
  for (int l = 0; l < d.CmdListsCount; ++l) {
    ImVector<ImDrawCmd>& commands = d.CmdLists[l]->CmdBuffer;
    clipped.resize(0);
    for (const ImDrawCmd& cmd : commands) {
      if (cmd.UserCallback) {
        clipped.push_back(cmd);
        continue;
      }
      const PixelBox scissor = backend_scissor(off, scale, cmd.ClipRect, fb_height);
      for (const PixelBox& region : regions) {
        const PixelBox box = intersect(scissor, region);
        if (box.empty()) continue;
        // Edges chosen so that the backend's truncations land on the box's integers with a
        // quarter pixel to spare for the round trip through the framebuffer scale:
        // x = int(x0 + ¼), width = int(x1 − x0 + ¼), y = int(y0 + ¼), height = int(y1 − y0 + ¼).
        const float bottom = float(fb_height - box.y0) - 0.25f;  // from the top, as clip rects count
        const float top = bottom - float(box.y1 - box.y0) - 0.25f;
        ImDrawCmd copy = cmd;
        copy.ClipRect = ImVec4((float(box.x0) + 0.25f) / scale.x + off.x, top / scale.y + off.y,
                               (float(box.x1) + 0.5f) / scale.x + off.x, bottom / scale.y + off.y);
        clipped.push_back(copy);
      }
    }
    commands.swap(clipped);
  }
}

}  // namespace ll::host
