#include <catch2/catch.hpp>

#include <functional>

#include "headless_imgui.hpp"
#include "host/redraw_region.hpp"
#include "imgui.h"

using ll::host::FrameRecord;
using ll::host::PixelBox;

namespace {

constexpr int kWidth = 640, kHeight = 400;

// Frames built without a window or GL and recorded as the web host does.
struct HeadlessFrames {
  explicit HeadlessFrames(float scale = 1) : imgui(ImVec2(kWidth / scale, kHeight / scale), scale) {}
  HeadlessImGui imgui;
  // One frame of `body` inside a fixed window; its record with geometry.
  FrameRecord frame(const std::function<void()>& body) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(10, 10));
    ImGui::SetNextWindowSize(ImVec2(300, 300));
    ImGui::Begin("lesson", nullptr, ImGuiWindowFlags_NoDecoration);
    body();
    ImGui::End();
    ImGui::Render();
    FrameRecord r;
    const ImDrawData& d = *ImGui::GetDrawData();
    ll::host::record_commands(d, kWidth, kHeight, r);
    ll::host::copy_geometry(d, r);
    return r;
  }
};

// Rows of the framebuffer (from the top) that a box covers.
struct Rows {
  int top, bottom;  // [top, bottom)
};
Rows rows_of(const PixelBox& b) { return {kHeight - b.y1, kHeight - b.y0}; }

constexpr int kMaxBoxes = 6;

// The damaged boxes, checked to be disjoint and at most kMaxBoxes, and the box around them.
PixelBox damage(const FrameRecord& a, const FrameRecord& b, const std::vector<ImTextureID>& changed = {}) {
  const std::vector<PixelBox> boxes = ll::host::damaged_boxes(a, b, changed, kMaxBoxes);
  CHECK(int(boxes.size()) <= kMaxBoxes);
  PixelBox all;
  for (size_t i = 0; i < boxes.size(); ++i) {
    CHECK_FALSE(boxes[i].empty());
    for (size_t j = i + 1; j < boxes.size(); ++j) CHECK(ll::host::intersect(boxes[i], boxes[j]).empty());
    all = ll::host::unite(all, boxes[i]);
  }
  return all;
}

// The OpenGL3 backend's scissor for a clip rect (imgui_impl_opengl3.cpp, RenderDrawData),
// written out again here: clip_draw_data must make the backend cut exactly the region.
PixelBox backend_box(const ImDrawData& d, const ImVec4& clip, int fb_height) {
  const ImVec2 off = d.DisplayPos, scale = d.FramebufferScale;
  const ImVec2 lo((clip.x - off.x) * scale.x, (clip.y - off.y) * scale.y);
  const ImVec2 hi((clip.z - off.x) * scale.x, (clip.w - off.y) * scale.y);
  if (hi.x <= lo.x || hi.y <= lo.y) return {};
  const int x = (int)lo.x, y = (int)(fb_height - hi.y);
  return {x, y, x + (int)(hi.x - lo.x), y + (int)(hi.y - lo.y)};
}

}  // namespace

TEST_CASE("redraw region: the same frame twice is the same picture, with nothing to redraw", "[redraw]") {
  HeadlessFrames imgui;
  auto body = [] {
    ImGui::Text("alpha");
    ImGui::Button("a button");
    ImGui::Text("gamma");
  };
  imgui.frame(body);
  const FrameRecord a = imgui.frame(body), b = imgui.frame(body);
  REQUIRE(!a.commands.empty());
  CHECK(ll::host::same_picture(a, b, {}));
  CHECK(ll::host::damaged_boxes(a, b, {}, kMaxBoxes).empty());
}

TEST_CASE("redraw region: a changed line is redrawn, the lines above and below are not", "[redraw]") {
  HeadlessFrames imgui;
  float beta_top = 0, gamma_top = 0, line = 0;
  auto body = [&](const char* beta) {
    return [&, beta] {
      line = ImGui::GetTextLineHeightWithSpacing();
      ImGui::Text("alpha");
      beta_top = ImGui::GetCursorScreenPos().y;
      ImGui::Text("%s", beta);
      gamma_top = ImGui::GetCursorScreenPos().y;
      ImGui::Text("gamma");
    };
  };
  imgui.frame(body("beta 1"));
  const FrameRecord a = imgui.frame(body("beta 1")), b = imgui.frame(body("beta 22"));
  CHECK_FALSE(ll::host::same_picture(a, b, {}));
  const PixelBox region = damage(a, b);
  REQUIRE(!region.empty());
  const Rows rows = rows_of(region);
  CAPTURE(rows.top, rows.bottom, beta_top, gamma_top, line);
  CHECK(rows.top >= int(beta_top) - 2);  // "alpha" ends above the changed line
  CHECK(rows.bottom <= int(gamma_top) + 1);
  CHECK(region.area() < long(300 * line));  // a line's worth, not the window
}

TEST_CASE("redraw region: changes far apart get separate boxes, the lines between them none", "[redraw]") {
  HeadlessFrames imgui;
  float middle_top = 0, middle_bottom = 0;
  auto body = [&](int value) {
    return [&, value] {
      ImGui::Text("top %d", value);
      middle_top = ImGui::GetCursorScreenPos().y;
      for (int i = 0; i < 8; ++i) ImGui::Text("unchanged line %d", i);
      middle_bottom = ImGui::GetCursorScreenPos().y;
      ImGui::Text("bottom %d", value);
    };
  };
  imgui.frame(body(1));
  const FrameRecord a = imgui.frame(body(1)), b = imgui.frame(body(22));
  const std::vector<PixelBox> boxes = ll::host::damaged_boxes(a, b, {}, kMaxBoxes);
  REQUIRE(boxes.size() == 2);
  for (const PixelBox& box : boxes) {
    const Rows rows = rows_of(box);
    CAPTURE(rows.top, rows.bottom, middle_top, middle_bottom);
    CHECK((rows.bottom <= int(middle_top) + 1 || rows.top >= int(middle_bottom) - 2));
  }
  // Allowed one box, the two merge into the box around both.
  const std::vector<PixelBox> one = ll::host::damaged_boxes(a, b, {}, 1);
  REQUIRE(one.size() == 1);
  CHECK(one[0] == ll::host::unite(boxes[0], boxes[1]));
}

TEST_CASE("redraw region: a window that goes away is redrawn where it was", "[redraw]") {
  HeadlessFrames imgui;
  auto body = [](bool popup) {
    return [popup] {
      ImGui::Text("lesson text");
      if (!popup) return;
      ImGui::SetNextWindowPos(ImVec2(400, 200));
      ImGui::SetNextWindowSize(ImVec2(120, 80));
      ImGui::Begin("second", nullptr, ImGuiWindowFlags_NoDecoration);
      ImGui::Text("over here");
      ImGui::End();
    };
  };
  imgui.frame(body(true));
  const FrameRecord a = imgui.frame(body(true)), b = imgui.frame(body(false));
  const PixelBox region = damage(a, b);
  CAPTURE(region.x0, region.y0, region.x1, region.y1);
  // Covers the window's 120 × 80 pixels at (400, 200) from the top, and nothing of the lesson.
  CHECK(region.x0 <= 400);
  CHECK(region.x1 >= 520);
  CHECK(rows_of(region).top <= 200);
  CHECK(rows_of(region).bottom >= 280);
  CHECK(region.x0 >= 310);
}

TEST_CASE("redraw region: new pixels in a texture redraw the commands that draw it", "[redraw]") {
  HeadlessFrames imgui;
  const ImTextureID picture = reinterpret_cast<ImTextureID>(intptr_t(42));
  auto body = [&] {
    ImGui::Text("caption");
    ImGui::Image(picture, ImVec2(64, 64));
  };
  imgui.frame(body);
  const FrameRecord a = imgui.frame(body), b = imgui.frame(body);
  CHECK(ll::host::same_picture(a, b, {}));
  const std::vector<ImTextureID> changed = {picture};
  CHECK_FALSE(ll::host::same_picture(a, b, changed));
  const PixelBox region = damage(a, b, changed);
  CAPTURE(region.x0, region.y0, region.x1, region.y1);
  CHECK(region.x1 - region.x0 >= 64);
  CHECK(region.x1 - region.x0 <= 64 + 4);
  CHECK(region.y1 - region.y0 >= 64);
  CHECK(region.y1 - region.y0 <= 64 + 4);
}

TEST_CASE("redraw region: narrowed clip rects make the backend cut exactly clip ∩ each region", "[redraw]") {
  for (const float scale : {1.0f, 1.5f, 2.0f}) {
    HeadlessFrames imgui(scale);
    imgui.frame([] { ImGui::Text("warm"); });
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(3.3f, 7.7f));
    ImGui::SetNextWindowSize(ImVec2(200.4f, 150.6f));
    ImGui::Begin("clips", nullptr, ImGuiWindowFlags_NoDecoration);
    for (int i = 0; i < 12; ++i) {
      // Fractional clip rects, some reaching past the region's edges, some outside it.
      const ImVec2 p(5.25f + 17.3f * float(i), 9.6f + 11.1f * float(i));
      ImGui::GetWindowDrawList()->PushClipRect(p, ImVec2(p.x + 33.7f, p.y + 21.45f));
      ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + 30, p.y + 20), IM_COL32(200, 100, 50, 255));
      ImGui::GetWindowDrawList()->PopClipRect();
    }
    ImGui::End();
    ImGui::Render();
    ImDrawData& d = *ImGui::GetDrawData();
    const int fb_height = int(d.DisplaySize.y * d.FramebufferScale.y);
    std::vector<PixelBox> before;
    for (int l = 0; l < d.CmdListsCount; ++l)
      for (const ImDrawCmd& cmd : d.CmdLists[l]->CmdBuffer) before.push_back(backend_box(d, cmd.ClipRect, fb_height));
    // Two disjoint regions side by side: a command reaching both becomes two copies.
    const std::vector<PixelBox> regions = {{61, 173, 122, 379}, {122, 173, 187, 379}};
    std::vector<PixelBox> want;
    size_t cut = 0, dropped = 0, split = 0;
    for (const PixelBox& clip : before) {
      size_t reached = 0;
      for (const PixelBox& region : regions) {
        const PixelBox box = ll::host::intersect(clip, region);
        if (!box.empty()) want.push_back(box), ++reached;
      }
      cut += reached > 0, dropped += reached == 0, split += reached == 2;
    }
    ll::host::clip_draw_data(d, regions, fb_height);
    std::vector<PixelBox> got;
    for (int l = 0; l < d.CmdListsCount; ++l)
      for (const ImDrawCmd& cmd : d.CmdLists[l]->CmdBuffer) got.push_back(backend_box(d, cmd.ClipRect, fb_height));
    REQUIRE(got.size() == want.size());
    for (size_t k = 0; k < got.size(); ++k) {
      CAPTURE(scale, k, want[k].x0, want[k].y0, want[k].x1, want[k].y1, got[k].x0, got[k].y0, got[k].x1, got[k].y1);
      CHECK(got[k] == want[k]);
    }
    CHECK(split >= 1);
    CHECK(cut >= 3);
    CHECK(dropped >= 3);
  }
}
