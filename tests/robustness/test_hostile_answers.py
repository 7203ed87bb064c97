"""Students type anything: every answer gets a verdict, fast, and nothing is run."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.judge import Judge

HOSTILE = [
    "__import__('os').system('echo pwned')", "__class__", "x.__class__.__bases__[0].__subclasses__()",
    "mu.__dict__", "sigma.real", "lambda: 1", "lambda x: x", "(lambda: 0)()", "[x for x in range(9)]",
    "{k: v for k in d}", "(i for i in mu)", "9^9^9^9", "9**9**9**9", "2^(2^(2^(2^100)))", "10^1000",
    "1e999999", "(" * 1000 + "d" + ")" * 1000, "-" * 10_000 + "d", "d+" * 50_000 + "d", "d" * 100_000,
    "x" * 100_000, "d\x00", "\x00", "d\u202e + 1", "\u202ed sigma^4", "d 🙂", "🙂" * 1000,
    "eval('1')", "exec('1')", "open('/etc/passwd').read()", "globals()", "sigma; import os",
    "d; rm -rf /", "$(whoami)", "`id`", "${HOME}", "d sigma^4 # comment", "<script>alert(1)</script>",
    "' OR 1=1 --", "\\x41", "d\r\nsigma", "\t\t\t", "|" * 500, "‖" * 500, "√" * 500,
    "sqrt(" * 200 + "d" + ")" * 200, "softmax(" * 100 + "Q" + ")" * 100, "norm(norm(norm(mu)))",
]  # fmt: skip

PARTS = [
    "lab11.p6.b",
    "lab11.p5.b",
    "lab11.p7.3.s1",
    "lab11.p3.a",
    "lab11.p6.d.s2",
    "lab11.p1",
    "lab11.p1.s1",
]


@pytest.mark.parametrize("part", PARTS)
def test_hostile_answers_get_a_verdict_quickly(judge: Judge, part: str) -> None:
    item = judge.course.item(part)
    judge.judge(item, item.part.fixtures.correct[0])  # warm the caches
    slowest = 0.0
    for text in HOSTILE:
        started = time.perf_counter()
        result = judge.judge(item, text)
        slowest = max(slowest, time.perf_counter() - started)
        assert result.verdict in {"invalid", "incorrect"}, (text[:40], result.verdict)
        assert result.feedback
    assert slowest < 0.5


# -- fuzzing ------------------------------------------------------------------------------

NAMES = ["d", "sigma", "mu", "σ", "μ", "2", "0.5", "1e3", "pi", "e", "x"]
FUNCTIONS = ["exp", "log", "sqrt", "tanh", "sigmoid", "norm", "sum", "softmax", "abs"]


def expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(NAMES)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(
                inner, st.sampled_from([" + ", " - ", "*", "/", "^", " ", "·", "∘", "@"]), inner
            ).map("".join),
            st.tuples(st.sampled_from(FUNCTIONS), inner).map(lambda t: f"{t[0]}({t[1]})"),
            inner.map(lambda s: f"({s})"),
            inner.map(lambda s: f"||{s}||"),
            inner.map(lambda s: f"-{s}"),
            inner.map(lambda s: f"{s}^T"),
        )

    return st.recursive(leaves, extend, max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(expressions())
def test_grammar_expressions(judge: Judge, text: str) -> None:
    started = time.perf_counter()
    result = judge.judge(judge.course.item("lab11.p6.b"), text)
    assert result.verdict in {"correct", "partial", "incorrect", "invalid"}
    assert time.perf_counter() - started < 0.5


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_random_unicode(judge: Judge, text: str) -> None:
    for part in ("lab11.p5.b", "lab11.p7.3.s1", "lab11.p3.b"):
        result = judge.judge(judge.course.item(part), text)
        assert result.verdict in {"correct", "partial", "incorrect", "invalid"}
