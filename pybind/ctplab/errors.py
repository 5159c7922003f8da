"""Exceptions raised by ctplab, carrying the engine's diagnostics.

Every problem the engine finds in its input is a diagnostic naming file, line, column and field.
An exception's message is its error lines exactly as the ``ctplab`` command line prints them, e.g.
``flood.yaml:14:7: error: populations[0].behavior.requestTimout: unknown field ...``.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

__all__ = ["Diagnostic", "Error", "PolicyError", "ScenarioError", "ConformanceError"]


class Diagnostic(NamedTuple):
    """One finding about the input, located in its file."""

    severity: str
    """``"error"`` or ``"warning"``."""
    file: str
    line: int
    """1-based; 0 when unknown."""
    column: int
    """1-based; 0 when unknown."""
    field: str
    """Object and field path, e.g. ``populations[0].clients``; may be empty."""
    message: str
    text: str
    """The line the command line prints for it."""

    def __str__(self) -> str:
        return self.text


class Error(ValueError):
    """Base class of ctplab's exceptions: the input was rejected.

    Attributes:
        diagnostics: every diagnostic of the input, warnings included, in the order found.
    """

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics: list[Diagnostic] = list(diagnostics)

    def __reduce__(self):  # keeps the exception picklable (e.g. across processes)
        return (type(self), (str(self), self.diagnostics))


class PolicyError(Error):
    """Manifests that cannot be loaded: unreadable files, malformed YAML, unknown or mistyped
    fields. Policies the engine loads but does not accept are not errors: their status says so."""


class ScenarioError(Error):
    """A scenario the simulator's loader rejects, or a run that cannot start (no such Gateway,
    a population aimed at a port the Gateway does not serve)."""


class ConformanceError(Error):
    """Conformance cases that cannot be loaded, or run options the runner refuses."""
