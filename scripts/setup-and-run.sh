#!/usr/bin/env bash
# The README's first command: install dependencies, build, and run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo
echo "== ctplab validate scenarios/examples/gateway-with-policies.yaml"
set +e
build/ctplab validate scenarios/examples/gateway-with-policies.yaml
rc=$?
set -e
echo "(exit code $rc: 0 = every policy accepted, 1 = something invalid, as the example intends)"
echo
echo "== ctplab simulate scenarios/flood/shared-http-port.yaml --json build/flood-shared-http-port.json"
build/ctplab simulate scenarios/flood/shared-http-port.yaml --json build/flood-shared-http-port.json
echo
echo "== ctplab simulate scenarios/flood/two-https-listeners.yaml"
build/ctplab simulate scenarios/flood/two-https-listeners.yaml
echo
echo "== ctplab conformance   (every case in conformance/cases, in simulation)"
build/ctplab conformance --junit build/conformance-junit.xml --report build/conformance-report.yaml
