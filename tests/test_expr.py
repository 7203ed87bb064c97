"""The expression language: every notation of DESIGN.md, read back in unicode."""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.course import Course
from content.domains import Shape, parse_domain, sample_point
from content.expr.errors import ParseError, ShapeError
from content.expr.evaluate import evaluate
from content.expr.parser import parse
from content.expr.printer import to_unicode
from content.expr.shapes import infer
from content.expr.vocabulary import Vocabulary
from content.judge import Judge

VOCAB = Vocabulary(
    frozenset({"mu", "sigma", "d", "x", "y", "Q", "K", "V", "n", "t", "d_v", "h_t", "C_{t-1}"})
)
SHAPES: dict[str, Shape] = {
    "mu": ("d", 1),
    "x": ("d", 1),
    "y": ("d", 1),
    "sigma": (1, 1),
    "d": (1, 1),
    "Q": ("n", "d"),
    "K": ("t", "d"),
    "V": ("t", "d_v"),
    "n": (1, 1),
    "t": (1, 1),
    "d_v": (1, 1),
    "h_t": (1, 1),
    "C_{t-1}": (1, 1),
}

READ_AS = [
    ("2 sigma^2 ||mu||^2 + d sigma^4", "2σ²‖μ‖² + dσ⁴"),
    ("2σ²‖μ‖² + dσ⁴", "2σ²‖μ‖² + dσ⁴"),
    ("d**2", "d²"),
    ("mu^T mu", "μᵀμ"),
    ("mu.T @ mu", "μᵀ @ μ"),
    ("μᵀ·μ", "μᵀ·μ"),
    ("x^T y", "xᵀy"),
    ("QK^T", "QKᵀ"),
    ("softmax(Q K^T) V", "softmax(QKᵀ)V"),
    ("sqrt(d) sigma^2", "√d σ²"),
    ("√(d σ⁴)", "√(dσ⁴)"),
    ("dsigma", "dσ"),
    ("-x^T x", "−xᵀx"),
    ("1/2 d", "(1/2)d"),
    ("sigma^-1", "σ⁻¹"),
    ("h_t C_{t-1}", "h_t C_{t−1}"),
    ("(d - 1)(d + 1)", "(d − 1)(d + 1)"),
    ("d - (d - 1)", "d − (d − 1)"),
    ("norm(mu)^2", "norm(μ)²"),
    ("|sigma|", "|σ|"),
    ("e^sigma", "e^σ"),
    ("pi sigma", "πσ"),
]


@pytest.mark.parametrize(("text", "echo"), READ_AS)
def test_read_as(text: str, echo: str) -> None:
    assert to_unicode(parse(text, VOCAB)) == echo


def test_echo_reparses_to_the_same_tree() -> None:
    for text, _ in READ_AS:
        tree = parse(text, VOCAB)
        again = parse(to_unicode(tree), VOCAB)
        point = _point()
        assert np.allclose(evaluate(tree, point), evaluate(again, point)), text


def _point() -> dict[str, np.ndarray]:
    domains = {
        "d": parse_domain("integer 3..3"),
        "n": parse_domain("integer 4..4"),
        "t": parse_domain("integer 5..5"),
        "d_v": parse_domain("integer 2..2"),
        "mu": parse_domain("vector[d]"),
        "x": parse_domain("vector[d]"),
        "y": parse_domain("vector[d]"),
        "sigma": parse_domain("positive"),
        "Q": parse_domain("matrix[n, d]"),
        "K": parse_domain("matrix[t, d]"),
        "V": parse_domain("matrix[t, d_v]"),
        "h_t": parse_domain("real"),
        "C_{t-1}": parse_domain("real"),
    }
    return sample_point(domains, np.random.default_rng(0))


def test_implicit_multiplication_and_power_precedence() -> None:
    p = _point()
    s, d = float(p["sigma"][0, 0]), float(p["d"][0, 0])
    assert evaluate(parse("2 sigma^2", VOCAB), p)[0, 0] == pytest.approx(2 * s**2)
    assert evaluate(parse("-sigma^2", VOCAB), p)[0, 0] == pytest.approx(-(s**2))
    assert evaluate(parse("2^3^2", VOCAB), p)[0, 0] == pytest.approx(2**9)
    assert evaluate(parse("d/2 sigma", VOCAB), p)[0, 0] == pytest.approx(d / 2 * s)


def test_vectors_and_matrices() -> None:
    p = _point()
    mu = p["mu"]
    assert evaluate(parse("||mu||^2", VOCAB), p)[0, 0] == pytest.approx((mu.T @ mu).item())
    assert evaluate(parse("dot(mu, x)", VOCAB), p)[0, 0] == pytest.approx((mu.T @ p["x"]).item())
    assert evaluate(parse("mu · x", VOCAB), p)[0, 0] == pytest.approx((mu.T @ p["x"]).item())
    attention = evaluate(parse("softmax(Q K^T) V", VOCAB), p)
    scores = p["Q"] @ p["K"].T
    weights = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    assert np.allclose(attention, weights @ p["V"])
    assert infer(parse("softmax(Q K^T) V", VOCAB), SHAPES) == ("n", "d_v")


def test_shape_errors_are_explained() -> None:
    with pytest.raises(ShapeError, match=r"KQᵀ\)? is t×n, but V is t×d_v"):
        infer(parse("softmax(K Q^T) V", VOCAB), SHAPES)
    with pytest.raises(ShapeError, match="for a dot product write μᵀx"):
        infer(parse("mu x", VOCAB), SHAPES)
    with pytest.raises(ShapeError, match="powers of matrices are not read"):
        infer(parse("Q^2", VOCAB), SHAPES)
    assert infer(parse("mu^2", VOCAB), SHAPES) == ("d", 1)  # element-wise for vectors


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("sigma^^2", "expected a number, a name or '('"),
        ("(d + 1", "'(' opened here is not closed"),
        ("d + 1)", "no matching opening bracket"),
        ("||mu", "'‖' opened here is not closed"),
        ("foo + d", "unknown name 'foo'"),
        ("exp d", "is a function"),
        ("dot(mu)", "takes 2 arguments"),
        ("2 $ 3", "cannot read the character '$'"),
        ("", "empty"),
    ],
)
def test_errors_say_what_and_where(text: str, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text, VOCAB)
    assert reason in caught.value.reason
    assert caught.value.col >= 1


HOSTILE = [
    "__import__('os').system('echo pwned')",
    "x.__class__.__bases__",
    "sigma.real",
    "lambda: 1",
    "(lambda x: x)(1)",
    "[x for x in range(10**9)]",
    "9^9^9^9",
    "9**9**9**9",
    "10^1000",
    "2^(2^(2^(2^100)))",
    "(" * 500 + "d" + ")" * 500,
    "-" * 5000 + "d",
    "d+" * 50_000 + "d",
    "d" * 100_000,
    "d\x00",
    "d\u202e + 1",
    "d 🙂",
    "eval('1')",
    "exec('1')",
    "open('/etc/passwd')",
    "globals()",
    "sigma; import os",
    "1e999999",
    "d" + "^d" * 1000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_invalid_fast_and_runs_nothing(
    judge: Judge, course: Course, text: str
) -> None:
    item = course.item("lab11.p6.b")
    judge.judge(item, "d sigma^4")  # warm the caches before forbidding anything
    calls: list[str] = []
    saved = {
        name: getattr(builtins, name) for name in ("eval", "exec", "compile", "__import__", "open")
    }

    def forbid(name: str) -> Callable[..., None]:
        def refuse(*args: object, **kwargs: object) -> None:
            calls.append(name)
            raise RuntimeError(f"the judge called {name}")

        return refuse

    started = time.perf_counter()
    try:
        for name in saved:
            setattr(builtins, name, forbid(name))
        result = judge.judge(item, text)
    finally:
        for name, original in saved.items():
            setattr(builtins, name, original)
    elapsed = time.perf_counter() - started
    assert calls == []
    assert result.verdict in {"invalid", "incorrect"}
    assert elapsed < 0.5, f"took {elapsed:.3f} s"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gets_a_verdict(judge: Judge, text: str) -> None:
    item = judge.course.item("lab11.p6.b")
    assert judge.judge(item, text).verdict in {"correct", "partial", "incorrect", "invalid"}
