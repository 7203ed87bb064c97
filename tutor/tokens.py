"""Students of the web service and their tokens (``nlpdrill students add NAME``).

A token is shown once, when it is made; only its SHA-256 is kept, in
``students.sqlite3`` under ``NLPDRILL_HOME``. A token is 32 random bytes, so a
plain hash (no salt, no slow KDF) is as strong as the token itself, and a lookup
by hash leaks nothing useful through its timing.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from pathlib import Path

from content.locations import home
from tutor.store import student_name_problem, utcnow

FILE = "students.sqlite3"
_SCHEMA = """
create table if not exists tokens (
    hash text primary key,
    student text not null,
    created text not null
)
"""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class Students:
    """Who may use the web service: token hash → student."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or home() / FILE
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.execute("pragma journal_mode=wal")
        self.conn.execute(_SCHEMA)

    def add(self, name: str) -> str:
        """A new token for ``name`` (``ValueError`` for a name that cannot be a student's)."""
        problem = student_name_problem(name)
        if problem:
            raise ValueError(problem)
        token = secrets.token_urlsafe(32)
        self.conn.execute(
            "insert into tokens(hash, student, created) values (?, ?, ?)",
            (_digest(token), name, utcnow().isoformat()),
        )
        return token

    def student(self, token: str) -> str | None:
        """Whose token this is, or None."""
        row = self.conn.execute(
            "select student from tokens where hash = ?", (_digest(token),)
        ).fetchone()
        return str(row[0]) if row else None

    def close(self) -> None:
        self.conn.close()
