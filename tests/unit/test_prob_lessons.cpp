#include <catch2/catch.hpp>

#include <string>

#include "headless_imgui.hpp"
#include "imgui.h"
#include "lessons/app.hpp"

TEST_CASE("prob lessons: every lesson draws, trains and reports its figures", "[prob]") {
  HeadlessImGui imgui;
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());

  REQUIRE(app.open("gmm"));
  imgui.frames(app, 2);
  for (int i = 0; i < 15; ++i) REQUIRE(app.command("train step").ok);
  auto s = app.state()["lesson"];
  CHECK(s["iteration"] == 15);
  CHECK(s["k"] == 3);
  CHECK(s["log_likelihood"].get<double>() > -4);
  CHECK(app.command("gmm k 4").ok);
  CHECK(app.state()["lesson"]["k"] == 4);
  CHECK_FALSE(app.command("gmm k 0").ok);
  CHECK(app.command("gmm preset empty").ok);
  CHECK(app.command("gmm add 0.5 0.5").ok);
  CHECK(app.state()["lesson"]["k"] == 1);  // one point: K falls back to 1, with a message
  CHECK(app.state()["lesson"]["message"].get<std::string>().find("K = 1") != std::string::npos);
  CHECK(app.command("train step").ok);
  imgui.frames(app, 2);
  CHECK(app.command("gmm preset blobs").ok);
  CHECK(app.command("train start").ok);
  imgui.frames(app, 5);

  REQUIRE(app.open("flow"));
  CHECK(app.command("flow layers 4").ok);
  CHECK(app.command("flow hidden 8").ok);
  for (int i = 0; i < 5; ++i) REQUIRE(app.command("train step").ok);
  // The pictures are built in time slices across frames; a slow machine needs more of them.
  for (int i = 0; i < 600 && app.state()["lesson"]["pictures_step"] != 5; ++i) imgui.frames(app, 1);
  s = app.state()["lesson"];
  CHECK(s["step"] == 5);
  CHECK(s["pictures_step"] == 5);
  CHECK(s["heldout_nll"].is_number());
  CHECK_FALSE(app.command("flow lr -1").ok);

  REQUIRE(app.open("bayes"));
  CHECK(app.command("bayes prior 2 2").ok);
  CHECK(app.command("bayes flip 10").ok);
  s = app.state()["lesson"];
  CHECK(s["posterior_a"].get<double>() + s["posterior_b"].get<double>() == Approx(14));
  CHECK(app.command("bayes test 0.01 0.9 0.95").ok);
  CHECK(app.state()["lesson"]["p_disease_given_positive"].get<double>() == Approx(2.0 / 13));
  CHECK_FALSE(app.command("bayes test 2 0.9 0.95").ok);  // clamped, and said so
  for (const char* tab : {"coin", "test", "classify"}) {
    CHECK(app.command(std::string("bayes tab ") + tab).ok);
    imgui.frames(app, 3);
  }
  CHECK(app.state()["lesson"]["logistic_step"].get<long>() > 0);

  REQUIRE(app.open("mle-kl"));
  CHECK(app.command("mle truth 1 0").ok);  // zero variance: explained
  CHECK(app.state()["lesson"]["mle_floored"] == true);
  for (const char* tab : {"gaussian", "categorical", "kl"}) {
    CHECK(app.command(std::string("mle tab ") + tab).ok);
    CHECK(app.command("mle roll 50").ok);
    imgui.frames(app, 3);
  }
  for (int i = 0; i < 3; ++i) REQUIRE(app.command("train step").ok);
  CHECK(app.state()["lesson"]["kl_reverse"]["step"] == 3);

  REQUIRE(app.open("overview"));
  imgui.frames(app, 2);
  s = app.state()["lesson"];
  for (const auto& f : s["families"]) {
    if (f["lesson"] == "flow") CHECK(f["available"] == true);
  }
  CHECK(app.command("overview open flow").ok);
  CHECK(app.active_id() == "flow");
}
