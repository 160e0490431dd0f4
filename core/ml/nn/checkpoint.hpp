#pragma once
// Checkpoints: a ParamStore (and optionally its optimizer state) as a safetensors file.
// Tensors: every parameter view by name, F32, its shape; with optimizer state also
// "optimizer.m/<name>" and "optimizer.v/<name>". Metadata (all strings, as the format
// requires): format = "latentlab-checkpoint", format_version, architecture, hyperparameters
// (a JSON object), and with optimizer state optimizer (a JSON object: kind, step, lr, betas,
// schedule, clipping...) so training resumes exactly where it stopped.
// Loading checks everything first and changes the model only when all of it fits.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/safetensors.hpp"
#include "ml/nn/params.hpp"
#include "ml/nn/train.hpp"

namespace ll::nn {

constexpr const char* kCheckpointFormat = "latentlab-checkpoint";
constexpr int kCheckpointVersion = 1;

struct ModelInfo {
  std::string architecture;                            // e.g. "mlp-2-16-16-2"; must match on load
  std::map<std::string, std::string> hyperparameters;  // shown to the user, not interpreted
};

// opt may be nullptr: weights only.
std::vector<uint8_t> save_checkpoint(const ParamStore& store, const ModelInfo& info, const Optimizer* opt);

struct LoadedCheckpoint {
  ModelInfo info;
  bool has_optimizer_state = false;
};

// Fills store (and opt, when given) from bytes. The file's architecture must equal
// expected_architecture and every parameter must be present with the model's shape.
// Without optimizer state in the file, opt is reset to a fresh state (step 0).
SafetensorsStatus load_checkpoint(const uint8_t* bytes, size_t size, const std::string& expected_architecture,
                                  ParamStore& store, Optimizer* opt, LoadedCheckpoint* loaded = nullptr);

// Models of several parts, each with its own parameters, optimizer and optional EMA weights
// (a GAN's generator and discriminator, a DDPM's network and its average). A part named N
// stores "N/<param>", "optimizer.m/N/<param>", "optimizer.v/N/<param>", "ema/N/<param>" and
// its optimizer settings under the metadata key "optimizer/N"; the unnamed part ("") uses the
// plain names above, so save_checkpoint is the one-part case.
struct SavePart {
  std::string name;
  const ParamStore* store = nullptr;
  const Optimizer* opt = nullptr;            // optional
  const std::vector<float>* ema = nullptr;   // optional, [param_count]
};
struct LoadPart {
  std::string name;
  ParamStore* store = nullptr;
  Optimizer* opt = nullptr;            // restored, or reset when the file has no state for it
  std::vector<float>* ema = nullptr;   // restored, or a copy of the loaded weights
};
std::vector<uint8_t> save_checkpoint_parts(const std::vector<SavePart>& parts, const ModelInfo& info);
// has_optimizer_state is true when every part that asked for an optimizer found its state.
SafetensorsStatus load_checkpoint_parts(const uint8_t* bytes, size_t size, const std::string& expected_architecture,
                                        const std::vector<LoadPart>& parts, LoadedCheckpoint* loaded = nullptr);

// The hyperparameters in a checkpoint's metadata, read before the model exists so a loader
// can build the architecture the file describes.
struct Hyperparameters {
  std::map<std::string, std::string> values;
  uint64_t tensor_bytes = 0;  // the bytes all of the file's tensors hold, for check_holds_parameters
  std::string text(const std::string& key) const;  // "" when absent
  // The whole value parsed as a number; false when absent or not a number.
  bool number(const std::string& key, double& out) const;
};
SafetensorsStatus read_hyperparameters(const uint8_t* bytes, size_t size, Hyperparameters& out);

// A loader that builds the model its file describes calls this first: a file whose tensors
// hold fewer bytes than the F32 parameters (a lower bound, `least_parameters`) of the model
// its hyperparameters declare (`model`, e.g. "latent 64, generator_channels 64") is refused
// before anything is allocated, so a few header bytes cannot ask for gigabytes.
SafetensorsStatus check_holds_parameters(const Hyperparameters& hyper, uint64_t least_parameters, const std::string& model);

// A hyperparameter that must be a whole number in [lo, hi] (checked as a double, before any
// cast): false with `error` naming the key and the range otherwise.
bool whole_number(const Hyperparameters& hyper, const std::string& key, double lo, double hi, double& out,
                  SafetensorsStatus& error);

SafetensorsStatus save_checkpoint_file(const std::string& path, const ParamStore& store, const ModelInfo& info,
                                       const Optimizer* opt);
SafetensorsStatus load_checkpoint_file(const std::string& path, const std::string& expected_architecture,
                                       ParamStore& store, Optimizer* opt, LoadedCheckpoint* loaded = nullptr);

}  // namespace ll::nn
