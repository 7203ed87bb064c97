"""``nlpdrill serve --http``: the tutor engine as a web service (Starlette, served by uvicorn).

``POST /api/turn`` takes one protocol request and answers with the same reply
JSON as ``serve --stdio`` (``tutor.protocol.handle``: the same code, not a copy);
``GET /healthz`` answers ``{"ok": true}``. Every ``/api/`` call carries
``Authorization: Bearer TOKEN``; the token decides the student, so a student
reaches only their own progress. Each student has an engine of their own over
their own connection to the store, and their turns run one at a time (a lock
each), in a worker thread; different students' turns run side by side, and
SQLite (WAL, one transaction per turn) serialises their writes.

Limits: a request body of at most ``protocol.MAX_LINE`` bytes (413), and per token
a bucket of ``BURST`` requests refilled at ``RATE`` a second (429). No CORS
headers are sent, so browsers keep other sites' pages out; tokens are never logged.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from content.course import Course
from generator.templating import TEMPLATES, render
from tutor.engine import Engine
from tutor.protocol import MAX_LINE, handle
from tutor.store import Store
from tutor.tokens import Students

RATE = 5.0  # requests a second, per token, on average …
BURST = 20  # … with bursts of this many


@dataclass
class _Bucket:
    tokens: float = BURST
    at: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.at) * RATE)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Tutors:
    """One engine per student, made on their first turn, each with its own lock."""

    def __init__(self, course: Course, store_path: Path | None, url: str | None = None) -> None:
        self.course = course
        self.store_path = store_path
        self.url = url
        self._engines: dict[str, tuple[Engine, threading.Lock]] = {}
        self._guard = threading.Lock()
        # With SQLite every turn of this process takes one lock: its writers would
        # otherwise wait on each other in SQLite's busy handler, which sleeps in
        # growing steps (seconds at the 99th percentile under 50 students); the work
        # is Python's, one thread at a time, anyway. PostgreSQL: a lock per student.
        self._shared = threading.Lock() if url is None else None

    def turn(self, student: str, body: bytes) -> dict[str, Any]:
        with self._guard:
            if student not in self._engines:
                store = Store(self.store_path, student=student, url=self.url)
                lock = self._shared or threading.Lock()
                self._engines[student] = (Engine(self.course, store), lock)
            engine, lock = self._engines[student]
        with lock:
            try:
                reply, _ = handle(engine, body)
            except Exception as exc:  # an engine bug must not take the service down
                reply = {"ok": False, "error": f"internal error: {type(exc).__name__}: {exc}"}
        return reply

    def close(self) -> None:
        for engine, _ in self._engines.values():
            engine.store.close()


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status_code=status)


def create_app(
    course: Course,
    store_path: Path | None = None,
    students: Students | None = None,
    database: str | None = None,
) -> Starlette:
    """The service; ``database`` (``postgresql://…``) stores progress in PostgreSQL."""
    tutors = Tutors(course, store_path, database)
    registry = students or Students()
    buckets: dict[str, _Bucket] = {}

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    async def turn(request: Request) -> JSONResponse:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        student = registry.student(token.strip()) if scheme.lower() == "bearer" else None
        if student is None:
            return _error(401, "a valid token is needed: Authorization: Bearer TOKEN")
        if not buckets.setdefault(token, _Bucket()).take():
            return _error(429, f"too many requests: at most {RATE:g} a second, on average")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_LINE:
            return _error(413, f"a request is at most {MAX_LINE} bytes")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_LINE:
                return _error(413, f"a request is at most {MAX_LINE} bytes")
        refused = _other_student(body, student)
        if refused is not None:
            return _error(403, refused)
        reply = await run_in_threadpool(tutors.turn, student, body)
        if request.query_params.get("render") == "html":  # the chat page's form of it
            from tutor.webrender import with_html

            reply = await run_in_threadpool(with_html, reply)
        return JSONResponse(reply)

    async def page(request: Request) -> HTMLResponse:
        title = course.title or f"{course.lab.course} · {course.lab.title}"
        return HTMLResponse(render("web/chat.html", title=title))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        tutors.close()

    return Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/api/turn", turn, methods=["POST"]),
            Mount("/static", StaticFiles(directory=TEMPLATES / "web"), name="static"),
        ],
        lifespan=lifespan,
    )


def _other_student(body: bytes, student: str) -> str | None:
    """A request naming another student than its token's is refused (the token decides)."""
    try:
        request = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None  # the protocol answers a malformed request itself
    named = request.get("student") if isinstance(request, dict) else None
    if named is not None and named != student:
        return "this token is another student's: a request may name only its own student"
    return None


def run(course: Course, host: str, port: int, database: str | None = None) -> int:
    import uvicorn

    app = create_app(course, database=database)
    uvicorn.run(app, host=host, port=port, log_level="info")
    return 0
