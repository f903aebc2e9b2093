#pragma once
// The gate at the start of every integration test. It checks, once per process: running as root,
// `ip netns add` works, and -- inside a scratch namespace -- every iptables target, match and
// policy-routing piece adbcfaultd uses, plus the client and server programs the tests run. The
// first call also sweeps namespaces left by killed test runs (sweep_stale_namespaces).
//
// ADBCFAULT_REQUIRE_KERNEL=1 (set by CI): anything missing FAILS the test, naming what is missing.
// Unset or any other value: the test is skipped with the same message (developer laptops).

#include <gtest/gtest.h>

#include <string>

namespace adbcfault::testing {

// "" when everything is there; otherwise one line per missing piece.
const std::string& missing_kernel_features();
bool kernel_required();  // ADBCFAULT_REQUIRE_KERNEL=1

}  // namespace adbcfault::testing

#define ADBCFAULT_REQUIRE_KERNEL_OR_SKIP()                                                       \
  do {                                                                                           \
    const std::string& adbcf_missing = ::adbcfault::testing::missing_kernel_features();          \
    if (!adbcf_missing.empty()) {                                                                \
      if (::adbcfault::testing::kernel_required()) {                                             \
        GTEST_FAIL() << "ADBCFAULT_REQUIRE_KERNEL=1 but this machine lacks:\n" << adbcf_missing; \
      }                                                                                          \
      GTEST_SKIP() << "integration test needs (set ADBCFAULT_REQUIRE_KERNEL=1 to fail "          \
                      "instead):\n"                                                              \
                   << adbcf_missing;                                                             \
    }                                                                                            \
  } while (0)
