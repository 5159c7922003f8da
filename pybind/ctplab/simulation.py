"""Scenarios and simulation runs: client populations replayed against a Gateway in virtual time."""

from __future__ import annotations

import json
import os
from functools import cached_property
from typing import Any, Iterable, Mapping, NamedTuple, Optional

import numpy as np

from . import _ctplab
from ._sources import Source, classify
from .errors import Diagnostic
from .policy import Translation

__all__ = ["Histogram", "Scenario", "SimulationResult", "simulate"]


class Scenario:
    """A scenario as the simulator's loader read it (format: ``scenarios/README.md``).

    Create one with :meth:`from_yaml` or :meth:`from_dict`. A Scenario is immutable; runs may
    share it between threads.
    """

    def __init__(self, data: "_ctplab.ScenarioData", text: str) -> None:
        self._data = data
        self._text = text

    @classmethod
    def from_yaml(cls, source: Source, *, base_dir: Optional[str] = None,
                  label: str = "<string>") -> "Scenario":
        """Loads a scenario file, or scenario YAML text.

        Args:
            source: a path (read exactly as ``ctplab simulate`` reads it: resource files relative
                to its directory) or the YAML text itself.
            base_dir: for text, the directory resource ``file:`` entries are relative to (the
                current directory by default).
            label: for text, its name in diagnostics.

        Raises:
            ScenarioError: the loader's diagnostics, ``file:line:column: error: field: message``.
        """
        is_path, value = classify(source)
        if is_path:
            data = _ctplab.load_scenario_file(value)
            with open(value, encoding="utf-8", errors="replace") as f:
                return cls(data, f.read())
        base = os.fspath(base_dir) if base_dir is not None else ""
        return cls(_ctplab.load_scenario_text(value, label, base), value)

    @classmethod
    def from_dict(cls, scenario: Mapping[str, Any], *, base_dir: Optional[str] = None,
                  label: str = "<dict>") -> "Scenario":
        """Builds a scenario from a dict shaped like the YAML file.

        The dict is written as YAML (keys sorted; ``datetime.timedelta`` values become durations,
        ``os.PathLike`` values strings) and read by the same loader as files, so every mistake
        is reported as the loader reports it, with lines of :meth:`to_yaml`'s text.

        Raises:
            ScenarioError: the loader's diagnostics.
            TypeError: a value that has no YAML spelling.
        """
        if not isinstance(scenario, Mapping):
            raise TypeError(f"expected a mapping, got {type(scenario).__name__}")
        text = _ctplab.to_yaml(scenario)
        base = os.fspath(base_dir) if base_dir is not None else ""
        return cls(_ctplab.load_scenario_text(text, label, base), text)

    def to_yaml(self) -> str:
        """The scenario's YAML text: the file as read, or what :meth:`from_dict` wrote."""
        return self._text

    @property
    def name(self) -> str:
        return self._data.name

    @property
    def description(self) -> str:
        return self._data.description

    @property
    def file(self) -> str:
        """The path it was loaded from, or the label of its text."""
        return self._data.file

    @property
    def seed(self) -> int:
        return self._data.seed

    @property
    def duration(self) -> float:
        """Virtual time simulated, in seconds."""
        return self._data.duration_s

    @property
    def populations(self) -> list[str]:
        """Population names, in declaration order."""
        return list(self._data.population_names)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The loader's warnings (settings that are legal but probably not meant)."""
        return self._data.diagnostics()

    def translate(self) -> Translation:
        """Loads and translates the scenario's resources as a run does (admission enforced
        unless the scenario sets ``enforceAdmission: false``; certificates judged at its
        ``now``). Raises :class:`ctplab.PolicyError`."""
        return Translation(self._data.translate())

    def __repr__(self) -> str:
        return f"<Scenario {self.name!r}: {len(self.populations)} populations, {self.duration:g} s>"


class Histogram(NamedTuple):
    """A population's latency distribution: one entry per non-empty bucket, in increasing
    order; every latency in [``low_ms``, ``high_ms``] shares a bucket (relative error < 0.1%)."""

    low_ms: np.ndarray
    high_ms: np.ndarray
    count: np.ndarray


class SimulationResult:
    """What one run observed. :meth:`to_dict` is exactly the JSON ``ctplab simulate --json``
    writes; the other accessors are NumPy views of the same result."""

    def __init__(self, data: "_ctplab.SimulationData") -> None:
        self._data = data

    @cached_property
    def json(self) -> str:
        """The document ``ctplab simulate --json`` writes, byte for byte."""
        return self._data.json()

    def to_dict(self) -> dict[str, Any]:
        """The JSON document as dicts: ``scenario``, ``seed``, ``duration_s``, ``events``,
        ``populations``, ``gateway`` (``stats`` under Envoy's names), ``time_series``,
        ``records``/``backend_requests`` when kept, ``warnings``. A new copy each call."""
        return json.loads(self.json)

    @cached_property
    def _document(self) -> dict[str, Any]:
        # Parsed once for the read-only views below; to_dict() hands out copies.
        return self.to_dict()

    @cached_property
    def populations(self) -> dict[str, dict[str, Any]]:
        """Per population name, its outcomes as in the JSON: ``clients``, ``connections``,
        ``requests`` (``by_status`` keyed by status text), ``latency_ms``, ``decisions``, ..."""
        return {p["name"]: p for p in self._document["populations"]}

    @property
    def gateway_stats(self) -> dict[str, int]:
        """The gateway's counters under Envoy's names."""
        return self._document["gateway"]["stats"]

    @property
    def notes(self) -> list[str]:
        """What ``ctplab simulate`` prints as ``note:`` lines (policies rejected by admission)."""
        return list(self._data.notes)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Warnings from loading the scenario's resources."""
        return self._data.diagnostics()

    @property
    def series_names(self) -> list[str]:
        """Time series names, in the JSON's order (a gauge ``x`` is followed by ``x.max``)."""
        return list(self._data.series_names())

    @property
    def bucket_seconds(self) -> float:
        """The time series' bucket width, in seconds."""
        return self._data.bucket_s

    def time_series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """One series: (bucket start times in seconds from the run's start, float64; values,
        int64). Counters hold the sum per bucket, gauges the value at the bucket's end and
        ``<gauge>.max`` the highest value within it. Raises KeyError for an unknown name."""
        return self._data.time_series(name)

    def latency_histogram(self, population: str) -> Histogram:
        """The population's response latency histogram (from each request's intended start to
        its last response byte, in milliseconds). Raises KeyError for an unknown population."""
        return Histogram(*self._data.latency_histogram(population))

    def latency_percentiles(self, population: str,
                            percentiles: Iterable[float] = (50, 90, 99, 99.9)) -> np.ndarray:
        """Latency at the given percentiles, in milliseconds, as the JSON computes them."""
        values, _ = self._data.latency_percentiles(population, [float(p) for p in percentiles])
        return values

    def records(self) -> dict[str, np.ndarray]:
        """Per-request records as columns (only for runs with ``records=True``):
        ``population`` (names), ``client``, ``connection``, ``request``, ``start_ms``,
        ``end_ms``, ``outcome`` (names), ``status`` (0 without a response), ``decision``
        (names) and ``rule`` (-1 when none). Raises ValueError when the run kept none."""
        columns = self._data.record_columns()
        names = np.asarray(self._data.population_names, dtype=str)
        columns["population"] = names[columns["population"]] if len(names) else names
        columns["outcome"] = np.asarray(_ctplab.RECORD_OUTCOMES, dtype=str)[columns["outcome"]]
        columns["decision"] = np.asarray(_ctplab.RECORD_DECISIONS, dtype=str)[columns["decision"]]
        return columns

    def outcome_table(self) -> tuple[list[str], list[str], np.ndarray]:
        """Per-population outcome counts as a matrix: (population names, column names, uint64
        array of shape (populations, columns)). Columns are the dotted JSON paths of every
        count (``clients``, ``connections.limited``, ``requests.by_status.200``, ``tls.*``, ...),
        the union over populations; a count a population lacks is 0."""
        flat: dict[str, dict[str, int]] = {}
        for name, population in self.populations.items():
            flat[name] = dict(_counts(population, ""))
        columns: list[str] = []
        for counts in flat.values():
            columns.extend(c for c in counts if c not in columns)
        rows = list(flat)
        table = np.zeros((len(rows), len(columns)), dtype=np.uint64)
        for i, name in enumerate(rows):
            for j, column in enumerate(columns):
                table[i, j] = flat[name].get(column, 0)
        return rows, columns, table

    def __repr__(self) -> str:
        d = self._document
        return (f"<SimulationResult {d['scenario']!r} seed={d['seed']}: "
                f"{len(d['populations'])} populations, {d['events']} events>")


def _counts(value: Any, prefix: str) -> Iterable[tuple[str, int]]:
    """The integer leaves of a population's JSON, by dotted path (latency figures excluded)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if prefix == "" and key in ("name", "latency_ms"):
                continue
            yield from _counts(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, int) and not isinstance(value, bool):
        yield prefix, value


def simulate(scenario: Scenario, *, seed: Optional[int] = None, records: Optional[bool] = None,
             backend_requests: Optional[bool] = None, scheduler: str = "ladder",
             event_budget: Optional[int] = None) -> SimulationResult:
    """Runs a scenario as ``ctplab simulate`` does: loads and translates its resources
    (admission enforced unless the scenario says otherwise), picks its Gateway and replays the
    populations in virtual time. The GIL is released while it runs, so other Python threads
    (and other runs) proceed meanwhile. The same scenario and seed always give the same result.

    Args:
        scenario: what to run.
        seed: overrides the scenario's ``seed`` (``--seed``).
        records: True keeps one record per request (``--records``); None keeps the scenario's
            ``outputs.records``.
        backend_requests: True keeps every request as the backend received it; None keeps the
            scenario's ``outputs.backendRequests``.
        scheduler: the event queue: ``"ladder"`` (default), ``"4ary"`` or ``"binary"``; results
            do not depend on it.
        event_budget: the most events the run may process (default two billion).

    Raises:
        PolicyError: the scenario's manifests cannot be loaded.
        ScenarioError: no Gateway to run against, or the run cannot start.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"expected a ctplab.Scenario, got {type(scenario).__name__}")
    if seed is not None and seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return SimulationResult(_ctplab.simulate(scenario._data, seed, records, backend_requests,
                                             scheduler, event_budget))
