"""The JSON-lines protocol over a real subprocess, and the store under kill -9."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Server:
    def __init__(self, home: Path, student: str = "default") -> None:
        env = {**os.environ, "NLPDRILL_HOME": str(home)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nlpdrill", "serve", "--stdio", "--student", student],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, cwd=ROOT,
        )  # fmt: skip

    def send_raw(self, data: bytes) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read().decode() if self.proc.stderr else "server died"
        reply: dict[str, Any] = json.loads(line)
        return reply

    def send(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.send_raw(json.dumps(request).encode() + b"\n")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def server(home: Path) -> Iterator[Server]:
    running = Server(home)
    yield running
    running.close()


def test_every_op(server: Server) -> None:
    started = server.send({"op": "start", "part": "lab11.p6.a"})
    assert started["ok"] is True
    assert started["part"] == "lab11.p6.a"
    assert all(m["role"] == "tutor" and m["text"] for m in started["messages"])
    said = server.send({"op": "say", "text": "mu^T mu"})
    assert said["verdict"] == "correct"
    assert said["messages"][0]["text"] == "read as: μᵀμ"
    state = server.send({"op": "state"})
    assert state["ok"] is True
    assert len(state["progress"]) == 20
    parts = server.send({"op": "parts"})
    assert [p["part"] for p in parts["parts"]][:2] == ["lab11.p1", "lab11.p2.a"]
    bye = server.send({"op": "quit"})
    assert bye["ok"] is True and bye.get("done") is True
    assert server.proc.wait(timeout=10) == 0


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (b"not json\n", "not JSON"),
        (b'{"op": "dance"}\n', "unknown op 'dance'"),
        (b"[1, 2]\n", "a request is a JSON object"),
        (b'{"op": "say"}\n', "'say' needs a 'text' string"),
        (b'{"op": "start", "part": "lab11.p9"}\n', "no part 'lab11.p9'"),
        (b'{"op": "start", "part": 7}\n', "'part' must be a part id"),
        (b"\xff\xfe{}\n", "not UTF-8"),
        (b"\n", "empty line"),
    ],
)
def test_bad_requests_get_an_error_and_the_server_carries_on(
    server: Server, line: bytes, error: str
) -> None:
    reply = server.send_raw(line)
    assert reply["ok"] is False
    assert error in reply["error"]
    assert server.send({"op": "state"})["ok"] is True


def test_a_huge_line_is_refused(server: Server) -> None:
    reply = server.send_raw(b'{"op": "say", "text": "' + b"x" * 200_000 + b'"}\n')
    assert reply == {"ok": False, "error": "line too long (at most 65536 bytes)"}
    assert server.send({"op": "start", "part": "lab11.p3.c"})["ok"] is True


def test_kill_9_mid_session_loses_nothing(home: Path) -> None:
    first = Server(home)
    try:
        first.send({"op": "start", "part": "lab11.p4.a"})
        assert first.send({"op": "say", "text": "diag(f_t)"})["verdict"] == "correct"
        assert first.send({"op": "say", "text": "diag(f_t)"})["verdict"] == "incorrect"
        assert first.send({"op": "say", "text": "diag(i_t)"})["part"] == "lab11.p4.a.s3"
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(timeout=10)
    finally:
        first.close()
    second = Server(home)
    try:
        resumed = second.send({"op": "start"})
        assert resumed["part"] == "lab11.p4.a.s3"
        assert "Step 3 of 8" in resumed["messages"][-1]["text"]
        assert second.send({"op": "state"})["progress"][8]["attempts"] == 3
    finally:
        second.close()


def test_two_students_on_one_store_at_once(home: Path) -> None:
    alice, bob = Server(home, "alice"), Server(home, "bob")
    try:
        alice.send({"op": "start", "part": "lab11.p6.a"})
        bob.send({"op": "start", "part": "lab11.p6.a"})
        for k in range(5):
            alice.send({"op": "say", "text": "0" if k % 2 else "d sigma^2"})
            bob.send({"op": "say", "text": "2 mu^T mu"})
        assert alice.send({"op": "say", "text": "mu^T mu"})["verdict"] == "correct"
        assert bob.send({"op": "say", "text": "mu^T mu"})["verdict"] == "correct"
        for server in (alice, bob):  # each sees their own six, never the other's
            progress = server.send({"op": "state"})["progress"]
            assert next(p for p in progress if p["part"] == "lab11.p6.a")["attempts"] == 6
    finally:
        alice.close()
        bob.close()


def _readme_example() -> tuple[list[str], list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- protocol-example -->\n```\n(.*?)```", readme, re.DOTALL)
    assert block, "the README has a protocol example"
    sent = [line[3:] for line in block.group(1).splitlines() if line.startswith(">> ")]
    got = [line[3:] for line in block.group(1).splitlines() if line.startswith("<< ")]
    return sent, got


def test_the_readme_example_works_verbatim(server: Server) -> None:
    sent, expected = _readme_example()
    assert sent and len(sent) == len(expected)
    for request, reply in zip(sent, expected, strict=True):
        assert server.send_raw(request.encode() + b"\n") == json.loads(reply)


def test_engine_and_protocol_never_import_textual() -> None:
    code = (
        "import sys, content.course, content.judge, generator.build, tutor.engine, tutor.protocol, "
        "tutor.store, nlpdrill.cli; assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


# The Textual app: its screens and its key line. Nothing else may import textual.
APP_MODULES = {"tutor/app.py", "tutor/keyline.py"}


def test_only_the_app_imports_textual() -> None:
    offenders = []
    for package in ("content", "generator", "tutor", "nlpdrill"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            name = path.relative_to(ROOT).as_posix()
            if re.search(r"^\s*(from|import) textual", text, re.MULTILINE) and (
                name not in APP_MODULES
            ):
                offenders.append(name)
    assert offenders == []
