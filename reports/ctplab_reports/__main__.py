"""Command line: ``python3 -m ctplab_reports SWEEP.yaml [--out DIR] [--jobs N] [--dask ADDR]
[--ctplab BIN] [--backend auto|module|cli] [--quiet]`` (what ``ctplab report`` runs).

Exit status: 0 the report was written; 1 the sweep file, its scenario or a run failed (each
problem printed as ``file:line:column: error: message`` where it has a place); 2 usage.
"""
from __future__ import annotations

import argparse
import os
import sys

from .errors import RunError, SweepError
from .executors import stderr_progress
from .pipeline import run_sweep
from .runner import BACKENDS


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"wants a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"wants a positive integer, got {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser (its ``prog`` is ``$CTPLAB_REPORT_PROG`` when set)."""
    prog = os.environ.get("CTPLAB_REPORT_PROG") or "python3 -m ctplab_reports"
    p = argparse.ArgumentParser(
        prog=prog,
        description="Run a parameter sweep of a ctplab scenario and write an HTML and a "
                    "Markdown report (with plots), results.json and the point scenarios.")
    p.add_argument("sweep", metavar="SWEEP.yaml", help="the sweep file (reports/README.md)")
    p.add_argument("--out", metavar="DIR",
                   help="report directory (default: <sweep name>-report in the current "
                        "directory)")
    p.add_argument("--jobs", metavar="N", type=_positive,
                   help="local processes (default: every core)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run on the Dask distributed scheduler at ADDRESS (tcp://host:port)")
    p.add_argument("--ctplab", metavar="BIN",
                   help="the ctplab executable (default: $CTPLAB_BIN, the build tree, PATH)")
    p.add_argument("--backend", choices=BACKENDS, default="auto",
                   help="simulate with the ctplab Python module, the executable, or the "
                        "module when importable (default)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    p = parser()
    args = p.parse_args(argv)
    if args.jobs is not None and args.dask:
        p.error("--jobs and --dask exclude each other (Dask workers decide the parallelism)")
    out = args.out or os.path.splitext(os.path.basename(args.sweep))[0] + "-report"
    try:
        outcome = run_sweep(args.sweep, out, jobs=args.jobs, dask=args.dask,
                            backend=args.backend, binary=args.ctplab,
                            progress=stderr_progress(args.quiet))
    except SweepError as exc:
        print(exc, file=sys.stderr)
        return 1
    except RunError as exc:
        print(f"{args.sweep}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{p.prog}: error: {exc}", file=sys.stderr)
        return 1
    for line in outcome.recommendation.get("summary", []):
        print(line)
    print(f"{len(outcome.runs)} runs in {outcome.wall_seconds:.1f} s on {outcome.executor}")
    print(f"wrote {os.path.join(out, 'report.html')}, {os.path.join(out, 'report.md')}, "
          f"{os.path.join(out, 'results.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
