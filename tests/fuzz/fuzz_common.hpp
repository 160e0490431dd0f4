#pragma once
// Shared by the libFuzzer targets (tests/fuzz, built with -DLATENTLAB_FUZZ=ON by ./lab fuzz).
// Every target feeds untrusted bytes to one parser; a bad input must come back as an error
// value with a message, never a crash, a sanitizer report or an allocation over the limit.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

// A parser that refuses an input must say why: an empty message is a bug too.
#define FUZZ_REQUIRE(cond, what)                                           \
  do {                                                                     \
    if (!(cond)) {                                                         \
      std::fprintf(stderr, "fuzz target: %s (%s)\n", #cond, what);        \
      std::abort();                                                        \
    }                                                                      \
  } while (0)
