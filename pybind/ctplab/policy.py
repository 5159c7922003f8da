"""The policy engine: manifests in, policy statuses and per-Gateway IR out."""

from __future__ import annotations

import datetime as _dt
import time
from functools import cached_property
from typing import Any, Optional, Union

from . import _ctplab
from ._sources import Source, classify
from .errors import Diagnostic

__all__ = ["Translation", "translate"]

DEFAULT_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller"

Instant = Union[None, str, int, float, _dt.datetime]


def _unix_ns(now: Instant) -> int:
    """Nanoseconds since the epoch for ``now``; the wall clock when None, as the CLI does."""
    if now is None:
        return time.time_ns()
    if isinstance(now, bool):
        raise TypeError("now must be a datetime, an RFC 3339 string or Unix seconds")
    if isinstance(now, (int, float)):
        return int(round(now * 1_000_000_000))
    if isinstance(now, str):
        try:
            now = _dt.datetime.fromisoformat(now)
        except ValueError:
            raise ValueError(
                f'now needs an RFC 3339 time such as 2026-06-01T00:00:00Z, got "{now}"'
            ) from None
    if isinstance(now, _dt.datetime):
        if now.tzinfo is None:  # naive datetimes are taken as UTC, like the engine's clock
            now = now.replace(tzinfo=_dt.timezone.utc)
        delta = now - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    raise TypeError("now must be a datetime, an RFC 3339 string or Unix seconds")


class Translation:
    """What the policy engine made of a set of manifests.

    Built by :func:`translate` and :meth:`ctplab.Scenario.translate`. Every view is computed once,
    on first use.
    """

    def __init__(self, data: "_ctplab.TranslationData") -> None:
        self._data = data

    @cached_property
    def yaml(self) -> str:
        """The translator output exactly as ``ctplab translate`` prints it."""
        return self._data.yaml()

    @cached_property
    def tree(self) -> dict[str, Any]:
        """The translator output as dicts: ``clientTrafficPolicies`` and ``securityPolicies``
        with status, ``gateways`` and ``listenerSets`` with listener status, ``infraIR``,
        ``xdsIR``."""
        return self._data.tree()

    @property
    def ir(self) -> dict[str, Any]:
        """``xdsIR``: per IR key (``<namespace>/<gateway>``), ``http``/``tcp``/``udp`` listener
        lists with every ClientTrafficPolicy-influenced field."""
        return self.tree.get("xdsIR", {})

    @property
    def infra_ir(self) -> dict[str, Any]:
        """``infraIR``: per IR key, the proxy's listeners and ports."""
        return self.tree.get("infraIR", {})

    @cached_property
    def statuses(self) -> list[dict[str, Any]]:
        """Per policy (ClientTrafficPolicies in the translator's order, then the
        SecurityPolicies it handled): ``kind``, ``namespace``, ``name``, ``ancestors`` (each
        ``ancestorRef``, ``controllerName`` and ``conditions`` with ``type``, ``status``,
        ``reason``, ``message``, ``observedGeneration``, as ``ctplab translate`` prints them),
        ``admissionErrors`` (what the API server would reject) and ``rejected`` (admission was
        enforced and failed, so the policy was not applied)."""
        return self._data.statuses()

    def status(self, name: str, namespace: Optional[str] = None,
               kind: str = "ClientTrafficPolicy") -> dict[str, Any]:
        """The status of one policy; ``name`` may be ``namespace/name``. Raises KeyError."""
        if namespace is None and "/" in name:
            namespace, name = name.split("/", 1)
        for s in self.statuses:
            if s["kind"] == kind and s["name"] == name and namespace in (None, s["namespace"]):
                return s
        raise KeyError(f"no {kind} {namespace + '/' if namespace else ''}{name}")

    @property
    def accepted(self) -> bool:
        """True when every ClientTrafficPolicy is accepted on all its ancestors: the rule
        behind ``ctplab validate``'s exit code 0."""
        for s in self.statuses:
            if s["kind"] != "ClientTrafficPolicy":
                continue
            if s["rejected"] or not s["ancestors"]:
                return False
            for ancestor in s["ancestors"]:
                for c in ancestor["conditions"]:
                    if c["type"] == "Accepted" and c["status"] == "False":
                        return False
        return True

    @cached_property
    def report(self) -> str:
        """The report for people that ``ctplab validate`` prints (verdict per policy, winning
        policy and non-default settings per listener)."""
        return self._data.report()

    @cached_property
    def diagnostics(self) -> list[Diagnostic]:
        """The loader's warnings (errors raise :class:`ctplab.PolicyError` instead)."""
        return self._data.diagnostics()

    @cached_property
    def warnings(self) -> list[str]:
        """The lines ``ctplab translate`` writes to stderr: loader warnings, then one per
        admission error."""
        return self._data.warning_lines()

    def __repr__(self) -> str:
        return f"<Translation: {len(self.statuses)} policies, IR keys {sorted(self.ir)}>"


def translate(*sources: Source, now: Instant = None, enforce_admission: bool = False,
              controller_name: str = DEFAULT_CONTROLLER) -> Translation:
    """Loads manifests and runs the policy engine, as ``ctplab translate`` does.

    Args:
        *sources: files (paths) or YAML text, in order: kubectl-style multi-document YAML or Envoy
            Gateway's test-bundle format. Text is labelled ``<string>`` in diagnostics
            (``<string 2>``, ... when several are given).
        now: the instant certificates and CRLs are judged at: a datetime (naive means UTC), an
            RFC 3339 string or Unix seconds; the wall clock by default, as the CLI.
        enforce_admission: True does what ``ctplab validate`` and a cluster do: policies the API
            server would reject are not applied. False (the default) translates them anyway,
            like Envoy Gateway's file-based translator and ``ctplab translate``.
        controller_name: the GatewayClass controller the engine acts as.

    Raises:
        PolicyError: a file cannot be read, or a manifest is malformed; the message holds the
            loader's ``file:line:column: error: field: message`` lines.
    """
    if not sources:
        raise TypeError("translate() needs at least one file or YAML text")
    classified = [classify(s) for s in sources]
    texts = sum(1 for is_path, _ in classified if not is_path)
    inputs = []
    number = 0
    for is_path, value in classified:
        label = ""
        if not is_path:
            number += 1
            label = "<string>" if texts == 1 else f"<string {number}>"
        inputs.append((is_path, value, label))
    return Translation(_ctplab.translate(inputs, _unix_ns(now), enforce_admission,
                                         controller_name))
