"""Which key ideas a free-text explanation contains.

Deliberately simple and predictable: a phrase is present when each of its words
begins some word of the text ("recurren" finds "recurrence"). Authors list
synonyms as separate phrases; the tutor says which ideas it found and which it
missed, so a student always knows why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from content.expr.lexer import GREEK
from content.schema import KeyIdea

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class IdeasReport:
    present: list[str]
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing

    def describe(self) -> str:
        parts = []
        if self.present:
            parts.append("You said: " + "; ".join(self.present) + ".")
        if self.missing:
            parts.append("Not yet in your answer: " + "; ".join(self.missing) + ".")
        return " ".join(parts)


def words(text: str) -> list[str]:
    text = "".join(" " + GREEK[ch] + " " if ch in GREEK else ch for ch in text)
    text = unicodedata.normalize("NFKD", text).lower()
    return _WORD.findall(text)


def phrase_present(phrase: str, text_words: list[str]) -> bool:
    return all(any(w.startswith(p) for w in text_words) for p in words(phrase))


def assess(text: str, ideas: list[KeyIdea]) -> IdeasReport:
    found = words(text)
    present: list[str] = []
    missing: list[str] = []
    for idea in ideas:
        hit = any(phrase_present(phrase, found) for phrase in idea.phrases)
        (present if hit else missing).append(idea.idea)
    return IdeasReport(present, missing)
