"""The progress store: every attempt, an FSRS card per part, where each session stands.

SQLite in WAL mode with ``synchronous=FULL``: once a turn's transaction has
committed, a Ctrl-C, a kill -9 or a crash cannot take it back. Several tutors may
share one store (the busy timeout serialises their writes).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fsrs import Card, Rating, Scheduler

from content.locations import home

SCHEMA = """
create table if not exists attempts (
    id integer primary key autoincrement,
    session text not null,
    part text not null,
    text text not null,
    verdict text not null,
    at text not null,
    seed integer
);
create index if not exists attempts_part on attempts(part);
create table if not exists cards (
    part text primary key,
    card text not null,
    updated text not null
);
create table if not exists reviews (
    id integer primary key autoincrement,
    part text not null,
    rating integer not null,
    at text not null
);
create table if not exists sessions (
    name text primary key,
    state text not null,
    updated text not null
);
"""

DB_NAME = "progress.sqlite3"


class StoreCorrupt(Exception):
    """The database file is damaged; it was moved aside and a fresh one can start."""


@dataclass(frozen=True)
class Attempt:
    part: str
    text: str
    verdict: str
    at: datetime
    seed: int | None


@dataclass(frozen=True)
class PartProgress:
    part: str
    attempts: int
    last_verdict: str | None
    due: datetime | None
    reviewed: bool


def utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or home() / DB_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.scheduler = Scheduler(enable_fuzzing=False)
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        # One connection, used by one thread at a time (the app runs turns in a worker).
        conn = sqlite3.connect(
            self.path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("pragma journal_mode=wal")
            conn.execute("pragma synchronous=full")
            conn.executescript(SCHEMA)
            conn.execute("select count(*) from attempts").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            aside = self.path.with_name(f"{self.path.name}.damaged-{utcnow():%Y%m%dT%H%M%S}")
            self.path.replace(aside)
            raise StoreCorrupt(
                f"the progress database {self.path} is damaged ({exc}); it was kept as {aside.name}"
            ) from exc
        return conn

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One turn, all or nothing (``begin immediate`` takes the write lock up front)."""
        self.conn.execute("begin immediate")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("rollback")
            raise
        self.conn.execute("commit")

    # -- writing (inside a transaction) --------------------------------------------

    def add_attempt(
        self, conn: sqlite3.Connection, session: str, part: str, text: str, verdict: str,
        seed: int | None = None, at: datetime | None = None,
    ) -> None:  # fmt: skip
        conn.execute(
            "insert into attempts(session, part, text, verdict, at, seed) "
            "values (?, ?, ?, ?, ?, ?)",
            (session, part, text, verdict, (at or utcnow()).isoformat(), seed),
        )

    def review(
        self, conn: sqlite3.Connection, part: str, rating: Rating, at: datetime | None = None
    ) -> Card:
        when = at or utcnow()
        row = conn.execute("select card from cards where part = ?", (part,)).fetchone()
        card = Card.from_json(row[0]) if row else Card(due=when)
        card, _ = self.scheduler.review_card(card, rating, when)
        conn.execute(
            "insert into cards(part, card, updated) values (?, ?, ?) "
            "on conflict(part) do update set card = excluded.card, updated = excluded.updated",
            (part, card.to_json(), when.isoformat()),
        )
        conn.execute(
            "insert into reviews(part, rating, at) values (?, ?, ?)",
            (part, int(rating), when.isoformat()),
        )
        return card

    def save_session(self, conn: sqlite3.Connection, name: str, state: dict[str, Any]) -> None:
        conn.execute(
            "insert into sessions(name, state, updated) values (?, ?, ?) "
            "on conflict(name) do update set state = excluded.state, updated = excluded.updated",
            (name, json.dumps(state, sort_keys=True), utcnow().isoformat()),
        )

    # -- reading ---------------------------------------------------------------------

    def session(self, name: str) -> dict[str, Any] | None:
        row = self.conn.execute("select state from sessions where name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else None

    def attempts(self, part: str | None = None) -> list[Attempt]:
        query = "select part, text, verdict, at, seed from attempts"
        args: tuple[str, ...] = ()
        if part is not None:
            query += " where part = ? or part like ?"
            args = (part, part + ".%")
        rows = self.conn.execute(query + " order by id", args).fetchall()
        return [Attempt(p, t, v, datetime.fromisoformat(a), s) for p, t, v, a, s in rows]

    def card(self, part: str) -> Card | None:
        row = self.conn.execute("select card from cards where part = ?", (part,)).fetchone()
        return Card.from_json(row[0]) if row else None

    def progress(self, parts: list[str]) -> dict[str, PartProgress]:
        out = {}
        for part in parts:
            counts = self.conn.execute(
                "select count(*), (select verdict from attempts where part = ?1 or part like ?2 "
                "order by id desc limit 1) from attempts where part = ?1 or part like ?2",
                (part, part + ".%"),
            ).fetchone()
            card = self.card(part)
            out[part] = PartProgress(
                part, counts[0], counts[1], card.due if card else None, card is not None
            )
        return out
