#pragma once
// One factory per lesson, each defined in its lesson_<id>.cpp.
#include <memory>

#include "lessons/lesson.hpp"

namespace ll::ui {

std::unique_ptr<Lesson> make_lesson_welcome();
std::unique_ptr<Lesson> make_lesson_gradient_descent();
std::unique_ptr<Lesson> make_lesson_svd();
std::unique_ptr<Lesson> make_lesson_autoencoder();
std::unique_ptr<Lesson> make_lesson_vae();
std::unique_ptr<Lesson> make_lesson_one_hot();
std::unique_ptr<Lesson> make_lesson_cooccurrence();
std::unique_ptr<Lesson> make_lesson_language_model();
std::unique_ptr<Lesson> make_lesson_skip_gram_pairs();
std::unique_ptr<Lesson> make_lesson_word2vec();
std::unique_ptr<Lesson> make_lesson_bayes();
std::unique_ptr<Lesson> make_lesson_mle_kl();
std::unique_ptr<Lesson> make_lesson_gmm();
std::unique_ptr<Lesson> make_lesson_flow();
std::unique_ptr<Lesson> make_lesson_overview();
std::unique_ptr<Lesson> make_lesson_gan();
std::unique_ptr<Lesson> make_lesson_diffusion();

}  // namespace ll::ui
