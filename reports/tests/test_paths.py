"""Field paths: parsing, get/set on lists and selectors, manifests, and writing back."""
from __future__ import annotations

import os

import pytest

from ctplab_reports import yamlio
from ctplab_reports.paths import (Index, Key, PathError, ScenarioDocument, Select, default_name,
                                  format_path, parse_path, relocate_files)

SCENARIO = """\
name: t   # a comment that must survive
now: 2026-06-01T00:00:00Z
duration: 10s
resources:
  - file: ../resources/gw.yaml
  - inline: |
      apiVersion: gateway.envoyproxy.io/v1alpha1
      kind: ClientTrafficPolicy
      metadata: {name: limit, namespace: shop}
      spec:
        connection:
          connectionLimit:
            value: 100   # the limit
      ---
      apiVersion: gateway.envoyproxy.io/v1alpha1
      kind: ClientTrafficPolicy
      metadata: {name: other, namespace: shop}
      spec: {timeout: {http: {idleTimeout: 5s}}}
network: {latency: 10ms, jitter: 2ms}
populations:
  - name: bots
    clients: 500
    arrival: {process: burst, at: 1s}
  - name: legit
    clients: 20
    tls: {minVersion: "1.2"}
"""


@pytest.fixture()
def doc(tmp_path) -> ScenarioDocument:
    return ScenarioDocument(SCENARIO, str(tmp_path), "t.yaml")


def test_parse_path_segments():
    assert parse_path("populations[name=bots].clients") == (
        Key("populations"), Select(((("name",), "bots"),)), Key("clients"))
    assert parse_path("a[2][kind=X,metadata.name=y].b") == (
        Key("a"), Index(2), Select(((("kind",), "X"), (("metadata", "name"), "y"))), Key("b"))
    text = "resources[1].inline[kind=ClientTrafficPolicy,name=limit].spec.connection"
    assert format_path(parse_path(text)) == text


@pytest.mark.parametrize("bad", ["", "a..b", "a.", "a[", "a[]", "a[x]", ".a", "a b"])
def test_parse_path_rejects(bad):
    with pytest.raises(PathError):
        parse_path(bad)


def test_default_names():
    assert default_name(parse_path("populations[name=bots].clients")) == "bots.clients"
    assert default_name(parse_path(
        "resources[1].inline[kind=ClientTrafficPolicy].spec.connection.connectionLimit.value"
    )) == "connectionLimit.value"
    assert default_name(parse_path("duration")) == "duration"


def test_get_through_lists_selectors_and_manifests(doc):
    assert doc.get("populations[1].clients") == 20
    assert doc.get("populations[name=bots].arrival.at") == "1s"
    assert doc.get("resources[1].inline[name=limit].spec.connection.connectionLimit.value") == 100
    assert doc.get("resources[1].inline[1].spec.timeout.http.idleTimeout") == "5s"
    assert doc.get("resources[1].inline[metadata.name=other].kind") == "ClientTrafficPolicy"
    assert doc.get("now") == "2026-06-01T00:00:00Z"  # not a datetime


def test_set_scalars_keeps_the_text(doc):
    text = doc.apply([("populations[name=bots].clients", 2000, False),
                      ("resources[1].inline[name=limit].spec.connection.connectionLimit.value",
                       750, False),
                      ("network.latency", "25ms", False)])
    expected = (SCENARIO.replace("clients: 500", "clients: 2000")
                .replace("value: 100", "value: 750").replace("latency: 10ms", "latency: 25ms"))
    assert text == expected  # comments, layout and line numbers kept


def test_set_quotes_what_needs_quoting(doc):
    text = doc.apply([("populations[name=legit].tls.minVersion", "1.3", False)])
    assert 'minVersion: "1.3"' in text
    assert yamlio.load(text)["populations"][1]["tls"]["minVersion"] == "1.3"


def test_set_whole_mapping_rewrites_the_document(doc):
    text = doc.apply([("populations[0].arrival", {"process": "constant", "rate": "10/s"},
                       False)])
    tree = yamlio.load(text)
    assert tree["populations"][0]["arrival"] == {"process": "constant", "rate": "10/s"}
    assert tree["now"] == "2026-06-01T00:00:00Z"
    docs = yamlio.load_all(tree["resources"][1]["inline"])
    assert docs[0]["spec"]["connection"]["connectionLimit"]["value"] == 100


def test_create_adds_a_field_only_when_asked(doc):
    with pytest.raises(PathError, match=r'no field "loss" in network.*create: true'):
        doc.check("network.loss")
    text = doc.apply([("network.loss", 0.01, True), ("host.acceptCost", "1ms", True)])
    tree = yamlio.load(text)
    assert tree["network"]["loss"] == 0.01 and tree["host"] == {"acceptCost": "1ms"}


@pytest.mark.parametrize("path, message", [
    ("populations[name=bot].clients", r"no item of populations matches \[name=bot\]"),
    ("populations[0].clientz", r'no field "clientz".*did you mean "clients"'),
    ("populations[7].clients", r"has 2 item\(s\), no \[7\]"),
    ("populations.clients", r"populations is a list"),
    ("duration.x", r"duration is a scalar"),
    ("resources[1].inline[kind=ClientTrafficPolicy].spec", r"2 items .* match"),
    ("resources[0].file[kind=Gateway].spec", r"cannot read resource file"),
])
def test_unknown_paths_say_why(doc, path, message):
    with pytest.raises(PathError, match=message):
        doc.check(path)


def test_file_resource_becomes_inline(tmp_path):
    res = tmp_path / "resources"
    res.mkdir()
    (res / "gw.yaml").write_text("kind: Gateway\nmetadata: {name: edge}\nspec:\n"
                                 "  listeners:\n  - {name: http, port: 80}\n")
    scen = tmp_path / "scen"
    scen.mkdir()
    doc = ScenarioDocument(SCENARIO, str(scen), "t.yaml")
    text = doc.apply([("resources[0].file[name=edge].spec.listeners[name=http].port", 8080,
                       False)])
    entry = yamlio.load(text)["resources"][0]
    assert list(entry) == ["inline"]
    assert yamlio.load_all(entry["inline"])[0]["spec"]["listeners"][0]["port"] == 8080


def test_relocate_files_keeps_lines(tmp_path):
    base = str(tmp_path / "a" / "b")
    moved = relocate_files(SCENARIO, base)
    assert moved.count("\n") == SCENARIO.count("\n")
    assert yamlio.load(moved)["resources"][0]["file"] == os.path.join(str(tmp_path), "a",
                                                                      "resources", "gw.yaml")
    rel = relocate_files(SCENARIO, base, str(tmp_path / "out" / "points"))
    assert yamlio.load(rel)["resources"][0]["file"] == "../../a/resources/gw.yaml"
