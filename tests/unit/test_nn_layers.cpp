#include <catch2/catch.hpp>

#include <cmath>

#include "ml/nn/layers.hpp"
#include "ml/nn/losses.hpp"
#include "nn_gradcheck.hpp"

using namespace ll::nn;
using ll::nn::test::gradient_relative_error;
using ll::nn::test::project;
using ll::nn::test::random_mat;

namespace {

// Gradient of every parameter of `store` against central differences of `loss`; `backward`
// must leave the analytic gradients in store.grads (it is called after zero_grads).
void check_param_gradients(ParamStore& store, const std::function<double()>& loss, const std::function<void()>& backward,
                           double tolerance, float h = 1e-2f) {
  zero_grads(store);
  backward();
  const std::vector<float> analytic = store.grads;
  for (const ParamView& v : store.views) {
    INFO("parameter " << v.name);
    CHECK(gradient_relative_error(store.values.data() + v.offset, analytic.data() + v.offset, v.size, loss, h) <
          tolerance);
  }
}

}  // namespace

TEST_CASE("nn params: one contiguous buffer with named views", "[nn]") {
  ParamStore store;
  const Dense a = make_dense(store, "a", 3, 4), b = make_dense(store, "b", 4, 2);
  REQUIRE(store.views.size() == 4);
  CHECK(param_count(store) == 3 * 4 + 4 + 4 * 2 + 2);
  CHECK(store.grads.size() == store.values.size());
  CHECK(store.views[size_t(b.weight)].offset == 16);
  CHECK(store.views[size_t(a.weight)].shape == std::vector<int>{4, 3});
  CHECK(find_param(store, "b.bias") == b.bias);
  CHECK(find_param(store, "nope") == -1);
  ll::Rng rng(5);
  init_params(store, rng);
  param_matrix(store, b.weight)(1, 3) = 42.0f;  // a view writes into the one buffer
  CHECK(store.values[16 + 1 * 4 + 3] == 42.0f);
  ParamStore again = store;
  ll::Rng rng2(5);
  init_params(again, rng2);
  again.values[16 + 1 * 4 + 3] = 42.0f;
  CHECK(again.values == store.values);  // the seed decides the whole model
  const float bound = std::sqrt(6.0f / 7.0f);
  CHECK(param_matrix(store, a.weight).cwiseAbs().maxCoeff() <= bound);
  CHECK(param_row(store, a.bias).isZero());
}

TEST_CASE("nn dense: forward is x·Wᵀ + b and gradients match central differences", "[nn]") {
  ll::Rng rng(11);
  ParamStore store;
  const Dense layer = make_dense(store, "fc", 5, 3);
  init_params(store, rng);
  for (float& b : store.values) b += 0.1f;  // non-zero bias
  Mat x = random_mat(rng, 4, 5), r = random_mat(rng, 4, 3), y, dx;
  dense_forward(store, layer, x, y);
  const Mat expected = (x * param_matrix(store, layer.weight).transpose()).rowwise() + param_row(store, layer.bias);
  CHECK((y - expected).cwiseAbs().maxCoeff() < 1e-6f);
  const auto loss = [&] {
    dense_forward(store, layer, x, y);
    return project(y, r);
  };
  check_param_gradients(store, loss, [&] { dense_backward(store, layer, x, r, &dx); }, 1e-4);
  CHECK(gradient_relative_error(x.data(), dx.data(), size_t(x.size()), loss) < 1e-4);
}

TEST_CASE("nn activations: values and gradients of every activation", "[nn]") {
  ll::Rng rng(3);
  const Activation all[] = {Activation::Identity, Activation::ReLU,    Activation::LeakyReLU, Activation::SiLU,
                            Activation::Tanh,     Activation::Sigmoid, Activation::Softplus};
  for (Activation a : all) {
    INFO(activation_name(a));
    Mat x = random_mat(rng, 3, 6, -3, 3, 0.05f), r = random_mat(rng, 3, 6), y, dx;
    const auto loss = [&] {
      activation_forward(a, x, y);
      return project(y, r);
    };
    activation_backward(a, x, r, dx);
    CHECK(gradient_relative_error(x.data(), dx.data(), size_t(x.size()), loss, 1e-3f) < 2e-3);
  }
  Mat x(1, 4), y;
  x << -1000.0f, -1.0f, 0.0f, 1000.0f;
  activation_forward(Activation::Sigmoid, x, y);
  CHECK(y(0, 0) == 0.0f);
  CHECK(y(0, 2) == 0.5f);
  CHECK(y(0, 3) == 1.0f);
  activation_forward(Activation::Softplus, x, y);
  CHECK(y(0, 0) == 0.0f);
  CHECK(y(0, 1) == Approx(std::log1p(std::exp(-1.0))));
  CHECK(y(0, 3) == 1000.0f);  // no overflow to inf
  activation_forward(Activation::LeakyReLU, x, y);
  CHECK(y(0, 1) == Approx(-kLeakySlope));
  activation_forward(Activation::SiLU, x, y);
  CHECK(y.allFinite());
}

TEST_CASE("nn losses: gradients match central differences", "[nn]") {
  ll::Rng rng(19);
  Mat pred = random_mat(rng, 4, 3, -2, 2), target = random_mat(rng, 4, 3, 0, 1), grad;
  for (Reduction red : {Reduction::Mean, Reduction::BatchMean}) {
    mse_loss(pred, target, &grad, red);
    CHECK(gradient_relative_error(pred.data(), grad.data(), size_t(pred.size()),
                                  [&] { return mse_loss(pred, target, nullptr, red); }) < 1e-4);
    bce_with_logits_loss(pred, target, &grad, red);
    CHECK(gradient_relative_error(pred.data(), grad.data(), size_t(pred.size()),
                                  [&] { return bce_with_logits_loss(pred, target, nullptr, red); }, 1e-3f) < 1e-3);
  }
  const std::vector<int> labels = {0, 2, 1, 2};
  softmax_cross_entropy(pred, labels, &grad);
  CHECK(gradient_relative_error(pred.data(), grad.data(), size_t(pred.size()),
                                [&] { return softmax_cross_entropy(pred, labels, nullptr); }, 1e-3f) < 1e-3);
  Mat mu = random_mat(rng, 4, 2), logvar = random_mat(rng, 4, 2), dmu, dlogvar;
  gaussian_kl_loss(mu, logvar, &dmu, &dlogvar);
  const auto kl = [&] { return gaussian_kl_loss(mu, logvar, nullptr, nullptr); };
  CHECK(gradient_relative_error(mu.data(), dmu.data(), size_t(mu.size()), kl, 1e-3f) < 1e-3);
  CHECK(gradient_relative_error(logvar.data(), dlogvar.data(), size_t(logvar.size()), kl, 1e-3f) < 1e-3);
}

TEST_CASE("nn losses: known values and stability at extreme logits", "[nn]") {
  Mat a(1, 2), b(1, 2), grad;
  a << 1, 3;
  b << 0, 1;
  CHECK(mse_loss(a, b, nullptr) == Approx((1.0 + 4.0) / 2));
  CHECK(mse_loss(a, b, nullptr, Reduction::BatchMean) == Approx(5.0));
  Mat z(1, 2), t(1, 2);
  z << 200.0f, -200.0f;
  t << 0.0f, 0.0f;
  CHECK(bce_with_logits_loss(z, t, &grad) == Approx(100.0));  // (200 + 0) / 2, no overflow
  CHECK(grad(0, 0) == Approx(0.5));
  CHECK(grad(0, 1) == Approx(0.0).margin(1e-12));
  Mat logits(2, 3);
  logits << 1000, 0, -1000, 0, 0, 0;
  CHECK(softmax_cross_entropy(logits, {0, 1}, &grad) == Approx(std::log(3.0) / 2));
  CHECK(grad.allFinite());
  CHECK(accuracy(logits, {0, 0}) == 1.0);  // a tie goes to the first class
  CHECK(accuracy(logits, {0, 1}) == 0.5);
  Mat mu = Mat::Zero(2, 3), logvar = Mat::Zero(2, 3);
  CHECK(gaussian_kl_loss(mu, logvar, nullptr, nullptr) == 0.0);  // N(0, I) against itself
  mu(0, 0) = 2;
  CHECK(gaussian_kl_loss(mu, logvar, nullptr, nullptr) == Approx(0.5 * 4 / 2));
}

TEST_CASE("nn conv2d: matches a direct convolution", "[nn]") {
  ll::Rng rng(23);
  ParamStore store;
  const Conv2D conv = make_conv2d(store, "conv", 2, 3, 5, 4, 3, 2, 1);
  CHECK(conv.out_h == 3);
  CHECK(conv.out_w == 2);
  init_params(store, rng);
  for (int c = 0; c < 3; ++c) param_data(store, conv.bias)[c] = 0.1f * float(c + 1);
  Mat x = random_mat(rng, 2, conv.in_size()), y;
  conv2d_forward(store, conv, x, y);
  const float* w = param_data(store, conv.weight);
  double worst = 0;
  for (int s = 0; s < 2; ++s)
    for (int o = 0; o < 3; ++o)
      for (int oy = 0; oy < conv.out_h; ++oy)
        for (int ox = 0; ox < conv.out_w; ++ox) {
          double sum = param_data(store, conv.bias)[o];
          for (int c = 0; c < 2; ++c)
            for (int ki = 0; ki < 3; ++ki)
              for (int kj = 0; kj < 3; ++kj) {
                const int iy = oy * 2 - 1 + ki, ix = ox * 2 - 1 + kj;
                if (iy >= 0 && iy < 5 && ix >= 0 && ix < 4)
                  sum += double(w[((o * 2 + c) * 3 + ki) * 3 + kj]) * x(s, (c * 5 + iy) * 4 + ix);
              }
          worst = std::max(worst, std::fabs(sum - y(s, (o * conv.out_h + oy) * conv.out_w + ox)));
        }
  CHECK(worst < 1e-5);
}

TEST_CASE("nn conv2d: gradients match central differences (stride 1 and 2)", "[nn]") {
  for (int stride : {1, 2}) {
    INFO("stride " << stride);
    ll::Rng rng(29 + stride);
    ParamStore store;
    const Conv2D conv = make_conv2d(store, "conv", 2, 3, 5, 6, 3, stride, 1);
    init_params(store, rng);
    Mat x = random_mat(rng, 3, conv.in_size()), r = random_mat(rng, 3, conv.out_size()), y, dx;
    const auto loss = [&] {
      conv2d_forward(store, conv, x, y);
      return project(y, r);
    };
    check_param_gradients(store, loss, [&] { conv2d_backward(store, conv, x, r, &dx); }, 1e-4);
    CHECK(gradient_relative_error(x.data(), dx.data(), size_t(x.size()), loss) < 1e-4);
  }
}

TEST_CASE("nn upsample2x: copies each pixel to a 2x2 block; gradient sums them", "[nn]") {
  ll::Rng rng(31);
  Mat x = random_mat(rng, 2, 2 * 3 * 2), y, dx;
  upsample2x_forward(x, 2, 3, 2, y);
  REQUIRE(y.cols() == 2 * 6 * 4);
  CHECK(y(1, (1 * 6 + 5) * 4 + 3) == x(1, (1 * 3 + 2) * 2 + 1));
  const Mat r = random_mat(rng, 2, y.cols());
  upsample2x_backward(r, 2, 3, 2, dx);
  CHECK(gradient_relative_error(x.data(), dx.data(), size_t(x.size()), [&] {
          upsample2x_forward(x, 2, 3, 2, y);
          return project(y, r);
        }) < 1e-5);
}

TEST_CASE("nn group norm and layer norm: normalised output and gradients", "[nn]") {
  struct Case { int channels, groups, spatial; };
  for (Case c : {Case{4, 2, 3}, Case{6, 1, 1}, Case{3, 3, 4}}) {
    INFO("channels " << c.channels << " groups " << c.groups << " spatial " << c.spatial);
    ll::Rng rng(37 + c.channels);
    ParamStore store;
    const GroupNorm norm = c.groups == 1 && c.spatial == 1 ? make_layer_norm(store, "ln", c.channels)
                                                           : make_group_norm(store, "gn", c.channels, c.groups, c.spatial);
    init_params(store, rng);
    GroupNormCache cache;
    Mat x = random_mat(rng, 2, c.channels * c.spatial, -2, 3), y, dx;
    group_norm_forward(store, norm, x, y, cache);  // γ = 1, β = 0: each group has mean 0, variance 1
    const int group = c.channels * c.spatial / c.groups;
    for (int g = 0; g < c.groups; ++g) {
      const auto block = y.row(1).segment(g * group, group);
      CHECK(block.mean() == Approx(0).margin(1e-5));
      CHECK((block.array() * block.array()).mean() == Approx(1).epsilon(1e-3));
    }
    for (size_t i = 0; i < store.values.size(); ++i) store.values[i] += float(rng.uniform(-0.5, 0.5));
    const Mat r = random_mat(rng, 2, x.cols());
    const auto loss = [&] {
      group_norm_forward(store, norm, x, y, cache);
      return project(y, r);
    };
    loss();
    check_param_gradients(store, loss, [&] { group_norm_backward(store, norm, cache, r, &dx); }, 1e-3);
    CHECK(gradient_relative_error(x.data(), dx.data(), size_t(x.size()), loss, 1e-3f) < 5e-3);
  }
}

TEST_CASE("nn embedding, concat, residual add: values and gradients", "[nn]") {
  ll::Rng rng(41);
  ParamStore store;
  const Embedding emb = make_embedding(store, "emb", 5, 3);
  init_params(store, rng);
  const std::vector<int> ids = {4, 1, 4};
  Mat y;
  embedding_forward(store, emb, ids, y);
  CHECK(y.row(2) == param_matrix(store, emb.table).row(4));
  const Mat r = random_mat(rng, 3, 3);
  check_param_gradients(
      store,
      [&] {
        embedding_forward(store, emb, ids, y);
        return project(y, r);
      },
      [&] { embedding_backward(store, emb, ids, r); }, 1e-5);
  CHECK(grad_matrix(store, emb.table).row(0).isZero());

  Mat a = random_mat(rng, 2, 3), b = random_mat(rng, 2, 4), cat, da, db, sum;
  concat_columns(a, b, cat);
  REQUIRE(cat.cols() == 7);
  CHECK(cat(1, 5) == b(1, 2));
  const Mat rc = random_mat(rng, 2, 7);
  split_columns(rc, 3, da, db);
  const auto concat_loss = [&] {
    concat_columns(a, b, cat);
    return project(cat, rc);
  };
  CHECK(gradient_relative_error(a.data(), da.data(), size_t(a.size()), concat_loss) < 1e-5);
  CHECK(gradient_relative_error(b.data(), db.data(), size_t(b.size()), concat_loss) < 1e-5);
  Mat c = random_mat(rng, 2, 3);
  const Mat rs = random_mat(rng, 2, 3);
  const auto add_loss = [&] {
    residual_add(a, c, sum);
    return project(sum, rs);
  };
  CHECK(gradient_relative_error(a.data(), rs.data(), size_t(a.size()), add_loss) < 1e-5);  // dy passes through
  CHECK(gradient_relative_error(c.data(), rs.data(), size_t(c.size()), add_loss) < 1e-5);
}

TEST_CASE("nn sinusoidal embedding: sin/cos halves with geometric frequencies", "[nn]") {
  Mat y;
  sinusoidal_embedding({0.0f, 3.0f}, 8, y);
  REQUIRE(y.rows() == 2);
  REQUIRE(y.cols() == 8);
  CHECK(y.row(0).head(4).isZero());
  CHECK(y.row(0).tail(4).isOnes());
  CHECK(y(1, 0) == Approx(std::sin(3.0)));
  CHECK(y(1, 1) == Approx(std::sin(3.0 * std::pow(10000.0, -0.25))));
  CHECK(y(1, 5) == Approx(std::cos(3.0 * std::pow(10000.0, -0.25))));
}

TEST_CASE("nn a seeded conv → group norm → SiLU → dense net gives pinned outputs on every target", "[nn]") {
  // Values from the native build; the WASM build must agree to 1e-5 (own RNG, no FMA).
  ll::Rng rng(61);
  ParamStore store;
  const Conv2D conv = make_conv2d(store, "c", 2, 4, 6, 6, 3, 1, 1);
  const GroupNorm gn = make_group_norm(store, "gn", 4, 2, 36);
  const Dense fc = make_dense(store, "fc", conv.out_size(), 3);
  init_params(store, rng);
  Mat x(2, conv.in_size());
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.normal());
  Mat h, n, a, y;
  GroupNormCache cache;
  conv2d_forward(store, conv, x, h);
  group_norm_forward(store, gn, h, n, cache);
  activation_forward(Activation::SiLU, n, a);
  dense_forward(store, fc, a, y);
  const float pinned[6] = {-0.431662589f, -0.364106297f, -0.458613336f, 0.389008641f, 0.130187526f, -1.15931773f};
  REQUIRE(y.size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(y.data()[i] == Approx(pinned[i]).margin(1e-5));
}

TEST_CASE("nn transposed conv: adjoint of conv2d, output size, gradients", "[nn]") {
  ll::Rng rng(47);
  ParamStore store;
  const ConvTranspose2D up = make_conv_transpose2d(store, "up", 3, 2, 4, 3);  // kernel 4, stride 2, padding 1
  CHECK(up.out_h == 8);
  CHECK(up.out_w == 6);
  init_params(store, rng);
  for (int c = 0; c < 2; ++c) param_data(store, up.bias)[c] = 0.2f * float(c + 1);
  // ⟨convT(x), v⟩ = ⟨x, conv(v)⟩ with shared weights and no bias: the defining property.
  ParamStore twin;
  const Conv2D down = make_conv2d(twin, "down", 2, 3, 8, 6, 4, 2, 1);
  REQUIRE(down.out_h == 4);
  std::copy(param_data(store, up.weight), param_data(store, up.weight) + 3 * 2 * 16, twin.values.begin());
  Mat x = random_mat(rng, 2, up.in_size()), v = random_mat(rng, 2, up.out_size()), y, cv;
  conv_transpose2d_forward(store, up, x, y);
  conv2d_forward(twin, down, v, cv);
  double bias_term = 0;
  for (int s = 0; s < 2; ++s)
    for (int c = 0; c < 2; ++c) bias_term += 0.2 * (c + 1) * v.row(s).segment(c * 48, 48).sum();
  CHECK(project(y, v) - bias_term == Approx(project(x, cv)).epsilon(1e-4));

  const Mat r = random_mat(rng, 2, up.out_size());
  Mat dx;
  const auto loss = [&] {
    conv_transpose2d_forward(store, up, x, y);
    return project(y, r);
  };
  check_param_gradients(store, loss, [&] { conv_transpose2d_backward(store, up, x, r, &dx); }, 1e-4);
  CHECK(gradient_relative_error(x.data(), dx.data(), size_t(x.size()), loss) < 1e-4);
}
