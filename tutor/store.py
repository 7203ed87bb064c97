"""The progress store: every attempt, an FSRS card per part, where each session stands.

SQLite in WAL mode with ``synchronous=FULL``: once a turn's transaction has
committed, a Ctrl-C, a kill -9 or a crash cannot take it back. Several tutors may
share one store (the busy timeout serialises their writes).
"""

from __future__ import annotations

import copy
import getpass
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from fsrs import Card, Rating, Scheduler

from content.locations import home

# Version 1: everything belongs to a student (attempts, cards, reviews, where each of
# their sessions stands), so that students sharing one store stay apart.
SCHEMA_VERSION = 1
SCHEMA = [
    """create table if not exists attempts (
        id integer primary key autoincrement,
        student text not null,
        part text not null,
        text text not null,
        verdict text not null,
        at text not null,
        seed integer
    )""",
    "create index if not exists attempts_student_part on attempts(student, part)",
    """create table if not exists cards (
        student text not null,
        part text not null,
        card text not null,
        updated text not null,
        primary key (student, part)
    )""",
    """create table if not exists reviews (
        id integer primary key autoincrement,
        student text not null,
        part text not null,
        rating integer not null,
        at text not null
    )""",
    """create table if not exists sessions (
        student text not null,
        kind text not null,
        state text not null,
        updated text not null,
        primary key (student, kind)
    )""",
]
MAX_STUDENT_NAME = 64


class Rows(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Database(Protocol):
    """What the store uses of its connection: SQLite's, or ``pgstore.Connection``."""

    def execute(self, sql: str, params: Any = ..., /) -> Rows: ...
    def close(self) -> None: ...


def default_student() -> str:
    """The login name: one person's progress on their own machine is theirs."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no user database entry (some containers)
        return "student"
    return name if student_name_problem(name) is None else "student"


def student_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a student's name, or None."""
    if not name or len(name) > MAX_STUDENT_NAME:
        return f"a student's name has 1 to {MAX_STUDENT_NAME} characters"
    if not name.isprintable() or name != name.strip():
        return "a student's name has no control characters and no spaces around it"
    return None


DB_NAME = "progress.sqlite3"


class StoreCorrupt(Exception):
    """The database file is damaged; it was moved aside and a fresh one can start."""


class StoreUnavailable(Exception):
    """The database could not be opened for a reason that is not damage (a full disk,
    a lock held elsewhere, a read-only folder): the file is left untouched."""


# What SQLite says of a file that is not, or no longer, a database; any other error
# (locked, full, I/O, read-only, cannot open) leaves the file where it is.
_DAMAGE = ("file is not a database", "database disk image is malformed", "malformed")


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    return not isinstance(exc, sqlite3.OperationalError) and any(
        marker in str(exc).lower() for marker in _DAMAGE
    )


def _aside(path: Path) -> Path:
    """A name for a damaged file that never overwrites an earlier one."""
    stamp = f"{utcnow():%Y%m%dT%H%M%S%f}"
    for k in range(1000):
        aside = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{k}" if k else ""))
        if not aside.exists():
            return aside
    raise StoreUnavailable(f"too many damaged copies of {path} are kept beside it")


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
    """One progress database, seen as one student's: every read and write below is
    that student's own (``as_student`` gives another student's view of it)."""

    BUSY_TIMEOUT = 30.0  # seconds to wait for a write lock held by another tutor

    def __init__(
        self, path: Path | None = None, student: str | None = None, url: str | None = None
    ) -> None:
        """SQLite at ``path`` (default: under ``NLPDRILL_HOME``), or, with ``url``
        (``postgresql://…``), PostgreSQL: the same schema, queries and transactions."""
        self.student = default_student() if student is None else student
        problem = student_name_problem(self.student)
        if problem:
            raise ValueError(problem)
        self.scheduler = Scheduler(enable_fuzzing=False)
        self.url = url
        if url is not None:
            from tutor.pgstore import connect

            self.path = Path(url.split("?")[0].rsplit("/", 1)[-1] or "postgresql")
            self.conn: Database = connect(url)
            return
        self.path = path or home() / DB_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = self._open()

    def as_student(self, name: str) -> Store:
        """The same database (and connection), as ``name`` sees it."""
        problem = student_name_problem(name)
        if problem:
            raise ValueError(problem)
        view = copy.copy(self)
        view.student = name
        return view

    def _open(self) -> sqlite3.Connection:
        # One connection, used by one thread at a time (the app runs turns in a worker).
        conn = sqlite3.connect(
            self.path, timeout=self.BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("pragma journal_mode=wal")
            conn.execute("pragma synchronous=full")
            _migrate(conn, self.student)
            conn.execute("select count(*) from attempts").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if not _damaged(exc):  # a full disk, a lock, a read-only folder: not damage
                raise StoreUnavailable(
                    f"the progress database {self.path} cannot be opened ({exc}); it was left "
                    "as it is — try again once the disk, the lock or the folder is fixed"
                ) from exc
            aside = _aside(self.path)
            self.path.replace(aside)
            raise StoreCorrupt(
                f"the progress database {self.path} is damaged ({exc}); it was kept as {aside.name}"
            ) from exc
        return conn

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One turn, all or nothing (``begin immediate`` takes the write lock up front)."""
        self.conn.execute("begin immediate")
        try:
            if self.url is not None:  # several processes: one student's turns, one at a time
                self.conn.execute("select pg_advisory_xact_lock(hashtext(?))", (self.student,))
            yield self.conn
        except BaseException:
            self.conn.execute("rollback")
            raise
        self.conn.execute("commit")

    # -- writing (inside a transaction) --------------------------------------------

    def add_attempt(
        self, conn: Database, part: str, text: str, verdict: str,
        seed: int | None = None, at: datetime | None = None,
    ) -> None:  # fmt: skip
        conn.execute(
            "insert into attempts(student, part, text, verdict, at, seed) "
            "values (?, ?, ?, ?, ?, ?)",
            (self.student, part, text, verdict, (at or utcnow()).isoformat(), seed),
        )

    def review(self, conn: Database, part: str, rating: Rating, at: datetime | None = None) -> Card:
        when = at or utcnow()
        row = conn.execute(
            "select card from cards where student = ? and part = ?", (self.student, part)
        ).fetchone()
        card = Card.from_json(row[0]) if row else Card(due=when)
        card, _ = self.scheduler.review_card(card, rating, when)
        conn.execute(
            "insert into cards(student, part, card, updated) values (?, ?, ?, ?) "
            "on conflict(student, part) do update set card = excluded.card, "
            "updated = excluded.updated",
            (self.student, part, card.to_json(), when.isoformat()),
        )
        conn.execute(
            "insert into reviews(student, part, rating, at) values (?, ?, ?, ?)",
            (self.student, part, int(rating), when.isoformat()),
        )
        return card

    def save_session(self, conn: Database, kind: str, state: dict[str, Any]) -> None:
        """Where one of the student's sessions stands: ``position`` or ``quiz``."""
        conn.execute(
            "insert into sessions(student, kind, state, updated) values (?, ?, ?, ?) "
            "on conflict(student, kind) do update set state = excluded.state, "
            "updated = excluded.updated",
            (self.student, kind, json.dumps(state, sort_keys=True), utcnow().isoformat()),
        )

    # -- reading ---------------------------------------------------------------------

    def session(self, kind: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "select state from sessions where student = ? and kind = ?", (self.student, kind)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def attempts(self, part: str | None = None) -> list[Attempt]:
        query = "select part, text, verdict, at, seed from attempts where student = ?"
        args: tuple[str, ...] = (self.student,)
        if part is not None:
            query += " and (part = ? or part like ?)"
            args = (self.student, part, part + ".%")
        rows = self.conn.execute(query + " order by id", args).fetchall()
        return [Attempt(p, t, v, datetime.fromisoformat(a), s) for p, t, v, a, s in rows]

    def card(self, part: str) -> Card | None:
        row = self.conn.execute(
            "select card from cards where student = ? and part = ?", (self.student, part)
        ).fetchone()
        return Card.from_json(row[0]) if row else None

    def progress(self, parts: list[str]) -> dict[str, PartProgress]:
        out = {}
        for part in parts:
            counts = self.conn.execute(
                "select count(*), (select verdict from attempts where student = ? and "
                "(part = ? or part like ?) order by id desc limit 1) from attempts "
                "where student = ? and (part = ? or part like ?)",
                (self.student, part, part + ".%") * 2,
            ).fetchone()
            card = self.card(part)
            out[part] = PartProgress(
                part, counts[0], counts[1], card.due if card else None, card is not None
            )
        return out


def _migrate(conn: sqlite3.Connection, owner: str) -> None:
    """Bring the schema to the current version, in one transaction.

    A first-round database (progress shared by all, positions per session name,
    the quiz under "NAME#quiz") becomes one where each row has its student: a
    session's attempts and position go to the student of that name, and the shared
    cards and reviews (and the "default" session) to ``owner``, the login name of
    whoever opens it first — on one machine, the student who made them.
    """
    version = conn.execute("pragma user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    conn.execute("begin immediate")
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        legacy = "attempts" in tables and "student" not in {
            r[1] for r in conn.execute("pragma table_info(attempts)")
        }
        if legacy:
            for table in ("attempts", "cards", "reviews", "sessions"):
                if table in tables:
                    conn.execute(f"alter table {table} rename to {table}_v0")
            conn.execute("drop index if exists attempts_part")
        for statement in SCHEMA:
            conn.execute(statement)
        if legacy:
            _copy_v0(conn, owner, tables)
        conn.execute(f"pragma user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")


def _copy_v0(conn: sqlite3.Connection, owner: str, tables: set[str]) -> None:
    def student(session: str) -> str:
        return owner if session == "default" else session

    conn.create_function("nlpdrill_student", 1, student)
    conn.execute(
        "insert into attempts(student, part, text, verdict, at, seed) "
        "select nlpdrill_student(session), part, text, verdict, at, seed from attempts_v0 "
        "order by id"
    )
    if "cards" in tables:
        conn.execute(
            "insert into cards(student, part, card, updated) "
            "select ?, part, card, updated from cards_v0",
            (owner,),
        )
    if "reviews" in tables:
        conn.execute(
            "insert into reviews(student, part, rating, at) "
            "select ?, part, rating, at from reviews_v0 order by id",
            (owner,),
        )
    if "sessions" in tables:
        for name, state, updated in conn.execute(
            "select name, state, updated from sessions_v0"
        ).fetchall():
            kind = "quiz" if name.endswith("#quiz") else "position"
            who = student(name.removesuffix("#quiz"))
            conn.execute(
                "insert or replace into sessions(student, kind, state, updated) "
                "values (?, ?, ?, ?)",
                (who, kind, state, updated),
            )
    for table in tables & {"attempts", "cards", "reviews", "sessions"}:
        conn.execute(f"drop table {table}_v0")
