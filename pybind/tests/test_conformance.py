"""ctplab.conformance: listing and running cases in simulation, as `ctplab conformance` does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import ctplab
from cli_binary import cli

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "conformance" / "cases"
CHOSEN = [
    "CL-1",
    "connection-limit-https-listeners-count-separately",
    "PolicyConflictTwoGatewayWidePolicies",
]



def test_list_cases() -> None:
    cases = ctplab.conformance.list_cases(CASES)
    assert len(cases) == len(list(CASES.glob("*.yaml")))
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names)
    cl1 = next(c for c in cases if c["id"] == "CL-1")
    assert cl1["name"] == "ConnectionLimitClosesConnectionsOverLimit"
    assert cl1["features"] == ["ConnectionLimit"] and "sim" in cl1["modes"]
    limited = ctplab.conformance.list_cases(CASES, features="+ConnectionLimit,-Floods")
    assert limited and all("ConnectionLimit" in c["features"] and "Floods" not in c["features"]
                           for c in limited)
    assert "ConnectionLimit" in ctplab.conformance.known_features()


def test_run_three_cases_in_simulation() -> None:
    result = ctplab.conformance.run(CHOSEN, paths=CASES, date="2026-06-01T00:00:00Z")
    assert (result["passed"], result["failed"], result["skipped"]) == (3, 0, 0)
    assert [c["outcome"] for c in result["cases"]] == ["passed"] * 3
    assert result["cases"][0]["id"] == "CL-1"
    report = result["report"]
    assert report["kind"] == "ConformanceReport" and report["mode"] == "sim"
    assert report["date"] == "2026-06-01T00:00:00Z"
    assert report["statistics"] == {"Passed": 3, "Failed": 0, "Skipped": 0}
    assert "3 passed, 0 failed, 0 skipped" in result["summary"]
    assert result["junit"].startswith("<?xml")


def test_report_matches_the_cli(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    files = [CASES / "connection-limit-closes-connections-over-limit.yaml",
             CASES / "policy-conflict-two-gateway-wide-policies.yaml"]
    result = ctplab.conformance.run(paths=files)
    report = tmp_path / "report.yaml"
    run = subprocess.run([cli(), "conformance", *files, "--report", report], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    expected = yaml.safe_load(report.read_text())
    expected["date"] = result["report"]["date"]
    assert result["report"] == expected
    assert result["summary"] == run.stdout


def test_a_planted_fault_is_noticed() -> None:
    result = ctplab.conformance.run("CL-1", paths=CASES,
                                    plant_faults=["connection-limit-off-by-one"])
    assert result["failed"] == 1
    (case,) = result["cases"]
    assert case["outcome"] == "failed" and case["failures"]
    failure = case["failures"][0]
    assert failure["file"].endswith("connection-limit-closes-connections-over-limit.yaml")
    assert failure["line"] > 0 and failure["expected"] != failure["observed"]


def test_refusals() -> None:
    with pytest.raises(ctplab.ConformanceError, match="no conformance case named"):
        ctplab.conformance.run("NoSuchCase", paths=CASES)
    with pytest.raises(ctplab.ConformanceError, match='unknown feature "Nope"'):
        ctplab.conformance.list_cases(CASES, features="+Nope")
    with pytest.raises(ctplab.ConformanceError, match="unknown mode"):
        ctplab.conformance.run("CL-1", paths=CASES, mode="fast")
    with pytest.raises(ctplab.ConformanceError, match="use mode sim"):
        ctplab.conformance.run("CL-1", paths=CASES, mode="live",
                               plant_faults=["ignore-close-delay"])


def test_broken_case_names_file_and_line(tmp_path: Path) -> None:
    text = (CASES / "connection-limit-closes-connections-over-limit.yaml").read_text()
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("features: [ConnectionLimit]", "features: [ConnectionLimitt]")
                      .replace("file: resources/", f"file: {CASES}/resources/"))
    with pytest.raises(ctplab.ConformanceError) as raised:
        ctplab.conformance.list_cases(broken)
    assert str(raised.value).startswith(f"{broken}:")
    assert 'unknown feature "ConnectionLimitt"' in str(raised.value)
