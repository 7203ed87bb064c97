"""Every part's answer fixtures get their verdicts: the same proof ``check`` runs."""

from __future__ import annotations

import pytest

from content import BUNDLED
from content.course import load_course
from content.judge import Judge
from content.prove import fixture_holds

_COURSE = load_course(BUNDLED)
_CASES = [
    pytest.param(item_id, want, answer, id=f"{item_id}-{want}-{n}")
    for item_id, item in _COURSE.items.items()
    for want in ("correct", "incorrect", "invalid")
    for n, answer in enumerate(getattr(item.part.fixtures, want))
]


@pytest.mark.parametrize(("item_id", "want", "answer"), _CASES)
def test_fixture_verdict(judge: Judge, item_id: str, want: str, answer: str) -> None:
    item = judge.course.item(item_id)
    result = judge.judge(item, answer)
    assert fixture_holds(item, want, result.verdict), result.feedback
    if want != "invalid":
        assert result.read_as, "every readable answer is echoed back"
    else:
        assert result.feedback, "an invalid answer says why"


def test_every_part_has_all_three_kinds_of_fixture() -> None:
    for item in _COURSE.items.values():
        fixtures = item.part.fixtures
        assert fixtures.correct and fixtures.incorrect and fixtures.invalid, item.id


def test_the_whole_sheet_has_its_twenty_parts() -> None:
    expected = [
        "lab11.p1",
        "lab11.p2.a", "lab11.p2.b", "lab11.p2.c",
        "lab11.p3.a", "lab11.p3.b", "lab11.p3.c", "lab11.p3.d",
        "lab11.p4.a", "lab11.p4.b",
        "lab11.p5.a", "lab11.p5.b",
        "lab11.p6.a", "lab11.p6.b", "lab11.p6.c", "lab11.p6.d",
        "lab11.p7.1", "lab11.p7.2", "lab11.p7.3", "lab11.p7.4",
    ]  # fmt: skip
    assert [item.id for item in _COURSE.top_items()] == expected


def test_conceptual_parts_have_checkable_scaffolds() -> None:
    for part_id in ("lab11.p1", "lab11.p5.a", "lab11.p7.1", "lab11.p7.2", "lab11.p7.4"):
        item = _COURSE.item(part_id)
        assert item.kind == "short_answer"
        assert len(item.steps) >= 2, part_id
        assert all(step.kind != "short_answer" for step in item.steps)
