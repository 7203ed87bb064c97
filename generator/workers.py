"""Prove and render the problems of a build, in worker processes where that helps.

Every proof is independent (it runs its own seeded simulations), and so is every
picture; a problem's notes need only its own proofs. So a cold build runs in two
rounds over a pool of forked workers (one per core, at most ``NLPDRILL_JOBS``):
first every proof and every picture, the slowest kinds first; then each
problem's notes. Workers inherit the loaded course, write the caches a single
process would, and send back plain data. Where the platform cannot fork, or
there is one core, everything runs here, in order — with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from generator.notespec import ProblemNotes

if TYPE_CHECKING:
    from content.course import Course, Item
    from content.judge import Judge
    from content.prove import Proof

JOBS = "NLPDRILL_JOBS"
T = TypeVar("T")
R = TypeVar("R")
ProofData = tuple[list[str], list[str], list[str]]  # evidence, notes, failures

_inherited: dict[str, Any] = {}  # what a forked worker finds: course, judge, proofs


def jobs(tasks: int) -> int:
    wanted = os.environ.get(JOBS, "")
    limit = int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    return max(1, min(limit, tasks)) if can_fork else 1


def prove_and_render(course: Course) -> tuple[list[ProblemNotes], list[Proof]]:
    """Each problem's notes, or the proofs that failed (then no notes are worth keeping)."""
    from content.judge import Judge
    from content.prove import Proof
    from generator import notes  # noqa: F401  (imported once here, not in every worker)

    items = [i for top in course.top_items() for i in (top, *top.steps)]
    pictures = sorted({i.part.picture for i in items if i.part.picture is not None})
    # Slowest first, so that no worker starts a long task last: a parameterised part
    # is proven over 20 variants, a picture is a simulation plus matplotlib.
    proving = sorted((not item.params, item.id) for item in items)
    tasks = [("proof", i) for slow, i in proving if not slow]
    tasks += [("picture", name) for name in pictures]
    tasks += [("proof", i) for slow, i in proving if slow]
    try:
        _inherited.update(course=course, judge=Judge(course))
        done = dict(zip(tasks, _map(_task, tasks), strict=True))
        proofs = {
            item.id: Proof(item, *done[("proof", item.id)])  # type: ignore[misc]
            for item in items
        }
        failures = [p for p in proofs.values() if not p.ok]
        if failures:
            return [], failures
        _inherited["proofs"] = proofs
        rendered = _map(_render, range(len(course.problems)))
    finally:
        _inherited.clear()
    return [ProblemNotes.from_json(data) for data in rendered], []


def _map(function: Callable[[T], R], tasks: Iterable[T]) -> list[R]:
    todo = list(tasks)
    count = jobs(len(todo))
    if count <= 1:
        return [function(task) for task in todo]
    with multiprocessing.get_context("fork").Pool(count) as pool:
        return pool.map(function, todo, chunksize=1)


def _task(task: tuple[str, str]) -> ProofData | None:
    """A proof (its evidence, notes and failures), or a picture drawn into the cache."""
    from content import simcache
    from content.prove import prove_cached
    from generator.pictures import picture_file

    course: Course = _inherited["course"]
    kind, name = task
    if kind == "picture":
        picture_file(simcache.picture(course, name))
        return None
    item: Item = course.items[name]
    judge: Judge = _inherited["judge"]
    proof = prove_cached(judge, item)
    return proof.evidence, proof.notes, proof.failures


def _render(index: int) -> dict[str, Any]:
    from generator.notes import problem_notes

    course: Course = _inherited["course"]
    return problem_notes(course, course.problems[index], _inherited["proofs"]).to_json()
