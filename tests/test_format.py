"""The format a new author writes: its reference and JSON Schemas cannot drift from the
loader, ``nlpdrill new`` writes a lab that passes ``check``, and ids cannot collide."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from content import BUNDLED, schema
from content.formatdoc import DOC, KINDS, reference, schema_files
from content.newlab import STARTER, json_schemas

ROOT = Path(__file__).resolve().parent.parent


def nlpdrill(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nlpdrill", *args],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip


def test_the_reference_and_the_schemas_are_current() -> None:
    assert DOC.read_text(encoding="utf-8") == reference(), (
        "docs/format.md is stale: run `python -m content.formatdoc --write`"
    )
    for path, text in schema_files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale"


def test_the_reference_mentions_every_field_and_every_kind() -> None:
    doc = DOC.read_text(encoding="utf-8")
    models = [
        cls
        for _, cls in inspect.getmembers(schema, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == schema.__name__
    ]
    assert len(models) > 12
    for model in models:
        for name, info in model.model_fields.items():
            assert f"`{name}`" in doc, f"{model.__name__}.{name} is not in docs/format.md"
            assert info.description, f"{model.__name__}.{name} has no description"
    kinds = {
        typing.get_args(m.model_fields["kind"].annotation)[0]
        for m in typing.get_args(schema.AnyPart)
    }
    assert kinds == {kind for kind, *_ in KINDS}


def _documents() -> list[tuple[Path, object]]:
    files = [*sorted(BUNDLED.glob("*.yaml")), *sorted(STARTER.glob("*.yaml"))]
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in files]


def test_the_published_schemas_accept_every_bundled_file_and_catch_a_slip() -> None:
    schemas = json_schemas()
    documents = _documents()
    assert len(documents) >= 10
    for path, data in documents:
        which = schemas["lab.json" if path.name == "lab.yaml" else "problem.json"]
        jsonschema.validate(data, which)
    problem = dict(yaml.safe_load((STARTER / "p1.yaml").read_text(encoding="utf-8")))
    problem["parts"] = [{**problem["parts"][0], "hint": ["a misspelt field"]}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(problem, schemas["problem.json"])


def test_new_writes_a_lab_that_checks_and_builds(tmp_path: Path) -> None:
    lab = tmp_path / "emb"
    made = nlpdrill("new", str(lab), "--id", "emb", "--title", "Word embeddings")
    assert made.returncode == 0, made.stderr
    checked = nlpdrill("check", str(lab), "-q")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 failed" in checked.stdout
    built = nlpdrill("build", str(lab), "-o", str(tmp_path / "emb.apkg"))
    assert built.returncode == 0, built.stderr
    text = (lab / "p1.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=.schema/problem.json")
    assert "id: emb.p1" in text and "starter" not in text
    assert (lab / ".schema" / "problem.json").exists()
    kinds = {part["kind"] for f in ("p1.yaml", "p2.yaml") for part in yaml.safe_load(
        (lab / f).read_text(encoding="utf-8"))["parts"]}  # fmt: skip
    assert kinds == {kind for kind, *_ in KINDS}  # one part of each kind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--id", "Lab 12", "--title", "x"), "a lab id is a lowercase letter"),
        (("--id", "lab12", "--title", "x"), "already exists"),
    ],
)
def test_new_refuses_a_bad_id_or_a_folder_in_use(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "notes.txt").write_text("mine")
    result = nlpdrill("new", str(tmp_path / "lab"), *args)
    assert result.returncode == 2 and message in result.stderr
    assert [p.name for p in (tmp_path / "lab").iterdir()] == ["notes.txt"]


def test_a_problem_copied_with_another_labs_id_is_refused(tmp_path: Path) -> None:
    lab = tmp_path / "lab12"
    shutil.copytree(BUNDLED, lab, ignore=shutil.ignore_patterns("__pycache__", "*.lock"))
    text = (lab / "lab.yaml").read_text(encoding="utf-8")
    (lab / "lab.yaml").write_text(text.replace("id: lab11\n", "id: lab12\n"), encoding="utf-8")
    result = nlpdrill("check", str(lab), "-q")
    assert result.returncode == 1
    assert f"{lab / 'p6.yaml'}:1:5: id: 'lab11.p6' does not begin with this lab's id" in (
        result.stdout + result.stderr
    )
    assert "write 'lab12.p6'" in result.stdout + result.stderr


def starter_with(tmp_path: Path, problem: str, simulation: str) -> Path:
    """The starter lab with ``problem`` as its p3.yaml and ``simulation`` added."""
    lab = tmp_path / "lab"
    shutil.copytree(STARTER, lab, ignore=shutil.ignore_patterns("__pycache__"))
    (lab / "p3.yaml").write_text(problem, encoding="utf-8")
    with (lab / "simulations.py").open("a", encoding="utf-8") as file:
        file.write(simulation)
    return lab


CROSS_ENTROPY = """\
id: starter.p3
title: Cross-entropy
source: Problem 3
variables:
  V: "integer 3..8"
  y: "onehot[V]"
  z: "vector[V]"
parts:
  - kind: expression
    prompt: The cross-entropy of the softmax of scores $z$ against a one-hot target $y$?
    answer: "-sum(y ∘ log(softmax(z)))"
    simulate: {function: cross_entropy}
    hints: ["Only the target's log-probability survives the sum."]
    explanation: $-\\\\log p_{\\\\text{target}}$.
    fixtures:
      correct: ["-sum(y ∘ log(softmax(z)))", "-log(yᵀ softmax(z))"]
      incorrect: ["sum(y ∘ log(softmax(z)))", "-log(softmax(z))"]
      invalid: ["-sum(y ∘"]
"""

CROSS_ENTROPY_SIMULATION = '''

def cross_entropy(point: dict[str, Any], rng: Rng) -> Estimate:
    """-log of the softmax's weight on the target word, as a language model computes it."""
    z, y = np.ravel(point["z"]), np.ravel(point["y"])
    target = int(np.argmax(y))
    assert y[target] == 1 and y.sum() == 1  # the domain gave a one-hot target
    return Estimate(float(-(z[target] - np.log(np.exp(z).sum()))))
'''


def test_a_one_hot_target_is_drawn_one_hot_so_its_equivalences_hold(tmp_path: Path) -> None:
    """-log(yᵀ softmax(z)) is the cross-entropy only when y is one-hot: with
    ``onehot[V]`` it is judged at one-hot targets, as its own simulation is run."""
    lab = starter_with(tmp_path, CROSS_ENTROPY, CROSS_ENTROPY_SIMULATION)
    checked = nlpdrill("check", str(lab), "-q")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    as_vector = CROSS_ENTROPY.replace('y: "onehot[V]"', 'y: "vector[V] 0..1"')
    (lab / "p3.yaml").write_text(as_vector, encoding="utf-8")
    checked = nlpdrill("check", str(lab), "-q")
    assert checked.returncode == 1  # an arbitrary y breaks the one-hot simulation and the fixture


FIXED_NUMBER = """\
id: starter.p3
title: A fixed perplexity
source: Problem 3
parts:
  - kind: numeric
    prompt: A model gives probability 0.25 to each of 20 tokens. Its perplexity?
    answer: "4"
    simulate: {function: fixed_perplexity, points: 3}
    hints: ["The inverse of the geometric mean of the probabilities."]
    explanation: $(0.25^{20})^{-1/20} = 4$.
    fixtures:
      correct: ["4", "4.0"]
      incorrect: ["0.25", "2"]
      invalid: ["4/"]
"""

FIXED_SIMULATION = '''

def fixed_perplexity(point: dict[str, Any], rng: Rng) -> Estimate:
    """The perplexity of 20 tokens, each given probability 0.25."""
    return Estimate(float(np.exp(-np.log(np.full(20, 0.25)).mean())), 1e-9)
'''


def test_a_part_with_nothing_to_draw_is_simulated_at_one_point(tmp_path: Path) -> None:
    """``points: 3`` without parameters would be the same point three times: check runs
    and reports it once."""
    lab = starter_with(tmp_path, FIXED_NUMBER, FIXED_SIMULATION)
    checked = nlpdrill("check", str(lab))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    line = next(s for s in checked.stdout.splitlines() if "starter.p3" in s)
    assert "simulated 4" in line and "more points" not in line, line
