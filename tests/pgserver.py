"""A real PostgreSQL server for the tests: its own data folder and socket under the
test's tmp folder, started with the machine's binaries (never a mock).

``.ci/run`` installs Debian's ``postgresql`` where its binaries are missing and sets
``NLPDRILL_REQUIRE_POSTGRES=1``; elsewhere the PostgreSQL tests are skipped when
there is no server binary.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def postgres() -> Iterator[str]:
    """A fresh server in a folder of its own; yields its URL. The folder is made under
    the system's temporary folder, not pytest's (which the server user cannot enter),
    with a short path (a socket's path has at most 107 bytes)."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    missing = initdb is None or pg_ctl is None
    if not missing and os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing = True
    if missing:
        message = "no PostgreSQL server binaries (or no postgres user) on this machine"
        if os.environ.get("NLPDRILL_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    assert initdb is not None and pg_ctl is not None
    folder = Path(tempfile.mkdtemp(prefix="nlpdrill-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    subprocess.run(
        _as_server_user([initdb, "-D", str(data), "-A", "trust", "-U", "nlpdrill"]),
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses= -c fsync=off"
    subprocess.run(
        _as_server_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"),
                         "-w", "start"]),
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        url = f"postgresql://nlpdrill@/postgres?host={folder}&port={port}"
        import psycopg

        for _ in range(100):
            try:
                psycopg.connect(url).close()
                break
            except psycopg.OperationalError:
                time.sleep(0.1)
        yield url
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
