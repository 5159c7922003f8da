#!/usr/bin/env bash
# Side-by-side load test of `ctplab serve` against nginx and HAProxy, all three in front of the
# same nginx origin on 127.0.0.1, each with two workers, driven by wrk. See README.md beside this
# file for what the loads measure and how the proxies are configured alike.
#
# usage: benchmarks/live/compare-proxies.sh [--quick] [--markdown FILE]
# env:   CTPLAB (default build/ctplab under the project root), DURATION (seconds per load,
#        default 10), CONNECTIONS (default 50), THREADS (wrk threads, default 2),
#        WARMUP (seconds of unrecorded load before each run, default 1)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
    echo "compare-proxies: $*" >&2
    exit 1
}

QUICK=0
MARKDOWN=""
while (($#)); do
    case $1 in
        --quick) QUICK=1 ;;
        --markdown)
            (($# >= 2)) || die "--markdown needs a file name"
            MARKDOWN=$2
            shift
            ;;
        --markdown=*) MARKDOWN=${1#--markdown=} ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done

CTPLAB=${CTPLAB:-$ROOT/build/ctplab}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-1}
if ((QUICK)); then
    DURATION=2
    WARMUP=0
fi
for v in DURATION CONNECTIONS THREADS WARMUP; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
((DURATION > 0 && CONNECTIONS > 0 && THREADS > 0)) || die "DURATION, CONNECTIONS and THREADS must be > 0"
((CONNECTIONS >= THREADS)) || die "CONNECTIONS ($CONNECTIONS) must be at least THREADS ($THREADS)"
# The markdown path is taken relative to where the script was started, before anything changes
# directory.
if [[ -n $MARKDOWN && $MARKDOWN != /* ]]; then
    MARKDOWN=$PWD/$MARKDOWN
fi

# nginx and haproxy live in /usr/sbin, which is not on every user's PATH.
find_tool() {
    local name=$1
    command -v "$name" 2>/dev/null && return 0
    [[ -x /usr/sbin/$name ]] && echo "/usr/sbin/$name" && return 0
    return 1
}
missing=()
NGINX=$(find_tool nginx) || missing+=(nginx)
HAPROXY=$(find_tool haproxy) || missing+=(haproxy)
WRK=$(find_tool wrk) || missing+=(wrk)
OPENSSL=$(find_tool openssl) || missing+=(openssl)
CURL=$(find_tool curl) || missing+=(curl)
if ((${#missing[@]})); then
    die "missing: ${missing[*]}; install with: apt-get install nginx-light haproxy wrk openssl curl"
fi
SS=$(find_tool ss) || SS=""
[[ -x $CTPLAB ]] || die "no ctplab binary at $CTPLAB (build it, or set CTPLAB=path/to/ctplab)"
"$CTPLAB" serve --help >/dev/null 2>&1 || die "$CTPLAB has no working 'serve' command (rebuild it)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/compare-proxies.XXXXXX")
PIDS=()      # every process this script started, in start order
NAMES=()     # their labels, for messages

cleanup() {
    local rc=$? i pid kids=() deadline
    trap - EXIT INT TERM
    # nginx's workers are children of its master: remember them, so a master that has to be
    # killed does not leave them behind.
    for pid in "${PIDS[@]}"; do
        mapfile -t -O "${#kids[@]}" kids < <(pgrep -P "$pid" 2>/dev/null || true)
    done
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    deadline=$((SECONDS + 10))
    for pid in "${PIDS[@]}" "${kids[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if ((rc != 0)) && [[ -d $TMP ]]; then
        for i in "$TMP"/*.log; do
            [[ -s $i ]] || continue
            echo "--- ${i##*/} (last lines)" >&2
            tail -n 20 "$i" >&2
        done
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Ports are picked below the kernel's ephemeral range, so the hundreds of thousands of outgoing
# connections the churn loads open can never take one of them between the probe and the bind.
declare -A TAKEN_PORTS=()
port_in_use() {
    if [[ -n $SS ]]; then
        [[ -n $("$SS" -Htln "sport = :$1" 2>/dev/null) ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}
free_port() {
    local var=$1 lo p i
    read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
    ((lo > 12000)) || lo=32768
    for ((i = 0; i < 500; i++)); do
        p=$((10000 + (RANDOM * 32768 + RANDOM) % (lo - 10000)))
        [[ -z ${TAKEN_PORTS[$p]:-} ]] || continue
        port_in_use "$p" && continue
        TAKEN_PORTS[$p]=1
        printf -v "$var" '%s' "$p"
        return 0
    done
    die "found no free TCP port on 127.0.0.1"
}

fill_template() {
    sed -e "s|@DIR@|$TMP|g" -e "s|@ORIGIN_PORT@|$ORIGIN_PORT|g" -e "s|@HTTP_PORT@|$2|g" \
        -e "s|@TLS_PORT@|${3:-}|g" -e "s|@ORIGIN_WORKERS@|2|g" "$HERE/$1"
}

start() {
    local name=$1
    shift
    "$@" >"$TMP/$name.log" 2>&1 &
    PIDS+=($!)
    NAMES+=("$name")
}

alive() {
    kill -0 "$1" 2>/dev/null
}

# Waits until URL answers 200 through the proxy; a process that exits meanwhile is a failure.
wait_ready() {
    local name=$1 pid=$2 url=$3 code i
    for ((i = 0; i < 100; i++)); do
        alive "$pid" || die "$name exited during startup (see its log below)"
        code=$("$CURL" -ks -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
        [[ $code == 200 ]] && return 0
        sleep 0.1
    done
    die "$name did not answer 200 on $url within 10 s (last status: ${code:-none})"
}

# --- origin, certificate, proxies -------------------------------------------------------------
mkdir -p "$TMP"/{origin-tmp,nginx-tmp}
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=localhost -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >"$TMP/openssl.out" 2>&1 ||
    die "openssl could not make a self-signed certificate: $(cat "$TMP/openssl.out")"
cat "$TMP/cert.pem" "$TMP/key.pem" >"$TMP/cert-and-key.pem"
# The same certificate for ours, as the Secret its HTTPS listener references.
cat >"$TMP/tls-secret.yaml" <<SECRET
apiVersion: v1
kind: Secret
metadata:
  name: bench-tls
  namespace: default
type: kubernetes.io/tls
data:
  tls.crt: $(base64 -w0 "$TMP/cert.pem")
  tls.key: $(base64 -w0 "$TMP/key.pem")
SECRET

free_port ORIGIN_PORT
free_port NGINX_PORT
free_port NGINX_TLS_PORT
free_port HAPROXY_PORT
free_port HAPROXY_TLS_PORT

fill_template origin-nginx.conf.in "" >"$TMP/origin.conf"
fill_template nginx.conf.in "$NGINX_PORT" "$NGINX_TLS_PORT" >"$TMP/nginx.conf"
fill_template haproxy.cfg.in "$HAPROXY_PORT" "$HAPROXY_TLS_PORT" >"$TMP/haproxy.cfg"
"$HAPROXY" -c -q -f "$TMP/haproxy.cfg" >"$TMP/haproxy-check.log" 2>&1 ||
    die "haproxy rejected its configuration: $(cat "$TMP/haproxy-check.log")"

start origin "$NGINX" -p "$TMP/" -e "$TMP/origin.error.log" -c "$TMP/origin.conf"
ORIGIN_PID=${PIDS[-1]}
wait_ready origin "$ORIGIN_PID" "http://127.0.0.1:$ORIGIN_PORT/"
ORIGIN_BODY=$("$CURL" -s "http://127.0.0.1:$ORIGIN_PORT/")

start nginx "$NGINX" -p "$TMP/" -e "$TMP/nginx.error.log" -c "$TMP/nginx.conf"
NGINX_PID=${PIDS[-1]}
start haproxy "$HAPROXY" -db -f "$TMP/haproxy.cfg"
HAPROXY_PID=${PIDS[-1]}
# --any-port: the kernel picks the port and the startup lines name it, so ours needs no probe.
start ctplab "$CTPLAB" serve "$HERE/gateway.yaml" "$TMP/tls-secret.yaml" --any-port --workers 2 \
    --backend "127.0.0.1:$ORIGIN_PORT" --drain-time 1s
CTPLAB_PID=${PIDS[-1]}

CTPLAB_PORT=""
CTPLAB_TLS_PORT=""
for ((i = 0; i < 100; i++)); do
    if [[ -z $CTPLAB_PORT ]]; then
        CTPLAB_PORT=$(sed -nE 's/^listening HTTP gateway port 80 -> [0-9.]+:([0-9]+) .*/\1/p' \
            "$TMP/ctplab.log" | head -n 1)
        CTPLAB_TLS_PORT=$(sed -nE 's/^listening HTTPS gateway port 443 -> [0-9.]+:([0-9]+) .*/\1/p' \
            "$TMP/ctplab.log" | head -n 1)
    fi
    [[ -n $CTPLAB_PORT ]] && grep -q '^backend: ' "$TMP/ctplab.log" && break
    alive "$CTPLAB_PID" || die "ctplab serve exited during startup (see its log below)"
    sleep 0.1
done
[[ -n $CTPLAB_PORT ]] || die "ctplab serve printed no 'listening HTTP gateway port 80' line in 10 s"
[[ -n $CTPLAB_TLS_PORT ]] || die "ctplab serve printed no 'listening HTTPS gateway port 443' line"

wait_ready nginx "$NGINX_PID" "http://127.0.0.1:$NGINX_PORT/"
wait_ready nginx "$NGINX_PID" "https://127.0.0.1:$NGINX_TLS_PORT/"
wait_ready haproxy "$HAPROXY_PID" "http://127.0.0.1:$HAPROXY_PORT/"
wait_ready haproxy "$HAPROXY_PID" "https://127.0.0.1:$HAPROXY_TLS_PORT/"
wait_ready ctplab "$CTPLAB_PID" "http://127.0.0.1:$CTPLAB_PORT/"
wait_ready ctplab "$CTPLAB_PID" "https://127.0.0.1:$CTPLAB_TLS_PORT/"

# Every proxy must relay the origin's body unchanged, or the numbers compare different work.
for url in "http://127.0.0.1:$NGINX_PORT/" "https://127.0.0.1:$NGINX_TLS_PORT/" \
    "http://127.0.0.1:$HAPROXY_PORT/" "https://127.0.0.1:$HAPROXY_TLS_PORT/" \
    "http://127.0.0.1:$CTPLAB_PORT/" "https://127.0.0.1:$CTPLAB_TLS_PORT/"; do
    body=$("$CURL" -ks --max-time 5 "$url") || die "no answer from $url"
    [[ $body == "$ORIGIN_BODY" ]] || die "$url did not relay the origin's body (got: ${body:0:200})"
done

# --- loads ------------------------------------------------------------------------------------
LOADS=(keep-alive conn-close tls-close)
PROXIES=(ctplab nginx haproxy)
declare -A LOAD_TEXT=(
    [keep-alive]="keep-alive, small responses"
    [conn-close]="connection churn (Connection: close)"
    [tls-close]="TLS handshake churn (HTTPS, Connection: close)"
)
declare -A URL=(
    [keep-alive:ctplab]="http://127.0.0.1:$CTPLAB_PORT/"
    [keep-alive:nginx]="http://127.0.0.1:$NGINX_PORT/"
    [keep-alive:haproxy]="http://127.0.0.1:$HAPROXY_PORT/"
    [conn-close:ctplab]="http://127.0.0.1:$CTPLAB_PORT/"
    [conn-close:nginx]="http://127.0.0.1:$NGINX_PORT/"
    [conn-close:haproxy]="http://127.0.0.1:$HAPROXY_PORT/"
    [tls-close:ctplab]="https://127.0.0.1:$CTPLAB_TLS_PORT/"
    [tls-close:nginx]="https://127.0.0.1:$NGINX_TLS_PORT/"
    [tls-close:haproxy]="https://127.0.0.1:$HAPROXY_TLS_PORT/"
)
declare -A PID_OF=([ctplab]=$CTPLAB_PID [nginx]=$NGINX_PID [haproxy]=$HAPROXY_PID)
declare -A RESULT=()  # load:proxy -> "rps p50_us p99_us http_err sockerr cpu_us" or a note
CRASHED=()

# CPU time (clock ticks) of a proxy: the process and its children (nginx's workers).
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {
    local pid total=0 t
    for pid in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
        t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || continue
        total=$((total + ${t:-0}))
    done
    echo "$total"
}

run_wrk() {
    local load=$1 url=$2 duration=$3 out=$4
    local args=(-t "$THREADS" -c "$CONNECTIONS" -d "${duration}s" -s "$HERE/wrk-report.lua")
    if [[ $load != keep-alive ]]; then
        args+=(-H 'Connection: close')
    fi
    "$WRK" "${args[@]}" "$url" >"$out" 2>&1
}

runs=0
for load in "${LOADS[@]}"; do
    for proxy in "${PROXIES[@]}"; do
        [[ -n ${URL[$load:$proxy]:-} ]] && runs=$((runs + 1))
    done
done
echo "compare-proxies: $runs runs of ${DURATION}s (+${WARMUP}s warm-up), wrk -t$THREADS -c$CONNECTIONS," \
    "about $((runs * (DURATION + WARMUP) + 5)) s" >&2

for load in "${LOADS[@]}"; do
    for proxy in "${PROXIES[@]}"; do
        url=${URL[$load:$proxy]:-}
        if [[ -z $url ]]; then
            RESULT[$load:$proxy]="n/a (not served yet)"
            continue
        fi
        pid=${PID_OF[$proxy]}
        if ! alive "$pid"; then
            RESULT[$load:$proxy]="not running (exited earlier)"
            continue
        fi
        echo "  $load -> $proxy" >&2
        log="$TMP/wrk-$load-$proxy.out"
        if ((WARMUP > 0)); then
            run_wrk "$load" "$url" "$WARMUP" "$log.warmup" || true
        fi
        cpu_before=$(cpu_ticks "$pid")
        if ! run_wrk "$load" "$url" "$DURATION" "$log"; then
            RESULT[$load:$proxy]="wrk failed: $(tail -n 1 "$log")"
            continue
        fi
        line=$(grep '^WRK_RESULT ' "$log" || true)
        if [[ -z $line ]]; then
            RESULT[$load:$proxy]="wrk printed no result"
            continue
        fi
        declare -A f=()
        for kv in ${line#WRK_RESULT }; do f[${kv%%=*}]=${kv#*=}; done
        rps=$(awk -v n="${f[requests]}" -v us="${f[duration_us]}" 'BEGIN { printf "%.0f", (us > 0 ? n * 1e6 / us : 0) }')
        sockerr=$((f[connect] + f[read] + f[write] + f[timeout]))
        # The proxy's own CPU time per request: unlike req/s, it hardly moves when other work
        # shares the cores.
        cpu_us=$(awk -v t=$(($(cpu_ticks "$pid") - cpu_before)) -v hz="$CLK_TCK" -v n="${f[requests]}" \
            'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
        RESULT[$load:$proxy]="$rps ${f[p50_us]} ${f[p99_us]} ${f[status]} $sockerr $cpu_us"
        unset f
        if ! alive "$pid"; then
            CRASHED+=("$proxy (during $load)")
            RESULT[$load:$proxy]+=" crashed"
        fi
    done
done

# The gateway promises a clean drain and exit 0 on SIGTERM; after the loads is when a leak or a
# stuck connection would show.
CTPLAB_EXIT=""
if alive "$CTPLAB_PID"; then
    kill -TERM "$CTPLAB_PID"
    CTPLAB_EXIT=0
    wait "$CTPLAB_PID" || CTPLAB_EXIT=$?
    for i in "${!PIDS[@]}"; do
        [[ ${PIDS[$i]} == "$CTPLAB_PID" ]] && unset 'PIDS[i]'
    done
fi

# --- report -----------------------------------------------------------------------------------
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "n/a" }'; }
numeric() { [[ $1 =~ ^[0-9] ]]; }

declare -A LABEL=([ctplab]="ctplab" [nginx]="nginx" [haproxy]="HAProxy")
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's|.*nginx/||')
HAPROXY_VERSION=$("$HAPROXY" -v 2>&1 | awk 'NR == 1 { print $3 }')
# wrk -v prints its version and then exits 1 for the missing URL.
WRK_VERSION=$({ "$WRK" -v 2>&1 || true; } | awk 'NR == 1 { print $2 }')
SETTINGS="wrk $WRK_VERSION -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up); $(nproc) cores;"
SETTINGS+=" nginx $NGINX_VERSION, HAProxy $HAPROXY_VERSION, ctplab serve; 2 workers each; origin: nginx, 128-byte body"

RESULT_ROWS=()  # "load|proxy|req/s|p50|p99|4xx/5xx|socket errors"
RATIO_ROWS=()   # "load|vs nginx req/s|vs nginx p99|vs HAProxy req/s|vs HAProxy p99"
for load in "${LOADS[@]}"; do
    for proxy in "${PROXIES[@]}"; do
        r=${RESULT[$load:$proxy]}
        if numeric "$r"; then
            read -r rps p50 p99 http_err sockerr cpu_us note <<<"$r"
            RESULT_ROWS+=("$load|${LABEL[$proxy]}${note:+ ($note)}|$rps|$(ms "$p50")|$(ms "$p99")|$http_err|$sockerr|$cpu_us")
        else
            RESULT_ROWS+=("$load|${LABEL[$proxy]}|$r|||||")
        fi
    done
    ours=${RESULT[$load:ctplab]}
    if ! numeric "$ours"; then
        RATIO_ROWS+=("$load|$ours|||")
        continue
    fi
    read -r o_rps _ o_p99 _ <<<"$ours"
    row="$load"
    for other in nginx haproxy; do
        theirs=${RESULT[$load:$other]}
        if numeric "$theirs"; then
            read -r t_rps _ t_p99 _ <<<"$theirs"
            row+="|$(ratio "$o_rps" "$t_rps")|$(ratio "$o_p99" "$t_p99")"
        else
            row+="|n/a|n/a"
        fi
    done
    RATIO_ROWS+=("$row")
done

print_text() {
    echo
    echo "$SETTINGS"
    echo
    printf '%-11s  %-10s  %10s  %10s  %10s  %8s  %9s  %11s\n' load proxy req/s p50 p99 4xx/5xx sock-errs "CPU us/req"
    local row
    for row in "${RESULT_ROWS[@]}"; do
        IFS='|' read -r a b c d e f g h <<<"$row"
        if [[ $c =~ ^[0-9]+$ ]]; then
            printf '%-11s  %-10s  %10s  %10s  %10s  %8s  %9s  %11s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h"
        else
            printf '%-11s  %-10s  %s\n' "$a" "$b" "$c"
        fi
    done
    echo
    echo "ctplab / other (req/s: higher is better; p99: lower is better)"
    printf '%-11s  %14s  %12s  %16s  %14s\n' load "req/s vs nginx" "p99 vs nginx" "req/s vs HAProxy" "p99 vs HAProxy"
    for row in "${RATIO_ROWS[@]}"; do
        IFS='|' read -r a b c d e <<<"$row"
        if [[ -n $c ]]; then
            printf '%-11s  %14s  %12s  %16s  %14s\n' "$a" "$b" "$c" "$d" "$e"
        else
            printf '%-11s  %s\n' "$a" "$b"
        fi
    done
}

print_markdown() {
    local row load
    echo "$SETTINGS."
    echo
    echo "Loads: $(for load in "${LOADS[@]}"; do printf "\`%s\`: %s; " "$load" "${LOAD_TEXT[$load]}"; done | sed 's/; $//')."
    echo
    echo "| load | proxy | req/s | p50 | p99 | 4xx/5xx | socket errors | CPU µs/req |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for row in "${RESULT_ROWS[@]}"; do
        echo "| ${row//|/ | } |"
    done
    echo
    echo "ctplab / other: req/s higher is better, p99 lower is better."
    echo
    echo "| load | req/s vs nginx | p99 vs nginx | req/s vs HAProxy | p99 vs HAProxy |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for row in "${RATIO_ROWS[@]}"; do
        echo "| ${row//|/ | } |"
    done
}

print_text
if ((${#CRASHED[@]})); then
    echo
    echo "exited during the run: ${CRASHED[*]}"
fi
if [[ -n $MARKDOWN ]]; then
    print_markdown >"$MARKDOWN"
    echo
    echo "markdown written to $MARKDOWN"
fi
# Anything the proxies complained about on stderr is worth a look next to the numbers.
for name in ctplab haproxy; do
    if [[ -s $TMP/$name.log ]] && grep -vqE '^(listening|not serving|admin listening|backend:|shutting down: no new connections|stopped$)' "$TMP/$name.log"; then
        echo
        echo "$name output (last lines):"
        grep -vE '^(listening|not serving|admin listening|backend:|shutting down: no new connections|stopped$)' "$TMP/$name.log" | tail -n 10
    fi
done
if [[ -s $TMP/nginx.error.log ]]; then
    echo
    echo "nginx error log (last lines):"
    tail -n 10 "$TMP/nginx.error.log"
fi
if [[ -n $CTPLAB_EXIT && $CTPLAB_EXIT != 0 ]]; then
    echo
    echo "ctplab serve exited $CTPLAB_EXIT on SIGTERM after the loads (0 expected)"
fi
if ((${#CRASHED[@]})) || [[ -n $CTPLAB_EXIT && $CTPLAB_EXIT != 0 ]]; then
    exit 1
fi
