"""Parameterised parts: fresh numbers per practice, reproducible from (part id, seed), proven."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np

from content.course import Course, load_course
from content.expr.evaluate import evaluate
from content.judge import Judge
from content.prove import prove_item
from tutor.engine import Engine
from tutor.store import Store

PARAMETERISED = [
    "lab11.p1.s5", "lab11.p2.a.s4", "lab11.p3.c.s1", "lab11.p4.b.s3",
    "lab11.p5.a.s4", "lab11.p6.d.s4", "lab11.p7.4.s3",
]  # fmt: skip


def test_every_problem_has_a_parameterised_numeric_question(course: Course) -> None:
    problems = {course.item(i).problem.id for i in PARAMETERISED}
    assert problems == {p.id for p in course.problems}
    assert all(course.item(i).kind == "numeric" and course.item(i).params for i in PARAMETERISED)


def value_of(judge: Judge, item_id: str, seed: int) -> tuple[dict[str, float], float]:
    item = judge.course.item(item_id).with_variant(seed)
    point = {k: np.full((1, 1), v) for k, v in item.values().items()}
    return item.values(), float(evaluate(judge.reference(item), point)[0, 0])


def test_a_variant_is_reproducible_from_id_and_seed(course: Course) -> None:
    for item_id in PARAMETERISED:
        item = course.item(item_id)
        assert item.with_variant(7).values() == item.with_variant(7).values()
        assert len({tuple(item.with_variant(s).values().values()) for s in range(10)}) > 5
        assert "{{" not in item.with_variant(7).prompt()


def test_check_proves_twenty_variants_each(judge: Judge) -> None:
    for item_id in PARAMETERISED:
        proof = prove_item(judge, judge.course.item(item_id))
        assert proof.ok, proof.failures
        assert proof.evidence[0].endswith("(and 20 more variants agree)")
        # The example is the deck's own variant: the numbers its card asks about.
        item = judge.course.item(item_id)
        deck = item.with_variant(item.default_variant)
        shown = [f"{v:g}" for v in deck.values().values()]
        assert all(value in proof.evidence[0] for value in shown[:3]), (shown, proof.evidence[0])


def test_a_wrong_parameterised_reference_is_caught(content_copy: Path) -> None:
    p1 = content_copy / "p1.yaml"
    text = p1.read_text(encoding="utf-8")
    p1.write_text(
        text.replace(
            'answer: "rho^n"\n        tolerance: 0.005',
            'answer: "rho^(n+1)"\n        tolerance: 0.005',
        ),
        encoding="utf-8",
    )
    course = load_course(content_copy)
    proof = prove_item(Judge(course), course.item("lab11.p1.s5"))
    assert any("disagrees with simulation gradient_scale_after_steps" in f for f in proof.failures)


def test_two_practices_show_different_numbers_and_both_are_judged_right(
    course: Course, tmp_path: Path
) -> None:
    store = Store(tmp_path / "p.sqlite3")
    judge = Judge(course)
    shown = []
    for session in ("first", "second"):
        engine = Engine(course, store.as_student(session), variants=random.Random(session))
        reply = engine.start("lab11.p4.b")
        for text in [
            "the cell state path is additive so the gradient survives",
            "f^k",
            "true",
            "0.99^50 is about 0.6 while 0.9^50 is about 0.005",
        ]:
            reply = engine.say(text)
        question = next(m.text for m in reply.messages if m.kind == "question")
        item = engine._stage_item()
        values, answer = value_of(judge, item.id, item.variant or 0)
        assert f"{values['f']:g}" in question
        shown.append(values)
        assert engine.say(f"{answer:.5g}").verdict == "correct"
    assert shown[0] != shown[1]
    seeds = [
        a.seed for s in ("first", "second") for a in store.as_student(s).attempts("lab11.p4.b.s3")
    ]
    assert len(seeds) == 2 and seeds[0] != seeds[1] and None not in seeds
    store.close()


def test_grade_judges_a_given_variant(judge: Judge) -> None:
    _, answer = value_of(judge, "lab11.p7.4.s3", 11)
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "grade", "lab11.p7.4.s3", f"{answer:.0f}",
         "--variant", "11", "--json"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert json.loads(result.stdout)["verdict"] == "correct"
