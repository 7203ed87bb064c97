"""Every part's answer fixtures get their verdicts: the same proof ``check`` runs."""

from __future__ import annotations

import pytest

from content.course import BUNDLED, load_course
from content.judge import Judge

_COURSE = load_course(BUNDLED)
_CASES = [
    pytest.param(item_id, want, answer, id=f"{item_id}-{want}-{n}")
    for item_id, item in _COURSE.items.items()
    for want in ("correct", "incorrect", "invalid")
    for n, answer in enumerate(getattr(item.part.fixtures, want))
]


@pytest.mark.parametrize(("item_id", "want", "answer"), _CASES)
def test_fixture_verdict(judge: Judge, item_id: str, want: str, answer: str) -> None:
    result = judge.judge(judge.course.item(item_id), answer)
    assert result.verdict == want, result.feedback
    if want != "invalid":
        assert result.read_as, "every readable answer is echoed back"
    else:
        assert result.feedback, "an invalid answer says why"


def test_every_part_has_all_three_kinds_of_fixture() -> None:
    for item in _COURSE.items.values():
        fixtures = item.part.fixtures
        assert fixtures.correct and fixtures.incorrect and fixtures.invalid, item.id


def test_problems_2_3_6_are_complete() -> None:
    expected = {
        "lab11.p2.a",
        "lab11.p2.b",
        "lab11.p2.c",
        "lab11.p3.a",
        "lab11.p3.b",
        "lab11.p3.c",
        "lab11.p3.d",
        "lab11.p6.a",
        "lab11.p6.b",
        "lab11.p6.c",
        "lab11.p6.d",
    }
    assert expected <= {item.id for item in _COURSE.top_items()}
