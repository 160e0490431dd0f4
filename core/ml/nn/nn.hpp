#pragma once
// latentlab's numeric core: the engine under the autoencoder, VAE, GAN, DDPM and flows.
// Include this one header to get all of it.
//
// DESIGN (llm.c / ggml style: plain structs, explicit forward/backward pairs, no tape)
//  * float32 everywhere. Activations are ll::nn::Mat (Eigen, row-major), one sample per row.
//    Images are rows of C·H·W floats in NCHW order: "reshape" is free, channel concat is
//    column concat (concat_columns).
//  * ParamStore (params.hpp) owns ALL parameters of a model in one std::vector<float> and all
//    gradients in a second one of the same size; named views (name, shape, offset) give
//    Eigen::Map access. Save/load, the optimizer, EMA, clipping and the non-finite guard all
//    work on these two blocks.
//  * A layer is a struct of sizes and ParamIds, made by make_xxx(store, "name", ...), which
//    registers "name.weight" / "name.bias" (PyTorch names and shapes, e.g. dense weight
//    [out, in], conv weight [Cout, Cin, k, k]). init_params(store, rng) then fills every view
//    in declaration order, so a seed decides the whole model.
//  * xxx_forward(store, layer, x, y[, cache]) writes y. The CALLER keeps x (and caches such
//    as GroupNormCache) for backward; models are structs that own their activations.
//  * xxx_backward(store, layer, x, dy, &dx) ADDS parameter gradients into store.grads and
//    WRITES dx (nullptr skips it). Call zero_grads(store) once per step. A residual branch's
//    dx is added by the caller.
//  * Shapes are checked on entry and exit of every op with LL_CHECK (on in Release too).
//  * Losses (losses.hpp) return a double and write the gradient of their input.
//  * Threads: GEMM-heavy layers split work over ll::compute_pool() (ml/thread_pool.hpp) in
//    blocks fixed by the data, so 1 and N threads give bit-identical results.
//
// BLOCKS: mlp.hpp (dense layers + activations, owns its activations) for encoders,
// decoders, discriminators and coupling networks.
//
// A TRAINING STEP
//   ParamStore store;  Dense fc1 = make_dense(store, "fc1", 2, 16), fc2 = make_dense(store, "fc2", 16, 2);
//   init_params(store, rng);
//   Optimizer opt = make_optimizer(store, config);         // train.hpp; opt.schedule, opt.clip_norm
//   zero_grads(store);
//   dense_forward(store, fc1, x, h);  activation_forward(Activation::ReLU, h, a);  dense_forward(store, fc2, a, logits);
//   double loss = softmax_cross_entropy(logits, labels, &dlogits);
//   dense_backward(store, fc2, a, dlogits, &da);  activation_backward(Activation::ReLU, h, da, dh);
//   dense_backward(store, fc1, x, dh, nullptr);
//   FiniteCheck ok = check_finite(store, step, loss);      // names the step and the parameter
//   if (ok.ok) { apply_optimizer(store, opt); keep_last_good(good, store, opt); }
//   else { restore_last_good(good, store, opt); show(ok.message); }
//
// WEIGHT FILES: checkpoint.hpp writes safetensors (io/safetensors.hpp) with the architecture,
// hyperparameters, a format version and optionally the optimizer state; loading works from
// memory or a path and returns an error value for every malformed file.
#include "ml/nn/checkpoint.hpp"
#include "ml/nn/layers.hpp"
#include "ml/nn/losses.hpp"
#include "ml/nn/mlp.hpp"
#include "ml/nn/params.hpp"
#include "ml/nn/train.hpp"
#include "ml/thread_pool.hpp"
