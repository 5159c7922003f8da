"""The conformance suite: cases (a scenario plus expected statuses, outcomes and stats) run in
simulation, live on loopback or against a target gateway, as ``ctplab conformance`` runs them.
Case format and modes: ``conformance/README.md``."""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _ctplab
from .errors import ConformanceError

__all__ = ["CASES_DIR", "known_features", "list_cases", "run"]

CASES_DIR: str = _ctplab.CASES_DIR
"""The case library of the source tree this module was built from."""

Paths = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]
Features = Union[None, str, Iterable[str]]


def known_features() -> list[str]:
    """The feature tags a case may carry (``ConnectionLimit``, ``Timeouts``, ...)."""
    return list(_ctplab.known_features())


def _files(paths: Optional[Paths]) -> list[str]:
    if paths is None:
        paths = [CASES_DIR]
    elif isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[str] = []
    for p in paths:
        p = os.fspath(p)
        files.extend(_ctplab.case_files_in(p) if os.path.isdir(p) else [p])
    return files


def _feature_filter(features: Features) -> tuple[list[str], list[str]]:
    """``"+A,-B"`` or ``["A", "-B"]``: tags to select (any of them) and tags to drop."""
    if features is None:
        return [], []
    items = features.split(",") if isinstance(features, str) else list(features)
    include: list[str] = []
    exclude: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item[0] == "-":
            exclude.append(item[1:])
        else:
            include.append(item[1:] if item[0] == "+" else item)
    return include, exclude


def _load(paths: Optional[Paths], features: Features) -> list["_ctplab.ConformanceCase"]:
    include, exclude = _feature_filter(features)
    return _ctplab.select_cases(_ctplab.load_cases(_files(paths)), include, exclude)


def _describe(case: "_ctplab.ConformanceCase") -> dict[str, Any]:
    return {
        "name": case.name,
        "id": case.id,
        "description": case.description,
        "features": list(case.features),
        "modes": list(case.modes),
        "skip": case.skip,
        "file": case.file,
    }


def list_cases(paths: Optional[Paths] = None, *, features: Features = None) -> list[dict[str, Any]]:
    """Loads and lists conformance cases.

    Args:
        paths: case files and directories (``*.yaml`` in them, sorted); :data:`CASES_DIR` by
            default.
        features: a selection as ``--features`` takes it: ``"+ConnectionLimit,-Timeouts"``, or a
            list of tags (``"-Tag"`` drops).

    Returns:
        Per case: ``name``, ``id`` (the upstream behaviour, may be empty), ``description``,
        ``features``, ``modes``, ``skip`` (the reason, or None) and ``file``.

    Raises:
        ConformanceError: a case cannot be loaded (every problem, as ``file:line:column`` lines),
            two cases share a name, or a feature tag is unknown.
    """
    return [_describe(c) for c in _load(paths, features)]


def _select(cases: list, wanted: Sequence[str]) -> list:
    """Cases by name, upstream id or file stem, in the order asked for."""
    chosen = []
    for key in wanted:
        matches = [c for c in cases
                   if key in (c.name, c.id, os.path.splitext(os.path.basename(c.file))[0])]
        if not matches:
            raise ConformanceError(f'no conformance case named "{key}"')
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def run(cases: Optional[Union[str, Sequence[str]]] = None, *, paths: Optional[Paths] = None,
        mode: str = "sim", features: Features = None, plant_faults: Iterable[str] = (),
        target: Optional[Union[str, Mapping[int, str]]] = None,
        target_admin: Optional[str] = None, jobs: Optional[int] = None,
        verbose: bool = False, date: Optional[str] = None) -> dict[str, Any]:
    """Runs conformance cases, as ``ctplab conformance`` does, with the GIL released.

    Args:
        cases: case names (``ConnectionLimitClosesConnectionsOverLimit``), upstream ids
            (``CL-1``) or file stems; all loaded cases when None.
        paths: where to load them from (see :func:`list_cases`).
        mode: ``"sim"`` (default), ``"live"`` (ctplab's proxy on loopback) or ``"target"``.
        features: a feature selection (see :func:`list_cases`).
        plant_faults: faults that break the simulated gateway on purpose
            (``connection-limit-off-by-one``, ``ignore-close-delay``,
            ``ignore-request-received-timeout``, ``ignore-idle-timeout``); mode sim only.
        target: mode target: ``"HOST:PORT"`` for every Gateway port, or ``{port: "HOST:PORT"}``.
        target_admin: mode target: an Envoy-style admin endpoint for stats.
        jobs: live cases run at a time (default 4 in live mode, else 1).
        verbose: the summary lists passed and skipped cases too.
        date: the report's date; the current UTC time by default, as the CLI.

    Returns:
        ``mode``; ``passed``, ``failed``, ``skipped`` counts; ``cases``, per case ``name``,
        ``id``, ``file``, ``features``, ``outcome`` (``passed``/``failed``/``skipped``),
        ``reason``, ``failures`` (``file``, ``line``, ``column``, ``what``, ``expected``,
        ``observed``), ``unchecked`` and ``trace``; ``report``, the conformance report
        ``--report`` writes, as a dict; ``summary``, the text the CLI prints; ``junit``, the
        XML ``--junit`` writes.

    Raises:
        ConformanceError: a case cannot be loaded, no case has a requested name, or the options
            are refused (with the CLI's messages).
    """
    include, exclude = _feature_filter(features)
    loaded = _ctplab.load_cases(_files(paths))
    if cases is not None:
        loaded = _select(loaded, [cases] if isinstance(cases, str) else list(cases))
    every_port: Optional[str] = None
    ports: dict[int, str] = {}
    if isinstance(target, Mapping):
        ports = {int(port): address for port, address in target.items()}
    elif target is not None:
        every_port = target
    if date is None:
        date = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _ctplab.run_suite(loaded, mode, include, exclude, list(plant_faults), every_port, ports,
                             target_admin, jobs, date, verbose)
