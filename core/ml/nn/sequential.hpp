#pragma once
// A chain of layers run one after the other (conv nets: the digit classifier, the GAN's
// generator and discriminator). Each stage keeps the input it saw, so backward needs only
// the gradient of the output. Branching networks (the U-Net) wire layers by hand instead.
#include <string>
#include <vector>

#include "ml/nn/layers.hpp"

namespace ll::nn {

struct Stage {
  enum Kind { DenseLayer, ConvLayer, ConvTransposeLayer, ActivationLayer, GroupNormLayer } kind = DenseLayer;
  Dense dense;
  Conv2D conv;
  ConvTranspose2D conv_transpose;
  Activation activation = Activation::Identity;
  GroupNorm norm;
  GroupNormCache norm_cache;
  Mat input;  // what forward saw, for backward
  int in_size = 0, out_size = 0;
};

struct Sequential {
  std::vector<Stage> stages;
  Mat out;  // [B, out_size()] after sequential_forward
  int in_size() const { return stages.front().in_size; }
  int out_size() const { return stages.back().out_size; }
};

// Appending checks that each stage's input size equals the previous stage's output size.
void add_dense(Sequential& seq, ParamStore& store, const std::string& name, int in, int out);
// Return a copy of the layer so the caller can read its output geometry (out_h, out_w).
Conv2D add_conv(Sequential& seq, ParamStore& store, const std::string& name, int in_channels, int out_channels,
                int in_h, int in_w, int kernel, int stride, int padding);
ConvTranspose2D add_conv_transpose(Sequential& seq, ParamStore& store, const std::string& name, int in_channels,
                                   int out_channels, int in_h, int in_w, int kernel, int stride, int padding);
// Element-wise, on the previous stage's output size.
void add_activation(Sequential& seq, Activation activation);
void add_group_norm(Sequential& seq, ParamStore& store, const std::string& name, int channels, int groups, int spatial);

const Mat& sequential_forward(const ParamStore& store, Sequential& seq, const Mat& x);  // [B, in] → seq.out
// Adds parameter gradients; dx (nullptr skips it) is ∂loss/∂x.
void sequential_backward(ParamStore& store, Sequential& seq, const Mat& dout, Mat* dx);
// The output of stage `index` from the last forward (the input of stage index + 1).
const Mat& stage_output(const Sequential& seq, int index);

}  // namespace ll::nn
