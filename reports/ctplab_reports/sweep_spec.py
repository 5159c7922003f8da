"""Reading and validating a sweep file (format: ``reports/README.md``).

Every problem is a :class:`~ctplab_reports.errors.SweepError` naming the sweep file, line and
column of the offending value, like the simulator's own diagnostics.
"""
from __future__ import annotations

import difflib
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import yamlio
from .errors import SweepError
from .paths import PathError, ScenarioDocument, default_name, parse_path

TOP_KEYS = ("title", "description", "scenario", "parameters", "set", "grid", "replications",
            "seed", "seeds", "slo", "recommend", "plots")
PARAMETER_KEYS = ("path", "name", "values", "range", "unit", "create")
RANGE_KEYS = ("from", "to", "steps", "scale", "integer")
LATENCY_KEYS = ("p50", "p90", "p99", "p99.9", "mean", "max")
SLO_KEYS = ("population", "success_rate_min", "basis") + tuple(f"{k}_ms_max" for k in LATENCY_KEYS)
PLOT_KINDS = ("success_rate", "latency", "metric", "active_connections", "time_series",
              "tls_failures", "http3_share")
PLOT_KEYS = ("kind", "title", "population", "x", "by", "percentile", "metric", "series")


@dataclass
class Parameter:
    """One swept field."""

    name: str
    path: str
    values: list[Any]
    numeric: list[float] | None  # the values as numbers, for ordering and axes
    axis_unit: str               # unit of ``numeric`` ("" when none)
    create: bool = False
    line: int = 0


@dataclass
class Fixed:
    """A field set to the same value at every point (``set:``)."""

    path: str
    value: Any
    create: bool = False
    line: int = 0


@dataclass
class Slo:
    """The service-level objective for one population."""

    population: str
    success_rate_min: float | None = None
    latency_ms_max: dict[str, float] = field(default_factory=dict)  # percentile -> ms
    basis: str = "mean"  # "mean" or "ci"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"population": self.population}
        if self.success_rate_min is not None:
            out["success_rate_min"] = self.success_rate_min
        for key, value in self.latency_ms_max.items():
            out[f"{key}_ms_max"] = value
        out["basis"] = self.basis
        return out


@dataclass
class PlotSpec:
    """One requested plot: a kind and its options."""

    kind: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class SweepSpec:
    """A validated sweep."""

    file: str               # the sweep file as named by the user
    text: str               # its text
    title: str
    description: str
    scenario: str           # as written in the sweep file (relative to the sweep file)
    scenario_file: str      # resolved path
    scenario_text: str
    document: ScenarioDocument
    parameters: list[Parameter]
    fixed: list[Fixed]
    grid: bool
    replications: int
    seed: int
    seed_mode: str          # "independent" or "common"
    slo: Slo | None
    recommend_parameter: str
    prefer: str             # "smallest" or "largest"
    plots: list[PlotSpec] | None
    populations: list[str]

    @property
    def scenario_dir(self) -> str:
        return os.path.dirname(os.path.abspath(self.scenario_file))

    def parameter(self, name: str) -> Parameter:
        return next(p for p in self.parameters if p.name == name)


class _Reader:
    """Node access with errors placed at the node."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.loader = yamlio.Loader(text)
        try:
            self.root = self.loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            raise SweepError(f"not valid YAML: {exc.problem}", file,
                             mark.line + 1 if mark else None,
                             mark.column + 1 if mark else None) from exc
        except yaml.YAMLError as exc:
            raise SweepError(f"not valid YAML: {exc}", file) from exc

    def error(self, node: yaml.Node | None, message: str) -> SweepError:
        if node is None:
            return SweepError(message, self.file)
        return SweepError(message, self.file, node.start_mark.line + 1,
                          node.start_mark.column + 1)

    def value(self, node: yaml.Node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]
                ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = self.value(key)
            if not isinstance(name, str):
                raise self.error(key, f"{what}: keys must be strings")
            if name in out:
                raise self.error(key, f'{what}: "{name}" appears twice')
            if name not in allowed:
                hint = difflib.get_close_matches(name, allowed, 1)
                dym = f'; did you mean "{hint[0]}"?' if hint else ""
                raise self.error(key, f'{what}: unknown field "{name}"{dym}')
            out[name] = (key, value)
        return out

    def typed(self, node: yaml.Node, what: str, kind: type | tuple[type, ...],
              kind_name: str) -> Any:
        value = self.value(node)
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.error(node, f"{what} must be {kind_name}, found {value!r}")
        if not isinstance(value, kind):
            raise self.error(node, f"{what} must be {kind_name}, found {_show(value)}")
        return value


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "nothing"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(value)


def load_sweep(path: str) -> SweepSpec:
    """Read, parse and validate the sweep file at ``path``."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise SweepError(f"cannot read the sweep file: {exc.strerror}", path) from exc
    return parse_sweep(text, path, os.path.dirname(os.path.abspath(path)))


def parse_sweep(text: str, file: str = "sweep.yaml", base_dir: str = ".") -> SweepSpec:
    """Parse sweep ``text``; relative paths in it are relative to ``base_dir``."""
    r = _Reader(text, file)
    if r.root is None:
        raise SweepError("the sweep file is empty", file)
    top = r.mapping(r.root, "the sweep", TOP_KEYS)

    def opt(key: str) -> yaml.Node | None:
        return top[key][1] if key in top else None

    # scenario
    if "scenario" not in top:
        raise r.error(r.root, 'missing required field "scenario" (the scenario file to sweep)')
    snode = top["scenario"][1]
    scenario = r.typed(snode, "scenario", str, "a file path")
    scenario_file = scenario if os.path.isabs(scenario) else os.path.join(base_dir, scenario)
    try:
        with open(scenario_file, encoding="utf-8") as fh:
            scenario_text = fh.read()
    except OSError as exc:
        raise r.error(snode, f"scenario {scenario}: cannot read it: {exc.strerror}") from exc
    try:
        document = ScenarioDocument(scenario_text, os.path.dirname(os.path.abspath(scenario_file)),
                                    os.path.basename(scenario_file))
    except PathError as exc:
        raise r.error(snode, f"scenario {scenario}: {exc}") from exc
    populations = [p.get("name") for p in document.tree.get("populations") or []
                   if isinstance(p, dict) and isinstance(p.get("name"), str)]

    title = r.typed(opt("title"), "title", str, "text") if opt("title") else \
        f"Sweep of {document.tree.get('name', os.path.basename(scenario))}"
    description = r.typed(opt("description"), "description", str, "text") \
        if opt("description") else ""

    # parameters
    if "parameters" not in top:
        raise r.error(r.root, 'missing required field "parameters" (the fields to sweep)')
    pnode = top["parameters"][1]
    if not isinstance(pnode, yaml.SequenceNode) or not pnode.value:
        raise r.error(pnode, "parameters must be a non-empty list")
    parameters = [_parameter(r, n, i, document) for i, n in enumerate(pnode.value)]
    seen_paths: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for i, (p, n) in enumerate(zip(parameters, pnode.value)):
        if p.path in seen_paths:
            raise r.error(n, f"parameters[{i}]: path {p.path} is already swept by "
                             f"parameters[{seen_paths[p.path]}]")
        if p.name in seen_names:
            raise r.error(n, f'parameters[{i}]: name "{p.name}" is already used by '
                             f"parameters[{seen_names[p.name]}]; give one a `name:`")
        seen_paths[p.path] = i
        seen_names[p.name] = i

    fixed = _fixed(r, opt("set"), document, set(seen_paths))

    grid = True
    if opt("grid") is not None:
        grid = r.typed(opt("grid"), "grid", bool, "true or false")
    if not grid:
        counts = {len(p.values) for p in parameters}
        if len(counts) > 1:
            raise r.error(opt("grid"), "grid: false pairs the parameters' values in order, so "
                          "every parameter needs as many values; found "
                          + ", ".join(f"{p.name}: {len(p.values)}" for p in parameters))
    replications = 1
    if opt("replications") is not None:
        replications = r.typed(opt("replications"), "replications", int, "an integer")
        if replications < 1:
            raise r.error(opt("replications"), "replications must be at least 1")
    seed = 1
    if opt("seed") is not None:
        seed = r.typed(opt("seed"), "seed", int, "a non-negative integer")
        if not 0 <= seed < 2 ** 64:
            raise r.error(opt("seed"), "seed must be a non-negative 64-bit integer")
    seed_mode = "independent"
    if opt("seeds") is not None:
        seed_mode = r.typed(opt("seeds"), "seeds", str, "independent or common")
        if seed_mode not in ("independent", "common"):
            raise r.error(opt("seeds"), f'seeds must be independent or common, found "{seed_mode}"')

    slo = _slo(r, opt("slo"), populations) if opt("slo") is not None else None
    rec_param, prefer = parameters[0].name, "smallest"
    if opt("recommend") is not None:
        rec = r.mapping(opt("recommend"), "recommend", ("parameter", "prefer"))
        if "parameter" in rec:
            want = r.typed(rec["parameter"][1], "recommend.parameter", str, "a parameter name")
            match = [p.name for p in parameters if want in (p.name, p.path)]
            if not match:
                raise r.error(rec["parameter"][1], f'recommend.parameter: no parameter "{want}" '
                              f"(parameters: {', '.join(p.name for p in parameters)})")
            rec_param = match[0]
        if "prefer" in rec:
            prefer = r.typed(rec["prefer"][1], "recommend.prefer", str, "smallest or largest")
            if prefer not in ("smallest", "largest"):
                raise r.error(rec["prefer"][1], "recommend.prefer must be smallest or largest")
    plots = _plots(r, opt("plots"), parameters, populations) if opt("plots") is not None else None

    return SweepSpec(file=file, text=text, title=title, description=description,
                     scenario=scenario, scenario_file=scenario_file, scenario_text=scenario_text,
                     document=document, parameters=parameters, fixed=fixed, grid=grid,
                     replications=replications, seed=seed, seed_mode=seed_mode, slo=slo,
                     recommend_parameter=rec_param, prefer=prefer, plots=plots,
                     populations=populations)


def _check_path(r: _Reader, node: yaml.Node, what: str, path: str, create: bool,
                document: ScenarioDocument) -> None:
    try:
        parse_path(path)
        document.check(path, create)
    except PathError as exc:
        raise r.error(node, f"{what}: {exc}") from exc


def _parameter(r: _Reader, node: yaml.Node, i: int, document: ScenarioDocument) -> Parameter:
    what = f"parameters[{i}]"
    fields = r.mapping(node, what, PARAMETER_KEYS)
    if "path" not in fields:
        raise r.error(node, f'{what}: missing required field "path"')
    path_node = fields["path"][1]
    path = r.typed(path_node, f"{what}.path", str, "a field path")
    create = False
    if "create" in fields:
        create = r.typed(fields["create"][1], f"{what}.create", bool, "true or false")
    _check_path(r, path_node, what, path, create, document)
    name = default_name(parse_path(path))
    if "name" in fields:
        name = r.typed(fields["name"][1], f"{what}.name", str, "text")
        if not name.strip():
            raise r.error(fields["name"][1], f"{what}.name must not be empty")
    unit = ""
    if "unit" in fields:
        unit = r.typed(fields["unit"][1], f"{what}.unit", str, "text such as ms or /s")
    if ("values" in fields) == ("range" in fields):
        raise r.error(node, f"{what}: give exactly one of values: [...] or range: {{...}}")
    if "values" in fields:
        vnode = fields["values"][1]
        if not isinstance(vnode, yaml.SequenceNode) or not vnode.value:
            raise r.error(vnode, f"{what}.values must be a non-empty list")
        raw = [r.value(v) for v in vnode.value]
    else:
        raw = _range(r, fields["range"][1], what)
    if unit:
        nodes = vnode.value if "values" in fields else [fields["range"][1]] * len(raw)
        for v, vn in zip(raw, nodes):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise r.error(vn, f"{what}: unit {unit} needs numeric values, found {_show(v)}")
        values: list[Any] = [f"{_num_text(v)}{unit}" for v in raw]
        numeric: list[float] | None = [float(v) for v in raw]
        axis_unit = unit.lstrip()
    else:
        values = raw
        numeric, axis_unit = numeric_values(raw)
    return Parameter(name=name, path=path, values=values, numeric=numeric, axis_unit=axis_unit,
                     create=create, line=path_node.start_mark.line + 1)


def _num_text(v: float | int) -> str:
    if isinstance(v, int):
        return str(v)
    return format(v, ".12g")


def _range(r: _Reader, node: yaml.Node, what: str) -> list[float | int]:
    fields = r.mapping(node, f"{what}.range", RANGE_KEYS)
    for k in ("from", "to", "steps"):
        if k not in fields:
            raise r.error(node, f'{what}.range: missing required field "{k}"')
    lo = r.typed(fields["from"][1], f"{what}.range.from", (int, float), "a number")
    hi = r.typed(fields["to"][1], f"{what}.range.to", (int, float), "a number")
    steps = r.typed(fields["steps"][1], f"{what}.range.steps", int, "an integer")
    if steps < 2:
        raise r.error(fields["steps"][1], f"{what}.range.steps must be at least 2 "
                      "(use values: [...] for a single value)")
    if lo == hi:
        raise r.error(fields["to"][1], f"{what}.range: from and to are equal ({lo})")
    scale = "linear"
    if "scale" in fields:
        scale = r.typed(fields["scale"][1], f"{what}.range.scale", str, "linear or log")
        if scale not in ("linear", "log"):
            raise r.error(fields["scale"][1], f'{what}.range.scale must be linear or log, '
                          f'found "{scale}"')
    if scale == "log" and (lo <= 0 or hi <= 0):
        raise r.error(fields["scale"][1], f"{what}.range: a log scale needs from and to > 0")
    integer = isinstance(lo, int) and isinstance(hi, int)
    if "integer" in fields:
        integer = r.typed(fields["integer"][1], f"{what}.range.integer", bool, "true or false")
    out: list[float | int] = []
    for k in range(steps):
        t = k / (steps - 1)
        if scale == "linear":
            x = lo + (hi - lo) * t
        else:
            x = math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * t)
        if k == steps - 1:
            x = hi
        out.append(int(math.floor(x + 0.5)) if integer else float(format(x, ".12g")))
    if len(set(out)) != len(out):
        raise r.error(node, f"{what}.range gives repeated values {out}; use fewer steps "
                      "or integer: false")
    return out


_DURATION_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0,
                   "h": 3600.0}
_RATE_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)/(s|min|h)")
_RATE_UNITS = {"s": 1.0, "min": 1 / 60, "h": 1 / 3600}


def parse_duration(text: str) -> float | None:
    """Seconds in a Go duration (``1m30s``, ``250ms``, ``0``); None if it is not one."""
    if text == "0":
        return 0.0
    pos, total = 0, 0.0
    while pos < len(text):
        m = _DURATION_RE.match(text, pos)
        if not m:
            return None
        total += float(m.group(1)) * _DURATION_UNITS[m.group(2)]
        pos = m.end()
    return total if text else None


def numeric_values(values: list[Any]) -> tuple[list[float] | None, str]:
    """The values as numbers and their unit: plain numbers, durations (s) or rates (/s)."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return [float(v) for v in values], ""
    if all(isinstance(v, str) for v in values):
        durations = [parse_duration(v) for v in values]
        if all(d is not None for d in durations):
            return [float(d) for d in durations], "s"
        rates = [_RATE_RE.fullmatch(v) for v in values]
        if all(rates):
            return [float(m.group(1)) * _RATE_UNITS[m.group(2)] for m in rates], "/s"
    return None, ""


def _fixed(r: _Reader, node: yaml.Node | None, document: ScenarioDocument,
           swept: set[str]) -> list[Fixed]:
    if node is None:
        return []
    out: list[Fixed] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = r.typed(key, "set", str, "a field path")
            _check_path(r, key, "set", path, False, document)
            out.append(Fixed(path, r.value(value), False, key.start_mark.line + 1))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            fields = r.mapping(item, f"set[{i}]", ("path", "value", "create"))
            if "path" not in fields or "value" not in fields:
                raise r.error(item, f"set[{i}] needs path and value")
            path = r.typed(fields["path"][1], f"set[{i}].path", str, "a field path")
            create = False
            if "create" in fields:
                create = r.typed(fields["create"][1], f"set[{i}].create", bool, "true or false")
            _check_path(r, fields["path"][1], f"set[{i}]", path, create, document)
            out.append(Fixed(path, r.value(fields["value"][1]), create,
                             fields["path"][1].start_mark.line + 1))
    else:
        raise r.error(node, "set must be a mapping {path: value} or a list of "
                      "{path, value, create}")
    for f in out:
        if f.path in swept:
            raise SweepError(f"set: {f.path} is also a swept parameter", r.file, f.line)
    return out


def _slo(r: _Reader, node: yaml.Node, populations: list[str]) -> Slo:
    fields = r.mapping(node, "slo", SLO_KEYS)
    if "population" not in fields:
        raise r.error(node, 'slo: missing required field "population"')
    pop = r.typed(fields["population"][1], "slo.population", str, "a population name")
    if pop not in populations:
        raise r.error(fields["population"][1], f'slo.population: the scenario has no population '
                      f'"{pop}" (populations: {", ".join(populations)})')
    slo = Slo(population=pop)
    if "success_rate_min" in fields:
        v = r.typed(fields["success_rate_min"][1], "slo.success_rate_min", (int, float),
                    "a number between 0 and 1")
        if not 0 <= v <= 1:
            raise r.error(fields["success_rate_min"][1],
                          "slo.success_rate_min must be between 0 and 1 (a fraction)")
        slo.success_rate_min = float(v)
    for key in LATENCY_KEYS:
        name = f"{key}_ms_max"
        if name in fields:
            v = r.typed(fields[name][1], f"slo.{name}", (int, float), "milliseconds")
            if v <= 0:
                raise r.error(fields[name][1], f"slo.{name} must be > 0")
            slo.latency_ms_max[key] = float(v)
    if slo.success_rate_min is None and not slo.latency_ms_max:
        raise r.error(node, "slo: give at least one objective (success_rate_min, p99_ms_max, …)")
    if "basis" in fields:
        slo.basis = r.typed(fields["basis"][1], "slo.basis", str, "mean or ci")
        if slo.basis not in ("mean", "ci"):
            raise r.error(fields["basis"][1], f'slo.basis must be mean or ci, found "{slo.basis}"')
    return slo


def _plots(r: _Reader, node: yaml.Node, parameters: list[Parameter],
           populations: list[str]) -> list[PlotSpec]:
    if not isinstance(node, yaml.SequenceNode):
        raise r.error(node, "plots must be a list of plot kinds or {kind: ..., ...} mappings")
    names = [p.name for p in parameters]
    out: list[PlotSpec] = []
    for i, item in enumerate(node.value):
        if isinstance(item, yaml.ScalarNode):
            kind, options, kind_node = r.value(item), {}, item
        else:
            fields = r.mapping(item, f"plots[{i}]", PLOT_KEYS)
            if "kind" not in fields:
                raise r.error(item, f'plots[{i}]: missing required field "kind"')
            kind_node = fields["kind"][1]
            kind = r.value(kind_node)
            options = {k: r.value(v) for k, (_, v) in fields.items() if k != "kind"}
            for k in ("x", "by"):
                if k in options and options[k] not in names and not (k == "by" and
                                                                      options[k] == "none"):
                    raise r.error(fields[k][1], f'plots[{i}].{k}: no parameter "{options[k]}" '
                                  f"(parameters: {', '.join(names)})")
            if "population" in options and options["population"] not in populations:
                raise r.error(fields["population"][1], f"plots[{i}].population: the scenario has "
                              f'no population "{options["population"]}"')
            if "percentile" in options and options["percentile"] not in LATENCY_KEYS:
                raise r.error(fields["percentile"][1], f"plots[{i}].percentile must be one of "
                              + ", ".join(LATENCY_KEYS))
        if kind not in PLOT_KINDS:
            hint = difflib.get_close_matches(str(kind), PLOT_KINDS, 1)
            dym = f'; did you mean "{hint[0]}"?' if hint else ""
            raise r.error(kind_node, f'plots[{i}]: unknown plot kind "{kind}" (kinds: '
                          f"{', '.join(PLOT_KINDS)}){dym}")
        if kind == "metric" and "metric" not in options:
            raise r.error(item, f"plots[{i}]: kind metric needs metric: (e.g. requests.timeout)")
        if kind == "time_series" and "series" not in options:
            raise r.error(item, f"plots[{i}]: kind time_series needs series: (e.g. "
                          "connections.limited)")
        out.append(PlotSpec(kind, options))
    return out
