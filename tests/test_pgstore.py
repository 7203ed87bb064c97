"""Progress in PostgreSQL (``serve --http --database postgresql://…``): the same store,
against a real server — turns stored, students apart, one student's turns serialised."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from content.course import Course
from tests.pgserver import postgres
from tutor.engine import Engine
from tutor.store import Store
from tutor.tokens import Students
from tutor.web import create_app


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with postgres() as address:
        yield address


def test_turns_are_stored_and_read_back_by_a_new_connection(course: Course, url: str) -> None:
    store = Store(student="ann", url=url)
    engine = Engine(course, store)
    engine.start("lab11.p6.b")
    assert engine.say("d sigma^4").verdict == "incorrect"
    assert engine.say("d sigma^4 + 2 sigma^2 ||mu||^2").verdict == "correct"
    store.close()
    again = Store(student="ann", url=url)
    assert [a.verdict for a in again.attempts("lab11.p6.b")] == ["incorrect", "correct"]
    assert again.session("position") is not None
    other = Store(student="ben", url=url)
    assert other.attempts() == []  # another student sees none of it
    other.close()
    progress = again.progress(["lab11.p6.b"])["lab11.p6.b"]
    assert progress.attempts == 2 and progress.last_verdict == "correct"
    again.close()


def test_one_students_turns_from_many_connections_are_all_kept(url: str) -> None:
    def write(k: int) -> None:
        store = Store(student="cat", url=url)
        for n in range(15):
            with store.transaction() as conn:
                store.add_attempt(conn, "lab11.p1", f"{k}-{n}", "partial")
        store.close()

    threads = [threading.Thread(target=write, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reader = Store(student="cat", url=url)
    texts = [a.text for a in reader.attempts()]
    reader.close()
    assert sorted(texts) == sorted(f"{k}-{n}" for k in range(6) for n in range(15))


def test_the_web_service_keeps_progress_in_postgresql(
    course: Course, url: str, tmp_path: Path
) -> None:
    registry = Students(tmp_path / "students.sqlite3")
    token = registry.add("dan")
    app = create_app(course, students=registry, database=url)
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        client.post("/api/turn", json={"op": "start", "part": "lab11.p3.a"}, headers=headers)
        reply = client.post("/api/turn", json={"op": "say", "text": "false"}, headers=headers)
        assert reply.json()["ok"] is True
    reader = Store(student="dan", url=url)
    assert [a.part for a in reader.attempts()] == ["lab11.p3.a"]
    reader.close()
    registry.close()
