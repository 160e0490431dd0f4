#include "ml/nn/checkpoint.hpp"

#include <nlohmann/json.hpp>

namespace ll::nn {

namespace {

using Json = nlohmann::json;

std::vector<int64_t> shape64(const ParamView& v) { return std::vector<int64_t>(v.shape.begin(), v.shape.end()); }

const char* const kKindNames[] = {"sgd", "momentum", "adam"};
const char* const kScheduleNames[] = {"constant", "linear", "cosine"};

Json optimizer_json(const Optimizer& opt) {
  const OptimizerConfig& c = opt.config;
  return Json{{"kind", kKindNames[int(c.kind)]},
              {"step", opt.step},
              {"lr", c.lr},
              {"momentum", c.momentum},
              {"beta1", c.beta1},
              {"beta2", c.beta2},
              {"eps", c.eps},
              {"weight_decay", c.weight_decay},
              {"clip_norm", opt.clip_norm},
              {"schedule", kScheduleNames[int(opt.schedule.kind)]},
              {"warmup_steps", opt.schedule.warmup_steps},
              {"total_steps", opt.schedule.total_steps},
              {"final_fraction", opt.schedule.final_fraction}};
}

bool read_number(const Json& j, const char* key, double& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return false;
  out = it->get<double>();
  return true;
}

bool read_count(const Json& j, const char* key, long& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return false;
  out = long(it->get<int64_t>());
  return out >= 0;
}

template <size_t N> bool read_name(const Json& j, const char* key, const char* const (&names)[N], int& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return false;
  for (size_t i = 0; i < N; ++i)
    if (it->get<std::string>() == names[i]) {
      out = int(i);
      return true;
    }
  return false;
}

// The optimizer settings and step from the metadata JSON; false if anything is missing.
bool parse_optimizer(const std::string& text, Optimizer& opt) {
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  int kind = 0, schedule = 0;
  OptimizerConfig& c = opt.config;
  const bool ok = read_name(j, "kind", kKindNames, kind) && read_count(j, "step", opt.step) &&
                  read_number(j, "lr", c.lr) && read_number(j, "momentum", c.momentum) &&
                  read_number(j, "beta1", c.beta1) && read_number(j, "beta2", c.beta2) && read_number(j, "eps", c.eps) &&
                  read_number(j, "weight_decay", c.weight_decay) && read_number(j, "clip_norm", opt.clip_norm) &&
                  read_name(j, "schedule", kScheduleNames, schedule) &&
                  read_count(j, "warmup_steps", opt.schedule.warmup_steps) &&
                  read_count(j, "total_steps", opt.schedule.total_steps) &&
                  read_number(j, "final_fraction", opt.schedule.final_fraction);
  c.kind = OptimizerKind(kind);
  opt.schedule.kind = LrScheduleKind(schedule);
  return ok;
}

SafetensorsStatus fail(SafetensorsError e, const std::string& message) { return {e, message}; }

}  // namespace

std::vector<uint8_t> save_checkpoint(const ParamStore& store, const ModelInfo& info, const Optimizer* opt) {
  std::vector<TensorToWrite> tensors;
  for (const ParamView& v : store.views) tensors.push_back({v.name, shape64(v), store.values.data() + v.offset});
  std::map<std::string, std::string> metadata = {
      {"format", kCheckpointFormat},
      {"format_version", std::to_string(kCheckpointVersion)},
      {"architecture", info.architecture},
      {"hyperparameters", Json(info.hyperparameters).dump(-1, ' ', false, Json::error_handler_t::replace)}};
  if (opt && opt->m.size() == store.values.size()) {
    for (const ParamView& v : store.views) {
      tensors.push_back({"optimizer.m/" + v.name, shape64(v), opt->m.data() + v.offset});
      tensors.push_back({"optimizer.v/" + v.name, shape64(v), opt->v.data() + v.offset});
    }
    metadata["optimizer"] = optimizer_json(*opt).dump();
  }
  return encode_safetensors(tensors, metadata);
}

SafetensorsStatus load_checkpoint(const uint8_t* bytes, size_t size, const std::string& expected_architecture,
                                  ParamStore& store, Optimizer* opt, LoadedCheckpoint* loaded) {
  SafetensorsView view;
  SafetensorsStatus status = parse_safetensors(bytes, size, view);
  if (!status.ok()) return status;
  const auto meta = [&](const char* key) {
    const auto it = view.metadata.find(key);
    return it == view.metadata.end() ? std::string() : it->second;
  };
  if (meta("format") != kCheckpointFormat)
    return fail(SafetensorsError::VersionMismatch, "not a latentlab checkpoint (metadata 'format' is '" +
                                                       meta("format") + "')");
  if (meta("format_version") != std::to_string(kCheckpointVersion))
    return fail(SafetensorsError::VersionMismatch, "checkpoint format version '" + meta("format_version") +
                                                       "', this build reads version " +
                                                       std::to_string(kCheckpointVersion));
  if (meta("architecture") != expected_architecture)
    return fail(SafetensorsError::ArchitectureMismatch,
                "checkpoint is for '" + meta("architecture") + "', the model is '" + expected_architecture + "'");
  LoadedCheckpoint result;
  result.info.architecture = meta("architecture");
  const Json hyper = Json::parse(meta("hyperparameters"), nullptr, false);
  if (hyper.is_object())
    for (auto it = hyper.begin(); it != hyper.end(); ++it)
      if (it->is_string()) result.info.hyperparameters[it.key()] = it->get<std::string>();

  std::vector<float> values(store.values.size());
  for (const ParamView& v : store.views) {
    status = read_f32_tensor(view, v.name, shape64(v), values.data() + v.offset);
    if (!status.ok()) return status;
  }
  Optimizer restored;
  if (opt) {
    restored = make_optimizer(store, opt->config);
    restored.schedule = opt->schedule;
    restored.clip_norm = opt->clip_norm;
    if (!meta("optimizer").empty()) {
      if (!parse_optimizer(meta("optimizer"), restored))
        return fail(SafetensorsError::BadEntry, "optimizer metadata is incomplete");
      for (const ParamView& v : store.views) {
        status = read_f32_tensor(view, "optimizer.m/" + v.name, shape64(v), restored.m.data() + v.offset);
        if (status.ok()) status = read_f32_tensor(view, "optimizer.v/" + v.name, shape64(v), restored.v.data() + v.offset);
        if (!status.ok()) return status;
      }
      result.has_optimizer_state = true;
    }
  }
  // Everything fits: only now change the caller's model.
  store.values = std::move(values);
  zero_grads(store);
  if (opt) *opt = std::move(restored);
  if (loaded) *loaded = std::move(result);
  return {};
}

SafetensorsStatus save_checkpoint_file(const std::string& path, const ParamStore& store, const ModelInfo& info,
                                       const Optimizer* opt) {
  return write_file_bytes(path, save_checkpoint(store, info, opt));
}

SafetensorsStatus load_checkpoint_file(const std::string& path, const std::string& expected_architecture,
                                       ParamStore& store, Optimizer* opt, LoadedCheckpoint* loaded) {
  std::vector<uint8_t> bytes;
  const SafetensorsStatus status = read_file_bytes(path, bytes);
  if (!status.ok()) return status;
  return load_checkpoint(bytes.data(), bytes.size(), expected_architecture, store, opt, loaded);
}

}  // namespace ll::nn
