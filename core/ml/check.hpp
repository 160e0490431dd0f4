#pragma once
// LL_CHECK: an assert that stays on in Release builds, for shape and argument contracts of
// the numeric core (cheap: checked once per op, not per element). A failed check is a bug in
// the caller; it prints the condition and message, then aborts (no exceptions cross APIs).
#include <cstdio>
#include <cstdlib>

#define LL_CHECK(cond, message)                                                                   \
  do {                                                                                            \
    if (!(cond)) {                                                                                \
      std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, message); \
      std::abort();                                                                               \
    }                                                                                             \
  } while (0)

// Asserts that an Eigen matrix has the given shape.
#define LL_CHECK_SHAPE(m, r, c, message) LL_CHECK((m).rows() == (r) && (m).cols() == (c), message)
