"""Running one point: the executable, the module adapter, errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import types

import pytest

from ctplab_reports.errors import RunError
from ctplab_reports.runner import find_binary, run_point


@pytest.fixture(scope="module")
def flood(data_dir):
    path = os.path.join(data_dir, "small-flood.yaml")
    with open(path, encoding="utf-8") as fh:
        return path, fh.read()


def test_cli_backend_matches_ctplab_simulate(ctplab_bin, flood, tmp_path):
    path, text = flood
    out = tmp_path / "direct.json"
    subprocess.run([ctplab_bin, "simulate", path, "--seed", "11", "--json", str(out), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    got = run_point(text, os.path.dirname(path), 11, backend="cli", binary=ctplab_bin)
    assert got == json.loads(out.read_text())
    assert got["seed"] == 11 and [p["name"] for p in got["populations"]] == ["bots", "legit"]


def test_invalid_point_names_its_label_and_line(ctplab_bin, flood):
    path, text = flood
    bad = text.replace("clients: 400", "clients: 0")
    with pytest.raises(RunError) as info:
        run_point(bad, os.path.dirname(path), 1, backend="cli", binary=ctplab_bin,
                  label="p007-r0.yaml")
    message = str(info.value)
    assert message.startswith("p007-r0.yaml:29:14: error: populations[0].clients")  # its line
    assert "clients" in message and "ctplab-point-" not in message


def test_module_adapter(ctplab_bin, flood, monkeypatch):
    """The module backend, against a stand-in for the ctplab module built on the executable."""
    path, text = flood
    calls = []

    class Scenario:
        def __init__(self, text, base_dir):
            self.text, self.base_dir = text, base_dir

        @classmethod
        def from_yaml(cls, source, *, base_dir=None, label="<string>"):
            calls.append(label)
            return cls(source, base_dir)

    def simulate(scenario, *, seed=None):
        data = run_point(scenario.text, scenario.base_dir, seed, backend="cli",
                         binary=ctplab_bin)
        return types.SimpleNamespace(json=json.dumps(data))

    fake = types.ModuleType("ctplab")
    fake.Scenario, fake.simulate = Scenario, simulate
    monkeypatch.setitem(sys.modules, "ctplab", fake)
    got = run_point(text, os.path.dirname(path), 5, backend="module", label="p1.yaml")
    assert calls == ["p1.yaml"]
    assert got == run_point(text, os.path.dirname(path), 5, backend="cli", binary=ctplab_bin)


def test_missing_binary(monkeypatch, tmp_path):
    monkeypatch.setenv("CTPLAB_BIN", str(tmp_path / "nope"))
    with pytest.raises(RunError, match="not found"):
        find_binary()
    with pytest.raises(ValueError):
        run_point("name: x", ".", 1, backend="grpc")


def test_real_module_matches_cli_when_built(ctplab_bin, flood):
    """With the ctplab Python module on the path, both backends give the same result."""
    from ctplab_reports.runner import module_available
    if not module_available():
        pytest.skip("the ctplab Python module is not importable (PYTHONPATH=<build>/python)")
    path, text = flood
    base = os.path.dirname(path)
    assert run_point(text, base, 9, backend="module") == \
        run_point(text, base, 9, backend="cli", binary=ctplab_bin)
