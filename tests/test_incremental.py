"""``nlpdrill build`` redoes only the problem files that changed, and writes the same deck."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import synth
from content.course import load_course
from content.errors import ContentErrors
from generator.build import build, build_folder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return synth.write(tmp_path / "synth", 4)


def test_a_rebuild_reuses_every_unchanged_file_and_writes_the_same_bytes(
    folder: Path, tmp_path: Path
) -> None:
    first = build_folder(folder, tmp_path / "one.apkg")
    assert first.built == ["p1.yaml", "p2.yaml", "p3.yaml", "p4.yaml"]
    again = build_folder(folder, tmp_path / "two.apkg")
    assert again.built == [] and again.files == 4 and again.unchanged == 20
    full = build(load_course(folder), tmp_path / "full.apkg")
    assert full.unchanged == 20
    one, two = (tmp_path / "one.apkg").read_bytes(), (tmp_path / "two.apkg").read_bytes()
    assert one == two == (tmp_path / "full.apkg").read_bytes()


def test_an_edited_file_alone_is_rebuilt_and_its_note_changes(folder: Path, tmp_path: Path) -> None:
    build_folder(folder, tmp_path / "before.apkg")
    path = folder / "p3.yaml"
    path.write_text(path.read_text().replace("Write the affine map", "Give the affine map"))
    report = build_folder(folder, tmp_path / "after.apkg", now=2_000_000_000)
    assert report.built == ["p3.yaml"]
    assert report.changed == ["synth.p3.a"] and report.unchanged == 19
    build(load_course(folder), tmp_path / "full.apkg", now=2_000_000_000)
    assert (tmp_path / "after.apkg").read_bytes() == (tmp_path / "full.apkg").read_bytes()


def test_a_removed_file_takes_its_notes_with_it(folder: Path, tmp_path: Path) -> None:
    build_folder(folder, tmp_path / "before.apkg")
    (folder / "p2.yaml").unlink()
    report = build_folder(folder, tmp_path / "after.apkg")
    assert report.built == [] and report.notes == 15
    assert report.removed == [f"synth.p2.{x}" for x in "abcde"]


def test_an_id_taken_from_an_unchanged_file_is_reported_with_its_line(
    folder: Path, tmp_path: Path
) -> None:
    build_folder(folder, tmp_path / "before.apkg")
    path = folder / "p4.yaml"
    path.write_text(path.read_text().replace("id: synth.p4", "id: synth.p1", 1))
    with pytest.raises(ContentErrors) as caught:
        build_folder(folder, tmp_path / "after.apkg")
    assert any("duplicate id 'synth.p1" in str(e) and e.line > 1 for e in caught.value.errors)


def test_a_changed_simulation_file_rebuilds_everything(folder: Path, tmp_path: Path) -> None:
    build_folder(folder, tmp_path / "before.apkg")
    with (folder / "simulations.py").open("a") as handle:
        handle.write("\n# a comment changes the file, so every proof is redone\n")
    assert len(build_folder(folder, tmp_path / "after.apkg").built or []) == 4


def test_without_the_cache_every_file_is_built(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_folder(folder, tmp_path / "before.apkg")
    monkeypatch.setenv("NLPDRILL_NO_CACHE", "1")
    assert len(build_folder(folder, tmp_path / "after.apkg").built or []) == 4


def test_a_cached_build_loads_nothing_of_the_judge_or_the_renderers(
    folder: Path, tmp_path: Path
) -> None:
    """What makes an unchanged rebuild cheap: it never imports pydantic, numpy or markdown
    (PyYAML it does: genanki imports it)."""
    build_folder(folder, tmp_path / "before.apkg")
    probe = (
        "import sys; from nlpdrill.cli import main;"
        f"code = main(['build', {str(folder)!r}, '-o', {str(tmp_path / 'after.apkg')!r}]);"
        "heavy = {'pydantic', 'numpy', 'markdown_it', 'jinja2', 'matplotlib'};"
        "print(sorted(heavy & set(sys.modules)), code)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[] 0"


def test_a_cached_problem_is_rebuilt_equal_to_the_validated_one(tmp_path: Path) -> None:
    """The problem cache skips validation; what it gives back is the validated model."""
    import json

    from content import BUNDLED
    from content.schema import Problem
    from content.trusted import rebuild

    for source in (BUNDLED, synth.write(tmp_path / "synth", 3)):
        for problem in load_course(source).problems:
            again = rebuild(Problem, json.loads(problem.model_dump_json()))
            assert again == problem
            assert again.model_dump_json() == problem.model_dump_json()
            kinds = [type(part).__name__ for part in again.parts]
            assert kinds == [type(part).__name__ for part in problem.parts]


def test_loading_again_from_the_problem_cache_gives_the_same_course(tmp_path: Path) -> None:
    folder = synth.write(tmp_path / "synth", 3)
    first, second = load_course(folder), load_course(folder)  # the second reads the cache
    assert second.problems == first.problems
    assert list(second.items) == list(first.items)
