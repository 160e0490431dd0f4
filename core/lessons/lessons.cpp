#include "lessons/lesson.hpp"
#include "lessons/lesson_list.hpp"

namespace ll::ui {

std::vector<std::unique_ptr<Lesson>> make_lessons() {
  std::vector<std::unique_ptr<Lesson>> lessons;
  lessons.push_back(make_lesson_welcome());
  lessons.push_back(make_lesson_gradient_descent());
  lessons.push_back(make_lesson_svd());
  lessons.push_back(make_lesson_autoencoder());
  lessons.push_back(make_lesson_vae());
  lessons.push_back(make_lesson_one_hot());
  lessons.push_back(make_lesson_cooccurrence());
  lessons.push_back(make_lesson_language_model());
  lessons.push_back(make_lesson_skip_gram_pairs());
  lessons.push_back(make_lesson_word2vec());
  lessons.push_back(make_lesson_bayes());
  lessons.push_back(make_lesson_mle_kl());
  lessons.push_back(make_lesson_gmm());
  lessons.push_back(make_lesson_flow());
  lessons.push_back(make_lesson_overview());
  lessons.push_back(make_lesson_gan());
  lessons.push_back(make_lesson_diffusion());
  return lessons;
}

}  // namespace ll::ui
