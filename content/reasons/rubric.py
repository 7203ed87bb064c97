"""What a reason says, read against a part's key ideas and misconceptions.

Precision comes first: an idea is *present* only when a sentence states it with
the pattern's polarity, and *contradicted* when a sentence states the opposite
(an idea stated and then denied is contradicted). A list of keywords states
no idea, though its words are still read for a misconception. When nothing
matches a reason of some length, the judge does not guess: it says it cannot
tell (``uncertain``), and the tutor asks the student to compare with the model
answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from content.reasons.arithmetic import Claim, claims
from content.reasons.landmarks import landmark_error
from content.reasons.lexicon import DEFAULT_CONCEPTS, RELATIONS
from content.reasons.patterns import (
    Lexicon,
    Outcome,
    Pattern,
    compile_lexicon,
    compile_pattern,
    concept_names,
    outcomes,
    trivial_word,
    words_of,
)
from content.reasons.text import Sentence, read_quoted
from content.schema import KeyIdea, Misconception, WrongClaim

UNCERTAIN_WORDS = 5  # content words of a reason the judge cannot place: it says so …
ON_TOPIC_WORDS = 2  # … if it is about the part at all (not code, not another subject)
# A reason this long that states none of the part's ideas argues from something
# else (a vague reason is short: "because of the gates"): it misses the point, as a
# teacher marks it — though, when it is about the part's subject, the judge still
# says it may have missed a rewording.
OFF_POINT_WORDS = 10
# A sentence of at least this many content words that no pattern read is a claim the
# judge did not check ("also c_t is reset to 0"): feedback says so rather than let a
# "right" stand for it.
UNCHECKED_WORDS = 3
UNCHECKED_SHOWN = 2


@dataclass(frozen=True)
class Idea:
    text: str
    patterns: tuple[Pattern, ...]
    required: bool


@dataclass(frozen=True)
class Wrong:
    patterns: tuple[Pattern, ...]
    feedback: str
    question: str | None
    conditional: bool = False  # an implication: a supposition ("if …") states it too
    verdict: bool | None = None  # only for an answer giving this true/false verdict
    alone: bool = False  # wrong only as the whole reason, not beside a key idea
    aside: bool = False  # true but beside the point: the reason is missing, not wrong
    claim: int | None = None  # which of the lab's wrong claims, if it is one (for `check`)
    denies: frozenset[str] = frozenset()  # the key ideas (their text) a student denies by it


@dataclass(frozen=True, eq=False)
class Rubric:
    """A part's ideas and misconceptions, compiled once."""

    ideas: tuple[Idea, ...]
    misconceptions: tuple[Wrong, ...]
    lexicon: Lexicon

    def on_topic(self, lemmas: set[str]) -> int:
        """How many of ``lemmas`` belong to the part's vocabulary (``word*``: a prefix)."""
        prefixes = [v[:-1] for v in self.vocabulary if v.endswith("*")]
        return sum(1 for w in lemmas if w in self.vocabulary or any(map(w.startswith, prefixes)))

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The words the key ideas' patterns can match: what "on topic" means for the
        part. Not the misconceptions': they name whatever students confuse the part
        with (PyTorch, CNNs, ranges), and relations ("=") are about nothing."""
        patterns = [p for idea in self.ideas for p in idea.patterns]
        return frozenset(
            word
            for pattern in patterns
            for name in concept_names(pattern) | {""}
            for phrase in (*[a for t in pattern.terms for a in t], *self.lexicon.get(name, ()))
            for word in words_of(phrase, self.lexicon)
            # a word that is an alternative by itself ("range" of "long range" is not)
            if not trivial_word(word) and word not in RELATIONS
        )

    def restates(self, feedback: str) -> frozenset[str]:
        """The ideas a correction states: the only ones its misconception may deny."""
        said = [sentence for sentence, _ in read_quoted(feedback)]
        return frozenset(
            idea.text
            for idea in self.ideas
            if Outcome.STATED in _found(idea.patterns, said, self.lexicon, asserted=True)[0]
        )

    def _about_the_part(self, sentence: Sentence) -> bool:
        """A sentence that says something about the part's subject: a claim the judge
        must own up to not checking when none of its patterns read anything in it."""
        return (
            len(sentence.words) >= UNCHECKED_WORDS
            and not all(w.hypothetical for w in sentence.words)
            and self.on_topic({w.lemma for w in sentence.words}) >= 1
        )

    def read(self, text: str, verdict: bool | None = None) -> Reading:
        """What ``text`` says; ``verdict``: the true/false verdict it was given for."""
        quoted = read_quoted(text)
        sentences = [sentence for sentence, _ in quoted]
        spoken_quoted = [(s, typed) for s, typed in quoted if not s.keyword_list]
        spoken = [sentence for sentence, _ in spoken_quoted]
        asides = {n for n, (_, typed) in enumerate(spoken_quoted) if _bracketed(typed)}
        reading = Reading(
            miscalculated=[claim for claim in claims(text) if not claim.holds],
            keyword_list=bool(sentences) and not spoken,
            content_words=sum(len(s.words) for s in spoken),
            on_topic=self.on_topic({w.lemma for s in spoken for w in s.words}),
        )
        stated_in: dict[str, set[int]] = {}  # an idea → the sentences that state it
        read_in: set[int] = set()  # the sentences (ids) a pattern read something in
        # "Exploding is not the reason long-range dependencies are lost": a sentence that
        # says what is *not* the cause denies no idea either
        owned = [n for n, s in enumerate(spoken) if not _disclaimed(s)]
        disowning = len(owned) < len(spoken)
        tallies: dict[str, Counter[int]] = {}  # an idea → how many patterns state it where
        for idea in self.ideas:
            tally = tallies[idea.text] = Counter()
            found, stated_by, where = _found(
                idea.patterns, spoken, self.lexicon, read_in=read_in, tally=tally
            )
            stated, denied = found.get(Outcome.STATED), found.get(Outcome.DENIED)
            if denied is not None and disowning:
                kept = [s if n in owned else _SILENT for n, s in enumerate(spoken)]
                denied = _found(idea.patterns, kept, self.lexicon)[0].get(Outcome.DENIED)
            if denied is not None and (stated is None or denied > stated):
                reading.contradicted.append(idea.text)  # denied, or stated and then denied
            elif stated is not None:
                reading.present.append(idea.text)
                reading.evidence[idea.text] = stated_by
                reading.quotes[idea.text] = spoken_quoted[_quoted(where, tally, asides)][1]
                stated_in[idea.text] = where
            else:
                reading.missing.append(idea.text)
        # "A larger learning rate makes it worse but is not the cause": a claim the
        # student disowns in the same sentence is not the misconception it resembles.
        # A list of keywords states no idea, but its words can still state a wrong one:
        # "Cross-attention costs O(N²)." has no function word, and is a claim.
        listed = [s for s in sentences if s.keyword_list and not _disclaimed(s)]
        checked = [spoken[n] for n in owned] + listed
        aside: Wrong | None = None
        mistaken: tuple[Wrong, set[int]] | None = None  # the misconception, and where
        for wrong in self.misconceptions:
            if (wrong.verdict is not None and wrong.verdict != verdict) or (
                (wrong.alone or wrong.aside) and reading.present
            ):
                continue
            if wrong.aside and aside is not None:
                continue
            found, _, where = _found(
                wrong.patterns,
                checked,
                self.lexicon,
                asserted=not wrong.conditional,
                read_in=read_in,
            )
            if Outcome.STATED in found and wrong.aside:
                aside = wrong  # a mistake, if one is stated too, comes first
            elif Outcome.STATED in found:
                mistaken = (wrong, where)
                break
        else:
            # a landmark dated or credited wrongly ("Bengio invented the LSTM in 2003"),
            # in any lab: what the field knows, not what the part lists
            for n, sentence in enumerate(checked):
                correction = landmark_error(sentence)
                if correction is not None:
                    mistaken = (Wrong((), correction, None), {n})
                    read_in.add(id(sentence))
                    break
        if mistaken is not None:
            wrong, where = mistaken
            reading.misconception = wrong
            # The words of a sentence that states a misconception were read as that
            # misconception: an idea found only there was not said ("the variance
            # shrinks as d grows" does not say that the variance grows with d).
            misread = {owned[n] for n in where if n < len(owned)}
            # and an idea the misconception denies was not said, whatever another
            # sentence seemed to say ("normalise the scores" beside "each weight is its
            # own sigmoid, unlike a softmax")
            reading.withdraw(i for i, at in stated_in.items() if at <= misread or i in wrong.denies)
            for idea_text, at in stated_in.items():  # never quote the mistaken sentence
                if idea_text in reading.present and not at <= misread:
                    best = _quoted(at - misread, tallies[idea_text], asides)
                    reading.quotes[idea_text] = spoken_quoted[best][1]
        else:
            reading.aside = aside
        reading.unchecked = [
            typed
            for sentence, typed in spoken_quoted
            if id(sentence) not in read_in and self._about_the_part(sentence)
        ]
        reading.required_missing = any(
            idea.required and idea.text not in reading.present for idea in self.ideas
        )
        return reading


def _quoted(where: set[int], tally: Counter[int], asides: set[int]) -> int:
    """The sentence "You said" quotes for an idea: the one stating it with the most
    patterns, the first of equals — and a sentence in brackets only when no other
    does: it is an aside ("(In seq2seq the decoder state is the query.)")."""
    return max(where, key=lambda n: (n not in asides, tally[n], -n))


def _bracketed(typed: str) -> bool:
    """A sentence typed wholly in brackets."""
    typed = typed.strip().rstrip(".")
    return typed.startswith("(") and typed.endswith(")")


# not "source": in translation it is the source sentence ("does not depend on the source")
_DISCLAIMED = frozenset({"cause", "reason", "origin", "culprit", "nguyên"})
_SILENT = Sentence((), 0)  # in place of a sentence whose words must not be read


def _disclaimed(sentence: Sentence) -> bool:
    """The sentence says that something is *not* the cause (or the reason)."""
    return any(w.negated and w.lemma in _DISCLAIMED for w in sentence.words)


def _found(
    patterns: Sequence[Pattern],
    sentences: list[Sentence],
    lexicon: Lexicon,
    asserted: bool = False,
    read_in: set[int] | None = None,
    tally: Counter[int] | None = None,
) -> tuple[dict[Outcome, int], list[str], set[int]]:
    """Each outcome found, with the last sentence where it was found; the patterns
    that stated something, and the sentences (indices) where one did. ``asserted``: a
    supposition ("if") states nothing. ``read_in`` collects the sentences (their ids)
    in which a pattern read something, stated or denied."""
    found: dict[Outcome, int] = {}
    stated_by: list[str] = []
    stated_in: set[int] = set()
    for pattern in patterns:
        for index, sentence in enumerate(sentences):
            seen = outcomes(pattern, sentence, lexicon, asserted)
            for outcome in seen:
                found[outcome] = max(found.get(outcome, index), index)
            if seen and read_in is not None:
                read_in.add(id(sentence))
            if Outcome.STATED in seen:
                stated_in.add(index)
                if tally is not None:
                    tally[index] += 1
                if pattern.source not in stated_by:
                    stated_by.append(pattern.source)
    return found, stated_by, stated_in


@dataclass
class Reading:
    """Which ideas a reason states, which it contradicts, and any misconception."""

    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    contradicted: list[str] = field(default_factory=list)
    misconception: Wrong | None = None
    aside: Wrong | None = None  # a true remark beside the point, given as the reason
    # the patterns that stated each present idea
    evidence: dict[str, list[str]] = field(default_factory=dict)
    # the student's own words that state each present idea (the sentence, as typed)
    quotes: dict[str, str] = field(default_factory=dict)
    keyword_list: bool = False
    content_words: int = 0
    on_topic: int = 0  # distinct words of the part's own vocabulary (its patterns, concepts)
    required_missing: bool = False
    # sentences (as typed) about the subject in which no pattern read anything
    unchecked: list[str] = field(default_factory=list)
    # arithmetic the reason works out wrong ("0.99^50 ≈ 0.95")
    miscalculated: list[Claim] = field(default_factory=list)

    def withdraw(self, ideas: Iterable[str]) -> None:
        """Count ``ideas`` as not said after all (their words meant something else)."""
        for idea in list(ideas):
            if idea in self.present:
                self.present.remove(idea)
                self.evidence.pop(idea, None)
                self.quotes.pop(idea, None)
                self.missing.append(idea)

    @property
    def unchecked_claims(self) -> list[str]:
        """The sentences feedback owns up to not checking: beside an idea it credited
        (a reason it could not place at all is ``uncertain``; a wrong one is corrected)."""
        return self.unchecked if self.present and not self.wrong else []

    @property
    def misconception_feedback(self) -> str | None:
        return self.misconception.feedback if self.misconception else None

    @property
    def question(self) -> str | None:
        found = self.misconception or self.aside
        return found.question if found else None

    @property
    def wrong(self) -> bool:
        return bool(self.contradicted or self.miscalculated) or self.misconception is not None

    @property
    def sound(self) -> bool:
        return not self.wrong and not self.required_missing and self.aside is None

    @cached_property
    def uncertain(self) -> bool:
        """Nothing recognised in a reason of some length: it may say it in other words."""
        return (
            not self.present
            and not self.wrong
            and self.aside is None
            and not self.keyword_list
            and self.content_words >= UNCERTAIN_WORDS
            and self.on_topic >= ON_TOPIC_WORDS
        )

    @property
    def off_point(self) -> bool:
        """A substantial reason that states none of the part's ideas (on its subject or
        not): it argues from something else."""
        return (
            not self.present
            and not self.wrong
            and self.aside is None
            and not self.keyword_list
            and self.content_words >= OFF_POINT_WORDS
        )

    def describe(self) -> str:
        parts = []
        if self.misconception_feedback:
            parts.append(self.misconception_feedback)
        elif self.aside:
            parts.append(self.aside.feedback)
        for claim in self.miscalculated:
            parts.append(
                f"You wrote “{quote(claim.typed)}”, but {quote(claim.left)} = {claim.value:.3g}."
            )
        if self.contradicted:
            parts.append("Your reason says the opposite of: " + "; ".join(self.contradicted) + ".")
        # "You said" quotes the student: an idea's wording is the model answer's and says
        # more than a student who stated part of it did ("the softmax would saturate").
        said: dict[str, list[str]] = {}
        for idea in self.present:
            said.setdefault(self.quotes.get(idea, ""), []).append(idea)
        for typed, ideas in said.items():
            parts.append(f"You said: “{quote(typed)}” — counted as: " + "; ".join(ideas) + ".")
        unchecked = self.unchecked_claims
        if unchecked:
            shown = "; ".join(f"“{quote(typed)}”" for typed in unchecked[:UNCHECKED_SHOWN])
            more = " and more" if len(unchecked) > UNCHECKED_SHOWN else ""
            parts.append(f"I did not check {shown}{more}: compare it with the model answer.")
        if self.keyword_list:
            parts.append("A list of words is not yet a reason: say how they are related.")
        elif self.off_point:
            parts.append(
                "Your reason argues from something other than what decides this: I found "
                "none of the key ideas in it."
                + (
                    " If you said one in other words, compare it with the model answer below."
                    if self.uncertain
                    else ""
                )
            )
        elif self.uncertain:
            parts.append(
                "I could not match your reason to the key ideas — you may have put it in "
                "other words. Compare it with the model answer below."
            )
        # an aside, like a misconception, is answered with its question: listing the
        # missing ideas would hand over the model answer before the student retries
        if self.missing and not self.wrong and self.aside is None:
            parts.append("Not yet in your answer: " + "; ".join(self.missing) + ".")
        return " ".join(parts)

    def to_json(self) -> dict[str, list[str]]:
        return {
            "present": self.present,
            "missing": self.missing,
            "contradicted": self.contradicted,
        }


QUOTE_CHARS = 140


def quote(typed: str) -> str:
    """A student's sentence as feedback can show it: shortened at a word, and with
    nothing Markdown or the math renderer would read as markup."""
    if len(typed) > QUOTE_CHARS:
        typed = typed[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    typed = typed.replace("“", '"').replace("”", '"')
    # A student's $…$ stays math, drawn like the feedback's own (the renderers only
    # ever draw it); everything else is shown as typed.
    pieces = re.split(r"(\$[^$\n]+\$)", typed)
    return "".join(
        piece if k % 2 else re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", piece.replace("$", "＄"))
        for k, piece in enumerate(pieces)
    )


def compile_rubric(
    ideas: Sequence[KeyIdea],
    misconceptions: Sequence[Misconception],
    concepts: Sequence[Mapping[str, list[str]]],
    claims: Sequence[WrongClaim] = (),
) -> Rubric:
    """``concepts``: synonym tables, later ones overriding earlier (lab, then problem);
    ``claims``: the lab's wrong claims, read after the part's own misconceptions (whose
    feedback, the more precise, wins where both match)."""
    return Rubric(
        tuple(
            Idea(
                idea.idea,
                tuple(compile_pattern(p) for p in idea.patterns)
                + tuple(compile_pattern(p, legacy=True) for p in idea.phrases),
                idea.required,
            )
            for idea in ideas
        ),
        tuple(
            Wrong(
                tuple(compile_pattern(p) for p in m.patterns),
                m.feedback,
                m.question,
                m.conditional,
                m.verdict,
                m.alone,
                m.aside,
                denies=frozenset(idea.idea for _, idea in m.denied(ideas) if idea is not None),
            )
            for m in misconceptions
        )
        + tuple(
            Wrong(
                tuple(compile_pattern(p) for p in c.patterns),
                c.feedback,
                c.question,
                c.conditional,
                claim=i,
            )
            for i, c in enumerate(claims)
        ),
        lexicon_for(*concepts),
    )


def lexicon_for(*tables: Mapping[str, list[str]]) -> Lexicon:
    """The default concepts overridden by ``tables`` in order (lab, then problem),
    compiled once for all the parts that share them."""
    merged: dict[str, list[str]] = dict(DEFAULT_CONCEPTS)
    for table in tables:
        merged.update(table)
    return _lexicon(tuple((name, tuple(phrases)) for name, phrases in sorted(merged.items())))


@lru_cache(maxsize=64)
def _lexicon(concepts: tuple[tuple[str, tuple[str, ...]], ...]) -> Lexicon:
    """A lab's concepts, compiled once for all its parts."""
    return compile_lexicon({name: list(phrases) for name, phrases in concepts})
