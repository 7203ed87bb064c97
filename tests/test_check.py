"""``check`` proves the bundled content, and catches a planted error in every problem."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from content.course import load_course
from content.judge import Judge
from content.prove import prove_item


def run_check(path: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "nlpdrill", "check"] + ([str(path)] if path else [])
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_bundled_content_is_proven() -> None:
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("ok", "FAIL"))]
    ids = [line.split()[1] for line in lines]
    assert "lab11.p6.b" in ids and "lab11.p2.a.s1" in ids
    assert all(line.startswith("ok") for line in lines)
    var_line = next(line for line in lines if line.split()[1] == "lab11.p6.b")
    assert re.search(r"simulated [\d.]+ ± [\d.]+ \(n = \d+\), formula [\d.]+", var_line)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PLANTED = [
    # (file, old, new, part id, words the failure must contain)
    (
        "p2.yaml",
        'answer: "1 - sigma(x)"',
        'answer: "sigma(x)"',
        "lab11.p2.a",
        "disagrees with simulation",
    ),
    (
        "p2.yaml",
        'answer: "1/(1 + exp(x))"',
        'answer: "1/(1 + exp(-x))"',
        "lab11.p2.a.s1",
        "disagrees",
    ),
    ("p2.yaml", "verdict: false", "verdict: true", "lab11.p2.c", "shows the statement is false"),
    (
        "p3.yaml",
        "verdict: false\n    simulate: lstm_zero_input",
        "verdict: true\n    simulate: lstm_zero_input",
        "lab11.p3.a",
        "the content says true",
    ),
    (
        "p3.yaml",
        "verdict: true\n    simulate: lstm_gates_nonnegative",
        "verdict: false\n    simulate: lstm_gates_nonnegative",
        "lab11.p3.c",
        "shows the statement is true",
    ),
    (
        "p6.yaml",
        'answer: "2 sigma^2 ||mu||^2 + d sigma^4"',
        'answer: "sigma^2 ||mu||^2 + d sigma^4"',
        "lab11.p6.b",
        "standard errors",
    ),
    (
        "p6.yaml",
        'answer: "mu^T mu"',
        'answer: "mu^T mu + d sigma^2"',
        "lab11.p6.a",
        "disagrees with simulation",
    ),
    ("p6.yaml", "answer: b\n", "answer: a\n", "lab11.p6.d.s2", "supports (b)"),
    ("p1.yaml", 'answer: "0.9^50"', 'answer: "0.9^49"', "lab11.p1.s1", "disagrees with simulation"),
    ("p1.yaml", "verdict: false", "verdict: true", "lab11.p1.s4", "shows the statement is false"),
    ("p4.yaml", 'answer: "diag(f_t)"', 'answer: "diag(f_t + i_t)"', "lab11.p4.a.s1", "disagrees"),
    (
        "p4.yaml",
        'answer: "i_t ∘ (1 - Ctilde_t^2) ∘ (x_t V)"',
        'answer: "f_t ∘ (1 - Ctilde_t^2) ∘ (x_t V)"',
        "lab11.p4.a.s6",
        "disagrees",
    ),
    (  # the cell path alone, as the first round had it: finite differences of J disagree
        "p4.yaml",
        'answer: "dJ/dh_t (dh_t/dh_{t-1} dh_{t-1}/dW_g + dh_t/dC_t (dC_t/dC_{t-1} dC_{t-1}/dW_g'
        ' + dC_t/dW_g))"',
        'answer: "dJ/dh_t dh_t/dC_t (dC_t/dC_{t-1} dC_{t-1}/dW_g + dC_t/dW_g)"',
        "lab11.p4.a",
        "disagrees",
    ),
    ("p4.yaml", 'answer: "f^k"', 'answer: "f^(k-1)"', "lab11.p4.b.s1", "disagrees"),
    (  # a short answer with no experiment behind it
        "p7.yaml",
        "    demonstrations: [encoder_reads_only_the_source]\n",
        "",
        "lab11.p7.4",
        "no simulation backs",
    ),
    (
        "p5.yaml",
        'answer: "softmax(Q K^T) V"',
        'answer: "softmax(Q K^T / sqrt(d)) V"',
        "lab11.p5.b",
        "disagrees with simulation attention_by_loops",
    ),
    ("p5.yaml", "answer: a\n", "answer: b\n", "lab11.p5.a.s3", "supports (a)"),
    ("p7.yaml", 'answer: "O(M^2 k)"', 'answer: "O(M^2)"', "lab11.p7.3.s1", "count grows with 1.00"),
    (
        "p7.yaml",
        'answer: "O(N^2 k + N M k)"',
        'answer: "O(N^2 k)"',
        "lab11.p7.4.s2",
        "operation count",
    ),
    (  # an accepted answer that is the reference itself: its note would never show
        "p5.yaml",
        '- answer: "softmax(Q K^T / sqrt(d)) V"',
        '- answer: "1 * softmax(Q K^T) V"',
        "lab11.p5.b",
        "has the reference's value",
    ),
    (  # a model reason a misconception catches: which patterns to look at
        "p3.yaml",
        'so every entry is positive"',
        'so every entry is positive, a binary switch"',
        "lab11.p3.c",
        "one of its patterns",
    ),
    (
        "p7.yaml",
        "verdict: false\n        simulate: encoder_ignores_decoder",
        "verdict: true\n        simulate: encoder_ignores_decoder",
        "lab11.p7.4.s1",
        "shows the statement is false",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "part", "words"), PLANTED, ids=[p[3] for p in PLANTED]
)
def test_planted_error_is_caught(
    content_copy: Path, file: str, old: str, new: str, part: str, words: str
) -> None:
    _replace(content_copy / file, old, new)
    course = load_course(content_copy)
    proof = prove_item(Judge(course), course.item(part))
    assert not proof.ok
    assert any(words in failure for failure in proof.failures), proof.failures


def test_check_exits_nonzero_and_names_the_part(content_copy: Path) -> None:
    _replace(
        content_copy / "p6.yaml", 'answer: "2 sigma^2 ||mu||^2 + d sigma^4"', 'answer: "d sigma^4"'
    )
    result = run_check(content_copy)
    assert result.returncode == 1
    assert re.search(r"^FAIL\s+lab11\.p6\.b", result.stdout, re.MULTILINE)
    assert "1 failed" in result.stdout or "failed" in result.stdout


def test_a_listed_mistake_that_is_right_fails_the_check(content_copy: Path) -> None:
    _replace(
        content_copy / "p6.yaml",
        '- answer: "d sigma^4"\n',
        '- answer: "d sigma^4 + 2 sigma^2 mu^T mu"\n',
    )
    course = load_course(content_copy)
    proof = prove_item(Judge(course), course.item("lab11.p6.b"))
    assert any("is judged correct" in f for f in proof.failures)


def test_the_readme_table_of_what_backs_each_part_is_current() -> None:
    """The README's table is written from the content and the simulations' docstrings."""
    from content.provenance import table

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- provenance:start -->\n")[1].split("\n<!-- provenance:end -->")[0]
    current = table(load_course())
    assert block == current, "README is stale: run `python -m content.provenance --write`"
    for row in current.splitlines()[2:]:
        assert not row.endswith("|  |"), f"a simulation without a docstring: {row}"


SOFTMAX_CLAIM = """\
  - patterns: ["{gate} + (use|apply|pass) + softmax"]
    feedback: "Each gate is its own sigmoid: no softmax normalises f, i and o."
"""


def _with_a_wrong_claim(folder: Path, claim: str = SOFTMAX_CLAIM) -> Path:
    """The lab with ``claim`` first among its wrong claims (``misconceptions:``)."""
    lab = folder / "lab.yaml"
    text = lab.read_text(encoding="utf-8")
    if "\nmisconceptions:\n" in text:
        text = text.replace("\nmisconceptions:\n", "\nmisconceptions:\n" + claim, 1)
    else:
        text += "\nmisconceptions:\n" + claim
    lab.write_text(text, encoding="utf-8")
    return folder


def test_a_wrong_claim_of_the_lab_is_read_in_the_reason_of_every_part(
    content_copy: Path,
) -> None:
    """A false 'bonus fact' after a right reason, in any part: the lab's wrong claims."""
    course = load_course(_with_a_wrong_claim(content_copy))
    judge = Judge(course)
    bonus = " Also, the gates use a softmax over f, i and o."
    for part, sound in (
        ("lab11.p3.c", "True: f, i and o are sigmoid outputs, so every entry is in (0, 1)."),
        ("lab11.p7.4.s1", "False: the encoder reads only the source; nothing flows back."),
    ):
        assert judge.judge(course.item(part), sound).verdict == "correct"
        got = judge.judge(course.item(part), sound + bonus)
        assert got.verdict == "incorrect"
        assert "Each gate is its own sigmoid" in got.feedback
    # the part's own misconception comes first: its feedback is the more precise
    own = "True: they are sigmoids, and the gates use a softmax so they sum to one."
    bundled = Judge(load_course())
    assert (
        judge.judge(course.item("lab11.p3.d"), own).feedback
        == bundled.judge(bundled.course.item("lab11.p3.d"), own).feedback
    )


def _check_with_a_wrong_claim(
    folder: Path, patterns: str
) -> tuple[Path, int, subprocess.CompletedProcess[str]]:
    """``check`` on the lab with a wrong claim of ``patterns`` first: lab.yaml, the
    claim's line in it, and the result."""
    claim = f'  - patterns: {patterns}\n    feedback: "No."\n'
    lab = _with_a_wrong_claim(folder, claim) / "lab.yaml"
    line = lab.read_text(encoding="utf-8").splitlines().index("misconceptions:") + 2
    result = run_check(folder)
    assert result.returncode != 0
    return lab, line, result


def test_check_names_the_wrong_claim_of_the_lab_that_fails_a_sound_reason(
    content_copy: Path,
) -> None:
    lab, line, result = _check_with_a_wrong_claim(content_copy, '["sigmoid + (0|1)"]')
    assert f"(the wrong claim at {lab}:{line}:5 matched it)" in result.stdout


def test_check_does_not_name_the_lab_for_the_part_s_own_misconception(
    content_copy: Path,
) -> None:
    """A lab claim worded exactly like a part's misconception: a reason the part's own
    misconception judged is not blamed on lab.yaml (the claim is known by where it came
    from, not by its patterns)."""
    from content.prove import _lab_claim_at

    patterns = '["{gate} > (compute*|use*|apply*) > softmax", "tanh (apply|applied|use)"]'
    _with_a_wrong_claim(content_copy, f'  - patterns: {patterns}\n    feedback: "No."\n')
    judge = Judge(load_course(content_copy))
    bonus = "They are sigmoids, and the gates use a softmax so they sum to one."
    for part, blamed in (("lab11.p3.d", False), ("lab11.p7.1.s1", True)):
        item = judge.course.item(part)
        got = judge.judge(item, "True: " + bonus)
        assert got.verdict == "incorrect"
        named = f"(the wrong claim at {content_copy / 'lab.yaml'}:" in _lab_claim_at(
            judge, item, got
        )
        assert named == blamed, part


def test_an_unusable_pattern_of_a_wrong_claim_is_an_error_with_its_line(
    content_copy: Path,
) -> None:
    lab, line, result = _check_with_a_wrong_claim(content_copy, '["z", "(like|giống) softmax"]')
    assert f"{lab}:{line}:" in result.stderr and "single letter" in result.stderr
    assert "function words" in result.stderr  # the silent alternative, already at load


def test_a_proof_is_not_reused_after_the_lab_changes_how_reasons_are_read(
    content_copy: Path,
) -> None:
    from content.prove import proof_key

    item = load_course(content_copy).item("lab11.p3.d")
    before = proof_key(item, load_course(content_copy).lab)
    _with_a_wrong_claim(content_copy)
    edited = load_course(content_copy)
    assert proof_key(edited.item("lab11.p3.d"), edited.lab) != before


SIGMOID_WEIGHTS = (
    '      - patterns: ["attention weight* + (compute*|use*) + sigmoid", '
    '"attention weight* + independent*"]\n'
    "        denies: [3]\n"
)


def test_a_misconception_denying_an_idea_the_part_lacks_is_an_error_with_its_line(
    content_copy: Path,
) -> None:
    _replace(content_copy / "p5.yaml", SIGMOID_WEIGHTS, SIGMOID_WEIGHTS.replace("[3]", "[9]"))
    result = run_check(content_copy)
    line = next(
        n
        for n, text in enumerate((content_copy / "p5.yaml").read_text().splitlines(), 1)
        if "denies: [9]" in text
    )
    assert result.returncode != 0
    assert f"p5.yaml:{line}:" in result.stderr and "denies key idea 9" in result.stderr


def test_a_denied_idea_that_the_feedback_does_not_restate_fails_the_check(
    content_copy: Path,
) -> None:
    """ "Denies the softmax" is shown by a correction that says the softmax: a denial of
    an idea the feedback never mentions fails the proof."""
    _replace(content_copy / "p5.yaml", SIGMOID_WEIGHTS, SIGMOID_WEIGHTS.replace("[3]", "[1]"))
    course = load_course(content_copy)
    proof = prove_item(Judge(course), course.item("lab11.p5.a"))
    assert any("does not restate it" in failure for failure in proof.failures), proof.failures
