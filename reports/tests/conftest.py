"""Shared fixtures: the package on sys.path (also for worker processes), the ctplab binary."""
from __future__ import annotations

import os
import sys

import pytest

REPORTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

if REPORTS_DIR not in sys.path:
    sys.path.insert(0, REPORTS_DIR)
# Worker processes (process pools, Dask workers) import the package too.
_pp = os.environ.get("PYTHONPATH", "")
if REPORTS_DIR not in _pp.split(os.pathsep):
    os.environ["PYTHONPATH"] = REPORTS_DIR + (os.pathsep + _pp if _pp else "")


@pytest.fixture(scope="session")
def data_dir() -> str:
    return DATA_DIR


@pytest.fixture(scope="session")
def ctplab_bin() -> str:
    """The ctplab executable; the tests that simulate are skipped without one."""
    from ctplab_reports.errors import RunError
    from ctplab_reports.runner import find_binary
    try:
        return find_binary()
    except RunError as exc:
        pytest.skip(f"no ctplab executable to simulate with ({exc}); set CTPLAB_BIN")
