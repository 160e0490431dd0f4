// [welcome] What the lab is, how to drive it, and the map of the course.
#include "imgui.h"
#include "lessons/app.hpp"
#include "lessons/lesson_list.hpp"

namespace ll::ui {

namespace {

void ShowLessonWelcome() {
  ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x);
  ImGui::TextUnformatted("latentlab: representation learning and generative models, computed live.");
  ImGui::Spacing();
  ImGui::TextWrapped(
      "Every lesson here computes for real: the curves, maps and samples come from the models you train, "
      "in this page or window, with the seed shown in the menu bar. Pick a lesson on the left.");
  ImGui::Spacing();
  SectionHeading("Driving the lab");
  ImGui::BulletText("Space: run or pause the lesson's training.   '.': one training step.");
  ImGui::BulletText("'+' / '-' or the font slider: text size for a projector (1x to 2.5x).");
  ImGui::BulletText("Same seed, same numbers: on the desktop, in the browser, and in the command-line tool.");
  ImGui::BulletText("On the web, #lesson=<id> in the address opens a lesson directly, so links can be shared.");
  ImGui::Spacing();
  SectionHeading("Where the course goes");
  ImGui::TextWrapped(
      "Gradient descent first: every model below is fitted by following a gradient. Then word vectors "
      "(one-hot versus distributed, co-occurrence and SVD, n-gram models, skip-gram and CBOW), autoencoders "
      "and the VAE, GANs and diffusion, and the probability underneath them: Bayes, maximum likelihood, KL "
      "divergence, mixtures and flows.");
  ImGui::PopTextWrapPos();
}

class WelcomeLesson : public Lesson {
 public:
  const char* id() const override { return "welcome"; }
  const char* title() const override { return "Welcome"; }
  const char* group() const override { return "Start"; }
  void show() override { ShowLessonWelcome(); }
};

}  // namespace

std::unique_ptr<Lesson> make_lesson_welcome() { return std::make_unique<WelcomeLesson>(); }

}  // namespace ll::ui
