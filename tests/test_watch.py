"""``nlpdrill watch`` rebuilds on save and reports errors without dying."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wait_for(output: Path, text: str, count: int = 1, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = output.read_text(encoding="utf-8", errors="replace")
        if seen.count(text) >= count:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear {count}×:\n{output.read_text()}")


def test_watch_rebuilds_and_survives_a_broken_save(content_copy: Path, tmp_path: Path) -> None:
    log = tmp_path / "watch.log"
    deck = tmp_path / "deck.apkg"
    env = {**os.environ, "NLPDRILL_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "nlpdrill", "watch", str(content_copy), "-o", str(deck)],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(log, "wrote ")
            p6 = content_copy / "p6.yaml"
            good = p6.read_text(encoding="utf-8")
            p6.write_text(good.replace("title: Scaled", "title: [Scaled", 1), encoding="utf-8")
            text = wait_for(log, "not rebuilt")
            assert "p6.yaml:" in text and "YAML syntax" in text
            assert proc.poll() is None, "watch died on a broken file"
            p6.write_text(
                good.replace("Define $\\mathbb{E}", "Give $\\mathbb{E}", 1), encoding="utf-8"
            )
            text = wait_for(log, "wrote ", count=2)
            assert "changed: lab11.p6.a" in text
        finally:
            proc.terminate()
            proc.wait(timeout=20)
