"""The progress store under faults: nothing acknowledged is ever lost."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from content.course import Course
from tutor.engine import Engine, NotSaved
from tutor.store import Store, StoreCorrupt

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_full_disk_undoes_the_turn_and_keeps_what_was_saved(
    course: Course, tmp_path: Path
) -> None:
    store = Store(tmp_path / "p.sqlite3")
    engine = Engine(course, store)
    engine.start("lab11.p4.a")
    assert engine.say("diag(f_t)").verdict == "correct"
    original = store.add_attempt

    def disk_full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    store.add_attempt = disk_full  # type: ignore[method-assign]
    with pytest.raises(NotSaved, match="could not be saved"):
        engine.say("diag(i_t)")
    assert engine.position is not None
    assert engine.position.current == "lab11.p4.a.s2"  # the turn did not happen
    store.add_attempt = original  # type: ignore[method-assign]
    assert engine.say("diag(i_t)").part == "lab11.p4.a.s3"
    assert [a.verdict for a in store.attempts("lab11.p4.a")] == ["correct", "correct"]
    store.close()


def test_a_corrupted_database_is_kept_aside_and_a_fresh_one_starts(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreCorrupt, match="damaged") as caught:
        Store(path)
    damaged = list(tmp_path.glob("progress.sqlite3.damaged-*"))
    assert len(damaged) == 1
    assert damaged[0].name in str(caught.value)
    fresh = Store(path)
    assert fresh.attempts() == []
    fresh.close()


def test_the_server_starts_afresh_on_a_corrupted_database(tmp_path: Path) -> None:
    (tmp_path / "progress.sqlite3").write_bytes(b"garbage" * 1000)
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio"],
        input='{"op": "start", "part": "lab11.p6.a"}\n{"op": "quit"}\n', text=True, capture_output=True,
        cwd=ROOT, env={**os.environ, "NLPDRILL_HOME": str(tmp_path)}, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    assert "damaged" in result.stderr and "Starting afresh" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["ok"] is True
    assert list(tmp_path.glob("progress.sqlite3.damaged-*"))


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2])
def test_kill_9_while_answering_loses_no_acknowledged_attempt(tmp_path: Path, delay: float) -> None:
    env = {**os.environ, "NLPDRILL_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, cwd=ROOT, env=env,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b'{"op": "start", "part": "lab11.p6.b"}\n')
    proc.stdin.flush()
    proc.stdout.readline()
    acknowledged = 0
    answers = ["d", "d^2", "sigma", "d sigma", "mu^T mu", "sigma^4"] * 4
    for answer in answers:  # the last few are in flight when the kill lands
        proc.stdin.write(json.dumps({"op": "say", "text": answer}).encode() + b"\n")
    proc.stdin.flush()
    deadline = time.monotonic() + delay
    replies = 0
    # Read until the deadline (at least one verdict), but never past the last reply:
    # a fast server answers all of them before the deadline, and then waits for input.
    while (time.monotonic() < deadline or acknowledged == 0) and replies < len(answers):
        line = proc.stdout.readline()
        if not line:
            break
        replies += 1
        acknowledged += json.loads(line).get("verdict") is not None
        if acknowledged >= 3 and time.monotonic() >= deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdin.close()
    proc.stdout.close()
    store = Store(tmp_path / "progress.sqlite3")
    saved = len(store.attempts("lab11.p6.b"))
    store.close()
    assert saved >= acknowledged


def test_a_locked_database_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program holding the write lock is not damage: the file stays, intact."""
    from tutor.store import StoreUnavailable

    path = tmp_path / "progress.sqlite3"
    first = Store(path, student="alice")
    with first.transaction() as conn:
        first.add_attempt(conn, "lab11.p6.a", "mu^T mu", "correct")
    first.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("pragma locking_mode=exclusive")
    holder.execute("begin exclusive")
    monkeypatch.setattr(Store, "BUSY_TIMEOUT", 0.2)  # do not wait 30 s for the holder
    try:
        with pytest.raises(StoreUnavailable, match="left"):
            Store(path, student="alice")
    finally:
        holder.execute("rollback")
        holder.close()
    assert not list(tmp_path.glob("*.damaged-*"))
    assert [a.text for a in Store(path, student="alice").attempts()] == ["mu^T mu"]


def test_two_damaged_files_in_one_second_are_both_kept(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    for k in range(2):
        path.write_bytes(f"not a database {k} ".encode() * 100)
        with pytest.raises(StoreCorrupt):
            Store(path)
    kept = sorted(p.read_bytes()[:17] for p in tmp_path.glob("progress.sqlite3.damaged-*"))
    assert kept == [b"not a database 0 ", b"not a database 1 "]


@pytest.mark.parametrize(
    "saved",
    [
        {"unit": "lab11.p4.b", "stages": ["lab11.p4.b.s9"], "stage": 0},  # a step deleted since
        {"unit": "lab11.p4.a", "stages": [], "stage": 0},
        {"unit": "lab11.p6.a", "stages": ["lab11.p6.a"], "stage": 0, "from_the_future": 1},
        {"unit": "lab11.p6.a", "stages": ["lab11.p6.a"], "stage": 7},  # beyond its end
    ],
)
def test_a_saved_position_that_no_longer_fits_starts_the_part_afresh(
    course: Course, tmp_path: Path, saved: dict[str, object]
) -> None:
    store = Store(tmp_path / "p.sqlite3", student="s")
    with store.transaction() as conn:
        store.save_session(conn, "position", saved)
        store.save_session(conn, "quiz", {"questions": [["lab11.p6.b", None]], "odd": 1})
    engine = Engine(course, store)
    assert engine.position is None
    reply = engine.start(str(saved["unit"]))
    assert reply.part is not None and engine.position is not None
    assert engine.say("hint").part is not None  # the part works again
