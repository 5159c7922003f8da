"""Capacity-planning sweeps over ctplab scenarios, with HTML and Markdown reports.

``run_sweep("sweep.yaml", "out/")`` runs a sweep (format: ``reports/README.md``) and writes its
report; ``python3 -m ctplab_reports`` (``ctplab report``) is the command line.
"""
from __future__ import annotations

from .errors import RunError, SweepError
from .expand import derive_seed, expand_points, expand_runs
from .pipeline import SweepOutcome, execute, results_json, run_sweep, write_outputs
from .runner import run_point
from .sweep_spec import SweepSpec, load_sweep, parse_sweep

__all__ = ["RunError", "SweepError", "SweepOutcome", "SweepSpec", "derive_seed", "execute",
           "expand_points", "expand_runs", "load_sweep", "parse_sweep", "results_json",
           "run_point", "run_sweep", "write_outputs"]
