"""Judgements a TA would dispute, each settled (issue: content truth, §4)."""

from __future__ import annotations

import numpy as np
import pytest

from content.domains import parse_domain, sample_point
from content.judge import Judge


def test_the_scaled_attention_is_accepted_with_a_note(judge: Judge) -> None:
    result = judge.judge(judge.course.item("lab11.p5.b"), "softmax(Q K^T / sqrt(d)) V")
    assert result.verdict == "correct"
    assert "Problem 6" in result.feedback
    assert judge.judge(judge.course.item("lab11.p5.b"), "softmax(Q K^T / d) V").verdict == (
        "incorrect"
    )


def test_sqrt_d_is_partly_right_and_one_is_explained_by_the_reading(judge: Judge) -> None:
    item = judge.course.item("lab11.p6.c")
    root = judge.judge(item, "sqrt(d)")
    assert root.verdict == "partial" and "μ = 0 and σ = 1" in root.feedback
    one = judge.judge(item, "1")
    assert one.verdict == "incorrect" and "Read literally" in one.feedback


def test_a_step_that_says_mu_is_zero_is_judged_at_mu_zero(judge: Judge) -> None:
    item = judge.course.item("lab11.p6.d.s1")
    general = judge.judge(item, "d sigma^4 + 2 sigma^2 ||mu||^2")
    assert general.verdict == "correct"  # the general formula, at μ = 0
    assert "‖μ‖ = 0" in " ".join(general.evidence)


def test_a_constant_domain() -> None:
    point = sample_point({"d": parse_domain("integer 3..3"), "mu": parse_domain("vector[d] 0..0")},
                         np.random.default_rng(0))  # fmt: skip
    assert point["mu"].shape == (3, 1) and not point["mu"].any()


def test_a_row_for_a_column_is_accepted_where_the_entries_are_the_answer(judge: Judge) -> None:
    item = judge.course.item("lab11.p5.a.s1")
    assert judge.judge(item, "h^T H^T").verdict == "correct"
    assert judge.judge(item, "H h").verdict == "correct"


def test_a_number_rounded_too_far_is_told_so(judge: Judge) -> None:
    result = judge.judge(judge.course.item("lab11.p1.s1"), "0.005")
    assert result.verdict == "incorrect" and "not precise enough" in result.feedback
    far = judge.judge(judge.course.item("lab11.p1.s1"), "0.05")
    assert "not precise enough" not in far.feedback


def test_show_that_steps_check_the_form(judge: Judge) -> None:
    # "as a single fraction": 1 − σ(x) written as a difference is the right value, not the form
    two = judge.judge(judge.course.item("lab11.p2.a.s2"), "1 - 1/(1+exp(-x))")
    assert two.verdict == "incorrect" and "one fraction" in two.feedback
    # "multiply through by eˣ": e^(−x) left in place is not done yet, however it is written
    for unchanged in ("e^(-x)/(1+e^(-x))", "exp(-x)/(1+exp(-x))"):
        assert judge.judge(judge.course.item("lab11.p2.a.s3"), unchanged).verdict == "incorrect"


def test_the_hidden_size_may_be_counted_or_held_fixed(judge: Judge) -> None:
    item = judge.course.item("lab11.p7.4.s2")
    assert judge.judge(item, "O(N^2 k + N M k)").verdict == "correct"
    fixed = judge.judge(item, "O(N^2 + N M)")
    assert fixed.verdict == "correct" and "held fixed" in fixed.feedback


def test_a_model_width_is_even() -> None:
    domain = parse_domain("integer 16..64 even")
    rng = np.random.default_rng(0)
    assert all(int(sample_point({"d": domain}, rng)["d"][0, 0]) % 2 == 0 for _ in range(50))


def test_a_star_between_two_rows_is_read_element_wise(judge: Judge) -> None:
    result = judge.judge(judge.course.item("lab11.p4.a.s4"), "diag(o_t * (1 - tanh(C_t)^2))")
    assert result.verdict == "correct" and result.read_as == "diag(o_t ∘ (1 − tanh(C_t)²))"


def test_reasons_a_ta_disputed(judge: Judge) -> None:
    p3b = judge.course.item("lab11.p3.b")
    for wrong in ("False, the error still flows through the memory cell",
                  "False, because the gradient flows through the forget gate path"):  # fmt: skip
        assert judge.judge(p3b, wrong).verdict == "incorrect"
    p4b = judge.course.item("lab11.p4.b")
    assert judge.judge(p4b, "The ∂C_t/∂C̃_t term: it equals i_t, additive").verdict == ("incorrect")
    assert judge.judge(p4b, "∂C_t/∂C_{t-1}").verdict == "partial"  # the term, not yet why


def test_sigma_squared_root_d_is_partly_right_like_root_d(judge: Judge) -> None:
    item = judge.course.item("lab11.p6.c")
    result = judge.judge(item, "sigma^2 sqrt(d)")
    assert result.verdict == "partial" and "μ = 0" in result.feedback


# A second TA read (session 6): right answers that carry a caveat, a counterexample or a
# disclaimer were told they held the misconception they disown. Each pair: the caveat is
# heard as one, and the misconception itself is still caught.
CAVEATS = [
    (
        "lab11.p1",
        "In BPTT the gradient to an early step is a product of T-t Jacobians; below 1 it "
        "shrinks exponentially so long-range dependencies are not learned, above 1 it can "
        "explode and training is unstable. A larger learning rate makes exploding worse "
        "but is not the cause.",
        "Vanishing gradients happen because the learning rate is too small, so the updates "
        "are tiny.",
    ),
    (
        "lab11.p1",
        "In BPTT the gradient to an early step is a product of T-t Jacobians; below 1 it "
        "shrinks exponentially so long-range dependencies are not learned, above 1 it can "
        "explode and training is unstable. Note the weights themselves do not vanish; the "
        "gradient does.",
        "The weights themselves vanish or explode over time, so the network forgets.",
    ),
    (
        "lab11.p3.c",
        "True. Even for a negative input value the sigmoid output is positive, since "
        "sigma(x) = 1/(1+e^{-x}) is in (0,1).",
        "False, because the sigmoid can output negative values for negative inputs.",
    ),
    (
        "lab11.p3.a",
        "False. Counterexample: h_{t-1} = 0.5, c_{t-1} = 1, x_t = 0 gives a new h_t. Only "
        "when h_{t-1} = 0 and c_{t-1} = 0 is h_t = h_{t-1}.",
        "True, with no input h_t = h_{t-1} because nothing new comes in.",
    ),
    (
        "lab11.p7.4.s1",
        "False. The encoder only reads the source sentence; its activations do not depend "
        "on the decoder's (during training gradients do flow into the encoder, but "
        "activations don't).",
        "True, the encoder depends on the decoder because the gradients flow back into the "
        "encoder during training.",
    ),
]


@pytest.mark.parametrize(("part", "caveat", "misconception"), CAVEATS)
def test_a_caveat_is_not_the_misconception_it_resembles(
    judge: Judge, part: str, caveat: str, misconception: str
) -> None:
    item = judge.course.item(part)
    assert judge.judge(item, caveat).verdict == "correct"
    assert judge.judge(item, misconception).verdict == "incorrect"


@pytest.mark.parametrize("answer", ["mu^2", "d mu^2", "d*mu^2"])
def test_a_squared_vector_is_told_that_mu_is_a_vector(judge: Judge, answer: str) -> None:
    """Not only "a vector of size d": what the slip is, and the scalar meant."""
    result = judge.judge(judge.course.item("lab11.p6.a"), answer)
    assert result.verdict == "incorrect"
    assert "μ is a vector" in result.feedback and "μᵀμ" in result.feedback
