"""Drawing the questions of a quiz: shared by ``nlpdrill quiz`` and the tutor's quiz mode."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from content.course import Course, Item
from content.simulation import seed_for

QUIZ_KINDS = ("numeric", "expression", "complexity", "true_false", "choice")


@dataclass
class Question:
    item: Item
    variant: int | None


def pool(course: Course, problems: list[str] | None) -> list[Item]:
    wanted = set(problems) if problems else None
    items = []
    for item in course.items.values():
        number = item.problem.id.rsplit(".p", 1)[1]
        if wanted is not None and number not in wanted and item.problem.id not in wanted:
            continue
        if item.kind in QUIZ_KINDS:
            items.append(item)
    return items


def draw(
    course: Course, count: int, seed: int, problems: list[str] | None = None
) -> list[Question]:
    """``count`` questions: parameterised ones first in line, without repeats while possible."""
    candidates = pool(course, problems)
    if not candidates:
        raise ValueError("no checkable questions in the chosen problems")
    rng = np.random.default_rng(seed_for("quiz", str(seed)))
    params = [i for i in candidates if i.params]
    others = [i for i in candidates if not i.params]
    order = list(rng.permutation(len(params))) + [
        len(params) + int(k) for k in rng.permutation(len(others))
    ]
    ranked = params + others
    chosen: list[Question] = []
    while len(chosen) < count:
        for index in order:
            if len(chosen) == count:
                break
            item = ranked[index]
            variant = int(rng.integers(0, 1_000_000)) if item.params else None
            if variant is None and any(q.item.id == item.id for q in chosen):
                continue
            chosen.append(
                Question(item.with_variant(variant) if variant is not None else item, variant)
            )
        if not params and len(chosen) == len(others):
            break
    return chosen
