"""Caches under NLPDRILL_HOME are never trusted blindly: an entry edited, cut short or of
another shape is a miss, and a cached note never packs a file from outside the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from content import cacheentry
from content.locations import cache_dir
from generator.build import build_folder

ROOT = Path(__file__).resolve().parent.parent.parent
RIGHT = "d sigma^4 + 2 sigma^2 ||mu||^2"
PLANTED = "d sigma^4 + 3 sigma^2 ||mu||^2"


def _grade(answer: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "grade", "lab11.p6.b", answer, "--json"],
        capture_output=True, text=True, timeout=300, check=True, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    return str(json.loads(done.stdout)["verdict"])


def _edit_payloads(kind: str, old: str, new: str) -> int:
    """Edit cache entries as a hand (or a bad disk) would: the seal is left as it was."""
    edited = 0
    for path in cache_dir(kind).rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new), encoding="utf-8")
            edited += 1
    return edited


def test_an_edited_validated_problem_is_not_believed() -> None:
    assert _grade(RIGHT) == "correct"  # fills the cache
    assert _edit_payloads("validated", "2 sigma^2 ||mu||^2", "3 sigma^2 ||mu||^2") >= 1
    assert _grade(PLANTED) == "incorrect"
    assert _grade(RIGHT) == "correct"


def test_an_edited_proof_or_simulation_result_is_recomputed(
    content_copy: Path, tmp_path: Path
) -> None:
    build_folder(content_copy, tmp_path / "one.apkg")
    for kind in ("proofs", "simulations"):
        for path in cache_dir(kind).rglob("*.json"):
            head, _, payload = path.read_text(encoding="utf-8").partition("\n")
            path.write_text(head + "\n" + payload[: len(payload) // 2], encoding="utf-8")
    for path in cache_dir("notes").glob("*.json"):  # so that proofs are looked up again
        path.unlink()
    build_folder(content_copy, tmp_path / "two.apkg")
    assert (tmp_path / "two.apkg").read_bytes() == (tmp_path / "one.apkg").read_bytes()


def _rewrite_index(change: object) -> None:
    """Rewrite the note cache's index with a valid seal: the checks that do not rely on it."""
    (index,) = cache_dir("notes").glob("*.json")
    data = cacheentry.read(index)
    assert isinstance(data, dict)
    change(data)  # type: ignore[operator]
    index.write_text(cacheentry.seal(json.dumps(data)), encoding="utf-8")


def test_a_cached_note_never_packs_a_file_from_outside_the_cache(
    content_copy: Path, tmp_path: Path
) -> None:
    build_folder(content_copy, tmp_path / "one.apkg")
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"a secret" + b"IEND\xaeB`\x82")

    def point_elsewhere(data: dict[str, dict[str, dict[str, list[dict[str, list[str]]]]]]) -> None:
        for entry in data.values():
            for spec in entry["notes"]["parts"]:
                spec["pictures"] = [str(secret) for _ in spec["pictures"]]

    _rewrite_index(point_elsewhere)
    build_folder(content_copy, tmp_path / "two.apkg")
    with zipfile.ZipFile(tmp_path / "two.apkg") as archive:
        assert all(b"a secret" not in archive.read(name) for name in archive.namelist())
    assert (tmp_path / "two.apkg").read_bytes() == (tmp_path / "one.apkg").read_bytes()


def test_a_cut_short_picture_is_drawn_again(content_copy: Path, tmp_path: Path) -> None:
    build_folder(content_copy, tmp_path / "one.apkg")
    pictures = sorted(cache_dir("pictures").glob("*.png"))
    assert pictures
    for picture in pictures:
        data = picture.read_bytes()
        picture.write_bytes(data[: len(data) // 2])
    build_folder(content_copy, tmp_path / "two.apkg")
    assert (tmp_path / "two.apkg").read_bytes() == (tmp_path / "one.apkg").read_bytes()


def test_an_entry_of_another_shape_is_a_miss_not_a_traceback(
    content_copy: Path, tmp_path: Path
) -> None:
    build_folder(content_copy, tmp_path / "one.apkg")

    def reshape(data: dict[str, dict[str, dict[str, list[dict[str, object]]]]]) -> None:
        for entry in data.values():
            for spec in entry["notes"]["parts"]:
                spec["fields"] = ["not", "a", "mapping"]

    _rewrite_index(reshape)
    for path in cache_dir("proofs").glob("*.json"):
        path.write_text(cacheentry.seal(json.dumps({"evidence": {"a": 1}, "notes": 3})))
    build_folder(content_copy, tmp_path / "two.apkg")
    assert (tmp_path / "two.apkg").read_bytes() == (tmp_path / "one.apkg").read_bytes()


def test_a_file_saved_during_a_build_does_not_poison_the_note_cache(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: a build plans with one text, a save lands, the build loads the other;
    after an undo to the planned text, the next build must show that text."""
    from generator import notecache

    problem = content_copy / "p6.yaml"
    original = problem.read_text(encoding="utf-8")
    planned_text = original.replace("Scaled dot-product", "Scaled dot-products")
    saved_text = original.replace("Scaled dot-product", "Scaled dot products")
    build_folder(content_copy, tmp_path / "first.apkg")
    plan = notecache.plan

    def plan_then_save(folder: Path) -> notecache.Plan:
        result = plan(folder)
        problem.write_text(saved_text, encoding="utf-8")  # saved after the plan read it
        return result

    problem.write_text(planned_text, encoding="utf-8")
    monkeypatch.setattr(notecache, "plan", plan_then_save)
    build_folder(content_copy, tmp_path / "raced.apkg")
    assert "Scaled dot products" in _deck_text(tmp_path / "raced.apkg")  # what it loaded
    monkeypatch.setattr(notecache, "plan", plan)
    problem.write_text(planned_text, encoding="utf-8")  # the undo
    build_folder(content_copy, tmp_path / "after.apkg")
    text = _deck_text(tmp_path / "after.apkg")
    assert "Scaled dot-products" in text and "Scaled dot products" not in text


def _deck_text(apkg: Path) -> str:
    with zipfile.ZipFile(apkg) as archive:
        return archive.read("collection.anki2").decode("utf-8", errors="replace")
