"""``nlpdrill quiz``: a printable quiz and its answer key, deterministic for a seed.

The pages need nothing but a browser: math is MathML, which browsers draw
themselves (no script, no network), and the CSS is inline.

Questions are drawn from the checkable parts and steps of the chosen problems;
a parameterised question gets a fresh variant (its seed is printed in the key,
so ``nlpdrill grade … --variant N`` judges exactly that question).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import numpy as np
from markupsafe import Markup

from content import BUNDLED, BUNDLED_COURSE
from content.course import Course, Item
from content.expr.evaluate import evaluate
from content.judge import Judge
from content.locations import write_atomically
from content.quizdraw import Question, draw
from content.schema import ChoicePart, ExpressionPart, NumericPart, TrueFalsePart
from generator.markup import markdown, markdown_inline, mathml
from generator.notes import answer_html
from generator.templating import read, render


def _graded(judge: Judge, item: Item) -> str:
    """An answer a student could type, that ``grade`` accepts: the number, or the formula."""
    part = item.part
    if isinstance(part, TrueFalsePart):
        verdict = "true" if part.verdict else "false"
        # Without a model reason the key gives the verdict alone, which grade calls partial.
        return f"{verdict}, {part.model_reason}" if part.model_reason else verdict
    if isinstance(part, ChoicePart):
        return part.answer
    assert isinstance(part, ExpressionPart)
    if isinstance(part, NumericPart):
        point = {name: np.full((1, 1), value) for name, value in item.values().items()}
        return f"{float(evaluate(judge.reference(item), point)[0, 0]):.6g}"
    return part.answer


def _question(judge: Judge, q: Question) -> dict[str, Any]:
    item = q.item
    part = item.part
    options = None
    if isinstance(part, ChoicePart):
        options = [(label, mathml(markdown_inline(text))) for label, text in part.options.items()]
    ask = "True or false? Explain." if isinstance(part, TrueFalsePart) else ""
    if isinstance(part, NumericPart):
        ask = "Give a number."
    source = f"{item.problem.source}: {item.problem.title}"
    return {
        "id": item.id,
        "variant": q.variant,
        "source": source,
        "setting": [mathml(markdown(text)) for text in item.setting(typing=False)],
        "prompt": mathml(markdown(item.prompt())),
        "options": options,
        "ask": ask,
        "answer": mathml(answer_html(item)),
        "explanation": mathml(markdown(part.explanation)),
        "graded": _graded(judge, item),
    }


def write_quiz(
    course: Course, out: Path, count: int, seed: int, problems: list[str] | None = None
) -> list[Path]:
    judge = Judge(course)
    questions = [_question(judge, q) for q in draw(course, count, seed, problems)]
    title = course.heading
    # A key for another folder says which: its grade lines must work as printed.
    bundled = course.folder.resolve() in (BUNDLED.resolve(), BUNDLED_COURSE.resolve())
    common = {
        "content": None if bundled else shlex.quote(str(course.folder.resolve())),
        "title": title,
        "seed": seed,
        "questions": questions,
        "css": Markup(read("quiz/page.css")),
    }
    files = []
    for name, template in (("quiz.html", "quiz/quiz.html"), ("key.html", "quiz/key.html")):
        path = out / name
        write_atomically(path, str(render(template, **common)).encode("utf-8") + b"\n")
        files.append(path)
    return files
