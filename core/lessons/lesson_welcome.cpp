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

// The course map: its parts in order, each with its lessons (id and a short name).
struct MapLesson {
  const char* id;
  const char* name;
};
struct MapPart {
  const char* name;
  std::vector<MapLesson> lessons;
};
const std::vector<MapPart>& course_map() {
  static const std::vector<MapPart> parts = {
      {"Foundations", {{"gradient-descent", "gradient descent"}}},
      {"Autoencoders", {{"svd", "SVD and PCA"}, {"autoencoder", "autoencoders"}, {"vae", "VAE"}}},
      {"Word vectors",
       {{"one-hot-vs-distributed", "one-hot"},
        {"cooccurrence", "co-occurrence"},
        {"language-model", "n-grams"},
        {"skip-gram-pairs", "skip-gram"},
        {"word2vec", "word2vec"}}},
      {"Probability", {{"bayes", "Bayes"}, {"mle-kl", "MLE and KL"}, {"gmm", "mixtures"}, {"flow", "flows"}}},
      {"Generative", {{"overview", "four families"}, {"gan", "GAN"}, {"diffusion", "diffusion"}}},
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
    for (const MapPart& part : course_map()) names_w = std::max(names_w, TextWidth((std::string(part.name) + ":").c_str()));
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
      const std::string name = std::string(part.name) + ":";
      TextEllipsis(name.c_str());
      ImGui::PopStyleColor();
      if (aligned) ImGui::Indent(names_w);
      ImGui::PushStyleColor(ImGuiCol_Button, prob_ui::category_u32(colour - 1, 70));
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, prob_ui::category_u32(colour - 1, 140));
      bool first = true;
      for (const MapLesson& l : part.lessons) {
        const std::string text = std::to_string(number++) + " " + l.name;
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
          ImGui::TextWrapped("latentlab: representation learning and generative models, computed live.");
          ImGui::Spacing();
          ImGui::TextWrapped(
              "Every lesson here computes for real: the curves, maps and samples come from the models you train, "
              "in this page or window, with the seed shown in the menu bar. Pick a lesson on the left, or on the "
              "course map.");
          TextDisabledWrapped("On the course map, click a lesson to open it.");
          SectionHeading("Driving the lab");
          for (const char* line :
               {"Space: run or pause the lesson's training.   '.': one training step.",
                "'+' / '-' or the font slider: text size for a projector (1x to 2.5x).",
                "Same seed, same numbers: on the desktop, in the browser, and in the command-line tool.",
                "On the web, #lesson=<id> in the address opens a lesson directly, so links can be shared."}) {
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
          SectionHeading("Where the course goes");
          ImGui::TextWrapped(
              "Gradient descent first: every model below is fitted by following a gradient. Then autoencoders and "
              "the VAE, word vectors (one-hot versus distributed, co-occurrence and SVD, n-gram models, skip-gram "
              "and CBOW), the probability underneath generative models (Bayes, maximum likelihood, KL divergence, "
              "mixtures and flows), and GANs and diffusion.");
        });
  }
};

}  // namespace

std::unique_ptr<Lesson> make_lesson_welcome() { return std::make_unique<WelcomeLesson>(); }

}  // namespace ll::ui
