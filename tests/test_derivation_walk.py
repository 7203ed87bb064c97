"""P4(a) as the sheet asks it: ∂J/∂W_g by the chain rule in the listed gradients,
walked step by step, each step and the result checked against finite differences of
a real LSTM run (h_{t−1} not frozen)."""

from __future__ import annotations

import numpy as np
import pytest

from content.expr.evaluate import evaluate
from content.judge import Judge

FULL = "dJ/dh_t (dh_t/dh_{t-1} dh_{t-1}/dW_g + dh_t/dC_t (dC_t/dC_{t-1} dC_{t-1}/dW_g + dC_t/dW_g))"

WALK = [
    ("lab11.p4.a.s1", "diag(f_t)"),
    ("lab11.p4.a.s2", "diag(i_t)"),
    ("lab11.p4.a.s3", "diag(tanh(C_t))"),
    ("lab11.p4.a.s4", "diag(o_t ∘ (1 - tanh(C_t)^2))"),
    ("lab11.p4.a.s5", "(1 - C̃_t^2) ∘ (x_t V)"),
    ("lab11.p4.a.s6", "i_t ∘ (1 - Ctilde_t^2) ∘ (x_t V)"),
    ("lab11.p4.a.s7", "dh_t/dC_t (dC_t/dC_{t-1} dC_{t-1}/dW_g + dC_t/dW_g)"),
    ("lab11.p4.a", FULL),
]


@pytest.mark.parametrize(("part", "answer"), WALK, ids=[w[0] for w in WALK])
def test_each_step_is_judged_against_finite_differences(
    judge: Judge, part: str, answer: str
) -> None:
    result = judge.judge(judge.course.item(part), answer)
    assert result.verdict == "correct", result.feedback
    assert result.evidence, "the verdict shows its finite-difference evidence"
    assert "differs" not in " ".join(result.evidence)


def test_the_answer_is_the_true_gradient_not_the_cell_path_with_h_frozen(judge: Judge) -> None:
    """The simulation differentiates J over the whole run; the old answer (cell path,
    every h_{t−1} frozen) is off by far more than the finite differences' error."""
    item = judge.course.item("lab11.p4.a")
    sim = judge.simulated(item)
    assert sim is not None
    frozen = item.parse("dJ/dh_t dh_t/dC_t (dC_t/dC_{t-1} dC_{t-1}/dW_g + dC_t/dW_g)")
    for point, estimate in zip(sim.points, sim.estimates, strict=True):
        exact = float(evaluate(item.parse(FULL), point).ravel()[0])
        cell_only = float(evaluate(frozen, point).ravel()[0])
        assert abs(exact - float(estimate.value)) < 1e-6
        assert abs(cell_only - float(estimate.value)) > 1e-4


@pytest.mark.parametrize(
    ("answer", "names"),
    [
        ("dJ/dh_t dh_t/dC_t (dC_t/dC_{t-1} dC_{t-1}/dW_g + dC_t/dW_g)", "∂h_t/∂h_{t−1}"),
        ("dJ/dh_t (dh_t/dh_{t-1} dh_{t-1}/dW_g + dh_t/dC_t dC_t/dW_g)", "∂C_t/∂C_{t−1}"),
        (
            "dJ/dh_t (dh_t/dh_{t-1} dh_{t-1}/dW_g + dh_t/dC_t dC_t/dC_{t-1} dC_{t-1}/dW_g)",
            "∂C_t/∂W_g",
        ),
        (
            "dJ/dh_t (dh_t/dh_{t-1} dh_{t-1}/dW_g + dC_t/dC_{t-1} dC_{t-1}/dW_g + dC_t/dW_g)",
            "∂h_t/∂C_t",
        ),
    ],
)
def test_dropping_a_path_is_wrong_and_the_feedback_names_it(
    judge: Judge, answer: str, names: str
) -> None:
    result = judge.judge(judge.course.item("lab11.p4.a"), answer)
    assert result.verdict == "incorrect"
    assert names in result.feedback


def test_multiplying_in_the_wrong_order_is_wrong(judge: Judge) -> None:
    wrong = (
        "dJ/dh_t (dh_{t-1}/dW_g dh_t/dh_{t-1}"
        " + dh_t/dC_t (dC_t/dC_{t-1} dC_{t-1}/dW_g + dC_t/dW_g))"
    )
    result = judge.judge(judge.course.item("lab11.p4.a"), wrong)
    assert result.verdict == "incorrect"
    assert "shapes do not fit" in result.feedback


@pytest.mark.parametrize(
    "answer",
    [
        # the kit's own steps substituted in: judged at one LSTM run's actual values
        "dJ/dh_t (dh_t/dh_t-1 dh_t-1/dW_g"
        " + dh_t/dC_t (diag(f_t) dC_t-1/dW_g + dC_t/dC̃_t dC̃_t/dW_g))",
        "dJ/dh_t (dh_t/dh_{t-1} dh_{t-1}/dW_g + diag(o_t ∘ (1 - tanh(C_t)^2)) "
        "(diag(f_t) dC_{t-1}/dW_g + (i_t ∘ (1 - Ctilde_t^2) ∘ (x_t V))^T))",
        # written with ∂, and in the other layout (the transposed chain)
        "∂J/∂h_t (∂h_t/∂h_{t-1} ∂h_{t-1}/∂W_g"
        " + ∂h_t/∂C_t (∂C_t/∂C_{t-1} ∂C_{t-1}/∂W_g + ∂C_t/∂W_g))",
        "(dh_{t-1}/dW_g)^T (dh_t/dh_{t-1})^T (dJ/dh_t)^T"
        " + (dC_t/dW_g + dC_t/dC_{t-1} dC_{t-1}/dW_g)^T (dh_t/dC_t)^T (dJ/dh_t)^T",
    ],
)
def test_equivalent_forms_are_accepted(judge: Judge, answer: str) -> None:
    result = judge.judge(judge.course.item("lab11.p4.a"), answer)
    assert result.verdict == "correct", result.feedback


def test_the_tied_points_are_one_run_each(judge: Judge) -> None:
    """diag(f_t) equals the measured ∂C_t/∂C_{t−1} at every point the answer is judged at."""
    item = judge.course.item("lab11.p4.a")
    for point in judge.sample(item).points:
        assert np.allclose(np.diag(point["f_t"].ravel()), point["dC_t/dC_{t-1}"], atol=1e-8)


def test_a_wrong_step_gets_its_own_feedback(judge: Judge) -> None:
    result = judge.judge(judge.course.item("lab11.p4.a.s4"), "diag(o_t)")
    assert result.verdict == "incorrect"
    assert "tanh" in result.feedback
