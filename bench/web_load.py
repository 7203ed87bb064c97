"""The web service under load: 50 students at once, each taking lab 11 turns over HTTP,
against the same turns taken in process (one engine per student, one at a time).

``turns(...)`` is also the script of the load test: start Problem 6(b), then answer,
rate and move on as a student does.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

STUDENTS, TURNS = 50, 20
# A student reads each reply before the next turn: 50 students who never pause would
# measure only the queue in front of one Python process (latency ≈ 50 × a turn).
THINK_S = (0.1, 0.4)  # seconds, drawn per turn (seeded): students do not move in lockstep
SAYINGS = ["d sigma^4", "d sigma^4 + 2 sigma^2 ||mu||^2", "good", "next", "2 d sigma^2"]


def requests() -> list[dict[str, str]]:
    """One student's session, as protocol requests."""
    start = {"op": "start", "part": "lab11.p6.b"}
    return [start] + [{"op": "say", "text": SAYINGS[n % len(SAYINGS)]} for n in range(TURNS - 1)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def warm(root: Path, home: Path) -> None:
    """``nlpdrill check`` in ``home``: the simulations' results cached, as on a server
    whose TA checked the content before the class (a cold cache would measure them)."""
    env = {**os.environ, "NLPDRILL_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "nlpdrill", "check", "-q"],
        cwd=root, env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def over_http(root: Path, home: Path) -> dict[str, float]:
    """p50 and p99 of one turn, in ms, with every student's session running at once
    (each pausing ``THINK_S`` seconds between turns)."""
    import httpx2 as httpx

    from tutor.tokens import Students

    registry = Students(home / "students.sqlite3")
    tokens = [registry.add(f"s{k:02d}") for k in range(STUDENTS)]
    registry.close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {**os.environ, "NLPDRILL_HOME": str(home)}
    with (home / "server.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "nlpdrill", "serve", "--http", "--port", str(port)],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)

            def session(token: str) -> list[float]:
                # The standard library's keep-alive client: a heavier client's own
                # Python work, in 50 threads sharing one GIL, would be timed as the
                # server's.
                pause = random.Random(tokens.index(token))
                took = []
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                try:
                    for request in requests():
                        time.sleep(pause.uniform(*THINK_S))
                        body = json.dumps(request).encode()
                        started = time.perf_counter()
                        connection.request("POST", "/api/turn", body=body, headers=headers)
                        reply = connection.getresponse()
                        text = reply.read()
                        took.append((time.perf_counter() - started) * 1000)
                        assert reply.status == 200, text
                finally:
                    connection.close()
                return took

            with ThreadPoolExecutor(STUDENTS) as pool:
                times = [t for took in pool.map(session, tokens) for t in took]
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "http_turn_p50_ms": statistics.median(times),
        "http_turn_p99_ms": _percentile(times, 0.99),
    }


def in_process(home: Path) -> dict[str, float]:
    """The same sessions, each turn through the protocol's own handler, no HTTP."""
    os.environ["NLPDRILL_HOME"] = str(home)
    from content.course import load_course
    from tutor.engine import Engine
    from tutor.protocol import handle
    from tutor.store import Store

    course = load_course()
    times = []
    for k in range(STUDENTS):
        store = Store(home / "progress.sqlite3", student=f"s{k:02d}")
        engine = Engine(course, store)
        for request in requests():
            body = json.dumps(request).encode()
            started = time.perf_counter()
            handle(engine, body)
            times.append((time.perf_counter() - started) * 1000)
        store.close()
    return {"engine_turn_p50_ms": statistics.median(times)}
