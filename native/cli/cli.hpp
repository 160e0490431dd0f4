#pragma once
// Subcommands of the `latentlab` tool, each taking the words after its name.
#include <string>
#include <vector>

namespace ll::cli {

using Args = std::vector<std::string>;

int run_bench(const Args& args);          // latentlab bench [--tsv FILE] [--quick]
int run_bench_compare(const Args& args);  // latentlab bench-compare NATIVE.tsv WASM.tsv

}  // namespace ll::cli
