#include "ml/nn/mlp.hpp"

#include "ml/check.hpp"

namespace ll::nn {

Mlp make_mlp(ParamStore& store, const std::string& name, const std::vector<int>& sizes, Activation hidden,
             Activation output) {
  LL_CHECK(sizes.size() >= 2, "make_mlp: sizes needs an input and an output size");
  Mlp mlp;
  mlp.hidden = hidden;
  mlp.output = output;
  for (size_t i = 0; i + 1 < sizes.size(); ++i)
    mlp.layers.push_back(make_dense(store, name + "." + std::to_string(i), sizes[i], sizes[i + 1]));
  mlp.inputs.resize(mlp.layers.size());
  mlp.pre.resize(mlp.layers.size());
  return mlp;
}

const Mat& mlp_forward(const ParamStore& store, Mlp& mlp, const Mat& x) {
  LL_CHECK(x.cols() == mlp.in_size(), "mlp_forward: x must be [B, in]");
  const size_t n = mlp.layers.size();
  mlp.inputs[0] = x;
  for (size_t i = 0; i < n; ++i) {
    dense_forward(store, mlp.layers[i], mlp.inputs[i], mlp.pre[i]);
    activation_forward(i + 1 < n ? mlp.hidden : mlp.output, mlp.pre[i], i + 1 < n ? mlp.inputs[i + 1] : mlp.out);
  }
  LL_CHECK_SHAPE(mlp.out, x.rows(), mlp.out_size(), "mlp_forward: out must be [B, out]");
  return mlp.out;
}

void mlp_backward(ParamStore& store, const Mlp& mlp, const Mat& dout, Mat* dx) {
  LL_CHECK_SHAPE(dout, mlp.out.rows(), mlp.out_size(), "mlp_backward: dout must match the last forward");
  const size_t n = mlp.layers.size();
  Mat grad, dinput;
  activation_backward(mlp.output, mlp.pre[n - 1], dout, grad);
  for (size_t i = n; i-- > 0;) {
    const bool need_dinput = i > 0 || dx;
    dense_backward(store, mlp.layers[i], mlp.inputs[i], grad, need_dinput ? &dinput : nullptr);
    if (i > 0) activation_backward(mlp.hidden, mlp.pre[i - 1], dinput, grad);
  }
  if (dx) *dx = std::move(dinput);
}

}  // namespace ll::nn
