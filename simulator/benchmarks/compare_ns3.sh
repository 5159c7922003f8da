#!/usr/bin/env bash
# Hold-model scheduler throughput, side by side on this machine: ctplab's schedulers against
# ns-3 3.37 from Debian (MapScheduler, HeapScheduler, PriorityQueueScheduler) and a bare
# std::priority_queue. Each configuration runs --runs times (default 2, interleaved), best kept.
#
# Needs ns-3, which is not part of the project's install step:
#   apt-get install -y ns3 libns3-dev
# Usage: simulator/benchmarks/compare_ns3.sh [--runs N] [--build-dir DIR] [--work-dir DIR]
#                                           [--anchors DIR] [--events N]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=2
build_dir=$repo/build-sim
work_dir=${TMPDIR:-/tmp}/ctplab-ns3-compare
anchors=$repo/../shared/anchors
events=10000000
populations=(1000 100000)
ns3_schedulers=(MapScheduler HeapScheduler PriorityQueueScheduler)

die() { echo "compare_ns3.sh: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --anchors) anchors=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[[ -f $anchors/ns3-hold.cc && -f $anchors/raw-hold.cc ]] ||
  die "no ns3-hold.cc/raw-hold.cc in $anchors (pass --anchors DIR)"
[[ $events == 10000000 ]] ||
  echo "note: ctplab's benchmark always runs 10 M events; --events applies to ns-3 only" >&2
ls /usr/include/ns3*/core-module.h >/dev/null 2>&1 ||
  die "ns-3 headers not found: apt-get install -y ns3 libns3-dev"
mkdir -p "$work_dir"

echo "== building (ns-3 anchor into $work_dir, ctplab into $build_dir)" >&2
# pkg-config for ns3-core is broken on Debian 12; link directly, as the anchors README says.
g++ -O2 -std=c++17 "$anchors/ns3-hold.cc" -o "$work_dir/ns3-hold" -lns3-core
g++ -O2 -std=c++17 "$anchors/raw-hold.cc" -o "$work_dir/raw-hold"
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
fi
cmake --build "$build_dir" --target simulator_scheduler_bench >/dev/null
bench=$build_dir/simulator/simulator_scheduler_bench
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt")

results=$work_dir/results.tsv
: >"$results"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$results"; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

for ((round = 1; round <= runs; round++)); do
  for pop in "${populations[@]}"; do
    for s in "${ns3_schedulers[@]}"; do
      echo "== round $round, $pop pending: ns3::$s" >&2
      line=$("$work_dir/ns3-hold" --sched="ns3::$s" --pop="$pop" --total="$events")
      record "$round" "$pop" "ns-3 $s" "$(sed -n 's/.*rate=\([0-9.]*\) ev\/s.*/\1/p' <<<"$line")"
    done
    echo "== round $round, $pop pending: std::priority_queue" >&2
    line=$("$work_dir/raw-hold" "$pop" "$events")
    record "$round" "$pop" "bare std::priority_queue" \
      "$(sed -n 's/.*rate=\([0-9.]*\) ev\/s.*/\1/p' <<<"$line")"
    echo "== round $round, $pop pending: ctplab" >&2
    "$bench" --benchmark_filter="BM_Hold/.*/pending:$pop/" --benchmark_format=json 2>/dev/null |
      python3 -c '
import json, sys
for b in json.load(sys.stdin)["benchmarks"]:
    print("ctplab " + b["label"] + "\t" + repr(b["events_per_s"]))' |
      while IFS=$'\t' read -r name rate; do record "$round" "$pop" "$name" "$rate"; done
  done
done

echo
ns3_version=$(dpkg-query -W -f '${Version}' libns3-dev 2>/dev/null || echo unknown)
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\
 (family $(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1),\
 model $(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1))"
echo "Machine: $(nproc) cores, $cpu, $(uname -sr); g++ $(g++ -dumpfullversion);" \
  "ns-3 $ns3_version; ctplab build type ${build_type:-unknown}."
echo "Load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Hold model, $events events per run, best of $runs runs (events/s, wall time)."
echo
python3 - "$results" "$runs" <<'PY'
import collections, sys
best = collections.defaultdict(float)
seen = collections.defaultdict(list)
order = []
for line in open(sys.argv[1]):
    _, pop, name, rate = line.rstrip("\n").split("\t")
    key = (int(pop), name)
    if key not in best:
        order.append(key)
    best[key] = max(best[key], float(rate))
    seen[key].append(float(rate))
pops = sorted({p for p, _ in order})
names = [n for p, n in order if p == pops[0]]
fastest_ns3 = {p: max(best[(p, n)] for n in names if n.startswith("ns-3")) for p in pops}
head = "| implementation |" + "".join(f" {p:,} pending |" for p in pops)
head += "".join(f" × ns-3 fastest ({p:,}) |" for p in pops)
print(head)
print("|---" * (1 + 2 * len(pops)) + "|")
for n in names:
    cells = "".join(f" {best[(p, n)] / 1e6:.2f} M |" for p in pops)
    cells += "".join(f" {best[(p, n)] / fastest_ns3[p]:.2f} |" for p in pops)
    print(f"| {n} |{cells}")
print()
print("All runs (M events/s): " + "; ".join(
    f"{n} @{p:,}: " + ", ".join(f"{r / 1e6:.2f}" for r in seen[(p, n)]) for p, n in order))
PY
