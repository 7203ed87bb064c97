"""``nlpdrill quiz``: deterministic for a seed, and its key is what ``grade`` accepts."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from content.course import Course, Item
from content.judge import Judge
from content.quizdraw import draw
from tutor.engine import Engine
from tutor.store import Store

ROOT = Path(__file__).resolve().parent.parent


def quiz(out: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "nlpdrill", "quiz", *args, "-o", str(out)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def test_the_same_seed_gives_identical_files(tmp_path: Path) -> None:
    quiz(tmp_path / "a", "--count", "10", "--seed", "7")
    quiz(tmp_path / "b", "--count", "10", "--seed", "7")
    for name in ("quiz.html", "key.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    quiz(tmp_path / "c", "--count", "10", "--seed", "8")
    assert (tmp_path / "c" / "quiz.html").read_bytes() != (
        tmp_path / "a" / "quiz.html"
    ).read_bytes()


def test_every_answer_in_the_key_is_accepted_by_grade(tmp_path: Path, judge: Judge) -> None:
    quiz(tmp_path, "--count", "10", "--seed", "7")
    key = unescape((tmp_path / "key.html").read_text(encoding="utf-8"))
    lines = re.findall(r'nlpdrill grade (\S+) "([^"]*)"(?: --variant (\d+))?', key)
    assert len(lines) == 10
    for part, answer, variant in lines:
        item = judge.course.item(part)
        if variant:
            item = item.with_variant(int(variant))
        assert judge.judge(item, answer).verdict == "correct", (part, answer, variant)
    part, answer, variant = next(line for line in lines if line[2])
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "grade", part, answer, "--variant", variant, "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert '"verdict": "correct"' in result.stdout


def test_the_quiz_has_its_numbers_but_not_its_answers(tmp_path: Path) -> None:
    quiz(tmp_path, "--count", "10", "--seed", "7")
    text = (tmp_path / "quiz.html").read_text(encoding="utf-8")
    assert "{{" not in text
    assert text.count('class="question"') == 10
    key = unescape((tmp_path / "key.html").read_text(encoding="utf-8"))
    numbers = [
        a
        for _, a, v in re.findall(r'nlpdrill grade (\S+) "([^"]*)"(?: --variant (\d+))?', key)
        if v
    ]
    assert numbers
    assert not [n for n in numbers if n in text]


def test_problems_can_be_chosen(judge: Judge) -> None:
    questions = draw(judge.course, 6, seed=3, problems=["6"])
    assert {q.item.problem.id for q in questions} == {"lab11.p6"}
    assert len(questions) == 6


def test_quiz_mode_no_hints_a_score_and_a_review(course: Course, tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    engine = Engine(course, store, variants=random.Random(1))
    reply = engine.start_quiz(count=4, problems=["6"], seed=5)
    assert "Question 1 of 4" in reply.messages[-1].text
    assert "No hints" in engine.say("hint").messages[0].text
    judge = Judge(course)
    verdicts = []
    for k in range(4):
        item = engine._quiz_item()
        answer = "0" if k == 0 else _right_answer(judge, item)  # the first one wrong on purpose
        reply = engine.say(answer)
        verdicts.append(reply.verdict)
    assert verdicts == ["incorrect", "correct", "correct", "correct"]
    texts = [m.text for m in reply.messages]
    assert any("Score: 3 of 4" in t for t in texts)
    review = [t for t in texts if t.startswith("**Question 1**")]
    assert review and "the answer" in review[0]
    assert engine.quiz is None
    assert len(store.attempts()) == 4
    store.close()


def _right_answer(judge: Judge, item: Item) -> str:
    from generator.quiz import _graded

    return _graded(judge, item)


def test_quiz_over_the_protocol(tmp_path: Path) -> None:
    requests = "\n".join(
        [
            '{"op": "quiz", "count": 2, "problems": ["1"], "seed": 3}',
            '{"op": "say", "text": "hint"}',
            '{"op": "quiz", "count": 0}',
        ]
    )
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio"], input=requests, text=True,
        capture_output=True, cwd=ROOT, env={**os.environ, "NLPDRILL_HOME": str(tmp_path)},
        timeout=60, check=True,
    )  # fmt: skip
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert replies[0]["ok"] and "Question 1 of 2" in replies[0]["messages"][-1]["text"]
    assert "No hints" in replies[1]["messages"][0]["text"]
    assert replies[2] == {"ok": False, "error": "'count' must be a whole number from 1 to 50"}
    # A new server on the same store: the quiz is still under way, and start resumes it.
    again = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio"],
        input='{"op": "state"}\n{"op": "start"}\n', text=True, capture_output=True, cwd=ROOT,
        env={**os.environ, "NLPDRILL_HOME": str(tmp_path)}, timeout=60, check=True,
    )  # fmt: skip
    state, resumed = (json.loads(line) for line in again.stdout.splitlines())
    assert state["quiz"] == {"question": 1, "of": 2}
    assert "Question 1 of 2" in resumed["messages"][-1]["text"]


def test_the_pages_need_no_script_and_no_network(tmp_path: Path) -> None:
    """Math is MathML, which a browser draws itself: the quiz prints offline."""
    quiz(tmp_path, "--count", "10", "--seed", "7")
    for name in ("quiz.html", "key.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert "<math" in page
        assert "<script" not in page
        assert "http" not in page.replace("http://www.w3.org/1998/Math/MathML", "")
        assert "\\(" not in page
        assert "\\[" not in page


def test_every_question_of_the_lab_converts_to_mathml(judge: Judge) -> None:
    from content.quizdraw import Question, pool
    from generator.quiz import _question

    items = pool(judge.course, None)
    assert len(items) > 30
    for item in items:
        drawn = Question(item.with_variant(7), 7) if item.params else Question(item, None)
        question = _question(judge, drawn)
        html = "".join(str(v) for v in question.values() if v is not None)
        assert "\\(" not in html and "\\[" not in html, item.id


def test_a_quiz_under_way_is_resumed_after_a_restart(course: Course, tmp_path: Path) -> None:
    judge = Judge(course)
    store = Store(tmp_path / "p.sqlite3")
    engine = Engine(course, store, variants=random.Random(2))
    engine.start_quiz(count=3, problems=["2"], seed=11)
    first = engine._quiz_item()
    assert engine.say(_right_answer(judge, first)).verdict == "correct"
    second = engine._quiz_item()
    bye = engine.say("quit")
    assert bye.done and "question 2 of 3" in bye.messages[-1].text
    store.close()

    store = Store(tmp_path / "p.sqlite3")  # a new tutor on the same progress
    again = Engine(course, store, variants=random.Random(3))
    reply = again.start()
    texts = [m.text for m in reply.messages]
    assert "1 of 3 answered" in texts[0]
    assert "Question 2 of 3" in texts[-1]
    assert again._quiz_item().id == second.id
    assert again._quiz_item().values() == second.values()  # the same numbers
    for _ in range(2):
        again.say(_right_answer(judge, again._quiz_item()))
    assert again.quiz is None
    store.close()

    store = Store(tmp_path / "p.sqlite3")  # finished: nothing left to resume
    assert Engine(course, store).quiz is None
    store.close()


def test_choosing_a_part_sets_the_quiz_aside(course: Course, tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    engine = Engine(course, store)
    engine.start_quiz(count=2, problems=["3"], seed=1)
    reply = engine.start("lab11.p2.a")
    assert engine.quiz is None and reply.part is not None
    store.close()
    store = Store(tmp_path / "p.sqlite3")
    assert Engine(course, store).quiz is None
    store.close()


def test_a_question_drawn_from_a_derivation_carries_its_setting(course: Course) -> None:
    """A step asked alone comes with its problem's context and its part's question."""
    step = course.item("lab11.p6.d.s4")
    setting = step.setting()
    assert "N(" in setting[0] or "\\mu" in setting[0]  # the problem defines q and k
    assert setting[-1].startswith("*From the question:*")
    assert course.item("lab11.p6.a").setting() == [
        course.item("lab11.p6.a").problem.context.strip()
    ]


def test_the_printed_quiz_shows_each_setting(tmp_path: Path, judge: Judge) -> None:
    from generator.quiz import write_quiz

    quiz, _ = write_quiz(judge.course, tmp_path, 10, 3)
    html = quiz.read_text(encoding="utf-8")
    assert html.count('class="setting"') >= 10


@pytest.mark.parametrize("count", ["0", "-3", "100000"])
def test_a_quiz_has_a_sensible_number_of_questions(tmp_path: Path, count: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "quiz", "--count", count, "-o", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "--count" in result.stderr
    assert not list(tmp_path.iterdir())


def test_the_key_of_another_folder_runs_as_printed(tmp_path: Path) -> None:
    """Every grade line of a key for a folder other than the bundled lab names that
    folder, so that a student can paste it and get its answer accepted."""
    import shlex

    lab = tmp_path / "emb"
    subprocess.run(
        [sys.executable, "-m", "nlpdrill", "new", str(lab), "--id", "emb", "--title", "E"],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "nlpdrill", "quiz", str(lab), "--count", "12", "--seed", "3",
         "-o", str(tmp_path / "quiz")],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    key = (tmp_path / "quiz" / "key.html").read_text(encoding="utf-8")
    lines = [unescape(line) for line in re.findall(r"(nlpdrill grade [^<]+)</div>", key)]
    assert len(lines) >= 8
    for line in lines:
        assert f"--content {lab}" in line
        args = shlex.split(line)[1:]
        done = subprocess.run(
            [sys.executable, "-m", "nlpdrill", *args, "--json"],
            capture_output=True, text=True, cwd=tmp_path, check=False,
        )  # fmt: skip
        assert done.returncode == 0, (line, done.stderr)
        assert json.loads(done.stdout)["verdict"] == "correct", (line, done.stdout)
