"""A dedicated app for snapshot tests: the real TutorApp on a fresh, private store."""

from __future__ import annotations

import tempfile
from pathlib import Path

from content import BUNDLED
from content.course import load_course
from tutor.app import TutorApp
from tutor.engine import Engine
from tutor.store import Store


def make_app(part: str | None = None) -> TutorApp:
    folder = Path(tempfile.mkdtemp(prefix="nlpdrill-snap-"))
    engine = Engine(load_course(BUNDLED), Store(folder / "progress.sqlite3"))
    return TutorApp(engine, part, cursor_blink=False)
