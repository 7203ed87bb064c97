from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from content import BUNDLED
from content.course import Course, load_course
from content.judge import Judge


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never touch the real user data directory."""
    monkeypatch.setenv("NLPDRILL_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="session")
def course() -> Course:
    return load_course(BUNDLED)


@pytest.fixture(scope="session")
def judge(course: Course) -> Judge:
    return Judge(course)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled content, for tests that break it."""
    target = tmp_path / "lab11"
    shutil.copytree(BUNDLED, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
