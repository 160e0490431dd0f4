#pragma once
// Training over a ParamStore: the optimizers of ml/optim.hpp applied to the one parameter
// buffer (with schedule and global-norm clipping), an EMA of the weights, and the guard
// against non-finite losses and gradients that keeps the last good parameters.
#include <string>
#include <vector>

#include "ml/nn/params.hpp"
#include "ml/optim.hpp"

namespace ll::nn {

struct Optimizer {
  OptimizerConfig config;   // kind (GradientDescent = plain SGD, Momentum, Adam; AdamW via weight_decay), base lr
  LrSchedule schedule;      // lr at step t = scheduled_lr(config.lr, schedule, t)
  double clip_norm = 0;     // clip gradients to this global L2 norm; 0 = off
  std::vector<float> m, v;  // [param_count] first moment / velocity, second moment
  long step = 0;            // updates applied so far (Adam's t)
};

Optimizer make_optimizer(const ParamStore& store, const OptimizerConfig& config);

struct UpdateInfo {
  double lr = 0;         // the rate used for this step
  double grad_norm = 0;  // global L2 norm of the gradients before clipping
};
// One update of every parameter from store.grads (clipped in place when clip_norm > 0).
UpdateInfo apply_optimizer(ParamStore& store, Optimizer& opt);

// EMA of the weights (diffusion samples with it): values ← decay·values + (1 − decay)·θ.
struct WeightEma {
  double decay = 0.999;
  std::vector<float> values;  // [param_count], starts as a copy of the parameters
};
WeightEma make_weight_ema(const ParamStore& store, double decay);
void update_weight_ema(WeightEma& ema, const ParamStore& store);

// Non-finite guard. check_finite looks at the loss, then each parameter's gradient and
// value, and names the first offender: "step 120: gradient of 'dec.fc2.weight' is not finite
// (element 7)". On failure the caller restores the last good state and tells the user.
struct FiniteCheck {
  bool ok = true;
  std::string message;  // empty when ok
};
FiniteCheck check_finite(const ParamStore& store, long step, double loss);

// A copy of parameters and optimizer state from a step that was finite.
struct LastGood {
  std::vector<float> values, m, v;
  long step = -1;  // -1: nothing kept yet
};
void keep_last_good(LastGood& good, const ParamStore& store, const Optimizer& opt);
// Puts the kept state back (grads zeroed); false if nothing was kept or sizes differ.
bool restore_last_good(const LastGood& good, ParamStore& store, Optimizer& opt);

}  // namespace ll::nn
