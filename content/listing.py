"""Several answers typed in one line, for a question that asks for several:
"O(M^2 k), O(MNk), O(N^2 k)" or "(1) O(M^2 k) (2) O(MNk) (3) O(N^2 k)".

A plain scan, like the formula lexer: labels (1) 1) 1. (a) a) in order, or else
separators outside brackets (, ; newline, "and").
"""

from __future__ import annotations

import re

# "(1)", "1)", "1.", "1:", "(a)", "a)" — at the start or after a space or separator
_LABEL = re.compile(r"(?:^|(?<=[\s,;]))\(?([1-9]|[a-h])[).:](?=\s|$)", re.IGNORECASE)
_ORDER = "123456789"
_LETTERS = "abcdefgh"


def split_answers(text: str, count: int) -> list[str] | None:
    """``count`` answers in order, or None when the text does not hold that many."""
    labelled = _by_labels(text, count)
    if labelled is not None:
        return labelled
    pieces = [p.strip() for p in _top_level_split(text)]
    pieces = [p for p in pieces if p]
    return pieces if len(pieces) == count else None


def _by_labels(text: str, count: int) -> list[str] | None:
    marks = list(_LABEL.finditer(text))
    for alphabet in (_ORDER, _LETTERS):
        wanted = list(alphabet[:count])
        found = [m for m in marks if m[1].lower() in wanted]
        if [m[1].lower() for m in found] == wanted:
            ends = [m.start() for m in found[1:]] + [len(text)]
            items = [
                text[m.end() : end].strip().strip(",;").strip()
                for m, end in zip(found, ends, strict=True)
            ]
            return items if all(items) else None
    return None


def _top_level_split(text: str) -> list[str]:
    """Split at , ; newlines and the word "and", outside brackets."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    words = re.split(r"(\s+and\s+)", text)
    for chunk in words:
        if re.fullmatch(r"\s+and\s+", chunk) and depth == 0:
            out.append("".join(current))
            current = []
            continue
        for ch in chunk:
            depth += (ch in "([{") - (ch in ")]}")
            if ch in ",;\n" and depth <= 0:
                out.append("".join(current))
                current = []
            else:
                current.append(ch)
    out.append("".join(current))
    return out
