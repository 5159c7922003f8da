"""Where runs execute: in this process, a local process pool, or a Dask cluster.

Every executor returns results in task order, and a result depends only on its task (scenario
text, seed), so the sweep's results are identical whichever executor ran them.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable

from .errors import RunError
from .runner import run_point


@dataclass(frozen=True)
class Task:
    """Everything one simulation needs; picklable, so it can travel to another process."""

    run_id: str
    scenario_text: str
    base_dir: str
    seed: int
    backend: str = "auto"
    binary: str | None = None


@dataclass
class TaskFailure:
    """A run that failed, with the simulator's message."""

    run_id: str
    message: str


def run_task(task: Task) -> dict[str, Any] | TaskFailure:
    """Run one task; a failure is returned (not raised) so it crosses process boundaries."""
    try:
        return run_point(task.scenario_text, task.base_dir, task.seed, backend=task.backend,
                         binary=task.binary, label=f"{task.run_id}.yaml")
    except RunError as exc:
        return TaskFailure(task.run_id, str(exc))
    except (OSError, ValueError) as exc:  # e.g. an unwritable temporary directory, bad JSON
        return TaskFailure(task.run_id, f"{type(exc).__name__}: {exc}")


Progress = Callable[[int, int], None]


def run_local(tasks: list[Task], jobs: int | None = None,
              progress: Progress | None = None) -> list[dict[str, Any] | TaskFailure]:
    """Run ``tasks`` on ``jobs`` local processes (default: every core; 1 runs them here)."""
    jobs = jobs or os.cpu_count() or 1
    results: list[Any] = [None] * len(tasks)
    if jobs == 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            results[i] = run_task(task)
            if progress:
                progress(i + 1, len(tasks))
        return results
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with concurrent.futures.ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)),
            mp_context=multiprocessing.get_context(method)) as pool:
        futures = {pool.submit(run_task, task): i for i, task in enumerate(tasks)}
        done = 0
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()
            done += 1
            if progress:
                progress(done, len(tasks))
    return results


def run_dask(tasks: list[Task], address: str,
             progress: Progress | None = None) -> list[dict[str, Any] | TaskFailure]:
    """Run ``tasks`` on the Dask distributed cluster whose scheduler is at ``address``.

    Workers must be able to import ``ctplab_reports`` and run the simulator (the ``ctplab``
    module or executable) themselves.
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise RunError("--dask needs the Dask distributed package (python3-distributed)") from exc
    try:
        client = Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise RunError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        futures = client.map(run_task, tasks, pure=False)
        results: list[Any] = []
        for future in futures:  # in task order; each waits for its own run
            results.append(future.result())
            if progress:
                progress(len(results), len(tasks))
        return results
    finally:
        client.close()


def run_tasks(tasks: list[Task], jobs: int | None = None, dask: str | None = None,
              progress: Progress | None = None) -> list[dict[str, Any] | TaskFailure]:
    """Run ``tasks`` on Dask when ``dask`` names a scheduler, else on the local pool."""
    if dask:
        return run_dask(tasks, dask, progress)
    return run_local(tasks, jobs, progress)


def stderr_progress(quiet: bool) -> Progress | None:
    """A progress callback printing ``[done/total]`` to stderr about every tenth of the way."""
    if quiet:
        return None
    tty = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        step = max(1, total // 10)
        if tty:
            sys.stderr.write(f"\r[{done}/{total}] runs done")
            if done == total:
                sys.stderr.write("\n")
        elif done % step == 0 or done == total:
            sys.stderr.write(f"[{done}/{total}] runs done\n")
        sys.stderr.flush()

    return report
