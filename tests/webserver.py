"""``nlpdrill serve --http`` as a real process on a free port, for the tests that use
it as a front end would (a real client, a real browser, many students at once)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
LOG = "server.log"  # in the server's home: what it printed


def add_student(home: Path, name: str) -> str:
    """``nlpdrill students add NAME``: the token it prints."""
    done = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "students", "add", name],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "NLPDRILL_HOME": str(home)},
    )  # fmt: skip
    return done.stdout.strip()


@contextmanager
def running(home: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The service on a free port, ready; yields its base URL and the process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    log = (home / LOG).open("w", encoding="utf-8")  # a file: a pipe nobody reads would fill
    process = subprocess.Popen(
        [sys.executable, "-m", "nlpdrill", "serve", "--http", "--port", str(port), *options],
        cwd=ROOT, env={**os.environ, "NLPDRILL_HOME": str(home)},
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
