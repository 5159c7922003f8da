"""Metrics and confidence intervals."""
from __future__ import annotations

import math

import numpy as np
import pytest

from ctplab_reports.aggregate import (T_975, extract, mean_ci, population_metrics,
                                      summarize_point, t_quantile_975, tls_failures)


def test_ci_matches_hand_computation():
    # values 1, 2, 3, 4: mean 2.5, s = sqrt(5/3) = 1.2909944, s/sqrt(4) = 0.6454972,
    # t(0.975, 3) = 3.1824463, half-width = 2.0542603
    stat = mean_ci([1, 2, 3, 4])
    assert stat["n"] == 4 and stat["mean"] == 2.5
    assert stat["sd"] == pytest.approx(1.2909944487, abs=1e-9)
    assert stat["half_width"] == pytest.approx(2.0542603, abs=1e-6)
    assert (stat["low"], stat["high"]) == pytest.approx((0.4457397, 4.5542603), abs=1e-6)
    # two values 10, 12: mean 11, s = sqrt(2), half-width = 12.7062047 * sqrt(2) / sqrt(2)
    assert mean_ci([10, 12])["half_width"] == pytest.approx(12.7062047, abs=1e-6)


def test_ci_edge_cases():
    assert mean_ci([]) == {"n": 0, "mean": None, "sd": None, "half_width": None, "low": None,
                           "high": None}
    one = mean_ci([5.0, None])
    assert one["n"] == 1 and one["mean"] == 5.0 and one["half_width"] is None
    same = mean_ci([3, 3, 3])
    assert same["sd"] == 0.0 and same["half_width"] == 0.0


def _t_cdf(x: float, df: int) -> float:
    """Student t CDF by Simpson integration of the density (for checking the table)."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    n = 200_000
    xs = np.linspace(0.0, x, n + 1)
    ys = c * (1 + xs * xs / df) ** (-(df + 1) / 2)
    h = x / n
    integral = h / 3 * (ys[0] + ys[-1] + 4 * ys[1:-1:2].sum() + 2 * ys[2:-1:2].sum())
    return 0.5 + integral


@pytest.mark.parametrize("df", [1, 2, 3, 5, 9, 19, 30, 60, 120])
def test_t_table_is_the_97_5_percent_quantile(df):
    assert _t_cdf(T_975[df], df) == pytest.approx(0.975, abs=1e-8)


def test_t_interpolation_between_table_entries():
    # t(0.975, 35) = 2.0301079, t(0.975, 1000) = 1.9623391
    assert t_quantile_975(35) == pytest.approx(2.0301079, abs=2e-4)
    assert t_quantile_975(1000) == pytest.approx(1.9623391, abs=2e-4)
    with pytest.raises(ValueError):
        t_quantile_975(0)


POP = {"name": "legit", "requests": {"sent": 200, "by_status": {"200": 150, "204": 40,
                                                              "503": 5}, "timeout": 5},
       "connections": {"attempted": 50, "admitted": 40, "limited": 10},
       "latency_ms": {"count": 195, "mean": 9.0, "p50": 8.0, "p90": 12.0, "p99": 30.0,
                      "p99.9": 31.0, "max": 32.0}}


def test_success_rate_is_2xx_over_sent():
    m = population_metrics(POP)
    assert m["success_rate"] == 190 / 200 and m["failed_requests"] == 10
    assert m["p99_ms"] == 30.0 and m["connections_limited"] == 10
    silent = population_metrics({"name": "bots", "requests": {"sent": 0, "by_status": {}},
                                 "latency_ms": {"count": 0, "p99": 0.0}})
    assert silent["success_rate"] is None and silent["p99_ms"] is None


def test_extract_and_summary():
    run = {"populations": [POP, {"name": "x", "tls": {"handshake": 3, "fail_verify_san": 2,
                                                       "fail_verify_error": 1}}],
           "gateway": {"peak_active_connections": 7, "stats": {"a.b.c": 4}}}
    assert extract(run, "legit", "requests.by_status.503") == 5.0
    assert extract(run, "legit", "latency_ms.p99.9") == 31.0
    assert extract(run, None, "gateway.stats.a.b.c") == 4.0
    assert extract(run, None, "gateway.peak_active_connections") == 7.0
    assert tls_failures(run) == {"fail_verify_error": 1, "fail_verify_san": 2}
    summary = summarize_point([run, run], ["legit", "x"])
    assert summary["populations"]["legit"]["success_rate"]["mean"] == 0.95
    assert summary["tls_failures"]["fail_verify_san"]["mean"] == 2.0
    assert summary["gateway"]["peak_active_connections"]["half_width"] == 0.0
