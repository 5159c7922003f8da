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

# simulate
limit="$root/scenarios/flood/limit-exact-counts.yaml"
"$ctplab" simulate "$limit" --json "$tmp/s1.json" >"$tmp/sim.txt" 2>"$tmp/err"
check "simulate runs the exact-count scenario" test $? -eq 0
check "simulate prints the limited connections" \
  grep -q "connection_limit.http-10080.limited_connections 3" "$tmp/sim.txt"
"$ctplab" simulate "$limit" --json "$tmp/s2.json" >/dev/null 2>&1
check "simulate JSON is byte-identical across runs" cmp -s "$tmp/s1.json" "$tmp/s2.json"
check "simulate JSON parses" /usr/bin/python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/s1.json"
"$ctplab" simulate "$limit" --seed 9 --json "$tmp/s3.json" >/dev/null 2>&1
check "--seed is recorded in the JSON" grep -q '"seed": 9' "$tmp/s3.json"
printf 'name: broken\npopulations:\n  - name: p\n    clients: -3\n' >"$tmp/broken.yaml"
"$ctplab" simulate "$tmp/broken.yaml" >/dev/null 2>"$tmp/err"
check "a bad scenario exits 2" test $? -eq 2
check "a bad scenario names file:line" grep -Eq "broken.yaml:4:[0-9]+: error: populations\[0\].clients" "$tmp/err"
printf 'name: [\n' >"$tmp/malformed.yaml"
"$ctplab" simulate "$tmp/malformed.yaml" >/dev/null 2>"$tmp/err"
check "a malformed scenario exits 2 with file:line" grep -Eq "malformed.yaml:[0-9]+:[0-9]+: error" "$tmp/err"
"$ctplab" simulate "$limit" --seed nope >/dev/null 2>&1
check "a bad --seed is a usage error" test $? -eq 2
for scenario in "$root"/scenarios/flood/*.yaml "$root"/scenarios/timeouts/*.yaml \
                "$root"/scenarios/churn/*.yaml "$root"/scenarios/tls/*.yaml; do
  "$ctplab" simulate "$scenario" --quiet >/dev/null 2>"$tmp/err"
  check "shipped scenario $(basename "$scenario") runs cleanly" test $? -eq 0 -a ! -s "$tmp/err"
done

# conformance
(cd "$root" && "$ctplab" conformance --junit "$tmp/junit.xml" --report "$tmp/report.yaml") >"$tmp/conf.txt" 2>"$tmp/err"
check "conformance passes on the shipped cases" test $? -eq 0
check "conformance prints the summary line" grep -Eq "^conformance \(sim\): [0-9]+ passed, 0 failed, [0-9]+ skipped$" "$tmp/conf.txt"
check "conformance writes JUnit XML" grep -q "<testsuite name=\"ctplab-conformance-sim\"" "$tmp/junit.xml"
check "conformance writes the report" grep -q "kind: ConformanceReport" "$tmp/report.yaml"
(cd "$root" && "$ctplab" conformance --plant-fault connection-limit-off-by-one) >"$tmp/conf.txt" 2>&1
check "a planted fault fails the suite (exit 1)" test $? -eq 1
check "a failure names the case file and line" \
  grep -Eq "connection-limit-closes-connections-over-limit.yaml:[0-9]+:[0-9]+: population" "$tmp/conf.txt"
(cd "$root" && "$ctplab" conformance --features +NoSuchFeature) >/dev/null 2>&1
check "an unknown feature is a usage error" test $? -eq 2
(cd "$root" && "$ctplab" conformance --mode nosuch) >/dev/null 2>&1
check "an unknown mode is a usage error" test $? -eq 2
(cd "$root" && "$ctplab" conformance --mode target) >/dev/null 2>&1
check "target mode without --target is a usage error" test $? -eq 2
"$ctplab" certs --out "$tmp/certs-a" --seed 5 --now 2026-06-01T00:00:00Z >/dev/null 2>&1
"$ctplab" certs --out "$tmp/certs-b" --seed 5 --now 1780272000 >/dev/null 2>&1
check "certs: the same seed and time give byte-identical files" diff -r "$tmp/certs-a" "$tmp/certs-b"
"$ctplab" certs --out "$tmp/certs-c" --now yesterday >/dev/null 2>"$tmp/err"
check "certs: a bad --now is a usage error" test $? -eq 2 -a -s "$tmp/err"
printf 'name: Broken\nfeatures: [Nope]\nexpect: {stats: {a.b: 1}}\n' >"$tmp/broken-case.yaml"
"$ctplab" conformance "$tmp/broken-case.yaml" >/dev/null 2>"$tmp/err"
check "a broken case exits 2" test $? -eq 2
check "a broken case names file:line" grep -q "broken-case.yaml:2:" "$tmp/err"

# explain and audit-xff
identity="$root/scenarios/identity"
"$ctplab" explain "$identity/gateway-base.yaml" "$identity/ctp-hops-2.yaml" --port 80 \
  --hops "$identity/hops.yaml" --via cdn,lb --host www.example.com --path /admin \
  --header 'X-Forwarded-For: 192.168.1.1' >"$tmp/explain.txt" 2>"$tmp/err"
check "explain exits 0 when the request is traced" test $? -eq 0
check "explain starts with what the client sends" \
  grep -q "^1\. client 203.0.113.7 sends GET /admin Host: www.example.com, X-Forwarded-For: 192.168.1.1$" "$tmp/explain.txt"
check "explain shows each hop appending" \
  grep -q "^3\. hop lb (L7): X-Forwarded-For: 192.168.1.1, 203.0.113.7, 10.1.0.4; connects from 10.2.0.4$" "$tmp/explain.txt"
check "explain shows the detected client IP" \
  grep -q "client IP: numTrustedHops 2 (skips 1 from the right) → 203.0.113.7 from X-Forwarded-For" "$tmp/explain.txt"
check "explain ends with the authorization verdict" \
  grep -q "^=> 403 RBAC: access denied, answered by authorization" "$tmp/explain.txt"
"$ctplab" explain "$identity/gateway-base.yaml" "$identity/ctp-hops-2.yaml" --port 80 \
  --hops "$identity/hops.yaml" --via cdn,lb --host www.example.com --path /admin \
  --header 'X-Forwarded-For: 192.168.1.1' --json >"$tmp/explain.json" 2>/dev/null
check "explain --json parses" /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['outcome']['status'] == 403 and d['client_ip'] == '203.0.113.7'" "$tmp/explain.json"
"$ctplab" explain "$identity/gateway-base.yaml" --port 80 --via cdn >/dev/null 2>&1
check "explain --via without --hops is a usage error" test $? -eq 2
"$ctplab" explain "$identity/gateway-base.yaml" --port 80 --hops "$tmp/bad.yaml" --via cdn >/dev/null 2>"$tmp/err"
check "explain with a malformed hops file exits 2 with file:line" \
  grep -Eq "bad.yaml:[0-9]+:[0-9]+: error" "$tmp/err"
"$ctplab" audit-xff "$identity/gateway-base.yaml" "$identity/ctp-hops-2.yaml" \
  --topology "$identity/topology-cdn-lb.yaml" >"$tmp/audit.txt" 2>"$tmp/err"
check "audit-xff exits 0 without findings" test $? -eq 0
check "audit-xff says so" grep -q "^no findings" "$tmp/audit.txt"
"$ctplab" audit-xff "$identity/gateway-base.yaml" "$identity/ctp-hops-3.yaml" \
  --topology "$identity/topology-cdn-lb.yaml" >"$tmp/audit.txt" 2>"$tmp/err"
check "audit-xff exits 1 with findings" test $? -eq 1
check "audit-xff computes the numTrustedHops fix" \
  grep -q "fix:      numTrustedHops should be 2 (is 3)" "$tmp/audit.txt"
"$ctplab" audit-xff "$identity/gateway-base.yaml" "$identity/ctp-hops-3.yaml" \
  --topology "$identity/topology-cdn-lb.yaml" --json >"$tmp/a1.json" 2>/dev/null
"$ctplab" audit-xff "$identity/gateway-base.yaml" "$identity/ctp-hops-3.yaml" \
  --topology "$identity/topology-cdn-lb.yaml" --json >"$tmp/a2.json" 2>/dev/null
check "audit-xff JSON is byte-identical across runs" cmp -s "$tmp/a1.json" "$tmp/a2.json"
check "audit-xff JSON parses" /usr/bin/python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/a1.json"
"$ctplab" audit-xff "$identity/gateway-base.yaml" "$identity/ctp-proxy-protocol.yaml" \
  --topology "$identity/topology-nlb-direct.yaml" >"$tmp/audit.txt" 2>"$tmp/err"
check "audit-xff flags a forged PROXY header sent around the load balancer" \
  grep -q "^1\. direct :80: forged PROXY header$" "$tmp/audit.txt"
printf 'paths:\n  - {name: p, port: 80, clients: 10.0.0.0/33}\n' >"$tmp/topology.yaml"
"$ctplab" audit-xff "$identity/gateway-base.yaml" --topology "$tmp/topology.yaml" >/dev/null 2>"$tmp/err"
check "audit-xff exits 2 on a bad topology" test $? -eq 2
check "a bad topology names file:line:col and the field" \
  grep -q "topology.yaml:2:34: error: paths\[0\].clients" "$tmp/err"
"$ctplab" audit-xff "$identity/gateway-base.yaml" >/dev/null 2>&1
check "audit-xff without --topology is a usage error" test $? -eq 2

# calibrate: the live proxy's CPU costs on this machine, then a scenario that loads them
"$ctplab" calibrate --duration 300ms --out "$tmp/costs.yaml" >"$tmp/calibrate.txt" 2>"$tmp/err"
check "calibrate measures and writes a cost model" test $? -eq 0
check "calibrate prints the costs it measured" grep -q "^  tlsHandshakeCostRsa " "$tmp/calibrate.txt"
# The small costs come from differences of noisy CPU totals: on a loaded machine one may come out
# as 0 (written with a warning). A handshake costs hundreds of microseconds, never nothing.
check "the cost model holds every cost, none negative, handshakes positive, under 50 ms" \
  /usr/bin/python3 -c "
import re, sys, yaml
m = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)  # every scalar a string
assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', m['measuredOn']), m['measuredOn']
assert m['machine']['cpu'] and int(m['machine']['cores']) >= 1
for k in ('acceptCost', 'requestCost', 'tlsHandshakeCostRsa', 'tlsHandshakeCostEcdsa'):
    us = float(re.fullmatch(r'(\d+\.\d{3})us', m[k]).group(1))
    assert 0 <= us < 50000, (k, us)
    assert us > 0 or not k.startswith('tls'), (k, us)
assert float(m['bytesPerCpuSecond']) >= 0, m['bytesPerCpuSecond']
for s in m['samples'].values():
    assert min(int(v) for k, v in s.items() if k != 'proxyCpu') > 0, s
" "$tmp/costs.yaml"
mkdir -p "$tmp/calibrated"
cat >"$tmp/calibrated/scenario.yaml" <<SCENARIO
name: calibrated
duration: 5s
host: {costModel: ../costs.yaml, workers: 1}
resources:
  - file: $root/scenarios/resources/shared-http-port.yaml
populations:
  - name: users
    clients: 200
    arrival: {process: constant, rate: 100/s}
    behavior: {kind: requests, requestsPerConnection: 5}
SCENARIO
"$ctplab" simulate "$tmp/calibrated/scenario.yaml" --json "$tmp/calibrated.json" \
  >"$tmp/calibrated.txt" 2>"$tmp/err"
check "a scenario runs with the measured cost model" test $? -eq 0
check "the summary names the cost model" \
  grep -Eq "^cost model .*/costs.yaml, measured [0-9T:-]+Z on " "$tmp/calibrated.txt"
check "the JSON records the cost model and the costs charged" /usr/bin/python3 -c "
import json, sys, yaml
d = json.load(open(sys.argv[1])); m = yaml.load(open(sys.argv[2]), Loader=yaml.BaseLoader)
c = d['cost_model']
assert c['file'].endswith('/costs.yaml') and c['measured_on'] == m['measuredOn'], c
assert c['machine'] == {'cpu': m['machine']['cpu'], 'cores': int(m['machine']['cores'])}, c
assert c['workers'] == 1 and c['overridden'] == [], c
assert abs(c['costs']['request_cost_us'] - float(m['requestCost'][:-2])) < 1e-6, c
assert d['populations'][0]['requests']['by_status']['200'] == 1000, d['populations'][0]
" "$tmp/calibrated.json" "$tmp/costs.yaml"
printf 'name: t\nhost: {costModel: missing.yaml}\npopulations:\n  - name: p\n' >"$tmp/nomodel.yaml"
"$ctplab" simulate "$tmp/nomodel.yaml" >/dev/null 2>"$tmp/err"
check "a missing cost model exits 2" test $? -eq 2
check "a missing cost model names the scenario's line and field" \
  grep -q "nomodel.yaml:2:19: error: host.costModel: cost model \".*missing.yaml\": cannot open file" "$tmp/err"
"$ctplab" calibrate --duration 1ms >/dev/null 2>&1
check "calibrate with a too short --duration is a usage error" test $? -eq 2

# report: the sweep package through the executable, with this executable as its simulator
"$ctplab" report "$root/reports/tests/data/flood-sweep.yaml" --out "$tmp/report" --quiet \
  >"$tmp/report.txt" 2>"$tmp/err"
check "report runs a sweep and exits 0" test $? -eq 0
check "report writes the HTML report" test -s "$tmp/report/report.html"
check "report prints its recommendation" grep -q "^Recommended connection limit" "$tmp/report.txt"
"$ctplab" report "$tmp/missing-sweep.yaml" >/dev/null 2>"$tmp/err"
check "report on a missing sweep file exits 1 and names it" \
  sh -c 'test $0 -eq 1 && grep -q "missing-sweep.yaml" "$1"' $? "$tmp/err"

echo "cli: $passed passed, $failed failed"
test "$failed" -eq 0
