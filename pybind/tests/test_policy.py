"""ctplab.translate: statuses, IR and the CLI's YAML for manifests from the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import ctplab
from cli_binary import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "scenarios" / "examples" / "gateway-with-policies.yaml"
NOW = "2026-06-01T00:00:00Z"



@pytest.fixture(scope="module")
def example() -> ctplab.Translation:
    return ctplab.translate(EXAMPLE, now=NOW)


def condition(status: dict, kind: str) -> dict:
    (ancestor,) = status["ancestors"]
    return next(c for c in ancestor["conditions"] if c["type"] == kind)


def test_statuses_of_the_example_bundle(example: ctplab.Translation) -> None:
    names = [(s["kind"], s["namespace"], s["name"]) for s in example.statuses]
    assert sorted(names) == [("ClientTrafficPolicy", "shop", n)
                             for n in ("edge-defaults", "https-strict", "too-big-buffer")]
    accepted = condition(example.status("shop/edge-defaults"), "Accepted")
    assert accepted["status"] == "True"
    assert accepted["reason"] == "Accepted"
    assert accepted["message"] == "Policy has been accepted."
    ref = example.status("edge-defaults", "shop")["ancestors"][0]["ancestorRef"]
    assert ref == {"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "shop",
                   "name": "edge"}


def test_invalid_policy_has_its_status(example: ctplab.Translation) -> None:
    invalid = example.status("shop/too-big-buffer")
    accepted = condition(invalid, "Accepted")
    assert (accepted["status"], accepted["reason"]) == ("False", "Invalid")
    assert accepted["message"].startswith(
        "ClientTrafficPolicy is being applied to multiple http (non https) listeners")
    assert invalid["ancestors"][0]["ancestorRef"]["sectionName"] == "http-api"
    assert not example.accepted
    assert "Gateway shop/edge section http-api: Invalid" in example.report


def test_statuses_match_the_printed_tree(example: ctplab.Translation) -> None:
    printed = {p["metadata"]["name"]: p["status"]["ancestors"]
               for p in example.tree["clientTrafficPolicies"]}
    for status in example.statuses:
        for ours, theirs in zip(status["ancestors"], printed[status["name"]]):
            assert ours["ancestorRef"] == theirs["ancestorRef"]
            for a, b in zip(ours["conditions"], theirs["conditions"]):
                assert {k: a[k] for k in ("type", "status", "reason", "message")} == \
                    {k: b[k] for k in ("type", "status", "reason", "message")}


def test_ir_values(example: ctplab.Translation) -> None:
    listeners = {l["metadata"]["sectionName"]: l for l in example.ir["shop/edge"]["http"]}
    www = listeners["http-www"]
    assert www["connection"]["limit"] == {"value": 1000, "closeDelay": "10s"}
    assert www["timeout"]["http"]["requestReceivedTimeout"] == "5s"
    assert www["clientIPDetection"]["xForwardedFor"]["numTrustedHops"] == 1
    https = listeners["https"]
    assert https["tls"]["minVersion"] == "1.3"
    assert https["tls"]["alpnProtocols"] == ["h2", "http/1.1"]
    assert https["port"] == 10443
    assert example.infra_ir["shop/edge"]["proxy"]["name"] == "shop/edge"


def test_yaml_is_the_cli_output(example: ctplab.Translation) -> None:
    assert example.yaml.startswith("clientTrafficPolicies:\n")
    run = subprocess.run([cli(), "translate", "--now", NOW, EXAMPLE], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert example.yaml == run.stdout
    assert example.warnings == run.stderr.splitlines()


def test_text_and_file_translate_alike(example: ctplab.Translation) -> None:
    from_text = ctplab.translate(EXAMPLE.read_text(), now=NOW)
    assert from_text.yaml == example.yaml


def test_enforced_admission_rejects_what_the_api_server_would() -> None:
    bad = EXAMPLE.read_text().replace("numTrustedHops: 1", "numTrustedHops: 1\n    "
                                      "customHeader: {name: X-Real-IP}")
    t = ctplab.translate(bad, now=NOW, enforce_admission=True)
    status = t.status("shop/edge-defaults")
    assert status["rejected"] and status["admissionErrors"]


BAD_POLICY = """\
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata:
  name: typo
  namespace: shop
spec:
  targetRefs:
  - {group: gateway.networking.k8s.io, kind: Gateway, name: edge}
  connection:
    bufferLimt: 1Mi
"""


def test_bad_yaml_names_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(ctplab.PolicyError) as raised:
        ctplab.translate(BAD_POLICY, now=NOW)
    message = str(raised.value)
    assert re.fullmatch(r'<string>:10:5: error: ClientTrafficPolicy shop/typo: '
                        r'spec\.connection\.bufferLimt: .*', message), message
    assert isinstance(raised.value, ctplab.Error) and isinstance(raised.value, ValueError)
    (d,) = [d for d in raised.value.diagnostics if d.severity == "error"]
    assert (d.file, d.line, d.column) == ("<string>", 10, 5)
    assert d.field == "ClientTrafficPolicy shop/typo: spec.connection.bufferLimt"

    # From a file the message is the line `ctplab translate` prints.
    path = tmp_path / "typo.yaml"
    path.write_text(BAD_POLICY)
    with pytest.raises(ctplab.PolicyError) as from_file:
        ctplab.translate(path, now=NOW)
    assert str(from_file.value) == message.replace("<string>", str(path))
    run = subprocess.run([cli(), "translate", "--now", NOW, path], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 2
    assert str(from_file.value) in run.stderr.splitlines()


def test_missing_file_and_bad_arguments(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ctplab.PolicyError, match=re.escape(f"{missing}: error: cannot open file")):
        ctplab.translate(str(missing))
    with pytest.raises(TypeError):
        ctplab.translate()
    with pytest.raises(ValueError, match="RFC 3339"):
        ctplab.translate(EXAMPLE, now="yesterday")
