"""``nlpdrill serve --stdio``: the tutor engine over JSON lines.

One request per line in, one reply per line out, in order. A malformed line
gets ``{"ok": false, "error": …}`` and the server carries on. Lines longer than
``MAX_LINE`` bytes are refused without being held in memory.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from typing import IO, Any

from tutor.engine import Engine, NotSaved

MAX_LINE = 64 * 1024
_CHUNK = 64 * 1024


def read_lines(stream: IO[bytes]) -> Any:
    """Yield each line as bytes, or None for a line that was too long (already skipped)."""
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of it, a chunk at a time
                line = stream.readline(_CHUNK)
            yield None
            continue
        yield line


def handle(engine: Engine, raw: bytes | None) -> tuple[dict[str, Any], bool]:
    """The reply to one request line, and whether the session ends."""
    if raw is None:
        return _error(f"line too long (at most {MAX_LINE} bytes)"), False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error(f"not UTF-8: {exc.reason} at byte {exc.start}"), False
    if not text.strip():
        return _error("empty line: send one JSON object per line"), False
    try:
        request = _whole_characters(json.loads(text))
    except json.JSONDecodeError as exc:
        return _error(f"not JSON: {exc.msg} at column {exc.colno}"), False
    if not isinstance(request, dict):
        return _error('a request is a JSON object, e.g. {"op": "state"}'), False
    op = request.get("op")
    handler = _OPS.get(op) if isinstance(op, str) else None
    if handler is None:
        return _error(f"unknown op {op!r}; known: {', '.join(sorted(_OPS))}"), False
    try:
        return handler(engine, request), op == "quit"
    except KeyError as exc:
        return _error(str(exc.args[0]) if exc.args else "unknown part"), False
    except (_BadRequest, NotSaved) as exc:
        return _error(str(exc)), False


class _BadRequest(Exception):
    pass


def _whole_characters(value: Any) -> Any:
    """Every string with its lone surrogates (half an emoji, cut by a JavaScript front
    end: JSON allows "\\ud800") replaced by U+FFFD, so that nothing downstream meets a
    string it cannot encode."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_whole_characters(v) for v in value]
    if isinstance(value, dict):
        return {_whole_characters(k): _whole_characters(v) for k, v in value.items()}
    return value


def _error(message: str) -> dict[str, Any]:
    return {"ok": False, "error": message}


def _start(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    part = request.get("part")
    if part is not None and not isinstance(part, str):
        raise _BadRequest("'part' must be a part id such as \"lab11.p6.b\"")
    student = request.get("student")
    if student is not None:
        if not isinstance(student, str):
            raise _BadRequest("'student' must be a name such as \"alice\"")
        try:
            engine.switch_student(student)
        except ValueError as exc:
            raise _BadRequest(f"'student': {exc}") from exc
    return engine.start(part).to_json()


def _say(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    text = request.get("text")
    if not isinstance(text, str):
        raise _BadRequest("'say' needs a 'text' string")
    return engine.say(text).to_json()


def _quiz(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    count = request.get("count", 10)
    problems = request.get("problems")
    seed = request.get("seed")
    if not isinstance(count, int) or not 1 <= count <= 50:
        raise _BadRequest("'count' must be a whole number from 1 to 50")
    if problems is not None and not (
        isinstance(problems, list) and all(isinstance(p, str) for p in problems)
    ):
        raise _BadRequest('\'problems\' must be a list of problem numbers, e.g. ["6", "7"]')
    if seed is not None and not isinstance(seed, int):
        raise _BadRequest("'seed' must be a whole number")
    try:
        return engine.start_quiz(count, problems, seed).to_json()
    except ValueError as exc:
        raise _BadRequest(str(exc)) from exc


def _state(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    return engine.state()


def _quit(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    return engine.quit().to_json()


def _parts(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    return {
        "ok": True,
        "part": engine.position.current if engine.position else None,
        "parts": [
            {
                "part": item.id,
                "problem": item.problem.source,
                "title": item.problem.title,
                "kind": item.kind,
            }
            for item in engine.course.top_items()
        ],
    }


_OPS: dict[str, Callable[[Engine, dict[str, Any]], dict[str, Any]]] = {
    "start": _start,
    "say": _say,
    "state": _state,
    "quit": _quit,
    "parts": _parts,
    "quiz": _quiz,
}


def serve(engine: Engine, stdin: IO[bytes] | None = None, stdout: IO[str] | None = None) -> int:
    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout
    for raw in read_lines(source):
        try:
            # a print() in a content's simulations must not corrupt the reply stream
            with contextlib.redirect_stdout(sys.stderr):
                reply, finished = handle(engine, raw)
        except Exception as exc:  # an engine bug must not kill the session
            reply, finished = _error(f"internal error: {type(exc).__name__}: {exc}"), False
        line = json.dumps(reply, ensure_ascii=False)
        sink.write(line.encode("utf-8", "replace").decode("utf-8") + "\n")  # always encodable
        sink.flush()
        if finished:
            break
    return 0
