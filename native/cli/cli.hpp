#pragma once
// Subcommands of the `latentlab` tool, each taking the words after its name.
#include <string>
#include <vector>

namespace ll::cli {

using Args = std::vector<std::string>;

int run_bench(const Args& args);          // latentlab bench [--tsv FILE] [--quick] [--threads N]
int run_bench_compare(const Args& args);  // latentlab bench-compare NATIVE.tsv WASM.tsv
int run_word2vec(const Args& args);       // latentlab word2vec train|eval ...
int run_vae(const Args& args);            // latentlab vae train|eval ...
int run_sample_vae(const Args& args);     // latentlab sample vae ... (the words after "vae")
int run_gan(const Args& args);            // latentlab gan train ...
int run_sample_gan(const Args& args);     // latentlab sample gan ... (the words after "gan")
int run_ddpm(const Args& args);           // latentlab ddpm train ...
int run_sample_ddpm(const Args& args);    // latentlab sample ddpm ... (the words after "ddpm")
int run_classifier(const Args& args);     // latentlab classifier train ...
int run_eval_command(const Args& args);   // latentlab eval samples ...

}  // namespace ll::cli
