#pragma once
// Our own judge of generated digits (`latentlab eval samples`): a LeNet-style conv net
// trained on the 8000 train digits, and the sample-quality report built on it — the label
// histogram, the share of confidently classified samples, the Fréchet distance between the
// samples' and the real digits' features (FID's formula in this classifier's feature space),
// and the distance to the nearest train image (copies of training digits would sit at 0).
#include <functional>
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <string>

#include "io/safetensors.hpp"
#include "ml/nn/sequential.hpp"
#include "ml/nn/train.hpp"

namespace ll::gen {

constexpr int kDigitSide = 28;
constexpr int kDigitPixels = kDigitSide * kDigitSide;
constexpr int kDigitClasses = 10;
constexpr int kClassifierFeatures = 128;  // the penultimate layer, where Fréchet distances are taken
constexpr const char* kClassifierArchitecture = "digit-classifier-v1";
// A sample counts as confidently classified when its top class has at least this probability.
constexpr double kConfidentProbability = 0.9;

// conv 3×3 1→32, ReLU (28×28) · conv 3×3 stride 2 32→32, ReLU (14×14) · conv 3×3 stride 2
// 32→32, ReLU (7×7) · dense 1568→128, ReLU (features) · dense 128→10 (logits).
struct DigitClassifier {
  nn::ParamStore store;
  nn::Sequential net;
  int feature_stage = 0;  // index of the stage whose output is the 128 features
};
DigitClassifier make_digit_classifier();  // parameters zero; init_params or load them

struct ClassifierTrainConfig {
  int epochs = 12;
  int batch_size = 64;
  double lr = 2e-3;      // Adam, cosine decay to 5%
  int max_shift = 2;     // augmentation: each train digit moved by up to ±max_shift pixels
  uint64_t seed = 1;
};

// Trains from scratch on `count` images ([count][784] in [0, 1]) with their labels; calls
// progress(epoch, epochs, mean train loss) after every epoch. Returns "" or why it stopped
// (a non-finite loss).
std::string train_digit_classifier(DigitClassifier& model, const ClassifierTrainConfig& config, const float* images,
                                   const uint8_t* labels, int count,
                                   const std::function<void(int epoch, int epochs, double loss)>& progress = {});

// Class probabilities [count, 10] and features [count, 128] of images in [0, 1].
void classify_digits(DigitClassifier& model, const float* images, int count, nn::Mat& probs, nn::Mat& features);
double classifier_accuracy(DigitClassifier& model, const float* images, const uint8_t* labels, int count);

std::vector<uint8_t> save_digit_classifier(const DigitClassifier& model, const ClassifierTrainConfig& config,
                                           double heldout_accuracy);
SafetensorsStatus load_digit_classifier(const uint8_t* bytes, size_t size, DigitClassifier& model);

// Mean and covariance of feature rows, in double.
struct FeatureStats {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;
};
FeatureStats feature_stats(const nn::Mat& features);
// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½): 0 for identical statistics.
double frechet_distance(const FeatureStats& a, const FeatureStats& b);

struct SampleReport {
  int count = 0;
  std::array<int, kDigitClasses> histogram{};  // samples per predicted class
  double confident_share = 0;                  // share with top probability ≥ kConfidentProbability
  double mean_top_probability = 0;
  double frechet = 0;                          // against the reference (train digits') features
  double median_nearest_train = 0;             // median pixel L2 distance to the closest train digit
  std::vector<int> labels;                     // [count] the predicted class of each sample
};
// Judges `count` images against the train digits (reference features and nearest neighbours).
SampleReport report_samples(DigitClassifier& model, const float* images, int count, const float* train_images,
                            int train_count, const FeatureStats& train_features);

}  // namespace ll::gen
