"""Content → note specifications: which note type, which fields, which deck, which tags.

Pure data out; field HTML comes from the jinja2 templates in ``templates/fields``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from markupsafe import Markup

from content import simcache
from content.course import ClozeItem, Course, Item
from content.expr.evaluate import evaluate
from content.expr.latex import latex_symbol, to_latex
from content.prove import Proof
from content.schema import (
    AnyPart,
    ChoicePart,
    DerivationPart,
    ExpressionPart,
    MultiPart,
    NumericPart,
    Problem,
    ShortAnswerPart,
    TrueFalsePart,
)
from generator.evidence import card_evidence, readable
from generator.markup import markdown, markdown_inline, math
from generator.notespec import NoteSpec, ProblemNotes, in_deck_order
from generator.pictures import picture_file
from generator.templating import render


def problem_number(problem: Problem) -> int:
    return int(problem.id.rsplit(".p", 1)[1])


def deck_name(course: Course, problem: Problem) -> str:
    return f"{course.lab.deck}::P{problem_number(problem)} {problem.title}"


def _label(course: Course, problem: Problem) -> str:
    lab = course.lab
    return f"{lab.course} · Lab {lab.id.removeprefix('lab')} · {problem.source}: {problem.title}"


def tag_root(course: Course) -> str:
    """Every tag of the deck sits under this one (``CO3086::lab11``), so that a shared
    deck's tags never merge into the student's own ``attention`` or ``step``."""
    return f"{course.lab.tag_code}::{course.lab.id}"


def _tags(course: Course, problem: Problem, *extra: list[str]) -> list[str]:
    root = tag_root(course)
    tags = [f"p{problem_number(problem)}", *problem.tags]
    for more in extra:
        tags.extend(more)
    return sorted({f"{root}::{t.replace(' ', '-')}" for t in tags})


def _context(problem: Problem) -> Markup:
    return markdown(problem.context) if problem.context else Markup("")


def _prompt(item: Item) -> Markup:
    """The question as the sheet asks it. Never the derivation's ``conclusion`` (it
    presumes the steps, and says what to write) nor the ``reading`` (it states the
    answer): both are the tutor's, and the reading is on the back."""
    return render("fields/prompt.html", prompt=markdown(item.prompt()), options=_options(item))


def _options(item: Item) -> list[tuple[str, Markup]] | None:
    part = item.part
    if not isinstance(part, ChoicePart):
        return None
    return [(label, markdown_inline(text)) for label, text in part.options.items()]


# The sheet's "(True/False) … (Explain)" around a statement: the card asks that itself.
_TF_LEAD = re.compile(r"^\s*\(?\s*true\s*(?:/|or)\s*false\s*\)?\s*[.:]?\s*", re.IGNORECASE)
_TF_TAIL = re.compile(r"\s*\(?\s*explain(?: why)?\.?\s*\)?\s*$", re.IGNORECASE)
# An explanation that opens with the verdict the back has just shown.
_VERDICT_LEAD = re.compile(
    r"^\s*(?P<b>\*\*|__|\*|_)?(?:true|false)\s*[.:,—–-]?\s*(?:(?P=b))?\s*[.:,—–-]?\s*",
    re.IGNORECASE,
)


def _bare_statement(text: str) -> str:
    return _TF_TAIL.sub("", _TF_LEAD.sub("", text.strip()))


def _statement(part: TrueFalsePart) -> Markup:
    return markdown(_bare_statement(part.prompt))


def _lead(text: str) -> str:
    """A question's first sentence: enough to say which question an answer is to."""
    return re.split(r"(?<=[.?!])\s", text.strip(), maxsplit=1)[0]


def _asked(item: Item) -> str:
    """A step's question as a card asks it (a true/false step as the card asks one)."""
    if isinstance(item.part, TrueFalsePart):
        return "True or false? Say why. " + _bare_statement(item.prompt())
    return item.prompt()


def _explanation(part: AnyPart) -> Markup:
    """The back's explanation: the reading first where the sheet is ambiguous, and
    never the verdict again."""
    text = part.explanation.strip()
    if isinstance(part, ShortAnswerPart):
        text = ""  # it is the answer itself (``answer_html``): not again
    if isinstance(part, TrueFalsePart):
        rest = _VERDICT_LEAD.sub("", text, count=1)
        text = rest[:1].upper() + rest[1:]
    reading = markdown(part.reading) if part.reading else None
    return render("fields/explanation.html", reading=reading, text=markdown(text) if text else None)


def answer_html(item: Item) -> Markup:
    part = item.part
    if isinstance(part, TrueFalsePart):
        return render("fields/verdict.html", verdict=part.verdict)
    if isinstance(part, ChoicePart):
        choice = (part.answer, markdown_inline(part.options[part.answer]))
        return render(
            "fields/answer.html", formula=None, approx=None, choice=choice, text=None, parts=None
        )
    if isinstance(part, ShortAnswerPart):
        # An essay is no answer to learn at a glance: its point (the explanation) is
        # the answer, and the whole essay is folded under it.
        return render(
            "fields/answer.html",
            formula=None,
            approx=None,
            choice=None,
            text=markdown(part.explanation),
            parts=None,
            essay=markdown(part.model_answer),
        )
    if isinstance(part, MultiPart):  # each answer after its question's first sentence
        parts = [
            (markdown_inline(_lead(step.part.prompt)), answer_html(step)) for step in item.steps
        ]
        return render(
            "fields/answer.html", formula=None, approx=None, choice=None, text=None, parts=parts
        )
    assert isinstance(part, ExpressionPart)
    steps = None
    if isinstance(part, DerivationPart):  # the way there, folded under the result
        steps = [(markdown_inline(_fixed(s).prompt()), answer_html(_fixed(s))) for s in item.steps]
    node = item.parse(part.answer)
    approx = None
    given = None
    if isinstance(part, NumericPart):
        values = item.values()
        point = {name: np.full((1, 1), value) for name, value in values.items()}
        approx = readable(float(evaluate(node, point)[0, 0]))
        # The formula's symbols are the question's numbers: say which is which.
        if values:
            given = math(", ".join(f"{latex_symbol(n)} = {v:g}" for n, v in values.items()))
    return render(
        "fields/answer.html",
        formula=math(to_latex(node)),
        approx=approx,
        choice=None,
        text=None,
        parts=None,
        steps=steps,
        given=given,
    )


_SUBSCRIPT = re.compile(r"(?<=[A-Za-zα-ωΑ-Ω̃])_(\{[^{}]*\}|[A-Za-z0-9]+)")


def _subscripts(text: str) -> Markup:
    """The prover's plain ``h_{t−1}`` as h with t−1 set below it (escaped otherwise)."""
    escaped = str(Markup.escape(text))
    return Markup(_SUBSCRIPT.sub(lambda m: f"<sub>{m.group(1).strip('{}')}</sub>", escaped))


def _evidence(item: Item, proofs: dict[str, Proof]) -> Markup:
    """One line of simulation evidence: the part's own, or its first step's."""
    for candidate in (item, *item.steps):
        proof = proofs.get(candidate.id)
        if proof is not None and proof.evidence:
            return render(
                "fields/evidence.html", line=_subscripts(card_evidence(proof.evidence[0]))
            )
    return Markup("")


def _picture(course: Course, item: Item) -> tuple[Markup, list[Path]]:
    name = item.part.picture
    if name is None:
        return Markup(""), []
    plot = simcache.picture(course, name)
    path = picture_file(plot)
    # A picture on several parts' backs keeps its caption to none of them: the
    # caption states a finding, which is another part's answer.
    shared = sum(other.part.picture == name for other in course.items.values()) > 1
    caption = None if shared else plot.caption
    html = render("fields/picture.html", name=path.name, title=plot.title, caption=caption)
    return html, [path]


def part_note(course: Course, item: Item, proofs: dict[str, Proof]) -> NoteSpec:
    problem = item.problem
    picture, files = _picture(course, item)
    common = {
        "Id": item.id,
        "Problem": _label(course, problem),
        "Context": _context(problem),
        "Explanation": _explanation(item.part),
        "Evidence": _evidence(item, proofs),
        "Picture": picture,
    }
    tags = _tags(course, problem, item.part.tags, [item.kind.replace("_", "-")])
    part = item.part
    if isinstance(part, TrueFalsePart):
        ideas = render(
            "fields/key_ideas.html", ideas=[markdown_inline(k.idea) for k in part.key_ideas]
        )
        fields = common | {
            "Statement": _statement(part),
            "Verdict": answer_html(item),
            "KeyIdeas": ideas,
        }
        return NoteSpec(item.id, "true_false", deck_name(course, problem), fields, tags, files)
    fields = common | {"Prompt": _prompt(item), "Answer": answer_html(item)}
    return NoteSpec(item.id, "qa", deck_name(course, problem), fields, tags, files)


def step_note(course: Course, item: Item, proofs: dict[str, Proof]) -> NoteSpec:
    parent = item.parent
    assert parent is not None
    index = [s.id for s in parent.steps].index(item.id)
    # Earlier steps as questions only: their answers would answer this one, and a
    # later step may well come up for review first.
    earlier = [markdown_inline(_asked(_fixed(step))) for step in parent.steps[:index]]
    picture, files = _picture(course, item)
    fields = {
        "Id": item.id,
        "Problem": _label(course, item.problem),
        "Context": _context(item.problem),
        "Question": _prompt(parent),
        "Earlier": render("fields/earlier.html", steps=earlier) if earlier else Markup(""),
        "Position": f"Step {index + 1} of {len(parent.steps)}",
        "Step": render("fields/prompt.html", prompt=markdown(_asked(item)), options=_options(item)),
        "Answer": answer_html(item),
        "Explanation": _explanation(item.part),
        "Evidence": _evidence(item, proofs),
        "Picture": picture,
    }
    tags = _tags(course, item.problem, parent.part.tags, item.part.tags, ["step"])
    return NoteSpec(item.id, "step", deck_name(course, item.problem), fields, tags, files)


_CLOZE_IN_MATH = re.compile(r"\{\{c(\d+)::((?:(?!::|\}\}).)+?)\}\}")
_MATH = re.compile(r"\$\$.+?\$\$|\$.+?\$", re.DOTALL)


def _marked_blanks(text: str) -> str:
    """Inside math Anki shows a cloze's blank as a bare ``[...]``, which no CSS can
    reach; a hint is inserted as TeX, so each blank there gets one that carries a
    class the card's CSS colours (``\\class`` is in Anki's MathJax)."""

    def mark(math: re.Match[str]) -> str:
        return _CLOZE_IN_MATH.sub(
            lambda m: f"{{{{c{m.group(1)}::{m.group(2)}::\\class{{nd-blank}}{{\\ldots}} }}}}",
            math.group(),
        )

    return _MATH.sub(mark, text)


def cloze_note(course: Course, cloze: ClozeItem) -> NoteSpec:
    fields = {
        "Id": cloze.id,
        "Problem": _label(course, cloze.problem),
        "Text": markdown(_marked_blanks(cloze.cloze.text)),
        "Extra": markdown(cloze.cloze.extra) if cloze.cloze.extra else Markup(""),
    }
    tags = _tags(course, cloze.problem, ["cloze", "equations"])
    return NoteSpec(cloze.id, "cloze", deck_name(course, cloze.problem), fields, tags)


def _fixed(item: Item) -> Item:
    """A parameterised part as the deck shows it: one variant, seeded by its id."""
    return item.with_variant(item.default_variant) if item.params else item


def problem_notes(course: Course, problem: Problem, proofs: dict[str, Proof]) -> ProblemNotes:
    """One problem's notes, with what an incremental build needs to reuse them."""
    parts: list[NoteSpec] = []
    for item in course.items_of(problem.id):
        parts.append(part_note(course, _fixed(item), proofs))
        parts.extend(step_note(course, _fixed(step), proofs) for step in item.steps)
    clozes = [cloze_note(course, c) for c in course.clozes.values() if c.problem is problem]
    file = course.sources[problem.id].name
    return ProblemNotes(file, course.lab.id, problem_number(problem), parts, clozes)


def all_notes(course: Course, proofs: dict[str, Proof]) -> list[NoteSpec]:
    return in_deck_order([problem_notes(course, p, proofs) for p in course.problems])
