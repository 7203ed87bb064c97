"""A course: ``course.yaml`` and its lab folders, checked together and built into one
deck with a subdeck per lab, which imports into Anki."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from content import BUNDLED

ROOT = Path(__file__).resolve().parent.parent


def nlpdrill(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nlpdrill", *args],
        capture_output=True, text=True, timeout=600, check=False, cwd=cwd, env=dict(os.environ),
    )  # fmt: skip


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copytree(BUNDLED, folder / "lab11", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "course.yaml").write_text(
        'code: CO3086\ntitle: "CO3086 NLP"\nlabs: [lab11, emb]\n', encoding="utf-8"
    )
    made = nlpdrill("new", str(folder / "emb"), "--id", "emb", "--title", "Word embeddings")
    assert made.returncode == 0, made.stderr
    return folder


def test_a_course_of_two_labs_checks_and_builds_one_deck_with_a_subdeck_each(
    course: Path, tmp_path: Path
) -> None:
    checked = nlpdrill("check", str(course), "-q")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(" proven ") == 2
    built = nlpdrill("build", str(course), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    deck = tmp_path / "dist" / "CO3086.apkg"
    assert deck.exists()
    assert (course / "lab11" / "nlpdrill.lock").exists() and (
        course / "emb" / "nlpdrill.lock"
    ).exists()
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(deck), options=ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert "CO3086 NLP::Lab 11 - Deep Neural Network" in names
        assert "CO3086 NLP::Word embeddings" in names
        assert col.note_count() == 62 + 13
        assert col.find_notes('"Id:emb.p1.a"') and col.find_notes('"Id:lab11.p6.b"')
    finally:
        col.close()
    again = nlpdrill("build", str(course), cwd=tmp_path)
    assert "0 built" in again.stdout and "0 new, 0 changed" in again.stdout


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("course.yaml", "labs: [lab11, emb]", "labs: [lab11, emb, lab12]"),
         "'lab12' is not a lab folder here"),
        (("emb/lab.yaml", "id: emb", "id: lab11"), "'lab11' is also the id of lab11"),
        (("emb/lab.yaml", '"CO3086 NLP::Word embeddings"', '"Elsewhere::Word embeddings"'),
         "is not under the course's deck 'CO3086 NLP'"),
    ],
)  # fmt: skip
def test_a_course_that_does_not_hold_together_is_a_sentence_with_its_line(
    course: Path, edit: tuple[str, str, str], message: str
) -> None:
    name, old, new = edit
    path = course / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = nlpdrill("check", str(course), "-q")
    assert result.returncode == 1
    assert message in result.stderr and f"{path}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_grade_takes_a_course_and_finds_the_part_in_its_lab(course: Path) -> None:
    for part, answer in (
        ("emb.p1.a", "sigmoid(x)(1 - sigmoid(x))"),
        ("lab11.p2.a", "1 - sigma(x)"),
    ):
        result = nlpdrill("grade", part, answer, "--content", str(course))
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[1].startswith("correct"), result.stdout


def test_the_server_on_a_course_of_several_labs_serves_every_lab(course: Path) -> None:
    """One session over the whole course: its parts are both labs', and each part is
    judged by its own lab's simulations."""
    requests = [
        {"op": "parts"},
        {"op": "start", "part": "emb.p1.a"},
        {"op": "say", "text": "sigmoid(x)(1 - sigmoid(x))"},
        {"op": "start", "part": "lab11.p2.a.s1"},
        {"op": "say", "text": "1/(1+exp(x))"},
    ]
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio", "--content", str(course)],
        input="".join(json.dumps(r) + "\n" for r in requests), capture_output=True,
        text=True, timeout=300, check=False, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    parts = {row["part"] for row in replies[0]["parts"]}
    assert {"emb.p1.a", "lab11.p6.b"} <= parts
    assert replies[2]["verdict"] == "correct" and replies[4]["verdict"] == "correct"


def test_a_quiz_on_a_course_draws_from_every_lab(course: Path, tmp_path: Path) -> None:
    made = nlpdrill("quiz", str(course), "--count", "60", "-o", str(tmp_path / "quiz"))
    assert made.returncode == 0, made.stderr
    key = (tmp_path / "quiz" / "key.html").read_text(encoding="utf-8")
    assert "emb.p" in key and "lab11.p" in key
    assert "CO3086 NLP" in (tmp_path / "quiz" / "quiz.html").read_text(encoding="utf-8")


def test_the_tutor_lists_a_courses_problems_under_a_heading_per_lab(
    course: Path, tmp_path: Path
) -> None:
    from textual.widgets import ListView

    from content.course import load_content
    from tutor.app import TutorApp
    from tutor.engine import Engine
    from tutor.store import Store

    async def run() -> list[str | None]:
        store = Store(tmp_path / "progress.sqlite3")
        app = TutorApp(Engine(load_content(course), store), "emb.p1.a")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            listed = app.query_one("#problems", ListView)
            ids = [item.id for item in listed.children]
            assert listed.highlighted_child is not None
            assert listed.highlighted_child.id == "problem-emb-p1"
        store.close()
        return ids

    ids = asyncio.run(run())
    assert ids[0] == "lab-lab11" and "lab-emb" in ids
    assert ids.index("lab-emb") > ids.index("problem-lab11-p7")
