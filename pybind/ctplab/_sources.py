"""Telling file paths from YAML text in arguments that accept either."""

from __future__ import annotations

import os
from typing import Union

Source = Union[str, bytes, "os.PathLike[str]"]


def classify(source: Source) -> tuple[bool, str]:
    """Returns (is_path, path or text).

    ``os.PathLike`` objects are paths. A string is YAML text when it spans several lines, or when
    it names no existing file and reads like YAML (holds a ``:``); otherwise it is a path, and a
    missing file is reported by the loader as the command line reports it.
    """
    if isinstance(source, os.PathLike):
        return True, os.fspath(source)
    if isinstance(source, bytes):
        return False, source.decode("utf-8")
    if not isinstance(source, str):
        raise TypeError(f"expected a path or YAML text, got {type(source).__name__}")
    if "\n" in source or not source.strip():
        return False, source
    if os.path.exists(source):
        return True, source
    return (False, source) if ":" in source else (True, source)
