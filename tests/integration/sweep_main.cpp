// Runs after the integration tests (ctest FIXTURES_CLEANUP): removes namespaces and veths whose
// test process is gone, and exits 1 if it found any, naming them.

#include <unistd.h>

#include <cstdio>

#include "netns_fixture.h"

int main() {
  if (::geteuid() != 0) {
    std::puts("not root: integration tests could not have created anything; nothing to sweep");
    return 0;
  }
  const auto removed = adbcfault::testing::sweep_stale_namespaces();
  for (const auto& name : removed)
    std::printf("left behind by a test run, removed: %s\n", name.c_str());
  if (!removed.empty()) return 1;
  std::puts("no leftovers");
  return 0;
}
