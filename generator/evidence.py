"""A simulation's evidence line as a card shows it: a sentence, in numbers every machine agrees on.

``check`` prints the prover's lines as they are (an author wants every digit);
a card is read by a student and hashed into the lock, so here:

- the prover's verdict prefix goes ("true: …", "(a): …"): the card's own answer says it;
- a difference or residual below 10⁻⁹ reads "less than 10⁻⁹": its digits are
  round-off, which differs between CPUs and BLAS kernels;
- every other number keeps at most four significant digits (a number given
  with its ± keeps its digits: its precision is stated), and e-notation is
  written as ×10ⁿ (a whole number below 10⁷ in full: 33230, not 3.323e+04).
"""

from __future__ import annotations

import math
import re

ROUND_OFF = 1e-9  # below this, a difference between two computations is round-off
_DIGITS = 4

_ARRAY = re.compile(r"simulated an? (\S+) array, formula max \|difference\| (\S+)")
_PREFIX = re.compile(r"^(?:true|false|\([a-z0-9]+\)):\s*", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.^_])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]*[a-zA-Z_(])")
# Words after which a small number measures how far two computations disagree.
_DISAGREEMENT = re.compile(r"(?:\bby|\bresidual of)\s*$")
_WORD_FIRST = re.compile(r"[a-z]{2,}\b(?!\s*[=(_^])")
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def card_evidence(line: str) -> str:
    """``line`` from the prover, as the back of a card shows it."""
    text = _PREFIX.sub("", line.strip())
    text = _ARRAY.sub(r"the formula and the simulated \1 array differ by \2", text)
    out: list[str] = []
    end = 0
    for match in _NUMBER.finditer(text):
        before = text[end : match.start()]
        out.append(before)
        after = text[match.end() :].lstrip()
        if after.startswith("±"):
            out.append(match.group())
        else:
            out.append(_number(match.group(), disagreement=bool(_DISAGREEMENT.search(before))))
        end = match.end()
    out.append(text[end:])
    sentence = "".join(out)
    if _WORD_FIRST.match(sentence):  # not a symbol: "x = 3" keeps its case
        sentence = sentence[:1].upper() + sentence[1:]
    return sentence


def _number(literal: str, *, disagreement: bool) -> str:
    value = float(literal)
    if disagreement and abs(value) < ROUND_OFF:
        return "less than 10⁻⁹"
    if "e" not in literal.lower() and _significant(literal) <= _DIGITS:
        return literal  # already short: keep it as the prover wrote it (0.90, 100)
    return readable(value)


def readable(value: float) -> str:
    """A number as a card writes it: four significant digits, ×10ⁿ for the very
    large or small, a whole number below 10⁷ in full."""
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    if value == int(value) and exponent < 7:
        return str(int(value))
    if -3 <= exponent < 5:
        decimals = max(_DIGITS - 1 - exponent, 0)
        return f"{value:.{decimals}f}"
    mantissa = f"{value / 10**exponent:.{_DIGITS - 1}f}".rstrip("0").rstrip(".")
    return f"{mantissa}×10{str(exponent).translate(_SUPERSCRIPT)}"


def _significant(literal: str) -> int:
    digits = literal.lstrip("-").replace(".", "").lstrip("0")
    return len(digits)
