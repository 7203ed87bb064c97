"""The verdict at the start of a true/false answer, as students type it.

"true", "T", "yes", "tru", "hmm i think it's true", "Đúng", "đúng vậy", "sai rồi",
"not true": each is read, and the rest of the text is the reason. A verdict the
reader is not sure of ("true or false?", a verdict word deep inside a sentence)
is not read: the student is asked again rather than judged on a guess.

A student who changes their mind ("…, actually no, …", "wait, no", "scratch
that") is judged on what comes after: a verdict there (at its start, or as its
last sentence: "… So all entries are positive. True.") replaces the first one,
and the reason is what follows the change of mind.
"""

from __future__ import annotations

import re
import unicodedata

from content.reasons.lexicon import (
    HESITATIONS,
    QUOTED,
    VERDICT_FILLERS,
    VERDICT_WORDS,
    strip_diacritics,
)

MAX_FILLERS = 8  # "Not 100% sure, but I'd bet on false"
_WORD = re.compile(r"[^\W_]+(?:['’][a-z]+)?|\S", re.UNICODE)
_SINGLE_LETTERS = frozenset({"t", "f", "y", "n"})
_AFTER_VERDICT = frozenset({"vay", "roi", "a", "ạ", "nhe", "!"})  # đúng vậy, sai rồi, đúng ạ
_PUNCTUATION = frozenset(",.;:!-—–()")
_SEPARATORS = _PUNCTUATION | frozenset("*_`#>~")  # and Markdown's marks: "**False.**"
_AFTER_LETTER = _PUNCTUATION | {"*"}  # what may follow a one-letter verdict: "T.", "**F**"


_CHANGE_OF_MIND = re.compile(
    r"^[\s?!.,…—–-]*(?:no|nope|wait|actually)[\s,.:;!…—–-]+(?=(?:true|false|đúng|sai)\b)|"
    r"\b(?:actually|wait|oh|hmm|or rather)[\s,.…]+(?:no|nope)\s*[,.;:!…—–-][\s,.:;…—–-]*"
    r"|\bno,? wait\b[\s,.:;…—–-]*|\bscratch that\b[\s,.:;…—–-]*"
    r"|\b(?:à|a) (?:không|nhầm)\s*[,.;:!…—–-][\s,.:;…—–-]*",
    re.IGNORECASE,
)
# The verdict last, as its own sentence or as a conclusion: "… ≠ h_{t−1}. soo false",
# "… so it's true", "So: false.", "… and the statement is True.", "… => false", "… vậy là đúng".
_LAST_VERDICT = re.compile(
    r"(?:^|[.!?;,\n]\s*|\band\s+(?=the (?:statement|claim) is)"
    r"|(?P<so>\b(?:so+|hence|thus|therefore|which means|vậy|nên)\s*[:,]?\s+|\s(?:=+>|-+>|→|⇒)\s*))"
    r"(?:(?:i (?:think|guess|believe|would say)|i'?d say|probably|i'?m (?:pretty )?sure)\s+)?"
    r"(?:(?:it'?s|it is|this is|that'?s|the (?:statement|claim|answer) is|là|thì)\s+)?"
    # a label, as in a list or a table: "→ verdict: F", "answer = True (equivariant)"
    r"(?:(?:(?:final )?(?:verdict|answer)\s*[:=]\s*)(?=[tf]\b|true|false|đúng|sai|dung))?"
    r"(?P<word>true|false|đúng|sai|dung|(?<=[:=→>⇒]\s)[tf]|(?<=[:=→>⇒])[tf])\s*[.!]?\s*"
    # and a remark in brackets after it: "… → True (only with no mask)."
    r"(?P<aside>\([^()]*\)\s*[.!]?\s*)?$",
    re.IGNORECASE,
)


# The statement quoted back before it is judged, as a peer reviewer does: '"Clipping
# fixes both" — I'd disagree, False.', 'The claim "z_t ≈ 0 …" is right.', 'The
# classmate says "…". False.', '"Fixes vanishing too"? False.'
_QUOTED_CLAIM = re.compile(
    r"^\s*(?:(?:the |my )?(?:claim|statement|classmate|classmates|they|he|she)"
    r"(?: says| said| claims| claimed| writes| wrote)?\s*:?\s*)?"
    rf"{QUOTED}\s*\??",
    re.IGNORECASE,
)
# "agree with the claim", "disagree with my classmate here": whom the verdict answers
_AGREED_WITH = re.compile(
    r"^\s*with (?:(?:the|this|that|my|your|his|her|their) "
    r"(?:claim|statement|one|classmate|classmates|friend|answer)(?:'s claim)?(?: here)?\b"
    rf"|{QUOTED})",
    re.IGNORECASE,
)


def read_true_false(text: str) -> tuple[bool, str] | None:
    """(verdict, reason), or None when no verdict can be read with confidence."""
    revised = _after_first_guess(text)
    if revised is not None:
        return revised
    first = _read_first(text)
    if first is None:
        quoted = _QUOTED_CLAIM.match(text)
        if quoted and strip_diacritics(quoted[1].strip(" .!").lower()) not in VERDICT_WORDS:
            first = _read_first(text[quoted.end() :])
    if first is None:
        first = _after_restated(text)
    if first is None:
        group = _GROUP_SAYS.match(text)
        first = _read_first(text[group.end() :]) if group else None
    if first is None:  # the verdict last: "σ(x) ∈ (0, 1). True", "… ⇒ h_t ≈ h_{t−1}. True."
        last = _LAST_VERDICT.search(text)
        if last is None:
            return _concluded_once(text)
        before = text[: last.start()] if last else ""
        # "n/a — so TRUE": a conclusion needs something before it to conclude from
        if (
            last is None
            or not before.strip()
            or (last["so"] and len(re.findall(r"[^\W\d_]{2,}", before)) < 2)
        ):
            return None
        return VERDICT_WORDS[strip_diacritics(last["word"].lower())], _before_last(text, last)
    changes = list(_CHANGE_OF_MIND.finditer(first[1]))
    if not changes:
        return first
    after = first[1][changes[-1].end() :]
    again = _read_first(after)
    if again is not None:
        return again
    last = _LAST_VERDICT.search(after)
    if last is not None:
        word = strip_diacritics(last["word"].lower())
        return VERDICT_WORDS[word], _before_last(after, last)
    return first[0], _clean(after)


# A first guess the student reports and then reasons past: "My gut said true at first,
# but working it out: false. …", "First guess false because 0.99 < 1 … but over 50
# steps: … So true", "Hedging between true and false at first, since … but …", "Ban
# đầu mình nghĩ là đúng, nhưng …". The clause ends at the turn ("but", "however") or
# at the end of its sentence.
_FIRST_GUESS = re.compile(
    r"^\W*(?:(?:my |the )?(?:gut|first|initial|instinct|intuition)\w*"
    r"(?: (?:feeling|instinct|guess|reaction|thought|answer|impression|reading|read))?"
    r"(?: (?:says|said|was|is|tells me|told me|would be))?\b"
    r"|at first\b|initially\b|hedging\b|(?:i )?(?:first|initially) (?:thought|guessed|said)\b"
    r"|(?:ban|lúc|luc|thoạt|thoat) (?:đầu|dau)\b)",
    re.IGNORECASE,
)
_TURN = re.compile(r"\b(?:but|however|though|nhưng|nhung)\b|[.!?…](?=\s)|…", re.IGNORECASE)
# A verdict that concludes: at a clause's start or after "so", and ending its clause
# ("… working it out: false.", "So true - 60% vs < 1%.", "… So true: saturated …").
_CONCLUDED = re.compile(
    r"(?:^\s*|[.!?;:,…—–-]\s*|\b(?:so|hence|thus|therefore|vậy|nên)\s*[,:]?\s+)"
    r"(?:(?:actually|in fact|thật ra|thực ra|yes|no)\s*,?\s+)?"
    r"(?:(?:i'?d say|i think|it'?s|it is|the (?:answer|statement|claim) is|là)\s+)?"
    r"(?P<word>true|false|đúng|sai)\b"
    r"(?=\s*(?:[.!:;,—–(-]|$)|\s+(?:because|since|as|vì|bởi vì|do)\b)",
    re.IGNORECASE,
)


def _concluded_once(text: str) -> tuple[bool, str] | None:
    """The verdict concluded in the middle of an answer ("We computed it: …. So yes
    true — the LSTM keeps most"), when every conclusion in it agrees."""
    concluded = list(_CONCLUDED.finditer(text))
    verdicts = {VERDICT_WORDS[strip_diacritics(m["word"].lower())] for m in concluded}
    if len(verdicts) != 1 or not text[: concluded[0].start()].strip():
        return None
    last = concluded[-1]
    reason = text[: last.start()] + " " + text[last.end() :]
    return verdicts.pop(), _clean(" ".join(reason.split()))


_VERDICT_WORD = re.compile(r"\b(?:true|false|đúng|sai)\b", re.IGNORECASE)


def _after_first_guess(text: str) -> tuple[bool, str] | None:
    """The verdict of an answer that opens with a first guess and reasons past it: the
    last verdict that concludes a clause after the turn, or, when none follows, the
    one the guess gave. The guess and its grounds are not the reason."""
    if not _FIRST_GUESS.match(text):
        return None
    turn = _TURN.search(text)
    if turn is None:
        return None
    guess, after = text[: turn.start()], text[turn.end() :]
    concluded = list(_CONCLUDED.finditer(after))
    if not concluded:
        # a guess that stands ("My first instinct is true. The gates are …"), never one
        # put in doubt ("…, but let me check: …") or followed by another verdict word
        if turn[0].isalpha() or _VERDICT_WORD.search(after):
            return None
        words = {VERDICT_WORDS[strip_diacritics(m.lower())] for m in _VERDICT_WORD.findall(guess)}
        return (words.pop(), _clean(after)) if len(words) == 1 else None
    last = concluded[-1]
    verdict = VERDICT_WORDS[strip_diacritics(last["word"].lower())]
    reason = after[: last.start()] + " " + after[last.end() :]
    guessed = {VERDICT_WORDS[strip_diacritics(m.lower())] for m in _VERDICT_WORD.findall(guess)}
    if guessed == {verdict}:  # "Gut says true and the reasoning agrees: …": grounds kept
        reason = _VERDICT_WORD.sub(" ", guess) + turn[0] + " " + reason
    return verdict, _clean(" ".join(reason.split()))


# A group's verdict: "We agreed true: …", "We decided false.", "Our group is split,
# majority says false: …", "We think true." ("agreed" alone is a peer's verdict)
_GROUP_SAYS = re.compile(
    r"^\W*(?:we(?: all| both)? (?:say|said|agree|agreed|decided|decide|think|thought|"
    r"concluded|conclude|went with|go with|vote|voted|believe|would say)(?: on| that)?\b"
    r"|(?:our |the )?(?:group|team|consensus|majority)(?: is split| was split)?\s*[,:;]?\s*"
    r"(?:(?:but |the |our )*majority )?(?:says|said|is|votes|voted|thinks|went with)?\b)",
    re.IGNORECASE,
)


# The question or the claim said back in the student's words before the verdict:
# "Claim: x_t = 0 ⇒ h_t = h_{t−1}. False. …", "This asks if f_t ≈ 0 stops backprop.
# False, …", "So if z is small does the GRU keep its old state? yes, true — …"
_RESTATED = re.compile(
    r"^\s*(?:(?:restating|restated|question|claim|statement|q)\s*:"
    r"|(?:the|this|that) (?:claim|statement|question)(?: is(?: that)?| says| asks| states)?\b"
    r"|(?:this|it|the question) (?:is )?ask(?:s|ing)? (?:if|whether|about)\b"
    r"|(?:i think |so )?(?:it'?s|it is) asking (?:if|whether|about)\b)",
    re.IGNORECASE,
)
_RESTATED_END = re.compile(r"[.?!](?=\s)|\?")
_RESTATED_REACH = 400  # characters: a restatement is one sentence, not a paragraph


def _after_restated(text: str) -> tuple[bool, str] | None:
    """The verdict after a first sentence that says the question or the claim back
    (a question, or one that begins "Claim:", "The statement says …"); the reason is
    what follows the verdict, never the restated claim."""
    end = _RESTATED_END.search(text, 0, _RESTATED_REACH)
    if end is None:
        return None
    if not (end[0] == "?" or _RESTATED.match(text)):
        return None
    return _read_first(text[end.end() :])


def _before_last(text: str, last: re.Match[str]) -> str:
    """The reason of an answer whose verdict comes last: what precedes the verdict,
    and a remark in brackets after it."""
    return _clean(text[: last.start()] + " " + (last["aside"] or ""))


def _read_first(text: str) -> tuple[bool, str] | None:
    """The verdict at the start of ``text`` and the rest."""
    text = unicodedata.normalize("NFC", text)
    tokens = list(_WORD.finditer(text))
    flipped = False
    for position, match in enumerate(tokens[: MAX_FILLERS + 2]):
        word = strip_diacritics(match[0].lower()).replace("’", "'")
        if word in VERDICT_WORDS and _stands_alone(text, match, word, position):
            rest = tokens[position + 1 :]
            if _ambiguous(rest, VERDICT_WORDS[word]):
                return None
            while rest and strip_diacritics(rest[0][0].lower()) in _AFTER_VERDICT:
                rest = rest[1:]
            if word in _AGREEMENT and rest:
                whom = _AGREED_WITH.match(text[rest[0].start() :])
                if whom:
                    rest = [m for m in rest if m.start() >= rest[0].start() + whom.end()]
            rest = _said_again(rest, VERDICT_WORDS[word])
            reason = text[rest[0].start() :] if rest else ""
            return VERDICT_WORDS[word] != flipped, _clean(reason)
        if word == "not" and (
            _next_word(tokens, position) in _HEDGED
            or (
                _next_word(tokens, position + 1) in _HEDGED
                and _next_word(tokens, position) in _UNDERSTATED
            )
        ):
            continue  # "not sure but I'd say false": a hedge, not "not false"
        if word in _UNDERSTATED:
            continue  # "not really sure, but false"
        if (
            word in _NOT
            and _next_word(tokens, position) in _UNDERSTATED
            and _next_word(tokens, position + 1) not in _HEDGED
            and not flipped
        ):
            rest = tokens[position + 2 :]  # "not really, it forgets the past": a no
            return False, _clean(text[rest[0].start() :] if rest else "")
        if word in _NOT and not flipped:
            flipped = True
            continue
        if word in VERDICT_FILLERS or word in _SEPARATORS:
            continue
        if word in {"with", "on"} and position and tokens[position - 1][0].lower() in _BETS:
            continue  # "going with false", "I'd bet on true" (never "with no PE, …")
        if word.isdigit() and _next_word(tokens, position) == "%":
            continue  # "90% sure false", "maybe 65%: true"
        return None
    return None


_BETS = frozenset({"going", "go", "bet", "money's", "vote"})
_AGREEMENT = frozenset({"agree", "agreed", "disagree", "disagreed"})
_HEDGED = frozenset({"sure", "certain", "100"})
_UNDERSTATED = frozenset({"really", "quite", "exactly"})  # "not really", "not quite"
# "not true", "isn't true", "không đúng" (typed "k dung", "ko dung"): a negated verdict
_NOT = frozenset({"not", "isnt", "isn't", "aint", "ain't", "khong", "ko", "k", "hong"})


def _next_word(tokens: list[re.Match[str]], position: int) -> str:
    return tokens[position + 1][0].lower() if position + 1 < len(tokens) else ""


def _stands_alone(text: str, match: re.Match[str], word: str, position: int) -> bool:
    """A one-letter verdict only as the first word, followed by a space or punctuation
    ("f_t is small" and "n/a" are not verdicts)."""
    if word not in _SINGLE_LETTERS:
        return True
    after = text[match.end() : match.end() + 1]
    return position == 0 and (not after or after.isspace() or after in _AFTER_LETTER)


def _ambiguous(rest: list[re.Match[str]], verdict: bool) -> bool:
    """ "true or false", "true/false": the student has not chosen ("Faux/False" says
    one thing twice)."""
    words = [strip_diacritics(m[0].lower()) for m in rest[:2]]
    return (
        bool(words)
        and words[0] in {"or", "/", "hay", "hoac"}
        and (len(words) > 1 and VERDICT_WORDS.get(words[1], verdict) != verdict)
    )


def _said_again(rest: list[re.Match[str]], verdict: bool) -> list[re.Match[str]]:
    """The rest after the same verdict said again in another language or after a
    filler: "Faux — euh, False. …", "Vrai/True: …", "**Đúng.** …"."""
    for k, match in enumerate(rest[:MAX_FILLERS]):
        word = strip_diacritics(match[0].lower())
        if word in _SEPARATORS or word in HESITATIONS or word == "/":
            continue
        if word in VERDICT_WORDS and len(word) > 1 and VERDICT_WORDS[word] == verdict:
            return rest[k + 1 :]
        break
    return rest


def _clean(reason: str) -> str:
    return reason.strip().lstrip(",.;:!-—–*_`) ").strip()
