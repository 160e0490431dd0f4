#pragma once
// One factory per lesson, each defined in its lesson_<id>.cpp.
#include <memory>

#include "lessons/lesson.hpp"

namespace ll::ui {

std::unique_ptr<Lesson> make_lesson_welcome();
std::unique_ptr<Lesson> make_lesson_gradient_descent();
std::unique_ptr<Lesson> make_lesson_svd();
std::unique_ptr<Lesson> make_lesson_autoencoder();

}  // namespace ll::ui
