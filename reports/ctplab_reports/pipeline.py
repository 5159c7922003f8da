"""A sweep from end to end: expand, run, aggregate, recommend, and write the outputs.

Outputs in the report directory:

- ``results.json``: every input (the sweep file's text, the scenario's text, each point's
  scenario text and seeds) and every result, byte-identical for the same sweep whichever
  executor ran it (no wall-clock times, host names or absolute paths in it);
- ``points/<point>.yaml``: each point's scenario, runnable as it stands with the command the
  report prints for it;
- ``report.html`` (self-contained) and ``report.md`` with its PNG figures.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .aggregate import summarize_point
from .errors import RunError
from .executors import Progress, Task, TaskFailure, run_tasks
from .expand import Point, Run, expand_points, expand_runs
from .paths import relocate_files
from .recommend import recommend
from .sweep_spec import SweepSpec, load_sweep

if TYPE_CHECKING:
    from .plots import Plot

RESULTS_FORMAT = "ctplab-sweep-results/1"
DROPPED_KEYS = ("records", "backend_requests")


@dataclass
class SweepOutcome:
    """Everything a finished sweep produced."""

    spec: SweepSpec
    points: list[Point]
    runs: list[Run]
    results: list[list[dict[str, Any]]]  # per point, per replication
    summaries: list[dict[str, Any]]
    recommendation: dict[str, Any]
    document: dict[str, Any]             # what results.json holds
    wall_seconds: float = 0.0
    executor: str = ""
    plots: list["Plot"] = field(default_factory=list)


def execute(spec: SweepSpec, *, jobs: int | None = None, dask: str | None = None,
            backend: str = "auto", binary: str | None = None,
            progress: Progress | None = None) -> SweepOutcome:
    """Run every replication of every point and aggregate the results."""
    points = expand_points(spec)
    runs = expand_runs(spec, points)
    tasks = [Task(run.id, run.scenario_text, spec.scenario_dir, run.seed, backend, binary)
             for run in runs]
    started = time.monotonic()
    raw = run_tasks(tasks, jobs=jobs, dask=dask, progress=progress)
    wall = time.monotonic() - started
    failures = [(run, r) for run, r in zip(runs, raw) if isinstance(r, TaskFailure)]
    if failures:
        lines = [f"{len(failures)} of {len(runs)} runs failed; the first:"]
        for run, failure in failures[:3]:
            lines.append(f"{run.id} ({run.point.label}; seed {run.seed}): {failure.message}")
        raise RunError("\n".join(lines))
    results: list[list[dict[str, Any]]] = [[] for _ in points]
    for run, result in zip(runs, raw):
        results[run.point.index].append(
            {k: v for k, v in result.items() if k not in DROPPED_KEYS})
    summaries = [summarize_point(rs, spec.populations) for rs in results]
    rec = recommend(spec, points, summaries)
    outcome = SweepOutcome(spec, points, runs, results, summaries, rec, {}, wall,
                           f"Dask cluster at {dask}" if dask else
                           f"{jobs or os.cpu_count() or 1} local process(es)")
    outcome.document = build_document(outcome)
    return outcome


def build_document(o: SweepOutcome) -> dict[str, Any]:
    """The JSON of all inputs and results (``results.json``)."""
    spec = o.spec
    points = []
    for point in o.points:
        runs = [r for r in o.runs if r.point.index == point.index]
        points.append({
            "id": point.id,
            "index": point.index,
            "values": dict(point.values),
            "scenario_file": f"points/{point.id}.yaml",
            "scenario_text": runs[0].scenario_text,
            "runs": [{"replication": r.replication, "seed": r.seed, "command": r.command,
                      "result": o.results[point.index][r.replication]} for r in runs],
            "summary": o.summaries[point.index],
        })
    return {
        "format": RESULTS_FORMAT,
        "title": spec.title,
        "description": spec.description,
        "sweep": {"file": os.path.basename(spec.file), "text": spec.text},
        "scenario": {"path": spec.scenario, "name": spec.document.tree.get("name"),
                     "text": spec.scenario_text},
        "parameters": [{"name": p.name, "path": p.path, "values": p.values, "create": p.create}
                       for p in spec.parameters],
        "set": [{"path": f.path, "value": f.value, "create": f.create} for f in spec.fixed],
        "grid": spec.grid,
        "replications": spec.replications,
        "seed": spec.seed,
        "seeds": spec.seed_mode,
        "populations": spec.populations,
        "slo": spec.slo.to_dict() if spec.slo else None,
        "points": points,
        "recommendation": o.recommendation,
    }


def results_json(document: dict[str, Any]) -> bytes:
    """``results.json``'s bytes: the same document always gives the same bytes."""
    return (json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode()


def write_outputs(o: SweepOutcome, out_dir: str) -> list[str]:
    """Write results.json, the point scenarios, plots and both reports; returns the paths."""
    # matplotlib is imported only here: workers and command-line errors do not pay for it
    from . import content, html_report, markdown_report
    from .plots import PlotContext, make_plots

    os.makedirs(os.path.join(out_dir, "points"), exist_ok=True)
    written = []
    path = os.path.join(out_dir, "results.json")
    with open(path, "wb") as fh:
        fh.write(results_json(o.document))
    written.append(path)
    points_dir = os.path.join(out_dir, "points")
    for point in o.points:
        text = next(r.scenario_text for r in o.runs if r.point.index == point.index)
        path = os.path.join(points_dir, f"{point.id}.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(relocate_files(text, o.spec.scenario_dir, points_dir))
        written.append(path)
    o.plots = make_plots(PlotContext(o.spec, o.points, o.results, o.summaries))
    report = content.build(o)
    written.append(html_report.write(report, o.plots, os.path.join(out_dir, "report.html")))
    written.extend(markdown_report.write(report, o.plots, os.path.join(out_dir, "report.md")))
    return written


def run_sweep(sweep: str | SweepSpec, out_dir: str | None = None, *, jobs: int | None = None,
              dask: str | None = None, backend: str = "auto", binary: str | None = None,
              progress: Progress | None = None) -> SweepOutcome:
    """Load (if a path), run and, when ``out_dir`` is given, write a sweep's report."""
    spec = load_sweep(sweep) if isinstance(sweep, str) else sweep
    outcome = execute(spec, jobs=jobs, dask=dask, backend=backend, binary=binary,
                      progress=progress)
    if out_dir is not None:
        write_outputs(outcome, out_dir)
    return outcome
