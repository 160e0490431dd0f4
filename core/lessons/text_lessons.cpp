#include "lessons/text_lessons.hpp"

#include "lessons/app.hpp"
#include "lessons/i18n.hpp"
#include "lessons/layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace ll::ui {

const char* const kCourseCorpus = "I like deep learning. I like NLP. I enjoy flying.";

const char* const kTravelPassage =
    "We stayed at a hotel near the station. The hotel had a clean room and a friendly clerk at the desk. "
    "Last summer we stayed at a motel near the highway. The motel had a clean room and a tired clerk at the desk. "
    "A room at the hotel costs more than a room at the motel. We booked the hotel for two nights. "
    "We booked the motel for one night. The cat slept on the warm bed. The dog slept on the old rug. "
    "The cat chased a mouse in the garden. The dog chased a ball in the park. My cat likes fish and milk. "
    "My dog likes meat and bones. The cat and the dog are friends. The train left the station in the morning. "
    "The bus left the station at noon. We took the train to the city. We took the bus to the coast. "
    "The city has a museum and a park. The coast has a beach and a harbour. "
    "At night the city was loud and the coast was quiet. The clerk gave us a key to the room.";

const char* const kCourseCorpusZh = "我 喜欢 深度 学习。我 喜欢 自然语言处理。我 享受 飞行。";

const char* const kTravelPassageZh =
    "我们 住 在 车站 附近 的 一家 酒店。酒店 有 干净 的 房间 和 热情 的 前台。"
    "去年 夏天 我们 住 在 公路 附近 的 一家 汽车旅馆。汽车旅馆 有 干净 的 房间 和 疲惫 的 前台。"
    "酒店 的 房间 比 汽车旅馆 的 房间 贵。我们 订 了 西雅图 酒店 两个 晚上。"
    "我们 订 了 西雅图 汽车旅馆 一个 晚上。猫 睡 在 温暖 的 床 上。狗 睡 在 旧 地毯 上。"
    "猫 在 花园 里 追 老鼠。狗 在 公园 里 追 皮球。我 的 猫 喜欢 鱼 和 牛奶。"
    "我 的 狗 喜欢 肉 和 骨头。猫 和 狗 是 朋友。火车 早上 离开 车站。"
    "公共汽车 中午 离开 车站。我们 坐 火车 去 城市。我们 坐 公共汽车 去 海边。"
    "城市 有 博物馆 和 公园。海边 有 沙滩 和 港口。"
    "夜里 城市 很 吵，海边 很 安静。前台 给 了 我们 房间 的 钥匙。";

ImU32 accent_color(float alpha) {
  ImVec4 c = ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram);
  c.w = alpha;
  return ImGui::ColorConvertFloat4ToU32(c);
}

ImVec4 warning_color() { return ImVec4(0.95f, 0.45f, 0.25f, 1.0f); }

void ExplainProblem(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, warning_color());
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

namespace {

int resize_string(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* text = static_cast<std::string*>(data->UserData);
    text->resize(size_t(data->BufTextLen));
    data->Buf = text->data();
  }
  return 0;
}

}  // namespace

bool TextBox(const char* label, std::string& text, float height_in_lines) {
  // ImGui 1.86 cannot wrap lines in a multi-line input: a long line runs past the box's right
  // edge. So the box shows the text wrapped at its edge until clicked, and edits it in the
  // input only while it has the keyboard.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID editing_id = ImGui::GetID((std::string(label) + "#editing").c_str());
  int* editing_since = storage->GetIntRef(editing_id, -1);  // frame editing was asked for, or -1
  const ImVec2 size(ImGui::GetContentRegionAvail().x, ImGui::GetTextLineHeight() * height_in_lines +
                                                          ImGui::GetStyle().FramePadding.y * 2);
  if (*editing_since < 0) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImGui::GetStyle().FramePadding);
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, ImGui::GetStyle().FrameRounding);
    ImGui::BeginChild(label, size, false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    ImGui::TextWrapped("%s", text.c_str());
    const bool clicked = ImGui::IsWindowHovered() && ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    if (ImGui::IsWindowHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
    ImGui::EndChild();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("text.click_to_edit"));
    if (clicked) *editing_since = ImGui::GetFrameCount();
    return false;
  }
  const bool just_asked = *editing_since == ImGui::GetFrameCount() - 1;
  if (just_asked) ImGui::SetKeyboardFocusHere();
  const bool changed = ImGui::InputTextMultiline(label, text.data(), text.capacity() + 1, size,
                                                 ImGuiInputTextFlags_CallbackResize, resize_string, &text);
  // Back to the wrapped view once the input lets go of the keyboard (or never took it).
  int* since = storage->GetIntRef(editing_id, -1);
  if (!ImGui::IsItemActive() && ImGui::GetFrameCount() - *since > 3) *since = -1;
  return changed;
}

bool TextLine(const char* label, std::string& text, float width_in_fonts) {
  NextControlWidth(label, width_in_fonts);
  return ImGui::InputText(label, text.data(), text.capacity() + 1, ImGuiInputTextFlags_CallbackResize,
                          resize_string, &text);
}

MatrixTableResult MatrixTable(const char* id, const std::vector<std::string>& row_labels,
                              const std::vector<std::string>& col_labels, const Eigen::MatrixXd& values,
                              const MatrixTableOptions& options) {
  MatrixTableResult result;
  const int rows = int(values.rows());
  const int cols = std::min(int(values.cols()), kMaxTableColumns);
  if (rows == 0 || cols == 0) return result;
  double largest = 0;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      if (std::isfinite(values(r, c))) largest = std::max(largest, std::abs(values(r, c)));

  // Outer size from the cells' text, so a small matrix gets a small table (a scrolling table
  // would otherwise take all the space offered).
  const ImGuiStyle& style = ImGui::GetStyle();
  char text[64];
  auto column_width = [&](const std::string& label, int c) {
    float w = ImGui::CalcTextSize(label.c_str()).x;
    for (int r = 0; r < rows && c >= 0; ++r) {
      std::snprintf(text, sizeof text, options.format, values(r, c));
      w = std::max(w, ImGui::CalcTextSize(text).x);
    }
    return w + style.CellPadding.x * 2 + 1;
  };
  float label_width = column_width(options.corner, -1);
  for (const std::string& label : row_labels) label_width = std::max(label_width, column_width(label, -1));
  std::vector<float> widths(static_cast<size_t>(cols));
  float width = label_width;
  for (int c = 0; c < cols; ++c) width += widths[size_t(c)] = column_width(col_labels[size_t(c)], c);
  const float available = ImGui::GetContentRegionAvail().x;
  const float width_limit = options.max_width > 0 ? std::min(options.max_width, available) : available;
  ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit;
  const float row_height = ImGui::GetTextLineHeight() + style.CellPadding.y * 2 + 1;
  float height = row_height * float(rows + 1) + 2;
  auto needs_scroll_y = [&] { return options.max_height > 0 && height > options.max_height; };
  if (width + (needs_scroll_y() ? style.ScrollbarSize : 0) > width_limit) {
    flags |= ImGuiTableFlags_ScrollX;
    height += style.ScrollbarSize;
    // Whole columns only at the right edge (the rest scroll into view), so no number is cut there;
    // half a cell padding of slack either way for the estimate.
    const float room = width_limit - (needs_scroll_y() ? style.ScrollbarSize : 0) - style.CellPadding.x;
    width = label_width;
    for (int c = 0; c < cols && width + widths[size_t(c)] <= room; ++c) width += widths[size_t(c)];
    width += style.CellPadding.x;
  }
  if (needs_scroll_y()) {
    height = options.max_height;
    flags |= ImGuiTableFlags_ScrollY;
    width += style.ScrollbarSize;
  }
  if (!ImGui::BeginTable(id, cols + 1, flags, ImVec2(width, height))) return result;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn(options.corner);
  for (int c = 0; c < cols; ++c) ImGui::TableSetupColumn(col_labels[size_t(c)].c_str());
  // Header row by hand so the highlighted column's header can be coloured.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int c = 0; c <= cols; ++c) {
    ImGui::TableSetColumnIndex(c);
    if (c - 1 == options.highlight_col && c > 0)
      ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, accent_color(0.55f));
    ImGui::TableHeader(ImGui::TableGetColumnName(c));
  }
  for (int r = 0; r < rows; ++r) {
    ImGui::TableNextRow();
    if (r == options.highlight_row) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, accent_color(0.18f));
    ImGui::TableSetColumnIndex(0);
    if (r == options.highlight_row) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, accent_color(0.55f));
    ImGui::TextUnformatted(row_labels[size_t(r)].c_str());
    for (int c = 0; c < cols; ++c) {
      ImGui::TableSetColumnIndex(c + 1);
      const double v = values(r, c);
      if (options.shade && largest > 0 && std::isfinite(v) && v != 0)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, accent_color(0.12f + 0.5f * float(std::abs(v) / largest)));
      else if (c == options.highlight_col)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, accent_color(0.18f));
      std::snprintf(text, sizeof text, options.format, v);
      if (v == 0) ImGui::TextDisabled("%s", text);
      else ImGui::TextUnformatted(text);
      if (ImGui::IsItemHovered()) {
        result.hovered_row = r;
        result.hovered_col = c;
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) result.clicked_row = r, result.clicked_col = c;
      }
    }
  }
  ImGui::EndTable();
  if (int(values.cols()) > cols)
    TextDisabledWrapped(trf("text.more_columns", int(values.cols()) - cols).c_str());
  return result;
}

bool CjkTokensCombo(text::CjkTokens& mode) {
  const char* names[] = {tr("text.tokens_auto"), tr("text.tokens_char"), tr("text.tokens_space")};
  int current = int(mode);
  NextControlWidth(trl("text.tokens"), 12);
  const bool changed = FittedCombo(trl("text.tokens"), &current, names, 3);
  ImGui::SameLine();
  HelpMarker(tr("text.help_tokens"));
  if (changed) mode = text::CjkTokens(current);
  return changed;
}

bool interface_is_chinese() { return std::string_view(language()) == "zh"; }

}  // namespace ll::ui
