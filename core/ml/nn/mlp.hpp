#pragma once
// A multilayer perceptron: dense layers with one activation between them and an optional
// one on the output. The block reused by the autoencoder, VAE encoder/decoder, GAN and flow
// coupling networks. It owns the activations its backward needs.
#include <string>
#include <vector>

#include "ml/nn/layers.hpp"

namespace ll::nn {

struct Mlp {
  std::vector<Dense> layers;                       // sizes[i] → sizes[i + 1], named "<name>.<i>"
  Activation hidden = Activation::ReLU;            // after every layer but the last
  Activation output = Activation::Identity;        // after the last layer
  std::vector<Mat> inputs;                         // [layers] the input each layer saw
  std::vector<Mat> pre;                            // [layers] each layer's pre-activation
  Mat out;                                         // [B, sizes.back()]
  int in_size() const { return layers.front().in; }
  int out_size() const { return layers.back().out; }
};

// sizes = {in, hidden..., out}, at least two entries.
Mlp make_mlp(ParamStore& store, const std::string& name, const std::vector<int>& sizes,
             Activation hidden = Activation::ReLU, Activation output = Activation::Identity);
const Mat& mlp_forward(const ParamStore& store, Mlp& mlp, const Mat& x);  // x [B, in] → mlp.out [B, out]
// dout = ∂loss/∂mlp.out; adds parameter gradients; dx [B, in] (nullptr skips it).
void mlp_backward(ParamStore& store, const Mlp& mlp, const Mat& dout, Mat* dx);

}  // namespace ll::nn
