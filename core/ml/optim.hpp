#pragma once
// First-order optimizers as free functions over flat parameter arrays, so a 2-D lesson
// and a model's one contiguous parameter buffer are updated by the same code.
#include <cassert>
#include <cmath>
#include <cstddef>

namespace ll {

enum class OptimizerKind { GradientDescent, Momentum, Adam };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::GradientDescent;
  double lr = 0.01;        // α
  double momentum = 0.9;   // μ, heavy-ball momentum
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // Adam
  double weight_decay = 0;  // decoupled (AdamW); 0 = plain Adam
};

// Per-parameter state; m doubles as the momentum velocity.
template <class T> struct OptimizerState {
  T* m = nullptr;  // [n] first moment / velocity
  T* v = nullptr;  // [n] second moment (Adam only)
  long step = 0;   // updates applied so far
};

// θ ← θ − α∇J(θ)
template <class T> void gradient_descent_step(T* theta, const T* grad, size_t n, double lr) {
  for (size_t i = 0; i < n; ++i) theta[i] -= T(lr * grad[i]);
}

// v ← μv + ∇J(θ);  θ ← θ − αv
template <class T> void momentum_step(T* theta, const T* grad, T* velocity, size_t n, double lr, double mu) {
  for (size_t i = 0; i < n; ++i) {
    velocity[i] = T(mu * velocity[i] + grad[i]);
    theta[i] -= T(lr * velocity[i]);
  }
}

// Adam (Kingma & Ba 2015) with bias correction; decoupled weight decay when wd > 0 (AdamW).
template <class T> void adam_step(T* theta, const T* grad, T* m, T* v, long t, size_t n,
                                  const OptimizerConfig& c) {
  assert(t >= 1 && "adam_step counts steps from 1");
  const double bc1 = 1 - std::pow(c.beta1, double(t)), bc2 = 1 - std::pow(c.beta2, double(t));
  for (size_t i = 0; i < n; ++i) {
    m[i] = T(c.beta1 * m[i] + (1 - c.beta1) * grad[i]);
    v[i] = T(c.beta2 * v[i] + (1 - c.beta2) * double(grad[i]) * grad[i]);
    const double m_hat = m[i] / bc1, v_hat = v[i] / bc2;
    theta[i] -= T(c.lr * (m_hat / (std::sqrt(v_hat) + c.eps) + c.weight_decay * theta[i]));
  }
}

template <class T> void optimizer_step(T* theta, const T* grad, size_t n, OptimizerState<T>& s,
                                       const OptimizerConfig& c) {
  ++s.step;
  switch (c.kind) {
    case OptimizerKind::GradientDescent: gradient_descent_step(theta, grad, n, c.lr); break;
    case OptimizerKind::Momentum: momentum_step(theta, grad, s.m, n, c.lr, c.momentum); break;
    case OptimizerKind::Adam: adam_step(theta, grad, s.m, s.v, s.step, n, c); break;
  }
}

// Learning-rate schedules over training steps t = 1, 2, ... (the step about to be applied):
// an optional linear warm-up from 0 over warmup_steps, then constant, linear decay or cosine
// decay from the base rate to final_fraction·base at total_steps (held there afterwards).
enum class LrScheduleKind { Constant, LinearDecay, Cosine };

struct LrSchedule {
  LrScheduleKind kind = LrScheduleKind::Constant;
  long warmup_steps = 0;
  long total_steps = 0;       // end of the decay; needed by LinearDecay and Cosine
  double final_fraction = 0;  // lr at the end, as a fraction of the base rate
};

inline double scheduled_lr(double base_lr, const LrSchedule& s, long t) {
  if (s.warmup_steps > 0 && t <= s.warmup_steps) return base_lr * double(t) / double(s.warmup_steps);
  if (s.kind == LrScheduleKind::Constant || s.total_steps <= s.warmup_steps) return base_lr;
  const double progress =
      std::fmin(1.0, double(t - s.warmup_steps) / double(s.total_steps - s.warmup_steps));  // 0 → 1
  const double decay = s.kind == LrScheduleKind::LinearDecay ? 1.0 - progress
                                                             : 0.5 * (1.0 + std::cos(3.14159265358979323846 * progress));
  return base_lr * (s.final_fraction + (1.0 - s.final_fraction) * decay);
}

// ‖g‖₂ accumulated in double.
template <class T> double global_norm(const T* g, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += double(g[i]) * double(g[i]);
  return std::sqrt(sum);
}

// Scales g so that ‖g‖₂ ≤ max_norm (max_norm > 0); returns the norm before clipping.
template <class T> double clip_by_global_norm(T* g, size_t n, double max_norm) {
  const double norm = global_norm(g, n);
  if (norm > max_norm && std::isfinite(norm)) {
    const double scale = max_norm / norm;
    for (size_t i = 0; i < n; ++i) g[i] = T(g[i] * scale);
  }
  return norm;
}

// Exponential moving average of weights: ema ← decay·ema + (1 − decay)·θ.
template <class T> void ema_update(T* ema, const T* theta, size_t n, double decay) {
  for (size_t i = 0; i < n; ++i) ema[i] = T(decay * ema[i] + (1 - decay) * theta[i]);
}

inline const char* optimizer_name(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::GradientDescent: return "gradient descent";
    case OptimizerKind::Momentum: return "momentum";
    case OptimizerKind::Adam: return "Adam";
  }
  return "?";
}

}  // namespace ll
