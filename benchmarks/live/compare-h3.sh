#!/usr/bin/env bash
# HTTP/3 throughput of `ctplab serve` (its echo backend behind an HTTPS listener with `http3: {}`)
# against Debian's `gtlsserver` (ngtcp2's example server, static files) on 127.0.0.1, both driven
# by `gtlsclient` with the same body size, and the ratio of the two. See README.md.
#
# usage: benchmarks/live/compare-h3.sh [CTPLAB_BINARY]
#   env: H3_CLIENTS (parallel clients, default 4), H3_REQUESTS (requests per client on one
#        connection, default 5000), H3_HANDSHAKES (sequential one-request connections, default
#        100), H3_ROUNDS (rounds, default 3; the servers take turns going first and the ratio
#        reported is the median of the rounds' ratios), H3_WORKERS (ctplab's workers, default 1:
#        gtlsserver is single-threaded)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CTPLAB=${1:-${CTPLAB_BIN:-$ROOT/build/ctplab}}
CLIENTS=${H3_CLIENTS:-4}
REQUESTS=${H3_REQUESTS:-5000}
HANDSHAKES=${H3_HANDSHAKES:-100}
ROUNDS=${H3_ROUNDS:-3}
WORKERS=${H3_WORKERS:-1}
# Debian's gtlsclient 0.12 sends SNI `localhost` whatever --sni says: the listener is named so.
HOST=localhost

for tool in gtlsclient gtlsserver; do
  command -v "$tool" >/dev/null || { echo "compare-h3: $tool is not installed (ngtcp2-client/-server)" >&2; exit 2; }
done
[ -x "$CTPLAB" ] || { echo "compare-h3: no ctplab binary at $CTPLAB" >&2; exit 2; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {  # free on UDP and TCP alike; after a churn load many TCP ports sit in TIME_WAIT
  /usr/bin/python3 -c 'import socket
for _ in range(100):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
    t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        t.bind(("127.0.0.1", s.getsockname()[1]))
    except OSError:
        continue
    print(s.getsockname()[1])
    break
else:
    raise SystemExit("no port free on both UDP and TCP")'
}

now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$CTPLAB" certs --out "$WORK/certs" --now "$now" --host "$HOST" >/dev/null

cat >"$WORK/gateway.yaml" <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: bench, namespace: default}
spec:
  gatewayClassName: eg
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    hostname: $HOST
    tls:
      mode: Terminate
      certificateRefs: [{name: server-$HOST}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  parentRefs: [{name: bench}]
  rules: [{backendRefs: [{name: web, port: 8080}]}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata: {name: h3, namespace: default}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: bench}]
  http3: {}
EOF

# ctplab serve: one worker by default, one event loop as gtlsserver has; with more, each worker
# reads the UDP port through its own socket.
CTPLAB_PORT=$(free_port)
"$CTPLAB" serve "$WORK/gateway.yaml" "$WORK/certs/secrets.yaml" --bind 127.0.0.1 \
  --port-offset $((CTPLAB_PORT - 443)) --workers "$WORKERS" >"$WORK/ctplab.out" 2>"$WORK/ctplab.err" &
PIDS+=($!)
for _ in $(seq 100); do grep -q "HTTP/3 gateway port" "$WORK/ctplab.err" 2>/dev/null && break; sleep 0.1; done
grep -q "HTTP/3 gateway port" "$WORK/ctplab.err" || { cat "$WORK/ctplab.err" >&2; exit 1; }

# One request tells the echo body's size; gtlsserver serves a file of exactly that many bytes.
mkdir -p "$WORK/dl" "$WORK/htdocs"
gtlsclient -q --exit-on-all-streams-close --sni=$HOST --download="$WORK/dl" \
  127.0.0.1 "$CTPLAB_PORT" "https://$HOST:$CTPLAB_PORT/bench" >/dev/null 2>&1 || true
BODY=$(stat -c %s "$WORK/dl/bench" 2>/dev/null || echo 0)
[ "$BODY" -gt 0 ] || { echo "compare-h3: ctplab serve did not answer over HTTP/3" >&2; cat "$WORK/ctplab.err" >&2; exit 1; }
head -c "$BODY" /dev/zero | tr '\0' 'x' >"$WORK/htdocs/bench"

GTLS_PORT=$(free_port)
gtlsserver -q --initial-rtt=10ms -d "$WORK/htdocs" 127.0.0.1 "$GTLS_PORT" \
  "$WORK/certs/server-$HOST.key" "$WORK/certs/server-$HOST-chain.crt" >/dev/null 2>"$WORK/gtls.err" &
PIDS+=($!)
sleep 0.3

# Requests completed (`:status: 200` lines) and seconds taken by the load on one server.
run_streams() {  # port: CLIENTS parallel clients, REQUESTS requests each on one connection
  local port=$1 start end ok=0
  start=$(date +%s.%N)
  for c in $(seq "$CLIENTS"); do
    gtlsclient --no-quic-dump --no-http-dump --exit-on-all-streams-close --timeout=10s \
      --initial-rtt=10ms --sni=$HOST -n "$REQUESTS" 127.0.0.1 "$port" \
      "https://$HOST:$port/bench" >"$WORK/out.$c" 2>&1 &
  done
  wait $(jobs -p | grep -v -F -x -e "${PIDS[0]}" -e "${PIDS[1]}") 2>/dev/null || true
  end=$(date +%s.%N)
  for c in $(seq "$CLIENTS"); do ok=$((ok + $(grep -a -c ':status: 200' "$WORK/out.$c" || true))); done
  echo "$ok $(echo "$end - $start" | bc -l)"
}
run_handshakes() {  # port: HANDSHAKES connections one after another, one request each
  local port=$1 start end ok=0
  start=$(date +%s.%N)
  for _ in $(seq "$HANDSHAKES"); do
    gtlsclient --no-quic-dump --no-http-dump --exit-on-all-streams-close --timeout=5s \
      --initial-rtt=10ms --sni=$HOST 127.0.0.1 "$port" "https://$HOST:$port/bench" \
      >"$WORK/hs.out" 2>&1 || true
    if grep -a -q ':status: 200' "$WORK/hs.out"; then ok=$((ok + 1)); fi
  done
  end=$(date +%s.%N)
  echo "$ok $(echo "$end - $start" | bc -l)"
}

# CPU time (user + system, all threads) a server has used so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

printf '%-6s %-11s %-12s %10s %9s %10s %12s\n' round load server requests seconds "req/s" "cpu µs/req"
declare -A RATIOS CPU_RATIOS
for round in $(seq "$ROUNDS"); do
  # The servers take turns going first, so a machine warming up or slowing down favours neither.
  order="ctplab gtlsserver"; [ $((round % 2)) -eq 0 ] && order="gtlsserver ctplab"
  for load in streams handshakes; do
    declare -A RATE=() CPU=()
    for server in $order; do
      port=$CTPLAB_PORT pid=${PIDS[0]}
      [ $server = gtlsserver ] && port=$GTLS_PORT pid=${PIDS[1]}
      before=$(cpu_ticks "$pid")
      read -r ok secs < <(run_$load "$port")
      after=$(cpu_ticks "$pid")
      rate=$(echo "$ok / $secs" | bc -l)
      # The server's own CPU per request: what req/s hides while the clients share the cores.
      cpu=$(echo "($after - $before) * 1000000 / $TICKS / ($ok + ($ok == 0))" | bc -l)
      RATE[$server]=$rate
      CPU[$server]=$cpu
      printf '%-6s %-11s %-12s %10d %9.2f %10.1f %12.1f\n' "$round" $load $server "$ok" "$secs" \
        "$rate" "$cpu"
    done
    RATIOS[$load]+="$(echo "${RATE[ctplab]} / ${RATE[gtlsserver]}" | bc -l) "
    CPU_RATIOS[$load]+="$(echo "${CPU[ctplab]} / (${CPU[gtlsserver]} + (${CPU[gtlsserver]} == 0))" | bc -l) "
  done
done
echo
for load in streams handshakes; do
  printf 'ratio %-11s ctplab / gtlsserver = %.2f (median of %d rounds:%s)\n' $load \
    "$(tr ' ' '\n' <<<"${RATIOS[$load]}" | grep . | median)" "$ROUNDS" \
    "$(for r in ${RATIOS[$load]}; do printf ' %.2f' "$r"; done)"
done
for load in streams handshakes; do
  printf 'server CPU per request %-11s ctplab / gtlsserver = %.2f (median of %d rounds:%s)\n' \
    $load "$(tr ' ' '\n' <<<"${CPU_RATIOS[$load]}" | grep . | median)" "$ROUNDS" \
    "$(for r in ${CPU_RATIOS[$load]}; do printf ' %.2f' "$r"; done)"
done
echo "(body: $BODY bytes; $CLIENTS clients x $REQUESTS requests; $HANDSHAKES handshakes)"
