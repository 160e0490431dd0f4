#pragma once
// Layers of the numeric core as plain structs (sizes + ParamIds) with explicit forward and
// backward free functions. Conventions (see ml/nn/nn.hpp for the whole picture):
//  - activations are Mat, one sample per row; images are rows of C·H·W floats in channel,
//    row, column order (NCHW), so "reshape" between [B, C·H·W] and [B, C, H, W] is free and
//    concatenating channels is concatenating columns;
//  - forward writes y (resized as needed) from x and the parameters;
//  - backward ADDS parameter gradients into store.grads and WRITES dx (pass nullptr to skip);
//    it needs the same x (and caches) that forward saw, which the caller keeps;
//  - every function checks the shapes it receives and produces (LL_CHECK, on in Release).
#include <string>
#include <vector>

#include "ml/nn/params.hpp"

namespace ll::nn {

// --- Dense (linear): y = x Wᵀ + b -------------------------------------------------------
struct Dense {
  int in = 0, out = 0;
  ParamId weight = -1;  // [out, in], Glorot-uniform
  ParamId bias = -1;    // [out], zeros
};
Dense make_dense(ParamStore& store, const std::string& name, int in, int out);
void dense_forward(const ParamStore& store, const Dense& layer, const Mat& x, Mat& y);  // x [B, in] → y [B, out]
void dense_backward(ParamStore& store, const Dense& layer, const Mat& x, const Mat& dy, Mat* dx);  // dx [B, in]

// --- Element-wise activations -----------------------------------------------------------
enum class Activation { Identity, ReLU, LeakyReLU, SiLU, Tanh, Sigmoid, Softplus };
constexpr float kLeakySlope = 0.2f;  // LeakyReLU slope for x < 0 (the DCGAN value)
const char* activation_name(Activation a);
void activation_forward(Activation a, const Mat& x, Mat& y);                    // y same shape as x
void activation_backward(Activation a, const Mat& x, const Mat& dy, Mat& dx);  // from the input x

// Numerically stable scalar forms, shared with the losses.
float stable_sigmoid(float x);
float stable_softplus(float x);  // log(1 + eˣ)

// --- 2-D convolution (im2col + GEMM), square kernel, zero padding -------------------------
struct Conv2D {
  int in_channels = 0, out_channels = 0, kernel = 3, stride = 1, padding = 1;
  int in_h = 0, in_w = 0, out_h = 0, out_w = 0;  // out = (in + 2·padding − kernel) / stride + 1
  ParamId weight = -1;  // [out_channels, in_channels, kernel, kernel], Kaiming-uniform
  ParamId bias = -1;    // [out_channels], zeros
  int in_size() const { return in_channels * in_h * in_w; }
  int out_size() const { return out_channels * out_h * out_w; }
};
Conv2D make_conv2d(ParamStore& store, const std::string& name, int in_channels, int out_channels, int in_h, int in_w,
                   int kernel = 3, int stride = 1, int padding = 1);
void conv2d_forward(const ParamStore& store, const Conv2D& layer, const Mat& x, Mat& y);  // [B, in_size] → [B, out_size]
void conv2d_backward(ParamStore& store, const Conv2D& layer, const Mat& x, const Mat& dy, Mat* dx);

// --- Transposed 2-D convolution (the adjoint of Conv2D; GAN generators up-sample with it) ---
struct ConvTranspose2D {
  int in_channels = 0, out_channels = 0, kernel = 4, stride = 2, padding = 1;
  int in_h = 0, in_w = 0, out_h = 0, out_w = 0;  // out = (in − 1)·stride − 2·padding + kernel
  ParamId weight = -1;  // [in_channels, out_channels, kernel, kernel] (PyTorch's layout)
  ParamId bias = -1;    // [out_channels], zeros
  int in_size() const { return in_channels * in_h * in_w; }
  int out_size() const { return out_channels * out_h * out_w; }
};
ConvTranspose2D make_conv_transpose2d(ParamStore& store, const std::string& name, int in_channels, int out_channels,
                                      int in_h, int in_w, int kernel = 4, int stride = 2, int padding = 1);
void conv_transpose2d_forward(const ParamStore& store, const ConvTranspose2D& layer, const Mat& x, Mat& y);
void conv_transpose2d_backward(ParamStore& store, const ConvTranspose2D& layer, const Mat& x, const Mat& dy, Mat* dx);

// --- Nearest-neighbour 2x up-sampling of [B, C·H·W] images to [B, C·2H·2W] ----------------
void upsample2x_forward(const Mat& x, int channels, int h, int w, Mat& y);
void upsample2x_backward(const Mat& dy, int channels, int h, int w, Mat& dx);  // dx [B, C·H·W]

// --- Group normalisation; LayerNorm is one group over a row (make_layer_norm) -------------
struct GroupNorm {
  int channels = 0, groups = 1, spatial = 1;  // rows are [channels · spatial]; spatial = H·W
  float eps = 1e-5f;
  ParamId gamma = -1;  // [channels], ones
  ParamId beta = -1;   // [channels], zeros
};
struct GroupNormCache {
  Mat normalized;  // [B, channels·spatial] x̂ = (x − mean) / σ per (row, group)
  Mat inv_std;     // [B, groups] 1/σ
};
GroupNorm make_group_norm(ParamStore& store, const std::string& name, int channels, int groups, int spatial);
GroupNorm make_layer_norm(ParamStore& store, const std::string& name, int features);
void group_norm_forward(const ParamStore& store, const GroupNorm& layer, const Mat& x, Mat& y, GroupNormCache& cache);
void group_norm_backward(ParamStore& store, const GroupNorm& layer, const GroupNormCache& cache, const Mat& dy,
                         Mat* dx);

// --- Embedding lookup: y[b] = table[ids[b]] ------------------------------------------------
struct Embedding {
  int count = 0, dim = 0;
  ParamId table = -1;  // [count, dim], N(0, 1)
};
Embedding make_embedding(ParamStore& store, const std::string& name, int count, int dim);
void embedding_forward(const ParamStore& store, const Embedding& layer, const std::vector<int>& ids, Mat& y);
void embedding_backward(ParamStore& store, const Embedding& layer, const std::vector<int>& ids, const Mat& dy);

// --- Sinusoidal time embedding (Transformer / DDPM), no parameters --------------------------
// y[b, i] = sin(t_b·fᵢ), y[b, half + i] = cos(t_b·fᵢ), fᵢ = max_period^(−i/half); dim even.
void sinusoidal_embedding(const std::vector<float>& t, int dim, Mat& y, float max_period = 10000.0f);

// --- Shape glue --------------------------------------------------------------------------
// Concatenate features (or channels of NCHW rows): y = [a | b]; backward splits dy.
void concat_columns(const Mat& a, const Mat& b, Mat& y);
void split_columns(const Mat& dy, int a_cols, Mat& da, Mat& db);
// Residual add y = a + b; its backward passes dy unchanged to both inputs.
void residual_add(const Mat& a, const Mat& b, Mat& y);

}  // namespace ll::nn
