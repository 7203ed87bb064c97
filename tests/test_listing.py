"""A question with several answers takes them in one line (Problem 7.3's three costs)."""

from __future__ import annotations

import pytest

from content.judge import Judge
from content.listing import split_answers


@pytest.mark.parametrize(
    "text",
    [
        "O(M^2 k), O(MNk), O(N^2 k)",
        "(1) O(M^2 k) (2) O(M N k) (3) O(N^2 k)",
        "1) O(M^2 k); 2) O(MNk); 3) O(N^2k)",
        "O(M^2 k), O(MNk) and O(N^2 k)",
        "a) O(M^2k) b) O(MNk) c) O(N^2 k)",
    ],
)
def test_three_answers_however_they_are_separated(text: str) -> None:
    answers = split_answers(text, 3)
    assert answers is not None and len(answers) == 3
    assert answers[0].replace(" ", "") == "O(M^2k)"


def test_brackets_hold_their_commas() -> None:
    assert split_answers("O(max(M, N)^2), x, y", 3) == ["O(max(M, N)^2)", "x", "y"]
    assert split_answers("O(N^2 k)", 3) is None


def test_each_answer_is_judged_by_its_step(judge: Judge) -> None:
    item = judge.course.item("lab11.p7.3")
    right = judge.judge(item, "O(M^2 k), O(MNk), O(N^2 k)")
    assert right.verdict == "correct"
    some = judge.judge(item, "O(M^2 k), O(MN), O(N^2 k)")
    assert some.verdict == "partial"
    assert "(1) right." in some.feedback and "(2) There are M·N scores" in some.feedback
    one = judge.judge(item, "O(M^2 k)")
    assert one.verdict == "invalid" and "3 answers" in one.feedback
