#!/usr/bin/env bash
# First contact: installs the dependencies, builds, and runs adbcfaultd in a throwaway sandbox
# (two network namespaces), never in this machine's own network namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
exec bash scripts/sandbox-demo.sh build
