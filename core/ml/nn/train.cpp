#include "ml/nn/train.hpp"

#include <algorithm>
#include <cmath>

#include "ml/check.hpp"

namespace ll::nn {

Optimizer make_optimizer(const ParamStore& store, const OptimizerConfig& config) {
  Optimizer opt;
  opt.config = config;
  opt.m.assign(param_count(store), 0.0f);
  opt.v.assign(param_count(store), 0.0f);
  return opt;
}

UpdateInfo apply_optimizer(ParamStore& store, Optimizer& opt) {
  const size_t n = param_count(store);
  LL_CHECK(opt.m.size() == n && opt.v.size() == n, "apply_optimizer: optimizer made for another ParamStore");
  UpdateInfo info;
  info.grad_norm = opt.clip_norm > 0 ? clip_by_global_norm(store.grads.data(), n, opt.clip_norm)
                                     : global_norm(store.grads.data(), n);
  OptimizerConfig config = opt.config;
  config.lr = info.lr = scheduled_lr(opt.config.lr, opt.schedule, opt.step + 1);
  OptimizerState<float> state{opt.m.data(), opt.v.data(), opt.step};
  optimizer_step(store.values.data(), store.grads.data(), n, state, config);
  opt.step = state.step;
  return info;
}

WeightEma make_weight_ema(const ParamStore& store, double decay) {
  LL_CHECK(decay >= 0 && decay < 1, "make_weight_ema: decay must be in [0, 1)");
  return WeightEma{decay, store.values};
}

void update_weight_ema(WeightEma& ema, const ParamStore& store) {
  LL_CHECK(ema.values.size() == param_count(store), "update_weight_ema: EMA made for another ParamStore");
  ema_update(ema.values.data(), store.values.data(), ema.values.size(), ema.decay);
}

namespace {

long first_non_finite(const float* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(p[i])) return long(i);
  return -1;
}

}  // namespace

FiniteCheck check_finite(const ParamStore& store, long step, double loss) {
  const std::string at = "step " + std::to_string(step) + ": ";
  if (!std::isfinite(loss)) return {false, at + "loss is " + (std::isnan(loss) ? "NaN" : "infinite")};
  for (const ParamView& v : store.views) {
    const long g = first_non_finite(store.grads.data() + v.offset, v.size);
    if (g >= 0)
      return {false, at + "gradient of '" + v.name + "' is not finite (element " + std::to_string(g) + ")"};
    const long p = first_non_finite(store.values.data() + v.offset, v.size);
    if (p >= 0) return {false, at + "parameter '" + v.name + "' is not finite (element " + std::to_string(p) + ")"};
  }
  return {};
}

void keep_last_good(LastGood& good, const ParamStore& store, const Optimizer& opt) {
  good.values = store.values;
  good.m = opt.m;
  good.v = opt.v;
  good.step = opt.step;
}

bool restore_last_good(const LastGood& good, ParamStore& store, Optimizer& opt) {
  if (good.step < 0 || good.values.size() != store.values.size() || good.m.size() != opt.m.size()) return false;
  store.values = good.values;
  opt.m = good.m;
  opt.v = good.v;
  opt.step = good.step;
  zero_grads(store);
  return true;
}

}  // namespace ll::nn
