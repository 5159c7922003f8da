"""ctplab.Scenario: loading from files, YAML text and dicts, with the loader's errors."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

import ctplab
from cli_binary import cli

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
CTP = """\
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata: {name: limit, namespace: shop}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: edge}]
  connection: {connectionLimit: {value: 3}}
"""



def scenario_dict(**overrides: object) -> dict:
    d = {
        "name": "from-dict",
        "seed": 7,
        "duration": dt.timedelta(seconds=5),
        "resources": [{"file": SCENARIOS / "resources" / "shared-http-port.yaml"},
                      {"inline": CTP}],
        "populations": [{
            "name": "users",
            "clients": 20,
            "arrival": {"process": "poisson", "rate": "10/s"},
            "target": {"port": 80, "host": "www.example.com"},
            "behavior": {"kind": "requests", "requestsPerConnection": 2,
                         "thinkTime": {"distribution": "exponential", "mean": "50ms"}},
        }],
    }
    d.update(overrides)
    return d


def test_from_yaml_file() -> None:
    s = ctplab.Scenario.from_yaml(SCENARIOS / "flood" / "limit-exact-counts.yaml")
    assert s.name == "limit-exact-counts"
    assert s.populations == ["www-holders", "api-holders"]
    assert s.duration == 30.0 and s.seed == 1
    assert s.to_yaml() == (SCENARIOS / "flood" / "limit-exact-counts.yaml").read_text()
    # A path given as a string is a path too.
    assert ctplab.Scenario.from_yaml(str(SCENARIOS / "flood" / "limit-exact-counts.yaml")).name \
        == s.name


def test_from_yaml_text_resolves_resources_against_base_dir() -> None:
    text = (SCENARIOS / "flood" / "limit-exact-counts.yaml").read_text()
    s = ctplab.Scenario.from_yaml(text, base_dir=SCENARIOS / "flood")
    status = s.translate().status("shop/limit")
    assert status["ancestors"][0]["conditions"][0]["reason"] == "Accepted"


def test_from_dict_round_trip() -> None:
    s = ctplab.Scenario.from_dict(scenario_dict())
    assert (s.name, s.seed, s.duration, s.populations) == ("from-dict", 7, 5.0, ["users"])
    assert "duration: 5000000us" in s.to_yaml()
    again = ctplab.Scenario.from_yaml(s.to_yaml())
    assert again.to_yaml() == s.to_yaml()
    assert s.file == "<dict>"


def test_unknown_field_in_dict_is_the_loaders_error() -> None:
    d = scenario_dict()
    d["populations"][0]["behavior"]["requestTimout"] = "1s"
    with pytest.raises(ctplab.ScenarioError) as raised:
        ctplab.Scenario.from_dict(d)
    message = str(raised.value)
    assert re.fullmatch(r'<dict>:\d+:\d+: error: populations\[0\]\.behavior\.requestTimout: '
                        r'unknown field "requestTimout"; did you mean "requestTimeout"\?',
                        message), message
    (error,) = [x for x in raised.value.diagnostics if x.severity == "error"]
    assert error.line > 0 and error.field == "populations[0].behavior.requestTimout"
    # The line is that of the YAML text the dict was written as.
    text = ctplab._ctplab.to_yaml(d)
    assert text.splitlines()[error.line - 1].strip().startswith("requestTimout:")


def test_scenario_error_is_what_the_cli_prints(tmp_path: Path) -> None:
    text = (SCENARIOS / "flood" / "limit-exact-counts.yaml").read_text()
    path = tmp_path / "flood.yaml"
    path.write_text(text.replace("holdFor: 20s", "holdFor: 20s, requestTimout: 1s", 1)
                    .replace("../resources/", str(SCENARIOS / "resources") + "/"))
    with pytest.raises(ctplab.ScenarioError) as raised:
        ctplab.Scenario.from_yaml(path)
    assert str(raised.value).startswith(f"{path}:")
    run = subprocess.run([cli(), "simulate", path], capture_output=True, text=True, check=False)
    assert run.returncode == 2
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert str(raised.value).splitlines() == errors


def test_values_without_yaml_spelling_are_type_errors() -> None:
    with pytest.raises(TypeError, match=r"populations\[0\]\.clients"):
        ctplab.Scenario.from_dict(scenario_dict(populations=[{"name": "x", "clients": {1, 2}}]))
    with pytest.raises(TypeError):
        ctplab.Scenario.from_dict(["not", "a", "mapping"])  # type: ignore[arg-type]


def test_missing_required_field() -> None:
    d = scenario_dict()
    del d["populations"]
    with pytest.raises(ctplab.ScenarioError, match=r"<dict>.*populations"):
        ctplab.Scenario.from_dict(d)


def test_dict_scenario_runs_with_its_inline_policy() -> None:
    d = scenario_dict()
    d["populations"][0]["behavior"]["holdFor"] = "1s"  # unused by `requests`: a warning
    s = ctplab.Scenario.from_dict(d)
    (warning,) = s.diagnostics
    assert warning.severity == "warning" and warning.field.endswith("holdFor")
    assert s.translate().status("shop/limit")["ancestors"][0]["conditions"][0]["status"] == "True"
    result = ctplab.simulate(s)
    users = result.populations["users"]
    assert users["clients"] == 20 and users["requests"]["sent"] > 0
