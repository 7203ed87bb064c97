"""Where a deck or a quiz is written: never over something that is not a file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def nlpdrill(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nlpdrill", *args],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT,
        env={**os.environ, "NLPDRILL_HOME": str(home)},
    )  # fmt: skip


def test_a_deck_is_never_written_over_a_directory_or_a_fifo(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    fifo = tmp_path / "a-fifo"
    os.mkfifo(fifo)
    for target in (folder, fifo):
        result = nlpdrill(tmp_path / "home", "build", "-o", str(target))
        assert result.returncode == 2 and "not a regular file" in result.stderr
    assert folder.is_dir() and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_deck_through_a_symlink_and_with_the_umask(tmp_path: Path) -> None:
    real = tmp_path / "real.apkg"
    real.write_bytes(b"old")
    link = tmp_path / "link.apkg"
    link.symlink_to(real)
    os.umask(0o022)
    result = nlpdrill(tmp_path / "home", "build", "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and real.read_bytes()[:2] == b"PK"  # written through the link
    assert stat.S_IMODE(real.stat().st_mode) == 0o644


def test_a_quiz_into_an_existing_file_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("mine")
    result = nlpdrill(tmp_path / "home", "quiz", "--count", "3", "-o", str(target))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "-o" in result.stderr and target.read_text() == "mine"


def test_a_pipe_among_the_problem_files_does_not_hang_a_build(tmp_path: Path) -> None:
    import shutil

    from content import BUNDLED

    folder = tmp_path / "lab11"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns("__pycache__"))
    os.mkfifo(folder / "p8.yaml")
    result = nlpdrill(tmp_path / "home", "build", str(folder), "-o", str(tmp_path / "x.apkg"))
    assert result.returncode != 0 and "p8.yaml:1:1: not a regular file" in result.stderr


@pytest.mark.parametrize(
    ("lock", "says"),
    [
        (
            '{\n<<<<<<< HEAD\n  "version": 1,\n=======\n>>>>>>> other\n}\n',
            "nlpdrill.lock:2: a merge conflict",
        ),
        ('{\n  "version": 1,\n  "entries": {\n', "nlpdrill.lock:4: the lock is not valid JSON"),
        ('{"version": 2, "entries": {}}\n', "a lock of version 2"),
        ('{"version": 1, "entries": {"lab11.p1": {"hash": 3}}}\n', "not as nlpdrill writes them"),
    ],
)
def test_a_broken_lock_file_is_a_sentence(tmp_path: Path, lock: str, says: str) -> None:
    import shutil

    from content import BUNDLED

    folder = tmp_path / "lab11"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "nlpdrill.lock").write_text(lock, encoding="utf-8")
    result = nlpdrill(tmp_path / "home", "build", str(folder), "-o", str(tmp_path / "x.apkg"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert says in result.stderr and "delete the file" in result.stderr
    assert not (tmp_path / "x.apkg").exists()


def test_a_build_that_ran_out_of_time_is_not_remembered(tmp_path: Path) -> None:
    """A time limit is the machine's, not the content's: the next build proves again."""
    home = tmp_path / "home"
    env = {**os.environ, "NLPDRILL_HOME": str(home), "NLPDRILL_SIM_TIMEOUT": "0.003"}
    rushed = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "build", "-o", str(tmp_path / "a.apkg")],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT, env=env,
    )  # fmt: skip
    assert rushed.returncode != 0
    result = nlpdrill(home, "build", "-o", str(tmp_path / "b.apkg"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("grade", "lab11.p6.b", "d sigma^4"),
        ("check", "-q"),
        ("build", "-o", "{tmp}/x.apkg"),
        ("quiz", "--count", "2", "-o", "{tmp}/quiz"),
    ],
)
def test_a_home_that_is_a_file_is_a_sentence(tmp_path: Path, args: tuple[str, ...]) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    result = nlpdrill(home, *(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is a file, not a folder" in result.stderr


def test_a_home_that_is_a_file_is_a_sentence_for_the_server_too(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio"],
        input='{"op": "state"}\n', capture_output=True, text=True, timeout=120, check=False,
        cwd=ROOT, env={**os.environ, "NLPDRILL_HOME": str(home)},
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is a file, not a folder" in result.stderr


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs Linux's /proc")
def test_a_deck_where_nothing_can_be_written_is_a_sentence(tmp_path: Path) -> None:
    result = nlpdrill(tmp_path / "home", "build", "-o", "/proc/version")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot write the deck to /proc/version" in result.stderr
