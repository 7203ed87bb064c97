"""Work spread over forked workers comes back complete, in order, and as one process gives it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from content import parallel


def _square_after(task: int) -> tuple[int, int]:
    return task, task * task + parallel.inherited("offset")


@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_results_come_in_the_tasks_order_whatever_starts_first(
    jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(parallel.JOBS, jobs)
    tasks = list(range(40))
    with parallel.inheriting(offset=7):
        out = list(parallel.ordered_map(_square_after, tasks, first=lambda t: t % 5 == 0))
    assert out == [(t, t * t + 7) for t in tasks]


def test_workers_are_other_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.JOBS, "2")
    assert parallel.jobs(10) == 2
    pids = set(parallel.ordered_map(_pid, range(8)))
    assert os.getpid() not in pids


def _pid(_: int) -> int:
    return os.getpid()


def test_one_job_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.JOBS, "1")
    assert set(parallel.ordered_map(_pid, range(3))) == {os.getpid()}


def test_what_is_inherited_is_gone_after_the_block() -> None:
    with parallel.inheriting(course="c"):
        assert parallel.inherited("course") == "c"
    with pytest.raises(KeyError):
        parallel.inherited("course")


def test_the_command_line_runs_one_blas_thread_per_process() -> None:
    """One worker per core already uses every core: a BLAS thread pool in each worker
    oversubscribed the machine (a 0.1 s fit ran past a 3 s limit). The command line sets
    one thread before numpy loads, unless the user chose otherwise."""
    script = "import nlpdrill, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    ran = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert ran.stdout.strip() == "1", ran.stderr
    env["OPENBLAS_NUM_THREADS"] = "4"
    ran = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert ran.stdout.strip() == "4", ran.stderr
