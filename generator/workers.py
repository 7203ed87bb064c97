"""Prove and render the problems of a build, in worker processes where that helps.

Every problem is independent: its proofs run its own seeded simulations, and its
notes and pictures depend on nothing else. So a cold build hands problems to a
pool of forked workers (one per core, at most ``NLPDRILL_JOBS``), which inherit
the loaded course, write the same caches a single process would, and send back
plain data. Where the platform cannot fork, or there is only one problem or one
core, the problems are done in this process, in order — with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING, Any

from generator.notespec import ProblemNotes

if TYPE_CHECKING:
    from content.course import Course
    from content.judge import Judge
    from content.prove import Proof

JOBS = "NLPDRILL_JOBS"
Failures = list[tuple[str, list[str]]]  # (item id, what failed)

_inherited: dict[str, Any] = {}  # the course and its judge, as a forked worker inherits them


def jobs(problems: int) -> int:
    wanted = os.environ.get(JOBS, "")
    limit = int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    return min(limit, problems) if can_fork else 1


def prove_and_render(course: Course) -> tuple[list[ProblemNotes], list[Proof]]:
    """Each problem's notes, or the proofs that failed (then no notes are worth keeping)."""
    from content.judge import Judge

    _inherited.update(course=course, judge=Judge(course))
    indices = range(len(course.problems))
    try:
        count = jobs(len(indices))
        if count <= 1:
            results = [_one(index) for index in indices]
        else:
            with multiprocessing.get_context("fork").Pool(count) as pool:
                results = pool.map(_one, indices, chunksize=1)
    finally:
        _inherited.clear()
    return _collect(course, results)


def _one(index: int) -> tuple[dict[str, Any] | None, Failures]:
    """Prove one problem's parts and steps, then render its notes (as JSON-able data)."""
    from content.prove import prove_cached
    from generator.notes import problem_notes

    course: Course = _inherited["course"]
    judge: Judge = _inherited["judge"]
    problem = course.problems[index]
    items = [i for top in course.items_of(problem.id) for i in (top, *top.steps)]
    proofs = {item.id: prove_cached(judge, item) for item in items}
    failed = [(p.item.id, p.failures) for p in proofs.values() if not p.ok]
    if failed:
        return None, failed
    return problem_notes(course, problem, proofs).to_json(), []


def _collect(
    course: Course, results: list[tuple[dict[str, Any] | None, Failures]]
) -> tuple[list[ProblemNotes], list[Proof]]:
    from content.prove import Proof

    notes = [ProblemNotes.from_json(data) for data, _ in results if data is not None]
    failures = [
        Proof(course.items[item_id], failures=reasons)
        for _, failed in results
        for item_id, reasons in failed
    ]
    return notes, failures
