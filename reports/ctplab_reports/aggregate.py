"""Per-run metrics and their means with 95 % confidence intervals over replications.

Definitions (also in ``reports/README.md``):

- **success rate** of a population = responses with a 2xx status / requests sent. "Sent"
  counts every request a client started, once, whatever happened to it (retried requests count
  once; requests whose connection was refused, limited, reset or timed out, and requests still
  unanswered when the run ended, all count as not successful). Undefined (null) when the
  population sent no requests.
- **latency** percentiles are the simulator's, over the population's responses (any status),
  measured from each request's intended start to its last response byte.
- **CI**: mean ± t(0.975, n−1) · s / √n over the n replications (s the sample standard
  deviation); none for n = 1. The t quantiles are tabled below.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

# Two-sided 95 % Student t quantiles t(0.975, df).
T_975: dict[int, float] = {
    1: 12.706204736, 2: 4.302652730, 3: 3.182446305, 4: 2.776445105, 5: 2.570581836,
    6: 2.446911851, 7: 2.364624252, 8: 2.306004135, 9: 2.262157163, 10: 2.228138852,
    11: 2.200985160, 12: 2.178812830, 13: 2.160368656, 14: 2.144786688, 15: 2.131449546,
    16: 2.119905299, 17: 2.109815578, 18: 2.100922040, 19: 2.093024054, 20: 2.085963447,
    21: 2.079613845, 22: 2.073873068, 23: 2.068657610, 24: 2.063898562, 25: 2.059538553,
    26: 2.055529439, 27: 2.051830516, 28: 2.048407142, 29: 2.045229642, 30: 2.042272456,
    40: 2.021075390, 50: 2.008559112, 60: 2.000297822, 80: 1.990063421, 100: 1.983971519,
    120: 1.979930405,
}
Z_975 = 1.959963985


def t_quantile_975(df: int) -> float:
    """t(0.975, df): tabled up to 30, interpolated in 1/df beyond (exact to ~1e-4)."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df in T_975:
        return T_975[df]
    keys = sorted(T_975)
    if df > keys[-1]:
        lo_df, lo_t, hi_inv, hi_t = keys[-1], T_975[keys[-1]], 0.0, Z_975
    else:
        lo_df = max(k for k in keys if k < df)
        hi_df = min(k for k in keys if k > df)
        lo_t, hi_inv, hi_t = T_975[lo_df], 1.0 / hi_df, T_975[hi_df]
    lo_inv = 1.0 / lo_df
    w = (lo_inv - 1.0 / df) / (lo_inv - hi_inv)
    return lo_t + w * (hi_t - lo_t)


def mean_ci(values: Iterable[float | None]) -> dict[str, Any]:
    """Mean, sample standard deviation and the 95 % t-interval of the non-null values."""
    xs = [float(v) for v in values if v is not None]
    n = len(xs)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "half_width": None, "low": None, "high": None}
    mean = math.fsum(xs) / n
    if n == 1:
        return {"n": 1, "mean": mean, "sd": None, "half_width": None, "low": None, "high": None}
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    half = t_quantile_975(n - 1) * sd / math.sqrt(n)
    return {"n": n, "mean": mean, "sd": sd, "half_width": half, "low": mean - half,
            "high": mean + half}


LATENCY_FIELDS = {"p50_ms": "p50", "p90_ms": "p90", "p99_ms": "p99", "p99.9_ms": "p99.9",
                  "mean_ms": "mean", "max_ms": "max"}
POPULATION_METRICS = ("success_rate", "requests_sent", "responses_2xx", "failed_requests",
                      *LATENCY_FIELDS, "connections_attempted", "connections_admitted",
                      "connections_limited", "timeouts")
METRIC_LABELS = {
    "success_rate": ("success rate", "2xx / requests sent"),
    "requests_sent": ("requests sent", "requests"),
    "responses_2xx": ("2xx responses", "responses"),
    "failed_requests": ("failed requests", "requests"),
    "p50_ms": ("p50 latency", "ms"), "p90_ms": ("p90 latency", "ms"),
    "p99_ms": ("p99 latency", "ms"), "p99.9_ms": ("p99.9 latency", "ms"),
    "mean_ms": ("mean latency", "ms"), "max_ms": ("max latency", "ms"),
    "connections_attempted": ("connections attempted", "connections"),
    "connections_admitted": ("connections admitted", "connections"),
    "connections_limited": ("connections limited", "connections"),
    "timeouts": ("client timeouts", "requests"),
    "peak_active_connections": ("peak active connections", "connections"),
}


def success_count(population: dict[str, Any]) -> int:
    """Responses with a 2xx status."""
    by_status = population.get("requests", {}).get("by_status", {})
    return sum(int(n) for status, n in by_status.items() if str(status).startswith("2"))


def population_metrics(population: dict[str, Any]) -> dict[str, float | None]:
    """The named metrics of one population in one run."""
    req = population.get("requests", {})
    conn = population.get("connections", {})
    lat = population.get("latency_ms", {})
    sent = int(req.get("sent", 0))
    ok = success_count(population)
    out: dict[str, float | None] = {
        "success_rate": ok / sent if sent else None,
        "requests_sent": sent,
        "responses_2xx": ok,
        "failed_requests": sent - ok,
    }
    has_latency = int(lat.get("count", 0)) > 0
    for name, key in LATENCY_FIELDS.items():
        out[name] = float(lat[key]) if has_latency and key in lat else None
    out["connections_attempted"] = conn.get("attempted")
    out["connections_admitted"] = conn.get("admitted")
    out["connections_limited"] = conn.get("limited")
    out["timeouts"] = req.get("timeout")
    return out


def is_tls_failure(reason: str) -> bool:
    """Whether a population ``tls`` outcome key is a failed handshake."""
    return reason.startswith("fail_") or reason in ("connection_error", "handshake_error")


def tls_failures(result: dict[str, Any]) -> dict[str, int] | None:
    """Failed handshakes by reason, summed over populations; None without TLS outcomes."""
    out: dict[str, int] = {}
    seen = False
    for pop in result.get("populations", []):
        tls = pop.get("tls")
        if not isinstance(tls, dict):
            continue
        seen = True
        for reason, count in tls.items():
            if is_tls_failure(reason):
                out[reason] = out.get(reason, 0) + int(count)
    return dict(sorted(out.items())) if seen else None


def extract(result: dict[str, Any], population: str | None, metric: str) -> float | None:
    """One number from a run: a named metric or a dotted path.

    ``gateway.peak_active_connections``, ``gateway.stats.<stat name>`` read the gateway;
    anything else reads ``population`` (a name from :data:`POPULATION_METRICS`, or a dotted path
    into its JSON such as ``requests.by_status.503``). Missing counters are 0.
    """
    if metric == "peak_active_connections" or metric == "gateway.peak_active_connections":
        return float(result.get("gateway", {}).get("peak_active_connections", 0))
    if metric.startswith("gateway.stats."):
        return float(result.get("gateway", {}).get("stats", {}).get(metric[14:], 0))
    pop = next((p for p in result.get("populations", []) if p.get("name") == population), None)
    if pop is None:
        return None
    if metric in POPULATION_METRICS:
        value = population_metrics(pop)[metric]
        return None if value is None else float(value)
    cur: Any = pop
    for part in _split_metric(metric):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part, 0)
    return float(cur) if isinstance(cur, (int, float)) and not isinstance(cur, bool) else None


def _split_metric(metric: str) -> list[str]:
    # by_status keys and latency keys like p99.9 contain no further structure
    parts = metric.split(".")
    if len(parts) >= 2 and parts[-2] == "p99" and parts[-1] == "9":
        parts[-2:] = ["p99.9"]
    return parts


def summarize_point(results: list[dict[str, Any]], populations: list[str]) -> dict[str, Any]:
    """Means and CIs of a point's replications: per population, the gateway, TLS failures."""
    summary: dict[str, Any] = {"populations": {}, "gateway": {}}
    for name in populations:
        per_run = []
        for res in results:
            pop = next((p for p in res.get("populations", []) if p.get("name") == name), None)
            per_run.append(population_metrics(pop) if pop is not None else None)
        summary["populations"][name] = {
            metric: mean_ci(m[metric] if m else None for m in per_run)
            for metric in POPULATION_METRICS}
    summary["gateway"]["peak_active_connections"] = mean_ci(
        r.get("gateway", {}).get("peak_active_connections") for r in results)
    failures = [tls_failures(r) for r in results]
    if any(f is not None for f in failures):
        reasons = sorted({k for f in failures if f for k in f})
        summary["tls_failures"] = {k: mean_ci((f or {}).get(k, 0) for f in failures)
                                   for k in reasons}
    return summary


def mean_series(results: list[dict[str, Any]], name: str) -> tuple[list[float], list[float]] | None:
    """A time series averaged over replications: (bucket start times in s, mean values)."""
    rows = [r.get("time_series", {}).get("series", {}).get(name) for r in results]
    rows = [row for row in rows if row is not None]
    if not rows:
        return None
    bucket = float(results[0].get("time_series", {}).get("bucket_s", 1.0))
    length = min(len(row) for row in rows)
    means = [math.fsum(float(row[i]) for row in rows) / len(rows) for i in range(length)]
    return [i * bucket for i in range(length)], means


def series_names(results: Iterable[dict[str, Any]]) -> list[str]:
    """Every time series name in the results, in first-seen order."""
    names: dict[str, None] = {}
    for r in results:
        for name in r.get("time_series", {}).get("series", {}):
            names.setdefault(name, None)
    return list(names)
