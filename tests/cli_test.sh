#!/usr/bin/env bash
# End-to-end checks of the ctplab executable: exit codes, diagnostics and stable output.
set -uo pipefail
ctplab="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
example="$root/scenarios/examples/gateway-with-policies.yaml"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...: the command must succeed
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}

"$ctplab" validate --now 2026-06-01T00:00:00Z "$example" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "validate exits 1 when a policy is invalid" test "$rc" -eq 1
check "validate names the invalid policy" grep -q "Gateway shop/edge section http-api: Invalid" "$tmp/out"
check "validate shows the overridden sections" \
  grep -q "overriding these sections \[http-api https\]" "$tmp/out"
check "validate explains the shared HTTP port" grep -q "shares port 80 with shop/edge/http-www" "$tmp/out"
check "validate shows the HTTPS listener with its TLS settings" grep -q "tls.minVersion: '1.3'" "$tmp/out"

"$ctplab" translate --now 2026-06-01T00:00:00Z "$example" >"$tmp/t1" 2>/dev/null
"$ctplab" translate --now 2026-06-01T00:00:00Z "$example" >"$tmp/t2" 2>/dev/null
check "translate output is byte-identical across runs" cmp -s "$tmp/t1" "$tmp/t2"
check "translate prints the xdsIR" grep -q "^xdsIR:" "$tmp/t1"

"$ctplab" validate "$tmp/missing.yaml" >/dev/null 2>"$tmp/err"
check "an unreadable file exits 2" test $? -eq 2
printf 'kind: Gateway\nmetadata: [\n' >"$tmp/bad.yaml"
"$ctplab" validate "$tmp/bad.yaml" >/dev/null 2>"$tmp/err"
check "malformed YAML exits 2" test $? -eq 2
check "malformed YAML names file:line:column" grep -Eq "bad.yaml:[0-9]+:[0-9]+: error: malformed YAML" "$tmp/err"
"$ctplab" translate --now yesterday "$example" >/dev/null 2>"$tmp/err"
check "a bad --now is a usage error" test $? -eq 2
"$ctplab" frobnicate >/dev/null 2>&1
check "an unknown command is a usage error" test $? -eq 2

echo "cli: $passed passed, $failed failed"
test "$failed" -eq 0
