"""What ``check`` says about an author's patterns before any student meets them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache

from content.reasons.patterns import (
    _GROUP,
    Concept,
    Lexicon,
    PatternError,
    Phrase,
    compile_pattern,
    compile_phrase,
    top_level_alternatives,
    trivial_word,
)
from content.reasons.rubric import Rubric, lexicon_for
from content.schema import Reasoned, WrongClaim


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
    signed = _SIGNED.search(text)
    if signed:
        return (
            f"{signed[0].strip()!r}: a minus sign is not read (reasons are read without "
            "it: (−1, 1) reads as '1 1'); write the numbers as they read"
        )
    for written in re.split(r"\s[+>]\s", text):
        for alternative in _alternatives(written):
            problem = _shrunk(alternative, legacy)
            if problem:
                return problem
    if len(pattern.terms) == 1:
        for alternative in top_level_alternatives(text):
            phrase = compile_phrase(alternative, legacy)  # as read (not its as-typed twin)
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


# a negative number ("(-1|−1)"), not a subscript ("h_t-1") or a difference ("t − 1")
_SIGNED = re.compile(r"(?:^|[\s(|])[-−]\d")


def _alternatives(term: str) -> Iterator[str]:
    """Every alternative of a term, and of the groups inside it."""
    for alternative in top_level_alternatives(term):
        yield alternative
        for group in _GROUP.findall(alternative):
            yield from _alternatives(group)


@lru_cache(maxsize=8192)
def _empty_alternative(group: str, legacy: bool = False) -> str | None:
    """An alternative of ``(a|b)`` that reads as nothing: empty (it does not make the
    group optional), or only function words, negations or symbols the reader skips
    ("(like|giống)", "(no|without) bias", "(∝|approx)") — it can never match, so the
    pattern says less than its author meant."""
    for alternative in group.split("|"):
        if not alternative.strip():
            return (
                f"({group}) has an empty alternative: a group cannot be left out; write "
                "the pattern with and without it"
            )
        try:
            compile_phrase(alternative, legacy)
        except PatternError:
            return (
                f"{alternative.strip()!r} in ({group}) reads as nothing — function words, a "
                "lone negation and symbols like ∝ are skipped in students' text and here — "
                "so it never matches: leave it out, or write the words it goes with "
                "('not bias*' for 'no bias')"
            )
    return None


@lru_cache(maxsize=8192)
def _shrunk(alternative: str, legacy: bool = False) -> str | None:
    """An alternative that reads as a lone letter or number once its function words
    are dropped: "o d" (meant as O(d)) reads "d", and "f i" reads "f" ("I" is a
    pronoun): either is in every reason."""
    if "(" in alternative or "{" in alternative:
        return None
    try:
        phrase = compile_phrase(alternative, legacy)
    except PatternError:
        return None
    written = len(alternative.split())
    if written > 1 and len(phrase.items) == 1 and not phrase.flips and _trivial(phrase):
        return (
            f"{alternative.strip()!r} reads as {phrase.describe()!r}: its other words are "
            "function words, which patterns ignore, and a lone letter or number is no evidence"
        )
    return None


def _trivial(phrase: Phrase) -> bool:
    if len(phrase.items) != 1:
        return False
    item = phrase.items[0]
    word = item if isinstance(item, str) else getattr(item, "start", None)
    return word is not None and trivial_word(word)


def lexicon_problem(*tables: Mapping[str, list[str]]) -> str | None:
    """What is wrong with the concepts of ``tables`` (with the defaults), or None."""
    try:
        lexicon = lexicon_for(*tables)
    except PatternError as exc:
        return str(exc)
    for table in tables:
        for name, texts in table.items():
            for text in texts:
                problem = _shrunk(text)
                if problem:
                    return f"concept {name!r}: {problem}"
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


def silent_alternative(text: str, legacy: bool = False) -> str | None:
    """A group alternative of ``text`` that can never match (see ``_empty_alternative``).
    ``check`` fails on it, with file and line; loading does not, since the pattern still
    works with its other alternatives — it only says less than its author meant."""
    for written in re.split(r"\s[+>]\s", text):
        for group in _GROUP.findall(written):
            problem = _empty_alternative(group, legacy)
            if problem:
                return problem
    return None


def silent_alternatives(part: Reasoned) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each pattern of a part with an alternative that reads as nothing."""
    for where, text, legacy in _patterns_of(part):
        problem = silent_alternative(text, legacy)
        if problem:
            yield where, f"pattern {text!r}: {problem}"


def part_problems(part: Reasoned, lexicon: Lexicon) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each unusable pattern of a part, with its place under the part: ``("key_ideas",
    0, "patterns", 2)``."""
    for where, text, legacy in _patterns_of(part):
        problem = pattern_problem(text, lexicon, legacy)
        if problem:
            yield where, f"pattern {text!r}: {problem}"


def denial_problems(part: Reasoned) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each misconception's ``denies`` that names no key idea of the part."""
    for i, wrong in enumerate(part.misconceptions):
        for j, idea in wrong.denied(part.key_ideas):
            if idea is None:
                yield (
                    ("misconceptions", i, "denies", j),
                    f"denies key idea {wrong.denies[j]}, but the part has key ideas 1 to "
                    f"{len(part.key_ideas)}",
                )


def unrestated_denials(
    part: Reasoned, rubric: Rubric
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each idea a misconception denies that its feedback does not restate: a
    correction says what is right, and the restatement is what shows that the
    misconception and the idea are about the same thing."""
    for i, wrong in enumerate(part.misconceptions):
        restated = rubric.restates(wrong.feedback) if wrong.denies else frozenset()
        for j, idea in wrong.denied(part.key_ideas):
            if idea is not None and idea.idea not in restated:
                yield (
                    ("misconceptions", i, "denies", j),
                    f"denies key idea {wrong.denies[j]} ({idea.idea!r}), but its feedback "
                    "does not restate it (none of the idea's patterns reads it there): say "
                    "in the feedback what is right, or leave the idea out",
                )


def claim_problems(
    claims: Sequence[WrongClaim], lexicon: Lexicon
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each unusable pattern of the lab's wrong claims, with its place in ``lab.yaml``.
    New in the format, so an alternative that reads as nothing is an error here already,
    when the lab loads, not only in ``check``."""
    for i, claim in enumerate(claims):
        for j, text in enumerate(claim.patterns):
            problem = pattern_problem(text, lexicon) or silent_alternative(text)
            if problem:
                yield ("misconceptions", i, "patterns", j), f"pattern {text!r}: {problem}"


def _patterns_of(part: Reasoned) -> Iterator[tuple[tuple[str | int, ...], str, bool]]:
    """Every pattern of a part: its place under the part, its text, and whether it is
    written in the old ``phrases:`` format."""
    for i, idea in enumerate(part.key_ideas):
        for field, legacy in (("patterns", False), ("phrases", True)):
            for j, text in enumerate(getattr(idea, field)):
                yield ("key_ideas", i, field, j), text, legacy
    for i, wrong in enumerate(part.misconceptions):
        for j, text in enumerate(wrong.patterns):
            yield ("misconceptions", i, "patterns", j), text, False
