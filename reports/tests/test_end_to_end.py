"""A real sweep through the command line: reports, results JSON, determinism, Dask."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from html.parser import HTMLParser

import pytest

from ctplab_reports import execute, load_sweep, results_json, run_sweep
from ctplab_reports.__main__ import main

from conftest import REPORTS_DIR


def cli(args, ctplab_bin, cwd=None):
    env = dict(os.environ, CTPLAB_BIN=ctplab_bin)
    return subprocess.run([sys.executable, "-m", "ctplab_reports", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def report(ctplab_bin, data_dir, tmp_path_factory):
    """The test sweep run once through the command line on two local processes."""
    out = tmp_path_factory.mktemp("report")
    started = time.monotonic()
    proc = cli([os.path.join(data_dir, "flood-sweep.yaml"), "--out", str(out), "--jobs", "2",
                "--backend", "cli", "--quiet"], ctplab_bin)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    print(f"\nend-to-end sweep (8 runs, CLI, plots and reports): {elapsed:.2f} s")
    return out, proc


def test_outputs_exist(report):
    out, proc = report
    names = sorted(os.listdir(out))
    assert {"report.html", "report.md", "results.json", "points"} <= set(names)
    assert sorted(os.listdir(out / "points")) == ["p000.yaml", "p001.yaml", "p002.yaml",
                                                  "p003.yaml"]
    assert "Recommended connection limit: 600" in proc.stdout


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.tags: set[str] = set()
        self.images = 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.images += tag == "img"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "poster", "action"):
                self.refs.append(value or "")


def test_html_is_self_contained(report):
    out, _ = report
    text = (out / "report.html").read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(text)
    assert parser.images >= 3
    assert parser.refs and all(r.startswith("data:") for r in parser.refs)
    assert not parser.tags & {"script", "link", "iframe", "object", "embed"}
    assert "url(" not in text and "@import" not in text
    assert "ctplab simulate points/p000.yaml --seed" in text
    assert "Recommendation" in text


def test_markdown_with_pngs(report):
    out, _ = report
    md = (out / "report.md").read_text(encoding="utf-8")
    images = [line.split("](", 1)[1].rstrip(")") for line in md.splitlines()
              if line.startswith("![")]
    assert len(images) >= 3
    for name in images:
        assert "/" not in name
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any("success_rate" in n for n in images) and any("latency" in n for n in images)
    assert any("active_connections" in n for n in images)


def test_results_json_records_inputs_and_reruns_exactly(report, ctplab_bin):
    out, _ = report
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert doc["format"] == "ctplab-sweep-results/1" and doc["seed"] == 7
    assert doc["sweep"]["text"].startswith("title: Connection limit vs flood size")
    assert len(doc["points"]) == 4 and all(len(p["runs"]) == 2 for p in doc["points"])
    point = doc["points"][3]
    assert point["values"] == {"connection limit": 600, "bots": 400}
    run = point["runs"][1]
    command = run["command"].split()
    assert command[:3] == ["ctplab", "simulate", "points/p003.yaml"]
    subprocess.run([ctplab_bin, *command[1:], "--quiet"], cwd=out, check=True,
                   stdout=subprocess.DEVNULL)
    assert json.loads((out / "points" / "p003-r1.json").read_text()) == run["result"]
    verdicts = {v["id"]: v["meets"] for v in doc["recommendation"]["points"]}
    assert verdicts == {"p000": True, "p001": False, "p002": True, "p003": True}
    assert doc["recommendation"]["recommended"] == 600


def test_results_are_deterministic(report, data_dir, ctplab_bin):
    out, _ = report
    spec = load_sweep(os.path.join(data_dir, "flood-sweep.yaml"))
    again = execute(spec, jobs=1, backend="cli", binary=ctplab_bin)
    assert results_json(again.document) == (out / "results.json").read_bytes()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dask_cluster_gives_identical_results(report, data_dir, ctplab_bin):
    try:
        from distributed import LocalCluster
    except ImportError:
        pytest.skip("the Dask distributed package cannot be imported (python3-distributed)")
    out, _ = report
    spec = load_sweep(os.path.join(data_dir, "flood-sweep.yaml"))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        started = time.monotonic()
        outcome = execute(spec, dask=cluster.scheduler_address, backend="cli",
                          binary=ctplab_bin)
        print(f"\nDask LocalCluster, 8 runs: {time.monotonic() - started:.2f} s "
              "(cluster start-up excluded)")
    assert results_json(outcome.document) == (out / "results.json").read_bytes()


def test_tls_sweep_plots_failures_by_reason(ctplab_bin, data_dir, tmp_path):
    outcome = run_sweep(os.path.join(data_dir, "tls-sweep.yaml"), str(tmp_path), jobs=1,
                        backend="cli", binary=ctplab_bin)
    names = [p.name for p in outcome.plots]
    assert any("tls_failures" in n for n in names), names
    failures = [s["tls_failures"] for s in outcome.summaries]
    assert [f["fail_verify_error"]["mean"] for f in failures] == [110.0, 150.0]
    assert [f["fail_verify_san"]["mean"] for f in failures] == [20.0, 20.0]


def test_usage_errors_exit_2(ctplab_bin):
    proc = cli([], ctplab_bin)
    assert proc.returncode == 2 and proc.stderr.startswith("usage:")
    proc = cli(["x.yaml", "--jobs", "0"], ctplab_bin)
    assert proc.returncode == 2 and "--jobs" in proc.stderr
    with pytest.raises(SystemExit) as info:
        main(["x.yaml", "--jobs", "2", "--dask", "tcp://127.0.0.1:1"])
    assert info.value.code == 2


def test_sweep_errors_exit_1_with_place(ctplab_bin, data_dir, tmp_path):
    sweep = tmp_path / "bad.yaml"
    sweep.write_text(f"scenario: {os.path.join(data_dir, 'small-flood.yaml')}\n"
                     "parameters:\n  - path: populations[name=robots].clients\n"
                     "    values: [1]\n")
    proc = cli([str(sweep), "--out", str(tmp_path / "out")], ctplab_bin)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{sweep}:3:11: error: parameters[0]: unknown path "
                                  '"populations[name=robots].clients"'), proc.stderr
    assert not (tmp_path / "out").exists()


def test_failed_run_exits_1(ctplab_bin, data_dir, tmp_path):
    sweep = tmp_path / "zero.yaml"
    sweep.write_text(f"scenario: {os.path.join(data_dir, 'small-flood.yaml')}\n"
                     "parameters:\n  - {path: 'populations[name=bots].clients', values: [0]}\n")
    proc = cli([str(sweep), "--out", str(tmp_path / "out"), "--backend", "cli", "--quiet"],
               ctplab_bin)
    assert proc.returncode == 1
    assert "p000-r0 (bots.clients=0; seed" in proc.stderr
    assert "p000-r0.yaml:29:14: error: populations[0].clients" in proc.stderr


def test_package_dir_is_importable():
    assert os.path.isdir(os.path.join(REPORTS_DIR, "ctplab_reports"))
