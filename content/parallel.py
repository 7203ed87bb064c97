"""Independent work spread over forked worker processes, one per core.

Proofs are independent (each runs its own seeded simulations), so ``check``
and a cold ``build`` hand them to a pool of forked workers, at most
``NLPDRILL_JOBS``. The workers inherit what the parent loaded (``inheriting``)
instead of receiving it pickled, write the caches a single process would, and
send back plain data. Where the platform cannot fork or there is one core, the
work runs here, in order — with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

JOBS = "NLPDRILL_JOBS"
T = TypeVar("T")
R = TypeVar("R")

_inherited: dict[str, Any] = {}


def jobs(tasks: int) -> int:
    """How many workers for ``tasks`` tasks: one per core, ``NLPDRILL_JOBS`` at most."""
    wanted = os.environ.get(JOBS, "")
    limit = int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    return max(1, min(limit, tasks)) if can_fork else 1


@contextmanager
def inheriting(**values: Any) -> Iterator[None]:
    """Make ``values`` what the workers started inside this block find by ``inherited``."""
    _inherited.update(values)
    try:
        yield
    finally:
        for name in values:
            _inherited.pop(name, None)


def inherited(name: str) -> Any:
    return _inherited[name]


def ordered_map(
    function: Callable[[T], R], tasks: Iterable[T], first: Callable[[T], bool] | None = None
) -> Iterator[R]:
    """``function`` over ``tasks``, results in the tasks' order, each as soon as it and
    those before it are done. Tasks for which ``first`` holds (the slow ones) start
    first, so that no worker begins a long task when the others are nearly done."""
    todo = list(tasks)
    count = jobs(len(todo))
    if count <= 1:
        yield from map(function, todo)
        return
    order = list(range(len(todo)))
    if first is not None:
        order.sort(key=lambda i: not first(todo[i]))
    with multiprocessing.get_context("fork").Pool(count) as pool:
        ready: dict[int, R] = {}
        results = pool.imap_unordered(_indexed, [(i, function, todo[i]) for i in order])
        for index in range(len(todo)):
            while index not in ready:
                done, value = next(results)
                ready[done] = value
            yield ready.pop(index)


def _indexed(job: tuple[int, Callable[[Any], Any], Any]) -> tuple[int, Any]:
    index, function, task = job
    return index, function(task)
