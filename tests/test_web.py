"""``nlpdrill serve --http``: the protocol over HTTP, students by token, each with only
their own progress; through Starlette's TestClient, and once as a real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from content.course import Course
from tests.webserver import LOG, add_student, running
from tutor.engine import Engine
from tutor.protocol import handle
from tutor.store import Store
from tutor.tokens import Students
from tutor.web import BURST, create_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Students]:
    students = Students(tmp_path / "students.sqlite3")
    yield students
    students.close()


@pytest.fixture
def client(course: Course, registry: Students, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(course, tmp_path / "progress.sqlite3", registry)) as test_client:
        yield test_client


def _turn(client: TestClient, token: str, request: Mapping[str, object]) -> httpx.Response:
    return client.post("/api/turn", json=request, headers={"Authorization": f"Bearer {token}"})


def test_healthz(client: TestClient) -> None:
    reply = client.get("/healthz")
    assert reply.status_code == 200 and reply.json() == {"ok": True}


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer "])
def test_no_valid_token_is_401_json(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    reply = client.post("/api/turn", json={"op": "state"}, headers=headers)
    assert reply.status_code == 401
    assert reply.json()["ok"] is False and "token" in reply.json()["error"]


def test_a_turn_over_http_is_the_reply_of_serve_stdio(
    client: TestClient, registry: Students, course: Course, tmp_path: Path
) -> None:
    token = registry.add("alice")
    requests = [
        {"op": "start", "part": "lab11.p6.b"},
        {"op": "say", "text": "d sigma^4"},
        {"op": "say", "text": "d sigma^4 + 2 sigma^2 ||mu||^2"},
    ]
    over_http = [_turn(client, token, r).json() for r in requests]
    store = Store(tmp_path / "direct.sqlite3", student="alice")
    engine = Engine(course, store)
    direct = [handle(engine, json.dumps(r).encode())[0] for r in requests]
    store.close()
    assert [r["ok"] for r in over_http] == [True, True, True]
    assert [r.get("verdict") for r in over_http] == [r.get("verdict") for r in direct]
    assert over_http[1]["verdict"] == "incorrect" and over_http[2]["verdict"] == "correct"
    assert [m["text"] for m in over_http[1]["messages"]] == [
        m["text"] for m in direct[1]["messages"]
    ]


def test_each_student_reaches_only_their_own_progress(
    client: TestClient, registry: Students
) -> None:
    alice, bob = registry.add("alice"), registry.add("bob")
    _turn(client, alice, {"op": "start", "part": "lab11.p6.b"})
    _turn(client, alice, {"op": "say", "text": "d sigma^4 + 2 sigma^2 ||mu||^2"})
    state = {
        s["part"]: s["attempts"] for s in _turn(client, bob, {"op": "state"}).json()["progress"]
    }
    assert state["lab11.p6.b"] == 0
    mine = {
        s["part"]: s["attempts"] for s in _turn(client, alice, {"op": "state"}).json()["progress"]
    }
    assert mine["lab11.p6.b"] == 1
    refused = _turn(client, bob, {"op": "start", "part": "lab11.p6.b", "student": "alice"})
    assert refused.status_code == 403 and refused.json()["ok"] is False


def _attempts(client: TestClient, token: str) -> dict[str, int]:
    progress = _turn(client, token, {"op": "state"}).json()["progress"]
    return {entry["part"]: entry["attempts"] for entry in progress}


def test_a_body_too_large_and_too_many_requests_are_refused(
    client: TestClient, registry: Students
) -> None:
    token = registry.add("carol")
    huge = client.post(
        "/api/turn",
        content=b'{"op": "say", "text": "' + b"x" * 70_000 + b'"}',
        headers={"Authorization": f"Bearer {token}"},
    )
    assert huge.status_code == 413 and huge.json()["ok"] is False
    codes = [_turn(client, token, {"op": "state"}).status_code for _ in range(BURST + 5)]
    assert 429 in codes and codes[0] == 200
    assert "access-control-allow-origin" not in {k.lower() for k in huge.headers}


def test_students_add_prints_a_token_once_and_keeps_only_its_hash(tmp_path: Path) -> None:
    env = {**os.environ, "NLPDRILL_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "students", "add", "dave"],
        capture_output=True, text=True, check=True, cwd=ROOT, env=env,
    )  # fmt: skip
    token = done.stdout.strip()
    assert len(token) >= 40
    assert token.encode() not in (tmp_path / "students.sqlite3").read_bytes()
    assert Students(tmp_path / "students.sqlite3").student(token) == "dave"


def test_a_real_server_answers_a_real_client(tmp_path: Path) -> None:
    token = add_student(tmp_path, "erin")
    with running(tmp_path) as (base, _):
        headers = {"Authorization": f"Bearer {token}"}
        start = httpx.post(f"{base}/api/turn", json={"op": "start", "part": "lab11.p3.a"},
                           headers=headers, timeout=30)  # fmt: skip
        assert start.status_code == 200 and start.json()["part"] == "lab11.p3.a"
        said = httpx.post(f"{base}/api/turn", json={"op": "say", "text": "false"},
                          headers=headers, timeout=30)  # fmt: skip
        assert said.json()["ok"] is True
        assert httpx.post(f"{base}/api/turn", json={"op": "state"}, timeout=30).status_code == 401
    log = (tmp_path / LOG).read_text(encoding="utf-8")
    assert "POST /api/turn" in log  # the access log is there …
    assert token not in log  # … and no secret in it
