#include "ml/nn/sequential.hpp"

#include "ml/check.hpp"

namespace ll::nn {

namespace {

Stage& append(Sequential& seq, Stage::Kind kind, int in_size, int out_size) {
  LL_CHECK(seq.stages.empty() || seq.stages.back().out_size == in_size,
           "sequential: a stage's input size must equal the previous stage's output size");
  Stage stage;
  stage.kind = kind;
  stage.in_size = in_size;
  stage.out_size = out_size;
  seq.stages.push_back(std::move(stage));
  return seq.stages.back();
}

}  // namespace

void add_dense(Sequential& seq, ParamStore& store, const std::string& name, int in, int out) {
  append(seq, Stage::DenseLayer, in, out).dense = make_dense(store, name, in, out);
}

Conv2D add_conv(Sequential& seq, ParamStore& store, const std::string& name, int in_channels, int out_channels,
                int in_h, int in_w, int kernel, int stride, int padding) {
  const Conv2D conv = make_conv2d(store, name, in_channels, out_channels, in_h, in_w, kernel, stride, padding);
  append(seq, Stage::ConvLayer, conv.in_size(), conv.out_size()).conv = conv;
  return conv;
}

ConvTranspose2D add_conv_transpose(Sequential& seq, ParamStore& store, const std::string& name, int in_channels,
                                   int out_channels, int in_h, int in_w, int kernel, int stride, int padding) {
  const ConvTranspose2D t =
      make_conv_transpose2d(store, name, in_channels, out_channels, in_h, in_w, kernel, stride, padding);
  append(seq, Stage::ConvTransposeLayer, t.in_size(), t.out_size()).conv_transpose = t;
  return t;
}

void add_activation(Sequential& seq, Activation activation) {
  LL_CHECK(!seq.stages.empty(), "sequential: an activation needs a stage before it");
  const int size = seq.stages.back().out_size;
  append(seq, Stage::ActivationLayer, size, size).activation = activation;
}

void add_group_norm(Sequential& seq, ParamStore& store, const std::string& name, int channels, int groups, int spatial) {
  append(seq, Stage::GroupNormLayer, channels * spatial, channels * spatial).norm =
      make_group_norm(store, name, channels, groups, spatial);
}

const Mat& sequential_forward(const ParamStore& store, Sequential& seq, const Mat& x) {
  LL_CHECK(!seq.stages.empty() && x.cols() == seq.in_size(), "sequential_forward: x must be [B, in]");
  for (size_t i = 0; i < seq.stages.size(); ++i) {
    Stage& s = seq.stages[i];
    s.input = i == 0 ? x : seq.out;
    switch (s.kind) {
      case Stage::DenseLayer: dense_forward(store, s.dense, s.input, seq.out); break;
      case Stage::ConvLayer: conv2d_forward(store, s.conv, s.input, seq.out); break;
      case Stage::ConvTransposeLayer: conv_transpose2d_forward(store, s.conv_transpose, s.input, seq.out); break;
      case Stage::ActivationLayer: activation_forward(s.activation, s.input, seq.out); break;
      case Stage::GroupNormLayer: group_norm_forward(store, s.norm, s.input, seq.out, s.norm_cache); break;
    }
  }
  LL_CHECK_SHAPE(seq.out, x.rows(), seq.out_size(), "sequential_forward: out must be [B, out]");
  return seq.out;
}

void sequential_backward(ParamStore& store, Sequential& seq, const Mat& dout, Mat* dx) {
  LL_CHECK(dout.cols() == seq.out_size(), "sequential_backward: dout must be [B, out]");
  Mat grad = dout, grad_in;
  for (int i = int(seq.stages.size()) - 1; i >= 0; --i) {
    Stage& s = seq.stages[size_t(i)];
    Mat* into = (i > 0 || dx) ? &grad_in : nullptr;  // the first stage's dx only when asked
    switch (s.kind) {
      case Stage::DenseLayer: dense_backward(store, s.dense, s.input, grad, into); break;
      case Stage::ConvLayer: conv2d_backward(store, s.conv, s.input, grad, into); break;
      case Stage::ConvTransposeLayer: conv_transpose2d_backward(store, s.conv_transpose, s.input, grad, into); break;
      case Stage::ActivationLayer: activation_backward(s.activation, s.input, grad, grad_in); break;
      case Stage::GroupNormLayer: group_norm_backward(store, s.norm, s.norm_cache, grad, into); break;
    }
    if (i == 0 && !dx) return;
    grad.swap(grad_in);
  }
  *dx = std::move(grad);
  LL_CHECK(dx->cols() == seq.in_size(), "sequential_backward: dx must be [B, in]");
}

const Mat& stage_output(const Sequential& seq, int index) {
  LL_CHECK(index >= 0 && index < int(seq.stages.size()), "stage_output: no such stage");
  return index + 1 < int(seq.stages.size()) ? seq.stages[size_t(index) + 1].input : seq.out;
}

}  // namespace ll::nn
