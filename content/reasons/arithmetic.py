"""Numbers a student works out in a reason, worked out again.

"0.99^50 ≈ 0.95, so the cell path is almost lossless" argues from a number that
is wrong (0.99⁵⁰ = 0.605). Where a reason writes a computation between numbers
only — ``0.9^50 ≈ 0.005``, ``sqrt(512) ≈ 22.6``, ``σ(0) = 0.5`` — both sides are
read with the answer parser (never evaluated as code) and compared, allowing for
the rounding the student wrote. Anything with a letter that is not a known
function or constant (``h_t = 0.5``, ``d = 512``) is a claim about the problem,
not arithmetic, and is left to the patterns.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from content.expr.errors import ParseError, ShapeError
from content.expr.evaluate import evaluate
from content.expr.parser import parse
from content.expr.vocabulary import CONSTANTS, FUNCTION_ALIASES, FUNCTIONS, Vocabulary
from content.reasons.text import decimal_points

_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+)"
    r"|(?P<rel>(?<![<>!=])(?:≈|≃|≅|~|=)(?!=)"
    r"|\b(?:(?:is|are|comes? out|gives?|equals?) )?(?:about|around|roughly|approx(?:imately|\.)?)\b"
    r"|\b(?:is|equals?)\b)"
    r"|(?P<name>[A-Za-zσπ√]+)"
    r"|(?P<op>\*\*|[\^*/+\-−×·()])"
    r"|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)"  # a power, as the answer parser reads it: 0.9⁵⁰
    r"|(?P<space>\s+)"
    r"|(?P<other>.)"
)
_EQUALS = frozenset({"=", "is", "equals", "equal"})
_NAMES = frozenset({*FUNCTIONS, *FUNCTION_ALIASES, *CONSTANTS, "π", "√", "σ"})
_NO_VARIABLES = Vocabulary(frozenset())
_BINARY = frozenset({"*", "**", "/", "^", "·", "×", "+", "−"})
_GLUE = re.compile(r"[\w}\]'|]")  # a run glued to these is an argument or a subscript
EQUAL_RTOL, APPROX_RTOL = 0.02, 0.15  # beyond the digits written: "=" and "≈"
NEAR_ZERO = {"=": 0.01, "≈": 0.05}  # "0.9^50 ≈ 0" is fair; "0.99^50 ≈ 0" is not


@dataclass(frozen=True)
class Claim:
    """``left relation right`` as typed, with what the left side really is."""

    typed: str
    left: str
    value: float
    holds: bool


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def arithmetic(self) -> bool:
        return self.kind in ("num", "op", "sup", "space") or (
            self.kind == "name" and self.text in _NAMES
        )


_SIGNED_EXPONENT = re.compile(r"(\d[eE])−(?=\d)")


_LIBRARY = re.compile(r"\b(?:np|numpy|torch|math|F)\.(?=[a-z])")


def claims(text: str) -> list[Claim]:
    """Every computation between numbers that ``text`` states, checked."""
    typed = text
    text = decimal_points(text)  # "0,5" is 0.5: the same length, so positions hold in both
    text = _SIGNED_EXPONENT.sub(r"\1-", text)  # "5e−3": a typographic minus, one character too
    # "0.5*np.tanh(0.5)": a library's name is not part of the product (blanked, so that
    # positions still hold in both)
    text = _LIBRARY.sub(lambda m: " " * len(m[0]), text)
    tokens = [
        _Token(m.lastgroup or "other", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]
    out: list[Claim] = []
    for at, token in enumerate(tokens):
        if token.kind != "rel":
            continue
        left = _run(tokens, at, -1)
        right = _run(tokens, at, +1)
        if left is None or right is None:
            continue
        claim = _check(text, typed, left, right, "=" if token.text in _EQUALS else "≈")
        if claim is not None:
            out.append(claim)
    return out


def _run(tokens: list[_Token], at: int, step: int) -> tuple[int, int, bool] | None:
    """The arithmetic next to the relation at ``at`` (before it for ``step`` −1, after it
    for +1): its span in the text and whether a "%" follows it; None if there is none,
    or if it is glued to something that makes it part of a larger name."""
    k = at + step
    taken: list[_Token] = []
    while 0 <= k < len(tokens) and tokens[k].arithmetic:
        taken.append(tokens[k])
        k += step
    if step < 0:
        taken.reverse()
    taken = _balanced(taken, step)
    if not taken or not any(t.kind == "num" for t in taken):
        return None
    outside = tokens[k] if 0 <= k < len(tokens) else None
    edge = taken[0] if step < 0 else taken[-1]
    glued = outside is not None and (outside.end == edge.start or edge.end == outside.start)
    percent = step > 0 and outside is not None and outside.text == "%"
    if glued and not percent and _GLUE.match(outside.text if outside else ""):
        return None
    return taken[0].start, taken[-1].end, percent


def _balanced(taken: list[_Token], step: int) -> list[_Token]:
    """The run without the spaces at its ends and without a bracket opened or closed
    outside it ("(since 0.9^50 ≈ 0.005)"); empty when it is the end of a formula over
    the problem's symbols ("d·σ^4 = …")."""
    unmatched: list[int] = []  # brackets the run opens and does not close
    for k, token in enumerate(taken):
        if token.text == "(":
            unmatched.append(k)
        elif token.text == ")" and unmatched:
            unmatched.pop()
        elif token.text == ")":  # closes a bracket opened before the run
            return _balanced(taken[:k] if step > 0 else taken[k + 1 :], step)
    if unmatched:  # opens a bracket closed after the run
        return _balanced(taken[: unmatched[0]] if step > 0 else taken[unmatched[-1] + 1 :], step)
    while taken and taken[0].kind == "space":
        taken = taken[1:]
    while taken and taken[-1].kind == "space":
        taken = taken[:-1]
    if taken and (taken[0].text in _BINARY or taken[-1].text in _BINARY | {"-"}):
        return []
    return taken


def _value(text: str) -> float | None:
    try:
        got = float(np.asarray(evaluate(parse(text, _NO_VARIABLES), {})).item())
    except (ParseError, ShapeError, ArithmeticError, ValueError, TypeError):
        return None
    return got if math.isfinite(got) else None


def _check(
    text: str, typed: str, left: tuple[int, int, bool], right: tuple[int, int, bool], relation: str
) -> Claim | None:
    """The claim between ``left`` and ``right`` (positions in ``text``, which is ``typed``
    with decimal points), worked out; quoted as ``typed``."""
    lhs, rhs = text[left[0] : left[1]], text[right[0] : right[1]]
    if _plain(lhs) and _plain(rhs):
        return None  # two numbers: nothing worked out
    computed, written = _value(lhs), _value(rhs)
    if computed is None or written is None:
        return None
    if right[2]:
        written /= 100
    holds = _agrees(computed, written, rhs.strip(), relation) or _agrees(
        written, computed, lhs.strip(), relation
    )
    quoted = typed[left[0] : right[1] + (1 if right[2] else 0)]  # with the "%" after it
    return Claim(" ".join(quoted.split()), " ".join(lhs.split()), computed, holds)


def _plain(side: str) -> bool:
    return re.fullmatch(r"\s*[-−]?(\d+(\.\d+)?([eE][-+−]?\d+)?|\.\d+)\s*", side) is not None


def _agrees(value: float, written: float, literal: str, relation: str) -> bool:
    """``value`` is what ``literal`` (a side as written) says it is, up to the digits
    written there, or up to the relation's tolerance."""
    if written == 0:
        return abs(value) <= NEAR_ZERO[relation]
    if _plain(literal) and "." in literal and "e" not in literal.lower():
        decimals = len(literal.strip().split(".")[1])
        if abs(value - written) <= 0.5 * 10.0**-decimals * 1.0001:
            return True
    rtol = EQUAL_RTOL if relation == "=" else APPROX_RTOL
    return abs(value - written) <= rtol * abs(written)
