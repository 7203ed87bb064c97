"""Front ends send anything: each bad line gets an error reply, the server carries on,
and its memory stays bounded."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

BAD_LINES = [
    b"{not json}\n",
    b"null\n",
    b'"a string"\n',
    b"[]\n",
    b"{}\n",
    b'{"op": 3}\n',
    b'{"op": "fly"}\n',
    b'{"op": "say"}\n',
    b'{"op": "say", "text": ["a"]}\n',
    b'{"op": "start", "part": {"$ne": 1}}\n',
    b'{"op": "start", "part": "../../etc/passwd"}\n',
    b"\xc3\x28\n",
    b"\xff" * 1000 + b"\n",
    b"\x00\x00\x00\n",
    b'{"op": "say", "text": "' + b"\xf0\x9f\x99\x82" * 1000 + b'"}\n',
    b"   \n",
]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_bad_lines_and_a_10_mb_line(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "NLPDRILL_HOME": str(tmp_path)},
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None

    def send(line: bytes) -> dict[str, object]:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(line)
        proc.stdin.flush()
        reply: dict[str, object] = json.loads(proc.stdout.readline())
        return reply

    try:
        assert send(b'{"op": "start", "part": "lab11.p6.a"}\n')["ok"] is True
        assert (
            send(b'{"op": "say", "text": "0"}\n')["verdict"] == "incorrect"
        )  # runs the simulation
        baseline = peak_rss_mb(proc.pid)
        replies = [send(line) for line in BAD_LINES]
        assert all(r["ok"] is False and r["error"] for r in replies[:-2]), replies
        huge = send(b'{"op": "say", "text": "' + b"x" * (10 * 1024 * 1024) + b'"}\n')
        assert huge["ok"] is False
        assert "too long" in str(huge["error"])
        assert send(b'{"op": "say", "text": "mu^T mu"}\n')["verdict"] == "correct"
        assert peak_rss_mb(proc.pid) - baseline < 20, "the 10 MB line was held in memory"
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdin.close()
        proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()


def test_a_lone_surrogate_neither_kills_the_server_nor_loses_a_turn(tmp_path: Path) -> None:
    """Half an emoji, as a JavaScript front end cuts it: a reply each time, and the turn
    with it stored like any other."""
    lines = [
        b'{"op": "start", "part": "\\ud800"}\n',
        b'{"op": "start", "part": "lab11.p3.d"}\n',
        b'{"op": "say", "text": "false \\ud800 each sigmoid is independent, nothing makes them sum to 1"}\n',
        b'{"op": "state"}\n',
    ]
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio", "--student", "js"],
        input=b"".join(lines), capture_output=True, timeout=120, check=False, cwd=ROOT,
        env={**os.environ, "NLPDRILL_HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    replies = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(replies) == 4
    assert replies[0]["ok"] is False
    assert replies[2]["ok"] is True and replies[2]["verdict"] in ("correct", "partial")
    row = next(p for p in replies[3]["progress"] if p["part"] == "lab11.p3.d")
    assert row["attempts"] == 1


def test_a_turn_that_fails_midway_did_not_happen(tmp_path: Path) -> None:
    """Any exception in a turn, not only a storage error, leaves the position as it was."""
    from content.course import load_course
    from tutor.engine import Engine
    from tutor.store import Store

    engine = Engine(load_course(), Store(tmp_path / "p.sqlite3", student="t"))
    engine.start("lab11.p4.a")
    before = copy.deepcopy(engine.position)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the middle of a turn")

    engine.store.add_attempt = broken  # type: ignore[method-assign]
    with contextlib.suppress(RuntimeError):
        engine.say("diag(f_t)")
    assert engine.position == before and engine.position is not None
    assert engine.position.current == "lab11.p4.a.s1"


def test_escapes_from_a_student_are_shown_not_sent_to_the_terminal(tmp_path: Path) -> None:
    answer = "false \x1b]0;pwned\x07\x1b[2J each sigmoid is independent"
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "grade", "lab11.p3.d", answer],
        capture_output=True, text=True, timeout=120, check=False, cwd=ROOT,
        env={**os.environ, "NLPDRILL_HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "^[]0;pwned^G" in result.stdout


def test_a_print_in_a_simulation_does_not_corrupt_the_protocol(tmp_path: Path) -> None:
    import shutil

    from content import BUNDLED

    folder = tmp_path / "lab11"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns("__pycache__"))
    path = folder / "simulations.py"
    text = path.read_text(encoding="utf-8")
    marker = "def dot_product_mean(point: dict[str, Any], rng: Rng) -> Estimate:\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + '    print("debugging!")\n'), encoding="utf-8")
    lines = [
        {"op": "start", "part": "lab11.p6.a"},
        {"op": "say", "text": "mu^T mu"},
    ]
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio", "--content", str(folder)],
        input="\n".join(json.dumps(line) for line in lines) + "\n",
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
        env={**os.environ, "NLPDRILL_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    replies = [json.loads(line) for line in result.stdout.splitlines()]  # every line is JSON
    assert replies[1]["verdict"] == "correct"
