#!/usr/bin/python3
"""Simulator throughput and memory, measured on the `ctplab simulate` command itself.

1. The 1,000,000-client flood (benchmarks/scenarios/flood-1m.yaml): wall time, CPU time, peak
   resident memory, events and events per second, against the goals of <= 30 s and <= 2 GiB.
2. Bytes per idle simulated connection: benchmarks/scenarios/idle-connections.yaml at two client
   counts; the difference in peak memory divided by the difference in connections.

Usage: benchmarks/simulator_bench.py [--ctplab build/ctplab] [--quick]
Prints a Markdown table. --quick runs a tenth of the flood (for smoke-testing the script).
"""
import argparse
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(ctplab, scenario_text, scenario_dir):
    """Runs one scenario; returns (wall seconds, cpu seconds, peak RSS bytes, stdout)."""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", dir=scenario_dir, delete=False) as f:
        f.write(scenario_text)
        path = f.name
    try:
        out_r, out_w = os.pipe()
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.dup2(out_w, 1)
            os.close(out_r)
            os.execv(ctplab, [ctplab, "simulate", path, "--quiet"])
        os.close(out_w)
        chunks = []
        while True:
            chunk = os.read(out_r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        _, status, usage = os.wait4(pid, 0)
        wall = time.monotonic() - start
        os.close(out_r)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("ctplab simulate failed on " + path)
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, b"".join(chunks).decode()
    finally:
        os.unlink(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ctplab", default=os.path.join(HERE, "..", "build", "ctplab"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    ctplab = os.path.abspath(args.ctplab)
    scenarios = os.path.join(HERE, "scenarios")

    flood = open(os.path.join(scenarios, "flood-1m.yaml")).read()
    if args.quick:
        flood = flood.replace("clients: 1000000", "clients: 100000")
    wall, cpu, rss, out = run(ctplab, flood, scenarios)
    events = int(re.search(r"(\d+) events", out).group(1))
    clients = int(re.search(r"population bots: (\d+) clients", out).group(1))

    idle = open(os.path.join(scenarios, "idle-connections.yaml")).read()
    small, large = (5000, 25000) if args.quick else (50000, 250000)
    _, _, rss_small, _ = run(ctplab, idle.replace("clients: 100000", f"clients: {small}"), scenarios)
    _, _, rss_large, _ = run(ctplab, idle.replace("clients: 100000", f"clients: {large}"), scenarios)
    per_connection = (rss_large - rss_small) / (large - small)

    print("| measurement | value | goal |")
    print("| --- | --- | --- |")
    print(f"| flood: bot clients | {clients:,} | 1,000,000 |")
    print(f"| flood: events | {events:,} | >= 10,000,000 |")
    print(f"| flood: wall time | {wall:.1f} s | <= 30 s ({30 / wall:.1f}x under) |")
    print(f"| flood: CPU time | {cpu:.1f} s | |")
    print(f"| flood: events per second | {events / wall / 1e6:.2f} M | |")
    print(f"| flood: peak memory | {rss / 2**20:.0f} MiB | <= 2048 MiB ({2048 * 2**20 / rss:.1f}x under) |")
    print(f"| bytes per idle simulated connection | {per_connection:.0f} | |")


if __name__ == "__main__":
    main()
