"""Students sharing one progress store stay apart; a first-round store is migrated."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from content.course import Course
from tutor.engine import Engine
from tutor.store import Store


def test_two_students_never_see_each_other(course: Course, tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3", student="alice")
    alice = Engine(course, store)
    alice.start("lab11.p6.a")
    alice.say("mu^T mu")
    alice.start_quiz(3, None, 1)
    bob = Engine(course, store.as_student("bob"))
    assert bob.position is None and bob.quiz is None
    assert bob.store.attempts() == [] and bob.store.card("lab11.p6.a") is None
    assert [a.verdict for a in store.attempts("lab11.p6.a")] == ["correct"]
    # a name that looks like an internal key is just another student
    tricky = Engine(course, store.as_student("alice#quiz"))
    tricky.start("lab11.p1")
    again = Engine(course, Store(tmp_path / "p.sqlite3", student="alice"))
    assert again.quiz is not None and again.position is not None
    assert again.position.unit == "lab11.p6.a"


@pytest.mark.parametrize("name", ["", " alice", "a" * 65, "bob\x00"])
def test_a_name_that_cannot_be_a_students(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="name"):
        Store(tmp_path / "p.sqlite3", student=name)


def test_a_first_round_store_is_migrated_to_its_students(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        """
        create table attempts (id integer primary key autoincrement, session text not null,
            part text not null, text text not null, verdict text not null, at text not null,
            seed integer);
        create index attempts_part on attempts(part);
        create table cards (part text primary key, card text not null, updated text not null);
        create table reviews (id integer primary key autoincrement, part text not null,
            rating integer not null, at text not null);
        create table sessions (name text primary key, state text not null, updated text not null);
        insert into attempts(session, part, text, verdict, at) values
            ('default', 'lab11.p6.a', 'mu^T mu', 'correct', '2026-11-01T10:00:00+00:00'),
            ('tab2', 'lab11.p1', 'because', 'partial', '2026-11-01T11:00:00+00:00');
        insert into reviews(part, rating, at) values ('lab11.p6.a', 3, '2026-11-01T10:00:00+00:00');
        insert into sessions values ('default', '{"unit": "lab11.p6.a"}', 'x'),
                                    ('default#quiz', '{"questions": []}', 'x'),
                                    ('tab2', '{"unit": "lab11.p1"}', 'x');
        """
    )
    old.close()
    store = Store(path, student="carol")  # the login name of whoever opens it first
    assert [a.part for a in store.attempts()] == ["lab11.p6.a"]
    assert store.session("position") == {"unit": "lab11.p6.a"}
    assert store.session("quiz") == {"questions": []}
    tab = store.as_student("tab2")
    assert [a.verdict for a in tab.attempts()] == ["partial"]
    assert tab.session("position") == {"unit": "lab11.p1"}
    assert store.conn.execute("pragma user_version").fetchone()[0] == 1
    store.close()
    assert Store(path, student="carol").attempts()[0].text == "mu^T mu"  # opened again: as is


def test_the_protocol_names_the_student(tmp_path: Path) -> None:
    lines = [
        {"op": "start", "part": "lab11.p6.a", "student": "alice"},
        {"op": "say", "text": "mu^T mu"},
        {"op": "start", "student": "bob"},
        {"op": "state"},
        {"op": "start", "student": ""},
    ]
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "serve", "--stdio"],
        input="\n".join(json.dumps(line) for line in lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "NLPDRILL_HOME": str(tmp_path)},
        check=False,
    )
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert replies[1]["verdict"] == "correct"
    assert replies[2]["part"] == "lab11.p1"  # bob starts at the beginning
    practised = [row for row in replies[3]["progress"] if row["attempts"]]
    assert practised == []
    assert replies[4]["ok"] is False and "student" in replies[4]["error"]
