#pragma once
// All parameters of a model in one contiguous float buffer, plus one gradient buffer of the
// same size, with named views (name, shape, offset) into both: save/load and the optimizers
// see one block (llm.c's malloc_and_point_parameters). Layers hold ParamIds, not pointers,
// so the buffers may grow while a model is being declared.
#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <vector>

#include "ml/rng.hpp"

namespace ll::nn {

// Activations and parameter matrices: row-major, one sample per row (batch-major).
using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatMap = Eigen::Map<Mat>;
using ConstMatMap = Eigen::Map<const Mat>;
using RowMap = Eigen::Map<Eigen::RowVectorXf>;
using ConstRowMap = Eigen::Map<const Eigen::RowVectorXf>;

using ParamId = int;  // index into ParamStore::views

// How init_params fills a view: constant 0 or 1, uniform in [-scale, scale], or N(0, scale²).
struct ParamInit {
  enum Kind { Zeros, Ones, Uniform, Normal } kind = Zeros;
  float scale = 0;
};

struct ParamView {
  std::string name;        // unique, e.g. "encoder.fc1.weight" (safetensors key)
  std::vector<int> shape;  // PyTorch order, e.g. dense weight [out, in]
  size_t offset = 0;       // first float in ParamStore::values / grads
  size_t size = 0;         // product of shape
  ParamInit init;
};

struct ParamStore {
  std::vector<ParamView> views;
  std::vector<float> values;  // [param_count] all parameters
  std::vector<float> grads;   // [param_count] ∂loss/∂values, accumulated by *_backward
};

// Appends a view (asserts the name is new and every dimension > 0); values start at 0.
ParamId add_param(ParamStore& store, const std::string& name, const std::vector<int>& shape, ParamInit init);
// Fills every view by its ParamInit, in declaration order, so a seed gives one model.
void init_params(ParamStore& store, Rng& rng);
void zero_grads(ParamStore& store);
size_t param_count(const ParamStore& store);
ParamId find_param(const ParamStore& store, const std::string& name);  // -1 if absent

float* param_data(ParamStore& store, ParamId id);
const float* param_data(const ParamStore& store, ParamId id);
float* grad_data(ParamStore& store, ParamId id);
// 2-D views: rows = shape[0], cols = product of the other dimensions (1 for a vector).
MatMap param_matrix(ParamStore& store, ParamId id);
ConstMatMap param_matrix(const ParamStore& store, ParamId id);
MatMap grad_matrix(ParamStore& store, ParamId id);
// 1-D views of the whole parameter (biases, norm scales).
ConstRowMap param_row(const ParamStore& store, ParamId id);
RowMap grad_row(ParamStore& store, ParamId id);

}  // namespace ll::nn
