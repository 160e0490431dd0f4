#include "ml/nn/layers.hpp"

#include <algorithm>
#include <cmath>

#include "ml/check.hpp"
#include "ml/gemm.hpp"
#include "ml/thread_pool.hpp"

namespace ll::nn {

namespace {

// Work is split into blocks whose size depends only on the data, never on the thread
// count, so 1 and N threads do identical arithmetic (see ml/thread_pool.hpp).
constexpr int kRowBlock = 128;   // batch rows per task in dense forward / input gradient
constexpr int kConvGroup = 8;    // samples per task in the conv weight gradient

int blocks(int n, int block) { return (n + block - 1) / block; }

}  // namespace

// ---------------------------------------------------------------------------------------
Dense make_dense(ParamStore& store, const std::string& name, int in, int out) {
  LL_CHECK(in > 0 && out > 0, "dense sizes must be positive");
  Dense d;
  d.in = in;
  d.out = out;
  d.weight = add_param(store, name + ".weight", {out, in}, {ParamInit::Uniform, std::sqrt(6.0f / float(in + out))});
  d.bias = add_param(store, name + ".bias", {out}, {ParamInit::Zeros, 0});
  return d;
}

void dense_forward(const ParamStore& store, const Dense& layer, const Mat& x, Mat& y) {
  LL_CHECK(x.cols() == layer.in, "dense_forward: x must be [B, in]");
  const ConstMatMap w = param_matrix(store, layer.weight);  // [out, in]
  const ConstRowMap b = param_row(store, layer.bias);       // [out]
  const int rows = int(x.rows());
  y.resize(rows, layer.out);
  compute_pool().parallel_for(blocks(rows, kRowBlock), [&](int task) {
    const int r0 = task * kRowBlock, n = std::min(kRowBlock, rows - r0);
    gemm(Transpose::No, Transpose::Yes, n, layer.out, layer.in, x.row(r0).data(), layer.in, w.data(), layer.in,
         y.row(r0).data(), layer.out);
    y.middleRows(r0, n).rowwise() += b;
  });
  LL_CHECK_SHAPE(y, rows, layer.out, "dense_forward: y must be [B, out]");
}

void dense_backward(ParamStore& store, const Dense& layer, const Mat& x, const Mat& dy, Mat* dx) {
  const int rows = int(x.rows());
  LL_CHECK_SHAPE(x, rows, layer.in, "dense_backward: x must be [B, in]");
  LL_CHECK_SHAPE(dy, rows, layer.out, "dense_backward: dy must be [B, out]");
  MatMap dw = grad_matrix(store, layer.weight);  // [out, in] += dyᵀ x
  compute_pool().parallel_for(blocks(layer.out, kRowBlock), [&](int task) {
    const int o0 = task * kRowBlock, n = std::min(kRowBlock, layer.out - o0);
    gemm(Transpose::Yes, Transpose::No, n, layer.in, rows, dy.data() + o0, layer.out, x.data(), layer.in,
         dw.row(o0).data(), layer.in, /*accumulate=*/true);
  });
  grad_row(store, layer.bias) += dy.colwise().sum();
  if (!dx) return;
  const MatMap w = param_matrix(store, layer.weight);
  dx->resize(rows, layer.in);
  compute_pool().parallel_for(blocks(rows, kRowBlock), [&](int task) {
    const int r0 = task * kRowBlock, n = std::min(kRowBlock, rows - r0);
    gemm(Transpose::No, Transpose::No, n, layer.in, layer.out, dy.row(r0).data(), layer.out, w.data(), layer.in,
         dx->row(r0).data(), layer.in);
  });
  LL_CHECK_SHAPE(*dx, rows, layer.in, "dense_backward: dx must be [B, in]");
}

// ---------------------------------------------------------------------------------------
const char* activation_name(Activation a) {
  switch (a) {
    case Activation::Identity: return "identity";
    case Activation::ReLU: return "relu";
    case Activation::LeakyReLU: return "leaky_relu";
    case Activation::SiLU: return "silu";
    case Activation::Tanh: return "tanh";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Softplus: return "softplus";
  }
  return "?";
}

float stable_sigmoid(float x) {
  if (x >= 0) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);  // no overflow for x < 0
  return e / (1.0f + e);
}

float stable_softplus(float x) { return std::max(x, 0.0f) + std::log1p(std::exp(-std::fabs(x))); }

void activation_forward(Activation a, const Mat& x, Mat& y) {
  y.resize(x.rows(), x.cols());
  const float* in = x.data();
  float* out = y.data();
  const Eigen::Index n = x.size();
  switch (a) {
    case Activation::Identity: y = x; break;
    case Activation::ReLU: for (Eigen::Index i = 0; i < n; ++i) out[i] = in[i] > 0 ? in[i] : 0.0f; break;
    case Activation::LeakyReLU:
      for (Eigen::Index i = 0; i < n; ++i) out[i] = in[i] > 0 ? in[i] : kLeakySlope * in[i];
      break;
    case Activation::SiLU: for (Eigen::Index i = 0; i < n; ++i) out[i] = in[i] * stable_sigmoid(in[i]); break;
    case Activation::Tanh: for (Eigen::Index i = 0; i < n; ++i) out[i] = std::tanh(in[i]); break;
    case Activation::Sigmoid: for (Eigen::Index i = 0; i < n; ++i) out[i] = stable_sigmoid(in[i]); break;
    case Activation::Softplus: for (Eigen::Index i = 0; i < n; ++i) out[i] = stable_softplus(in[i]); break;
  }
}

void activation_backward(Activation a, const Mat& x, const Mat& dy, Mat& dx) {
  LL_CHECK_SHAPE(dy, x.rows(), x.cols(), "activation_backward: dy must match x");
  dx.resize(x.rows(), x.cols());
  const float *in = x.data(), *g = dy.data();
  float* out = dx.data();
  const Eigen::Index n = x.size();
  switch (a) {
    case Activation::Identity: dx = dy; break;
    case Activation::ReLU: for (Eigen::Index i = 0; i < n; ++i) out[i] = in[i] > 0 ? g[i] : 0.0f; break;
    case Activation::LeakyReLU:
      for (Eigen::Index i = 0; i < n; ++i) out[i] = in[i] > 0 ? g[i] : kLeakySlope * g[i];
      break;
    case Activation::SiLU:
      for (Eigen::Index i = 0; i < n; ++i) {
        const float s = stable_sigmoid(in[i]);
        out[i] = g[i] * (s + in[i] * s * (1.0f - s));
      }
      break;
    case Activation::Tanh:
      for (Eigen::Index i = 0; i < n; ++i) {
        const float t = std::tanh(in[i]);
        out[i] = g[i] * (1.0f - t * t);
      }
      break;
    case Activation::Sigmoid:
      for (Eigen::Index i = 0; i < n; ++i) {
        const float s = stable_sigmoid(in[i]);
        out[i] = g[i] * s * (1.0f - s);
      }
      break;
    case Activation::Softplus: for (Eigen::Index i = 0; i < n; ++i) out[i] = g[i] * stable_sigmoid(in[i]); break;
  }
}

// ---------------------------------------------------------------------------------------
namespace {

// col [C·k·k, Ho·Wo], row (c·k + ki)·k + kj holds x[c, oy·s − p + ki, ox·s − p + kj] (0 outside).
void im2col(const Conv2D& L, const float* x, float* col) {
  const int k = L.kernel, out_pixels = L.out_h * L.out_w;
  for (int c = 0; c < L.in_channels; ++c)
    for (int ki = 0; ki < k; ++ki)
      for (int kj = 0; kj < k; ++kj) {
        float* dst = col + size_t((c * k + ki) * k + kj) * size_t(out_pixels);
        const float* plane = x + size_t(c) * size_t(L.in_h * L.in_w);
        for (int oy = 0; oy < L.out_h; ++oy) {
          const int iy = oy * L.stride - L.padding + ki;
          float* row = dst + oy * L.out_w;
          if (iy < 0 || iy >= L.in_h) {
            std::fill(row, row + L.out_w, 0.0f);
            continue;
          }
          const float* src = plane + iy * L.in_w;
          for (int ox = 0; ox < L.out_w; ++ox) {
            const int ix = ox * L.stride - L.padding + kj;
            row[ox] = (ix >= 0 && ix < L.in_w) ? src[ix] : 0.0f;
          }
        }
      }
}

// The adjoint of im2col: dx (zeroed here) accumulates every column entry back to its pixel.
void col2im(const Conv2D& L, const float* col, float* dx) {
  std::fill(dx, dx + L.in_size(), 0.0f);
  const int k = L.kernel, out_pixels = L.out_h * L.out_w;
  for (int c = 0; c < L.in_channels; ++c)
    for (int ki = 0; ki < k; ++ki)
      for (int kj = 0; kj < k; ++kj) {
        const float* src = col + size_t((c * k + ki) * k + kj) * size_t(out_pixels);
        float* plane = dx + size_t(c) * size_t(L.in_h * L.in_w);
        for (int oy = 0; oy < L.out_h; ++oy) {
          const int iy = oy * L.stride - L.padding + ki;
          if (iy < 0 || iy >= L.in_h) continue;
          float* dst = plane + iy * L.in_w;
          const float* row = src + oy * L.out_w;
          for (int ox = 0; ox < L.out_w; ++ox) {
            const int ix = ox * L.stride - L.padding + kj;
            if (ix >= 0 && ix < L.in_w) dst[ix] += row[ox];
          }
        }
      }
}

}  // namespace

Conv2D make_conv2d(ParamStore& store, const std::string& name, int in_channels, int out_channels, int in_h, int in_w,
                   int kernel, int stride, int padding) {
  LL_CHECK(in_channels > 0 && out_channels > 0 && in_h > 0 && in_w > 0, "conv2d sizes must be positive");
  LL_CHECK(kernel > 0 && stride > 0 && padding >= 0, "conv2d kernel/stride must be positive, padding >= 0");
  Conv2D c;
  c.in_channels = in_channels;
  c.out_channels = out_channels;
  c.kernel = kernel;
  c.stride = stride;
  c.padding = padding;
  c.in_h = in_h;
  c.in_w = in_w;
  c.out_h = (in_h + 2 * padding - kernel) / stride + 1;
  c.out_w = (in_w + 2 * padding - kernel) / stride + 1;
  LL_CHECK(c.out_h > 0 && c.out_w > 0, "conv2d kernel larger than the padded input");
  const int fan_in = in_channels * kernel * kernel;
  c.weight = add_param(store, name + ".weight", {out_channels, in_channels, kernel, kernel},
                       {ParamInit::Uniform, std::sqrt(6.0f / float(fan_in))});
  c.bias = add_param(store, name + ".bias", {out_channels}, {ParamInit::Zeros, 0});
  return c;
}

void conv2d_forward(const ParamStore& store, const Conv2D& layer, const Mat& x, Mat& y) {
  LL_CHECK(x.cols() == layer.in_size(), "conv2d_forward: x must be [B, C·H·W]");
  const ConstMatMap w = param_matrix(store, layer.weight);  // [Cout, Cin·k·k]
  const Eigen::Map<const Eigen::VectorXf> b(param_data(store, layer.bias), layer.out_channels);
  const int rows = int(x.rows()), out_pixels = layer.out_h * layer.out_w;
  y.resize(rows, layer.out_size());
  compute_pool().parallel_for(rows, [&](int s) {
    thread_local Mat col;
    col.resize(w.cols(), out_pixels);
    im2col(layer, x.row(s).data(), col.data());
    MatMap ys(y.row(s).data(), layer.out_channels, out_pixels);  // [Cout, Ho·Wo]
    gemm(Transpose::No, Transpose::No, layer.out_channels, out_pixels, int(w.cols()), w.data(), int(w.cols()),
         col.data(), out_pixels, ys.data(), out_pixels);
    ys.colwise() += b;
  });
  LL_CHECK_SHAPE(y, rows, layer.out_size(), "conv2d_forward: y must be [B, Cout·Ho·Wo]");
}

void conv2d_backward(ParamStore& store, const Conv2D& layer, const Mat& x, const Mat& dy, Mat* dx) {
  const int rows = int(x.rows()), out_pixels = layer.out_h * layer.out_w;
  LL_CHECK_SHAPE(x, rows, layer.in_size(), "conv2d_backward: x must be [B, C·H·W]");
  LL_CHECK_SHAPE(dy, rows, layer.out_size(), "conv2d_backward: dy must be [B, Cout·Ho·Wo]");
  const MatMap w = param_matrix(store, layer.weight);
  if (dx) dx->resize(rows, layer.in_size());
  // Each group of samples sums its weight gradient privately; the groups are then added in
  // order, so the sum does not depend on which thread ran which group.
  const int groups = blocks(rows, kConvGroup);
  std::vector<Mat> dw_parts(size_t(groups), Mat::Zero(w.rows(), w.cols()));
  std::vector<Eigen::VectorXf> db_parts(size_t(groups), Eigen::VectorXf::Zero(layer.out_channels));
  compute_pool().parallel_for(groups, [&](int g) {
    thread_local Mat col, dcol;
    col.resize(w.cols(), out_pixels);
    for (int s = g * kConvGroup; s < std::min(rows, (g + 1) * kConvGroup); ++s) {
      const ConstMatMap dys(dy.row(s).data(), layer.out_channels, out_pixels);
      im2col(layer, x.row(s).data(), col.data());
      gemm(Transpose::No, Transpose::Yes, layer.out_channels, int(w.cols()), out_pixels, dys.data(), out_pixels,
           col.data(), out_pixels, dw_parts[size_t(g)].data(), int(w.cols()), /*accumulate=*/true);
      db_parts[size_t(g)] += dys.rowwise().sum();
      if (dx) {
        dcol.resize(w.cols(), out_pixels);
        gemm(Transpose::Yes, Transpose::No, int(w.cols()), out_pixels, layer.out_channels, w.data(), int(w.cols()),
             dys.data(), out_pixels, dcol.data(), out_pixels);
        col2im(layer, dcol.data(), dx->row(s).data());
      }
    }
  });
  MatMap dw = grad_matrix(store, layer.weight);
  Eigen::Map<Eigen::VectorXf> db(grad_data(store, layer.bias), layer.out_channels);
  for (int g = 0; g < groups; ++g) {
    dw += dw_parts[size_t(g)];
    db += db_parts[size_t(g)];
  }
}

// ---------------------------------------------------------------------------------------
namespace {

// The convolution whose input-gradient is this transposed convolution: its input is the
// transposed layer's output and its output the transposed layer's input.
Conv2D adjoint_geometry(const ConvTranspose2D& t) {
  Conv2D c;
  c.in_channels = t.out_channels;
  c.out_channels = t.in_channels;
  c.kernel = t.kernel;
  c.stride = t.stride;
  c.padding = t.padding;
  c.in_h = t.out_h;
  c.in_w = t.out_w;
  c.out_h = t.in_h;
  c.out_w = t.in_w;
  return c;
}

}  // namespace

ConvTranspose2D make_conv_transpose2d(ParamStore& store, const std::string& name, int in_channels, int out_channels,
                                      int in_h, int in_w, int kernel, int stride, int padding) {
  LL_CHECK(in_channels > 0 && out_channels > 0 && in_h > 0 && in_w > 0, "conv_transpose2d sizes must be positive");
  LL_CHECK(kernel > 0 && stride > 0 && padding >= 0, "conv_transpose2d kernel/stride must be positive, padding >= 0");
  ConvTranspose2D t;
  t.in_channels = in_channels;
  t.out_channels = out_channels;
  t.kernel = kernel;
  t.stride = stride;
  t.padding = padding;
  t.in_h = in_h;
  t.in_w = in_w;
  t.out_h = (in_h - 1) * stride - 2 * padding + kernel;
  t.out_w = (in_w - 1) * stride - 2 * padding + kernel;
  LL_CHECK(t.out_h > 0 && t.out_w > 0, "conv_transpose2d: padding leaves no output");
  const int fan_in = in_channels * kernel * kernel / (stride * stride);  // inputs reaching one output pixel
  t.weight = add_param(store, name + ".weight", {in_channels, out_channels, kernel, kernel},
                       {ParamInit::Uniform, std::sqrt(6.0f / float(std::max(1, fan_in)))});
  t.bias = add_param(store, name + ".bias", {out_channels}, {ParamInit::Zeros, 0});
  return t;
}

void conv_transpose2d_forward(const ParamStore& store, const ConvTranspose2D& layer, const Mat& x, Mat& y) {
  LL_CHECK(x.cols() == layer.in_size(), "conv_transpose2d_forward: x must be [B, Cin·H·W]");
  const Conv2D geometry = adjoint_geometry(layer);
  const ConstMatMap w = param_matrix(store, layer.weight);  // [Cin, Cout·k·k]
  const float* bias = param_data(store, layer.bias);
  const int rows = int(x.rows()), in_pixels = layer.in_h * layer.in_w, out_pixels = layer.out_h * layer.out_w;
  y.resize(rows, layer.out_size());
  compute_pool().parallel_for(rows, [&](int s) {
    thread_local Mat col;
    const ConstMatMap xs(x.row(s).data(), layer.in_channels, in_pixels);
    col.resize(w.cols(), in_pixels);  // [Cout·k·k, Hin·Win] = wᵀ xs
    gemm(Transpose::Yes, Transpose::No, int(w.cols()), in_pixels, layer.in_channels, w.data(), int(w.cols()), xs.data(),
         in_pixels, col.data(), in_pixels);
    col2im(geometry, col.data(), y.row(s).data());
    MatMap ys(y.row(s).data(), layer.out_channels, out_pixels);
    ys.colwise() += Eigen::Map<const Eigen::VectorXf>(bias, layer.out_channels);
  });
  LL_CHECK_SHAPE(y, rows, layer.out_size(), "conv_transpose2d_forward: y must be [B, Cout·Hout·Wout]");
}

void conv_transpose2d_backward(ParamStore& store, const ConvTranspose2D& layer, const Mat& x, const Mat& dy,
                               Mat* dx) {
  const int rows = int(x.rows()), in_pixels = layer.in_h * layer.in_w, out_pixels = layer.out_h * layer.out_w;
  LL_CHECK_SHAPE(x, rows, layer.in_size(), "conv_transpose2d_backward: x must be [B, Cin·H·W]");
  LL_CHECK_SHAPE(dy, rows, layer.out_size(), "conv_transpose2d_backward: dy must be [B, Cout·Hout·Wout]");
  const Conv2D geometry = adjoint_geometry(layer);
  const MatMap w = param_matrix(store, layer.weight);
  if (dx) dx->resize(rows, layer.in_size());
  const int groups = blocks(rows, kConvGroup);  // fixed groups, summed in order (see conv2d_backward)
  std::vector<Mat> dw_parts(size_t(groups), Mat::Zero(w.rows(), w.cols()));
  std::vector<Eigen::VectorXf> db_parts(size_t(groups), Eigen::VectorXf::Zero(layer.out_channels));
  compute_pool().parallel_for(groups, [&](int g) {
    thread_local Mat col;
    col.resize(w.cols(), in_pixels);
    for (int s = g * kConvGroup; s < std::min(rows, (g + 1) * kConvGroup); ++s) {
      im2col(geometry, dy.row(s).data(), col.data());  // [Cout·k·k, Hin·Win]
      const ConstMatMap xs(x.row(s).data(), layer.in_channels, in_pixels);
      gemm(Transpose::No, Transpose::Yes, layer.in_channels, int(w.cols()), in_pixels, xs.data(), in_pixels,
           col.data(), in_pixels, dw_parts[size_t(g)].data(), int(w.cols()), /*accumulate=*/true);
      db_parts[size_t(g)] += ConstMatMap(dy.row(s).data(), layer.out_channels, out_pixels).rowwise().sum();
      if (dx)
        gemm(Transpose::No, Transpose::No, layer.in_channels, in_pixels, int(w.cols()), w.data(), int(w.cols()),
             col.data(), in_pixels, dx->row(s).data(), in_pixels);
    }
  });
  MatMap dw = grad_matrix(store, layer.weight);
  Eigen::Map<Eigen::VectorXf> db(grad_data(store, layer.bias), layer.out_channels);
  for (int g = 0; g < groups; ++g) {
    dw += dw_parts[size_t(g)];
    db += db_parts[size_t(g)];
  }
}

// ---------------------------------------------------------------------------------------
void upsample2x_forward(const Mat& x, int channels, int h, int w, Mat& y) {
  LL_CHECK(x.cols() == channels * h * w, "upsample2x_forward: x must be [B, C·H·W]");
  y.resize(x.rows(), channels * 4 * h * w);
  for (Eigen::Index s = 0; s < x.rows(); ++s) {
    const float* in = x.row(s).data();
    float* out = y.row(s).data();
    for (int c = 0; c < channels; ++c)
      for (int oy = 0; oy < 2 * h; ++oy)
        for (int ox = 0; ox < 2 * w; ++ox)
          out[(c * 2 * h + oy) * 2 * w + ox] = in[(c * h + oy / 2) * w + ox / 2];
  }
  LL_CHECK_SHAPE(y, x.rows(), channels * 4 * h * w, "upsample2x_forward: y must be [B, C·2H·2W]");
}

void upsample2x_backward(const Mat& dy, int channels, int h, int w, Mat& dx) {
  LL_CHECK(dy.cols() == channels * 4 * h * w, "upsample2x_backward: dy must be [B, C·2H·2W]");
  dx.setZero(dy.rows(), channels * h * w);
  for (Eigen::Index s = 0; s < dy.rows(); ++s) {
    const float* g = dy.row(s).data();
    float* out = dx.row(s).data();
    for (int c = 0; c < channels; ++c)
      for (int oy = 0; oy < 2 * h; ++oy)
        for (int ox = 0; ox < 2 * w; ++ox) out[(c * h + oy / 2) * w + ox / 2] += g[(c * 2 * h + oy) * 2 * w + ox];
  }
}

// ---------------------------------------------------------------------------------------
GroupNorm make_group_norm(ParamStore& store, const std::string& name, int channels, int groups, int spatial) {
  LL_CHECK(channels > 0 && groups > 0 && spatial > 0, "group norm sizes must be positive");
  LL_CHECK(channels % groups == 0, "group norm: channels must divide into groups");
  GroupNorm g;
  g.channels = channels;
  g.groups = groups;
  g.spatial = spatial;
  g.gamma = add_param(store, name + ".weight", {channels}, {ParamInit::Ones, 0});
  g.beta = add_param(store, name + ".bias", {channels}, {ParamInit::Zeros, 0});
  return g;
}

GroupNorm make_layer_norm(ParamStore& store, const std::string& name, int features) {
  return make_group_norm(store, name, features, 1, 1);
}

void group_norm_forward(const ParamStore& store, const GroupNorm& layer, const Mat& x, Mat& y, GroupNormCache& cache) {
  const int width = layer.channels * layer.spatial, rows = int(x.rows());
  LL_CHECK(x.cols() == width, "group_norm_forward: x must be [B, channels·spatial]");
  const float* gamma = param_data(store, layer.gamma);
  const float* beta = param_data(store, layer.beta);
  const int group_size = width / layer.groups, channels_per_group = layer.channels / layer.groups;
  y.resize(rows, width);
  cache.normalized.resize(rows, width);
  cache.inv_std.resize(rows, layer.groups);
  for (int s = 0; s < rows; ++s)
    for (int g = 0; g < layer.groups; ++g) {
      const float* in = x.row(s).data() + g * group_size;
      double mean = 0, var = 0;
      for (int i = 0; i < group_size; ++i) mean += in[i];
      mean /= group_size;
      for (int i = 0; i < group_size; ++i) var += (in[i] - mean) * (in[i] - mean);
      var /= group_size;
      const float inv_std = float(1.0 / std::sqrt(var + layer.eps));
      cache.inv_std(s, g) = inv_std;
      float* xhat = cache.normalized.row(s).data() + g * group_size;
      float* out = y.row(s).data() + g * group_size;
      for (int i = 0; i < group_size; ++i) {
        const int c = g * channels_per_group + i / layer.spatial;
        xhat[i] = float(in[i] - mean) * inv_std;
        out[i] = xhat[i] * gamma[c] + beta[c];
      }
    }
  LL_CHECK_SHAPE(y, rows, width, "group_norm_forward: y must match x");
}

void group_norm_backward(ParamStore& store, const GroupNorm& layer, const GroupNormCache& cache, const Mat& dy,
                         Mat* dx) {
  const int width = layer.channels * layer.spatial, rows = int(dy.rows());
  LL_CHECK_SHAPE(dy, cache.normalized.rows(), width, "group_norm_backward: dy must match the forward input");
  const float* gamma = param_data(store, layer.gamma);
  float* dgamma = grad_data(store, layer.gamma);
  float* dbeta = grad_data(store, layer.beta);
  for (int s = 0; s < rows; ++s)
    for (int i = 0; i < width; ++i) {
      const int c = i / layer.spatial;
      dgamma[c] += dy(s, i) * cache.normalized(s, i);
      dbeta[c] += dy(s, i);
    }
  if (!dx) return;
  dx->resize(rows, width);
  const int group_size = width / layer.groups, channels_per_group = layer.channels / layer.groups;
  // dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) over each group, with dx̂ = dy·γ.
  for (int s = 0; s < rows; ++s)
    for (int g = 0; g < layer.groups; ++g) {
      const float* xhat = cache.normalized.row(s).data() + g * group_size;
      const float* gy = dy.row(s).data() + g * group_size;
      double mean_dxhat = 0, mean_dxhat_xhat = 0;
      for (int i = 0; i < group_size; ++i) {
        const double dxhat = double(gy[i]) * gamma[g * channels_per_group + i / layer.spatial];
        mean_dxhat += dxhat;
        mean_dxhat_xhat += dxhat * xhat[i];
      }
      mean_dxhat /= group_size;
      mean_dxhat_xhat /= group_size;
      const double inv_std = cache.inv_std(s, g);
      float* out = dx->row(s).data() + g * group_size;
      for (int i = 0; i < group_size; ++i) {
        const double dxhat = double(gy[i]) * gamma[g * channels_per_group + i / layer.spatial];
        out[i] = float(inv_std * (dxhat - mean_dxhat - xhat[i] * mean_dxhat_xhat));
      }
    }
}

// ---------------------------------------------------------------------------------------
Embedding make_embedding(ParamStore& store, const std::string& name, int count, int dim) {
  LL_CHECK(count > 0 && dim > 0, "embedding sizes must be positive");
  Embedding e;
  e.count = count;
  e.dim = dim;
  e.table = add_param(store, name + ".weight", {count, dim}, {ParamInit::Normal, 1.0f});
  return e;
}

void embedding_forward(const ParamStore& store, const Embedding& layer, const std::vector<int>& ids, Mat& y) {
  const ConstMatMap table = param_matrix(store, layer.table);
  y.resize(Eigen::Index(ids.size()), layer.dim);
  for (size_t i = 0; i < ids.size(); ++i) {
    LL_CHECK(ids[i] >= 0 && ids[i] < layer.count, "embedding_forward: id out of range");
    y.row(Eigen::Index(i)) = table.row(ids[i]);
  }
}

void embedding_backward(ParamStore& store, const Embedding& layer, const std::vector<int>& ids, const Mat& dy) {
  LL_CHECK_SHAPE(dy, Eigen::Index(ids.size()), layer.dim, "embedding_backward: dy must be [ids, dim]");
  MatMap dtable = grad_matrix(store, layer.table);
  for (size_t i = 0; i < ids.size(); ++i) dtable.row(ids[i]) += dy.row(Eigen::Index(i));
}

// ---------------------------------------------------------------------------------------
void sinusoidal_embedding(const std::vector<float>& t, int dim, Mat& y, float max_period) {
  LL_CHECK(dim > 0 && dim % 2 == 0, "sinusoidal_embedding: dim must be even");
  const int half = dim / 2;
  y.resize(Eigen::Index(t.size()), dim);
  for (size_t s = 0; s < t.size(); ++s)
    for (int i = 0; i < half; ++i) {
      const double freq = std::exp(-std::log(double(max_period)) * i / half);
      y(Eigen::Index(s), i) = float(std::sin(t[s] * freq));
      y(Eigen::Index(s), half + i) = float(std::cos(t[s] * freq));
    }
}

void concat_columns(const Mat& a, const Mat& b, Mat& y) {
  LL_CHECK(a.rows() == b.rows(), "concat_columns: a and b need the same rows");
  y.resize(a.rows(), a.cols() + b.cols());
  y.leftCols(a.cols()) = a;
  y.rightCols(b.cols()) = b;
}

void split_columns(const Mat& dy, int a_cols, Mat& da, Mat& db) {
  LL_CHECK(a_cols >= 0 && a_cols <= dy.cols(), "split_columns: a_cols out of range");
  da = dy.leftCols(a_cols);
  db = dy.rightCols(dy.cols() - a_cols);
}

void residual_add(const Mat& a, const Mat& b, Mat& y) {
  LL_CHECK_SHAPE(b, a.rows(), a.cols(), "residual_add: a and b need the same shape");
  y = a + b;
}

}  // namespace ll::nn
