"""Running one point: a scenario text and a seed in, the simulator's JSON result out.

Two backends give the same result (they share the simulator's JSON writer):

- ``module``: the ``ctplab`` Python module, when it can be imported;
- ``cli``: the ``ctplab`` executable (``ctplab simulate … --json FILE --quiet``), found from an
  explicit path, the ``CTPLAB_BIN`` environment variable, the source tree's ``build/`` (else its
  most recently built ``build*/``), or ``PATH``.

``auto`` takes the module when it is importable and the executable otherwise.
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
from typing import Any

from .errors import RunError
from .paths import relocate_files

BACKENDS = ("auto", "module", "cli")


def find_binary(explicit: str | None = None) -> str:
    """The ``ctplab`` executable to run; :class:`RunError` when there is none."""
    candidates: list[str] = []
    if explicit:
        candidates.append(explicit)
    elif os.environ.get("CTPLAB_BIN"):
        candidates.append(os.environ["CTPLAB_BIN"])
    else:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        candidates.append(os.path.join(root, "build", "ctplab"))
        builds = glob.glob(os.path.join(root, "build*", "ctplab"))
        candidates.extend(sorted(builds, key=lambda p: (-os.path.getmtime(p), p)))
        on_path = shutil.which("ctplab")
        if on_path:
            candidates.append(on_path)
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
    if explicit or os.environ.get("CTPLAB_BIN"):
        raise RunError(f"ctplab executable not found or not executable: {candidates[0]}")
    raise RunError("ctplab executable not found: build it, or name it with --ctplab BIN or "
                   "the CTPLAB_BIN environment variable")


def _module() -> Any | None:
    """The ``ctplab`` Python module if it is importable and has the expected API."""
    try:
        import ctplab  # type: ignore[import-not-found]
    except ImportError:
        return None
    scenario = getattr(ctplab, "Scenario", None)
    if scenario is None or not hasattr(scenario, "from_yaml") or not hasattr(ctplab, "simulate"):
        return None
    return ctplab


def module_available() -> bool:
    """Whether the ``module`` backend can run."""
    return _module() is not None


def _run_module(scenario_text: str, base_dir: str, seed: int, label: str) -> dict[str, Any]:
    """The adapter to the ``ctplab`` module; kept small because its API may still move."""
    ctplab = _module()
    if ctplab is None:
        raise RunError("the ctplab Python module is not importable")
    try:
        scenario = ctplab.Scenario.from_yaml(scenario_text, base_dir=base_dir, label=label)
        result = ctplab.simulate(scenario, seed=seed)
    except ValueError as exc:  # ctplab.Error and its subclasses
        raise RunError(str(exc)) from exc
    text = getattr(result, "json", None)
    if isinstance(text, str):
        return json.loads(text)
    return json.loads(json.dumps(result.to_dict()))


def _run_cli(scenario_text: str, base_dir: str, seed: int, label: str,
             binary: str | None) -> dict[str, Any]:
    exe = find_binary(binary)
    text = relocate_files(scenario_text, base_dir)
    with tempfile.TemporaryDirectory(prefix="ctplab-point-") as tmp:
        scenario_path = os.path.join(tmp, os.path.basename(label) or "scenario.yaml")
        out_path = os.path.join(tmp, "result.json")
        with open(scenario_path, "w", encoding="utf-8") as fh:
            fh.write(text)
        proc = subprocess.run(
            [exe, "simulate", scenario_path, "--seed", str(seed), "--json", out_path, "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        if proc.returncode != 0:
            message = proc.stderr.replace(scenario_path, label).strip()
            raise RunError(message or f"ctplab simulate exited with status {proc.returncode}")
        with open(out_path, encoding="utf-8") as fh:
            return json.load(fh)


def run_point(scenario_text: str, base_dir: str, seed: int, *, backend: str = "auto",
              binary: str | None = None, label: str = "scenario.yaml") -> dict[str, Any]:
    """Simulate ``scenario_text`` with ``seed``; the result as ``ctplab simulate --json``.

    ``base_dir`` is the directory relative file paths in the scenario are relative to;
    ``label`` names the scenario in error messages.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; one of {', '.join(BACKENDS)}")
    if backend == "module" or (backend == "auto" and module_available()):
        return _run_module(scenario_text, base_dir, seed, label)
    return _run_cli(scenario_text, base_dir, seed, label, binary)
