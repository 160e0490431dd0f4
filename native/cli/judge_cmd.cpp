// latentlab classifier train and latentlab eval samples: the digit classifier of
// core/ml/gen/digit_classifier and the quality report of generated digits built on it.
#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "cli.hpp"
#include "io/assets.hpp"
#include "io/mnist.hpp"
#include "io/npy.hpp"
#include "ml/gen/digit_classifier.hpp"
#include "common.hpp"

namespace ll::cli {

namespace {

constexpr const char* kClassifierAsset = "digit_classifier.safetensors";

constexpr const char* kJudgeUsage =
    "usage:\n"
    "  latentlab classifier train [--epochs 12] [--seed 1] --out FILE.safetensors\n"
    "      trains the LeNet-style digit classifier on the 8000 train digits (random shifts of up to\n"
    "      2 pixels, Adam with cosine decay) and prints its accuracy on the 2000 held-out digits\n"
    "  latentlab eval samples --in FILE.npy [--classifier FILE.safetensors] [--asked cycle|0-9]\n"
    "      judges uint8 (N, 28, 28) samples with the classifier (default: the shipped one): label\n"
    "      histogram, share classified with p >= 0.9, Frechet distance to the train digits in the\n"
    "      classifier's 128 features, median pixel distance to the nearest train digit; the same\n"
    "      figures for the real held-out digits are the reference. --asked: samples of a conditional\n"
    "      model were asked to be digit i mod 10 (cycle, as sample gan|ddpm draw them) or all one\n"
    "      digit; prints the share the classifier recognises as the digit asked for, per digit\n";

int fail(const std::string& message) {
  std::fprintf(stderr, "latentlab: %s\n", message.c_str());
  return 2;
}


int run_classifier_train(const Args& args) {
  gen::ClassifierTrainConfig config;
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i + 1 >= args.size()) return fail("option " + args[i] + " needs a value\n" + kJudgeUsage);
    const std::string& a = args[i];
    const std::string& v = args[++i];
    long n = 0;
    if (a == "--epochs" && parse_long(v, 1, 1000, n)) config.epochs = int(n);
    else if (a == "--seed" && parse_long(v, 0, 2147483647, n)) config.seed = uint64_t(n);
    else if (a == "--out") out = v;
    else return fail("bad option " + a + " " + v + "\n" + kJudgeUsage);
  }
  if (out.empty()) return fail("--out FILE.safetensors is required\n" + std::string(kJudgeUsage));
  MnistData data;
  const std::string problem = load_digits(data);
  if (!problem.empty()) return fail(problem);

  gen::DigitClassifier model = gen::make_digit_classifier();
  const double wall0 = wall_seconds(), cpu0 = cpu_seconds();
  ProgressLine progress;
  const auto print_epoch = [&progress](int epoch, int epochs, double loss) {
    char text[160];
    std::snprintf(text, sizeof text, "%s  epoch %d/%d  train loss %.4f", progress_bar(double(epoch) / epochs).c_str(),
                  epoch, epochs, loss);
    progress.update(double(epoch) / epochs, text);
  };
  const std::string error = gen::train_digit_classifier(model, config, data.train.images.data(),
                                                        data.train.labels.data(), data.train.count(), print_epoch);
  progress.finish();
  if (!error.empty()) return fail("training stopped: " + error);
  const double accuracy = gen::classifier_accuracy(model, data.heldout.images.data(), data.heldout.labels.data(),
                                                   data.heldout.count());
  const std::vector<uint8_t> bytes = gen::save_digit_classifier(model, config, accuracy);
  std::ofstream file(out, std::ios::binary);
  if (!file.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size())))
    return fail("cannot write " + out);
  std::fprintf(stderr, "trained in %.1f s wall, %.1f s CPU; saved %s\n", wall_seconds() - wall0,
               cpu_seconds() - cpu0, out.c_str());
  std::printf("heldout_accuracy %.4f\n", accuracy);
  return 0;
}

void print_report_row(const char* name, const gen::SampleReport& r) {
  std::printf("| %s | %d |", name, r.count);
  for (int c = 0; c < gen::kDigitClasses; ++c) std::printf(" %.1f", 100.0 * r.histogram[size_t(c)] / r.count);
  std::printf(" | %.1f%% | %.3f | %.2f | %.2f |\n", 100 * r.confident_share, r.mean_top_probability, r.frechet,
              r.median_nearest_train);
}

int run_eval_samples(const Args& args) {
  std::string in, classifier_path = default_asset_dir() + "/" + kClassifierAsset;
  long asked = -2;  // −2: not given, −1: cycle, else one digit
  for (size_t i = 0; i < args.size(); ++i) {
    if (i + 1 >= args.size()) return fail("option " + args[i] + " needs a value\n" + kJudgeUsage);
    const std::string& a = args[i];
    const std::string& v = args[++i];
    if (a == "--in") in = v;
    else if (a == "--classifier") classifier_path = v;
    else if (a == "--asked" && v == "cycle") asked = -1;
    else if (a == "--asked" && parse_long(v, 0, 9, asked)) continue;
    else return fail("bad option " + a + " " + v + "\n" + kJudgeUsage);
  }
  if (in.empty()) return fail("--in FILE.npy is required\n" + std::string(kJudgeUsage));

  std::vector<uint8_t> pixels;
  std::vector<int64_t> shape;
  std::string error = read_npy_u8(in, pixels, shape);
  if (!error.empty()) return fail(error);
  if (shape.size() != 3 || shape[1] != gen::kDigitSide || shape[2] != gen::kDigitSide || shape[0] < 2)
    return fail(in + " must hold uint8 samples of shape (N, 28, 28) with N >= 2");
  gen::DigitClassifier model = gen::make_digit_classifier();
  const SafetensorsStatus loaded = load_model_file(
      classifier_path, [&](const uint8_t* b, size_t n) { return gen::load_digit_classifier(b, n, model); });
  if (!loaded.ok())
    return fail("cannot load the classifier " + classifier_path + ": " + loaded.message +
                " (train one with: latentlab classifier train --out FILE)");
  MnistData data;
  error = load_digits(data);
  if (!error.empty()) return fail(error);

  const int count = int(shape[0]);
  std::vector<float> images(pixels.size());
  for (size_t i = 0; i < pixels.size(); ++i) images[i] = float(pixels[i]) / 255.0f;
  nn::Mat probs, features;
  gen::classify_digits(model, data.train.images.data(), data.train.count(), probs, features);
  const gen::FeatureStats train_stats = gen::feature_stats(features);
  const gen::SampleReport samples =
      gen::report_samples(model, images.data(), count, data.train.images.data(), data.train.count(), train_stats);
  const gen::SampleReport real = gen::report_samples(model, data.heldout.images.data(), data.heldout.count(),
                                                     data.train.images.data(), data.train.count(), train_stats);
  std::printf("| set | n | label histogram 0–9 (%%) | confident (p ≥ %.1f) | mean top p | Fréchet to train | "
              "median nearest-train distance |\n|---|---:|---|---:|---:|---:|---:|\n",
              gen::kConfidentProbability);
  print_report_row(in.c_str(), samples);
  print_report_row("real held-out digits", real);
  if (asked >= -1) {
    std::array<int, gen::kDigitClasses> per_digit{}, recognised{};
    for (int i = 0; i < count; ++i) {
      const int digit = asked >= 0 ? int(asked) : i % gen::kDigitClasses;
      ++per_digit[size_t(digit)];
      recognised[size_t(digit)] += samples.labels[size_t(i)] == digit;
    }
    int total = 0;
    std::printf("\nrecognised as the digit asked for, per digit 0–9 (%%):");
    for (int d = 0; d < gen::kDigitClasses; ++d) {
      total += recognised[size_t(d)];
      if (per_digit[size_t(d)] > 0) std::printf(" %.1f", 100.0 * recognised[size_t(d)] / per_digit[size_t(d)]);
      else std::printf(" -");
    }
    std::printf("\nrecognised as the digit asked for, in all: %.1f%% (%d of %d)\n", 100.0 * total / count, total, count);
  }
  return 0;
}

}  // namespace

int run_classifier(const Args& args) {
  if (args.size() >= 1 && args[0] == "train") return run_classifier_train(Args(args.begin() + 1, args.end()));
  std::fputs(kJudgeUsage, stderr);
  return 2;
}

int run_eval_command(const Args& args) {
  if (args.size() >= 1 && args[0] == "samples") return run_eval_samples(Args(args.begin() + 1, args.end()));
  std::fputs(kJudgeUsage, stderr);
  return 2;
}

}  // namespace ll::cli
