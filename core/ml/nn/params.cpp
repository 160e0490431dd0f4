#include "ml/nn/params.hpp"

#include <algorithm>
#include "ml/check.hpp"

namespace ll::nn {

namespace {

const ParamView& view_of(const ParamStore& store, ParamId id) {
  LL_CHECK(id >= 0 && size_t(id) < store.views.size(), "unknown ParamId");
  return store.views[size_t(id)];
}

int matrix_rows(const ParamView& v) { return v.shape.empty() ? 1 : v.shape[0]; }
int matrix_cols(const ParamView& v) { return int(v.size) / matrix_rows(v); }

}  // namespace

ParamId add_param(ParamStore& store, const std::string& name, const std::vector<int>& shape, ParamInit init) {
  LL_CHECK(find_param(store, name) < 0, "parameter names must be unique");
  LL_CHECK(!shape.empty(), "a parameter needs at least one dimension");
  ParamView v;
  v.name = name;
  v.shape = shape;
  v.offset = store.values.size();
  v.size = 1;
  for (int d : shape) {
    LL_CHECK(d > 0, "parameter dimensions must be positive");
    v.size *= size_t(d);
  }
  v.init = init;
  store.values.resize(v.offset + v.size, 0.0f);
  store.grads.resize(v.offset + v.size, 0.0f);
  store.views.push_back(v);
  return ParamId(store.views.size() - 1);
}

void init_params(ParamStore& store, Rng& rng) {
  for (const ParamView& v : store.views) {
    float* p = store.values.data() + v.offset;
    for (size_t i = 0; i < v.size; ++i) {
      switch (v.init.kind) {
        case ParamInit::Zeros: p[i] = 0.0f; break;
        case ParamInit::Ones: p[i] = 1.0f; break;
        case ParamInit::Uniform: p[i] = float(rng.uniform(-v.init.scale, v.init.scale)); break;
        case ParamInit::Normal: p[i] = float(rng.normal(0.0, v.init.scale)); break;
      }
    }
  }
}

void zero_grads(ParamStore& store) { std::fill(store.grads.begin(), store.grads.end(), 0.0f); }

size_t param_count(const ParamStore& store) { return store.values.size(); }

ParamId find_param(const ParamStore& store, const std::string& name) {
  for (size_t i = 0; i < store.views.size(); ++i)
    if (store.views[i].name == name) return ParamId(i);
  return -1;
}

float* param_data(ParamStore& store, ParamId id) { return store.values.data() + view_of(store, id).offset; }
const float* param_data(const ParamStore& store, ParamId id) { return store.values.data() + view_of(store, id).offset; }
float* grad_data(ParamStore& store, ParamId id) { return store.grads.data() + view_of(store, id).offset; }

MatMap param_matrix(ParamStore& store, ParamId id) {
  const ParamView& v = view_of(store, id);
  return MatMap(store.values.data() + v.offset, matrix_rows(v), matrix_cols(v));
}
ConstMatMap param_matrix(const ParamStore& store, ParamId id) {
  const ParamView& v = view_of(store, id);
  return ConstMatMap(store.values.data() + v.offset, matrix_rows(v), matrix_cols(v));
}
MatMap grad_matrix(ParamStore& store, ParamId id) {
  const ParamView& v = view_of(store, id);
  return MatMap(store.grads.data() + v.offset, matrix_rows(v), matrix_cols(v));
}
ConstRowMap param_row(const ParamStore& store, ParamId id) {
  const ParamView& v = view_of(store, id);
  return ConstRowMap(store.values.data() + v.offset, Eigen::Index(v.size));
}
RowMap grad_row(ParamStore& store, ParamId id) {
  const ParamView& v = view_of(store, id);
  return RowMap(store.grads.data() + v.offset, Eigen::Index(v.size));
}

}  // namespace ll::nn
