"""Authors save half-edited files: each mutation gives a clear error naming file and line,
``check`` and ``build`` exit non-zero, and the last good deck stays where it was."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

# (file, old, new, what the error must say); the error must also name the file and a line.
MUTATIONS = [
    ("p6.yaml", "title: Scaled", "title: [Scaled", "YAML syntax"),
    ("p6.yaml", "parts:\n", "parts:\n  - id: x\n   kind: [\n", "YAML syntax"),
    ("p2.yaml", "\tGRU", "\tGRU", "YAML"),  # placeholder replaced below by a tab
    (
        "p3.yaml",
        "    verdict: false\n    simulate: lstm_zero_input\n",
        "    simulate: lstm_zero_input\n",
        "missing field 'verdict'",
    ),
    (
        "p6.yaml",
        "    kind: expression\n    prompt: Define $\\mathbb{E}",
        "    prompt: Define $\\mathbb{E}",
        "missing field 'kind'",
    ),
    ("p6.yaml", 'points: 3, where: {d: "integer 2..10"}}', "points: many}", "valid integer"),
    ("p2.yaml", "    verdict: true\n", "    verdict: maybe\n", "boolean"),
    ("p3.yaml", "  - id: d\n", "  - id: c\n", "duplicate id 'lab11.p3.c'"),
    ("p7.yaml", "kind: multipart", "kind: multi_part", "unknown kind"),
    ("p3.yaml", "simulate: lstm_zero_input", "simulate: no_such_simulation", "unknown simulation"),
    ("p6.yaml", 'answer: "mu^T mu"', 'answer: "mu^T mu +"', "cannot read the reference answer"),
    ("p6.yaml", 'answer: "mu^T mu"', 'answer: "mu^T q"', "unknown name 'q'"),
    (
        "p5.yaml",
        'answer: "softmax(Q K^T) V"',
        'answer: "softmax(K Q^T) V"',
        "does not fit together",
    ),
    ("p6.yaml", '  mu: "vector[d] -2..2"', '  mu: "tensor[d]"', "cannot read the declaration"),
    (
        "p2.yaml",
        "title: GRU gates",
        "title: !!python/object/apply:os.system ['echo pwned']",
        "not allowed",
    ),
    ("p2.yaml", "title: GRU gates", "title: !!python/name:os.system", "not allowed"),
    (
        "p6.yaml",
        '    hints:\n      - "Write qᵀk',
        '    hint:\n      - "Write qᵀk',
        "unknown field 'hint'",
    ),
    ("lab.yaml", "deck:", "dekc:", "unknown field"),
]
MUTATIONS[2] = ("p2.yaml", "title: GRU gates", "title: GRU gates\n\tsource: tab", "YAML syntax")


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NLPDRILL_HOME": str(home), "NLPDRILL_SIM_TIMEOUT": "3"}
    return subprocess.run(
        [sys.executable, "-m", "nlpdrill", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip


def mutate(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def good_deck(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    out = tmp_path_factory.mktemp("deck") / "lab11.apkg"
    result = run(tmp_path_factory.mktemp("home"), "build", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, out.read_bytes()


@pytest.mark.parametrize(("file", "old", "new", "words"), MUTATIONS, ids=[m[3] for m in MUTATIONS])
def test_mutation_is_reported_and_builds_nothing(
    content_copy: Path,
    tmp_path: Path,
    good_deck: tuple[Path, bytes],
    file: str,
    old: str,
    new: str,
    words: str,
) -> None:
    mutate(content_copy, file, old, new)
    check = run(tmp_path, "check", str(content_copy))
    assert check.returncode == 1
    output = check.stdout + check.stderr
    assert words in output, output[-2000:]
    assert re.search(rf"{re.escape(str(content_copy / file))}:\d+:\d+: ", output), output[-2000:]
    assert "Traceback" not in output
    deck, data = good_deck
    build = run(tmp_path, "build", str(content_copy), "-o", str(deck))
    assert build.returncode == 1
    assert deck.read_bytes() == data
    assert "pwned" not in output + build.stdout


SIMULATION_FAULTS = [
    ("def lstm_zero_input(rng: Rng) -> Finding:\n", "def lstm_zero_input(rng: Rng) -> Finding:\n    raise RuntimeError('broken on purpose')\n", "RuntimeError: broken on purpose"),
    ("def lstm_zero_input(rng: Rng) -> Finding:\n", "def lstm_zero_input(rng: Rng) -> Finding:\n    while True:\n        pass\n", "did not return within 3 s"),
    ("def dot_product_mean(point: dict[str, Any], rng: Rng) -> Estimate:\n", "def dot_product_mean(point: dict[str, Any], rng: Rng) -> Estimate:\n    return 42  # type: ignore\n", "expected Estimate"),
    ("import numpy as np\n", "import numpy as np\nimport no_such_module\n", "cannot import"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "words"),
    SIMULATION_FAULTS,
    ids=["raises", "never returns", "wrong type", "import"],
)
def test_a_broken_simulation_fails_the_check_clearly(
    content_copy: Path,
    tmp_path: Path,
    good_deck: tuple[Path, bytes],
    old: str,
    new: str,
    words: str,
) -> None:
    mutate(content_copy, "simulations.py", old, new)
    check = run(tmp_path, "check", str(content_copy))
    assert check.returncode == 1
    output = check.stdout + check.stderr
    assert words in output, output[-3000:]
    assert "simulations.py" in output
    deck, data = good_deck
    assert run(tmp_path, "build", str(content_copy), "-o", str(deck)).returncode == 1
    assert deck.read_bytes() == data
