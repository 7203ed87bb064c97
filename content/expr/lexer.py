"""Turn a student's text into tokens, normalising the many ways people type math.

Everything here is a plain scan over characters: no regular expression is run on
unbounded input with backtracking, and no character outside the whitelist gets
through (it becomes a ``ParseError`` naming the character and its column).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum

from content.expr.errors import ParseError

MAX_INPUT_CHARS = 1000


class Tok(Enum):
    NUM = "number"
    NAME = "name"
    OP = "operator"
    LPAREN = "'('"
    RPAREN = "')'"
    COMMA = "','"
    NORM = "'‖'"
    BAR = "'|'"
    SUP = "superscript"
    TRANSPOSE = "transpose"
    SQRT = "'√'"
    END = "end of input"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Tok
    text: str
    col: int  # 1-based column in the original input


GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ϵ": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "µ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "φ": "phi",
    "ϕ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Σ": "Sigma",
    "Δ": "Delta",
}

SUPERSCRIPTS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
    "⁻": "-",
}

# Operators, longest spelling first; each maps to its canonical form.
OPERATORS = (
    ("**", "^"),
    ("^", "^"),
    ("+", "+"),
    ("-", "-"),
    ("−", "-"),
    ("–", "-"),
    ("*", "*"),
    ("×", "*"),
    ("/", "/"),
    ("÷", "/"),
    ("@", "@"),
    ("·", "·"),
    ("⋅", "·"),
    ("∘", "∘"),
    ("⊙", "∘"),
    ("∙", "·"),
)
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {")", "]", "}"}


def _is_name_start(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_name_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum())


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_INPUT_CHARS:
        raise ParseError(
            f"the answer is {len(text)} characters long; at most {MAX_INPUT_CHARS} are read",
            1,
        )
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        col = i + 1
        if ch in " \t\n\r\u00a0":
            i += 1
            continue
        if (ch.isascii() and ch.isdigit()) or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            j = _scan_number(text, i)
            tokens.append(Token(Tok.NUM, text[i:j], col))
            i = j
            continue
        if (
            ch == "."
            and text[i + 1 : i + 2] == "T"
            and not _is_name_char(text[i + 2 : i + 3] or " ")
        ):
            tokens.append(Token(Tok.TRANSPOSE, ".T", col))
            i += 2
            continue
        derivative = _scan_derivative(text, i) if ch in "d∂" else None
        if derivative is not None:
            i, name = derivative
            tokens.append(Token(Tok.NAME, name, col))
            continue
        if _is_name_start(ch) or ch in GREEK:
            j, name = _scan_name(text, i)
            tokens.append(Token(Tok.NAME, name, col))
            i = j
            continue
        if ch in SUPERSCRIPTS:
            j = i
            while j < n and text[j] in SUPERSCRIPTS:
                j += 1
            digits = "".join(SUPERSCRIPTS[c] for c in text[i:j])
            if not any(c.isdigit() for c in digits):
                raise ParseError("a superscript minus needs a number after it", col)
            tokens.append(Token(Tok.SUP, digits, col))
            i = j
            continue
        if ch in "ᵀ⊤":
            tokens.append(Token(Tok.TRANSPOSE, "ᵀ", col))
            i += 1
            continue
        if ch == "√":
            tokens.append(Token(Tok.SQRT, "√", col))
            i += 1
            continue
        if ch == "‖" or text.startswith("||", i):
            tokens.append(Token(Tok.NORM, "‖", col))
            i += 1 if ch == "‖" else 2
            continue
        if ch == "|":
            tokens.append(Token(Tok.BAR, "|", col))
            i += 1
            continue
        if ch in OPENERS:
            tokens.append(Token(Tok.LPAREN, ch, col))
            i += 1
            continue
        if ch in CLOSERS:
            tokens.append(Token(Tok.RPAREN, ch, col))
            i += 1
            continue
        if ch == ",":
            tokens.append(Token(Tok.COMMA, ",", col))
            i += 1
            continue
        for spelling, canonical in OPERATORS:
            if text.startswith(spelling, i):
                tokens.append(Token(Tok.OP, canonical, col))
                i += len(spelling)
                break
        else:
            raise ParseError(f"cannot read the character {_describe(ch)}", col)
    tokens.append(Token(Tok.END, "", n + 1))
    return tokens


def _scan_number(text: str, i: int) -> int:
    n = len(text)
    j = i
    while j < n and text[j].isascii() and text[j].isdigit():
        j += 1
    if j < n and text[j] == "." and text[j + 1 : j + 2].isdigit():
        j += 1
        while j < n and text[j].isascii() and text[j].isdigit():
            j += 1
    # Scientific notation only when an exponent really follows: "2e" stays 2·e.
    if j < n and text[j] in "eE":
        k = j + 1
        if k < n and text[k] in "+-":
            k += 1
        if k < n and text[k].isascii() and text[k].isdigit():
            while k < n and text[k].isascii() and text[k].isdigit():
                k += 1
            j = k
    return j


def _scan_name(text: str, i: int) -> tuple[int, str]:
    """A name: letters and digits, or one Greek letter, then an optional subscript.

    Subscripts are ``_t``, ``_g``, ``_{t-1}``; they are part of the name, so
    ``C_{t-1}`` and ``h_t`` are single variables.
    """
    n = len(text)
    if text[i] in GREEK:
        name = GREEK[text[i]]
        j = i + 1
    else:
        j = i
        while j < n and _is_name_char(text[j]):
            j += 1
        name = text[i:j]
    if j < n and text[j] in "\u0303~":  # C̃ (combining tilde) or C~: "Ctilde"
        name += "tilde"
        j += 1
    if j < n and text[j] == "_":
        if text[j + 1 : j + 2] == "{":
            close = text.find("}", j + 2)
            if close == -1 or close - j > 20:
                raise ParseError("a subscript '_{' is not closed with '}'", j + 1)
            sub = text[j + 2 : close].replace(" ", "").replace("−", "-")
            if not sub or not all(c.isascii() and (c.isalnum() or c in "+-") for c in sub):
                raise ParseError("a subscript may hold letters, digits, '+' and '-'", j + 1)
            return close + 1, f"{name}_{{{sub}}}" if len(sub) > 1 else f"{name}_{sub}"
        k = j + 1
        while k < n and _is_name_char(text[k]):
            k += 1
        if k == j + 1:
            raise ParseError("'_' must be followed by a subscript", j + 1)
        return k, f"{name}_{text[j + 1 : k]}"
    return j, name


def _scan_derivative(text: str, i: int) -> tuple[int, str] | None:
    """``dJ/dh_t``, ``∂h_t/∂h_{t-1}``, ``dC_t/dC_t-1``: a derivative written as one
    symbol, named ``dJ/dh_t``; None when the text is not one (``dC_{t-1}`` alone is
    a name, ``d/2`` a division)."""
    top = _derivative_side(text, i)
    if top is None:
        return None
    j, numerator = top
    while j < len(text) and text[j] == " ":
        j += 1
    if j >= len(text) or text[j] != "/":
        return None
    j += 1
    while j < len(text) and text[j] == " ":
        j += 1
    bottom = _derivative_side(text, j)
    if bottom is None:
        return None
    end, denominator = bottom
    return end, f"d{numerator}/d{denominator}"


def _derivative_side(text: str, i: int) -> tuple[int, str] | None:
    """``d`` or ``∂`` then a name; ``h_t-1`` read as ``h_{t-1}``, as in a subscript."""
    if text[i : i + 1] not in ("d", "∂"):
        return None
    start = i + 1
    if start >= len(text) or not (_is_name_start(text[start]) or text[start] in GREEK):
        return None
    j, name = _scan_name(text, start)
    step = text[j : j + 2]
    if "_" in name and "{" not in name and step in ("-1", "+1"):
        base, sub = name.split("_", 1)
        return j + 2, f"{base}_{{{sub}{step}}}"
    return j, name


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}"
    if ch.isprintable() and not unicodedata.category(ch).startswith("C"):
        return f"'{ch}' ({code} {name})".replace(" )", ")")
    return f"{code} {name}".strip()
