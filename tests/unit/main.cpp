// Catch2 runner shared by the native and WASM test binaries. It ends with one line,
// "unit tests: N passed, M failed", that ./lab test reads for both targets.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>

namespace {

struct CountingListener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    (stats.totals.assertions.failed > 0 ? failed : passed)++;
    TestEventListenerBase::testCaseEnded(stats);
  }
  void testRunEnded(const Catch::TestRunStats& stats) override {
    TestEventListenerBase::testRunEnded(stats);
    std::printf("unit tests: %d passed, %d failed\n", passed, failed);
    std::fflush(stdout);
  }
  static int passed, failed;
};
int CountingListener::passed = 0;
int CountingListener::failed = 0;

}  // namespace

CATCH_REGISTER_LISTENER(CountingListener)

int main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
