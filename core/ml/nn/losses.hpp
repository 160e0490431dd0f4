#pragma once
// Losses in numerically stable forms. Each returns the loss (double) and, when the gradient
// pointer is non-null, writes ∂loss/∂input (same shape as the input).
#include <vector>

#include "ml/nn/params.hpp"

namespace ll::nn {

// Mean: average over every element (PyTorch's default). BatchMean: sum over a row's
// features, average over rows (the per-sample sum a VAE's ELBO uses).
enum class Reduction { Mean, BatchMean };

// Squared error (no ½): mean or per-row sum of (pred − target)²; gradient 2·(pred − target)·scale.
double mse_loss(const Mat& pred, const Mat& target, Mat* dpred, Reduction reduction = Reduction::Mean);
// Binary cross-entropy on logits z with targets t in [0, 1]:
// max(z, 0) − z·t + log(1 + e^−|z|); gradient σ(z) − t.
double bce_with_logits_loss(const Mat& logits, const Mat& target, Mat* dlogits, Reduction reduction = Reduction::Mean);
// Softmax cross-entropy with integer class labels (one per row), averaged over rows;
// log-sum-exp with the row maximum subtracted. Gradient (softmax − onehot) / B.
double softmax_cross_entropy(const Mat& logits, const std::vector<int>& labels, Mat* dlogits);
// KL(N(μ, diag σ²) ‖ N(0, I)) with logvar = log σ²: ½ Σ (μ² + e^logvar − 1 − logvar) per row,
// averaged over rows.
double gaussian_kl_loss(const Mat& mu, const Mat& logvar, Mat* dmu, Mat* dlogvar);

// Row-wise softmax (stable), and the fraction of rows whose arg-max equals the label.
void softmax_rows(const Mat& logits, Mat& probs);
double accuracy(const Mat& logits, const std::vector<int>& labels);

}  // namespace ll::nn
