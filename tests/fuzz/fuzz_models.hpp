#pragma once
// A small fixed model for the checkpoint target and its seeds.
#include "ml/nn/params.hpp"

namespace fuzz {

constexpr const char* kSmallArchitecture = "fuzz-mlp-3-4-2";

inline ll::nn::ParamStore small_store() {
  ll::nn::ParamStore store;
  ll::nn::add_param(store, "fc1.weight", {4, 3}, {ll::nn::ParamInit::Normal, 0.5f});
  ll::nn::add_param(store, "fc1.bias", {4}, {});
  ll::nn::add_param(store, "fc2.weight", {2, 4}, {ll::nn::ParamInit::Normal, 0.5f});
  ll::nn::add_param(store, "fc2.bias", {2}, {});
  return store;
}

}  // namespace fuzz
