"""A student's sentence as the judge reads it: lemmas, clauses and negation.

The same reading is applied to the author's patterns, so that a pattern and a
text meet on equal terms: ``h_{t-1}``, ``h_t-1``, ``h(t-1)`` and ``hₜ₋₁`` are one
token; "forgotten" is "forget"; "doesn't" is "does not"; ``≈`` is ``approx``;
Vietnamese is compared without diacritics.

Negation is scoped as NegEx does it: a cue ("not", "never", "no", "không")
denies the content words after it up to the end of its clause, and clauses end
at punctuation and at connectives ("but", "because", "so", "and", "nhưng").
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from content.reasons import lemmas
from content.reasons.lexicon import (
    CONNECTIVES,
    HYPOTHETICAL,
    MODAL,
    NEGATIONS,
    QUOTED,
    RELATIONS,
    STOPWORDS,
    VI_CONNECTIVES,
    VI_NEGATIONS,
    VI_STOPWORDS,
    VI_TO_EN,
    strip_diacritics,
)

_STRUCTURE = CONNECTIVES | NEGATIONS | STOPWORDS | RELATIONS


def _stripped(words: frozenset[str]) -> frozenset[str]:
    return frozenset(strip_diacritics(w) for w in words)


# A word typed without diacritics may be English or Vietnamese: both lists apply.
_NEGATION = NEGATIONS | _stripped(VI_NEGATIONS)
# "do" is English far more often than it is "do" (because) typed without diacritics
_CONNECTIVE = CONNECTIVES | (_stripped(VI_CONNECTIVES) - {"do"})
_STOP = STOPWORDS | _stripped(VI_STOPWORDS)
LIST_ITEMS, LIST_ITEM_WORDS = 4, 2  # a list of keywords between commas
MAX_CHARS = 2000  # a reason longer than this is cut: nobody types an essay in a chat box

# Unicode greek letters, as students type them, spelled out.
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta",
    "θ": "theta", "λ": "lambda", "μ": "mu", "µ": "mu", "ρ": "rho", "σ": "sigma", "Σ": " sum ",
    "Γ": "gamma",
    "∑": " sum ",
    "τ": "tau", "φ": "phi", "ω": "omega", "∂": " partial ", "∇": " grad ",
}  # fmt: skip

_GREEK_LETTER = re.compile("|".join(map(re.escape, _GREEK)))
_SUPERSCRIPTS = str.maketrans({"²": "^2", "³": "^3", "⁴": "^4", "ᵀ": "^T", "⁻": "^-", "¹": "^1"})
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₒₓₜₖₙₘₚₛᵢⱼ", "0123456789+-aeoxtknmpsij")
_SUBSCRIPT_RUN = re.compile(r"[₀-₉₊₋ₐₑₒₓₜₖₙₘₚₛᵢⱼ]+")

_RELATIONS = [
    (re.compile(r"=/=|!=|≠|\\neq\b|\\ne\b"), " not eq "),
    (re.compile(r">>|≫|\\gg\b"), " gt "),
    (re.compile(r"<<|≪|\\ll\b"), " lt "),
    (re.compile(r"<=|≤|\\leq?\b"), " le "),
    (re.compile(r">=|≥|\\geq?\b"), " ge "),
    (re.compile(r"->|=>|→|⇒|⟹|\\to\b|\\rightarrow\b|\\implies\b"), " implies "),
    (re.compile(r"≈|≃|~|\\approx\b|\\sim\b"), " approx "),
    (re.compile(r"==|="), " eq "),
    (re.compile(r"<"), " lt "),
    (re.compile(r">"), " gt "),
]
# "z_t → 0 ⇒ h_t → h_{t−1}": an arrow to a number, or to a symbol that ends the claim,
# says what it tends to (≈); "λ < 1 → vanishing" is a consequence
_TENDS_TO = re.compile(
    r"(?:->|→)\s*(?=[-−]?\d+(?:\.\d+)?|[a-zA-Z](?:hat|tilde)?(?:_\{[^{}]{1,8}\}|_[a-zA-Z0-9]+(?:[-−–]1)?)?"
    r"(?:\s*$|\s*(?:[⇒.,;:)]|=>|\\implies\b|and\b|so\b)))"
)
_ROOT_OF_NUMBER = re.compile(r"(?:√|\bsqrt)\s*\(?\s*(\d+(?:\.\d+)?)(?![\d.])\s*\)?")
_CONTRACTIONS = [
    # "at most 0.005" is a bound: read as "≤", not as "most" once "at" is skipped
    # ("keeps most of the gradient" says nothing of a bound)
    (re.compile(r"\bat most\b|\bno more than\b"), " le "),
    (re.compile(r"\bat least\b|\bno less than\b"), " ge "),
    (re.compile(r"\b(do|does|did|doing) nothing\b"), "has no effect"),
    (re.compile(r"\bthru\b"), "through"),
    (re.compile(r"\b(can)['’]?t\b"), r"\1 not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"\bwon['’]?t\b"), "will not"),
    (
        re.compile(
            r"\b(do|does|did|is|are|was|were|has|have|had|should|would|could|must|need)n['’]?t\b"
        ),
        r"\1 not",
    ),
    (re.compile(r"n['’]t\b"), " not"),
    (re.compile(r"\b(\w+)['’]d\b"), r"\1 would"),
    (re.compile(r"\b(\w+)['’]ll\b"), r"\1 will"),
    (re.compile(r"\b(\w+)['’](s|re|ve|m)\b"), r"\1"),
    # "the gates don't cause vanishing" is a claim, not a disclaimed cause ("X is not
    # the cause"): the verb is read as "lead to"
    (
        re.compile(
            r"\b(do|does|did|can|could|will|would|may|might|must|should|never) (not )?"
            r"(cause|causes|caused)\b"
        ),
        r"\1 \2lead to",
    ),
]
_HAT = re.compile(r"\\(hat|tilde|bar)\s*\{\s*([a-zA-Z])\s*\}|\\(hat|tilde|bar)\s+([a-zA-Z])")
# A letter (or hat/tilde letter) with a subscript: h_{t-1}, h_(t-1), h_t-1, h_t, W_g.
_SUBSCRIPTED = re.compile(
    r"\b([a-zA-Z](?:hat|tilde|bar)?|[a-zA-Z]+)_(?:\{\s*([^{}]{1,12}?)\s*\}|\(\s*([^()]{1,12}?)\s*\)|([a-zA-Z0-9]+(?:[-−–][0-9]+)?))"
)
_CALLED_AT_STEP = re.compile(r"\b([a-zA-Z])\s*\(\s*(t\s*[-−–+]\s*1|t)\s*\)")
_ABBREVIATIONS = [
    (re.compile(r"\be\.g\.?(?=\s|,|:)"), " eg "),
    (re.compile(r"\bi\.e\.|\betc\."), " "),
    (re.compile(r"\bet al\.?"), " "),  # "Cho et al. 2014 …": a citation, not a sentence's end
    (re.compile(r"\bw\.r\.t\.?|\bwrt\b"), " with respect to "),
    # "nn.GRU", "torch.nn", "F.softmax": a dotted name, not the end of a sentence
    (re.compile(r"(?<=[a-z_])\.(?=[a-z_])"), " "),
    # "X is not the reason (why) …": what is not the cause, as "cause" says it
    (re.compile(r"\bnot (?:the )?((?:main |real |only )?)(?:reason|why)\b"), r"not the \1cause"),
    (re.compile(r"\bw/o\b"), " without "),
    (re.compile(r"\bw/(?=\s)"), " with "),
    (re.compile(r"\bb/c\b|\bbc\b|\bcuz\b|\bcoz\b"), " because "),
    (re.compile(r"\bfeed[- ]?forward\b"), " feedforward "),  # not "feed … into"
    # shorthand of notes: "diff heads", "prev token", "subj-verb", "coref"
    (re.compile(r"\bdiff\b"), "different"),
    (re.compile(r"\bprev\b"), "previous"),
    (re.compile(r"\bavg\b"), "average"),
    (re.compile(r"\bdeps\b"), "dependencies"),
    (re.compile(r"\bperm\b"), "permutation"),
    (re.compile(r"\bsubj\b"), "subject"),
    (re.compile(r"\bcoref\b"), "coreference"),
    (re.compile(r"\benc\b"), "encoder"),
    (re.compile(r"\bdec\b"), "decoder"),
    (re.compile(r"\bsrc\b"), "source"),
    (re.compile(r"\btgt\b"), "target"),
    (re.compile(r"\battn\b"), "attention"),
    (re.compile(r"\bemb\b"), "embedding"),
    (re.compile(r"\bdeps\b"), "dependencies"),
    (re.compile(r"\bgrads?\b"), "gradient"),
]
_TOKEN = re.compile(
    r"[0-9]+(?:\.[0-9]+)?|[^\W\d_](?:[^\W_]|_[\w+\-]+)*|[.!?\n]|[,:;()\[\]—–]|[+\-−]|[⟦⟧]|[·⋅]",
    re.UNICODE,
)
# Longest first, so that "trạng thái" is read before "trạng" could be.
_VI_WORDS = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, VI_TO_EN), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_TICKED = re.compile("[✓✔✅☑]")
_CROSSED = re.compile("[✗✘❌❎]")
_SENTENCE_END = frozenset(".!?\n")
_CLAUSE_END = frozenset(",:;()[]—–")
_BRACKETS = frozenset("()[]")


@dataclass(frozen=True, slots=True)
class Word:
    """A content word of a sentence, with whether a negation reaches it."""

    lemma: str
    negated: bool
    hypothetical: bool = False  # in a clause with "if" (or "would … need"): supposed
    modal: bool = False  # in a clause with "need" or "require": a requirement
    clause: int = 0  # which clause of its sentence: a contradiction is stated within one
    formula: int = 0  # the formula its symbol belongs to ("M^2 + N^2 + MN"); 0: a word
    summand: int = 0  # the term of that formula's sum ("N^2")
    stretch: int = 0  # clauses, but a bracket does not end one: a phrase stays within it
    unit: int = 0  # which condition of "if A, B, and if C, D": a claim is read within one
    nearly: bool = False  # negated by "almost no": an amount, which denies nothing
    joined: bool = False  # right after a connective: "… the old state and ≈ 0 on ĥ_t"


# A symbol of a formula: a number, a letter, a subscripted name, or a product of
# letters without vowels ("mn", "qk"); consecutive ones in a clause are one formula,
# and "+" or "-" between them separates its summands.
# A Greek letter as read ("ω" → "omega"), or as typed out, is a symbol, not a word.
GREEK = frozenset(name for name in _GREEK.values() if name.isalpha())
_FORMULA_TOKEN = re.compile(r"[0-9.]+|[a-z]|[a-z]+_\S+|[b-df-hj-np-tv-z]{2,3}|" + "|".join(GREEK))
_SUM = frozenset("+-−")
_PRODUCT = frozenset("·⋅")


@dataclass(frozen=True)
class Sentence:
    words: tuple[Word, ...]  # content words, in order
    glue: int  # function words, relations, cues and connectives: what makes it a statement

    @functools.cached_property
    def lemmas(self) -> frozenset[str]:
        return frozenset(w.lemma for w in self.words)

    @property
    def keyword_list(self) -> bool:
        """Three or more words and nothing to relate them: "candidate weight reset"; or
        four or more short items between commas ("order, sinusoid, sin/cos, learned
        embeddings, added to input"). A formula alone ("∂C_t/∂C_{t−1}") is not one: its
        symbols are related by it; nor are listed examples ("e.g. syntax, coreference")."""
        words = [w for w in self.words if not w.formula and w.lemma != "partial"]
        if len(words) >= 3 and self.glue == 0:
            return True
        items = Counter(w.clause for w in self.words)
        return (
            len(items) >= LIST_ITEMS
            and max(items.values()) <= LIST_ITEM_WORDS
            and self.glue <= 2
            and not any(w.formula or w.negated or w.lemma == "example" for w in self.words)
        )


def _symbol(letter: str, sub: str) -> str:
    sub = sub.split(",", maxsplit=1)[0]  # h_{t,j}: the time step; the unit index is not the claim
    sub = re.sub(r"\s+", "", sub.replace("−", "-").replace("–", "-")).lower()
    return f"{letter.lower()}_{sub}"


def translatable(text: str) -> bool:
    """Whether ``text`` has Vietnamese words that ``prepare`` reads in English."""
    return _VI_WORDS.search(text) is not None


_SCIENTIFIC = re.compile(r"\b(\d+(?:\.\d+)?)[eE]([+\-−]?\d{1,2})\b")
# "σ(0) = 0,5": a decimal comma, as Vietnamese (and much of Europe) writes it; but
# "(0,1)" and "[0,1]" are intervals
# "0,61, so …": a comma and a space after the number end the clause, not a list
_DECIMAL_COMMA = re.compile(r"(?<![\d(\[,.])(\d+),(\d+)(?![\d)\]]|,\S)")
_ANGLE_TIME = re.compile(r"\b([a-zA-Z])\s*<\s*([tT](?:\s*[-−+]\s*\d+)?)\s*>")


# Numbers said in words, as a student dictating ("after five hundred steps it keeps
# sixty percent", "zero point nine"). "one" … "nineteen" alone stay words: "one"
# is as often a pronoun ("the old one") as a number.
_UNITS = {w: n for n, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
))}  # fmt: skip
_TENS = {w: 10 * n for n, w in enumerate((
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"
), 2)}  # fmt: skip
_UNIT = "|".join(_UNITS)
_SPELLED = re.compile(
    rf"\b(?P<point>(?:(?:{_UNIT})\s+)?point(?:\s+(?:{_UNIT}))+)\b"
    rf"|\b(?:(?P<tens>{'|'.join(_TENS)})(?:[- ](?P<ones>{_UNIT}))?|(?P<lead>{_UNIT}))"
    r"(?:\s+(?P<scale>hundred|thousand))?\b",
    re.IGNORECASE,
)


# Math dictated to a phone and transcribed ("if zed t is about zero then h t equals
# one minus zero times h t minus one", "tan h", "sigh moid", "N squared"): the
# symbols a student would have typed.
_SPOKEN_SYMBOL = r"(?:hhat|ctilde|[hcxzrfo])"
_DICTATED = [
    (re.compile(r"\bsigh\s*moid\b", re.IGNORECASE), "sigmoid"),
    (re.compile(r"\btan\s+h\b", re.IGNORECASE), "tanh"),
    (re.compile(r"\bsoft\s+max\b", re.IGNORECASE), "softmax"),
    (re.compile(r"\b(?:zed|zee)\b(?=\s+t\b)", re.IGNORECASE), "z"),
    (re.compile(r"\b(?:are|r)\s+(?:tea|tee)\b", re.IGNORECASE), "r t"),
    (re.compile(r"\b([hc])\s+(hat|tilde)\b", re.IGNORECASE), r"\1\2"),
    (re.compile(rf"\b({_SPOKEN_SYMBOL})\s+t\s+minus\s+(?:one|1)\b", re.IGNORECASE), r"\1_{t-1}"),
    (re.compile(rf"\b({_SPOKEN_SYMBOL})\s+t\b", re.IGNORECASE), r"\1_t"),
    (re.compile(r"\bsquare\s+root\s+of\b", re.IGNORECASE), "√"),
    (re.compile(r"\b([A-Za-z])\s+squared\b"), r"\1^2"),
]

# "point five" with no whole part is a number after these words (or before "percent")
_AMOUNT_BEFORE = frozenset({
    "about", "around", "roughly", "approximately", "only", "just", "versus", "vs", "is",
    "of", "to", "keeps", "than",
})  # fmt: skip


def _spelled(match: re.Match[str]) -> str:
    if match["point"]:  # "zero point nine" is 0.9, "point five" 0.5
        whole, _, digits = match["point"].lower().partition("point")
        before = "".join(match.string[: match.start()].split()[-1:]).lower()
        after = "".join(match.string[match.end() :].split()[:1]).lower()
        if not whole.strip() and before not in _AMOUNT_BEFORE and after != "percent":
            return match[0]  # "at this point two things happen"
        return f"{_UNITS.get(whole.strip(), 0)}." + "".join(str(_UNITS[d]) for d in digits.split())
    if match["lead"] and not match["scale"]:
        return match[0]  # "one", "two heads": left as words
    value = (
        _TENS[match["tens"].lower()] + _UNITS[(match["ones"] or "zero").lower()]
        if match["tens"]
        else _UNITS[match["lead"].lower()]
    )
    scale = {"hundred": 100, "thousand": 1000}.get((match["scale"] or "").lower(), 1)
    return str(value * scale)


def _decimal(match: re.Match[str]) -> str:
    value = float(match[1]) * 10 ** int(match[2].replace("−", "-"))
    return f"{value:.15f}".rstrip("0").rstrip(".")


def decimal_points(text: str) -> str:
    """ "0,5" written "0.5"; intervals ("(0,1)") and lists ("1,2,3") kept."""
    return _DECIMAL_COMMA.sub(r"\1.\2", text)


# A list's number or letter at the start of an item: "(1) z ≈ 1 …  (2) r ≈ 0 …", "2) …"
_ENUMERATOR = re.compile(
    r"(?:(?:^|(?<=[\s.:;,]))\((?:\d{1,2}|[a-e]|i{1,3}|iv)\)|(?:^|(?<=[.:;]\s)|(?<=[.:;]))\d{1,2}\))(?=\s)"
)


# A prime after the sigmoid's name ("σ'(0) = 0.5", "sigmoid′"): its derivative, which
# the sigmoid's own value must not be taken for (σ(0) = 0.5 is true). A prime after
# tanh stays unread, as the patterns have it ("tanh' ≤ 1": tanh′, in W·tanh′).
_PRIME = re.compile(r"(?:(?<=σ)|(?<=sigmoid)|(?<=sigma))['′](?=[\s(,.;:)=≈<>≤]|$)")


def prepare(text: str, translate: bool = True) -> str:
    """Math and contractions rewritten into plain tokens, before any splitting."""
    text = unicodedata.normalize("NFC", text[:MAX_CHARS])
    text = decimal_points(text)
    text = _ENUMERATOR.sub("; ", text)  # "(1) z_t ≈ 1 ⇒ …" is not "(1 − z_t) ≈ 1"
    text = re.sub(r"(?<=[\s(=≈~<>])\.(?=\d)", "0.", text)  # "≈ .61" is 0.61, not a full stop
    text = _SCIENTIFIC.sub(_decimal, text)  # 5e-3 is 0.005, as the patterns write it
    # "0.9^50 ≈ 0.5%" is 0.005, not one half; a whole percentage ("60%") stays a number
    text = re.sub(r"\b(0\.\d+)\s?%", lambda m: f"{float(m[1]) / 100:.6g}", text)
    text = _SPELLED.sub(_spelled, text)
    for pattern, replacement in _DICTATED:
        text = pattern.sub(replacement, text)
    text = re.sub(r"(?<=\d)x(?=\s)|(?<=\w)×(?=\s)", " times ", text)  # "8× the cost", "4x faster"
    text = _ANGLE_TIME.sub(r"\1_{\2}", text)  # c<t>, a<t−1>: another course's h_t
    text = _SPACED_DOT.sub(r"\1 ", text)
    text = re.sub(r"(?<=[^\W\d_])–(?=[^\W\d_])", "-", text)  # "encoder–decoder": one word
    text = re.sub(r"\b([Rr]e)-(?=[a-z])", r"\1", text)  # "re-computed" is "recomputed"
    text = re.sub(r"\.{2,}|…", " ", text)  # h_1..h_T, "so…": not the end of a sentence
    text = re.sub(r"\n\s*\n", ".\n", text)  # a blank line ends a sentence; a wrapped line does not
    text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)
    # "vi no la phep cong": Vietnamese typed without its marks, where "no" is "nó" (it)
    text = re.sub(r"\b([Nn])o la\b", r"\1ó là", text)
    if translate:
        text = _VI_WORDS.sub(lambda m: f" {VI_TO_EN[m[0].lower()]} ", text)
    text = text.translate(_SUPERSCRIPTS)  # N² + NM: the same as N^2 + NM
    # "std ≈ √512·σ²" is about 22.6 σ², not "512 σ²"; "divide by √d" is not "divide by d"
    text = _ROOT_OF_NUMBER.sub(lambda m: f" {math.sqrt(float(m[1])):.4g} ", text)
    text = text.replace("√", " sqrt ")
    text = _CROSSED.sub(" no ", _TICKED.sub(" ", text))  # "sum to 1 ✗": denied, as by "… no"
    text = _SUBSCRIPT_RUN.sub(lambda m: "_{" + m[0].translate(_SUBSCRIPTS) + "}", text)
    text = _PRIME.sub(" derivative ", text)  # "σ'(0) = 0.5" is not "σ(0) = 0.5"
    # "Γ_u", "σ_t": the name keeps its subscript
    text = _GREEK_LETTER.sub(
        lambda m: f" {_GREEK[m[0]]}" + ("" if text[m.end() : m.end() + 1] in "_^" else " "), text
    )
    text = text.replace("\u0302", "hat").replace("\u0303", "tilde")  # ĥ, c̃ once decomposed
    text = re.sub(r"\b([a-zA-Z])~(?=_|\s|$)", r"\1tilde", text)  # c~_t: c̃_t typed in ASCII
    text = unicodedata.normalize("NFC", text)
    text = text.replace("ĥ", "hhat").replace("ĉ", "chat")
    text = _HAT.sub(lambda m: (m[2] or m[4]) + (m[1] or m[3]), text)
    text = re.sub(r"\b([a-zA-Z])\^(?=_|\s|$)", r"\1hat", text)  # h^_t: ĥ_t typed in ASCII
    text = re.sub(r"\\([a-zA-Z]+)", r" \1 ", text)  # \sigma, \tanh: the name
    text = re.sub(r"\s/\s", ", ", text)  # "can't learn long deps / unstable training": two claims
    text = _TENDS_TO.sub(" approx ", text)
    for pattern, replacement in _RELATIONS:
        text = pattern.sub(replacement, text)
    # "0.9^50 ≈ 5e−3 ≈ nothing" is a value, ≈ 0: not a negation closing the clause
    text = re.sub(r"\bapprox\s+(?:nothing|none)\b", "approx 0", text)
    text = _CALLED_AT_STEP.sub(lambda m: _symbol(m[1], m[2]), text)
    text = _SUBSCRIPTED.sub(lambda m: _symbol(m[1], m[2] or m[3] or m[4]), text)
    text = text.lower()
    for pattern, replacement in (*_ABBREVIATIONS, *_CONTRACTIONS):
        text = pattern.sub(replacement, text)
    return text


def tokens(prepared: str) -> list[str]:
    """Words, symbols, numbers and the punctuation that ends sentences and clauses."""
    return _TOKEN.findall(prepared)


_SUBSCRIPTED_FUNCTIONS = frozenset({"softmax", "argmax", "max", "sum", "exp", "log", "tanh"})


@lru_cache(maxsize=20000)
def lemma(word: str) -> str:
    """The dictionary form of an English word; symbols, numbers and Vietnamese as they are."""
    if word == "zero":
        return "0"
    base, underscore, _ = word.partition("_")
    if underscore and base in _SUBSCRIPTED_FUNCTIONS:
        return base  # "softmax_j(e_ij)": the softmax over j, not a symbol of its own
    if word in _STRUCTURE or not word.isascii() or not word.isalpha() or len(word) < 3:
        return strip_diacritics(word)
    found = _LEMMA_FIXES.get(word) or lemmas.known().get(word)
    if found is None:
        import simplemma  # only for words no earlier run has looked up: it costs ~0.3 s

        found = str(simplemma.lemmatize(word, lang="en")).lower()
        lemmas.remember(word, found)
    # "cos" is not "co" (a Vietnamese function word), though "gets" is "get"
    return word if (found in _STRUCTURE or found in _STOP) and len(word) <= 3 else found


# Where simplemma's English dictionary is wrong for this subject ("gone" is not "gan").
_LEMMA_FIXES = {
    "gone": "gone",
    "gan": "gan",
    "nhu": "nhu",
    "thi": "thi",
    "data": "data",
    "bias": "bias",
    "lstms": "lstm",
    "rnns": "rnn",
    "timesteps": "timestep",
    "worse": "worse",  # not "wrong", which would deny its clause
    "worst": "worst",
    "causally": "causal",  # "causally masked" is a causal mask
}

_AFTER_VERB = frozenset({"nothing", "none"})
# deny the next word only ("instead of copying h_{t−1}": the verb and its object)
_SHORT_SCOPE = frozenset({"without", "rather", "unlike", "instead"})
# what a denied subject leads to: "no scaling means the variance grows with d"
_CONSEQUENCE = frozenset({"means", "mean", "implies", "leads", "causes", "makes", "gives"})
# Content words that only a sentence has, never a list of keywords: "clipping only
# scales down large gradients" is telegraphic, but a statement; "examples: syntax,
# coreference" answers "give examples".
_TELLING = frozenset(
    {"only", "down", "up", "out", "off", "more", "less", "always", "same", "all", "each",
     "every", "both", "still", "just", "example",
     # a verb that links two things: "Exploding ones make training unstable" is a claim
     "make", "makes", "made", "cause", "causes", "caused", "mean", "means", "lead", "leads",
     "become", "becomes", "let", "lets", "keep", "keeps", "stay", "stays", "remain", "remains"}
)  # fmt: skip
_CONTINUING = frozenset({"and", "or", "va", "hoac"})
_CAUSES = frozenset({"because", "since"})
_NOT_BEFORE_CAUSE = frozenset({"not", "never", "n't"})


def _previous(raws: list[str], position: int) -> str:
    return raws[position - 1].lower() if position > 0 else ""


_SOFT = frozenset({"would", "could", "might"})  # with "need": a counterfactual
# "sum = 1 fails", "… is wrong": a verdict on the clause so far, which it denies
_AFTER_CLAUSE = frozenset({"fail", "violate", "wrong", "untrue", "false", "sai"})


def _ends_clause(raws: list[str], position: int) -> bool:
    """A negation with nothing after it in its clause ("Σ = 1 no, since …") denies
    what came before it."""
    if position > 0 and raws[position - 1].lower() in _ALMOST:
        return False  # "0.9^50 ≈ 0.005, almost none": an amount, not a denial
    # "… which the gates don't have.": only function words after it
    at = position + 1
    while at < len(raws) and raws[at].lower() in _AUXILIARIES:
        at += 1
    return _clause_ends_at(raws, at)


def _clause_ends_at(raws: list[str], at: int) -> bool:
    return at >= len(raws) or raws[at] in _SENTENCE_END or raws[at] in _CLAUSE_END


_AUXILIARIES = frozenset({"have", "has", "had", "do", "does", "did", "be", "is", "are", "so"})


def _closes(raws: list[str], position: int) -> bool:
    """A verdict word that ends its clause ("Σ = 1 is wrong, because …", "… fails.")
    judges the clause; one before a noun describes it ("predicts the wrong class",
    "dự đoán sai lớp")."""
    at = position + 1
    # "… fails in general, since …": a qualifier between it and the clause's end
    for qualifier in _QUALIFIERS:
        if [raw.lower() for raw in raws[at : at + len(qualifier)]] == list(qualifier):
            at += len(qualifier)
            break
    return _clause_ends_at(raws, at) or classify(raws[at])[1] == CONNECTIVE


_QUALIFIERS = (
    ("in", "general"), ("in", "practice"), ("here",), ("too",),
    ("completely",), ("entirely",), ("totally",), ("anyway",), ("though",),
)  # fmt: skip


_ALMOST = frozenset({"almost", "nearly", "practically", "virtually", "basically"})


NEGATION, CONNECTIVE, FUNCTION, CONTENT = "negation", "connective", "function", "content"


def classify(raw: str) -> tuple[str, str]:
    """A token's comparable form (lemma, no diacritics) and its role in the sentence."""
    low = raw.lower()
    bare = strip_diacritics(low)
    if bare != low:  # typed with diacritics: Vietnamese
        if low in VI_NEGATIONS:
            return bare, NEGATION
        if low in VI_CONNECTIVES:
            return bare, CONNECTIVE
        return bare, FUNCTION if low in VI_STOPWORDS else CONTENT
    word = lemma(low)
    if word in _NEGATION or low in _NEGATION:
        return word, NEGATION
    if word in _CONNECTIVE or low in _CONNECTIVE:
        return word, CONNECTIVE
    if word in _STOP or low in _STOP:
        return word, FUNCTION
    return word, CONTENT


_MATH_NEIGHBOURS = frozenset({"eq", "approx", "lt", "gt", "le", "ge", "(", ")", "[", "]"}) | _SUM


def classify_at(raws: list[str], position: int) -> tuple[str, str]:
    """``classify``, except that a lone letter next to math is a symbol: the "i" of
    "i - 1", the "a" of "a = 2", the "o" of "O(N)" are not "I", "a", "ở"."""
    token, role = classify(raws[position])
    raw = raws[position]
    if _next(raws, position) in _CONTRASTED.get(raw.lower(), ()):
        return raw.lower(), NEGATION  # "the old state is replaced rather than kept"
    if raw.lower() == "unlike":
        return "unlike", NEGATION  # "(unlike RNN, which reads in order) → need PE"
    if raw.lower() == "then" and position and raws[position - 1].lower() in _COPULAS:
        return "then", FUNCTION  # "h_t is then ≈ h_{t−1}": an adverb, not a new clause
    if raw.lower() == "no" and _among_vietnamese(raws, position):
        return "no", FUNCTION  # "no khong phu thuoc …": nó (it), typed without diacritics
    if role != CONTENT and len(raw) == 1 and raw.isalpha() and raw.isascii():
        around = raws[max(0, position - 1) : position] + raws[position + 1 : position + 2]
        if any(r in _MATH_NEIGHBOURS or r.replace(".", "").isdigit() for r in around):
            return raw.lower(), CONTENT
    return token, role


_COPULAS = frozenset(
    {"is", "are", "was", "were", "be", "becomes", "become", "gets", "get", "stays", "stay"}
)

# "replaced rather than kept", "takes the candidate instead of copying h_{t−1}": what
# follows is denied, as by "not"
_CONTRASTED = {"rather": ("than",), "instead": ("of",)}


def _next(raws: list[str], position: int) -> str:
    return raws[position + 1].lower() if position + 1 < len(raws) else ""


# Vietnamese words typed without diacritics that English text does not use: beside
# them, "no" is the pronoun nó, not a negation
_VI_PLAIN = frozenset(
    {
        "khong", "thi", "cua", "nen", "duoc", "nhung", "cung", "van", "cac", "mot", "voi",
        "khi", "neu", "nay", "phu", "thuoc", "bi", "hon", "rat", "gi", "vao", "tu", "se",
        "da", "dang", "lam", "giu", "nho", "qua", "luon", "chi", "deu", "ca", "vay", "roi",
    }
)  # fmt: skip
_VI_REACH = 6  # tokens either side


def _among_vietnamese(raws: list[str], position: int) -> bool:
    around = raws[max(0, position - _VI_REACH) : position + _VI_REACH + 1]
    return sum(r.lower() in _VI_PLAIN for r in around) >= 2


# "in a special case", "edge cases", "trường hợp đặc biệt": what follows is an example
# under a condition, not a claim about the general case
_SPECIAL = frozenset({"special", "edge", "corner", "degenerate", "trivial"})


def _special_case(raws: list[str], position: int) -> bool:
    word = strip_diacritics(raws[position].lower())
    before = strip_diacritics(raws[position - 1].lower()) if position else ""
    return (word in {"case", "cases"} and before in _SPECIAL) or (
        word == "biet" and before == "dac"
    )


def _after_only(raws: list[str], position: int) -> bool:
    return position > 0 and raws[position - 1].lower() in {"only", "chỉ"}


# Where a sentence of what the student typed ends, as ``prepare`` reads it: ". ! ?"
# before a space (not "..", not a decimal point), or a blank line (a wrapped line goes
# on); "e.g." and "i.e." end nothing.
_PIECE_END = re.compile(r"(?<=[.!?])(?<!\.\.)\s+(?=\S)|\s*\n\s*\n\s*")
# "e_{t,i} = h_t . h_i": a dot between two symbols, spaced, is a dot product
_SYMBOL = r"[A-Za-z](?:_\{[^{}\s]*\}|_[\w,]+)?(?:\^T|ᵀ)?"
_SPACED_DOT = re.compile(rf"((?:^|[\s(=,]){_SYMBOL})\s+\.(?=\s+{_SYMBOL}(?:[\s,.;:)]|$))")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|w\.r\.t|vs|cf|etc|et al)\.)$", re.IGNORECASE)


def _etc_ends_sentence(previous: str, piece: str) -> bool:
    """ "… LSTMs, residual connections etc. It can't help": "etc." ends a list, and here
    its sentence too (a capital follows); "e.g." and "vs." always go on."""
    return previous.lower().endswith("etc.") and piece.lstrip()[:1].isupper()


# Words that begin a condition: two of them in a sentence are two statements.
_CONDITIONS = frozenset(HYPOTHETICAL | {"when", "whenever", "khi", "implies"})


def _in_units(words: list[Word], cues: list[int], bounds: list[int]) -> list[Word]:
    """``words`` with the condition each belongs to. "If ρ > 1 the gradient vanishes,
    and if ρ < 1 it explodes" (or "vanishes when ρ < 1, and explodes when ρ > 1") is
    two statements, each a condition with its consequence: a claim is not assembled
    from the consequence of one and the condition of the other. Between two
    conditions, the last clause boundary before the second separates them ("nếu A
    thì B; nếu C thì D"); an arrow is a condition's consequence ("λ<1 → vanishing,
    λ>1 → exploding").
    """
    starts = []
    for first, second in itertools.pairwise(cues):
        cut = max((b for b in bounds if first < b <= second), default=None)
        if cut is not None:
            starts.append(cut)
    if not starts:
        return words
    unit = bisect.bisect_right
    return [dataclasses.replace(w, unit=unit(starts, k)) for k, w in enumerate(words)]


def pieces(text: str) -> list[str]:
    """``text`` cut into the sentences the student typed, each as typed."""
    text = text[:MAX_CHARS]
    dots = {m.end() - 1 for m in _SPACED_DOT.finditer(text)}
    cuts = [m.span() for m in _PIECE_END.finditer(text) if m.start() - 1 not in dots]
    bounds = [0, *itertools.chain.from_iterable(cuts), len(text)]
    out: list[str] = []
    for piece in (text[a:b] for a, b in zip(bounds[::2], bounds[1::2], strict=True)):
        if out and _ABBREVIATION.search(out[-1]) and not _etc_ends_sentence(out[-1], piece):
            out[-1] += " " + piece
        elif piece.strip():
            out.append(" ".join(piece.split()))
    return out


def read_quoted(text: str) -> list[tuple[Sentence, str]]:
    """Each sentence of ``text`` with the words the student typed for it, so that
    feedback can quote them."""
    cut = pieces(text)
    out: list[tuple[Sentence, str]] = []
    for piece, after in zip(cut, [*cut[1:], ""], strict=True):
        sentences, typed = _read_asked(piece, after)
        out += [(sentence, typed) for sentence in sentences]
    return out


def _read_asked(piece: str, after: str) -> tuple[list[Sentence], str]:
    """A piece, read with the answer the next piece gives it at once if it is a question
    ("Do the entries sum to 1?" + "No: …"), so that the answer decides what it states;
    and the words to quote for it (the question with its answer)."""
    read_alone = read(piece)
    answer = " ".join(tokens(prepare(after))[:2])
    if not piece.rstrip().endswith("?") or not answer:
        return read_alone, piece
    answered = read(f"{piece} {answer} .")[: len(read_alone)]
    if answered == read_alone:
        return read_alone, piece
    said = after.split()[: 2 if after.lower().startswith("not ") else 1]  # "No", "Not here"
    return answered, f"{piece} {' '.join(said).rstrip(',.:;!—–-')}"


_SOMEONE = frozenset({"one", "someone", "somebody", "people", "you", "students", "a"})
_MIGHT = frozenset({"might", "may", "could", "would"})
_OBJECT = frozenset({"say", "think", "object", "argue", "claim", "believe", "expect", "worry"})


_TURNS = frozenset({"but", "however", "yet", "actually", "then"})
_VIEWED = frozenset(
    {"thought", "think", "said", "argued", "believed", "felt", "claimed", "guessed"}
)
# who held the view a group gave up: "one of us thought …", "one person argued …"
_SOMEONE_OF_US = ("one of us", "some of us", "one person", "someone", "somebody", "one member")
_AT_FIRST = frozenset({"first", "initially", "originally", "naively"})


def _gave_up(raws: list[str], position: int) -> bool:
    """ "At first I thought …", "I initially thought …", "I used to think …": a view the
    student held and, after "but", gave up; "one of us thought …, but we decided …": a
    view their group rejected."""
    word = raws[position].lower()
    if word not in _VIEWED:
        return False  # the usual case, on every word
    before = [raw.lower() for raw in raws[max(0, position - 3) : position]]
    if " ".join(before).endswith(_SOMEONE_OF_US):
        return True
    if word not in {"thought", "think"}:
        return False
    if word == "think":
        return before == ["i", "used", "to"]
    return bool(before) and (
        (before[-1] == "i" and not _AT_FIRST.isdisjoint(before))
        or (len(before) > 1 and before[-2] == "i" and before[-1] in _AT_FIRST)
    )


_ASKING = frozenset({"không", "khong", "chưa", "chua"})  # Vietnamese "…không?": a question
_YES = frozenset({"yes", "yep", "yeah", "yup", "có", "co"})
_NO = frozenset({"no", "nope", "nah", "không", "khong"})
_NOT_SO = frozenset({"here", "really", "quite", "necessarily", "always", "at"})  # "Not here."


def _answered(raws: list[str], position: int) -> bool | None:
    """The student's own answer to the question ending at ``position``: "… sum to 1? No:
    …" (False), "… copied? Yes — …" (True), or None when none follows at once."""
    after = [raw.lower() for raw in raws[position + 1 : position + 3]] + ["", ""]
    alone = after[1] in _SENTENCE_END or after[1] in _CLAUSE_END or after[1] in {"", "-"}
    if after[0] in _NO and alone:
        return False
    if after[0] == "not" and after[1] in _NOT_SO:
        return False
    if after[0] in _YES and alone:
        return True
    return None


def _someone_might_say(raws: list[str], position: int) -> bool:
    """ "One might say …", "someone could object …": a view the student reports (and
    usually rebuts), not one they hold."""
    if position < 2 or raws[position].lower() not in _OBJECT:
        return False  # the usual case, on every word: no list built
    return raws[position - 2].lower() in _SOMEONE and raws[position - 1].lower() in _MIGHT


# Someone else's words in quotation marks, a clause long: 'The classmate's "more heads =
# more parameters = better" misses the point' reports a view, as "one might say" does
_QUOTATION = re.compile(QUOTED)
QUOTED_WORDS = 4  # fewer is a term in quotation marks ("the 'forget' gate")


def _mark_quotations(text: str) -> str:
    return _QUOTATION.sub(
        lambda m: f" ⟦ {m[1]} ⟧ " if len(m[1].split()) >= QUOTED_WORDS else m[0], text
    )


def read(text: str) -> list[Sentence]:
    """The sentences of ``text``, each a list of content words with their polarity."""
    sentences: list[Sentence] = []
    words: list[Word] = []
    glue = 0
    negated = supposed = needed = softened = short_scope = False
    subject_denied = False  # the negation in force is "no" before a subject
    clause_start = clause = 0
    formulas = summands = stretch = depth = 0
    framed = False  # "… only in special cases, e.g. h = 0 gives h_t = 0": an example
    nearly = False  # the negation in force is "almost no"
    in_formula = plus = False  # the last token was a formula's symbol; a "+" came after it
    joined = False  # a connective came after the last word
    reach_object = False  # a short-scope negation reaches one word more

    cues: list[int] = []  # where a condition begins ("if", "when"), in words so far
    bounds: list[int] = []  # where a clause ends (punctuation, a connective)

    quoting = False  # inside a quotation of someone else's words
    retracted = False  # "At first I thought …, but": a view the student gave up

    def close_sentence() -> None:
        nonlocal words, glue, negated, supposed, needed, softened, short_scope, framed
        nonlocal retracted
        nonlocal clause_start, clause, stretch, depth, cues, bounds
        if words:
            sentences.append(Sentence(tuple(_in_units(words, cues, bounds)), glue))
        words, glue, clause_start, clause, stretch, depth = [], 0, 0, 0, 0, 0
        # the view given up ends with its sentence even without a "but"
        negated = supposed = needed = softened = short_scope = framed = retracted = False
        cues, bounds = [], []

    def mark_clause(*, hypothetical: bool = False, modal: bool = False) -> None:
        """Mark the clause's words so far as a hypothesis or a requirement."""
        for k in range(clause_start, len(words)):
            word = words[k]
            words[k] = dataclasses.replace(
                word, hypothetical=word.hypothetical or hypothetical, modal=word.modal or modal
            )

    def suppose_sentence() -> None:
        for k, word in enumerate(words):
            words[k] = dataclasses.replace(word, hypothetical=True)

    def affirm_sentence() -> None:
        for k, word in enumerate(words):
            words[k] = dataclasses.replace(word, negated=False)

    def deny_sentence() -> None:
        for k, word in enumerate(words):
            words[k] = dataclasses.replace(word, negated=True)

    def suppose() -> None:
        nonlocal supposed
        supposed = True
        mark_clause(hypothetical=True)

    def require() -> None:
        nonlocal needed
        needed = True
        mark_clause(modal=True)

    raws = tokens(prepare(_mark_quotations(text)))
    for position, raw in enumerate(raws):
        if raw in "⟦⟧":
            quoting = raw == "⟦"
            continue
        if raw in _SUM:
            plus = in_formula
            continue
        if raw in _PRODUCT:
            continue  # "W·tanh'": one term (see the short scope below)
        if not _FORMULA_TOKEN.fullmatch(raw.lower()):
            in_formula = plus = False
        if raw in _SENTENCE_END:
            if raw == "?":  # "does the encoder depend on the decoder?": a question states nothing
                answer = _answered(raws, position)
                if position and raws[position - 1].lower() in _ASKING:
                    affirm_sentence()  # "có bằng 1 không?": the particle asks, it denies nothing
                if answer is None or any(word.negated for word in words):
                    suppose_sentence()
                elif not answer:  # "do the entries sum to 1? No: …" denies that they do
                    deny_sentence()
            close_sentence()
            continue
        if raw in _CLAUSE_END:
            negated = supposed = needed = softened = False
            clause_start = len(words)
            clause += 1
            if raw not in _BRACKETS and depth == 0:  # "(gates, candidate)" is one clause
                bounds.append(len(words))
            if raw in _BRACKETS:
                depth = max(0, depth + (1 if raw in "([" else -1))
            else:
                stretch += depth == 0  # "σ ∈ (0, 1)": a comma inside brackets is math
            continue
        token, role = classify_at(raws, position)
        if _gave_up(raws, position):
            retracted = True
        elif retracted and token in _TURNS:
            retracted = False
        if _someone_might_say(raws, position):
            suppose()  # "One might say the past sneaks in — it doesn't": not the student's claim
        if _special_case(raws, position):
            framed = True  # the rest of the sentence is an example under a condition
            mark_clause(hypothetical=True)
        if token in _CONDITIONS:
            cues.append(len(words))
            # "the outputs don't change when the source changes": the condition is
            # not denied with its clause
            negated = negated and role != FUNCTION
        elif role == CONNECTIVE:
            bounds.append(len(words))
        if role == CONNECTIVE:
            joined = True
            # "it's not because RNNs have many parameters": the reason given is denied
            negated = token in _CAUSES and _previous(raws, position) in _NOT_BEFORE_CAUSE
            clause += 1
            stretch += token not in _CONTINUING  # "W and U" stays one stretch
            if token not in _CONTINUING:  # "if a and b": b is supposed too
                supposed = needed = softened = False
            clause_start = len(words)
            glue += 1
            if token in HYPOTHETICAL or (token == "when" and _after_only(raws, position)):
                suppose()  # "only when h = 0 is h_t = h_{t-1}": a condition, not a claim
        elif token in _AFTER_CLAUSE and raws[position + 1 : position + 2] == ["to"]:
            negated = not negated  # "fails to learn"
            glue += 1
        elif (
            (
                (token in _AFTER_CLAUSE and _closes(raws, position))
                or (role == NEGATION and _ends_clause(raws, position))
            )
            and (
                # "… no gradient when the model is confidently wrong": "wrong" says how the
                # model is, in the condition's clause; it denies nothing
                words[clause_start:]
                and not (role != NEGATION and cues and cues[-1] >= clause_start)
                # "clipping never scales up ✗": the mark confirms the denial, it does not undo it
                and not (role == NEGATION and any(w.negated for w in words[clause_start:]))
            )
        ):
            for k in range(clause_start, len(words)):  # a flip, not a flag: see mark_clause
                words[k] = dataclasses.replace(words[k], negated=not words[k].negated)
            glue += 1
        elif role == NEGATION and token in _SHORT_SCOPE:
            negated, short_scope, nearly = True, True, False
            # "instead of copying h_{t−1}" denies the verb and its object; "instead of
            # σ they would be …" only σ
            reach_object = token == "instead" and _next(raws, position + 1).endswith("ing")
            glue += 1
        elif role == NEGATION:
            # "no scaling means the variance grows": a subject denied, not what follows it
            subject_denied = token == "no" and not words[clause_start:] and not negated
            # "it contributes nothing": the object's negation denies the verb before it;
            # but "0.9^50 ≈ 0.005, almost none" says how much, not that it is not
            if (
                token in _AFTER_VERB
                and words[clause_start:]
                and not negated
                and not words[-1].formula
            ):
                words[-1] = dataclasses.replace(words[-1], negated=True)
            negated = not negated
            # "gets almost no weight": an amount near zero, which can state "≈ 0" but
            # never deny that it is small
            nearly = negated and position > 0 and raws[position - 1].lower() in _ALMOST
            glue += 1
        elif role == FUNCTION:
            glue += 1
            if (
                token in HYPOTHETICAL
                or (token in _SOFT and needed)
                or (token == "when" and _after_only(raws, position))
            ):
                suppose()  # "only when h = 0 is h_t = h_{t-1}": a condition, not a claim
            if token in _SOFT:
                softened = True
        else:
            glue += token in RELATIONS or token in _TELLING
            if subject_denied and negated and token in _CONSEQUENCE:
                negated = subject_denied = False
            if token in HYPOTHETICAL:
                suppose()
            if token in MODAL:  # "a distribution needs Σ = 1": a requirement
                require()
                if softened:  # "for h_t = h_{t-1} you'd need …": a counterfactual
                    suppose()
            formula = summand = 0
            if _FORMULA_TOKEN.fullmatch(token):
                if not (in_formula and words and words[-1].clause == clause):
                    formulas += 1
                    summands += 1
                elif plus:
                    summands += 1
                formula, summand, in_formula, plus = formulas, summands, True, False
            words.append(
                Word(
                    token,
                    negated,
                    supposed or framed or quoting or retracted,
                    needed,
                    clause,
                    formula,
                    summand,
                    stretch,
                    nearly=negated and nearly,
                    joined=joined,
                )
            )
            joined = False
            if short_scope and _next(raws, position) in _PRODUCT:
                pass  # "instead of W·tanh' every step": the product is one thing denied
            elif short_scope and reach_object:
                reach_object = False
            elif short_scope:  # "without it, the model is …": only "it" is denied
                negated, short_scope = False, False
    close_sentence()
    return sentences
