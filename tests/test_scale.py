"""Synthetic content (the benchmark's) checks and builds: a small run of the scale benchmark."""

from __future__ import annotations

from pathlib import Path

from bench import synth
from content.course import load_course
from generator.build import build


def test_synthetic_content_builds(tmp_path: Path) -> None:
    folder = synth.write(tmp_path / "synth", 6)
    course = load_course(folder)
    assert len(course.top_items()) == 30
    report = build(course, tmp_path / "synth.apkg")
    assert report.notes == 30
    assert report.cards == 30
    again = build(load_course(folder), tmp_path / "again.apkg")
    assert again.unchanged == 30
    assert (tmp_path / "synth.apkg").read_bytes() == (tmp_path / "again.apkg").read_bytes()
