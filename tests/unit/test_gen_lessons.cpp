// The gan and diffusion lessons drawn headless: they train, animate, answer commands and
// survive bad settings.
#include <catch2/catch.hpp>

#include <string>

#include "headless_imgui.hpp"
#include "imgui.h"
#include "lessons/app.hpp"

TEST_CASE("gan lesson: trains in steps, reports losses and modes, survives extreme settings", "[gen]") {
  HeadlessImGui imgui;
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  REQUIRE(app.open("gan"));
  imgui.frames(app, 2);
  REQUIRE(app.command("gan data circle8").ok);
  for (int i = 0; i < 5; ++i) REQUIRE(app.command("train step").ok);
  auto s = app.state()["lesson"];
  CHECK(s["step"] == 5);
  CHECK(s["pictures_step"] == 5);
  CHECK(s["modes"] == 8);
  CHECK(s["d_loss"].is_number());
  CHECK(s["g_loss"].is_number());
  CHECK(s["shipped_model"] == false);
  CHECK(app.command("gan lr-d 0.01").ok);
  CHECK(app.command("gan d-steps 3").ok);
  CHECK(app.command("gan smoothing 0.1").ok);
  CHECK(app.command("gan loss saturating").ok);
  s = app.state()["lesson"];
  CHECK(s["d_lr"] == Approx(0.01));
  CHECK(s["d_steps"] == 3);
  CHECK(s["g_loss_kind"] == "saturating");
  CHECK(s["step"] == 5);  // live settings keep the networks
  CHECK_FALSE(app.command("gan lr-g 0").ok);
  CHECK_FALSE(app.command("gan d-steps 11").ok);
  CHECK_FALSE(app.command("gan latent x").ok);
  CHECK(app.command("gan latent 8").ok);
  CHECK(app.state()["lesson"]["step"] == 0);  // a new generator
  // The largest rates the sliders allow: training runs on (or stops with a message), never crashes.
  CHECK(app.command("gan lr-d 1").ok);
  CHECK(app.command("gan lr-g 1").ok);
  CHECK(app.command("train start").ok);
  imgui.frames(app, 5);
  s = app.state()["lesson"];
  CHECK(s["step"].get<long>() > 0);
  CHECK((s["diverged"] == false || !s["message"].get<std::string>().empty()));
  CHECK(app.command("gan preset collapse").ok);
  imgui.frames(app, 3);
  s = app.state()["lesson"];
  CHECK(s["data"] == "circle8");
  CHECK(s["d_lr"] == Approx(0.02));
  CHECK(app.state()["training"]["gan"]["running"] == true);
  CHECK(app.command("gan reset").ok);
  CHECK(app.state()["lesson"]["step"] == 0);
}

TEST_CASE("diffusion lesson: forward t, training, DDPM and DDIM chains, field refresh", "[gen]") {
  HeadlessImGui imgui;
  ll::ui::App app({"native", 1}, ll::ui::make_lessons());
  REQUIRE(app.open("diffusion"));
  imgui.frames(app, 2);
  REQUIRE(app.command("diffusion steps 40").ok);
  CHECK(app.command("diffusion t 39").ok);
  auto s = app.state()["lesson"];
  CHECK(s["T"] == 40);
  CHECK(s["alpha_bar_t"].get<double>() < 0.01);
  CHECK_FALSE(app.command("diffusion t 40").ok);
  CHECK(app.command("diffusion t 0").ok);
  CHECK(app.state()["lesson"]["alpha_bar_t"].get<double>() > 0.95);
  CHECK(app.command("diffusion schedule cosine").ok);
  CHECK(app.state()["lesson"]["schedule"] == "cosine");
  for (int i = 0; i < 10; ++i) REQUIRE(app.command("train step").ok);
  imgui.frames(app, 2);
  s = app.state()["lesson"];
  CHECK(s["step"] == 10);
  CHECK(s["field_step"] == 10);
  CHECK(s["loss"].is_number());

  CHECK(app.command("diffusion sampler ddim").ok);
  CHECK(app.command("diffusion ddim-steps 8").ok);
  CHECK_FALSE(app.command("diffusion ddim-steps 41").ok);
  CHECK(app.command("diffusion sample").ok);
  imgui.frames(app, 3);  // the chain animates one step per frame
  s = app.state()["lesson"]["chain"];
  CHECK(s["total"] == 8);
  CHECK(s["step"] == 3);
  CHECK(app.command("diffusion sample-all").ok);
  s = app.state()["lesson"]["chain"];
  CHECK(s["done"] == true);
  CHECK(s["mean_x"].is_number());
  CHECK(app.command("diffusion sampler ddpm").ok);
  CHECK(app.command("diffusion sample-step").ok);  // the last chain is done: a new DDPM chain
  CHECK(app.state()["lesson"]["chain"]["total"] == 40);
  CHECK(app.state()["lesson"]["chain"]["t"] == 38);

  // Extreme settings keep the lesson alive.
  CHECK_FALSE(app.command("diffusion lr 5").ok);
  CHECK(app.command("diffusion lr 1").ok);
  CHECK(app.command("train start").ok);
  imgui.frames(app, 5);
  s = app.state()["lesson"];
  CHECK((s["diverged"] == false || !s["message"].get<std::string>().empty()));
  CHECK(app.command("diffusion reset").ok);
  CHECK(app.state()["lesson"]["step"] == 0);
  CHECK(app.state()["lesson"]["chain"].is_null());
}
