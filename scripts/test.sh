#!/usr/bin/env bash
# Builds adbcfault and runs the whole test suite: unit tests, then the network-namespace
# integration tests (root needed; they skip without root unless ADBCFAULT_REQUIRE_KERNEL=1,
# in which case missing root or kernel features fail them, as on CI).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
cd "$build_dir"
ctest --output-on-failure -L unit -j"$(nproc)"
ctest --output-on-failure -L integration
