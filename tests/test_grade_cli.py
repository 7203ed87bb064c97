"""``nlpdrill grade`` keeps the contract of DESIGN.md."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def grade(part: str, answer: str) -> tuple[int, dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "grade", part, answer, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.returncode, json.loads(result.stdout.strip().splitlines()[-1])


def test_mu_zero_case_is_incorrect_with_feedback() -> None:
    code, out = grade("lab11.p6.b", "d*sigma^4")
    assert code == 0
    assert out["verdict"] == "incorrect"
    assert "μ = 0" in str(out["feedback"])
    assert out["read_as"] == "d·σ⁴"
    assert set(out) >= {"part", "verdict", "read_as", "feedback"}


def test_full_variance_is_correct() -> None:
    code, out = grade("lab11.p6.b", "d sigma^4 + 2 sigma^2 ||mu||^2")
    assert (code, out["verdict"], out["read_as"]) == (0, "correct", "dσ⁴ + 2σ²‖μ‖²")


def test_mean_is_correct() -> None:
    code, out = grade("lab11.p6.a", "mu^T mu")
    assert (code, out["verdict"], out["read_as"]) == (0, "correct", "μᵀμ")


@pytest.mark.parametrize("word", ["false", "FALSE", "f", "F", "no", "No", "Sai", "sai rồi"])
def test_true_false_words(word: str) -> None:
    """A right verdict without its reason is partial: DESIGN's contract."""
    out = grade("lab11.p3.a", word)[1]
    assert out["verdict"] == "partial"
    assert "Why?" in str(out["feedback"])


@pytest.mark.parametrize("word", ["true", "T", "yes", "Đúng", "đúng vậy"])
def test_a_wrong_verdict_alone_is_incorrect(word: str) -> None:
    assert grade("lab11.p3.a", word)[1]["verdict"] == "incorrect"


def test_invalid_answer_exits_zero_with_reason() -> None:
    code, out = grade("lab11.p6.b", "d sigma^^4")
    assert code == 0 and out["verdict"] == "invalid"
    assert "column" in str(out["feedback"])


def test_derivation_id_judges_the_final_result() -> None:
    assert grade("lab11.p2.a", "1 - sigma(x)")[1]["verdict"] == "correct"
    assert grade("lab11.p2.a.s1", "1/(1+exp(x))")[1]["verdict"] == "correct"


def test_unknown_part_exits_nonzero() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "grade", "lab11.p9.z", "x", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "no part 'lab11.p9.z'" in result.stderr


def test_matrix_attention() -> None:
    assert grade("lab11.p5.b", "softmax(Q K^T) V")[1]["verdict"] == "correct"
    _, raw = grade("lab11.p5.b", "Q K^T V")
    assert raw["verdict"] == "incorrect"
    assert "softmax" in str(raw["feedback"])
    _, swapped = grade("lab11.p5.b", "softmax(K Q^T) V")
    assert swapped["verdict"] == "incorrect"
    assert "KQᵀ) is t×n, but V is t×d_v" in str(swapped["feedback"])


@pytest.mark.parametrize("answer", ["O(M^2 k)", "M*M*k", "k M²"])
def test_complexity_accepts_equivalent_growth(answer: str) -> None:
    assert grade("lab11.p7.3.s1", answer)[1]["verdict"] == "correct"


def test_complexity_without_hidden_size_points_to_it() -> None:
    _, out = grade("lab11.p7.3.s1", "O(M^2)")
    assert out["verdict"] == "incorrect"
    assert "hidden size" in str(out["feedback"])


def test_grade_prints_feedback_as_plain_text() -> None:
    """Without --json the feedback is for a terminal: math in unicode, no $…$ and no
    Markdown escapes (the JSON keeps the Markdown for front ends that render it)."""
    done = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "grade", "lab11.p2.b",
         "true: h_t ≈ h_{t-1}, the old state is copied"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    feedback = done.stdout.splitlines()[1]
    assert feedback.startswith("correct: ") and "$" not in feedback and "\\_" not in feedback
    assert "h_{t−1}" in feedback or "hₜ₋₁" in feedback or "h_t" in feedback
    assert "“h_t ≈ h_{t-1}, the old state is copied”" in feedback
