"""The deck, imported for real with the official ``anki`` package (headless)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from content.course import load_course
from generator.build import BuildFailed, build
from generator.lock import LOCK_FILE, Lock

ROOT = Path(__file__).resolve().parent.parent

# An Anki field or cloze marker left in a rendered card ({{Field}}, {{#Field}}, {{c1::…).
TEMPLATE_MARKER = re.compile(r"\{\{[#/^]?[A-Za-z]+\}\}|\{\{c\d+::|\{\{cloze:")


def import_deck(col: Collection, path: Path) -> Any:
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def revlog_count(col: Collection) -> int:
    assert col.db is not None
    return int(col.db.scalar("select count() from revlog"))


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


@pytest.fixture
def deck(content_copy: Path, tmp_path: Path) -> Path:
    output = tmp_path / "lab11.apkg"
    build(load_course(content_copy), output)
    return output


def test_every_card_renders_with_math_and_pictures(collection: Collection, deck: Path) -> None:
    log = import_deck(collection, deck)
    assert len(log.new) == collection.note_count() > 50
    seen_math = 0
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        question, answer = card.question(), card.answer()
        for side in (question, answer):
            assert not TEMPLATE_MARKER.search(side), TEMPLATE_MARKER.search(side)
            assert "$" not in re.sub(r"<code>.*?</code>", "", side), (
                "every $ was turned into MathJax"
            )
        seen_math += ("\\(" in question + answer) or ("\\[" in question + answer)
        for source in re.findall(r'<img src="([^"]+)"', answer):
            assert (Path(collection.media.dir()) / source).exists(), source
    assert seen_math > 40
    report = collection.media.check()
    assert list(report.missing) == []
    assert list(report.unused) == []
    assert len(collection.media.check().missing) == 0


def test_decks_and_tags_by_problem(collection: Collection, deck: Path) -> None:
    import_deck(collection, deck)
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert "CO3086 NLP::Lab 11 - Deep Neural Network::P6 Scaled dot-product attention" in names
    assert len([n for n in names if "::P" in n]) == 7
    assert all(name.isascii() for name in names)  # typeable in a search: no em dash
    lab = collection.decks.by_name("CO3086 NLP::Lab 11 - Deep Neural Network")
    assert lab is not None and "import the new" in lab["desc"]
    note = collection.get_note(collection.find_notes('"Id:lab11.p6.b"')[0])
    assert "CO3086::lab11::p6" in note.tags and "CO3086::lab11::attention" in note.tags
    every_tag = collection.tags.all()
    assert len(every_tag) > 10
    assert all(tag.startswith("CO3086::lab11::") for tag in every_tag), every_tag


def _note_type_times(apkg: Path) -> set[int]:
    with zipfile.ZipFile(apkg) as archive:
        (apkg.parent / "read.anki2").write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(apkg.parent / "read.anki2")
    (models,) = conn.execute("select models from col").fetchone()
    conn.close()
    return {int(m["mod"]) for m in json.loads(models).values()}


def test_the_browser_lists_notes_by_their_question(collection: Collection, deck: Path) -> None:
    import_deck(collection, deck)
    note = collection.get_note(collection.find_notes('"Id:lab11.p6.b"')[0])
    assert collection.db is not None
    sort_field = collection.db.scalar("select sfld from notes where id = ?", note.id)
    assert "Var" in sort_field and "lab11" not in sort_field


def test_a_content_edit_leaves_the_note_types_alone(
    content_copy: Path, collection: Collection, tmp_path: Path
) -> None:
    """Anki re-applies a newer note type on import, over a student's own template tweaks."""
    build(load_course(content_copy), tmp_path / "one.apkg", now=1_000)
    import_deck(collection, tmp_path / "one.apkg")
    assert collection.db is not None
    before = collection.db.all("select id, mtime_secs from notetypes order by id")
    problem = content_copy / "p6.yaml"
    problem.write_text(problem.read_text().replace("Scaled dot-product", "Scaled dot products"))
    build(load_course(content_copy), tmp_path / "two.apkg", now=2_000)
    assert _note_type_times(tmp_path / "two.apkg") == _note_type_times(tmp_path / "one.apkg")
    import_deck(collection, tmp_path / "two.apkg")
    assert collection.db.all("select id, mtime_secs from notetypes order by id") == before


def test_two_builds_are_byte_identical(content_copy: Path, tmp_path: Path) -> None:
    course = load_course(content_copy)
    build(course, tmp_path / "one.apkg")
    build(load_course(content_copy), tmp_path / "two.apkg")
    assert (tmp_path / "one.apkg").read_bytes() == (tmp_path / "two.apkg").read_bytes()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_reimport_after_an_edit_updates_in_place(
    collection: Collection, content_copy: Path, deck: Path, tmp_path: Path
) -> None:
    import_deck(collection, deck)
    notes_before = collection.note_count()
    notetypes_before = len(collection.models.all_names_and_ids())
    card = collection.get_card(collection.find_cards('"Id:lab11.p6.b"')[0])
    card.start_timer()
    collection.sched.answerCard(card, 3)
    reviews = revlog_count(collection)
    assert reviews == 1

    _edit(
        content_copy / "p6.yaml",
        "Define $\\mathrm{Var}(q^\\top k)$",
        "Derive $\\mathrm{Var}(q^\\top k)$",
    )
    lock_before = Lock.read(content_copy).entries["lab11.p6.b"].mod
    edited = tmp_path / "edited.apkg"
    report = build(load_course(content_copy), edited, now=lock_before + 3600)
    assert report.changed == ["lab11.p6.b"]
    assert report.new == []

    log = import_deck(collection, edited)
    assert len(log.updated) == 1
    assert len(log.new) == 0
    assert collection.note_count() == notes_before
    assert len(collection.models.all_names_and_ids()) == notetypes_before
    assert revlog_count(collection) == reviews
    note = collection.get_note(collection.find_notes('"Id:lab11.p6.b"')[0])
    assert "Derive" in note["Prompt"]
    assert collection.get_card(card.id).reps == 1  # the review history is still there


def test_lock_keeps_unchanged_times_and_bumps_changed_ones(
    content_copy: Path, tmp_path: Path
) -> None:
    build(load_course(content_copy), tmp_path / "a.apkg")
    before = Lock.read(content_copy).entries
    _edit(content_copy / "p3.yaml", "Recall that $\\circ$", "Remember that $\\circ$")
    build(
        load_course(content_copy), tmp_path / "b.apkg", now=max(e.mod for e in before.values()) + 10
    )
    after = Lock.read(content_copy).entries
    changed = {k for k in after if after[k].mod != before[k].mod}
    # The context is on every P3 card, not on the equation (cloze) card.
    assert changed == {k for k in after if k.startswith("lab11.p3.") and ".eq" not in k}
    assert all(after[k].mod > before[k].mod for k in changed)


def test_a_failed_build_leaves_the_last_good_deck(content_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "lab11.apkg"
    build(load_course(content_copy), output)
    good = output.read_bytes()
    lock = (content_copy / LOCK_FILE).read_text()
    _edit(content_copy / "p6.yaml", 'answer: "mu^T mu"', 'answer: "mu^T mu + 1"')
    with pytest.raises(BuildFailed, match=r"lab11\.p6\.a"):
        build(load_course(content_copy), output)
    assert output.read_bytes() == good
    assert (content_copy / LOCK_FILE).read_text() == lock


def test_picture_labels_set_their_subscripts_and_draw() -> None:
    from content.simulation import Plot, series
    from generator.pictures import mathtext, render

    assert mathtext("‖h_t − h_{t−1}‖ / ‖h_{t−1}‖") == "‖$h_{t}$ − $h_{t−1}$‖ / ‖$h_{t−1}$‖"
    assert mathtext("distance k (time steps)") == "distance k (time steps)"
    plot = Plot("gates f_t, i_t", "z_t", "‖h_t − h_{t−1}‖", (series("C_{t-1}", [0, 1], [1, 2]),))
    assert render(plot).startswith(b"\x89PNG")


def test_build_locked_passes_on_the_committed_lock_and_refuses_a_change(
    content_copy: Path, tmp_path: Path
) -> None:
    """``build --locked`` (CI runs it on a fresh clone): the committed lock must
    describe the deck this machine builds; an edit not yet locked writes nothing."""
    output = tmp_path / "lab11.apkg"
    lock = (content_copy / LOCK_FILE).read_bytes()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nlpdrill",
            "build",
            str(content_copy),
            "-o",
            str(output),
            "--locked",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert output.exists()
    output.unlink()
    problem = content_copy / "p6.yaml"
    problem.write_text(problem.read_text().replace("Scaled dot-product", "Scaled dot products"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nlpdrill",
            "build",
            str(content_copy),
            "-o",
            str(output),
            "--locked",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "the lock is out of date" in done.stderr and "lab11.p6" in done.stderr
    assert not output.exists()
    assert (content_copy / LOCK_FILE).read_bytes() == lock


def test_the_readme_first_command_builds_the_bundled_course(tmp_path: Path) -> None:
    """``nlpdrill build`` with no folder: the bundled course, into dist/CO3086.apkg, with
    the counts the README gives (``--locked``: nothing in the source tree is written)."""
    done = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "build", "--locked"],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    wrote = re.search(r"wrote dist/CO3086\.apkg: (\d+ notes, \d+ cards, \d+ pictures)", done.stdout)
    assert wrote, done.stdout
    assert (tmp_path / "dist" / "CO3086.apkg").is_file()
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"`dist/CO3086.apkg` ({wrote.group(1)})" in readme
