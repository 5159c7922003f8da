"""Error types shared by the sweep modules."""
from __future__ import annotations


class SweepError(Exception):
    """A problem with a sweep file or the scenario it names.

    Formatted like the simulator's own diagnostics: ``file:line:column: error: message``
    (the place is left out when it is not known).
    """

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def __str__(self) -> str:
        place = ""
        if self.file is not None:
            place = self.file
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            place += ": "
        return f"{place}error: {self.message}"


class RunError(Exception):
    """A simulation that could not run (invalid point scenario, missing binary, crash)."""
