"""A formula in content cannot script the printed quiz (latex2mathml copies ``\\text{…}``
verbatim and ``\\href`` into an attribute; its output goes through an allow-list)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from content import BUNDLED
from tests.cardpages import CHROMIUM_FLAGS, browser

ROOT = Path(__file__).resolve().parent.parent.parent
PAYLOADS = (
    r"$\text{<img src=x onerror=\"document.title='pwned-img'\">}$",
    r"$\text{<svg/onload=\"document.title='pwned-svg'\">}$",
    r"$\href{javascript:document.title='pwned-href'}{x}$",
    r"$\text{<script>document.title='pwned-script'</script>}$",
)


def _planted_quiz(tmp_path: Path) -> Path:
    content = tmp_path / "lab11"
    shutil.copytree(BUNDLED, content, ignore=shutil.ignore_patterns("__pycache__"))
    problem = content / "p6.yaml"
    text = problem.read_text(encoding="utf-8")
    planted = text.replace("context: |\n", "context: |\n  " + " ".join(PAYLOADS) + "\n", 1)
    assert planted != text
    problem.write_text(planted, encoding="utf-8")
    out = tmp_path / "quiz"
    done = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "quiz", str(content), "--problems", "6",
         "--count", "3", "--seed", "1", "-o", str(out)],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
        env={**os.environ, "NLPDRILL_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def test_no_markup_from_a_formula_survives_into_the_quiz(tmp_path: Path) -> None:
    out = _planted_quiz(tmp_path)
    for name in ("quiz.html", "key.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert "<math" in page
        if name == "quiz.html":  # the planted formulas are there, as harmless MathML
            assert page.count("<mtext></mtext>") >= 3
        for live in ("onerror", "onload", "javascript:", "<script", "<img", "<svg"):
            assert live not in page, f"{name}: {live}"


def test_no_script_runs_when_the_quiz_is_opened(tmp_path: Path) -> None:
    chromium, _ = browser()
    out = _planted_quiz(tmp_path)
    for name in ("quiz.html", "key.html"):
        done = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, "--virtual-time-budget=5000", "--dump-dom",
             (out / name).as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert "<math" in done.stdout, done.stderr[-500:]
        title = re.search(r"<title>(.*?)</title>", done.stdout, re.DOTALL)
        assert title is not None and "pwned" not in title.group(1)
        assert "pwned" not in done.stdout.split("</head>")[0]
