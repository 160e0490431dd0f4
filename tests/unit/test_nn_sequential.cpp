#include <catch2/catch.hpp>

#include "ml/nn/sequential.hpp"
#include "nn_gradcheck.hpp"

using namespace ll::nn;
using ll::nn::test::gradient_relative_error;
using ll::nn::test::project;
using ll::nn::test::random_mat;

TEST_CASE("nn sequential: a conv / norm / transposed-conv / dense chain passes its gradient check", "[nn]") {
  ll::Rng rng(61);
  ParamStore store;
  Sequential net;
  const Conv2D conv = add_conv(net, store, "conv", 2, 4, 6, 6, 3, 2, 1);  // 6×6 → 3×3
  add_group_norm(net, store, "norm", 4, 2, conv.out_h * conv.out_w);
  add_activation(net, Activation::SiLU);
  const ConvTranspose2D up = add_conv_transpose(net, store, "up", 4, 2, conv.out_h, conv.out_w, 4, 2, 1);  // → 6×6
  add_activation(net, Activation::Tanh);
  add_dense(net, store, "fc", up.out_size(), 5);
  CHECK(up.out_h == 6);
  CHECK(net.in_size() == 2 * 6 * 6);
  CHECK(net.out_size() == 5);
  init_params(store, rng);

  Mat x = random_mat(rng, 3, net.in_size());
  const Mat r = random_mat(rng, 3, net.out_size());
  const auto loss = [&] { return project(sequential_forward(store, net, x), r); };
  loss();
  zero_grads(store);
  Mat dx;
  sequential_backward(store, net, r, &dx);
  CHECK(dx.rows() == 3);
  CHECK(dx.cols() == net.in_size());
  CHECK(gradient_relative_error(store.values.data(), store.grads.data(), store.values.size(), loss, 1e-3f) < 1e-2);
  CHECK(gradient_relative_error(x.data(), dx.data(), size_t(x.size()), loss, 1e-3f) < 1e-2);
  // stage_output(i) is what stage i produced: the last one is the network's output.
  CHECK(stage_output(net, int(net.stages.size()) - 1) == net.out);
  CHECK(stage_output(net, 0).cols() == conv.out_size());
}
