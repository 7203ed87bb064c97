"""What ``check`` says about an author's patterns before any student meets them."""

from __future__ import annotations

from collections.abc import Mapping

from content.reasons.patterns import (
    Concept,
    Lexicon,
    PatternError,
    Phrase,
    _top_level_split,
    compile_lexicon,
    compile_pattern,
)
from content.reasons.rubric import Rubric


def pattern_problem(text: str, lexicon: Lexicon, legacy: bool = False) -> str | None:
    """Why a pattern cannot be used, or None: it must read, name known concepts, and
    not rest on one letter or one number ("z" is in every reason about z_t)."""
    try:
        pattern = compile_pattern(text, legacy)
    except PatternError as exc:
        return str(exc)
    for term in pattern.terms:
        for phrase in term:
            for item in phrase.items:
                if isinstance(item, Concept) and item.name not in lexicon:
                    known = ", ".join(sorted(lexicon)) or "none"
                    return f"unknown concept {{{item.name}}} (known: {known})"
    if len(pattern.terms) == 1:
        for alternative, phrase in zip(_alternatives(text), pattern.terms[0], strict=False):
            dropped = len(alternative.split()) > 1 and "(" not in alternative
            if len(phrase.items) == 1 and not phrase.flips and dropped:
                return (
                    f"{alternative.strip()!r} reads as {phrase.describe()!r} alone: the other "
                    "words are function words, which patterns ignore"
                )
            if _trivial(phrase):
                return (
                    f"{phrase.describe()!r} alone is a single letter or number: it is no "
                    "evidence of an idea (join it to a claim with ' + ')"
                )
    return None


def _alternatives(text: str) -> list[str]:
    return [a for a in _top_level_split(text) if a.strip()]


def _trivial(phrase: Phrase) -> bool:
    if len(phrase.items) != 1:
        return False
    item = phrase.items[0]
    word = item if isinstance(item, str) else getattr(item, "start", None)
    return word is not None and (len(word) <= 1 or word.replace(".", "").isdigit())


def lexicon_problem(concepts: Mapping[str, list[str]]) -> str | None:
    try:
        lexicon = compile_lexicon(concepts)
    except PatternError as exc:
        return str(exc)
    for name, phrases in lexicon.items():
        for phrase in phrases:
            for item in phrase.items:
                if isinstance(item, Concept) and item.name not in lexicon:
                    return f"concept {name!r} uses the unknown concept {{{item.name}}}"
    return _cycle(lexicon)


def _cycle(lexicon: Lexicon) -> str | None:
    def visit(name: str, trail: tuple[str, ...]) -> str | None:
        if name in trail:
            return "concepts refer to each other in a circle: " + " → ".join((*trail, name))
        for phrase in lexicon.get(name, ()):
            for item in phrase.items:
                if isinstance(item, Concept):
                    found = visit(item.name, (*trail, name))
                    if found:
                        return found
        return None

    for name in lexicon:
        found = visit(name, ())
        if found:
            return found
    return None


def lint_rubric(rubric: Rubric) -> list[str]:
    problems = []
    for idea in rubric.ideas:
        for pattern in idea.patterns:
            problem = pattern_problem(pattern.source, rubric.lexicon, pattern.legacy)
            if problem:
                problems.append(f"key idea {idea.text!r}: pattern {pattern.source!r}: {problem}")
    for wrong in rubric.misconceptions:
        for pattern in wrong.patterns:
            problem = pattern_problem(pattern.source, rubric.lexicon)
            if problem:
                problems.append(f"misconception: pattern {pattern.source!r}: {problem}")
    return problems
