#!/usr/bin/python3
"""Where does a connection limit stop protecting legitimate clients from a connection flood?

The question: "sweep the connection limit from 100 to 10,000 against floods of 1k to 1M bots and
tell me where legitimate p99 latency crosses 200 ms and success drops below 99.9 %".

``connection-limit-sweep.yaml`` (next to this script) answers it with the ``ctplab_reports``
package: it runs ``flood-base.yaml`` -- bots holding connections to www.example.com while
legitimate clients make short keep-alive sessions against api.example.com, both listeners on
plain-HTTP port 80 and so one connection-limit counter -- for every pair of

- connection limit: 100 to 10,000, nine log-spaced values, and
- bots: 1,000 to 1,000,000, seven log-spaced values,

three replications each (common random numbers), and judges the legitimate population against
the objective "success rate >= 99.9 % and p99 latency <= 200 ms". This script runs the sweep
locally (every core) or on a Dask cluster, prints per flood size where each objective starts to
hold, and a one-line recommendation, and writes the report (``report.html``, self-contained;
``report.md`` with PNG figures; ``results.json`` with every input and result; ``points/`` with
each point's scenario and the command that re-runs it).

Runtime: the default sweep (63 points x 3 replications = 189 runs, up to a million simulated
clients per run) takes about 80 s on two cores; ``--quick`` (4 points, 1 replication) a few
seconds.

Adapting it:

- your own gateway and policy: edit ``flood-base.yaml`` (its ``resources``), or point the sweep
  at another scenario (``scenario:`` in the sweep file) and fix the parameter ``path``s;
- other values: edit ``range:`` / ``values:`` in the sweep file, or pass ``--limits`` and
  ``--bots`` (comma-separated) to this script;
- another objective: ``slo:`` in the sweep file (``p50_ms_max``, ``p99.9_ms_max``, ``basis: ci``
  to judge the pessimistic end of the confidence interval, ...);
- another sweep altogether: ``--sweep FILE`` (the crossing table is printed when the sweep has
  two parameters); the format is in ``reports/README.md``.

Run it with the ``ctplab`` module and the reports package on the path::

    PYTHONPATH=<build>/python:<repo>/reports /usr/bin/python3 connection_limit_sweep.py --out DIR
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_SWEEP = HERE / "connection-limit-sweep.yaml"

# --quick: a 2 x 2 corner of the default grid, one replication.
QUICK_LIMITS = [316, 3162]
QUICK_BOTS = [1000, 100000]


def import_or_exit(*names: str):
    """Import the named modules, or exit 2 saying how to put them on the path."""
    modules = []
    for name in names:
        try:
            modules.append(__import__(name))
        except ImportError as exc:
            builds = sorted(REPO.glob("build*/python/ctplab"))
            hint = ""
            if builds:
                found = ", ".join(os.path.relpath(b.parent) for b in builds)
                hint = f"\n  built copies of the module found in: {found}"
            print(f"error: cannot import {name} ({exc}).\n"
                  f"  Build ctplab with its Python module (CTPLAB_BUILD_PYTHON=ON) and set\n"
                  f"  PYTHONPATH=<build>/python:{os.path.relpath(REPO / 'reports')}\n"
                  f"  (the module and the ctplab_reports package); use /usr/bin/python3, which\n"
                  f"  has NumPy, PyYAML and matplotlib.{hint}", file=sys.stderr)
            sys.exit(2)
    return modules


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Sweep the connection limit against flood sizes and report where the "
                    "legitimate clients' objective (success >= 99.9 %, p99 <= 200 ms) holds.")
    ap.add_argument("--out", default="connection-limit-report", metavar="DIR",
                    help="report directory (default: %(default)s)")
    ap.add_argument("--seed", type=int, metavar="N",
                    help="base seed of the sweep (default: the sweep file's)")
    ap.add_argument("--quick", action="store_true",
                    help=f"a tiny sweep: limits {QUICK_LIMITS}, bots {QUICK_BOTS}, 1 replication")
    ap.add_argument("--sweep", default=str(DEFAULT_SWEEP), metavar="FILE",
                    help="the sweep file (default: connection-limit-sweep.yaml next to this "
                         "script)")
    ap.add_argument("--limits", metavar="N,N,...",
                    help="connection limits to try instead of the sweep file's")
    ap.add_argument("--bots", metavar="N,N,...",
                    help="flood sizes to try instead of the sweep file's")
    ap.add_argument("--replications", type=int, metavar="N",
                    help="runs per point (default: the sweep file's)")
    ap.add_argument("--jobs", type=int, metavar="N",
                    help="local processes (default: one per core)")
    ap.add_argument("--dask", metavar="ADDRESS",
                    help="run on the Dask scheduler at ADDRESS (tcp://host:8786); its workers "
                         "need the same PYTHONPATH and must see this checkout at the same path")
    args = ap.parse_args(argv)
    for name in ("limits", "bots"):
        text = getattr(args, name)
        if text is not None:
            try:
                values = [int(v) for v in text.split(",") if v.strip()]
            except ValueError:
                ap.error(f"--{name}: expected comma-separated integers, got {text!r}")
            if not values:
                ap.error(f"--{name}: no values")
            setattr(args, name, values)
    if args.replications is not None and args.replications < 1:
        ap.error("--replications must be at least 1")
    if args.quick:
        args.limits = args.limits or QUICK_LIMITS
        args.bots = args.bots or QUICK_BOTS
        args.replications = args.replications or 1
    return args


def load_spec(args: argparse.Namespace, yaml, ctplab_reports):
    """The sweep, with the command line's overrides applied to its text."""
    path = os.path.abspath(args.sweep)
    overrides = {}
    if args.limits is not None:
        overrides[0] = args.limits
    if args.bots is not None:
        overrides[1] = args.bots
    if not overrides and args.seed is None and args.replications is None:
        return ctplab_reports.load_sweep(path)
    with open(path, encoding="utf-8") as fh:
        tree = yaml.safe_load(fh)
    params = tree.get("parameters") or []
    for index, values in overrides.items():
        if index >= len(params):
            sys.exit(f"error: {os.path.basename(path)} has no parameter {index + 1} to set "
                     f"--{'limits' if index == 0 else 'bots'} on")
        params[index].pop("range", None)
        params[index]["values"] = values
    if args.seed is not None:
        tree["seed"] = args.seed
    if args.replications is not None:
        tree["replications"] = args.replications
    text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, width=100)
    return ctplab_reports.parse_sweep(text, os.path.basename(path), os.path.dirname(path))


def fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def describe(check: dict) -> str:
    """One objective's value for a table cell."""
    value = check["value"]
    if value is None:
        return "n/a"
    if check["objective"].startswith("success_rate"):
        return f"{value * 100:.2f}%"
    return f"{value:.0f}ms"


def objective_label(objective: str) -> str:
    name, op, limit = objective.split()
    if name == "success_rate":
        return f"success {op} {float(limit) * 100:g} %"
    return f"{name.removesuffix('_ms')} {op} {limit} ms"


def crossings(spec, outcome) -> list[str]:
    """Per value of the second parameter: from which value of the first each objective holds."""
    rec = outcome.recommendation
    first, second = (p.name for p in spec.parameters)
    verdicts = {p["id"]: p for p in rec["points"]}
    by_pair = {(pt.value(first), pt.value(second)): verdicts[pt.id] for pt in outcome.points}
    xs = spec.parameter(first).values
    ys = spec.parameter(second).values
    objectives = [c["objective"] for c in next(iter(verdicts.values()))["checks"]]

    # The matrix: one row per value of the first parameter, one column per value of the second.
    lines = [f"legitimate outcome per point ({' / '.join(objective_label(o) for o in objectives)};"
             f" '+' meets the SLO):", ""]
    head = f"{first:>18} | " + " | ".join(f"{second}={fmt(y)}".rjust(16) for y in ys)
    lines += [head, "-" * len(head)]
    for x in xs:
        cells = []
        for y in ys:
            v = by_pair[(x, y)]
            cell = " ".join(describe(c) for c in v["checks"]) + (" +" if v["meets"] else "  ")
            cells.append(cell.rjust(16))
        lines.append(f"{fmt(x):>18} | " + " | ".join(cells))
    lines.append("")

    # Where each objective starts to hold for good (every larger value meets it too).
    lines.append(f"where each objective starts to hold, per {second}:")
    for y in ys:
        parts = []
        for k, objective in enumerate(objectives + ["SLO"]):
            oks = [by_pair[(x, y)]["meets"] if objective == "SLO"
                   else by_pair[(x, y)]["checks"][k]["ok"] for x in xs]
            start = next((i for i in range(len(xs)) if all(oks[i:])), None)
            label = "whole SLO" if objective == "SLO" else objective_label(objective)
            if start is None:
                parts.append(f"{label}: never up to {fmt(xs[-1])}")
            elif start == 0:
                parts.append(f"{label}: already at {fmt(xs[0])}")
            else:
                before = by_pair[(xs[start - 1], y)]
                shown = "" if objective == "SLO" else \
                    f" ({fmt(xs[start - 1])}: {describe(before['checks'][k])})"
                parts.append(f"{label}: from {fmt(xs[start])}{shown}")
        lines.append(f"  {second}={fmt(y)}: " + "; ".join(parts))
    return lines


def recommendation_line(spec, outcome) -> str:
    """The answer in one line."""
    rec = outcome.recommendation
    if rec.get("slo") is None:
        return "Recommendation: none (the sweep file sets no slo:)"
    target = rec["parameter"]
    if rec["recommended"] is not None:
        return (f"Recommendation: {target} {fmt(rec['recommended'])} -- the {rec['prefer']} value "
                f"that meets the SLO at every tested point")
    others = [p for p in spec.parameters if p.name != target]
    if len(others) != 1 or others[0].numeric is None:
        return f"Recommendation: no value of {target} meets the SLO everywhere"
    other = others[0]
    groups = sorted(rec["groups"], key=lambda g: g["fixed"][other.name])
    # The largest prefix of flood sizes for which one value of the target meets the SLO.
    covered, common = [], None
    for g in groups:
        ok = {v for v, m in zip(g["values"], g["meets"]) if m}
        both = ok if common is None else common & ok
        if not both:
            break
        covered.append(g)
        common = both
    largest = fmt(max(spec.parameter(target).values))
    if not covered:
        return (f"Recommendation: no tested {target} (up to {largest}) meets the SLO even at "
                f"{other.name}={fmt(groups[0]['fixed'][other.name])}")
    best = min(common) if rec["prefer"] == "smallest" else max(common)
    upto = covered[-1]["fixed"][other.name]
    if len(covered) == len(groups):  # cannot happen: then rec["recommended"] is set
        return f"Recommendation: {target} {fmt(best)}"
    failing = groups[len(covered)]["fixed"][other.name]
    return (f"Recommendation: {target} {fmt(best)} meets the SLO for floods of up to "
            f"{fmt(upto)} {other.name}; from {fmt(failing)} {other.name} on no tested {target} "
            f"(up to {largest}) does: the bots hold every slot of "
            f"the counter the legitimate clients share with them")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    yaml, ctplab_reports = import_or_exit("yaml", "ctplab_reports")
    # The reports package runs the simulations through the ctplab module when it is importable
    # (else through the ctplab executable); require it, as the other examples do.
    import_or_exit("ctplab")
    try:
        spec = load_spec(args, yaml, ctplab_reports)
    except ctplab_reports.SweepError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    points = ctplab_reports.expand_points(spec)
    runs = len(points) * spec.replications
    where = f"the Dask cluster at {args.dask}" if args.dask else \
        f"{args.jobs or os.cpu_count() or 1} local process(es)"
    print(f"{spec.title}: {len(points)} points x {spec.replications} replication(s) = "
          f"{runs} runs on {where}", flush=True)
    for p in spec.parameters:
        print(f"  {p.name}: {', '.join(fmt(v) for v in p.values)}")

    last = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= 10:
            last[0] = now
            print(f"  [{done}/{total}] runs done", file=sys.stderr, flush=True)

    started = time.monotonic()
    try:
        outcome = ctplab_reports.run_sweep(spec, args.out, jobs=args.jobs, dask=args.dask,
                                           progress=progress)
    except ctplab_reports.RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    wall = time.monotonic() - started

    print()
    if len(spec.parameters) == 2 and spec.slo is not None:
        print("\n".join(crossings(spec, outcome)))
        print()
        print("  (p99 is over the requests that were answered: where most requests are turned "
              "away it describes the few that got through)")
        print()
    for line in outcome.recommendation["summary"]:
        print(line)
    print()
    print(recommendation_line(spec, outcome))
    print()
    print(f"{runs} runs and the report in {wall:.1f} s; report: "
          f"{os.path.join(args.out, 'report.html')} (also report.md, results.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
