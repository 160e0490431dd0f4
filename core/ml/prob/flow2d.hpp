#pragma once
// A RealNVP-style normalising flow in 2-D (Dinh et al. 2017). The map f: x → z is a fixed
// standardisation followed by affine coupling layers; layer ℓ keeps one coordinate a and
// moves the other, b, by a scale and shift computed from a:
//     z_a = x_a,   z_b = x_b·exp(s(x_a)) + t(x_a),   log|det ∂z/∂x| = s(x_a),
// with (s, t) from a small MLP 1 → H → H → 2 (tanh), and a alternating between layers.
// Change of variables: log p(x) = log N(f(x); 0, I) + log|det ∂f/∂x|. Sampling runs f⁻¹ on
// z ~ N(0, I). All parameters live in one contiguous buffer; the MLPs have explicit forward
// and backward passes (plain loops, so native and WASM builds agree bit for bit).
#include <cstddef>
#include <string>
#include <vector>

#include "ml/optim.hpp"
#include "ml/prob/gauss2d.hpp"
#include "ml/rng.hpp"

namespace ll::prob {

constexpr int kMaxFlowHidden = 256;

struct FlowConfig {
  int layers = 6;            // coupling layers, alternating which coordinate conditions
  int hidden = 32;           // H, width of both hidden layers of each MLP, at most kMaxFlowHidden
  double scale_limit = 2.0;  // s = L·tanh(raw/L): |s| < L keeps exp(s) from overflowing
};

// Offsets of one coupling layer's parameters inside the buffer (per layer, in this order).
struct CouplingLayout {
  size_t w1, b1;  // [H × 1], [H]
  size_t w2, b2;  // [H × H] row-major (out × in), [H]
  size_t w3, b3;  // [2 × H] (row 0 → raw s, row 1 → t), [2]
  size_t size;    // parameters per layer
};
CouplingLayout coupling_layout(int hidden);

struct Flow2d {
  FlowConfig config;
  std::vector<double> params;  // [layers × layout.size], layer ℓ at ℓ·layout.size
  CouplingLayout layout;
  // Fixed standardisation x' = (x − shift) / scale, from the training data at creation.
  Point2 shift{0, 0}, scale{1, 1};
};

// Hidden weights ~ N(0, 1/fan_in); the output layer starts at 0, so f starts as the
// standardisation alone (z = x') and training begins from a Gaussian fit of the data.
Flow2d make_flow2d(const FlowConfig& config, const std::vector<Point2>& data, Rng& rng);
size_t flow_parameter_count(const Flow2d& flow);

// x → z; adds log|det ∂z/∂x| to *log_det when given.
Point2 flow_forward(const Flow2d& flow, Point2 x, double* log_det = nullptr);
// z → x (exact inverse of flow_forward).
Point2 flow_inverse(const Flow2d& flow, Point2 z);
double flow_log_density(const Flow2d& flow, Point2 x);

// Mean negative log-likelihood (nats per point) over n points; when grad is not null it
// receives ∂NLL/∂params [flow_parameter_count], overwritten.
double flow_nll(const Flow2d& flow, const Point2* xs, size_t n, double* grad = nullptr);

// p(x) on a cols × rows grid over the rectangle, cell centres, row 0 at the top (y_max), as the
// HeatMap widget draws it.
std::vector<float> flow_density_grid(const Flow2d& flow, double x_min, double x_max, double y_min, double y_max,
                                     int cols, int rows);
std::vector<Point2> flow_sample(const Flow2d& flow, int n, Rng& rng);

// ---- Training by maximum likelihood with Adam ---------------------------------------------

struct FlowTrainer {
  Flow2d flow;
  OptimizerConfig optimizer;           // Adam by default, lr 3e-3
  std::vector<double> grad, adam_m, adam_v;  // [flow_parameter_count] each
  long step = 0;
  int batch = 128;
  std::vector<double> train_nll;       // minibatch NLL per step
  std::vector<long> heldout_steps;     // when the held-out NLL was measured
  std::vector<double> heldout_nll;     // mean NLL on the held-out points then
  bool diverged = false;
  std::string message;
};

FlowTrainer start_flow_training(const FlowConfig& config, const std::vector<Point2>& train, Rng& rng,
                                double lr = 3e-3, int batch = 128);
// One Adam step on a random minibatch. A non-finite loss or gradient leaves the parameters as
// they were, sets diverged and a message, and returns false.
bool flow_train_step(FlowTrainer& t, const std::vector<Point2>& train, Rng& rng);
// Measures and records the held-out NLL at the current step.
double record_heldout(FlowTrainer& t, const std::vector<Point2>& heldout);

}  // namespace ll::prob
