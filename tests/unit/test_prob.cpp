#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "ml/prob/bayes.hpp"
#include "ml/prob/classify2d.hpp"
#include "ml/prob/datasets2d.hpp"
#include "ml/prob/kl.hpp"
#include "ml/prob/mle.hpp"
#include "ml/rng.hpp"

using namespace ll::prob;

TEST_CASE("bayes: diagnostic test posterior matches the hand computation", "[prob]") {
  // P(+) = 0.01·0.9 + 0.99·0.05 = 0.0585;  P(D|+) = 0.009 / 0.0585 = 2/13.
  const DiagnosticPosterior r = diagnose({0.01, 0.9, 0.95});
  CHECK(r.p_positive == Approx(0.0585).epsilon(1e-12));
  CHECK(r.p_disease_given_positive == Approx(2.0 / 13.0).epsilon(1e-12));
  CHECK(r.p_disease_given_negative == Approx(0.001 / 0.9415).epsilon(1e-12));
  CHECK(r.true_positive + r.false_positive + r.false_negative + r.true_negative == Approx(1.0));
  CHECK(r.message.empty());
  // A second positive uses 2/13 as the prior: 1.8 / (1.8 + 0.55).
  const std::vector<double> seq = repeated_positive_posteriors({0.01, 0.9, 0.95}, 2);
  REQUIRE(seq.size() == 2);
  CHECK(seq[1] == Approx(1.8 / 2.35).epsilon(1e-12));
}

TEST_CASE("bayes: impossible results and out-of-range inputs are explained", "[prob]") {
  const DiagnosticPosterior none = diagnose({0.0, 0.9, 1.0});  // nobody ill and no false alarms
  CHECK(none.p_positive == 0);
  CHECK(std::isnan(none.p_disease_given_positive));
  CHECK(none.message.find("P(D|+) is undefined") != std::string::npos);
  const DiagnosticPosterior clamped = diagnose({1.5, -0.2, 0.9});
  CHECK(clamped.message.find("prevalence") != std::string::npos);
  CHECK(clamped.message.find("sensitivity") != std::string::npos);
  CHECK(clamped.p_positive == Approx(0.0));  // prevalence 1, sensitivity 0 → never positive
}

TEST_CASE("bayes: Beta-binomial coin update, closed form against the grid", "[prob]") {
  const BetaDist prior{2, 2};
  const BetaDist post = beta_posterior(prior, 7, 3);
  CHECK(post.a == 9);
  CHECK(post.b == 5);
  CHECK(beta_mean(post) == Approx(9.0 / 14.0));
  CHECK(beta_mode(post) == Approx(8.0 / 12.0));
  CHECK(std::isnan(beta_mode({1, 1})));
  // P(x) for one sequence of 7 heads and 3 tails: B(9,5)/B(2,2) = (8!·4!/13!) / (1/6).
  const double evidence = (40320.0 * 24.0 / 6227020800.0) * 6.0;
  CHECK(std::exp(beta_bernoulli_log_evidence(prior, 7, 3)) == Approx(evidence).epsilon(1e-10));
  const GridPosterior g = grid_posterior(prior, 7, 3, 4000);
  CHECK(g.evidence == Approx(evidence).epsilon(1e-5));
  double mass = 0, worst = 0;
  for (size_t i = 0; i < g.theta.size(); ++i) {
    mass += g.posterior[i] / 4000.0;
    worst = std::max(worst, std::fabs(g.posterior[i] - std::exp(beta_log_pdf(g.theta[i], post))));
  }
  CHECK(mass == Approx(1.0).epsilon(1e-6));
  CHECK(worst < 1e-4);
  // Uniform prior, one head: the posterior density is 2θ.
  CHECK(std::exp(beta_log_pdf(0.3, beta_posterior({1, 1}, 1, 0))) == Approx(0.6));
}

TEST_CASE("mle: Gaussian fit is the closed form and maximises the likelihood", "[prob]") {
  ll::Rng rng(7);
  std::vector<double> xs(2000);
  for (double& x : xs) x = rng.normal(2.0, 0.5);
  double mean = 0, var = 0;
  for (double x : xs) mean += x;
  mean /= double(xs.size());
  for (double x : xs) var += (x - mean) * (x - mean);
  var /= double(xs.size());
  const Gaussian1Fit fit = fit_gaussian1_mle(xs.data(), xs.size());
  REQUIRE(fit.ok);
  CHECK_FALSE(fit.floored);
  CHECK(fit.g.mean == Approx(mean).epsilon(1e-12));
  CHECK(fit.g.sd == Approx(std::sqrt(var)).epsilon(1e-12));
  CHECK(fit.g.mean == Approx(2.0).margin(0.05));
  CHECK(fit.g.sd == Approx(0.5).margin(0.03));
  // The closed form's average log-likelihood is −½log(2πσ̂²) − ½; any nudge lowers it.
  const double best = gaussian1_average_log_likelihood(xs.data(), xs.size(), fit.g);
  CHECK(best == Approx(-0.5 * std::log(2 * kPi * var) - 0.5).epsilon(1e-12));
  for (double dm : {-0.01, 0.01})
    CHECK(gaussian1_average_log_likelihood(xs.data(), xs.size(), {fit.g.mean + dm, fit.g.sd}) < best);
  for (double ds : {-0.01, 0.01})
    CHECK(gaussian1_average_log_likelihood(xs.data(), xs.size(), {fit.g.mean, fit.g.sd + ds}) < best);
}

TEST_CASE("mle: zero variance, one sample and no samples are explained, not fatal", "[prob]") {
  const double same[] = {1.5, 1.5, 1.5};
  const Gaussian1Fit flat = fit_gaussian1_mle(same, 3, 1e-3);
  CHECK(flat.ok);
  CHECK(flat.floored);
  CHECK(flat.g.sd == 1e-3);
  CHECK(flat.message.find("zero variance") != std::string::npos);
  const Gaussian1Fit one = fit_gaussian1_mle(same, 1, 1e-3);
  CHECK(one.floored);
  CHECK(one.message.find("One sample") != std::string::npos);
  CHECK(std::isfinite(gaussian1_average_log_likelihood(same, 1, one.g)));
  const Gaussian1Fit none = fit_gaussian1_mle(nullptr, 0);
  CHECK_FALSE(none.ok);
  CHECK_FALSE(none.message.empty());
}

TEST_CASE("mle: categorical MLE is the frequencies; max likelihood = min KL from the data", "[prob]") {
  const std::vector<long> counts = {5, 3, 2, 0};
  const std::vector<double> theta = fit_categorical(counts);
  CHECK(theta[0] == Approx(0.5));
  CHECK(theta[3] == 0);
  CHECK(fit_categorical(counts, 1.0)[3] == Approx(1.0 / 14.0));  // Laplace smoothing
  CHECK(fit_categorical({0, 0})[0] == Approx(0.5));
  // Along a path through θ-space, avg log-likelihood = −H(p̂) − KL(p̂‖q): same argmax.
  const double h = categorical_entropy(theta);
  int best_ll = -1, best_kl = -1;
  double top = -INFINITY, low = INFINITY;
  for (int i = 1; i < 100; ++i) {
    const std::vector<double> q = categorical_along(theta, 0, i / 100.0);
    const double ll = categorical_average_log_likelihood(counts, q), kl = categorical_kl(theta, q);
    CHECK(ll == Approx(-h - kl).epsilon(1e-12));
    if (ll > top) top = ll, best_ll = i;
    if (kl < low) low = kl, best_kl = i;
  }
  CHECK(best_ll == 50);
  CHECK(best_kl == 50);
  CHECK(categorical_kl(theta, theta) == 0);
  CHECK(categorical_average_log_likelihood(counts, {0.0, 0.5, 0.5, 0.0}) == -INFINITY);
}

TEST_CASE("kl: closed form for Gaussians against the numeric grid integral", "[prob]") {
  CHECK(kl_gaussian1({0, 1}, {1, 1}) == Approx(0.5));
  CHECK(kl_gaussian1({0, 1}, {0, 2}) == Approx(std::log(2.0) + 0.125 - 0.5));
  CHECK(kl_gaussian1({0.3, 0.7}, {0.3, 0.7}) == 0);
  const Grid1 grid{-12, 12, 2401};
  const Gaussian1 pairs[][2] = {{{0, 1}, {1, 1}}, {{0, 1}, {0, 2}}, {{-1, 0.5}, {1, 1.5}}, {{2, 1.2}, {-0.5, 0.8}}};
  for (const auto& pq : pairs) {
    const double closed = kl_gaussian1(pq[0], pq[1]);
    const double numeric = kl_numeric(log_density_on_grid(pq[0], grid), log_density_on_grid(pq[1], grid), grid);
    INFO("p = N(" << pq[0].mean << ", " << pq[0].sd << "), q = N(" << pq[1].mean << ", " << pq[1].sd << ")");
    CHECK(numeric == Approx(closed).epsilon(1e-6).margin(1e-9));
    CHECK(closed > 0);
  }
  // Asymmetric: KL(p‖q) ≠ KL(q‖p).
  CHECK(kl_gaussian1({0, 1}, {0, 2}) != Approx(kl_gaussian1({0, 2}, {0, 1})));
}

TEST_CASE("kl: fitting one Gaussian to two modes, KL(p‖q) covers both and KL(q‖p) picks one", "[prob]") {
  const Mixture1 p{{0.5, 0.5}, {-2, 2}, {0.5, 0.5}};
  const Grid1 grid{-8, 8, 641};
  const std::vector<double> log_p = log_density_on_grid(p, grid);
  KlFit forward = start_kl_fit(KlDirection::Forward, {0.5, 1.0}, log_p, grid, 0.05);
  KlFit reverse = start_kl_fit(KlDirection::Reverse, {0.5, 1.0}, log_p, grid, 0.05);
  for (int i = 0; i < 400; ++i) {
    REQUIRE(kl_fit_step(forward, log_p, grid));
    REQUIRE(kl_fit_step(reverse, log_p, grid));
  }
  // KL(p‖q) is minimised by matching moments: mean 0, variance 0.25 + 4.
  CHECK(forward.q().mean == Approx(0.0).margin(0.02));
  CHECK(forward.q().sd == Approx(std::sqrt(4.25)).margin(0.02));
  // KL(q‖p) started right of centre settles on the right mode with about its width.
  CHECK(reverse.q().mean == Approx(2.0).margin(0.05));
  CHECK(reverse.q().sd == Approx(0.5).margin(0.05));
  // Each fit is best at its own objective and worse at the other's.
  const auto log_fwd = log_density_on_grid(forward.q(), grid), log_rev = log_density_on_grid(reverse.q(), grid);
  CHECK(kl_numeric(log_p, log_fwd, grid) < kl_numeric(log_p, log_rev, grid));
  CHECK(kl_numeric(log_rev, log_p, grid) < kl_numeric(log_fwd, log_p, grid));
  CHECK(reverse.kl == Approx(std::log(2.0)).margin(0.02));  // one of two equal modes: log 2
  CHECK(forward.history.front() > forward.history.back());
}

TEST_CASE("generative vs discriminative: both separate two Gaussian classes", "[prob]") {
  ll::Rng rng(3);
  const LabeledPoints2 data = make_dataset2d(Dataset2d::ThreeGaussians, 600, 0.1, rng);
  std::vector<Point2> pts;
  std::vector<int> labels;
  for (size_t i = 0; i < data.points.size(); ++i)
    if (data.labels[i] < 2) pts.push_back(data.points[i]), labels.push_back(data.labels[i]);
  const GenerativeClassifier gen = fit_generative_classifier(pts, labels, false);
  CHECK(gen.message.empty());
  LogisticRegression2 lr;
  const double first = logistic_step(lr, pts, labels, 0.5);
  CHECK(first == Approx(std::log(2.0)));  // w = 0: p = ½ everywhere
  double last = first;
  for (int i = 0; i < 300; ++i) last = logistic_step(lr, pts, labels, 0.5);
  CHECK(last < 0.2);
  CHECK(classification_accuracy([&](Point2 x) { return generative_p1(gen, x); }, pts, labels) > 0.97);
  CHECK(classification_accuracy([&](Point2 x) { return logistic_p1(lr, x); }, pts, labels) > 0.97);
  // With a shared covariance and equal priors the boundary passes through the midpoint of the means.
  GenerativeClassifier lda = fit_generative_classifier(pts, labels, true);
  lda.prior[0] = lda.prior[1] = 0.5;
  const Point2 m0 = lda.class_density[0].mean, m1 = lda.class_density[1].mean;
  CHECK(generative_p1(lda, {0.5 * (m0.x + m1.x), 0.5 * (m0.y + m1.y)}) == Approx(0.5).margin(1e-9));
}

TEST_CASE("generative classifier: a class with one point or none is explained", "[prob]") {
  const std::vector<Point2> pts = {{0, 0}, {1, 0}, {0, 1}, {3, 3}};
  const GenerativeClassifier one = fit_generative_classifier(pts, {0, 0, 0, 1}, false, 1e-3);
  CHECK(one.message.find("Class 1") != std::string::npos);
  CHECK(one.class_density[1].cov.det() > 0);
  const double p = generative_p1(one, {2.9, 3.0});
  CHECK(std::isfinite(p));
  CHECK(p > 0.5);
  const GenerativeClassifier none = fit_generative_classifier(pts, {0, 0, 0, 0}, false);
  CHECK(none.prior[1] == 0);
  CHECK(none.message.find("no points") != std::string::npos);
  CHECK(generative_p1(none, {3, 3}) == 0);
}
