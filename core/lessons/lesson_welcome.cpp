// [welcome] What the lab is, how to drive it, and the map of the course.
#include <algorithm>
#include <string>
#include <vector>

#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/layout.hpp"
#include "lessons/lesson_list.hpp"
#include "lessons/prob_draw.hpp"
#include "lessons/i18n.hpp"

namespace ll::ui {

namespace {

// The course map: its parts in order, each with its lessons (id and the catalogue key of a
// short name).
struct MapLesson {
  const char* id;
  const char* name_key;
};
struct MapPart {
  const char* name_key;  // the part's name with its colon ("Foundations:", "基础：")
  std::vector<MapLesson> lessons;
};
const std::vector<MapPart>& course_map() {
  static const std::vector<MapPart> parts = {
      {"welcome.part_foundations", {{"gradient-descent", "welcome.map_gradient_descent"}}},
      {"welcome.part_autoencoders",
       {{"svd", "welcome.map_svd"}, {"autoencoder", "welcome.map_autoencoder"}, {"vae", "welcome.map_vae"}}},
      {"welcome.part_word_vectors",
       {{"one-hot-vs-distributed", "welcome.map_one_hot"},
        {"cooccurrence", "welcome.map_cooccurrence"},
        {"language-model", "welcome.map_language_model"},
        {"skip-gram-pairs", "welcome.map_skip_gram"},
        {"word2vec", "welcome.map_word2vec"}}},
      {"welcome.part_probability",
       {{"bayes", "welcome.map_bayes"},
        {"mle-kl", "welcome.map_mle_kl"},
        {"gmm", "welcome.map_gmm"},
        {"flow", "welcome.map_flow"}}},
      {"welcome.part_generative",
       {{"overview", "welcome.map_overview"}, {"gan", "welcome.map_gan"}, {"diffusion", "welcome.map_diffusion"}}},
  };
  return parts;
}

class WelcomeLesson : public Lesson {
 public:
  const char* id() const override { return "welcome"; }
  const char* title() const override { return tr("lessons.welcome"); }
  const char* group() const override { return tr("groups.start"); }
  void show() override { ShowLessonWelcome(); }

 private:
  // The course map: each part in its colour, then its lessons as small buttons that open them,
  // numbered in the course's order; the rows wrap at the column's edge. Where the column is
  // wide the lessons line up after the parts' names, and where it is tall the parts spread out.
  void show_course_map() {
    const float avail_h = ImGui::GetContentRegionAvail().y;
    float names_w = 0;
    for (const MapPart& part : course_map()) names_w = std::max(names_w, TextWidth(tr(part.name_key)));
    names_w += Em(0.6f);
    const bool aligned = ImGui::GetContentRegionAvail().x >= names_w + Em(16);
    // Extra space between parts, from the height the map took last frame without it.
    const float extra = std::clamp((avail_h - natural_h_ - Em(8)) / float(course_map().size()), 0.0f, Em(1.2f));
    const float top = ImGui::GetCursorScreenPos().y;
    int number = 1, colour = 0;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(Em(0.4f), Em(0.15f)));
    for (const MapPart& part : course_map()) {
      if (colour > 0 && extra > 0) ImGui::Dummy(ImVec2(1, extra));
      const ImU32 c = prob_ui::category_u32(colour++);
      ImGui::PushStyleColor(ImGuiCol_Text, c);
      TextEllipsis(tr(part.name_key));
      ImGui::PopStyleColor();
      if (aligned) ImGui::Indent(names_w);
      ImGui::PushStyleColor(ImGuiCol_Button, prob_ui::category_u32(colour - 1, 70));
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, prob_ui::category_u32(colour - 1, 140));
      bool first = true;
      for (const MapLesson& l : part.lessons) {
        const std::string text = std::to_string(number++) + " " + tr(l.name_key);
        const std::string label = text + "##" + l.id;
        if (first && aligned) ImGui::SameLine(names_w);
        else SameLineIfFits(ButtonWidth(text.c_str()));
        first = false;
        // A label wider than the whole column is shortened (only at absurd sizes).
        const float room = ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().FramePadding.x;
        const std::string shown = TextWidth(text.c_str()) > room ? Ellipsized(text.c_str(), room) + "##" + l.id : label;
        const bool ok = has_lesson && has_lesson(l.id);
        ImGui::BeginDisabled(!ok);
        if (ImGui::SmallButton(shown.c_str()) && open_lesson) open_lesson(l.id);
        ImGui::EndDisabled();
      }
      ImGui::PopStyleColor(2);
      if (aligned) ImGui::Unindent(names_w);
    }
    ImGui::PopStyleVar();
    natural_h_ = ImGui::GetCursorScreenPos().y - top - extra * float(course_map().size() - 1);
  }

  float natural_h_ = 0;  // the course map's height without the spreading, last frame

  void ShowLessonWelcome() {
    LessonPanes(
        [] {
          ImGui::TextWrapped("%s", tr("welcome.tagline"));
          ImGui::Spacing();
          ImGui::TextWrapped("%s", tr("welcome.intro"));
          TextDisabledWrapped(tr("welcome.map_hint"));
          SectionHeading(tr("welcome.driving"));
          for (const char* line : {tr("welcome.keys_training"), tr("welcome.keys_font"), tr("welcome.same_seed"),
                                   tr("welcome.web_links")}) {
            ImGui::Bullet();
            ImGui::TextWrapped("%s", line);
          }
        },
        [this] {
          ImGui::BeginGroup();
          show_course_map();
          ImGui::EndGroup();
          MainFigure("course map");
          ImGui::Spacing();
          SectionHeading(tr("welcome.where_heading"));
          ImGui::TextWrapped("%s", tr("welcome.where"));
        });
  }
};

}  // namespace

std::unique_ptr<Lesson> make_lesson_welcome() { return std::make_unique<WelcomeLesson>(); }

}  // namespace ll::ui
