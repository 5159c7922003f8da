#!/usr/bin/env bash
# Diffs `ctplab translate` against Envoy Gateway's translator goldens kept beside the project
# (../shared/peer-cases). They are test data that is not part of this repository: when absent,
# the test reports itself skipped (exit 77).
set -euo pipefail
ctplab="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${CTPLAB_SHARED_DIR:-$root/../shared}"
cases="$shared/peer-cases/envoy-gateway"
tool="$shared/tools/compare-translation.py"
if [ ! -d "$cases" ] || [ ! -f "$tool" ]; then
  echo "SKIPPED: Envoy Gateway golden cases not found at $cases (set CTPLAB_SHARED_DIR)"
  exit 77
fi
exec /usr/bin/python3 "$tool" --dir "$cases" --cmd "$ctplab translate --now 2026-06-01T00:00:00Z {in}"
