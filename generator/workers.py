"""Prove and render the problems of a build, in forked workers (``content.parallel``).

Every proof is independent, and so is every picture; a problem's notes need
only its own proofs. So a cold build runs two rounds over the workers: first
every proof and every picture, the slow ones started first (a parameterised part
is proven over 20 variants; a picture is a simulation plus matplotlib); then
each problem's notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from content import parallel
from generator.notespec import ProblemNotes

if TYPE_CHECKING:
    from content.course import Course
    from content.judge import Judge
    from content.prove import Proof

ProofData = tuple[list[str], list[str], list[str]]  # evidence, notes, failures


def prove_and_render(course: Course) -> tuple[list[ProblemNotes], list[Proof]]:
    """Each problem's notes, or the proofs that failed (then no notes are worth keeping)."""
    from content.judge import Judge
    from content.prove import Proof
    from generator import notes  # noqa: F401  (imported once here, not in every worker)

    items = [i for top in course.top_items() for i in (top, *top.steps)]
    pictures = sorted({i.part.picture for i in items if i.part.picture is not None})
    tasks = [("proof", item.id) for item in items] + [("picture", name) for name in pictures]
    slow = {item.id for item in items if item.params} | set(pictures)
    with parallel.inheriting(course=course, judge=Judge(course)):
        results = parallel.ordered_map(_task, tasks, first=lambda task: task[1] in slow)
        done = dict(zip(tasks, results, strict=True))
        proofs = {
            item.id: Proof(item, *done[("proof", item.id)])  # type: ignore[misc]
            for item in items
        }
        failures = [p for p in proofs.values() if not p.ok]
        if failures:
            return [], failures
        with parallel.inheriting(proofs=proofs):
            rendered = list(parallel.ordered_map(_render, range(len(course.problems))))
    return [ProblemNotes.from_json(data) for data in rendered], []


def _task(task: tuple[str, str]) -> ProofData | None:
    """A proof (its evidence, notes and failures), or a picture drawn into the cache."""
    from content import simcache
    from content.prove import prove_cached
    from generator.pictures import picture_file

    course: Course = parallel.inherited("course")
    kind, name = task
    if kind == "picture":
        picture_file(simcache.picture(course, name))
        return None
    judge: Judge = parallel.inherited("judge")
    proof = prove_cached(judge, course.items[name])
    return proof.evidence, proof.notes, proof.failures


def _render(index: int) -> dict[str, Any]:
    from generator.notes import problem_notes

    course: Course = parallel.inherited("course")
    return problem_notes(course, course.problems[index], parallel.inherited("proofs")).to_json()
