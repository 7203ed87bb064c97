"""Patterns an author writes for a key idea or a misconception, and how they match.

A pattern is one or more *terms* joined by `` + ``; all of them must occur in
one sentence of the student's text, in any order (`` > `` instead of `` + ``: the
left term comes first). A term is alternatives
joined by ``|``; an alternative is a phrase, read like the student's text
(lemmas, symbols, no function words), whose words must follow each other with
at most one other content word between them. ``{name}`` stands for any phrase of
the concept ``name`` (a list of synonyms in ``lab.yaml`` or the problem);
``word*`` matches any word beginning with ``word``.

A negation in a pattern is part of its claim: ``not remember + {past}`` is
stated by "it does not remember the past" and by "h_{t-1} is never
remembered", and *denied* by "it remembers the past". A text states a pattern
when its negations agree with the pattern's, and denies it when they disagree.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from content.reasons.lexicon import RELATIONS, strip_diacritics
from content.reasons.text import (
    CONTENT,
    GREEK,
    NEGATION,
    Sentence,
    Word,
    classify_at,
    prepare,
    tokens,
    translatable,
)

GAP = 1  # content words allowed between two words of a phrase
SPAN = 12  # content words that the terms of one pattern may spread over
MAX_CONCEPT_DEPTH = 4
MAX_COMBINATIONS = 5000  # ways to place a pattern's terms in one sentence, at most
_CONCEPT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_GROUP = re.compile(r"\(([^()]*\|[^()]*)\)")


class PatternError(ValueError):
    """A pattern that cannot be read; the message says what to change."""


@dataclass(frozen=True, slots=True)
class Concept:
    name: str


@dataclass(frozen=True, slots=True)
class Prefix:
    start: str


class Alternatives(tuple["Phrase", ...]):
    """A concept's or a group's phrases, indexed by their first word: a concept of 30
    phrases is looked up at each word of a sentence, not scanned."""

    @functools.cached_property
    def _by_first(self) -> tuple[dict[str, list[Phrase]], list[Phrase]]:
        by_word: dict[str, list[Phrase]] = {}
        others: list[Phrase] = []  # starting with a prefix, a concept or a group
        for phrase in self:
            head = phrase.items[0]
            if isinstance(head, str):
                by_word.setdefault(head, []).append(phrase)
            else:
                others.append(phrase)
        return by_word, others

    def starting_with(self, lemma: str) -> list[Phrase]:
        """The phrases that can start at a word ``lemma`` (the others checked in full)."""
        by_word, others = self._by_first
        return [*by_word.get(lemma, ()), *others]


@dataclass(frozen=True, slots=True)
class Group:
    """``(a b|c)`` inside a phrase: any of its alternatives, in place."""

    phrases: Alternatives


Item = str | Concept | Prefix | Group


@dataclass(frozen=True)
class Phrase:
    items: tuple[Item, ...]
    flips: bool  # an odd number of negations in the phrase: part of its claim

    def describe(self) -> str:
        shown = [_describe_item(i) for i in self.items]
        return ("not " if self.flips else "") + " ".join(shown)


def _describe_item(item: Item) -> str:
    if isinstance(item, Concept):
        return f"{{{item.name}}}"
    if isinstance(item, Prefix):
        return f"{item.start}*"
    if isinstance(item, Group):
        return "(" + "|".join(p.describe() for p in item.phrases) + ")"
    return item


@dataclass(frozen=True)
class Pattern:
    source: str
    terms: tuple[tuple[Phrase, ...], ...]
    legacy: bool = False  # the first format's phrases: stated or not, never denied
    # ordered[i]: term i must come before term i + 1 ("a > b"), not merely with it ("a + b")
    ordered: tuple[bool, ...] = ()


class Outcome(Enum):
    STATED = "stated"
    DENIED = "denied"


Lexicon = Mapping[str, Alternatives]


def trivial_word(word: str) -> bool:
    """A single letter or a number: in every reason about the subject ("z", "1"), so
    no evidence of an idea, nor of being on the subject."""
    return len(word) <= 1 or word.replace(".", "").isdigit()


def compile_phrases(text: str, legacy: bool = False) -> list[Phrase]:
    """An alternative as read, and — when it has Vietnamese words read in English
    ("cổng" → "gate") — also as typed, for a student who writes "cong" without
    diacritics."""
    phrases = [compile_phrase(text, legacy)]
    if translatable(text):
        with contextlib.suppress(PatternError):
            as_typed = compile_phrase(text, legacy, translate=False)
            if (
                as_typed.flips == phrases[0].flips  # "không gian" as typed reads "not gian"
                # "cổng vào" (the input gate) as typed reads "cong" (any gate): "vào"
                # is a function word there
                and len(as_typed.items) >= len(phrases[0].items)
            ):
                phrases.append(as_typed)
    return phrases


def compile_phrase(text: str, legacy: bool = False, translate: bool = True) -> Phrase:
    """One alternative: its words read like a student's, its negations counted.

    ``legacy`` reads every word as a prefix (the old ``phrases:`` format).
    """
    items: list[Item] = []
    flips = False
    for index, chunk in enumerate(_GROUP.split(text)):
        if index % 2:
            items.append(_group(chunk, legacy))
            continue
        if "|" in chunk:
            raise PatternError(
                f"{text!r}: a group '(a|b)' was cut short — it cannot hold brackets or '+' "
                "(they are the pattern's own syntax), so O(V) or 'K + 1' cannot be an "
                "alternative; patterns read words: name it in words ('linear in the "
                "vocabulary size', 'K negative samples')"
            )
        more, negated = _plain_items(chunk, legacy, translate)
        items.extend(more)
        flips ^= negated
    if not items:
        raise PatternError(f"{text!r} has no content word: it would match anything")
    return Phrase(tuple(items), flips)


def _group(text: str, legacy: bool) -> Group:
    """``(a|b|c)``: alternatives made only of function words ("(be|become)") are left
    out, as they are in a student's text; a group with nothing else is an error."""
    phrases = []
    for alternative in text.split("|"):
        with contextlib.suppress(PatternError):
            phrases.extend(compile_phrases(alternative, legacy))
    if not phrases:
        raise PatternError(f"({text}) has no content word: it would match anything")
    return Group(Alternatives(phrases))


@functools.lru_cache(maxsize=32768)  # the same words recur across a lab's patterns
def _plain_items(text: str, legacy: bool, translate: bool = True) -> tuple[tuple[Item, ...], bool]:
    """Words, ``{concepts}`` and ``prefixes*`` of a phrase without groups, and whether
    it holds an odd number of negations."""
    items: list[Item] = []
    flips = False
    for index, chunk in enumerate(_CONCEPT.split(text)):
        if index % 2:
            items.append(Concept(chunk))
            continue
        for piece in re.split(r"(\S+\*)", chunk):
            if piece.endswith("*") and " " not in piece.strip():
                items.append(Prefix(strip_diacritics(piece.strip()[:-1].lower())))
                continue
            raws = tokens(prepare(piece, translate))
            for position in range(len(raws)):
                word, role = classify_at(raws, position)
                if role == NEGATION:
                    flips = not flips
                elif role == CONTENT and word[0].isalnum():
                    items.append(Prefix(word) if legacy else word)
    return tuple(items), flips


@functools.lru_cache(maxsize=16384)
def compile_pattern(text: str, legacy: bool = False) -> Pattern:
    if "?" in text:
        raise PatternError(f"{text!r}: '?' is not pattern syntax; write each alternative out")
    terms = []
    pieces = re.split(r"\s([+>])\s", text)
    ordered = tuple(joint == ">" for joint in pieces[1::2])
    for term in pieces[::2]:
        alternatives = top_level_alternatives(term)
        if not alternatives:
            raise PatternError(f"{text!r} has an empty term (two '+' in a row?)")
        terms.append(tuple(p for a in alternatives for p in compile_phrases(a, legacy)))
    return Pattern(text, tuple(terms), legacy, ordered)


def top_level_alternatives(term: str) -> list[str]:
    """``a (b|c)|d`` → ``a (b|c)``, ``d``: the non-empty alternatives outside parentheses."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in term:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [a for a in out if a.strip()]


def compile_lexicon(concepts: Mapping[str, list[str]]) -> dict[str, Alternatives]:
    lexicon = {
        name: Alternatives(c for p in phrases for c in compile_phrases(p))
        for name, phrases in concepts.items()
    }
    for name, phrases in lexicon.items():
        for phrase in phrases:
            if phrase.flips:
                raise PatternError(
                    f"concept {name!r}: {phrase.describe()!r} has a negation; "
                    "put negations in the pattern that uses the concept"
                )
    return lexicon


# -- matching ----------------------------------------------------------------------------


def _items_at(
    items: tuple[Item, ...],
    words: tuple[Word, ...],
    at: int,
    first: bool,
    lexicon: Lexicon,
    depth: int,
    starts: Iterable[int] | None = None,
) -> list[tuple[int, int, bool]]:
    """Matches of ``items`` starting at or after ``at``: (start, end exclusive, whether
    any matched word is negated). ``first``: the start may be anywhere (``starts``: only
    those words)."""
    if not items:
        return [(at, at, False)]
    head, rest = items[0], items[1:]
    last = len(words) - 1 if first else min(at + GAP, len(words) - 1)
    out: list[tuple[int, int, bool]] = []
    for start in range(at, last + 1) if starts is None else starts:
        if not first and (
            (start > at and _tight(words, at, start))
            or words[start].stretch != words[at - 1].stretch  # "decoder, so the encoder output"
            or _relation_across(words[at - 1], words[start])
        ):
            break  # a phrase is said in one clause
        for end, negated in _item_at(head, words, start, lexicon, depth):
            for _, final, more in _items_at(rest, words, end, False, lexicon, depth):
                out.append((start, final, negated or more))
    return out


# Relations, and the words that say one ("almost", "close"): "the state passes almost
# unchanged and the candidate" does not say "state ≈ candidate"
_BINDING = RELATIONS | {"almost", "nearly", "roughly", "approximately", "near", "close"}


def _relation_across(before: Word, word: Word) -> bool:
    """A relation after "and" begins a new claim: in "(1 − z) ≈ 1 on the old state and
    ≈ 0 on ĥ_t" the state is not "≈ 0"."""
    return word.joined and not before.formula and word.lemma in _BINDING


def _tight(words: tuple[Word, ...], at: int, start: int) -> bool:
    """No word may be skipped next to a relation: in "h_t − h_{t−1} = z_t ĥ_t" the
    state is not "= ĥ_t"; nor is a symbol of a formula skipped: "√d σ²" is not "d²",
    "divide by √d" is not "divide by d"."""
    before = words[at - 1]
    if before.formula and all(words[k].formula for k in range(at, start + 1)):
        return True
    if any(words[k].lemma == "sqrt" for k in range(at, start)):
        return True  # "divide by √d" is not "divide by d"
    if any(words[k].formula and words[k].lemma in GREEK for k in range(at, start)):
        return True  # "cos(ω k)" is not "cos k": the letter is part of the argument
    landing = words[start].formula
    if landing and any(words[k].formula == landing for k in range(at, start)):
        return True  # "tanh(W x_t + 0)" is not "tanh 0": a term of its formula skipped
    return before.lemma in _BINDING or any(words[k].lemma in _BINDING for k in range(at, start + 1))


def _item_at(
    item: Item, words: tuple[Word, ...], at: int, lexicon: Lexicon, depth: int
) -> list[tuple[int, bool]]:
    word = words[at]
    if isinstance(item, str):
        return [(at + 1, word.negated)] if word.lemma == item else []
    if isinstance(item, Prefix):
        return [(at + 1, word.negated)] if word.lemma.startswith(item.start) else []
    if depth >= MAX_CONCEPT_DEPTH:
        raise PatternError(f"concepts nest deeper than {MAX_CONCEPT_DEPTH} (a circle?)")
    if isinstance(item, Group):
        phrases = item.phrases
    elif item.name in lexicon:
        phrases = lexicon[item.name]
    else:
        raise PatternError(f"unknown concept {{{item.name}}}")
    out: list[tuple[int, bool]] = []
    for phrase in phrases.starting_with(word.lemma):
        head, rest = phrase.items[0], phrase.items[1:]
        for end, negated in _item_at(head, words, at, lexicon, depth + 1):
            for _, final, more in _items_at(rest, words, end, False, lexicon, depth + 1):
                # "(positive|never below 0)": an alternative's own negation is part of
                # what it says, so "never goes below 0" reads as "positive"; and "goes
                # below 0" is no evidence either way (the group's other words decide)
                if (phrase.flips and not (negated or more)) or not _whole_sum(words, [(at, final)]):
                    continue
                out.append((final, (negated or more) != phrase.flips))
    return out


# (id(lexicon), id(phrase)) → (lexicon, phrase, heads): ids, not hashes (hashing a
# phrase walks its whole tree); the objects are kept so that an id is never reused
_HEADS: dict[tuple[int, int], tuple[object, Phrase, tuple[frozenset[str], tuple[str, ...]]]] = {}


Heads = tuple[frozenset[str], tuple[str, ...]]


def _heads(phrase: Phrase, lexicon: Lexicon, depth: int = 0) -> Heads:
    """The lemmas, and the prefixes, that a word must have for ``phrase`` to start at
    it: a phrase none of a sentence's words can start is not looked for in it."""
    key = (id(lexicon), id(phrase))
    cached = _HEADS.get(key)
    if cached is not None:
        return cached[2]
    head = phrase.items[0]
    words: set[str] = set()
    prefixes: list[str] = []
    if isinstance(head, str):
        words.add(head)
    elif isinstance(head, Prefix):
        prefixes.append(head.start)
    else:
        inner = head.phrases if isinstance(head, Group) else lexicon.get(head.name, ())
        if depth >= MAX_CONCEPT_DEPTH:
            raise PatternError(f"concepts nest deeper than {MAX_CONCEPT_DEPTH} (a circle?)")
        for alternative in inner:
            more, starts = _heads(alternative, lexicon, depth + 1)
            words |= more
            prefixes.extend(starts)
    found = (frozenset(words), tuple(prefixes))
    _HEADS[key] = (lexicon, phrase, found)
    return found


def _starts(phrase: Phrase, sentence: Sentence, lexicon: Lexicon) -> list[int]:
    """The words of ``sentence`` at which ``phrase`` may start."""
    words, prefixes = _heads(phrase, lexicon)
    if words.isdisjoint(sentence.lemmas) and not (
        prefixes and any(lemma.startswith(prefixes) for lemma in sentence.lemmas)
    ):
        return []
    return [
        k
        for k, word in enumerate(sentence.words)
        if word.lemma in words or (prefixes and word.lemma.startswith(prefixes))
    ]


def _term_readings(
    term: tuple[Phrase, ...], sentence: Sentence, lexicon: Lexicon
) -> set[tuple[int, int, bool, bool]]:
    """(start, end, negated in the text, negated in the pattern) for each way the term is found."""
    found: set[tuple[int, int, bool, bool]] = set()
    for phrase in term:
        starts = _starts(phrase, sentence, lexicon)
        if not starts:
            continue
        for start, end, negated in _items_at(
            phrase.items, sentence.words, 0, True, lexicon, 0, starts
        ):
            if (
                _whole_sum(sentence.words, [(start, end)])
                and not _cut_product(sentence.words, start, end)
                and not _cut_factor(sentence.words, start, end)
            ):
                found.add((start, end, negated, phrase.flips))
    return found


_EQUALITIES = frozenset({"eq", "approx"})


def _cut_product(words: tuple[Word, ...], start: int, end: int) -> bool:
    """An equation read up to the middle of a product or of a sum: "h_t = 0" is not
    said by "h_t = 0·h_{t−1} + tanh(W x_t)", nor "ĥ_t = tanh(W x_t)" by
    "ĥ_t = tanh(W x_t + U h_{t−1})"."""
    last = words[end - 1]
    if not (
        end < len(words)
        and last.formula != 0
        and words[end].formula == last.formula
        and words[end].clause == last.clause
        and any(w.lemma in _EQUALITIES for w in words[start:end])
    ):
        return False
    if words[end].summand == last.summand:
        return True  # the middle of a product
    # the rest of the sum counts unless each term is zeroed: "h_t = 1·h_{t−1} + 0·ĥ_t";
    # and a zeroed term is a claim of its own: "h_t = 0·h_{t−1} + …"
    read = [w for w in words[start:end] if w.formula == last.formula]
    if read and read[0].lemma == "0":
        return False
    rest = [w for w in words[end:] if w.formula == last.formula]
    firsts = {w.summand: w.lemma for w in reversed(rest)}
    return any(lemma != "0" for lemma in firsts.values())


def _cut_factor(words: tuple[Word, ...], start: int, end: int) -> bool:
    """An equation read from the middle of a product: "PE(pos) = PE(pos − 1)" is not
    said by "M·PE(pos) = PE(pos − 1)", whose left side is multiplied by M."""
    if start == 0 or words[start].lemma in _EQUALITIES:
        return False  # a term that begins at the "=" ("f = 0.99") cuts no left side
    before = words[start - 1]
    return (
        before.formula != 0
        and (
            (len(before.lemma) == 1 and before.lemma.isalpha())
            # "1 − z_t ≈ 1" is not "z_t ≈ 1": the relation is about the whole sum
            or before.formula == words[start].formula
        )
        and before.clause == words[start].clause
        and any(w.lemma in _EQUALITIES for w in words[start:end])
    )


def _overlap(combination: tuple[tuple[int, int, bool, bool], ...]) -> bool:
    """Two terms read from the same word: "entry + {independent}" is not said by
    "entries" alone, though "per entry" is one of {independent}'s phrases."""
    spans = sorted(c[:2] for c in combination)
    return any(spans[k][1] > spans[k + 1][0] for k in range(len(spans) - 1))


def _whole_sum(words: tuple[Word, ...], spans: Iterable[tuple[int, int]]) -> bool:
    """A sum is read whole or as one of its terms, never as a part of several terms:
    "N^2 + MN" is not said by "M^2 + N^2 + MN", nor "M N^2" by "N·M + N^2", though
    "z_t ĥ_t" is one term of "(1 − z_t) h_{t−1} + z_t ĥ_t"."""
    covered: dict[int, set[int]] = {}
    for start, end in spans:
        inside: dict[tuple[int, int], int] = {}  # (formula, term) → its words in the span
        for word in words[start:end]:
            if word.formula:
                key = (word.formula, word.summand)
                inside[key] = inside.get(key, 0) + 1
        if len(inside) > 1 and not _whole_terms(words, inside):
            return False
        for formula, term in inside:
            covered.setdefault(formula, set()).add(term)
    return all(
        len(summands) == 1 or summands >= {w.summand for w in words if w.formula == formula}
        for formula, summands in covered.items()
    )


def _whole_terms(words: tuple[Word, ...], inside: dict[tuple[int, int], int]) -> bool:
    """One phrase read across terms of a sum reads each of them whole: "m n 2" is not
    in "N·M + N^2", whose first term is "N·M". ``inside``: the words of each (formula,
    term) that the phrase read."""
    formulas = [formula for formula, _ in inside]
    return all(
        formulas.count(formula) == 1
        or n == sum(1 for w in words if (w.formula, w.summand) == (formula, term))
        for (formula, term), n in inside.items()
    )


def outcomes(
    pattern: Pattern, sentence: Sentence, lexicon: Lexicon, asserted: bool = False
) -> set[Outcome]:
    """Whether the sentence states the pattern, denies it, or both (in different places).

    The terms must lie within ``SPAN`` content words of each other: a long sentence
    about several things does not assemble a claim from its far ends."""
    readings = []
    for term in pattern.terms:  # a term not found ends it: most patterns fail at once
        found = _term_readings(term, sentence, lexicon)
        if not found:
            return set()
        readings.append(found)
    out: set[Outcome] = set()
    for combination in itertools.islice(itertools.product(*readings), MAX_COMBINATIONS):
        if max(c[1] for c in combination) - min(c[0] for c in combination) > SPAN:
            continue
        if any(
            before and combination[i][1] > combination[i + 1][0]
            for i, before in enumerate(pattern.ordered)
        ):
            continue
        if _overlap(combination) or not _whole_sum(sentence.words, [c[:2] for c in combination]):
            continue
        if _stray_letter(sentence.words, combination):
            continue
        judged = _judge(_absorbed(sentence.words, combination))
        if judged is Outcome.DENIED and pattern.legacy:
            continue  # written without polarity in mind: it cannot contradict
        words = [sentence.words[i] for c in combination for i in range(c[0], c[1])]
        if len({w.unit for w in words}) > 1:
            continue  # "if A, B, and if C, D": a claim is read within one condition
        supposed = any(w.hypothetical for w in words)
        required = any(w.modal for w in words)
        # "if": a hypothesis denies nothing, and asserts no misconception;
        # "a distribution needs Σ = 1" denies nothing either
        compared = _compared(sentence, combination)
        stated = judged is Outcome.STATED and not compared and not (asserted and supposed)
        # a contradiction is said in one clause, not assembled from several
        one_clause = len({w.clause for w in words}) == 1
        denied = (
            judged is Outcome.DENIED
            and one_clause
            and not (supposed or required or compared)
            and not all(w.nearly for w in words if w.negated)  # "almost no weight"
        )
        if stated:
            out.add(Outcome.STATED)
        elif denied:
            out.add(Outcome.DENIED)
    return out


_INEQUALITIES = frozenset({"gt", "lt", "ge", "le"})
LETTER_REACH = 2  # words between a one-letter symbol and the term it goes with, at most


def _absorbed(
    words: tuple[Word, ...], combination: tuple[tuple[int, int, bool, bool], ...]
) -> tuple[tuple[int, int, bool, bool], ...]:
    """A negation an alternative holds itself ("(independent|not care)") is spent on
    it: the words after it in its clause are not denied by it ("the sum doesn't care
    about the order" says the sum is order-independent; it does not deny "order")."""
    spent = [
        c
        for c in combination
        if not c[2] and not c[3] and any(words[k].negated for k in range(c[0], c[1]))
    ]
    if not spent:
        return combination
    return tuple(
        (c[0], c[1], False, c[3])
        if c[2] and any(s[0] < c[0] and words[s[0]].clause == words[c[0]].clause for s in spent)
        else c
        for c in combination
    )


def _stray_letter(
    words: tuple[Word, ...], combination: tuple[tuple[int, int, bool, bool], ...]
) -> bool:
    """A term read from a one-letter symbol alone ("r", "z", "d") far from every other
    term: such a letter is no evidence on its own ("… the opposite setting z ≈ 0 keeps
    h_t, whatever r is" does not say that r sets the state to zero), so it counts only
    next to another of the pattern's terms ("r ≈ 0", "z is now near 0")."""
    if len(combination) < 2:
        return False
    for k, (start, end, *_) in enumerate(combination):
        lemma = words[start].lemma
        if end - start != 1 or len(lemma) != 1 or not lemma.isalpha():
            continue
        others = [c for n, c in enumerate(combination) if n != k]
        if all(min(abs(o[0] - end), abs(start - o[1])) > LETTER_REACH for o in others):
            return True
    return False


def _compared(sentence: Sentence, combination: tuple[tuple[int, int, bool, bool], ...]) -> bool:
    """An inequality between the terms ("the sum is > 1") is a claim of its own: it
    neither states nor denies "the sum is 1"."""
    start = min(c[0] for c in combination)
    end = max(c[1] for c in combination)
    inside = {i for c in combination for i in range(c[0], c[1])}  # the pattern's own words
    return any(
        sentence.words[i].lemma in _INEQUALITIES for i in range(start, end) if i not in inside
    )


def _judge(combination: tuple[tuple[int, int, bool, bool], ...]) -> Outcome | None:
    """Stated, denied, or neither, for one placement of the terms: (start, end, negated
    in the text, negated in the pattern) each.

    A pattern that negates some terms ("{candidate} + not look + {past}") is stated
    when the text negates those (what follows a negation in its clause may be
    negated too), and never denied: the words without the negation are too often a
    purpose or a question ("to tell the model the order") to count as the opposite.
    A pattern without negation is stated when nothing is negated, and denied when
    its last term is ("the past is not forgotten"; but "no h_{t-1} is left, so it
    forgets" states "forgets").
    """
    flipped = [c for c in combination if c[3]]
    if flipped:
        # A negative claim is stated by a negation, but not denied by its absence: "to
        # tell the model the order" does not deny "attention cannot tell the order".
        return Outcome.STATED if all(c[2] for c in flipped) else None
    if not any(c[2] for c in combination):
        return Outcome.STATED
    last = max(combination, key=lambda c: (c[1], c[0]))
    return Outcome.DENIED if last[2] else None


def words_of(phrase: Phrase, lexicon: Lexicon, depth: int = 0) -> set[str]:
    """The words that alone make up an alternative of a phrase, its groups or concepts."""
    out: set[str] = set()
    for item in phrase.items:
        if isinstance(item, str | Prefix) and len(phrase.items) == 1:
            out.add(item if isinstance(item, str) else item.start + "*")
        elif isinstance(item, Group):
            for inner in item.phrases:
                out |= words_of(inner, lexicon, depth + 1)
        elif isinstance(item, Concept) and depth < MAX_CONCEPT_DEPTH:
            for inner in lexicon.get(item.name, ()):
                out |= words_of(inner, lexicon, depth + 1)
    return out


def concept_names(pattern: Pattern) -> set[str]:
    return {
        i.name for term in pattern.terms for p in term for i in p.items if isinstance(i, Concept)
    }
