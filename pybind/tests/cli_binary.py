"""Where the tests find the ctplab command line whose output the module must equal."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import ctplab


def cli() -> Path:
    """The command line built next to the module (<build>/python/ctplab → <build>/ctplab)."""
    built = Path(ctplab.__file__).resolve().parents[2] / "ctplab"
    path = Path(os.environ.get("CTPLAB_CLI") or built)
    if not path.is_file():
        pytest.skip(f"the ctplab command line is not built ({path} is absent)")
    return path
