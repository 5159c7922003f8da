"""Sweep files: parsing, validation, errors with file:line."""
from __future__ import annotations

import os
import textwrap

import pytest

from ctplab_reports.errors import SweepError
from ctplab_reports.sweep_spec import load_sweep, numeric_values, parse_duration


def write_sweep(tmp_path, data_dir, body: str, scenario: str | None = "small-flood.yaml"):
    head = f"scenario: {os.path.join(data_dir, scenario)}\n" if scenario else ""
    path = tmp_path / "sweep.yaml"
    path.write_text(head + textwrap.dedent(body))
    return str(path)


def error_of(path: str) -> SweepError:
    with pytest.raises(SweepError) as info:
        load_sweep(path)
    return info.value


def test_the_test_sweep_loads(data_dir):
    spec = load_sweep(os.path.join(data_dir, "flood-sweep.yaml"))
    assert [p.name for p in spec.parameters] == ["connection limit", "bots"]
    assert spec.parameters[0].values == [150, 600]
    assert spec.grid and spec.replications == 2 and spec.seed == 7
    assert spec.slo.population == "legit" and spec.slo.latency_ms_max == {"p99": 200.0}
    assert spec.populations == ["bots", "legit"]
    assert spec.fixed[0].path == "duration" and spec.fixed[0].value == "8s"


def test_unknown_path_names_file_line_and_path(tmp_path, data_dir):
    path = write_sweep(tmp_path, data_dir, """\
        parameters:
          - values: [1, 2]
            path: populations[name=bot].clients
        """)
    err = error_of(path)
    assert (err.file, err.line, err.column) == (path, 4, 11)
    assert str(err).startswith(f"{path}:4:11: error: parameters[0]: unknown path "
                               '"populations[name=bot].clients"')
    assert "name=bots" in str(err)  # lists what there is


def test_unknown_field_in_path(tmp_path, data_dir):
    path = write_sweep(tmp_path, data_dir, """\
        parameters:
          - {path: "network.latencyy", values: [1ms]}
        """)
    err = error_of(path)
    assert err.line == 3 and 'did you mean "latency"' in str(err)


def test_missing_scenario_field(tmp_path, data_dir):
    path = write_sweep(tmp_path, data_dir, "parameters: []\n", scenario=None)
    err = error_of(path)
    assert 'missing required field "scenario"' in str(err) and err.line == 1


def test_scenario_file_not_found(tmp_path, data_dir):
    path = write_sweep(tmp_path, data_dir, "parameters: [{path: duration, values: [1s]}]\n",
                       scenario="nope.yaml")
    err = error_of(path)
    assert err.line == 1 and "nope.yaml: cannot read it" in str(err)


@pytest.mark.parametrize("rng, message", [
    ("{from: 10, to: 100, steps: 1}", "steps must be at least 2"),
    ("{from: 0, to: 100, steps: 3, scale: log}", "log scale needs from and to > 0"),
    ("{from: 10, to: 10, steps: 3}", "from and to are equal"),
    ("{from: 10, to: 100, steps: 3, scale: cubic}", "scale must be linear or log"),
    ("{from: 10, steps: 3}", 'missing required field "to"'),
    ("{from: 1, to: 3, steps: 5}", "repeated values"),
    ("{from: 1, to: x, steps: 3}", "range.to must be a number"),
    ("{from: 1, to: 3, steps: 3, step: 1}", 'unknown field "step"; did you mean "steps"'),
])
def test_bad_ranges(tmp_path, data_dir, rng, message):
    path = write_sweep(tmp_path, data_dir, f"""\
        parameters:
          - path: populations[name=bots].clients
            range: {rng}
        """)
    err = error_of(path)
    assert message in str(err) and err.line == 4, str(err)


def test_ranges(tmp_path, data_dir):
    path = write_sweep(tmp_path, data_dir, """\
        parameters:
          - path: "populations[name=bots].clients"
            range: {from: 100, to: 10000, steps: 3, scale: log}
          - {path: "populations[name=legit].clients", range: {from: 10, to: 40, steps: 4}}
          - {path: "network.latency", range: {from: 1.0, to: 2, steps: 3}, unit: ms}
          - {path: "network.jitter", values: [0.5, 2], unit: ms}
          - {path: "duration", values: [1s, 1m30s]}
        """)
    spec = load_sweep(path)
    assert [p.values for p in spec.parameters] == [
        [100, 1000, 10000], [10, 20, 30, 40], ["1ms", "1.5ms", "2ms"], ["0.5ms", "2ms"],
        ["1s", "1m30s"]]
    assert spec.parameters[2].numeric == [1.0, 1.5, 2.0] and spec.parameters[2].axis_unit == "ms"
    assert spec.parameters[4].numeric == [1.0, 90.0] and spec.parameters[4].axis_unit == "s"


@pytest.mark.parametrize("body, message, line", [
    ("parameters:\n  - {path: duration, values: [1s], range: {from: 1, to: 2, steps: 2}}\n",
     "exactly one of values", 3),
    ("parameters:\n  - {path: duration, values: []}\n", "non-empty list", 3),
    ("parameters:\n  - {path: duration, values: [1s, 2s]}\n  - {path: seed, values: [1]}\n"
     "grid: false\n", "as many values", 5),
    ("parameters:\n  - {path: duration, values: [1s]}\nreplications: 0\n", "at least 1", 4),
    ("parameters:\n  - {path: duration, values: [1s]}\nseeds: shared\n", "independent or common",
     4),
    ("parameters:\n  - {path: duration, values: [1s]}\nslo: {population: nobody, p99_ms_max: 1}\n",
     'no population "nobody"', 4),
    ("parameters:\n  - {path: duration, values: [1s]}\nslo: {population: legit}\n",
     "at least one objective", 4),
    ("parameters:\n  - {path: duration, values: [1s]}\nslo: {population: legit, "
     "success_rate_min: 99.9}\n", "between 0 and 1", 4),
    ("parameters:\n  - {path: duration, values: [1s]}\nplots: [sucess_rate]\n",
     'did you mean "success_rate"', 4),
    ("parameters:\n  - {path: duration, values: [1s]}\nreplication: 3\n",
     'did you mean "replications"', 4),
    ("parameters:\n  - {path: duration, values: [1s]}\n  - {path: duration, values: [2s]}\n",
     "already swept", 4),
    ("parameters:\n  - {path: duration, values: [1s]}\nset: {duration: 2s}\n",
     "also a swept parameter", 4),
    ("parameters:\n  - {path: duration, values: [1s]}\nset: {network.bogus: 1}\n",
     'no field "bogus"', 4),
    ("parameters: [\n", "not valid YAML", None),
])
def test_spec_errors(tmp_path, data_dir, body, message, line):
    err = error_of(write_sweep(tmp_path, data_dir, body))
    assert message in str(err), str(err)
    if line is not None:
        assert err.line == line, str(err)


def test_value_parsing():
    assert parse_duration("1m30s") == 90.0 and parse_duration("250ms") == 0.25
    assert parse_duration("0") == 0.0 and parse_duration("fast") is None
    assert numeric_values(["100/s", "30/min"]) == ([100.0, 0.5], "/s")
    assert numeric_values(["a", "b"]) == (None, "")
