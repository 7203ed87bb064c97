"""The content format: what an author writes in ``content/<lab>/*.yaml``.

One YAML file holds one problem of the sheet. A problem has parts; a part has a
``kind`` that fixes which fields it needs. Derivations and scaffolded parts
carry ``steps``, each itself a part of a checkable kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from content.domains import parse_domain
from content.expr.vocabulary import RESERVED

PROBLEM_ID = re.compile(r"^[a-z][a-z0-9]*\.p[0-9]+$")
PART_ID = re.compile(r"^([a-z]|[0-9]+)$")
STEP_ID = re.compile(r"^s[0-9]+$")
_NAME = r"[A-Za-z][A-Za-z0-9]*(?:_(?:[A-Za-z0-9]+|\{[A-Za-z0-9+-]+\}))?"
# a name, or a derivative written as one symbol: dJ/dh_t, dh_t/dh_{t-1}
_VARIABLE = re.compile(rf"^(?:{_NAME}|d{_NAME}/d{_NAME})$")


class Strict(BaseModel):
    # Validators are built when first needed: a cached problem is rebuilt without them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _one_verdict_each(groups: dict[str, list[str]]) -> None:
    """A fixture under two verdicts asks the impossible of the judge: say which."""
    seen: dict[str, str] = {}
    for verdict, answers in groups.items():
        for answer in answers:
            if answer in seen and seen[answer] != verdict:
                raise ValueError(
                    f"{answer!r} is listed under both {seen[answer]!r} and {verdict!r}: "
                    "keep it under the verdict it must get"
                )
            seen[answer] = verdict


class Mistake(Strict):
    answer: str = Field(
        description="A wrong answer students give, written as a student would type it."
    )
    feedback: str = Field(
        description="What the tutor says to that answer: what is wrong, and a way to see it."
    )


class KeyIdea(Strict):
    """An idea a good reason states, and the patterns that state it.

    Pattern syntax (``content/reasons/patterns.py``): terms joined by `` + `` must
    all occur in one sentence; ``|`` separates alternatives; ``{name}`` is any
    phrase of a concept; ``word*`` a prefix; a negation is part of the claim
    ("not remember + {past}"). A text that says the opposite contradicts the idea.
    """

    idea: str = Field(
        description="The idea in words, as the tutor echoes it and the card lists it."
    )
    patterns: list[str] = Field(
        description="Patterns, any of which shows the idea is stated (syntax above).",
        default_factory=list,
    )
    phrases: list[str] = Field(
        default_factory=list,
        description="The first format: each phrase's words as prefixes, in order. Prefer patterns.",
    )
    required: bool = Field(
        default=True, description="Needed for full credit; false for a supporting idea."
    )

    @model_validator(mode="after")
    def _has_patterns(self) -> KeyIdea:
        if not self.patterns and not self.phrases:
            raise ValueError("a key idea needs patterns that show it is stated")
        return self


class WrongClaim(Strict):
    """A claim about the subject that is wrong wherever a student makes it (``misconceptions``
    in ``lab.yaml``): "the gates use a softmax", "KV caching removes the N² term". Every
    reason of every part of the lab is read for it, after the part's own misconceptions —
    the false "bonus fact" a student adds to a right reason. ``check`` proves that no
    sound reason fixture of any part states it."""

    patterns: list[str] = Field(
        description="Patterns that show the wrong idea is stated.", min_length=1
    )
    feedback: str = Field(description="What corrects it, said to the student.")
    question: str | None = Field(
        default=None, description="One guiding question, asked before the model answer."
    )
    conditional: bool = Field(
        default=False,
        description=(
            'The wrong idea is itself an implication ("if ρ > 1 the gradient vanishes"): '
            'a supposition states it too. Otherwise a clause with "if" states no '
            "misconception."
        ),
    )


class Misconception(WrongClaim):
    """A wrong idea students really have about a part: when a reason states it, the
    reason is wrong."""

    denies: list[int] = Field(
        default_factory=list,
        description=(
            "The key ideas (numbered from 1, in the part's order) a student denies by "
            "stating this: an answer that states it is not told it said them, whatever "
            'another sentence seemed to say ("each weight is its own sigmoid" denies '
            '"a softmax turns the scores into weights"). Its feedback must restate each.'
        ),
    )

    verdict: bool | None = Field(
        default=None,
        description=(
            "Only for an answer giving this verdict: a reason that argues for the right "
            "answer, given with the wrong verdict (\"true, the encoder's output does not "
            'change"). Without it, the misconception counts whatever the verdict.'
        ),
    )
    alone: bool = Field(
        default=False,
        description=(
            "Wrong only as the whole reason: an argument from beside the point (training, "
            "bias terms) that replaces the right one. Beside a stated key idea it is a "
            "remark, not a mistake."
        ),
    )
    aside: bool = Field(
        default=False,
        description=(
            "True, but beside the point: a remark that does not decide the question "
            '("f is a sigmoid, so it is never exactly 0"). As the whole reason it leaves the '
            "reason missing (partial), with this feedback; beside a stated key idea it is a "
            "remark, not a mistake."
        ),
    )

    def denied(self, ideas: Sequence[KeyIdea]) -> list[tuple[int, KeyIdea | None]]:
        """Each number of ``denies`` (by its position) with the idea it names among the
        part's ``ideas``, or None for a number that names none (the lint reports it)."""
        return [
            (j, ideas[number - 1] if 0 < number <= len(ideas) else None)
            for j, number in enumerate(self.denies)
        ]


class ReasonFixtures(Strict):
    """Reasons as students write them, each with the grade a teacher gives it.

    For a true/false part each begins with its verdict ("false, because …").
    """

    correct: list[str] = Field(
        description="Reasons a teacher gives full credit.", default_factory=list
    )
    partial: list[str] = Field(
        description="Reasons a teacher gives part of the credit (vague, or one idea of two).",
        default_factory=list,
    )
    incorrect: list[str] = Field(
        description=(
            "Reasons a teacher marks wrong (a wrong verdict, a misconception, the opposite claim)."
        ),
        default_factory=list,
    )

    @model_validator(mode="after")
    def _disjoint(self) -> ReasonFixtures:
        _one_verdict_each(
            {"correct": self.correct, "partial": self.partial, "incorrect": self.incorrect}
        )
        return self


class Fixtures(Strict):
    """Answers that must get each verdict: proven by ``check`` and by pytest."""

    correct: list[str] = Field(description="Answers that must be judged correct.", min_length=1)
    incorrect: list[str] = Field(description="Answers that must be judged incorrect.", min_length=1)
    invalid: list[str] = Field(
        description="Inputs that cannot be read (judged invalid: costs no attempt).", min_length=1
    )

    @model_validator(mode="after")
    def _disjoint(self) -> Fixtures:
        _one_verdict_each(
            {"correct": self.correct, "incorrect": self.incorrect, "invalid": self.invalid}
        )
        return self


class Simulation(Strict):
    """A quantity a simulation estimates at random points of the domains.

    ``where`` narrows the domains for the simulation only (Monte Carlo over
    d = 64 costs more than it teaches).
    """

    function: str = Field(description="The function in simulations.py: (point, rng) → Estimate.")
    points: int = Field(
        description="How many random points of the domains the answer is compared at.",
        default=3,
        ge=1,
        le=20,
    )
    where: dict[str, str] = Field(
        description="Narrower domains for the simulation only: variable → domain.",
        default_factory=dict,
    )
    tied: bool = Field(
        default=False,
        description=(
            "The variables are measured together from one run of a model (the Jacobians "
            "of one LSTM): answers are judged at the simulation's points (the values it "
            "returns in `at`), not at independent draws, so that diag(f_t) may stand for "
            "∂C_t/∂C_{t-1}."
        ),
    )

    @field_validator("where")
    @classmethod
    def _domains(cls, value: dict[str, str]) -> dict[str, str]:
        for spec in value.values():
            parse_domain(spec)
        return value


class Form(Strict):
    """What a written form must look like, beyond its value.

    ``functions``: the only functions it may use (``[]``: none).
    ``arguments``: each call of the named function must have an argument equal
    to this expression (``{sigmoid: x}`` means "in terms of σ(x)").
    """

    functions: list[str] | None = Field(
        default=None, description="The only functions the answer may use ([] for none)."
    )
    arguments: dict[str, str] = Field(
        description=(
            "Function → the argument each of its calls must have ({sigmoid: x}: in terms of σ(x))."
        ),
        default_factory=dict,
    )
    single_fraction: bool = Field(
        default=False, description='One numerator over one denominator ("as a single fraction").'
    )
    feedback: str = Field(
        default="Right value, but not in the form the question asks for.",
        description="What the tutor says to a right value in the wrong form.",
    )


class PartBase(Strict):
    id: str | None = Field(
        default=None,
        description=(
            "The part's label as on the sheet: a, b, … or 1, 2, …; steps s1, s2, …; omitted "
            "when the problem has one part."
        ),
    )
    prompt: str = Field(
        description=(
            "The question as the sheet asks it (Markdown, $…$ math); {{name}} for a parameter."
        )
    )
    typing: str = Field(
        default="", description="How to type the answer in the tutor; never on a card."
    )
    hints: list[str] = Field(
        description="Hints, from gentle to telling, given one at a time.", min_length=1
    )
    explanation: str = Field(
        description=(
            "The worked answer: why it is right (shown after an answer, on the card's back)."
        )
    )
    tags: list[str] = Field(
        description="Topic tags for the card (under the course's tag root).", default_factory=list
    )
    fixtures: Fixtures = Field(
        description="Answers with the verdict each must get: proven by check."
    )
    demonstrations: list[str] = Field(
        default_factory=list,
        description="Experiments (Finding functions) that must hold, shown as evidence.",
    )
    picture: str | None = Field(
        default=None, description="A function in simulations.py returning a Plot for the card."
    )
    reading: str | None = Field(
        default=None, description="Where the sheet is ambiguous: the reading taken, and why."
    )


def _check_variables(value: dict[str, str]) -> dict[str, str]:
    for name, spec in value.items():
        if not _VARIABLE.match(name):
            raise ValueError(f"{name!r} is not a variable name (letters, digits, one subscript)")
        if name in RESERVED:
            raise ValueError(f"{name!r} is reserved for a function or constant")
        parse_domain(spec)
    return value


class ExpressionPart(PartBase):
    kind: Literal["expression"] = Field(
        description="expression: a formula, judged by its value at random points."
    )
    variables: dict[str, str] = Field(
        description="The part's own variables: name → domain (beside the problem's).",
        default_factory=dict,
    )
    aliases: dict[str, str] = Field(
        description="Other names students type for a variable: alias → variable.",
        default_factory=dict,
    )
    answer: str = Field(description="The reference formula, in the answer language.")
    mistakes: list[Mistake] = Field(
        description="Wrong answers students give, each with its feedback.", default_factory=list
    )
    partial: list[Mistake] = Field(
        default_factory=list,
        description="Answers right only in a special case (√d, exact for μ = 0, σ = 1): partial.",
    )
    accepted: list[Mistake] = Field(
        default_factory=list,
        description=(
            "Other answers that are right under a reading the question allows (the "
            "scaled attention of Problem 6 where the plain one is asked): judged correct, "
            "with their own note."
        ),
    )
    simulate: Simulation | None = Field(
        default=None, description="The simulation the reference must agree with."
    )
    form: Form | None = Field(
        default=None, description="What the written form must look like beyond its value."
    )
    params: dict[str, str] = Field(
        default_factory=dict,
        description="Numbers drawn afresh for each variant, shown in the prompt as {{name}}.",
    )
    decimals: int = Field(default=2, ge=0, le=6, description="How real parameters are rounded.")

    validate_variables = field_validator("variables")(_check_variables)

    @field_validator("params")
    @classmethod
    def _scalar_params(cls, value: dict[str, str]) -> dict[str, str]:
        _check_variables(value)
        for name, spec in value.items():
            if parse_domain(spec).kind not in ("real", "positive", "integer"):
                raise ValueError(f"parameter {name!r} must be a number: real, positive or integer")
        return value


class Reasoned(PartBase):
    """A part answered in words: its key ideas, misconceptions and reason fixtures."""

    key_ideas: list[KeyIdea] = Field(
        description="The ideas a good reason states; the required ones give full credit.",
        min_length=1,
    )
    misconceptions: list[Misconception] = Field(
        description="Wrong ideas students have, with what corrects each.", default_factory=list
    )
    reasons: ReasonFixtures = Field(
        description="Reasons as students write them, with the grade each must get.",
        default_factory=ReasonFixtures,
    )


class TrueFalsePart(Reasoned):
    kind: Literal["true_false"] = Field(description="true_false: a verdict and the reason for it.")
    verdict: bool = Field(description="Whether the statement is true.")
    model_reason: str | None = Field(
        default=None,
        description="A reason a teacher gives full credit, in a sentence: the quiz key's answer.",
    )
    simulate: str = Field(
        description=(
            "A function in simulations.py returning a Finding whose holds must equal verdict."
        )
    )
    steps: list[Step] = Field(
        default_factory=list, description="Follow-up steps, asked after the verdict and its why."
    )


class ChoicePart(PartBase):
    kind: Literal["choice"] = Field(description="choice: one option of several.")
    options: dict[str, str] = Field(description="Label → option text.", min_length=2)
    answer: str = Field(description="The label of the right option.")
    feedback: dict[str, str] = Field(
        description="Label → what the tutor says when that option is chosen.", default_factory=dict
    )
    simulate: str = Field(
        description=(
            "A function in simulations.py returning a Finding whose choice must equal answer."
        )
    )

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> ChoicePart:
        if self.answer not in self.options:
            raise ValueError(
                f"answer {self.answer!r} is not one of the options {sorted(self.options)}"
            )
        unknown = set(self.feedback) - set(self.options)
        if unknown:
            raise ValueError(f"feedback for unknown options {sorted(unknown)}")
        return self


class NumericPart(ExpressionPart):
    """A number, typed as a number or a formula without variables (``0.9^50``).

    ``tolerance`` is relative: how far a sensibly rounded answer may be off.
    """

    kind: Literal["numeric"] = Field(
        description="numeric: a number (or a formula without variables, 0.9^50)."
    )  # type: ignore[assignment]
    tolerance: float = Field(
        description="How far (relative) a sensibly rounded answer may be off.",
        default=0.01,
        gt=0,
        lt=0.5,
    )


class ComplexityPart(ExpressionPart):
    """A growth rate, ``O(M^2 k)``, judged by its exponent in each size.

    ``simulate`` names an operation counter: a numpy implementation that counts
    the multiply-adds it performs for the sizes it is given.
    """

    kind: Literal["complexity"] = Field(
        description="complexity: a growth rate O(…), judged by its exponent in each size."
    )  # type: ignore[assignment]


Step = Annotated[
    ExpressionPart | NumericPart | ComplexityPart | TrueFalsePart | ChoicePart,
    Field(discriminator="kind"),
]


class DerivationPart(ExpressionPart):
    """An expression answered through ordered steps; its own answer is the result."""

    kind: Literal["derivation"] = Field(
        description="derivation: a result reached through ordered steps."
    )  # type: ignore[assignment]
    steps: list[Step] = Field(
        description="The steps, in order; each is a part of its own (expression, numeric, …).",
        min_length=1,
    )
    conclusion: str = Field(
        default="",
        description="What the final answer asks, after the steps (the prompt is the sheet's).",
    )


class ShortAnswerPart(Reasoned):
    kind: Literal["short_answer"] = Field(
        description="short_answer: an answer in words, judged by its key ideas."
    )
    min_words: int = Field(
        default=4, ge=1, description="Fewer words than this is no answer yet (invalid)."
    )
    model_answer: str = Field(description="The full answer a teacher would write.")
    steps: list[Step] = Field(
        description="Optional scaffold: smaller questions leading to the answer.",
        default_factory=list,
    )


class MultiPart(PartBase):
    """A question of the sheet with several answers (Problem 7.3's three costs).

    Each answer is a step; the part's own id takes them all in one line, in order
    ("O(M^2 k), O(MNk), O(N^2 k)" or labelled (1) (2) (3)), each judged by its step.
    """

    kind: Literal["multipart"] = Field(
        description="multipart: several answers to one question of the sheet."
    )
    steps: list[Step] = Field(
        description="One step per answer, in the order the sheet lists them.", min_length=2
    )


AnyPart = (
    ExpressionPart
    | NumericPart
    | ComplexityPart
    | TrueFalsePart
    | ChoicePart
    | DerivationPart
    | ShortAnswerPart
    | MultiPart
)
Part = Annotated[AnyPart, Field(discriminator="kind")]


CLOZE_ID = re.compile(r"^eq[0-9]+$")
_CLOZE = re.compile(r"\{\{c([0-9]+)::")


class Cloze(Strict):
    """An equation of the sheet with parts to recall: ``{{c1::…}}``, numbered explicitly."""

    id: str = Field(
        description="eq1, eq2, …: the cloze's id within its problem.", pattern=CLOZE_ID.pattern
    )
    title: str = Field(
        description="What the equations are, as the tutor and the card's header say."
    )
    text: str = Field(
        description=(
            "The equations with {{c1::…}}, {{c2::…}}, … to recall (numbered 1, 2, … without gaps)."
        )
    )
    extra: str = Field(default="", description="What the back adds after the equations.")

    @field_validator("text")
    @classmethod
    def _numbered(cls, value: str) -> str:
        numbers = sorted({int(n) for n in _CLOZE.findall(value)})
        if not numbers:
            raise ValueError("a cloze needs at least one {{c1::…}}")
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"cloze numbers must be 1, 2, … without gaps, found {numbers}")
        return value


class CourseFile(Strict):
    """``course.yaml``: a folder of labs built into one deck, a subdeck per lab."""

    code: str = Field(
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The course's code (CO3086): the deck's file name, dist/CODE.apkg.",
    )
    title: str = Field(description="The course's title.")
    labs: list[str] = Field(
        min_length=1, description="The lab folders, in the order the deck lists them."
    )


class Lab(Strict):
    """``lab.yaml``: what the folder is, and where its deck goes in Anki."""

    id: str = Field(
        description=(
            "The lab's id, the first part of every id in it: a lowercase letter, then "
            "lowercase letters or digits (lab11)."
        ),
        pattern=r"^[a-z][a-z0-9]*$",
    )
    title: str = Field(description="The lab's title.")
    course: str = Field(description="The course it belongs to, as card headers show it.")
    deck: str = Field(description="The Anki deck it is imported into (:: separates subdecks).")
    code: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9_-]*$",
        description="The course's code, the root of every tag (default: the course's first word).",
    )
    concepts: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Synonyms shared by the lab's patterns: {name} in a pattern is any of them.",
    )
    misconceptions: list[WrongClaim] = Field(
        default_factory=list,
        description=(
            "Claims wrong wherever they are made, read in every reason of the lab after "
            "the part's own misconceptions (a false remark added to a right reason)."
        ),
    )

    @property
    def tag_code(self) -> str:
        return self.code or re.sub(r"[^A-Za-z0-9_-]", "", self.course.split()[0]) or self.id


class Problem(Strict):
    id: str = Field(description="The lab's id, a dot, p and the problem's number: lab11.p6.")
    title: str = Field(description="The problem's title (its subdeck's name).")
    source: str = Field(description="Where it is on the sheet: Problem 6.")
    tags: list[str] = Field(
        description="Topic tags for every card of the problem.", default_factory=list
    )
    context: str = Field(
        default="", description="The problem's text before its parts (Markdown, $…$ math)."
    )
    typing: str = Field(
        default="",
        description="How to type this problem's symbols in the tutor; never on a card.",
    )
    variables: dict[str, str] = Field(
        description="The problem's variables: name → domain (see Domains).", default_factory=dict
    )
    concepts: dict[str, list[str]] = Field(
        default_factory=dict, description="Synonyms for this problem's patterns (beside the lab's)."
    )
    parts: list[Part] = Field(description="The parts, in the sheet's order.", min_length=1)
    cloze: list[Cloze] = Field(
        description="Equations to recall as cloze cards.", default_factory=list
    )

    validate_variables = field_validator("variables")(_check_variables)

    @field_validator("id")
    @classmethod
    def _problem_id(cls, value: str) -> str:
        if not PROBLEM_ID.match(value):
            raise ValueError(f"{value!r} is not a problem id; expected e.g. 'lab11.p6'")
        return value
