#!/usr/bin/env bash
# The README's second command: build and run every test (GoogleTest through ctest, and the
# comparison against Envoy Gateway's translator goldens when ../shared is present).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
