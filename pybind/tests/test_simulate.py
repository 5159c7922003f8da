"""ctplab.simulate: determinism, equality with `ctplab simulate --json`, NumPy views, the GIL."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import ctplab
from cli_binary import cli

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
MIXED = SCENARIOS / "spoofing" / "allow-deny-mixed.yaml"
EXACT = SCENARIOS / "flood" / "limit-exact-counts.yaml"



@pytest.fixture(scope="module")
def mixed() -> ctplab.Scenario:
    return ctplab.Scenario.from_yaml(MIXED)


@pytest.fixture(scope="module")
def mixed_result(mixed: ctplab.Scenario) -> ctplab.SimulationResult:
    return ctplab.simulate(mixed, seed=11, records=True)


def test_same_seed_same_result(mixed: ctplab.Scenario,
                               mixed_result: ctplab.SimulationResult) -> None:
    again = ctplab.simulate(mixed, seed=11, records=True, scheduler="4ary")
    assert again.to_dict() == mixed_result.to_dict()
    assert again.json == mixed_result.json
    assert mixed_result.to_dict()["seed"] == 11
    other = ctplab.simulate(mixed, seed=12, records=True)
    assert other.to_dict()["records"] != mixed_result.to_dict()["records"]


def test_result_is_the_cli_json(mixed_result: ctplab.SimulationResult, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    run = subprocess.run([cli(), "simulate", MIXED, "--seed", "11", "--records", "--quiet",
                          "--json", out], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert mixed_result.json == out.read_text()
    assert mixed_result.to_dict() == json.loads(out.read_text())


def test_exact_counts() -> None:
    result = ctplab.simulate(ctplab.Scenario.from_yaml(EXACT))
    www, api = result.populations["www-holders"], result.populations["api-holders"]
    assert www["connections"]["admitted"] == 3
    assert api["connections"]["limited"] == 3
    names, columns, table = result.outcome_table()
    assert names == ["www-holders", "api-holders"] and table.dtype == np.uint64
    assert table.shape == (2, len(columns))
    assert table[1, columns.index("connections.limited")] == 3
    assert any(name.endswith("limited_connections") for name in result.gateway_stats)


def test_time_series_arrays(mixed_result: ctplab.SimulationResult) -> None:
    d = mixed_result.to_dict()["time_series"]
    assert mixed_result.series_names == list(d["series"])
    assert mixed_result.bucket_seconds == d["bucket_s"]
    for name in mixed_result.series_names:
        t, values = mixed_result.time_series(name)
        assert t.dtype == np.float64 and values.dtype == np.int64
        assert t.shape == values.shape == (d["buckets"],)
        assert values.tolist() == d["series"][name]
    t, _ = mixed_result.time_series(mixed_result.series_names[0])
    assert np.allclose(np.diff(t), d["bucket_s"]) and t[0] == 0.0
    with pytest.raises(KeyError):
        mixed_result.time_series("no-such-series")


def test_latency_histogram_and_records(mixed_result: ctplab.SimulationResult) -> None:
    d = mixed_result.to_dict()
    population = d["populations"][0]
    hist = mixed_result.latency_histogram(population["name"])
    assert isinstance(hist, ctplab.Histogram)
    assert int(hist.count.sum()) == population["latency_ms"]["count"]
    assert np.all(hist.low_ms <= hist.high_ms) and np.all(np.diff(hist.low_ms) > 0)
    p = mixed_result.latency_percentiles(population["name"], [50, 99])
    assert p.tolist() == pytest.approx([population["latency_ms"]["p50"],
                                        population["latency_ms"]["p99"]], abs=1e-3)
    records = mixed_result.records()
    assert len(records["start_ms"]) == len(d["records"])
    assert records["population"].tolist() == [r["population"] for r in d["records"]]
    assert records["outcome"].tolist() == [r["outcome"] for r in d["records"]]
    assert records["status"].tolist() == [r.get("status", 0) for r in d["records"]]
    # A request that never reached the HTTP stage has no decision in the JSON.
    assert records["decision"].tolist() == [r.get("decision", "no-policy") for r in d["records"]]
    assert np.allclose(records["end_ms"], [r["end_ms"] for r in d["records"]], atol=1e-3)
    with pytest.raises(KeyError):
        mixed_result.latency_histogram("nobody")


def test_records_need_records() -> None:
    result = ctplab.simulate(ctplab.Scenario.from_yaml(EXACT))
    with pytest.raises(ValueError, match="records=True"):
        result.records()


def test_bad_arguments(mixed: ctplab.Scenario) -> None:
    with pytest.raises(ValueError, match="scheduler"):
        ctplab.simulate(mixed, scheduler="fifo")
    with pytest.raises(TypeError):
        ctplab.simulate(MIXED)  # type: ignore[arg-type]


def test_port_without_listener_is_a_scenario_error() -> None:
    text = EXACT.read_text().replace("port: 80, host: api", "port: 81, host: api")
    scenario = ctplab.Scenario.from_yaml(text, base_dir=EXACT.parent)
    with pytest.raises(ctplab.ScenarioError,
                       match=r"population api-holders: the gateway has no listener on port 81"):
        ctplab.simulate(scenario)


def test_gil_is_released_during_a_run() -> None:
    scenario = ctplab.Scenario.from_yaml(SCENARIOS / "flood" / "shared-http-port.yaml")
    window: dict[str, float] = {}

    def run() -> None:
        window["start"] = time.perf_counter()
        ctplab.simulate(scenario, seed=3)
        window["end"] = time.perf_counter()

    worker = threading.Thread(target=run)
    ticks: list[float] = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    start, end = window["start"], window["end"]
    assert end - start > 0.2, "the run is too short to tell"
    # Holding the GIL, the run would stop this thread from its start to its end.
    middle = [t for t in ticks if start + 0.25 * (end - start) < t < end - 0.25 * (end - start)]
    assert len(middle) > 1000
