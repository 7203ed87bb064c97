"""Content → note specifications: which note type, which fields, which deck, which tags.

Pure data out; field HTML comes from the jinja2 templates in ``templates/fields``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from markupsafe import Markup

from content import simcache
from content.course import ClozeItem, Course, Item
from content.expr.evaluate import evaluate
from content.expr.latex import to_latex
from content.prove import Proof
from content.schema import (
    ChoicePart,
    DerivationPart,
    ExpressionPart,
    MultiPart,
    NumericPart,
    Problem,
    ShortAnswerPart,
    TrueFalsePart,
)
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


def _tags(course: Course, problem: Problem, *extra: list[str]) -> list[str]:
    tags = [f"{course.lab.id}::p{problem_number(problem)}", *problem.tags]
    for more in extra:
        tags.extend(more)
    return sorted({t.replace(" ", "-") for t in tags})


def _context(problem: Problem) -> Markup:
    return markdown(problem.context) if problem.context else Markup("")


def _prompt(item: Item, with_conclusion: bool = True) -> Markup:
    part = item.part
    options = None
    if isinstance(part, ChoicePart):
        options = [(label, markdown_inline(text)) for label, text in part.options.items()]
    text = item.prompt()
    if with_conclusion and isinstance(part, DerivationPart) and part.conclusion:
        text = f"{text}\n\n{part.conclusion}"
    reading = markdown(part.reading) if part.reading else None
    return render("fields/prompt.html", prompt=markdown(text), options=options, reading=reading)


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
        return render(
            "fields/answer.html",
            formula=None,
            approx=None,
            choice=None,
            text=markdown(part.model_answer),
            parts=None,
        )
    if isinstance(part, MultiPart):
        parts = [(markdown_inline(step.part.prompt), answer_html(step)) for step in item.steps]
        return render(
            "fields/answer.html", formula=None, approx=None, choice=None, text=None, parts=parts
        )
    assert isinstance(part, ExpressionPart)
    node = item.parse(part.answer)
    approx = None
    if isinstance(part, NumericPart):
        point = {name: np.full((1, 1), value) for name, value in item.values().items()}
        approx = f"{float(evaluate(node, point)[0, 0]):.4g}"
    return render(
        "fields/answer.html",
        formula=math(to_latex(node)),
        approx=approx,
        choice=None,
        text=None,
        parts=None,
    )


def _evidence(item: Item, proofs: dict[str, Proof]) -> Markup:
    """One line of simulation evidence: the part's own, or its first step's."""
    for candidate in (item, *item.steps):
        proof = proofs.get(candidate.id)
        if proof is not None and proof.evidence:
            return render("fields/evidence.html", line=proof.evidence[0])
    return Markup("")


def _picture(course: Course, item: Item) -> tuple[Markup, list[Path]]:
    name = item.part.picture
    if name is None:
        return Markup(""), []
    plot = simcache.picture(course, name)
    path = picture_file(plot)
    return render("fields/picture.html", name=path.name, title=plot.title, caption=plot.caption), [
        path
    ]


def part_note(course: Course, item: Item, proofs: dict[str, Proof]) -> NoteSpec:
    problem = item.problem
    picture, files = _picture(course, item)
    common = {
        "Id": item.id,
        "Problem": _label(course, problem),
        "Context": _context(problem),
        "Explanation": markdown(item.part.explanation),
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
            "Statement": markdown(part.prompt),
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
    earlier = [
        {"prompt": markdown_inline(_fixed(step).prompt()), "answer": answer_html(_fixed(step))}
        for step in parent.steps[:index]
    ]
    picture, files = _picture(course, item)
    fields = {
        "Id": item.id,
        "Problem": _label(course, item.problem),
        "Context": _context(item.problem),
        "Question": _prompt(parent, with_conclusion=False),
        "Earlier": render("fields/earlier.html", steps=earlier) if earlier else Markup(""),
        "Position": f"Step {index + 1} of {len(parent.steps)}",
        "Step": _prompt(item),
        "Answer": answer_html(item),
        "Explanation": markdown(item.part.explanation),
        "Evidence": _evidence(item, proofs),
        "Picture": picture,
    }
    tags = _tags(course, item.problem, parent.part.tags, item.part.tags, ["step"])
    return NoteSpec(item.id, "step", deck_name(course, item.problem), fields, tags, files)


def cloze_note(course: Course, cloze: ClozeItem) -> NoteSpec:
    fields = {
        "Id": cloze.id,
        "Problem": _label(course, cloze.problem),
        "Text": markdown(cloze.cloze.text),
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
