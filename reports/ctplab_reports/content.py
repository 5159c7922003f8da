"""The report's content, independent of its format: sections of paragraphs, tables, figures
and code blocks, which :mod:`html_report` and :mod:`markdown_report` render."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .aggregate import T_975, t_quantile_975
from .expand import format_value

if TYPE_CHECKING:
    from .pipeline import SweepOutcome


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Code:
    text: str
    language: str = ""


@dataclass
class Figures:
    """Placeholder for the plots."""


@dataclass
class Section:
    title: str
    blocks: list[str | Table | Code | Figures] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]


def fmt_stat(stat: dict[str, Any] | None, scale: float = 1.0, unit: str = "",
             digits: int = 4) -> str:
    """``mean ± half-width unit`` (or ``–`` without data)."""
    if not stat or stat.get("mean") is None:
        return "–"
    text = _number(stat["mean"] * scale, digits)
    if stat.get("half_width") is not None:
        text += " ± " + _number(stat["half_width"] * scale, digits)
    return f"{text} {unit}".strip()


def _number(x: float, digits: int) -> str:
    """``digits`` significant digits, but never an exponent for large values."""
    return f"{x:.0f}" if abs(x) >= 10 ** digits else f"{x:.{digits}g}"


def _points_table(o: "SweepOutcome") -> Table:
    spec = o.spec
    pops = [spec.slo.population] if spec.slo else [
        p for p in spec.populations
        if any(s["populations"].get(p, {}).get("requests_sent", {}).get("mean")
               for s in o.summaries)][:2]
    header = ["point"] + [p.name for p in spec.parameters]
    for pop in pops:
        header += [f"{pop} success rate (%)", f"{pop} p99 (ms)"]
    header.append("peak active connections")
    verdicts = {v["id"]: v for v in o.recommendation.get("points", [])}
    if spec.slo:
        header.append("meets SLO")
    rows = []
    for point, summary in zip(o.points, o.summaries):
        row = [point.id] + [format_value(v) for _, v in point.values]
        for pop in pops:
            stats = summary["populations"].get(pop, {})
            row += [fmt_stat(stats.get("success_rate"), 100.0),
                    fmt_stat(stats.get("p99_ms"))]
        row.append(fmt_stat(summary["gateway"]["peak_active_connections"]))
        if spec.slo:
            row.append("yes" if verdicts[point.id]["meets"] else "no")
        rows.append(row)
    return Table(header, rows)


def _runs_table(o: "SweepOutcome") -> Table:
    rows = [[run.id, run.point.label, str(run.seed), run.command] for run in o.runs]
    return Table(["run", "values", "seed", "command (from the report directory)"], rows)


def build(o: "SweepOutcome") -> Report:
    """The report for a finished sweep."""
    spec = o.spec
    n_runs = len(o.runs)
    subtitle = (f"Scenario {spec.scenario} ({spec.document.tree.get('name', '')}); "
                f"{len(o.points)} points × {spec.replications} replication(s) = {n_runs} runs; "
                f"base seed {spec.seed}.")
    sections: list[Section] = []

    overview = Section("Sweep")
    if spec.description:
        overview.blocks.append(spec.description.strip())
    overview.blocks.append(Table(
        ["parameter", "path", "values"],
        [[p.name, p.path, ", ".join(format_value(v) for v in p.values)]
         for p in spec.parameters]))
    mode = "every combination (grid)" if spec.grid else "values paired in order (zip)"
    overview.blocks.append(
        f"Points: {mode}. Seeds: {spec.seed_mode} — derived with SHA-256 from the base seed "
        f"{spec.seed}, "
        + ("the point's parameter values " if spec.seed_mode == "independent" else "")
        + "and the replication number.")
    if spec.fixed:
        overview.blocks.append(Table(["fixed field", "value"],
                                     [[f.path, format_value(f.value)] for f in spec.fixed]))
    overview.blocks.append(f"Ran {n_runs} simulations in {o.wall_seconds:.1f} s on "
                           f"{o.executor}.")
    sections.append(overview)

    rec = Section("Recommendation")
    rec.blocks.extend(o.recommendation.get("summary", []))
    if spec.slo:
        rec.blocks.append(
            "Definitions: success rate = responses with a 2xx status ÷ requests sent by the "
            "population (a request refused, limited, reset, timed out or unanswered at the end "
            "of the run is a failure; a retried request counts once). Latency percentiles are "
            "the simulator's, over responses of any status, from a request's intended start to "
            "its last response byte.")
    sections.append(rec)

    sections.append(Section("Plots", [Figures()]))

    results = Section("Results by point", [_points_table(o)])
    if spec.replications > 1:
        results.blocks.append(
            f"Values are mean ± half-width of the 95 % t-interval over {spec.replications} "
            f"replications (t(0.975, {spec.replications - 1}) = "
            f"{t_quantile_975(spec.replications - 1):.4f}"
            + ("" if spec.replications - 1 in T_975 else ", interpolated") + ").")
    sections.append(results)

    repro = Section("Reproducing a point")
    repro.blocks.append(
        "Each point's scenario is in points/<point>.yaml next to this report (file paths "
        "rewritten to resolve from there); the command below re-runs one replication exactly "
        "and writes the JSON stored for it in results.json (which also holds every input).")
    repro.blocks.append(_runs_table(o))
    sections.append(repro)

    sections.append(Section("Sweep file", [Code(spec.text, "yaml")]))
    return Report(spec.title, subtitle, sections)
