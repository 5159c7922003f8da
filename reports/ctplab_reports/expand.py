"""Sweep expansion: points (grid or zip), replications, and their seeds.

A **point** is one assignment of a value to every parameter; a **run** is one replication of
a point with its own seed. Seeds come from SHA-256 over the sweep's base seed, the point's
parameter values and the replication number (never Python's ``hash()``), so they are the same
on every machine and Python version, and a point keeps its seeds when values are added to or
removed from the sweep.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import shlex
from dataclasses import dataclass
from typing import Any

from .sweep_spec import SweepSpec

SEED_BITS = 53  # seeds stay exact in any JSON reader (IEEE doubles)


@dataclass(frozen=True)
class Point:
    """One assignment of values to the parameters."""

    index: int
    id: str                          # "p000", "p001", …
    values: tuple[tuple[str, Any], ...]  # (parameter name, value), in parameter order

    def value(self, name: str) -> Any:
        return dict(self.values)[name]

    @property
    def label(self) -> str:
        return ", ".join(f"{n}={format_value(v)}" for n, v in self.values)


@dataclass(frozen=True)
class Run:
    """One replication of a point."""

    point: Point
    replication: int
    seed: int
    scenario_text: str  # the point's scenario (file paths as in the original scenario)

    @property
    def id(self) -> str:
        return f"{self.point.id}-r{self.replication}"

    @property
    def command(self) -> str:
        """The ``ctplab simulate`` command that re-runs this run from the report directory."""
        return " ".join(["ctplab", "simulate", shlex.quote(f"points/{self.point.id}.yaml"),
                         "--seed", str(self.seed), "--json", shlex.quote(f"points/{self.id}.json")])


def format_value(value: Any) -> str:
    """A compact label for a parameter value."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return format(value, ".12g")
    if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


def point_key(values: tuple[tuple[str, Any], ...], paths: dict[str, str]) -> str:
    """The canonical text a point's seeds are derived from: its paths and values."""
    return json.dumps([[paths[name], value] for name, value in values], sort_keys=True,
                      separators=(",", ":"), ensure_ascii=True)


def derive_seed(base_seed: int, key: str, replication: int) -> int:
    """The seed of replication ``replication`` of the point with canonical ``key``."""
    material = f"ctplab-sweep-seed/1\n{base_seed}\n{key}\n{replication}".encode("utf-8")
    digest = hashlib.sha256(material).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)


def expand_points(spec: SweepSpec) -> list[Point]:
    """Every point: the cartesian product (grid) or the values paired in order (zip).

    In a grid the first parameter varies slowest.
    """
    names = [p.name for p in spec.parameters]
    if spec.grid:
        combos = itertools.product(*(p.values for p in spec.parameters))
    else:
        combos = zip(*(p.values for p in spec.parameters))
    return [Point(i, f"p{i:03d}", tuple(zip(names, combo))) for i, combo in enumerate(combos)]


def scenario_for(spec: SweepSpec, point: Point) -> str:
    """The point's scenario text: the fixed settings, then the point's values."""
    assignments = [(f.path, f.value, f.create) for f in spec.fixed]
    for param in spec.parameters:
        assignments.append((param.path, point.value(param.name), param.create))
    return spec.document.apply(assignments)


def expand_runs(spec: SweepSpec, points: list[Point] | None = None) -> list[Run]:
    """Every run, point by point, replications in order."""
    points = expand_points(spec) if points is None else points
    paths = {p.name: p.path for p in spec.parameters}
    runs: list[Run] = []
    for point in points:
        text = scenario_for(spec, point)
        key = "" if spec.seed_mode == "common" else point_key(point.values, paths)
        for rep in range(spec.replications):
            runs.append(Run(point, rep, derive_seed(spec.seed, key, rep), text))
    return runs
