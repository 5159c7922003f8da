#!/usr/bin/env bash
# Formats every tracked C++ file in place (Google style, 100 columns; see .clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files '*.cc' '*.h' | xargs clang-format -i
