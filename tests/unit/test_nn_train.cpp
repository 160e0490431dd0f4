#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ml/nn/layers.hpp"
#include "ml/nn/losses.hpp"
#include "ml/nn/mlp.hpp"
#include "ml/nn/train.hpp"
#include "ml/thread_pool.hpp"
#include "nn_gradcheck.hpp"

using namespace ll::nn;
using ll::nn::test::random_mat;

namespace {

// A two-parameter store whose gradients the tests set by hand.
ParamStore two_params(float a, float b) {
  ParamStore store;
  add_param(store, "theta", {2}, {});
  store.values = {a, b};
  return store;
}

}  // namespace

TEST_CASE("nn adam: three steps match hand-computed values", "[nn]") {
  // θ₀ = (1, −2), gradients (0.5, −1), (0.1, 0.2), (−0.3, 0.4); α = 0.1, β = (0.9, 0.999), ε = 1e-8.
  // Step 1: m̂ = g, v̂ = g², so θ moves by α·sign(g) to (0.9, −1.9). Steps 2 and 3 worked out
  // in double from m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α·m̂/(√v̂ + ε).
  ParamStore store = two_params(1.0f, -2.0f);
  ll::OptimizerConfig config;
  config.kind = ll::OptimizerKind::Adam;
  config.lr = 0.1;
  Optimizer opt = make_optimizer(store, config);
  const float grads[3][2] = {{0.5f, -1.0f}, {0.1f, 0.2f}, {-0.3f, 0.4f}};
  const double expected[3][2] = {{0.900000002, -1.900000001},
                                 {0.8196959063846518, -1.8488973939904947},
                                 {0.7986246117635081, -1.8354734342081562}};
  for (int t = 0; t < 3; ++t) {
    store.grads = {grads[t][0], grads[t][1]};
    const UpdateInfo info = apply_optimizer(store, opt);
    CHECK(info.lr == 0.1);
    CHECK(opt.step == t + 1);
    CHECK(store.values[0] == Approx(expected[t][0]).epsilon(1e-6));
    CHECK(store.values[1] == Approx(expected[t][1]).epsilon(1e-6));
  }
  CHECK(opt.m[0] == Approx(0.9 * (0.9 * 0.05 + 0.01) - 0.03));  // m after three steps
}

TEST_CASE("nn sgd with momentum and AdamW weight decay", "[nn]") {
  ParamStore store = two_params(1.0f, 0.0f);
  ll::OptimizerConfig config;
  config.kind = ll::OptimizerKind::Momentum;
  config.lr = 0.1;
  config.momentum = 0.5;
  Optimizer opt = make_optimizer(store, config);
  store.grads = {1.0f, 0.0f};
  apply_optimizer(store, opt);  // v = 1, θ = 0.9
  apply_optimizer(store, opt);  // v = 1.5, θ = 0.75
  CHECK(store.values[0] == Approx(0.75));
  CHECK(opt.m[0] == Approx(1.5));

  ParamStore decayed = two_params(1.0f, 1.0f);
  config.kind = ll::OptimizerKind::Adam;
  config.lr = 0.01;
  config.weight_decay = 0.5;
  Optimizer adamw = make_optimizer(decayed, config);
  decayed.grads = {0.0f, 0.0f};  // no gradient: only the decoupled decay moves θ
  apply_optimizer(decayed, adamw);
  CHECK(decayed.values[0] == Approx(1.0 - 0.01 * 0.5));
}

TEST_CASE("nn gradient clipping by global norm", "[nn]") {
  ParamStore store = two_params(0.0f, 0.0f);
  ll::OptimizerConfig config;
  config.lr = 1.0;
  Optimizer opt = make_optimizer(store, config);
  opt.clip_norm = 1.0;
  store.grads = {3.0f, 4.0f};
  const UpdateInfo info = apply_optimizer(store, opt);
  CHECK(info.grad_norm == Approx(5.0));
  CHECK(store.values[0] == Approx(-0.6));  // the gradient was scaled to norm 1
  CHECK(store.values[1] == Approx(-0.8));
  float small[2] = {0.3f, 0.4f};
  CHECK(ll::clip_by_global_norm(small, 2, 1.0) == Approx(0.5));
  CHECK(small[0] == 0.3f);  // under the limit: unchanged
}

TEST_CASE("nn learning-rate schedules: constant, linear decay, cosine, warm-up", "[nn]") {
  ll::LrSchedule s;
  CHECK(ll::scheduled_lr(0.1, s, 1) == 0.1);
  CHECK(ll::scheduled_lr(0.1, s, 1000) == 0.1);
  s.kind = ll::LrScheduleKind::LinearDecay;
  s.total_steps = 100;
  CHECK(ll::scheduled_lr(0.1, s, 50) == Approx(0.05));
  CHECK(ll::scheduled_lr(0.1, s, 100) == Approx(0.0).margin(1e-12));
  CHECK(ll::scheduled_lr(0.1, s, 500) == Approx(0.0).margin(1e-12));
  s.kind = ll::LrScheduleKind::Cosine;
  s.final_fraction = 0.1;
  CHECK(ll::scheduled_lr(1.0, s, 0) == Approx(1.0));
  CHECK(ll::scheduled_lr(1.0, s, 50) == Approx(0.1 + 0.9 * 0.5));
  CHECK(ll::scheduled_lr(1.0, s, 100) == Approx(0.1));
  s.warmup_steps = 10;
  CHECK(ll::scheduled_lr(1.0, s, 5) == Approx(0.5));
  CHECK(ll::scheduled_lr(1.0, s, 55) == Approx(0.1 + 0.9 * 0.5));

  ParamStore store = two_params(0.0f, 0.0f);
  ll::OptimizerConfig config;
  config.lr = 1.0;
  Optimizer opt = make_optimizer(store, config);
  opt.schedule.kind = ll::LrScheduleKind::LinearDecay;
  opt.schedule.total_steps = 4;
  store.grads = {1.0f, 0.0f};
  CHECK(apply_optimizer(store, opt).lr == Approx(0.75));  // step 1 of 4
  CHECK(apply_optimizer(store, opt).lr == Approx(0.5));
  CHECK(store.values[0] == Approx(-1.25));
}

TEST_CASE("nn weight EMA follows the parameters", "[nn]") {
  ParamStore store = two_params(0.0f, 2.0f);
  WeightEma ema = make_weight_ema(store, 0.9);
  store.values = {1.0f, 2.0f};
  update_weight_ema(ema, store);
  CHECK(ema.values[0] == Approx(0.1));
  CHECK(ema.values[1] == Approx(2.0));
  for (int i = 0; i < 200; ++i) update_weight_ema(ema, store);
  CHECK(ema.values[0] == Approx(1.0).epsilon(1e-6));
}

TEST_CASE("nn non-finite guard names the step and parameter and restores the last good state", "[nn]") {
  ParamStore store;
  add_param(store, "enc.weight", {2, 2}, {});
  add_param(store, "dec.bias", {3}, {});
  ll::OptimizerConfig config;
  config.kind = ll::OptimizerKind::Adam;
  Optimizer opt = make_optimizer(store, config);
  store.values = {1, 2, 3, 4, 5, 6, 7};
  LastGood good;
  ParamStore untouched = store;
  CHECK_FALSE(restore_last_good(good, untouched, opt));  // nothing kept yet
  CHECK(check_finite(store, 7, 0.5).ok);
  keep_last_good(good, store, opt);

  store.grads[5] = std::numeric_limits<float>::quiet_NaN();
  apply_optimizer(store, opt);  // spreads the NaN into the parameters
  FiniteCheck check = check_finite(store, 8, 0.25);
  CHECK_FALSE(check.ok);
  CHECK(check.message == "step 8: gradient of 'dec.bias' is not finite (element 1)");
  check = check_finite(store, 8, std::numeric_limits<double>::infinity());
  CHECK(check.message == "step 8: loss is infinite");
  REQUIRE(restore_last_good(good, store, opt));
  CHECK(store.values == std::vector<float>{1, 2, 3, 4, 5, 6, 7});
  CHECK(opt.step == 0);
  CHECK(check_finite(store, 8, 0.1).ok);
}

TEST_CASE("nn mlp: gradients of the whole network match central differences", "[nn]") {
  ll::Rng rng(43);
  ParamStore store;
  Mlp mlp = make_mlp(store, "mlp", {3, 5, 4, 2}, Activation::SiLU, Activation::Sigmoid);
  init_params(store, rng);
  Mat x = random_mat(rng, 3, 3), r = random_mat(rng, 3, 2), dx;
  const auto loss = [&] { return ll::nn::test::project(mlp_forward(store, mlp, x), r); };
  loss();
  zero_grads(store);
  mlp_backward(store, mlp, r, &dx);
  const std::vector<float> analytic = store.grads;
  CHECK(ll::nn::test::gradient_relative_error(store.values.data(), analytic.data(), analytic.size(), loss, 1e-3f) < 2e-3);
  CHECK(ll::nn::test::gradient_relative_error(x.data(), dx.data(), size_t(x.size()), loss, 1e-3f) < 2e-3);
  CHECK(store.views.size() == 6);
  CHECK(store.views[2].name == "mlp.1.weight");
}

TEST_CASE("nn mlp learns XOR", "[nn]") {
  ll::Rng rng(2024);
  ParamStore store;
  Mlp mlp = make_mlp(store, "mlp", {2, 8, 1}, Activation::Tanh);
  init_params(store, rng);
  Mat x(4, 2), t(4, 1), dout;
  x << 0, 0, 0, 1, 1, 0, 1, 1;
  t << 0, 1, 1, 0;
  ll::OptimizerConfig config;
  config.kind = ll::OptimizerKind::Adam;
  config.lr = 0.05;
  Optimizer opt = make_optimizer(store, config);
  double loss = 0;
  for (int step = 0; step < 600; ++step) {
    zero_grads(store);
    loss = bce_with_logits_loss(mlp_forward(store, mlp, x), t, &dout);
    mlp_backward(store, mlp, dout, nullptr);
    apply_optimizer(store, opt);
  }
  CHECK(loss < 0.05);
  const Mat& out = mlp_forward(store, mlp, x);
  for (int i = 0; i < 4; ++i) CHECK((out(i, 0) > 0) == (t(i, 0) > 0.5f));
}

TEST_CASE("nn mlp classifies two moons", "[nn]") {
  ll::Rng rng(7);
  const int n = 200;
  Mat x(n, 2);
  std::vector<int> labels(n);
  for (int i = 0; i < n; ++i) {  // upper moon (cos θ, sin θ), lower moon (1 − cos θ, 0.5 − sin θ)
    const int label = i % 2;
    const double angle = rng.uniform(0, 3.14159265358979);
    x(i, 0) = float((label ? 1 - std::cos(angle) : std::cos(angle)) + rng.normal(0, 0.1));
    x(i, 1) = float((label ? 0.5 - std::sin(angle) : std::sin(angle)) + rng.normal(0, 0.1));
    labels[size_t(i)] = label;
  }
  ParamStore store;
  Mlp mlp = make_mlp(store, "mlp", {2, 16, 16, 2}, Activation::Tanh);
  init_params(store, rng);
  ll::OptimizerConfig config;
  config.kind = ll::OptimizerKind::Adam;
  config.lr = 0.02;
  Optimizer opt = make_optimizer(store, config);
  Mat dout;
  const double initial = softmax_cross_entropy(mlp_forward(store, mlp, x), labels, nullptr);
  for (int step = 0; step < 400; ++step) {
    zero_grads(store);
    softmax_cross_entropy(mlp_forward(store, mlp, x), labels, &dout);
    mlp_backward(store, mlp, dout, nullptr);
    apply_optimizer(store, opt);
  }
  const double final_loss = softmax_cross_entropy(mlp_forward(store, mlp, x), labels, nullptr);
  CHECK(final_loss < 0.1 * initial);
  CHECK(accuracy(mlp.out, labels) >= 0.97);
}

TEST_CASE("nn thread pool: every task runs once, nesting runs inline", "[nn]") {
  ll::ThreadPool pool(3);
  CHECK(pool.threads() == (LATENTLAB_THREADS ? 3 : 1));
  std::vector<int> hits(100, 0), inner(10, 0);
  pool.parallel_for(100, [&](int i) { hits[size_t(i)]++; });
  CHECK(std::count(hits.begin(), hits.end(), 1) == 100);
  pool.parallel_for(10, [&](int i) { pool.parallel_for(3, [&](int) { inner[size_t(i)]++; }); });
  CHECK(std::count(inner.begin(), inner.end(), 3) == 10);
  ll::ThreadPool single(1);
  int sum = 0;
  single.parallel_for(5, [&](int i) { sum += i; });  // inline on the caller: no race
  CHECK(sum == 10);
}

TEST_CASE("nn layers give identical results with 1 and 3 threads", "[nn]") {
  ll::Rng rng(53);
  ParamStore store;
  const Conv2D conv = make_conv2d(store, "conv", 3, 8, 12, 12);
  const Dense dense = make_dense(store, "fc", conv.out_size(), 300);
  init_params(store, rng);
  const Mat x = random_mat(rng, 20, conv.in_size()), r = random_mat(rng, 20, 300);
  const auto run = [&](int threads, std::vector<float>& grads, Mat& dx, Mat& out) {
    ll::set_compute_threads(threads);
    Mat h, dh;
    zero_grads(store);
    conv2d_forward(store, conv, x, h);
    dense_forward(store, dense, h, out);
    dense_backward(store, dense, h, r, &dh);
    conv2d_backward(store, conv, x, dh, &dx);
    grads = store.grads;
  };
  const int threads_before = ll::compute_threads();
  std::vector<float> grads1, grads3;
  Mat dx1, dx3, out1, out3;
  run(1, grads1, dx1, out1);
  run(3, grads3, dx3, out3);
  ll::set_compute_threads(threads_before);
  CHECK(grads1 == grads3);
  CHECK(dx1 == dx3);
  CHECK(out1 == out3);
  CHECK(out1.allFinite());
}
