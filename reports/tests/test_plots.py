"""Plots from synthetic results: defaults, HTTP/3 detection, deterministic PNGs."""
from __future__ import annotations

from ctplab_reports.aggregate import summarize_point
from ctplab_reports.expand import expand_points
from ctplab_reports.plots import PlotContext, default_plots, http3_families, make_plots
from ctplab_reports.sweep_spec import parse_sweep


def fake_result(limit: int, seed: int) -> dict:
    share = [0, 1, 2, 3]
    return {
        "seed": seed,
        "populations": [{"name": "legit", "requests": {"sent": 100, "by_status": {
            "200": min(100, limit // 2 + seed % 3)}}, "connections": {},
            "latency_ms": {"count": 100, "p99": 1000 / limit + seed % 2, "p50": 1.0}}],
        "gateway": {"peak_active_connections": limit, "stats": {}},
        "time_series": {"bucket_s": 1.0, "buckets": 4, "series": {
            "connections.active": [1, limit, limit, 2],
            "requests.http1": [10 - s for s in share], "requests.http3": share}},
    }


def context(data_dir) -> PlotContext:
    spec = parse_sweep("""\
scenario: small-flood.yaml
parameters:
  - {path: "populations[name=bots].clients", name: bots, values: [100, 200]}
replications: 2
slo: {population: legit, success_rate_min: 0.9, p99_ms_max: 8}
""", "sweep.yaml", data_dir)
    points = expand_points(spec)
    results = [[fake_result(p.value("bots"), r) for r in range(2)] for p in points]
    return PlotContext(spec, points, results,
                       [summarize_point(rs, spec.populations) for rs in results])


def test_http3_families():
    names = ["requests.http1", "requests.http3", "responses.2xx", "legit.h3.responses",
             "legit.h2.responses", "h3x.responses"]
    assert http3_families(names) == {
        "requests.*": ("requests.http3", ["requests.http1", "requests.http3"]),
        "legit.*.responses": ("legit.h3.responses",
                              ["legit.h3.responses", "legit.h2.responses"])}


def test_default_plots_and_determinism(data_dir):
    ctx = context(data_dir)
    kinds = [p.kind for p in default_plots(ctx)]
    assert kinds == ["success_rate", "latency", "active_connections", "http3_share"]
    first = make_plots(ctx)
    again = make_plots(ctx)
    assert [p.name for p in first] == ["01-success_rate-legit.png", "02-latency-p99-legit.png",
                                       "03-active_connections.png", "04-http3_share.png"]
    assert all(p.png.startswith(b"\x89PNG") for p in first)
    assert [p.png for p in first] == [p.png for p in again]
    assert all(p.title and p.caption for p in first)
