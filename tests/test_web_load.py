"""50 students × 20 turns against one ``serve --http`` process: every acknowledged
answer is in the store, each under its own student — with SQLite, and with PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest

from bench.web_load import STUDENTS, requests
from tests.pgserver import postgres
from tests.webserver import running
from tutor.store import Store
from tutor.tokens import Students


def _student(base: str, token: str) -> list[str]:
    """One student's session; the verdicts the server acknowledged, in order."""
    verdicts = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        for request in requests():  # the benchmark's session: start, answer, rate, go on
            reply = client.post("/api/turn", json=request)
            assert reply.status_code == 200 and reply.json()["ok"], reply.text
            body = reply.json()
            if body.get("verdict") in ("correct", "partial", "incorrect", "invalid"):
                verdicts.append(body["verdict"])
    return verdicts


def _load(home: Path, *options: str) -> dict[str, list[str]]:
    registry = Students(home / "students.sqlite3")
    tokens = {f"s{k:02d}": registry.add(f"s{k:02d}") for k in range(STUDENTS)}
    registry.close()
    with running(home, *options) as (base, _), ThreadPoolExecutor(STUDENTS) as pool:
        futures = {name: pool.submit(_student, base, token) for name, token in tokens.items()}
        return {name: future.result() for name, future in futures.items()}


def _stored(store: Store) -> list[str]:
    verdicts = [a.verdict for a in store.attempts()]
    store.close()
    return verdicts


def test_fifty_students_on_sqlite_lose_no_acknowledged_turn(tmp_path: Path) -> None:
    acknowledged = _load(tmp_path)
    assert sum(map(len, acknowledged.values())) >= STUDENTS * 5
    for name, verdicts in acknowledged.items():
        assert _stored(Store(tmp_path / "progress.sqlite3", student=name)) == verdicts, name


@pytest.fixture
def url() -> Iterator[str]:
    with postgres() as address:
        yield address


def test_fifty_students_on_postgresql_lose_no_acknowledged_turn(tmp_path: Path, url: str) -> None:
    acknowledged = _load(tmp_path, "--database", url)
    assert sum(map(len, acknowledged.values())) >= STUDENTS * 5
    for name, verdicts in acknowledged.items():
        assert _stored(Store(student=name, url=url)) == verdicts, name
