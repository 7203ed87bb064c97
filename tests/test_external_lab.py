"""A lab written outside the project, from the docs alone (``tests/labs/emb``: word
embeddings — softmax and cross-entropy, skip-gram with negative sampling, perplexity —
written by a new author with only the README, docs/format.md, the JSON Schemas and the
CLI). It is kept so that every change of the format is tried on a lab its authors did
not write: it must still check, build and grade."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = ROOT / "tests" / "labs" / "emb"


def nlpdrill(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nlpdrill", *args],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip


def test_the_lab_written_from_the_docs_alone_still_checks_builds_and_grades(
    tmp_path: Path,
) -> None:
    lab = tmp_path / "emb"
    shutil.copytree(EXTERNAL, lab, ignore=shutil.ignore_patterns("__pycache__"))
    checked = nlpdrill("check", str(lab))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "9 of 9 proven" in checked.stdout
    built = nlpdrill("build", str(lab), "-o", str(tmp_path / "emb.apkg"))
    assert built.returncode == 0, built.stderr
    assert "9 notes" in built.stdout
    # its lock is current: nothing new, and no note type it does not use (it has no cloze)
    assert "0 new, 0 changed, 9 unchanged, 0 removed" in built.stdout, built.stdout
    right = nlpdrill("grade", "emb.p1.a", "softmax(z) - y", "--content", str(lab))
    assert right.stdout.splitlines()[1].startswith("correct"), right.stdout
    wrong = nlpdrill("grade", "emb.p1.a", "y - softmax(z)", "--content", str(lab))
    assert wrong.stdout.splitlines()[1].startswith("incorrect"), wrong.stdout
    reason = nlpdrill("grade", "emb.p3.b", "false, perplexity is 1/p and p is at most 1",
                      "--content", str(lab))  # fmt: skip
    assert reason.returncode == 0 and reason.stdout.splitlines()[1].split(":")[0] in (
        "correct",
        "partial",
    ), reason.stdout
