"""The P4a derivation can be walked step by step, each step checked against finite differences."""

from __future__ import annotations

import pytest

from content.judge import Judge

WALK = [
    ("lab11.p4.a.s1", "diag(f_t)"),
    ("lab11.p4.a.s2", "diag(i_t)"),
    ("lab11.p4.a.s3", "diag(tanh(C_t))"),
    ("lab11.p4.a.s4", "diag(o_t ∘ (1 - tanh(C_t)^2))"),
    ("lab11.p4.a.s5", "(1 - C̃_t^2) ∘ (x_t V)"),
    ("lab11.p4.a.s6", "f_t ∘ dC_{t-1} + i_t ∘ (1 - Ctilde_t^2) ∘ (x_t V)"),
    ("lab11.p4.a", "sum(dJ_dh ∘ o_t ∘ (1 - tanh(C_t)^2) ∘ dC_t)"),
]


@pytest.mark.parametrize(("part", "answer"), WALK, ids=[w[0] for w in WALK])
def test_each_step_is_judged_against_finite_differences(
    judge: Judge, part: str, answer: str
) -> None:
    result = judge.judge(judge.course.item(part), answer)
    assert result.verdict == "correct", result.feedback
    assert result.evidence, "the verdict shows its finite-difference evidence"
    assert "differs" not in " ".join(result.evidence)


def test_the_recursion_runs_over_a_sequence(judge: Judge) -> None:
    item = judge.course.item("lab11.p4.a.s6")
    ok, lines = judge.agreement(
        item, item.parse("f_t ∘ dC_{t-1} + i_t ∘ (1 - Ctilde_t^2) ∘ (x_t V)")
    )
    assert ok
    assert any("recursion run over 8 steps" in line for line in lines)
    # Dropping the forget gate is equivalent at no point of the sequence: the run disagrees.
    wrong, wrong_lines = judge.agreement(
        item, item.parse("dC_{t-1} + i_t ∘ (1 - Ctilde_t^2) ∘ (x_t V)")
    )
    assert not wrong
    assert any("differs" in line for line in wrong_lines)


def test_a_wrong_step_gets_its_own_feedback(judge: Judge) -> None:
    result = judge.judge(judge.course.item("lab11.p4.a.s4"), "diag(o_t)")
    assert result.verdict == "incorrect"
    assert "tanh" in result.feedback
