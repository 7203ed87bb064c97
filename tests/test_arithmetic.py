"""Numbers a student works out in a reason are worked out again (content/reasons/arithmetic)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content.course import Course
from content.judge import Judge
from content.reasons.arithmetic import claims


def checked(text: str) -> list[tuple[str, bool]]:
    return [(claim.typed, claim.holds) for claim in claims(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("True. 0.99^50 ≈ 0.95 so it is almost lossless", [("0.99^50 ≈ 0.95", False)]),
        ("0.9^50 ≈ 0.05, i.e. 5% is left", [("0.9^50 ≈ 0.05", False)]),
        (
            "(0.99)^50 ≈ 0.6 (vs 0.9^50 ≈ 0.005)",
            [("(0.99)^50 ≈ 0.6", True), ("0.9^50 ≈ 0.005", True)],
        ),
        ("0.9⁵⁰ ≈ 5×10⁻³ and 0.99⁵⁰≈0.61", [("0.9⁵⁰ ≈ 5×10⁻³", True), ("0.99⁵⁰≈0.61", True)]),
        ("0.9^50 ≈ 5e−3 (a typographic minus)", [("0.9^50 ≈ 5e−3", True)]),
        ("0.9^50 ≈ 5e−2", [("0.9^50 ≈ 5e−2", False)]),
        ("0.9^50 ≈ 0.5% of it", [("0.9^50 ≈ 0.5%", True)]),
        ("i = f = o = σ(0) = 0.5, c~ = tanh(0) = 0", [("σ(0) = 0.5", True), ("tanh(0) = 0", True)]),
        ("d = 512, so std = sqrt(512) ≈ 22.6", [("sqrt(512) ≈ 22.6", True)]),
        ("so 0.9^50 ≈ 0 for all purposes", [("0.9^50 ≈ 0", True)]),
        ("but 0.99^50 ≈ 0", [("0.99^50 ≈ 0", False)]),
        # powers beyond 64, as students work them over 100 steps (set 101)
        ("(0.99^100 > 0.5), 0.99^100 ≈ 0.6", [("0.99^100 ≈ 0.6", False)]),
        (
            "0.99^100 ≈ 0.37 and 1.1^100 ≈ 13780",
            [("0.99^100 ≈ 0.37", True), ("1.1^100 ≈ 13780", True)],
        ),
        ("2^10 = 1000 exactly", [("2^10 = 1000", False)]),
        ("0.99^50 is about 0.95, so", [("0.99^50 is about 0.95", False)]),
        ("and 0.9^50 is 0.005", [("0.9^50 is 0.005", True)]),
    ],
)
def test_arithmetic_between_numbers_is_worked_out(
    text: str, expected: list[tuple[str, bool]]
) -> None:
    assert checked(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Var = d·σ^4 = 512",  # the end of a formula over the problem's symbols
        "f(0) = 0.5",  # an argument of a function it does not know
        "h_t = 0.5·h_{t−1} + 0.5 = 1",
        "q ~ N(0, 1) and z_t ~ 1",  # a distribution; a symbol
        "p = (0.98, 0.01, 0.01)",
        "the sum = 1 for a softmax",
        "d = 512",  # two numbers are not a computation
        "the sum is 1 and it is about 0.6",
    ],
)
def test_a_claim_about_the_problem_is_not_arithmetic(text: str) -> None:
    assert claims(text) == []


@given(
    base=st.floats(0.05, 0.999),
    power=st.integers(2, 60),
    factor=st.sampled_from([0.2, 0.5, 2.0, 5.0]),
)
def test_a_rounded_power_holds_and_a_wrong_one_does_not(
    base: float, power: int, factor: float
) -> None:
    value = float(f"{base:.3f}") ** power
    right = f"{base:.3f}^{power} ≈ {value:.3g}"
    assert checked(right) == [(right, True)]
    # "#": trailing zeros kept, so that the wrong value is wrong to the digits typed
    # ("0.0100", where "0.01" would stand for anything in [0.005, 0.015])
    wrong = f"{base:.3f}^{power} ≈ {value * factor:#.3g}"
    assert checked(wrong) == [(wrong, False)]


def test_a_miscalculation_makes_a_reason_wrong_and_is_corrected(
    judge: Judge, course: Course
) -> None:
    """A right verdict argued from a wrong number is not the right reason."""
    item = course.item("lab11.p4.b.s2")
    judged = judge.judge(item, "True. 0.99^50 ≈ 0.95 so the cell path is almost lossless")
    assert judged.verdict == "incorrect"
    assert "You wrote “0.99^50 ≈ 0.95”, but 0.99^50 = 0.605." in judged.feedback
    assert judged.to_json()["miscalculated"] == ["0.99^50 ≈ 0.95"]
    right = judge.judge(item, "True: 0.99^50 ≈ 0.61 keeps most of it, 0.9^50 ≈ 0.005 almost none")
    assert right.verdict == "correct" and "miscalculated" not in right.to_json()


def test_a_decimal_comma_is_a_decimal_point_and_quoted_as_typed() -> None:
    """ "σ(0) = 0,5" (a Vietnamese decimal) holds; "0,99^50 ≈ 0,9" does not."""
    right, wrong = claims("σ(0) = 0,5 and 0,99^50 ≈ 0,9")
    assert right.holds and right.typed == "σ(0) = 0,5"
    assert not wrong.holds and wrong.typed == "0,99^50 ≈ 0,9"
