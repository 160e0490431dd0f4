#include "ml/nn/checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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

namespace {

std::string optimizer_key(const std::string& part) { return part.empty() ? "optimizer" : "optimizer/" + part; }
std::string prefix_of(const std::string& part) { return part.empty() ? "" : part + "/"; }

}  // namespace

std::vector<uint8_t> save_checkpoint_parts(const std::vector<SavePart>& parts, const ModelInfo& info) {
  std::vector<TensorToWrite> tensors;
  std::map<std::string, std::string> metadata = {
      {"format", kCheckpointFormat},
      {"format_version", std::to_string(kCheckpointVersion)},
      {"architecture", info.architecture},
      {"hyperparameters", Json(info.hyperparameters).dump(-1, ' ', false, Json::error_handler_t::replace)}};
  for (const SavePart& part : parts) {
    const ParamStore& store = *part.store;
    const std::string prefix = prefix_of(part.name);
    for (const ParamView& v : store.views)
      tensors.push_back({prefix + v.name, shape64(v), store.values.data() + v.offset});
    if (part.opt && part.opt->m.size() == store.values.size()) {
      for (const ParamView& v : store.views) {
        tensors.push_back({"optimizer.m/" + prefix + v.name, shape64(v), part.opt->m.data() + v.offset});
        tensors.push_back({"optimizer.v/" + prefix + v.name, shape64(v), part.opt->v.data() + v.offset});
      }
      metadata[optimizer_key(part.name)] = optimizer_json(*part.opt).dump();
    }
    if (part.ema && part.ema->size() == store.values.size())
      for (const ParamView& v : store.views) tensors.push_back({"ema/" + prefix + v.name, shape64(v), part.ema->data() + v.offset});
  }
  return encode_safetensors(tensors, metadata);
}

std::vector<uint8_t> save_checkpoint(const ParamStore& store, const ModelInfo& info, const Optimizer* opt) {
  return save_checkpoint_parts({{"", &store, opt, nullptr}}, info);
}

SafetensorsStatus load_checkpoint_parts(const uint8_t* bytes, size_t size, const std::string& expected_architecture,
                                        const std::vector<LoadPart>& parts, LoadedCheckpoint* loaded) {
  SafetensorsView view;
  SafetensorsStatus status = parse_safetensors(bytes, size, view);
  if (!status.ok()) return status;
  const auto meta = [&](const std::string& key) {
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

  // Everything is read into copies first; the caller's model changes only when all of it fits.
  struct Restored {
    std::vector<float> values, ema;
    Optimizer opt;
    bool has_ema = false;
  };
  std::vector<Restored> restored(parts.size());
  result.has_optimizer_state = true;
  for (size_t i = 0; i < parts.size(); ++i) {
    const LoadPart& part = parts[i];
    const ParamStore& store = *part.store;
    const std::string prefix = prefix_of(part.name);
    Restored& r = restored[i];
    r.values.resize(store.values.size());
    for (const ParamView& v : store.views) {
      status = read_f32_tensor(view, prefix + v.name, shape64(v), r.values.data() + v.offset);
      if (!status.ok()) return status;
    }
    if (part.opt) {
      r.opt = make_optimizer(store, part.opt->config);
      r.opt.schedule = part.opt->schedule;
      r.opt.clip_norm = part.opt->clip_norm;
      const std::string settings = meta(optimizer_key(part.name));
      if (settings.empty()) {
        result.has_optimizer_state = false;
      } else {
        if (!parse_optimizer(settings, r.opt)) return fail(SafetensorsError::BadEntry, "optimizer metadata is incomplete");
        for (const ParamView& v : store.views) {
          status = read_f32_tensor(view, "optimizer.m/" + prefix + v.name, shape64(v), r.opt.m.data() + v.offset);
          if (status.ok())
            status = read_f32_tensor(view, "optimizer.v/" + prefix + v.name, shape64(v), r.opt.v.data() + v.offset);
          if (!status.ok()) return status;
        }
      }
    }
    if (part.ema && !store.views.empty() && find_tensor(view, "ema/" + prefix + store.views.front().name)) {
      r.ema.resize(store.values.size());
      for (const ParamView& v : store.views) {
        status = read_f32_tensor(view, "ema/" + prefix + v.name, shape64(v), r.ema.data() + v.offset);
        if (!status.ok()) return status;
      }
      r.has_ema = true;
    }
  }
  if (std::none_of(parts.begin(), parts.end(), [](const LoadPart& p) { return p.opt; }))
    result.has_optimizer_state = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const LoadPart& part = parts[i];
    part.store->values = std::move(restored[i].values);
    zero_grads(*part.store);
    if (part.opt) *part.opt = std::move(restored[i].opt);
    // Without EMA weights in the file the average starts again from the loaded weights.
    if (part.ema) *part.ema = restored[i].has_ema ? std::move(restored[i].ema) : part.store->values;
  }
  if (loaded) *loaded = std::move(result);
  return {};
}

SafetensorsStatus load_checkpoint(const uint8_t* bytes, size_t size, const std::string& expected_architecture,
                                  ParamStore& store, Optimizer* opt, LoadedCheckpoint* loaded) {
  return load_checkpoint_parts(bytes, size, expected_architecture, {{"", &store, opt, nullptr}}, loaded);
}

std::string Hyperparameters::text(const std::string& key) const {
  const auto it = values.find(key);
  return it == values.end() ? std::string() : it->second;
}

bool Hyperparameters::number(const std::string& key, double& out) const {
  const std::string s = text(key);
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

SafetensorsStatus read_hyperparameters(const uint8_t* bytes, size_t size, Hyperparameters& out) {
  SafetensorsView view;
  const SafetensorsStatus status = parse_safetensors(bytes, size, view);
  if (!status.ok()) return status;
  const auto it = view.metadata.find("hyperparameters");
  const Json hyper = it == view.metadata.end() ? Json() : Json::parse(it->second, nullptr, false);
  out.values.clear();
  out.tensor_bytes = 0;
  for (const TensorEntry& e : view.tensors) out.tensor_bytes += e.end - e.begin;
  if (hyper.is_object())
    for (auto h = hyper.begin(); h != hyper.end(); ++h)
      if (h->is_string()) out.values[h.key()] = h->get<std::string>();
  return {};
}

SafetensorsStatus check_holds_parameters(const Hyperparameters& hyper, uint64_t least_parameters, const std::string& model) {
  const uint64_t least_bytes = 4 * least_parameters;
  if (hyper.tensor_bytes >= least_bytes) return {};
  return fail(SafetensorsError::Truncated, "the file declares a model (" + model + ") of at least " +
                                               std::to_string(least_parameters) + " parameters (" +
                                               std::to_string(least_bytes) + " bytes) but its tensors hold only " +
                                               std::to_string(hyper.tensor_bytes) + " bytes");
}

bool whole_number(const Hyperparameters& hyper, const std::string& key, double lo, double hi, double& out,
                  SafetensorsStatus& error) {
  if (hyper.number(key, out) && out >= lo && out <= hi && out == std::floor(out)) return true;
  char range[96];
  std::snprintf(range, sizeof range, "a whole number from %.17g to %.17g", lo, hi);
  error = fail(SafetensorsError::BadEntry, "hyperparameter '" + key + "' is '" + hyper.text(key) + "', not " + range);
  return false;
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
