"""The progress store on PostgreSQL (``serve --http --database postgresql://…``), for a
class served by several processes or machines.

The store's SQL is written once, for SQLite; this connection speaks it to
PostgreSQL: ``?`` placeholders become ``%s``, ``begin immediate`` a plain
``begin`` (each turn then takes an advisory lock on its student, so one student's
turns are serialised across processes while different students' run side by
side), and the schema's ``integer primary key autoincrement`` a ``bigserial``.
Migrations are the same list of statements, versioned in ``nlpdrill_schema``.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg

from tutor.store import SCHEMA, SCHEMA_VERSION

ERRORS = (psycopg.Error,)
_PLACEHOLDER = re.compile(r"\?")


def _translate(sql: str) -> str:
    sql = sql.replace("begin immediate", "begin")
    sql = sql.replace("integer primary key autoincrement", "bigserial primary key")
    return _PLACEHOLDER.sub("%s", sql)


class Connection:
    """What the store uses of a ``sqlite3.Connection``: ``execute`` and ``close``."""

    def __init__(self, url: str) -> None:
        self._conn = psycopg.connect(url, autocommit=True)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> psycopg.Cursor[Any]:
        return self._conn.execute(_translate(sql), params)

    def close(self) -> None:
        self._conn.close()


def connect(url: str) -> Connection:
    conn = Connection(url)
    _migrate(conn)
    return conn


def _migrate(conn: Connection) -> None:
    """Bring the schema to the current version, in one transaction, once per database
    (an advisory lock keeps two processes starting at once from racing)."""
    conn.execute("begin")
    try:
        conn.execute("select pg_advisory_xact_lock(?)", (0x6E6C7064,))
        conn.execute("create table if not exists nlpdrill_schema (version integer not null)")
        row = conn.execute("select max(version) from nlpdrill_schema").fetchone()
        if row is None or row[0] is None or row[0] < SCHEMA_VERSION:
            for statement in SCHEMA:
                conn.execute(statement)
            conn.execute("delete from nlpdrill_schema")
            conn.execute("insert into nlpdrill_schema(version) values (?)", (SCHEMA_VERSION,))
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")
