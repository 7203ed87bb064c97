"""Bad content gives clear errors naming file, line and column, all at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from content.course import load_course
from content.errors import ContentErrors


def errors_for(folder: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_course(folder)
    return [str(e) for e in caught.value.errors]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_yaml_syntax_error(content_copy: Path) -> None:
    p6 = content_copy / "p6.yaml"
    edit(p6, "title: Scaled dot-product attention", "title: [Scaled dot-product attention")
    (error,) = errors_for(content_copy)
    assert error.startswith(f"{p6}:")
    assert "YAML syntax" in error


def test_missing_field(content_copy: Path) -> None:
    p3 = content_copy / "p3.yaml"
    line = line_of(p3, ["verdict: true", "    simulate: lstm_gates_nonnegative"][0])
    edit(
        p3,
        "    verdict: true\n    simulate: lstm_gates_nonnegative\n",
        "    simulate: lstm_gates_nonnegative\n",
    )
    (error,) = errors_for(content_copy)
    assert "parts[2]: missing field 'verdict'" in error
    assert re.match(rf"{re.escape(str(p3))}:\d+:\d+: ", error)
    assert int(error.split(":")[1]) < line  # points at the part that lacks it


def test_wrong_type(content_copy: Path) -> None:
    p2 = content_copy / "p2.yaml"
    edit(p2, "    verdict: true\n", "    verdict: [true]\n")
    (error,) = errors_for(content_copy)
    assert f"{p2}:{line_of(p2, 'verdict: [true]')}:" in error
    assert "parts[1].verdict" in error and "boolean" in error


def test_duplicate_id(content_copy: Path) -> None:
    p3 = content_copy / "p3.yaml"
    edit(p3, "  - id: d\n", "  - id: c\n")
    (error,) = errors_for(content_copy)
    assert "duplicate id 'lab11.p3.c'" in error
    second = [n for n, text in enumerate(p3.read_text().splitlines(), 1) if "- id: c" in text][1]
    assert f"{p3}:{second}:" in error


def test_unknown_simulation(content_copy: Path) -> None:
    p3 = content_copy / "p3.yaml"
    edit(p3, "simulate: lstm_zero_input", "simulate: lstm_zero_inputs")
    (error,) = errors_for(content_copy)
    assert f"{p3}:{line_of(p3, 'lstm_zero_inputs')}:" in error
    assert (
        "unknown simulation 'lstm_zero_inputs'" in error
        and "did you mean 'lstm_zero_input'" in error
    )


def test_unreadable_reference_answer(content_copy: Path) -> None:
    p6 = content_copy / "p6.yaml"
    edit(p6, 'answer: "mu^T mu"', 'answer: "mu^T mu +"')
    (error,) = errors_for(content_copy)
    line = line_of(p6, 'answer: "mu^T mu +"')
    assert f"{p6}:{line}:" in error
    assert "cannot read the reference answer" in error and "expected" in error


def test_unknown_field_suggests_the_right_one(content_copy: Path) -> None:
    p6 = content_copy / "p6.yaml"
    edit(p6, '    hints:\n      - "Write qᵀk', '    hint:\n      - "Write qᵀk')
    errors = errors_for(content_copy)
    assert any("unknown field 'hint'; did you mean 'hints'?" in e for e in errors)
    assert any("missing field 'hints'" in e for e in errors)


def test_all_errors_are_reported_at_once(content_copy: Path) -> None:
    edit(content_copy / "p2.yaml", "simulate: gru_update_gate_closed", "simulate: nope")
    edit(content_copy / "p3.yaml", "  - id: d\n", "  - id: c\n")
    edit(content_copy / "p6.yaml", 'answer: "mu^T mu"', 'answer: "mu^^"')
    errors = errors_for(content_copy)
    assert {Path(e.split(":")[0]).name for e in errors} == {"p2.yaml", "p3.yaml", "p6.yaml"}


def test_yaml_tags_that_build_objects_are_refused(content_copy: Path) -> None:
    p2 = content_copy / "p2.yaml"
    edit(p2, "title: GRU gates", "title: !!python/object/apply:os.system ['echo pwned']")
    (error,) = errors_for(content_copy)
    assert "tag" in error and "not allowed" in error


def test_check_reports_errors_and_exits_nonzero(content_copy: Path) -> None:
    edit(content_copy / "p6.yaml", 'answer: "mu^T mu"', 'answer: "mu^T mu +"')
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "check", str(content_copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "p6.yaml:" in result.stderr and "1 error" in result.stderr


@pytest.mark.parametrize(
    "aliases",
    [
        # a billion laughs, nine levels deep: nine to the ninth strings if expanded
        "".join(
            f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 9 if k else ["lol"] * 9) + "]\n"
            for k in range(9)
        ),
        "loop: &a [*a]\n",  # a list that contains itself
    ],
)
def test_yaml_aliases_are_refused_with_their_line(content_copy: Path, aliases: str) -> None:
    p6 = content_copy / "p6.yaml"
    p6.write_text(p6.read_text(encoding="utf-8") + aliases, encoding="utf-8")
    errors = errors_for(content_copy)
    assert any("aliases" in e and e.startswith(f"{p6}:") for e in errors)


def test_odd_files_in_a_content_folder_are_refused_not_read(content_copy: Path) -> None:
    import os

    fifo = content_copy / "p8.yaml"
    os.mkfifo(fifo)  # reading it would wait for ever
    (content_copy / "p9.yaml").symlink_to("/dev/zero")
    (content_copy / "p10.yaml").symlink_to("/etc/passwd")
    (content_copy / "p11.yaml").write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    errors = errors_for(content_copy)
    text = "\n".join(errors)
    assert "p8.yaml:1:1: not a regular file" in text
    assert "p9.yaml:1:1: a link to a file outside the content folder" in text  # /dev/zero
    assert "p10.yaml:1:1: a link to a file outside the content folder" in text
    assert "p11.yaml:1:1: the file is 2,000,003 bytes" in text
    assert "root:" not in text


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("prompt: a: b\n", "put the whole value in quotes"),
        ("x:\n\t- a\n", "indent with spaces"),
        ("a: [1, 2\n", "a list in [ ] is left open"),
    ],
)
def test_a_yaml_slip_is_said_in_plain_words_beside_pyyamls(text: str, plain: str) -> None:
    from content.yamlparse import parse

    _, problems = parse(text)
    assert len(problems) == 1
    assert problems[0].message.startswith("YAML syntax: ") and plain in problems[0].message


@pytest.fixture
def starter_copy(tmp_path: Path) -> Path:
    from content.newlab import STARTER

    target = tmp_path / "starter"
    import shutil

    shutil.copytree(STARTER, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_a_field_under_the_wrong_parent_is_told_its_indentation(starter_copy: Path) -> None:
    p1 = starter_copy / "p1.yaml"
    edit(
        p1,
        '        feedback: "That is σ(−x). Differentiate 1/(1 + e^{−x}) with the chain rule."\n'
        "    hints:",
        '        feedback: "That is σ(−x). Differentiate 1/(1 + e^{−x}) with the chain rule."\n'
        "        hints:",
    )
    errors = errors_for(starter_copy)
    wrong = [e for e in errors if "'hints' is not a field of parts[0].mistakes[0]" in e]
    assert wrong and "indented under the wrong key" in wrong[0]
    assert not any("did you mean 'hints'" in e for e in errors)


def test_a_fixture_under_two_verdicts_is_refused_with_its_line(starter_copy: Path) -> None:
    p1 = starter_copy / "p1.yaml"
    edit(p1, 'incorrect: ["1 - sigmoid(x)", "sigmoid(x)"]',
         'incorrect: ["1 - sigmoid(x)", "sigmoid(x)", "σ(x) - σ(x)^2"]')  # fmt: skip
    (error,) = errors_for(starter_copy)
    first = line_of(p1, "correct: [" + '"sigmoid(x)(1')
    assert error.startswith(f"{p1}:{first}:")
    assert "listed under both 'correct' and 'incorrect'" in error


def test_the_lab_id_rule_is_said_in_words(starter_copy: Path) -> None:
    edit(starter_copy / "lab.yaml", "id: starter", "id: Lab 13")
    errors = errors_for(starter_copy)
    assert any(
        "'Lab 13' is not allowed here: write a lowercase letter followed by lowercase letters" in e
        for e in errors
    ), errors


@pytest.mark.parametrize(
    ("answer", "slip"),
    [
        ("-sigmoid(x) (1 - sigmoid(x))", "the simulation's negative at every point"),
        ("2 sigmoid(x) (1 - sigmoid(x))", "twice the simulation at every point"),
        ("sigmoid(x) (1 - sigmoid(x)) + 0.5", "off by the same 0.5 at every point"),
    ],
)
def test_a_reference_that_disagrees_names_its_line_both_values_and_the_slip(
    starter_copy: Path, answer: str, slip: str
) -> None:
    p1 = starter_copy / "p1.yaml"
    edit(p1, 'answer: "sigmoid(x) (1 - sigmoid(x))"', f'answer: "{answer}"')
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "check", str(starter_copy), "-q"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if "disagrees with simulation" in x)
    assert f"{p1}:{line_of(p1, answer)}:" in line
    assert slip in line and "simulated" in line and "formula" in line


def test_a_failing_fixture_names_its_line(starter_copy: Path) -> None:
    p1 = starter_copy / "p1.yaml"
    edit(p1, 'correct: ["exp(a) / (exp(a) + exp(b))"]', 'correct: ["exp(b) / (exp(a) + exp(b))"]')
    result = subprocess.run(
        [sys.executable, "-m", "nlpdrill", "check", str(starter_copy), "-q"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    line = next(x for x in result.stdout.splitlines() if "fixture 'exp(b)" in x)
    assert f"{p1}:{line_of(p1, 'exp(b) / (exp(a)')}:" in line
