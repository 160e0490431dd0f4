#include "ml/prob/flow2d.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace ll::prob {

CouplingLayout coupling_layout(int hidden) {
  const size_t H = size_t(hidden);
  CouplingLayout l;
  l.w1 = 0;
  l.b1 = l.w1 + H;
  l.w2 = l.b1 + H;
  l.b2 = l.w2 + H * H;
  l.w3 = l.b2 + H;
  l.b3 = l.w3 + 2 * H;
  l.size = l.b3 + 2;
  return l;
}

size_t flow_parameter_count(const Flow2d& flow) { return size_t(flow.config.layers) * flow.layout.size; }

Flow2d make_flow2d(const FlowConfig& config, const std::vector<Point2>& data, Rng& rng) {
  assert(config.layers >= 1 && config.hidden >= 1 && config.hidden <= kMaxFlowHidden && config.scale_limit > 0);
  Flow2d f;
  f.config = config;
  f.layout = coupling_layout(config.hidden);
  f.params.assign(flow_parameter_count(f), 0.0);
  const size_t H = size_t(config.hidden);
  for (int l = 0; l < config.layers; ++l) {
    double* p = f.params.data() + size_t(l) * f.layout.size;
    for (size_t j = 0; j < H; ++j) p[f.layout.w1 + j] = rng.normal();  // fan_in 1
    const double w2_sd = 1 / std::sqrt(double(H));
    for (size_t j = 0; j < H * H; ++j) p[f.layout.w2 + j] = w2_sd * rng.normal();
  }
  if (!data.empty()) {
    const Gaussian2 g = fit_gaussian2(data.data(), data.size());
    f.shift = g.mean;
    f.scale = {std::sqrt(std::max(g.cov.xx, 1e-6)), std::sqrt(std::max(g.cov.yy, 1e-6))};
  }
  return f;
}

namespace {

// What one coupling layer's MLP computes from its conditioning value c.
struct CouplingOut {
  double raw = 0, s = 0, t = 0;
};

// MLP 1 → H → H → 2 with tanh; h1, h2 [H] receive the hidden activations.
CouplingOut coupling_mlp(const Flow2d& f, int layer, double c, double* h1, double* h2) {
  const CouplingLayout& L = f.layout;
  const size_t H = size_t(f.config.hidden);
  const double* p = f.params.data() + size_t(layer) * L.size;
  for (size_t j = 0; j < H; ++j) h1[j] = std::tanh(p[L.w1 + j] * c + p[L.b1 + j]);
  for (size_t j = 0; j < H; ++j) {
    const double* row = p + L.w2 + j * H;
    double sum = p[L.b2 + j];
    for (size_t i = 0; i < H; ++i) sum += row[i] * h1[i];
    h2[j] = std::tanh(sum);
  }
  CouplingOut o;
  o.raw = p[L.b3 + 0];
  o.t = p[L.b3 + 1];
  for (size_t i = 0; i < H; ++i) {
    o.raw += p[L.w3 + i] * h2[i];
    o.t += p[L.w3 + H + i] * h2[i];
  }
  const double lim = f.config.scale_limit;
  o.s = lim * std::tanh(o.raw / lim);
  return o;
}

double standardisation_log_det(const Flow2d& f) { return -std::log(f.scale.x) - std::log(f.scale.y); }

double base_log_density(Point2 z) { return -kLog2Pi - 0.5 * (z.x * z.x + z.y * z.y); }

double& coord(Point2& p, int i) { return i == 0 ? p.x : p.y; }

}  // namespace

Point2 flow_forward(const Flow2d& flow, Point2 x, double* log_det) {
  double h[2 * kMaxFlowHidden];  // on the stack: density grids call this thousands of times per frame
  Point2 u{(x.x - flow.shift.x) / flow.scale.x, (x.y - flow.shift.y) / flow.scale.y};
  double ld = standardisation_log_det(flow);
  for (int l = 0; l < flow.config.layers; ++l) {
    const int a = l % 2, b = 1 - a;
    const CouplingOut o = coupling_mlp(flow, l, coord(u, a), h, h + flow.config.hidden);
    coord(u, b) = coord(u, b) * std::exp(o.s) + o.t;
    ld += o.s;
  }
  if (log_det) *log_det += ld;
  return u;
}

Point2 flow_inverse(const Flow2d& flow, Point2 z) {
  double h[2 * kMaxFlowHidden];
  Point2 v = z;
  for (int l = flow.config.layers - 1; l >= 0; --l) {
    const int a = l % 2, b = 1 - a;
    const CouplingOut o = coupling_mlp(flow, l, coord(v, a), h, h + flow.config.hidden);
    coord(v, b) = (coord(v, b) - o.t) * std::exp(-o.s);
  }
  return {v.x * flow.scale.x + flow.shift.x, v.y * flow.scale.y + flow.shift.y};
}

double flow_log_density(const Flow2d& flow, Point2 x) {
  double log_det = 0;
  const Point2 z = flow_forward(flow, x, &log_det);
  return base_log_density(z) + log_det;
}

double flow_nll(const Flow2d& flow, const Point2* xs, size_t n, double* grad) {
  const int layers = flow.config.layers;
  const size_t H = size_t(flow.config.hidden);
  const CouplingLayout& L = flow.layout;
  const size_t count = flow_parameter_count(flow);
  if (grad) std::fill(grad, grad + count, 0.0);
  if (n == 0) return NAN;
  // Per-layer cache for the backward pass: inputs u [L × 2], hidden h1, h2 [L × H], raw and s [L].
  std::vector<Point2> inputs(static_cast<size_t>(layers));
  std::vector<double> h1(size_t(layers) * H), h2(size_t(layers) * H);
  std::vector<CouplingOut> outs(static_cast<size_t>(layers));
  std::vector<double> g_pre2(H), g_h1(H);
  const double inv_n = 1.0 / double(n);
  double total = 0;
  for (size_t k = 0; k < n; ++k) {
    Point2 u{(xs[k].x - flow.shift.x) / flow.scale.x, (xs[k].y - flow.shift.y) / flow.scale.y};
    double log_det = standardisation_log_det(flow);
    for (int l = 0; l < layers; ++l) {
      const int a = l % 2, b = 1 - a;
      inputs[size_t(l)] = u;
      outs[size_t(l)] = coupling_mlp(flow, l, coord(u, a), &h1[size_t(l) * H], &h2[size_t(l) * H]);
      coord(u, b) = coord(u, b) * std::exp(outs[size_t(l)].s) + outs[size_t(l)].t;
      log_det += outs[size_t(l)].s;
    }
    total += -(base_log_density(u) + log_det);
    if (!grad) continue;
    // Backward. Loss per point: ½|z|² + log 2π − Σ_ℓ s_ℓ − const; ∂/∂z = z.
    Point2 g = u;
    for (int l = layers - 1; l >= 0; --l) {
      const int a = l % 2, b = 1 - a;
      const Point2& in = inputs[size_t(l)];
      const CouplingOut& o = outs[size_t(l)];
      const double* p = flow.params.data() + size_t(l) * L.size;
      double* gp = grad + size_t(l) * L.size;
      const double* a1 = &h1[size_t(l) * H];
      const double* a2 = &h2[size_t(l) * H];
      const double e = std::exp(o.s), in_b = a == 0 ? in.y : in.x, c = a == 0 ? in.x : in.y;
      const double g_vb = coord(g, b);
      const double g_s = g_vb * in_b * e - 1.0;  // −1 from −log|det|
      const double tanh_r = std::tanh(o.raw / flow.config.scale_limit);
      const double g_out[2] = {g_s * (1 - tanh_r * tanh_r), g_vb};  // ∂/∂raw s, ∂/∂t
      coord(g, b) = g_vb * e;
      // Parameter gradients are batch means: each point adds inv_n × its own.
      // Output layer: (raw, t) = W3·h2 + b3.
      for (size_t i = 0; i < H; ++i) {
        gp[L.w3 + i] += inv_n * g_out[0] * a2[i];
        gp[L.w3 + H + i] += inv_n * g_out[1] * a2[i];
      }
      gp[L.b3 + 0] += inv_n * g_out[0];
      gp[L.b3 + 1] += inv_n * g_out[1];
      for (size_t j = 0; j < H; ++j) {
        const double g_h2 = p[L.w3 + j] * g_out[0] + p[L.w3 + H + j] * g_out[1];
        g_pre2[j] = g_h2 * (1 - a2[j] * a2[j]);
      }
      // Hidden layer 2: h2 = tanh(W2·h1 + b2).
      std::fill(g_h1.begin(), g_h1.end(), 0.0);
      for (size_t j = 0; j < H; ++j) {
        const double* row = p + L.w2 + j * H;
        double* g_row = gp + L.w2 + j * H;
        const double gj = inv_n * g_pre2[j];
        for (size_t i = 0; i < H; ++i) {
          g_row[i] += gj * a1[i];
          g_h1[i] += row[i] * g_pre2[j];
        }
        gp[L.b2 + j] += gj;
      }
      // Hidden layer 1: h1 = tanh(W1·c + b1); c is the conditioning coordinate, passed through.
      double g_c = 0;
      for (size_t j = 0; j < H; ++j) {
        const double g_pre1 = g_h1[j] * (1 - a1[j] * a1[j]);
        gp[L.w1 + j] += inv_n * g_pre1 * c;
        gp[L.b1 + j] += inv_n * g_pre1;
        g_c += p[L.w1 + j] * g_pre1;
      }
      coord(g, a) += g_c;
    }
  }
  return total * inv_n;
}

std::vector<float> flow_density_grid(const Flow2d& flow, double x_min, double x_max, double y_min, double y_max,
                                     int cols, int rows) {
  assert(cols >= 1 && rows >= 1);
  std::vector<float> out(size_t(cols) * size_t(rows));  // [rows × cols], row 0 at y_max
  for (int r = 0; r < rows; ++r) {
    const double y = y_max - (y_max - y_min) * (r + 0.5) / rows;
    for (int c = 0; c < cols; ++c) {
      const double x = x_min + (x_max - x_min) * (c + 0.5) / cols;
      out[size_t(r) * size_t(cols) + size_t(c)] = float(std::exp(flow_log_density(flow, {x, y})));
    }
  }
  return out;
}

std::vector<Point2> flow_sample(const Flow2d& flow, int n, Rng& rng) {
  std::vector<Point2> out(size_t(std::max(n, 0)));
  for (Point2& p : out) {
    const double z0 = rng.normal(), z1 = rng.normal();
    p = flow_inverse(flow, {z0, z1});
  }
  return out;
}

FlowTrainer start_flow_training(const FlowConfig& config, const std::vector<Point2>& train, Rng& rng, double lr,
                                int batch) {
  FlowTrainer t;
  t.flow = make_flow2d(config, train, rng);
  const size_t count = flow_parameter_count(t.flow);
  t.grad.assign(count, 0.0);
  t.adam_m.assign(count, 0.0);
  t.adam_v.assign(count, 0.0);
  t.optimizer.kind = OptimizerKind::Adam;
  t.optimizer.lr = lr;
  t.batch = std::max(1, batch);
  if (train.empty()) t.message = "No training points.";
  for (size_t i = 0; i < train.size(); ++i)
    if (!std::isfinite(train[i].x) || !std::isfinite(train[i].y)) {
      // A NaN or infinite point would make the standardisation and every loss NaN.
      t.flow = make_flow2d(config, {}, rng);
      t.diverged = true;
      t.message = "Training point " + std::to_string(i) + " is not a finite number; nothing was trained.";
      break;
    }
  return t;
}

bool flow_train_step(FlowTrainer& t, const std::vector<Point2>& train, Rng& rng) {
  if (train.empty() || t.diverged) return false;
  std::vector<Point2> batch(size_t(t.batch));  // sampled with replacement
  for (Point2& p : batch) p = train[rng.below(uint32_t(train.size()))];
  const double loss = flow_nll(t.flow, batch.data(), batch.size(), t.grad.data());
  bool finite = std::isfinite(loss);
  for (double g : t.grad) finite = finite && std::isfinite(g);
  if (!finite) {
    t.diverged = true;
    t.message = "Training diverged at step " + std::to_string(t.step + 1) +
                " (the loss or its gradient is not finite); the parameters are kept as they were. Lower the "
                "learning rate and reset.";
    return false;
  }
  // The update itself can overflow (a huge learning rate): keep the state it started from.
  const std::vector<double> params = t.flow.params, m = t.adam_m, v = t.adam_v;
  OptimizerState<double> state{t.adam_m.data(), t.adam_v.data(), t.step};
  optimizer_step(t.flow.params.data(), t.grad.data(), t.grad.size(), state, t.optimizer);
  bool params_finite = true;
  for (double p : t.flow.params) params_finite = params_finite && std::isfinite(p);
  if (!params_finite) {
    t.flow.params = params;
    t.adam_m = m;
    t.adam_v = v;
    t.diverged = true;
    t.message = "Training diverged at step " + std::to_string(t.step + 1) +
                " (the update made a parameter non-finite); the parameters are kept as they were. Lower the "
                "learning rate and reset.";
    return false;
  }
  t.step = state.step;
  t.train_nll.push_back(loss);
  return true;
}

double record_heldout(FlowTrainer& t, const std::vector<Point2>& heldout) {
  const double nll = flow_nll(t.flow, heldout.data(), heldout.size());
  t.heldout_steps.push_back(t.step);
  t.heldout_nll.push_back(nll);
  return nll;
}

}  // namespace ll::prob
