"""The report's figures, drawn with matplotlib's Agg backend into PNG bytes.

Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot state), at fixed
sizes, and saved without the ``Software`` metadata, so the same data draws the same PNG.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .aggregate import METRIC_LABELS, extract, mean_ci, mean_series, series_names  # noqa: E402
from .expand import Point, format_value  # noqa: E402
from .sweep_spec import PlotSpec, SweepSpec  # noqa: E402

FIGSIZE = (8.0, 4.8)
DPI = 100
MAX_LINES = 12


@dataclass
class Plot:
    """One drawn figure."""

    name: str      # file name, e.g. "01-success_rate-legit.png"
    title: str
    caption: str
    png: bytes


@dataclass
class PlotContext:
    """What the plots draw from."""

    spec: SweepSpec
    points: list[Point]
    results: list[list[dict[str, Any]]]   # per point, its replications' results
    summaries: list[dict[str, Any]]


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "plot"


def _axis_label(ctx: PlotContext, name: str) -> str:
    param = ctx.spec.parameter(name)
    return f"{name} ({param.axis_unit})" if param.axis_unit else name


def _x_positions(ctx: PlotContext, name: str) -> tuple[dict[Any, float], list[str] | None]:
    """Where each value of parameter ``name`` sits on the x axis (tick labels if categorical)."""
    param = ctx.spec.parameter(name)
    keys = [format_value(v) for v in param.values]
    if param.numeric is not None:
        return dict(zip(keys, param.numeric)), None
    return {k: float(i) for i, k in enumerate(keys)}, keys


def _log_x(ctx: PlotContext, name: str) -> bool:
    nums = ctx.spec.parameter(name).numeric
    return bool(nums) and min(nums) > 0 and max(nums) / min(nums) >= 50


def _series_groups(ctx: PlotContext, x: str) -> dict[str, list[int]]:
    """Point indices per combination of the other parameters (one line each)."""
    others = [p.name for p in ctx.spec.parameters if p.name != x] if ctx.spec.grid else []
    groups: dict[str, list[int]] = {}
    for i, point in enumerate(ctx.points):
        label = ", ".join(f"{n}={format_value(point.value(n))}" for n in others)
        groups.setdefault(label, []).append(i)
    return groups


def _replication_note(ctx: PlotContext) -> str:
    n = ctx.spec.replications
    if n == 1:
        return "One run per point (no confidence interval: set replications ≥ 2)."
    return f"Mean of {n} replications per point; error bars: 95 % t-interval."


def metric_plot(ctx: PlotContext, population: str | None, metric: str, x: str,
                title: str | None = None, threshold: float | None = None,
                threshold_label: str = "SLO") -> Plot:
    """A metric's mean (± CI) against parameter ``x``, one line per other-parameter combination."""
    positions, ticks = _x_positions(ctx, x)
    fig = Figure(figsize=FIGSIZE)
    ax = fig.add_subplot(1, 1, 1)
    label, unit = METRIC_LABELS.get(metric, (metric, ""))
    scale = 100.0 if metric == "success_rate" else 1.0
    unit = "%, 2xx / requests sent" if metric == "success_rate" else unit
    plotted = 0
    for series, members in _series_groups(ctx, x).items():
        rows = []
        for i in members:
            stat = mean_ci(extract(r, population, metric) for r in ctx.results[i])
            if stat["mean"] is None:
                continue
            xv = positions[format_value(ctx.points[i].value(x))]
            rows.append((xv, stat["mean"] * scale,
                         (stat["half_width"] or 0.0) * scale))
        if not rows:
            continue
        rows.sort()
        # Every metric is a count, a time or a share: a t-interval that crosses 0 (or 100 %) says
        # nothing about values that cannot occur, so the bars stop at the bounds.
        upper_bound = 100.0 if metric == "success_rate" else float("inf")
        below = [min(r[2], max(r[1], 0.0)) for r in rows]
        above = [min(r[2], max(upper_bound - r[1], 0.0)) for r in rows]
        ax.errorbar([r[0] for r in rows], [r[1] for r in rows], yerr=[below, above],
                    marker="o", capsize=4, label=series or None)
        plotted += 1
    if threshold is not None:
        suffix = " %" if metric == "success_rate" else (f" {unit}" if unit else "")
        ax.axhline(threshold * scale, color="tab:red", linestyle="--", linewidth=1,
                   label=f"{threshold_label}: {threshold * scale:g}{suffix}")
    if ticks is not None:
        ax.set_xticks(range(len(ticks)), ticks)
    elif _log_x(ctx, x):
        ax.set_xscale("log")
        param = ctx.spec.parameter(x)
        if len(param.values) <= MAX_LINES:  # label the swept values themselves
            ax.set_xticks(param.numeric, [format_value(v) for v in param.values])
            ax.minorticks_off()
    ax.set_xlabel(_axis_label(ctx, x))
    ax.set_ylabel(f"{label} ({unit})" if unit else label)
    who = f" — {population}" if population and not metric.startswith("gateway") \
        and metric != "peak_active_connections" else ""
    title = title or f"{label.capitalize()} vs {x}{who}"
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if labels:
        ax.legend(fontsize="small", title=", ".join(
            p.name for p in ctx.spec.parameters if p.name != x) if ctx.spec.grid and
            len(ctx.spec.parameters) > 1 else None, title_fontsize="small")
    if plotted == 0:
        ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center")
    fig.tight_layout()
    caption = _replication_note(ctx)
    if metric == "success_rate":
        caption += " Success rate = responses with a 2xx status / requests sent."
    return Plot("", title, caption, _png(fig))


def _chosen_points(ctx: PlotContext) -> tuple[list[int], str]:
    n = len(ctx.points)
    if n <= MAX_LINES:
        return list(range(n)), ""
    picks = sorted({round(k * (n - 1) / (MAX_LINES - 1)) for k in range(MAX_LINES)})
    return picks, f" {len(picks)} of {n} points shown, evenly spaced."


def series_plot(ctx: PlotContext, series: str, title: str, ylabel: str) -> Plot:
    """A time series (mean over replications) per point."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.add_subplot(1, 1, 1)
    chosen, note = _chosen_points(ctx)
    cmap = matplotlib.colormaps["viridis"]
    drawn = 0
    for k, i in enumerate(chosen):
        data = mean_series(ctx.results[i], series)
        if data is None:
            continue
        color = cmap(k / max(1, len(chosen) - 1))
        ax.step(data[0], data[1], where="post", color=color,
                label=f"{ctx.points[i].id}: {ctx.points[i].label}")
        drawn += 1
    ax.set_xlabel("time since the start of the run (s)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if drawn:
        ax.legend(fontsize="x-small", loc="best")
    else:
        ax.text(0.5, 0.5, f"no series {series} in the results", transform=ax.transAxes,
                ha="center", va="center")
    fig.tight_layout()
    caption = (f"Series {series}, per bucket, mean over {ctx.spec.replications} "
               f"replication(s).{note}")
    return Plot("", title, caption, _png(fig))


def tls_plot(ctx: PlotContext) -> Plot:
    """Failed TLS handshakes by reason per point (stacked, mean per run)."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.add_subplot(1, 1, 1)
    reasons = sorted({k for s in ctx.summaries for k in s.get("tls_failures", {})})
    xs = list(range(len(ctx.points)))
    bottom = [0.0] * len(xs)
    for reason in reasons:
        heights = [s.get("tls_failures", {}).get(reason, {}).get("mean") or 0.0
                   for s in ctx.summaries]
        ax.bar(xs, heights, bottom=bottom, label=reason)
        bottom = [b + h for b, h in zip(bottom, heights)]
    labels = [p.label for p in ctx.points]
    if len(xs) > 6 or max(len(label) for label in labels) > 24:
        labels = [p.id for p in ctx.points]
    ax.set_xticks(xs, labels, rotation=45 if len(xs) > 8 else 0)
    ax.set_xlabel("sweep point (see the points table)")
    ax.set_ylabel("failed handshakes per run (mean)")
    title = "Mutual TLS failures by reason"
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)
    if reasons:
        ax.legend(fontsize="small")
    else:
        ax.text(0.5, 0.5, "no failed handshakes", transform=ax.transAxes, ha="center",
                va="center")
    fig.tight_layout()
    caption = ("Handshakes refused per population tls outcome (fail_verify_error: expired, "
               "revoked or unknown-CA chain; fail_verify_san; fail_verify_no_cert; …), "
               f"summed over populations, mean over {ctx.spec.replications} replication(s).")
    return Plot("", title, caption, _png(fig))


_PROTO = re.compile(r"(?<![A-Za-z0-9])(http1|http11|http2|http3|h1|h2|h3)(?![A-Za-z0-9])")


def http3_families(names: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Series families that split by HTTP version: family -> (HTTP/3 series, all members)."""
    families: dict[str, list[str]] = {}
    for name in names:
        if _PROTO.search(name):
            families.setdefault(_PROTO.sub("*", name), []).append(name)
    out = {}
    for family, members in families.items():
        h3 = [m for m in members if _PROTO.search(m).group(1) in ("http3", "h3")]
        if h3:
            out[family] = (h3[0], members)
    return out


def http3_plot(ctx: PlotContext, family: str, h3: str, members: list[str]) -> Plot:
    """HTTP/3's share of a series family over time, per point."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.add_subplot(1, 1, 1)
    chosen, note = _chosen_points(ctx)
    cmap = matplotlib.colormaps["viridis"]
    for k, i in enumerate(chosen):
        parts = {m: mean_series(ctx.results[i], m) for m in members}
        if parts.get(h3) is None:
            continue
        times = parts[h3][0]
        share = []
        for b in range(len(times)):
            total = sum(p[1][b] for p in parts.values() if p is not None and b < len(p[1]))
            share.append(100.0 * parts[h3][1][b] / total if total else math.nan)
        ax.plot(times, share, color=cmap(k / max(1, len(chosen) - 1)),
                label=f"{ctx.points[i].id}: {ctx.points[i].label}")
    ax.set_xlabel("time since the start of the run (s)")
    ax.set_ylabel("HTTP/3 share (%)")
    ax.set_ylim(0, 100)
    title = f"HTTP/3 share over time ({family})"
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="x-small")
    fig.tight_layout()
    caption = f"{h3} / sum of {', '.join(members)} per bucket.{note}"
    return Plot("", title, caption, _png(fig))


def default_plots(ctx: PlotContext) -> list[PlotSpec]:
    """Plots derived from the sweep: metrics of the SLO population (or every population that
    sent requests) against the first parameter, active connections, and TLS failures and
    HTTP/3 share when the results hold them."""
    spec = ctx.spec
    out: list[PlotSpec] = []
    if spec.slo is not None:
        pops = [spec.slo.population]
    else:
        pops = [name for name in spec.populations
                if any(s["populations"].get(name, {}).get("requests_sent", {}).get("mean")
                       for s in ctx.summaries)][:3]
    for pop in pops:
        out.append(PlotSpec("success_rate", {"population": pop}))
        percentiles = list(spec.slo.latency_ms_max) if spec.slo and \
            spec.slo.latency_ms_max and pop == spec.slo.population else ["p99"]
        for pct in percentiles:
            out.append(PlotSpec("latency", {"population": pop, "percentile": pct}))
    out.append(PlotSpec("active_connections"))
    if any("tls_failures" in s for s in ctx.summaries):
        out.append(PlotSpec("tls_failures"))
    if http3_families(series_names(r for rs in ctx.results for r in rs)):
        out.append(PlotSpec("http3_share"))
    return out


def make_plots(ctx: PlotContext) -> list[Plot]:
    """Draw the sweep's plots (its ``plots:`` list, or the defaults)."""
    specs = ctx.spec.plots if ctx.spec.plots is not None else default_plots(ctx)
    default_pop = ctx.spec.slo.population if ctx.spec.slo else (
        ctx.spec.populations[0] if ctx.spec.populations else None)
    plots: list[Plot] = []
    for ps in specs:
        o = ps.options
        x = o.get("x", ctx.spec.parameters[0].name)
        pop = o.get("population", default_pop)
        made: list[Plot] = []
        if ps.kind == "success_rate":
            thr = ctx.spec.slo.success_rate_min if ctx.spec.slo and \
                pop == ctx.spec.slo.population else None
            made.append(metric_plot(ctx, pop, "success_rate", x, o.get("title"), thr))
        elif ps.kind == "latency":
            pct = o.get("percentile", "p99")
            thr = ctx.spec.slo.latency_ms_max.get(pct) if ctx.spec.slo and \
                pop == ctx.spec.slo.population else None
            made.append(metric_plot(ctx, pop, f"{pct}_ms", x, o.get("title"), thr))
        elif ps.kind == "metric":
            made.append(metric_plot(ctx, pop, o["metric"], x, o.get("title")))
        elif ps.kind == "active_connections":
            made.append(series_plot(ctx, "connections.active",
                                    o.get("title", "Active connections at the gateway"),
                                    "active connections (at bucket end)"))
        elif ps.kind == "time_series":
            made.append(series_plot(ctx, o["series"], o.get("title", o["series"]),
                                    o["series"]))
        elif ps.kind == "tls_failures":
            made.append(tls_plot(ctx))
        elif ps.kind == "http3_share":
            names = series_names(r for rs in ctx.results for r in rs)
            for family, (h3, members) in http3_families(names).items():
                made.append(http3_plot(ctx, family, h3, members))
        for plot in made:
            suffix = pop if ps.kind in ("success_rate", "latency", "metric") and pop else ""
            plot.name = _slug(f"{len(plots) + 1:02d}-{ps.kind}-{o.get('percentile', '')}"
                              f"-{o.get('metric', '')}-{suffix}").replace("__", "_") + ".png"
            plot.name = re.sub(r"-+", "-", plot.name).replace("-.png", ".png")
            plots.append(plot)
    return plots

